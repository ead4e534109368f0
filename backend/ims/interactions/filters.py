"""The Finder's filters and sort keys as SQL, derived from a field list (fields.filters_of): a filter is
data — a query parameter naming a field and how it filters — so a new one is a field entry, not code.

Each function takes the columns to read (the Interaction model, or any table built from a field list by
models.field_columns), so the same code filters any list's table."""
from __future__ import annotations

from typing import Iterable, Mapping

import sqlalchemy as sa

from ..errors import ServiceUnavailable
from ..extensions import db
from .fields import CLOCK_KINDS, EXACT, Field, Filter, sortable_of
from .search_keys import fold, key_within

TRIGRAM = 3  # the shortest pattern a trigram index can serve


def like_pattern(text: str) -> str:
    escaped = fold(text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def contains(column, text: str):
    """Substring test on folded text: a LIKE the trigram index serves, or for patterns too short for
    it a plain strpos, which keeps the planner from scanning a whole trigram index."""
    folded = fold(text)
    if len(folded) < TRIGRAM and db.session.get_bind().dialect.name == "postgresql":
        return sa.func.strpos(column, folded) > 0
    return column.like(like_pattern(text), escape="\\")


def exact_key(found: Filter, value: str) -> str:
    """The key an exact filter's value is compared with: folded and cut as the column's keys are, so it
    finds the rows an insights bar groups under that key."""
    return key_within(value, found.field.key_bytes, found.field.key_chars)


def _clause(found: Filter, value, columns, tz: str):
    field = found.field
    if found.kind == "substring":
        return contains(getattr(columns, field.key_column), value)
    if found.kind == EXACT:  # one probe of the (site_id, <name>_key) index, or a check inside the covering ones
        return getattr(columns, field.key_column) == exact_key(found, value)
    column = getattr(columns, field.name)
    if found.kind in CLOCK_KINDS:  # the wall-clock time in `tz`, a validated zone name: PostgreSQL's
        if db.session.get_bind().dialect.name != "postgresql":
            raise ServiceUnavailable("Filtering by weekday or hour needs PostgreSQL; the embedded SQLite database "
                                     "cannot read times in a zone.", details={"database": "sqlite"})
        return sa.extract("isodow" if found.kind == "weekday" else "hour", sa.func.timezone(tz, column)) == value
    if found.kind == "any_of":
        return column.in_(sorted(set(value)))
    if found.bound == "from":
        return column >= value.moment
    return column < value.moment if value.exclusive else column <= value.moment


def filter_clauses(filters: Mapping[str, Filter], values: Mapping[str, object], columns, tz: str = "UTC") -> list:
    """The WHERE clauses of the filter values given (by query parameter) on `columns`; `tz` is the zone
    a clock filter reads the time in."""
    return [_clause(found, values[name], columns, tz) for name, found in filters.items()
            if values.get(name) not in (None, "", (), [])]


def sort_column(field: Field, columns):
    """What a field sorts by: a keyed text by its folded key (case- and accent-insensitive, by code point on
    every database; see search_keys), a rank-sorted choice by its place in the choice list."""
    if field.sort == "rank":
        return sa.case({choice: rank for rank, choice in enumerate(field.choices)},
                       value=getattr(columns, field.name), else_=len(field.choices))
    return getattr(columns, field.key_column or field.name)


def sort_columns(fields: Iterable[Field], columns) -> dict:
    """Allow-list from API sort keys to column expressions: user strings never reach SQL."""
    fields = tuple(fields)
    by_name = {field.name: field for field in fields}
    return {name: sort_column(by_name[name], columns) if name in by_name else getattr(columns, name)
            for name in sortable_of(fields)}
