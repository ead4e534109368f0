"""Every interaction query starts here, scoped to one site: Finder filters, sort, paging, count and export."""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace
from typing import Mapping, NamedTuple

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import aliased

from ..auth.models import User
from ..extensions import db
from ..timeutil import TimeBound, iso_z  # noqa: F401 - TimeBound: a range filter's value
from .fields import CLOCK_KINDS, DATETIME_FIELDS, EDITABLE_FIELDS, FIELDS, FILTERS, OPTIONAL_FIELDS
from . import freshness
from .filters import contains, filter_clauses, sort_columns
from .models import Interaction
from .search_keys import ALL_GRAMS, GRAM_ALPHABET, GRAM_BITS, fold, gram_bit, grams_int


class SortKey(NamedTuple):
    name: str
    descending: bool


@dataclass(frozen=True)
class FinderQuery:
    """What the Finder asks for, as FinderQuerySchema loads it (an export's has no page). The filters
    are data: the values given, by query parameter (fields.FILTERS says what each one filters)."""
    search: str | None = None
    filter_values: Mapping[str, object] | tuple = ()
    tz: str = "UTC"  # the viewer's IANA zone: what a clock filter (weekday, hour) reads the start in
    sort: tuple[SortKey, ...] = (SortKey("start_datetime", True),)
    page: int = 1
    page_size: int = 25

    def __post_init__(self):
        # kept as sorted (name, value) pairs without the empty ones: equal queries compare and hash equal
        given = self.filter_values.items() if isinstance(self.filter_values, Mapping) else self.filter_values
        object.__setattr__(self, "filter_values", tuple(sorted(
            (name, tuple(value) if isinstance(value, list) else value) for name, value in given
            if value not in (None, "", (), []))))  # hour 0 is a value

    def given(self) -> dict:
        """The filter values given, by query parameter."""
        return dict(self.filter_values)

    def filters(self) -> dict:
        """The given filters and the sort, named as in the API (what an export's audit event records)."""
        given = self.given()
        clock = {"tz": self.tz} if set(CLOCK_KINDS) & given.keys() else {}  # clock filters are named by their kind
        return {**({"search": self.search} if self.search else {}), **given, **clock, "sort": self.sort}


Creator = aliased(User, name="creator")
Updater = aliased(User, name="updater")

SORT_COLUMNS = sort_columns(FIELDS, Interaction)
ROW_COLUMNS = (
    Interaction.id, Interaction.site_id, *(getattr(Interaction, name) for name in EDITABLE_FIELDS),
    Interaction.version, Interaction.created_at, Interaction.updated_at,
    Interaction.created_by, Creator.display_name.label("created_by_name"),
    Interaction.updated_by, Updater.display_name.label("updated_by_name"),
)


def in_site(site_id: int, *columns) -> sa.Select:
    """The base of every interaction query: rows of one site, nothing else (the interaction, or the
    given columns)."""
    return sa.select(*(columns or (Interaction,))).where(Interaction.site_id == site_id)


def _rows(site_id: int) -> sa.Select:
    return (
        in_site(site_id, *ROW_COLUMNS)
        .outerjoin(Creator, Creator.id == Interaction.created_by)
        .outerjoin(Updater, Updater.id == Interaction.updated_by)
    )


def search_words(search: str | None) -> list[str]:
    return [w for w in (search or "").split() if w][:10]


# A query narrowed by one index-only scan to at most this many rows of the site is rechecked on just
# those rows; a broader one is left to the sort order's own index walk, which meets matches soon.
NARROW_CANDIDATES = 5000
SETTLED_CANDIDATES = 20000
FILTER_ONLY_CANDIDATES = 500
MAX_GRAM_BITS = 32  # bits tested per query: enough to narrow, few enough to stay cheap per entry


def gram_bits(words: list[str]) -> list[int]:
    """The bitmap bits every matching row has set: each letter/digit of every search word and each
    adjacent pair (search_keys.grams_int). Exact for one- and two-character words; for longer ones a
    necessary condition that the search text's recheck completes. Pairs first (they are rarer)."""
    bits: set[int] = set()
    for word in words:
        found = grams_int(fold(word))
        bits |= {bit for bit in range(GRAM_BITS) if found >> bit & 1}
    return sorted(bits, key=lambda bit: (bit < len(GRAM_ALPHABET), bit))[:MAX_GRAM_BITS]


