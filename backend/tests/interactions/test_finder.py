"""The Finder query (GET /api/interactions): search, filters, sort, paging, parameter validation."""
from datetime import datetime, timedelta, timezone

import pytest

from ims.interactions.fields import SORTABLE_FIELDS
from tests.builders import headers_for, make_interaction


def find(client, user, site, **params):
    response = client.get("/api/interactions", query_string=params, headers=headers_for(user, site))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def titles(page):
    return [item["title"] for item in page["items"]]


@pytest.fixture
def catalogue(world):
    hq = world.hq
    make_interaction(hq, world.editor, title="Budget planning", type="Meeting", lead="Amelia Hart",
                     location="Board room", description="Figures for the winter quarter",
                     notes="Bring the signed agreement", start_datetime=datetime(2026, 1, 5, 9, tzinfo=timezone.utc))
    make_interaction(hq, world.editor, title="Supplier call", type="Call", lead="Jonas Becker",
                     location="Online", description="Timeline revision", notes="Escalate if silent",
                     start_datetime=datetime(2026, 2, 10, 15, tzinfo=timezone.utc))
    make_interaction(hq, world.editor, title="Warehouse visit", type="Visit", lead="Priya Raman",
                     location="Harbour depot", description="Layout of aisles; budget approved",
                     notes="Photos in the drive", start_datetime=datetime(2026, 3, 1, 8, tzinfo=timezone.utc))
    make_interaction(world.field, world.field_editor, title="Field budget secret", type="Meeting",
                     lead="Amelia Hart", start_datetime=datetime(2026, 1, 6, 9, tzinfo=timezone.utc))
    return world


def test_default_sort_is_newest_first_and_only_the_current_site(client, catalogue):
    page = find(client, catalogue.editor, catalogue.hq)
    assert titles(page) == ["Warehouse visit", "Supplier call", "Budget planning"]
    assert (page["total"], page["pages"], page["page"], page["page_size"], page["total_exact"]) == (3, 1, 1, 25, True)


@pytest.mark.parametrize("search, expected", [
    ("budget", {"Budget planning", "Warehouse visit"}),            # title and description
    ("BUDGET", {"Budget planning", "Warehouse visit"}),            # case-insensitive
    ("udge", {"Budget planning", "Warehouse visit"}),              # inside a word
    ("budget aisles", {"Warehouse visit"}),                        # every word must match
    ("aisles budget", {"Warehouse visit"}),                        # in any order
    ("signed", {"Budget planning"}),                               # notes
    ("harbour", {"Warehouse visit"}),                              # location
    ("becker", {"Supplier call"}),                                 # lead
    ("call", {"Supplier call"}),                                   # type
    ("budget nowhere", set()),
    ("100%", set()),                                               # LIKE wildcards are literal
    ("_", set()),
])
def test_search_semantics(client, catalogue, search, expected):
    assert set(titles(find(client, catalogue.editor, catalogue.hq, search=search))) == expected


def test_search_never_crosses_sites(client, catalogue):
    assert "Field budget secret" not in titles(find(client, catalogue.admin, catalogue.hq, search="secret budget"))
    assert titles(find(client, catalogue.admin, catalogue.field, search="secret")) == ["Field budget secret"]


def test_type_repeats_as_or(client, catalogue):
    page = find(client, catalogue.editor, catalogue.hq, type=["Call", "Visit"])
    assert set(titles(page)) == {"Supplier call", "Warehouse visit"}


@pytest.mark.parametrize("field, value, expected", [
    ("lead", "RAMAN", {"Warehouse visit"}),
    ("location", "board", {"Budget planning"}),
    ("title", "isit", {"Warehouse visit"}),
])
def test_substring_filters(client, catalogue, field, value, expected):
    assert set(titles(find(client, catalogue.editor, catalogue.hq, **{field: value}))) == expected


