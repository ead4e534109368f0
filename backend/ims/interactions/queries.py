"""Every interaction query starts here, scoped to one site: Finder filters, sort, paging, count and export."""
from __future__ import annotations

import math
import time

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import aliased

from ..auth.models import User
from ..extensions import db
from ..timeutil import iso_z
from .models import Interaction
from .textkeys import KEYED_COLUMNS, fold, gram_bit

Creator = aliased(User, name="creator")
Updater = aliased(User, name="updater")

# Allow-list from API sort keys to columns: user strings never reach SQL. Text sorts by its folded
# key (case- and accent-insensitive, by code point on every database; see textkeys).
SORT_COLUMNS = {
    name: getattr(Interaction, f"{name}_key" if name in KEYED_COLUMNS else name)
    for name in ("id", "title", "type", "lead", "start_datetime", "end_datetime", "timezone", "location",
                 "description", "notes", "created_at", "updated_at", "version")
}
FILTERED_KEYS = {name: getattr(Interaction, f"{name}_key") for name in ("lead", "location", "title")}
ROW_COLUMNS = (
    Interaction.id, Interaction.site_id, Interaction.title, Interaction.type, Interaction.lead,
    Interaction.start_datetime, Interaction.end_datetime, Interaction.timezone, Interaction.location,
    Interaction.description, Interaction.notes, Interaction.version, Interaction.created_at,
    Interaction.updated_at, Interaction.created_by, Creator.display_name.label("created_by_name"),
    Interaction.updated_by, Updater.display_name.label("updated_by_name"),
)


def in_site(site_id: int) -> sa.Select:
    """The base of every interaction query: rows of one site, nothing else."""
    return sa.select(Interaction).where(Interaction.site_id == site_id)


def _rows(site_id: int) -> sa.Select:
    return (
        sa.select(*ROW_COLUMNS)
        .outerjoin(Creator, Creator.id == Interaction.created_by)
        .outerjoin(Updater, Updater.id == Interaction.updated_by)
        .where(Interaction.site_id == site_id)
    )