def narrow_candidates(site_id: int, query: FinderQuery, settles: bool = False) -> list[int] | None:
    """The ids of the only rows that can match, when one index-only scan names at most
    NARROW_CANDIDATES of them: the page then sorts (and counts) just those, whatever the sort. The
    covering date index carries the gram bitmap and every filtered column (migration 0017), so the
    bits of every search word and every filter (fields.FILTERS) are checked together on each entry:
    two conditions that are each common but rare together (`search=ke&title=ec`) narrow the page.
    With `settles` (every word is short and checked exactly by its bit, see find) the candidates are
    the matches themselves, and up to SETTLED_CANDIDATES of them pay. None when the scan names more
    rows than that; the page then takes the sort order's own index walk, which meets matches soon
    because they are many."""
    if db.session.get_bind().dialect.name != "postgresql":
        return None
    words = search_words(query.search)
    # without a search, a page sorted by date first is read from the covering date/type indexes as it is
    if not words and (not query.filter_values or query.sort[0].name == "start_datetime"):
        return None
    # words of three characters or more alone are the trigram index's: it names their rows directly,
    # where a pass over the site's date index would cost what the site weighs for every such search
    if not query.filter_values and all(gram_bit(fold(word)) is None for word in words):
        return None
    scan = apply_filters(in_site(site_id, Interaction.id), replace(query, search=None))
    for bit in gram_bits(words):
        scan = scan.where(sa.func.get_bit(Interaction.search_grams, bit) == 1)
    # without a search the covering indexes already check every filter index-only: fetching the
    # candidates' rows only pays when they are few (a rare filter under a long-text sort key). Settled
    # candidates are paged without rechecking any row, so many more of them still pay.
    found = _at_most(scan, SETTLED_CANDIDATES if words and settles else NARROW_CANDIDATES if words
                     else FILTER_ONLY_CANDIDATES)
    return None if found is None else sorted(found)


def _at_most(query: sa.Select, limit: int = NARROW_CANDIDATES) -> set[int] | None:
    ids = db.session.execute(query.limit(limit + 1)).scalars().all()
    return None if len(ids) > limit else set(ids)


def apply_filters(select: sa.Select, query: FinderQuery, candidates: list[int] | None = None,
                  by_bitmap: bool = False) -> sa.Select:
    """The query's conditions on `select`. With `by_bitmap` (every row of the site has its gram
    bitmap, see bitmaps_exact), a one- or two-character word is its bitmap bit alone: the covering
    date index carries the bitmap, so such a search is checked index-only instead of row by row."""
    if candidates is not None:
        select = select.where(Interaction.id == sa.func.any(sa.cast(candidates or [0], postgresql.ARRAY(sa.BigInteger))))
    for word in search_words(query.search):
        bit = gram_bit(fold(word)) if by_bitmap else None
        select = select.where(contains(Interaction.search_text, word) if bit is None
                              else sa.func.get_bit(Interaction.search_grams, bit) > 0)
    return select.where(*filter_clauses(FILTERS, query.given(), Interaction, tz=query.tz))


def bitmaps_exact(site_id: int, query: FinderQuery) -> bool:
    """Whether the search's short words may be answered by the gram bitmaps alone: on PostgreSQL,
    when no row of the site holds the "may hold anything" bitmap of a row written without one (a
    probe of the partial index of migration 0017, normally empty)."""
    if db.session.get_bind().dialect.name != "postgresql" or not any(
            gram_bit(fold(word)) is not None for word in search_words(query.search)):
        return False
    unknown = in_site(site_id, sa.literal(1)).where(Interaction.search_grams == sa.cast(ALL_GRAMS, sa.LargeBinary))
    return db.session.execute(unknown.limit(1)).first() is None


def apply_sort(query: sa.Select, sort: tuple[SortKey, ...]) -> sa.Select:
    order = [SORT_COLUMNS[name].desc() if descending else SORT_COLUMNS[name].asc() for name, descending in sort]
    if not any(name == "id" for name, _ in sort):
        # id breaks ties last so pages never overlap or skip rows
        order.append(Interaction.id.desc() if sort[0][1] else Interaction.id.asc())
    return query.order_by(*order)


def _as_is(value):
    return value


def _text_or_empty(value):
    return value or ""


# how each field of a row is answered: times in ISO 8601 UTC, optional text as "" when empty
_SERIALISED = tuple((name, iso_z if name in DATETIME_FIELDS else _text_or_empty if name in OPTIONAL_FIELDS
                     else _as_is) for name in EDITABLE_FIELDS)


def to_dict(row) -> dict:
    return {
        "id": row.id, "site_id": row.site_id, **{name: answer(getattr(row, name)) for name, answer in _SERIALISED},
        "version": row.version, "created_at": iso_z(row.created_at), "updated_at": iso_z(row.updated_at),
        "created_by": {"id": row.created_by, "display_name": row.created_by_name} if row.created_by else None,
        "updated_by": {"id": row.updated_by, "display_name": row.updated_by_name} if row.updated_by else None,
    }


NO_INTERACTION = "No such interaction in this site."  # what a lookup of one says when it finds none


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


def count_cap_for(query: FinderQuery, cap: int, search_cap: int) -> int:
    """How far to count. A search word is a trigram match that PostgreSQL must recheck row by row
    in the heap (~20 µs a row), so searches count to `search_cap` (or just past the page asked for),
    while filters count from an index alone and keep the full `cap`."""
    if not search_words(query.search):
        return cap
    return min(cap, max(search_cap, query.page * query.page_size))