@pytest.mark.parametrize("params, expected", [
    ({"lead": "lopez"}, {"Café review"}), ({"lead": "LÓPEZ"}, {"Café review"}),
    ({"title": "cafe"}, {"Café review"}), ({"search": "CAFÉ"}, {"Café review"}),
    ({"search": "straße"}, {"Strasse survey"}), ({"search": "STRASSE"}, {"Strasse survey"}),
    ({"location": "Zur"}, {"Strasse survey"}),
    # one and two characters, inside words, in every filter and the search
    ({"lead": "z"}, {"Café review"}), ({"lead": "ó"}, {"Café review", "Strasse survey"}), ({"title": "fé"}, {"Café review"}),
    ({"location": "ri"}, {"Strasse survey"}), ({"search": "q"}, set()), ({"search": "é"}, {"Café review", "Strasse survey"}),
    ({"search": "ew", "title": "é"}, {"Café review"}), ({"search": "ss", "lead": "mü"}, {"Strasse survey"}),
])
def test_filters_and_search_ignore_case_and_accents(client, world, params, expected):
    make_interaction(world.hq, world.editor, title="Café review", lead="Ana López", location="Lisbon")
    make_interaction(world.hq, world.editor, title="Strasse survey", lead="Jörg Müller", location="Zürich",
                     notes="Straße markings")
    make_interaction(world.field, world.field_editor, title="Café elsewhere", lead="Ana Lopez")
    assert set(titles(find(client, world.editor, world.hq, **params))) == expected


@pytest.fixture
def namesakes(world):
    """Leads and locations whose names contain one another, a case and accent variant, and another site's
    namesake."""
    for title, lead, location in (("Exact", "Ána López", "Board Room"), ("Junior", "Ana Lopez Jr", "Board room annex"),
                                  ("Plain", "ana", "Room"), ("Diana", "Diana", "board")):
        make_interaction(world.hq, world.editor, title=title, lead=lead, location=location)
    make_interaction(world.field, world.field_editor, title="Elsewhere", lead="Ana Lopez", location="Board room")
    return world


@pytest.mark.parametrize("params, expected", [
    ({"lead_is": "ana lopez"}, {"Exact"}),  # not "Ana Lopez Jr", nor another site's "Ana Lopez"
    ({"lead_is": "ANA LÓPEZ"}, {"Exact"}), ({"lead_is": "Ána López"}, {"Exact"}),
    ({"lead_is": "Ana"}, {"Plain"}), ({"lead": "Ana"}, {"Exact", "Junior", "Plain", "Diana"}),  # the substring's
    ({"lead_is": "ana lo"}, set()), ({"lead_is": "Diana"}, {"Diana"}),
    ({"location_is": "board room"}, {"Exact"}), ({"location_is": "BOARD"}, {"Diana"}),
    ({"lead_is": "ana lopez jr", "location_is": "board room annex"}, {"Junior"}),
    ({"lead_is": "ana lopez", "location_is": "board"}, set()),
    ({"lead_is": "ana", "search": "plain"}, {"Plain"}), ({"lead_is": "ana", "sort": "-title"}, {"Plain"}),
    ({"lead_is": "", "location_is": ""}, {"Exact", "Junior", "Plain", "Diana"}),  # empty: not given
])
def test_exact_filters_match_the_whole_name_ignoring_case_and_accents(client, namesakes, params, expected):
    assert set(titles(find(client, namesakes.editor, namesakes.hq, **params))) == expected


def test_an_exact_filter_never_crosses_sites(client, namesakes):
    assert titles(find(client, namesakes.admin, namesakes.field, lead_is="ana lopez")) == ["Elsewhere"]
    assert titles(find(client, namesakes.field_editor, namesakes.field, location_is="board room")) == ["Elsewhere"]
    response = client.get("/api/interactions", query_string={"lead_is": "ana lopez"},
                          headers=headers_for(namesakes.field_editor, namesakes.hq))
    assert response.status_code == 403


def test_date_range_with_dates_is_inclusive_of_whole_days(client, catalogue):
    page = find(client, catalogue.editor, catalogue.hq, start_from="2026-01-05", start_to="2026-02-10")
    assert set(titles(page)) == {"Budget planning", "Supplier call"}


def test_date_range_with_datetimes(client, catalogue):
    page = find(client, catalogue.editor, catalogue.hq, start_from="2026-01-05T09:00:01Z",
                start_to="2026-03-01T09:00:00+01:00")
    assert set(titles(page)) == {"Supplier call", "Warehouse visit"}


