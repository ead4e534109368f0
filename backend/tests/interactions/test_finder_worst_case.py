"""The Finder's worst shapes: short and accented search words answered from the gram bitmaps, deep pages
under every sort key, honest bounded totals, and the plans that keep them index-only."""
import re
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from ims.extensions import db
from ims.interactions import queries
from ims.interactions.fields import SORTABLE_FIELDS
from ims.interactions.models import Interaction, local_start
from ims.interactions.queries import FinderQuery, SortKey
from ims.interactions.search_keys import fold
from tests.builders import headers_for, make_interaction

BASE = datetime(2025, 3, 1, 8, tzinfo=timezone.utc)
WORDS = ("Müller", "Émile", "annual", "Anna", "x7", "ll", "q", "ke", "marketing", "security", "Zoë", "a", "niño")


def find(client, user, site, **params):
    response = client.get("/api/interactions", query_string=params, headers=headers_for(user, site))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


@pytest.fixture
def crowd(world):
    """40 rows of mixed words, accents and one-letter words in hq, and a decoy in the other site."""
    for n in range(40):
        make_interaction(world.hq, world.editor, title=f"{WORDS[n % 13]} {WORDS[n * 5 % 13]}",
                         type=("Call", "Visit", "Email", "Meeting")[n % 4], lead=WORDS[n * 3 % 13],
                         location=WORDS[n * 7 % 13] if n % 3 else "", description=f"{WORDS[n * 11 % 13]} {n}",
                         notes="" if n % 5 else "ñ note", timezone=("UTC", "Europe/Berlin", "Asia/Tokyo")[n % 3],
                         start_datetime=BASE + timedelta(hours=n * 7 % 23),
                         end_datetime=BASE + timedelta(hours=30 - n % 11))
    make_interaction(world.field, world.field_editor, title="Müller q x7 ke", lead="Anna")
    return world


def expected_ids(site_id: int, search: str, name: str, descending: bool) -> list[int]:
    """The matches in sort order, computed here: each word a substring of the folded search text; the
    sort key's stored value (fields' folded key or rank), ties by id in the first key's direction."""
    key = queries.SORT_COLUMNS[name]
    rows = db.session.execute(sa.select(Interaction.id, Interaction.search_text, key.label("key"))
                              .where(Interaction.site_id == site_id)).all()
    words = [fold(word) for word in search.split()]
    found = [row for row in rows if all(word in row.search_text for word in words)]
    none_last = [row for row in found if row.key is not None], [row for row in found if row.key is None]
    ordered = sorted(none_last[0], key=lambda row: (row.key, row.id), reverse=descending)
    return [row.id for row in ordered] + [row.id for row in sorted(none_last[1], key=lambda r: r.id, reverse=descending)]


@pytest.mark.parametrize("limit", [5000, 1])  # the candidates are the page's rows; too many: the sort's own walk
@pytest.mark.parametrize("search", ["mü", "é", "ll ke", "mü ann", "q", "a x7", "ñ", "zoë e"])
def test_short_and_accented_words_page_like_substrings_under_every_sort(client, crowd, monkeypatch, search, limit):
    monkeypatch.setattr(queries, "NARROW_CANDIDATES", limit)
    monkeypatch.setattr(queries, "SETTLED_CANDIDATES", limit)
    assert queries.bitmaps_exact(crowd.hq.id, FinderQuery(search=search))  # the bitmap path is the one tested
    for name in SORTABLE_FIELDS:
        for descending in (False, True):
            expected = expected_ids(crowd.hq.id, search, name, descending)
            sort = ("-" if descending else "") + name
            got, page = [], 1
            while True:  # every page to the last, 3 rows each
                answer = find(client, crowd.editor, crowd.hq, search=search, sort=sort, page=page, page_size=3)
                got += [item["id"] for item in answer["items"]]
                if len(answer["items"]) < 3:
                    break
                page += 1
            assert got == expected, (search, sort)
            assert answer["total"] == len(expected) and answer["total_exact"]