def _page_rows(site_id: int, query: FinderQuery, candidates: list[int] | None = None,
               by_bitmap: bool = False) -> list:
    """The page in two steps: the ids of the page (sorted, offset) from the narrowest plan the filters
    allow, often an index-only scan, then the full rows of just those ids. Deep pages then skip over
    index entries instead of wide rows of descriptions and notes. One row more than the page, when
    there is one, says that the page is not the last without counting."""
    ids = (apply_sort(apply_filters(in_site(site_id, Interaction.id), query, candidates, by_bitmap), query.sort)
           .limit(query.page_size + 1).offset((query.page - 1) * query.page_size).subquery("page_ids"))
    rows = _rows(site_id).join(ids, ids.c.id == Interaction.id)
    return db.session.execute(apply_sort(rows, query.sort)).all()


MIN_COUNT_BUDGET_MS = 20


# The connection's own timeout (DB_STATEMENT_TIMEOUT_MS) stays when it is the shorter one.
_SHORTER_TIMEOUT = sa.text(
    "SELECT set_config('statement_timeout', CASE WHEN current_setting('statement_timeout') <> '0' AND "
    "current_setting('statement_timeout')::interval < make_interval(secs => :ms / 1000.0) "
    "THEN current_setting('statement_timeout') ELSE :ms || 'ms' END, true)")


def _statement_timeout(ms: int | None) -> None:
    """Each statement of this transaction is cancelled past `ms`, or past the connection's own timeout
    when that is shorter (PostgreSQL): the request then answers 503 with Retry-After (errors.py)
    instead of holding a connection."""
    if ms and db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(_SHORTER_TIMEOUT, {"ms": int(ms)})


def find(site_id: int, query: FinderQuery, cap: int, search_cap: int | None = None,
         count_budget_ms: int | None = None, statement_timeout_ms: int | None = None) -> dict:
    """A Finder page. A search's page and count share `count_budget_ms`: a search word that is rare,
    or too short for the trigram index, makes PostgreSQL recheck many rows, and the page itself is
    already in hand; past the budget the total is a lower bound (`total_exact` false) that still
    offers the next page. `statement_timeout_ms` is the last guard of every statement."""
    page, page_size = query.page, query.page_size
    _statement_timeout(statement_timeout_ms)
    if freshness.refresh_site(site_id):  # rows the previous release wrote, before anything reads their keys
        _statement_timeout(statement_timeout_ms)  # it committed: the guard ended with its transaction
    started = time.perf_counter()
    by_bitmap = bitmaps_exact(site_id, query)
    # the candidates are the matches themselves when their scan checks every condition exactly: each
    # filter, and each word by its bitmap bit (short words, in a site whose bitmaps are all known;
    # at most 10 words of 3 bits each, within MAX_GRAM_BITS)
    settles = all(by_bitmap and gram_bit(fold(word)) is not None for word in search_words(query.search))
    candidates = narrow_candidates(site_id, query, settles)
    settled = candidates is not None and settles
    rows = _page_rows(site_id, replace(query, search=None, filter_values=()) if settled else query, candidates,
                      by_bitmap)
    more, rows = len(rows) > page_size, rows[:page_size]
    offset = (page - 1) * page_size
    cap = count_cap_for(query, cap, cap if search_cap is None else search_cap)
    if settled:  # counted already; past the cap it says no more than a count would (searches page within it)
        total, exact = (len(candidates), True) if len(candidates) <= cap else (max(cap, offset + len(rows)), False)
    elif not more and (rows or page == 1):
        total, exact = offset + len(rows), True  # the last page is in hand: no count needed
    elif more and offset + page_size >= cap:
        # the page reaches the count's cap and rows follow: counting could only say "cap or more"
        total, exact = offset + page_size, False
    else:
        budget = None
        if count_budget_ms and search_words(query.search):
            # a page that took long to find means a count that would take as long: spend what is left
            budget = count_budget_ms - (time.perf_counter() - started) * 1000
        counted = None if budget is not None and budget < MIN_COUNT_BUDGET_MS else count_capped(
            apply_filters(in_site(site_id), query, candidates, by_bitmap), cap, budget)
        total, exact = counted if counted is not None else (offset + len(rows) + int(more), False)
    return {
        "items": [to_dict(r) for r in rows], "page": page, "page_size": page_size,
        "total": total, "pages": math.ceil(total / page_size) if total else 0, "total_exact": exact,
    }


def matching(site_id: int, query: FinderQuery) -> sa.Select:
    """Every row of the site that matches the Finder query, in its sort order (what an export writes)."""
    freshness.refresh_site(site_id)
    return apply_sort(apply_filters(_rows(site_id), query), query.sort)