def test_filters_combine(client, catalogue):
    page = find(client, catalogue.editor, catalogue.hq, search="budget", type="Visit", start_from="2026-02-01")
    assert titles(page) == ["Warehouse visit"]


# Text sorts as people read it, whatever the database's collation (the suite's database is `C`):
# case and accents ignored, equal keys in id order. Each list is the values in insertion (id) order,
# then the order a reader expects; byte order would differ in every case.
TEXT_SORTS = {
    "lead": (["Zed Young", "ana lopez", "Émile Zola", "Ana Lopez", "bob", "Ána López", "Eve"],
             ["ana lopez", "Ana Lopez", "Ána López", "bob", "Émile Zola", "Eve", "Zed Young"]),
    "title": (["delta report", "Échéancier", "alpha", "Alpha", "Ébauche", "Beta", "Zulu"],
              ["alpha", "Alpha", "Beta", "delta report", "Ébauche", "Échéancier", "Zulu"]),
    "location": (["Zürich", "athens", "Oslo", "Ålesund", "", "zagreb"],
                 ["", "Ålesund", "athens", "Oslo", "zagreb", "Zürich"]),
    "timezone": (["CET", "Australia/NSW", "Canada/Central", "Australia/North", "UTC"],
                 ["Australia/North", "Australia/NSW", "Canada/Central", "CET", "UTC"]),
    "type": (["Visit", "Call", "Email", "Call", "Meeting"], ["Call", "Call", "Email", "Meeting", "Visit"]),
    "description": (["b2", "Éa", "A3", "a3", "ea"], ["A3", "a3", "b2", "Éa", "ea"]),
    "notes": (["ñ", "N", "o", "n"], ["ñ", "N", "n", "o"]),
}


@pytest.mark.parametrize("field", sorted(TEXT_SORTS))
def test_text_sorts_ignore_case_and_accents_with_ties_in_id_order(client, world, field):
    values, expected = TEXT_SORTS[field]
    ids = [make_interaction(world.hq, world.editor, **{field: value}).id for value in values]
    ascending = find(client, world.editor, world.hq, sort=field)["items"]
    assert [item[field] for item in ascending] == expected
    assert field == "type" or sorted(values) != expected  # byte order would not do (types are one case)
    descending = find(client, world.editor, world.hq, sort=f"-{field}")["items"]
    assert [item["id"] for item in descending] == [item["id"] for item in reversed(ascending)]
    assert sorted(item["id"] for item in ascending) == sorted(ids)


def test_equal_folded_keys_are_ordered_by_id_across_pages(client, world):
    spellings = ["ana lopez", "Ana Lopez", "ÁNA LÓPEZ", "Ana López", "ana lópez", "Aña Lopez"]
    ids = [make_interaction(world.hq, world.editor, lead=name).id for name in spellings]
    make_interaction(world.hq, world.editor, lead="Zed Young")
    make_interaction(world.hq, world.editor, lead="Bob")
    first = find(client, world.editor, world.hq, sort="lead", page_size=4)
    second = find(client, world.editor, world.hq, sort="lead", page_size=4, page=2)
    order = [item["id"] for item in first["items"] + second["items"]]
    assert order[:6] == ids and [i["lead"] for i in second["items"]][-2:] == ["Bob", "Zed Young"]


@pytest.mark.parametrize("field", [f for f in SORTABLE_FIELDS if f not in TEXT_SORTS])
def test_every_other_sort_field_both_directions(client, world, field):
    base = datetime(2026, 1, 1, tzinfo=timezone.utc)
    rows = [make_interaction(world.hq, world.editor, title=f"t{n}", start_datetime=base + timedelta(days=n * 7 % 5),
                             end_datetime=base + timedelta(days=10 - n)) for n in range(3)]
    ascending = find(client, world.editor, world.hq, sort=field)["items"]
    descending = find(client, world.editor, world.hq, sort=f"-{field}")["items"]
    key = [(item[field], item["id"]) for item in ascending]
    assert key == sorted(key)
    assert [i["id"] for i in descending] == [i["id"] for i in reversed(ascending)]
    assert {i["id"] for i in ascending} == {r.id for r in rows}