def test_a_row_without_its_bitmap_turns_the_bitmap_path_off_and_is_still_found(client, crowd):
    assert queries.bitmaps_exact(crowd.hq.id, FinderQuery(search="zz"))
    assert not queries.bitmaps_exact(crowd.hq.id, FinderQuery(search="zzz"))  # no short word: nothing to gain
    legacy = make_interaction(crowd.hq, crowd.editor, title="Imported")
    db.session.execute(sa.text("UPDATE interactions SET search_grams = DEFAULT, search_text = 'legacy zz' "
                               "WHERE id = :id"), {"id": legacy.id})
    db.session.commit()
    assert not queries.bitmaps_exact(crowd.hq.id, FinderQuery(search="zz"))
    assert queries.bitmaps_exact(crowd.field.id, FinderQuery(search="zz"))  # the other site is unaffected
    assert [item["id"] for item in find(client, crowd.editor, crowd.hq, search="zz")["items"]] == [legacy.id]


def test_totals_past_the_count_cap_say_they_are_a_lower_bound(client, app, world, monkeypatch):
    ids = [make_interaction(world.hq, world.editor, title=f"Budget {n}", start_datetime=BASE + timedelta(days=n)).id
           for n in range(12)]
    # a short word's candidates are its matches: the total is their number, no count needed
    narrowed = find(client, world.editor, world.hq, search="bu", page_size=3)
    assert (narrowed["total"], narrowed["total_exact"], narrowed["pages"]) == (12, True, 4)
    app.config["FINDER_SEARCH_COUNT_CAP"] = 4
    try:
        # past the cap they say no more than a count would: searches page within it
        capped = find(client, world.editor, world.hq, search="bu", page_size=5)
        assert (capped["total"], capped["total_exact"], len(capped["items"])) == (5, False, 5)
        monkeypatch.setattr(queries, "NARROW_CANDIDATES", 1)  # too many candidates: the walk and the count
        monkeypatch.setattr(queries, "SETTLED_CANDIDATES", 1)
        first = find(client, world.editor, world.hq, search="bu", page_size=2)
        reaching = find(client, world.editor, world.hq, search="bu", page_size=2, page=3)  # rows 5-6, more follow
        last = find(client, world.editor, world.hq, search="bu", page_size=2, page=6)
        beyond = find(client, world.editor, world.hq, search="bu", page_size=2, page=9)
    finally:
        app.config["FINDER_SEARCH_COUNT_CAP"] = 1000
    assert (first["total"], first["total_exact"]) == (4, False)  # counted to the cap
    assert (reaching["total"], reaching["total_exact"], reaching["pages"]) == (6, False, 3)
    assert [i["id"] for i in reaching["items"]] == ids[::-1][4:6]
    assert (last["total"], last["total_exact"], len(last["items"])) == (12, True, 2)  # the last page in hand
    assert (beyond["total"], beyond["total_exact"], beyond["items"]) == (12, True, [])


def test_a_finder_statement_past_its_guard_answers_503_at_once(client, app, world):
    import threading
    import time

    make_interaction(world.hq, world.editor, title="Budget")
    headers = headers_for(world.editor, world.hq)
    db.session.commit()  # no transaction of ours holds the table
    app.config["FINDER_STATEMENT_TIMEOUT_MS"] = 300
    locked, release, engine = threading.Event(), threading.Event(), db.engine

    def hold_the_table():  # another session holds the table, so every Finder statement waits
        with engine.connect() as conn:
            conn.execute(sa.text("LOCK TABLE interactions IN ACCESS EXCLUSIVE MODE"))
            locked.set()
            release.wait(30)
            conn.rollback()

    holder = threading.Thread(target=hold_the_table)
    holder.start()
    try:
        assert locked.wait(10)
        began = time.monotonic()
        response = client.get("/api/interactions", query_string={"search": "bu"}, headers=headers)
        waited = time.monotonic() - began
    finally:
        release.set()
        holder.join()
        app.config["FINDER_STATEMENT_TIMEOUT_MS"] = 2000
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert response.get_json()["error"]["code"] == "service_unavailable"
    assert waited < 4  # the Finder's guard, not the 5 s of every other statement
    assert find(client, world.editor, world.hq, search="bu")["total"] == 1  # and the next request is served


def plan_of(select: sa.Select) -> str:
    sql = select.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True})
    return "\n".join(row[0] for row in db.session.execute(sa.text(f"EXPLAIN {sql}")))


def page_ids(site_id: int, query: FinderQuery) -> sa.Select:
    by_bitmap = queries.bitmaps_exact(site_id, query)
    return (queries.apply_sort(queries.apply_filters(queries.in_site(site_id, Interaction.id), query, None, by_bitmap),
                               query.sort).limit(query.page_size + 1).offset((query.page - 1) * query.page_size))