def like_pattern(text: str) -> str:
    escaped = fold(text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_words(search: str | None) -> list[str]:
    return [w for w in (search or "").split() if w][:10]


# A search narrowed by an index-only scan to at most this many rows of the site is rechecked on just
# those rows; a broader one is left to the sort order's own index walk, which meets matches soon.
NARROW_CANDIDATES = 5000
FILTER_ONLY_CANDIDATES = 500
TRIGRAM = 3  # the shortest pattern a trigram index can serve


def _contains(column, text: str):
    """Substring test on folded text: a LIKE the trigram index serves, or for patterns too short for
    it a plain strpos, which keeps the planner from scanning a whole trigram index."""
    folded = fold(text)
    if len(folded) < TRIGRAM and db.session.get_bind().dialect.name == "postgresql":
        return sa.func.strpos(column, folded) > 0
    return column.like(like_pattern(text), escape="\\")


def narrow_candidates(site_id: int, params: dict) -> list[int] | None:
    """The ids of the only rows that can match, when a narrow index-only scan names at most
    NARROW_CANDIDATES of them: the page then sorts just those, whatever the sort. Two such scans:
    the gram bitmaps of the search's one- and two-character words, and the other filters (type,
    dates, lead/location/title keys), which the covering indexes carry. None when neither narrows
    the query enough to help; the page then takes the sort order's own index walk, which meets
    matches soon because they are many."""
    words = search_words(params.get("search"))
    if db.session.get_bind().dialect.name != "postgresql":
        return None
    found: list[set[int]] = []
    bits = sorted({bit for word in words if (bit := gram_bit(fold(word))) is not None})
    if bits:
        query = sa.select(Interaction.id).where(Interaction.site_id == site_id)
        for bit in bits:
            query = query.where(sa.func.get_bit(Interaction.search_grams, bit) == 1)
        found.append(_at_most(query))
    # without a search, a page sorted by date first is read from the covering date/type indexes as it is
    by_date = not words and params["sort"][0][0] == "start_datetime"
    if not by_date and any(params.get(name) for name in ("type", "lead", "location", "title", "start_from",
                                                           "start_to")):
        # without a search the covering indexes already check every filter index-only: fetching the
        # candidates' rows only pays when they are few (a rare filter under a long-text sort key)
        found.append(_at_most(apply_filters(sa.select(Interaction.id).where(Interaction.site_id == site_id),
                                            {**params, "search": None}),
                              NARROW_CANDIDATES if words else FILTER_ONLY_CANDIDATES))
    narrowed = [ids for ids in found if ids is not None]
    return sorted(set.intersection(*narrowed)) if narrowed else None


def _at_most(query: sa.Select, limit: int = NARROW_CANDIDATES) -> set[int] | None:
    ids = db.session.execute(query.limit(limit + 1)).scalars().all()
    return None if len(ids) > limit else set(ids)


def apply_filters(query: sa.Select, params: dict, candidates: list[int] | None = None) -> sa.Select:
    if candidates is not None:
        query = query.where(Interaction.id == sa.func.any(sa.cast(candidates or [0], postgresql.ARRAY(sa.BigInteger))))
    for word in search_words(params.get("search")):
        query = query.where(_contains(Interaction.search_text, word))
    if params.get("type"):
        query = query.where(Interaction.type.in_(sorted(set(params["type"]))))
    for name, key in FILTERED_KEYS.items():
        if params.get(name):
            query = query.where(_contains(key, params[name]))
    if params.get("start_from"):
        query = query.where(Interaction.start_datetime >= params["start_from"][0])
    if params.get("start_to"):
        bound, exclusive = params["start_to"]
        query = query.where(Interaction.start_datetime < bound if exclusive else Interaction.start_datetime <= bound)
    return query


def apply_sort(query: sa.Select, sort: tuple[tuple[str, bool], ...]) -> sa.Select:
    order = [SORT_COLUMNS[name].desc() if descending else SORT_COLUMNS[name].asc() for name, descending in sort]
    if not any(name == "id" for name, _ in sort):
        # id breaks ties last so pages never overlap or skip rows
        order.append(Interaction.id.desc() if sort[0][1] else Interaction.id.asc())
    return query.order_by(*order)


def to_dict(row) -> dict:
    return {
        "id": row.id, "site_id": row.site_id, "title": row.title, "type": row.type, "lead": row.lead,
        "start_datetime": iso_z(row.start_datetime), "end_datetime": iso_z(row.end_datetime),
        "timezone": row.timezone, "location": row.location or "", "description": row.description or "",
        "notes": row.notes or "", "version": row.version,
        "created_at": iso_z(row.created_at), "updated_at": iso_z(row.updated_at),
        "created_by": {"id": row.created_by, "display_name": row.created_by_name} if row.created_by else None,
        "updated_by": {"id": row.updated_by, "display_name": row.updated_by_name} if row.updated_by else None,
    }


def fetch_one(site_id: int, interaction_id: int) -> dict | None:
    row = db.session.execute(_rows(site_id).where(Interaction.id == interaction_id)).first()
    return to_dict(row) if row else None


def count_capped(filtered: sa.Select, cap: int, budget_ms: int | None = None) -> tuple[int, bool] | None:
    """Exact up to `cap`; past it, `cap` and False: counting a million matches costs a second.
    With `budget_ms` (PostgreSQL) the count stops after that long and None says it did not finish."""
    limited = filtered.with_only_columns(Interaction.id).order_by(None).limit(cap + 1).subquery()
    statement = sa.select(sa.func.count()).select_from(limited)
    if budget_ms and db.session.get_bind().dialect.name == "postgresql":
        total = _scalar_within(statement, budget_ms)
        if total is None:
            return None
    else:
        total = db.session.execute(statement).scalar_one()
    return (cap, False) if total > cap else (total, True)


def _scalar_within(statement, budget_ms: int):
    """The statement's value, or None when it runs past `budget_ms` (cancelled by the server).

    Everything under the short timeout happens inside a savepoint, so a cancel at any step (even of
    a trivial statement on a loaded server) rolls back to it, and with it the timeout itself."""
    session = db.session
    try:
        with session.begin_nested():
            previous = session.execute(sa.text("SELECT current_setting('statement_timeout'), "
                                               "set_config('statement_timeout', :budget, true)"),
                                       {"budget": f"{int(budget_ms)}ms"}).first()[0]
            value = session.execute(statement).scalar_one()
            session.execute(sa.text("SELECT set_config('statement_timeout', :previous, true)"),
                            {"previous": previous})
            return value
    except sa.exc.OperationalError as exc:
        if getattr(exc.orig, "pgcode", None) != "57014":  # query_canceled
            raise
        return None


def count_cap_for(params: dict, cap: int, search_cap: int) -> int:
    """How far to count. A search word is a trigram match that PostgreSQL must recheck row by row
    in the heap (~20 µs a row), so searches count to `search_cap` (or just past the page asked for),
    while filters count from an index alone and keep the full `cap`."""
    if not search_words(params.get("search")):
        return cap
    return min(cap, max(search_cap, params["page"] * params["page_size"]))


def _page_rows(site_id: int, params: dict, candidates: list[int] | None = None) -> list:
    """The page in two steps: the ids of the page (sorted, offset) from the narrowest plan the filters
    allow, often an index-only scan, then the full rows of just those ids. Deep pages then skip over
    index entries instead of wide rows of descriptions and notes."""
    page, page_size = params["page"], params["page_size"]
    ids = (apply_sort(apply_filters(sa.select(Interaction.id).where(Interaction.site_id == site_id), params,
                                    candidates),
                      params["sort"])
           .limit(page_size).offset((page - 1) * page_size).subquery("page_ids"))
    query = _rows(site_id).join(ids, ids.c.id == Interaction.id)
    return db.session.execute(apply_sort(query, params["sort"])).all()


MIN_COUNT_BUDGET_MS = 20


def find(site_id: int, params: dict, cap: int, search_cap: int | None = None,
         count_budget_ms: int | None = None) -> dict:
    """A Finder page. A search's page and count share `count_budget_ms`: a search word that is rare,
    or too short for the trigram index, makes PostgreSQL recheck many rows, and the page itself is
    already in hand; past the budget the total is a lower bound (`total_exact` false) that still
    offers the next page."""
    page, page_size = params["page"], params["page_size"]
    started = time.perf_counter()
    candidates = narrow_candidates(site_id, params)
    rows = _page_rows(site_id, params, candidates)
    offset = (page - 1) * page_size
    if 0 < len(rows) < page_size or (page == 1 and not rows):
        total, exact = offset + len(rows), True  # the last page is in hand: no count needed
    else:
        cap = count_cap_for(params, cap, cap if search_cap is None else search_cap)
        budget = None
        if count_budget_ms and search_words(params.get("search")):
            # a page that took long to find means a count that would take as long: spend what is left
            budget = count_budget_ms - (time.perf_counter() - started) * 1000
        counted = None if budget is not None and budget < MIN_COUNT_BUDGET_MS else count_capped(
            apply_filters(in_site(site_id), params, candidates), cap, budget)
        total, exact = counted if counted is not None else (offset + len(rows) + 1, False)
    return {
        "items": [to_dict(r) for r in rows], "page": page, "page_size": page_size,
        "total": total, "pages": math.ceil(total / page_size) if total else 0, "total_exact": exact,
    }


def matching(site_id: int, params: dict) -> sa.Select:
    """Every row of the site that matches the Finder query, in its sort order (what an export writes)."""
    return apply_sort(apply_filters(_rows(site_id), params), params["sort"])