def test_multi_sort_with_id_tie_breaker(client, world):
    for n in range(4):
        make_interaction(world.hq, world.editor, title=f"T{n % 2}", type="Call" if n < 2 else "Visit")
    items = find(client, world.editor, world.hq, sort="title,-type")["items"]
    assert [(i["title"], i["type"]) for i in items] == [("T0", "Visit"), ("T0", "Call"), ("T1", "Visit"), ("T1", "Call")]
    same = find(client, world.editor, world.hq, sort="title")["items"]
    assert [i["id"] for i in same if i["title"] == "T0"] == sorted(i["id"] for i in same if i["title"] == "T0")


def test_pages_are_complete_and_disjoint(client, world):
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    for n in range(23):  # many identical start times: the id tie-breaker keeps pages stable
        make_interaction(world.hq, world.editor, title=f"Row {n}", start_datetime=start + timedelta(hours=n // 5))
    pages = [find(client, world.editor, world.hq, page=p, page_size=10) for p in (1, 2, 3, 4)]
    assert [len(p["items"]) for p in pages] == [10, 10, 3, 0]
    assert all(p["total"] == 23 and p["pages"] == 3 for p in pages)
    ids = [i["id"] for p in pages for i in p["items"]]
    assert len(ids) == len(set(ids)) == 23


def test_total_is_capped_past_the_limit(client, app, world):
    for n in range(7):
        make_interaction(world.hq, world.editor, title=f"Row {n}")
    app.config["FINDER_COUNT_CAP"] = 5
    try:
        page = find(client, world.editor, world.hq, page_size=2)
    finally:
        app.config["FINDER_COUNT_CAP"] = 10000
    assert (page["total"], page["total_exact"], page["pages"]) == (5, False, 3)


@pytest.mark.parametrize("params, field", [
    ({"page": "0"}, "page"), ({"page": "-1"}, "page"), ({"page": "abc"}, "page"), ({"page": "10000000"}, "page"),
    ({"page_size": "0"}, "page_size"), ({"page_size": "101"}, "page_size"),
    ({"sort": "password_hash"}, "sort"), ({"sort": ","}, "sort"), ({"sort": "title;drop table"}, "sort"),
    ({"type": "Lunch"}, "type"), ({"start_from": "yesterday"}, "start_from"),
    ({"start_to": "2026-13-45"}, "start_to"), ({"start_from": "2026-01-01T10:00:00"}, "start_from"),
    ({"start_from": "2026-02-01", "start_to": "2026-01-01"}, "start_to"),
    ({"search": "x" * 201}, "search"), ({"colour": "red"}, "colour"),
    ({"lead_is": "x" * 101}, "lead_is"), ({"location_is": "x" * 201}, "location_is"),
    ({"lead_is": "Ana\x01"}, "lead_is"),
    ({"search": "budget", "page": "101", "page_size": "100"}, "page"),  # past the search window
    ({"search": "a", "page": "201"}, "page"),
])
def test_bad_parameters_are_400_with_the_parameter_named(client, world, params, field):
    response = client.get("/api/interactions", query_string=params, headers=headers_for(world.editor, world.hq))
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "bad_request" and field in error["details"]


def test_searches_page_up_to_their_window_and_filters_beyond(client, world):
    make_interaction(world.hq, world.editor, title="Budget")
    assert find(client, world.editor, world.hq, search="budget", page=50, page_size=100)["items"] == []
    assert find(client, world.editor, world.hq, search="budget", page=200)["items"] == []
    assert find(client, world.editor, world.hq, title="budget", page=100_000, page_size=100)["items"] == []
    export = client.get("/api/interactions/export", query_string={"search": "budget"},
                        headers=headers_for(world.editor, world.hq))
    assert export.status_code == 200 and b"Budget" in export.data


def test_a_budgeted_statement_is_cancelled_and_the_transaction_goes_on(app):
    import sqlalchemy as sa

    from ims.extensions import db
    from ims.interactions import queries

    before = db.session.execute(sa.text("SHOW statement_timeout")).scalar_one()
    assert queries._scalar_within(sa.text("SELECT 1 FROM pg_sleep(5)"), 50) is None  # 1 if not cancelled
    assert queries._scalar_within(sa.select(sa.literal(7)), 1000) == 7
    # a budget so small that even the savepoint's own statements may be cancelled
    for _ in range(20):
        assert queries._scalar_within(sa.text("SELECT 1 FROM pg_sleep(0.01)"), 1) in (None, 1)
        assert db.session.execute(sa.text("SELECT 2")).scalar_one() == 2
    # the session still works and the request's own timeout is back
    assert db.session.execute(sa.text("SHOW statement_timeout")).scalar_one() == before


def test_a_search_count_past_its_budget_gives_a_lower_bound_and_the_next_page(client, world, monkeypatch):
    from ims.interactions import queries

    for n in range(5):
        make_interaction(world.hq, world.editor, title=f"Budget {n}")
    monkeypatch.setattr(queries, "_scalar_within", lambda statement, budget_ms: None)
    page = find(client, world.editor, world.hq, search="budget", page_size=2)
    assert (len(page["items"]), page["total"], page["pages"], page["total_exact"]) == (2, 3, 2, False)
    # filters alone count from indexes, without a budget
    page = find(client, world.editor, world.hq, title="budget", page_size=2)
    assert (page["total"], page["total_exact"]) == (5, True)


def test_gram_bitmap_holds_exactly_the_short_words_of_the_text():
    import itertools
    import random

    from ims.interactions.search_keys import GRAM_ALPHABET, fold, gram_bit, grams_int

    rng = random.Random(3)
    pieces = ["Ab", "z9", "É", "q", " ", "\n", "-", "ß", "x", "Jo", "ø", "7"]
    words = list(GRAM_ALPHABET) + ["".join(p) for p in itertools.product(GRAM_ALPHABET, repeat=2)]
    for _ in range(40):
        text = fold("".join(rng.choice(pieces) for _ in range(rng.randint(0, 30))))
        bits = grams_int(text)
        for word in words:
            assert bool(bits >> gram_bit(word) & 1) == (word in text), (text, word)
    assert gram_bit("ab") != gram_bit("ba") and gram_bit("a-") is None and gram_bit("abc") is None


@pytest.mark.parametrize("limit", [5000, 1])  # a few candidates, and too many to help
def test_searches_find_the_same_rows_whichever_plan(client, world, monkeypatch, limit):
    from ims.extensions import db
    from ims.interactions import queries

    monkeypatch.setattr(queries, "NARROW_CANDIDATES", limit)
    make_interaction(world.hq, world.editor, title="Quay inspection", description="x7 gauge")
    make_interaction(world.hq, world.editor, title="Harbour walk", notes="mixed signals")
    unknown = make_interaction(world.hq, world.editor, title="Imported row")
    # a row written without its bitmap (the column default) may hold anything and is rechecked
    db.session.execute(db.text("UPDATE interactions SET search_grams = DEFAULT, search_text = 'legacy qu' "
                               "WHERE id = :id"), {"id": unknown.id})
    db.session.commit()
    make_interaction(world.field, world.field_editor, title="Quay elsewhere")
    assert set(titles(find(client, world.editor, world.hq, search="qu"))) == {"Quay inspection", "Imported row"}
    assert set(titles(find(client, world.editor, world.hq, search="x7"))) == {"Quay inspection"}
    assert set(titles(find(client, world.editor, world.hq, search="x"))) == {"Quay inspection", "Harbour walk"}
    assert titles(find(client, world.editor, world.hq, search="7 walk")) == []
    assert titles(find(client, world.editor, world.hq, search="ed s")) == ["Harbour walk"]
    # other filters narrow a search too
    assert titles(find(client, world.editor, world.hq, search="qu", title="quay")) == ["Quay inspection"]
    assert titles(find(client, world.editor, world.hq, search="gauge", lead="xq")) == []
    assert titles(find(client, world.editor, world.hq, search="legacy", type="Visit")) == ["Imported row"]