def test_the_worst_shapes_plan_index_only_on_a_site_of_thousands(world):
    templates = [make_interaction(world.hq, world.editor, title=f"{WORDS[n]} review", lead=WORDS[(n + 4) % 13],
                                  description=" ".join(WORDS[(n + k) % 13] for k in range(60)),  # rows of ~500 B
                                  start_datetime=BASE + timedelta(days=n))
                 for n in range(13)]
    columns = [c.name for c in Interaction.__table__.columns if c.name not in ("id", "start_datetime", "end_datetime")]
    listed = ", ".join(columns)
    copies = ", ".join(name if name != "site_id" else ":site" for name in columns)
    db.session.execute(sa.text("SET LOCAL statement_timeout = '120s'"))  # a bulk load, not a request
    for site, times in ((world.hq, 1000), (world.field, 3000)):  # the site is a quarter of the table
        db.session.execute(sa.text(  # 13 × 1,000 rows of the same texts at other times
            f"INSERT INTO interactions ({listed}, start_datetime, end_datetime) SELECT {copies}, "
            "start_datetime + g * interval '1 hour', end_datetime + g * interval '1 hour' "
            "FROM interactions, generate_series(1, :times) AS g WHERE site_id = :hq AND id <= :last"),
            {"site": site.id, "times": times, "hq": world.hq.id, "last": templates[-1].id})
    site = world.hq.id
    db.session.commit()
    db.session.close()  # no transaction of ours keeps VACUUM from marking the new rows visible
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for _ in range(50):  # as autovacuum leaves a loaded table: analysed, its pages marked all-visible
            conn.execute(sa.text("VACUUM ANALYZE interactions"))  # (a transaction elsewhere may delay that)
            pages, visible = conn.execute(sa.text(
                "SELECT relpages, relallvisible FROM pg_class WHERE relname = 'interactions'")).one()
            if visible >= 0.95 * pages:
                break
    assert visible >= 0.95 * pages
    # short words, any short sort key, a deep page: checked in the covering date index, no row read
    for sort in ("timezone", "-created_at", "start_datetime", "-type"):
        plan = plan_of(page_ids(site, FinderQuery(search="is g ah", sort=(SortKey(sort.lstrip("-"), sort[0] == "-"),),
                                                  page=35, page_size=100)))
        assert "Index Only Scan using ix_interactions_site_start_datetime" in plan and "search_text" not in plan, plan
    # a long word sorted by version: its own index, walked in order until the page is full (before: the
    # whole site's heap through a bitmap, then a sort)
    plan = plan_of(page_ids(site, FinderQuery(search="review mu", sort=(SortKey("version", True),), page_size=100)))
    assert "Index Scan Backward using ix_interactions_site_version" in plan and "Sort" not in plan, plan
    # a filter under a long-text sort, deep: checked inside the walk of that key's index (before: each row's
    # lead key read from the heap)
    plan = plan_of(page_ids(site, FinderQuery(filter_values={"lead": "n"}, sort=(SortKey("description", True),),
                                              page=50)))
    assert "Index Only Scan Backward using ix_interactions_site_description_key" in plan, plan
    # a short word and a short filter, common each, rare together: candidates from one index-only scan
    scan = queries.apply_filters(queries.in_site(site, Interaction.id), FinderQuery(filter_values={"title": "ec"}))
    for bit in queries.gram_bits(["ke"]):
        scan = scan.where(sa.func.get_bit(Interaction.search_grams, bit) == 1)
    plan = plan_of(scan.limit(queries.NARROW_CANDIDATES + 1))
    assert "Index Only Scan" in plan and "title_key" in plan and "get_bit" in plan, plan
    # an insights bar's link, an exact lead, in the Finder's page and in the insights' scan: checked inside an
    # index-only scan, or looked up by its key in the key's index (the planner picks by the lead's share of the
    # site); never a row-by-row check of the site's heap
    exact = FinderQuery(filter_values={"lead_is": WORDS[3]})
    for statement in (page_ids(site, replace(exact, page=5)), page_ids(site, replace(exact, search="ke")),
                      queries.apply_filters(queries.in_site(site, local_start("Europe/Berlin"), Interaction.type,
                                                            Interaction.lead_key, Interaction.location_key), exact)):
        plan = plan_of(statement)
        by_key = re.search(r"Index Cond: .*lead_key", plan)
        assert ("Index Only Scan" in plan or by_key) and "lead_key" in plan and "Seq Scan" not in plan, plan
