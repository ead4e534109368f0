"""The export's columns, in file order: each says its header, the row value it reads and how a cell is written,
once for the Python writer and once as the SQL expression PostgreSQL's COPY writes."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

import sqlalchemy as sa

from ...csvfile import FORMULA_PREFIXES, neutralise
from ...timeutil import iso_z
from ..fields import FIELDS, Field

@dataclass(frozen=True)
class Kind:
    """How one kind of value becomes a cell: `python` on a row's value, `sql` on its column expression."""

    name: str
    python: Callable[[Any], Any]
    sql: Callable[[Any], Any]


def _sql_text(expr):
    neutralised = sa.case((sa.func.left(expr, 1).in_(FORMULA_PREFIXES), sa.literal("'") + expr), else_=expr)
    return sa.func.nullif(neutralised, "")  # NULL is written unquoted, like the empty cell of Python's csv


def _sql_time(expr):
    # ISO 8601 in UTC with a Z, microseconds only when there are some: what timeutil.iso_z writes
    utc = sa.func.timezone("UTC", expr)
    fraction = sa.case((sa.func.date_trunc("second", utc) == utc, sa.literal("")),
                       else_=sa.literal(".") + sa.func.to_char(utc, "US"))
    return sa.func.to_char(utc, 'YYYY-MM-DD"T"HH24:MI:SS') + fraction + sa.literal("Z")


INT = Kind("int", python=lambda value: value, sql=lambda expr: expr)
TEXT = Kind("text", python=lambda value: neutralise(value or ""), sql=_sql_text)
TIME = Kind("time", python=iso_z, sql=_sql_time)


@dataclass(frozen=True)
class Column:
    header: str
    key: str  # the row's attribute, as `queries.matching` selects it
    kind: Kind

    def python_cell(self, row):
        return self.kind.python(getattr(row, self.key))

    def sql_cell(self, select: sa.Select):
        return self.kind.sql(select.selected_columns[self.key])


def _interaction(name: str, kind: Kind) -> Column:
    return Column(name, name, kind)


def _field(field: Field) -> Column:
    return _interaction(field.name, TIME if field.kind == "datetime" else TEXT)


def _user_name(header: str) -> Column:
    # who created or last changed the record, by display name; empty once that user is gone
    return Column(header, f"{header}_name", TEXT)


def export_columns(fields: Iterable[Field]) -> tuple[Column, ...]:
    """The file's columns: the id, every field of the list in its order, then who and when."""
    return (
        _interaction("id", INT),
        *(_field(field) for field in fields),
        _user_name("created_by"), _interaction("created_at", TIME),
        _user_name("updated_by"), _interaction("updated_at", TIME),
        _interaction("version", INT),
    )


EXPORT_COLUMNS = export_columns(FIELDS)
COLUMNS = tuple(column.header for column in EXPORT_COLUMNS)
