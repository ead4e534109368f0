"""An interaction: one meeting, call, visit … recorded in one site."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow
from .fields import FIELDS, INTERACTION_TYPES, Field
from .search_keys import ALL_GRAMS, derived_columns, search_text_of

__all__ = ["INTERACTION_TYPES", "Interaction", "derived_columns", "search_text_of"]


def field_column(field: Field) -> sa.Column:
    """A field's column: its kind's type and length, NOT NULL, an optional field's default on both sides."""
    column_type = sa.DateTime(timezone=True) if field.kind == "datetime" else sa.String(field.max_length)
    default = field.stored_default
    if default is None:
        return sa.Column(field.name, column_type, nullable=False)
    return sa.Column(field.name, column_type, nullable=False, default=default, server_default=default)


def key_column(field: Field) -> sa.Column:
    # compared by code point whatever the database's default collation (see search_keys)
    size = field.key_bytes
    return sa.Column(field.key_column, sa.String(size).with_variant(sa.String(size, collation="C"), "postgresql"),
                     nullable=False, default="", server_default="")


def field_columns(fields: Iterable[Field]) -> list[sa.Column]:
    """A column per field, in its order, then a key column per keyed text field."""
    return [*(field_column(field) for field in fields), *(key_column(field) for field in fields if field.key_bytes)]


def choice_checks(fields: Iterable[Field], table: str) -> list[sa.CheckConstraint]:
    """The database refuses a value that is not one of a choice field's choices."""
    return [sa.CheckConstraint(f"{field.name} IN (" + ", ".join(f"'{choice}'" for choice in field.choices) + ")",
                               name=f"ck_{table}_{field.name}") for field in fields if field.kind == "choice"]


class Interaction(db.Model):
    __tablename__ = "interactions"
    __table_args__ = (
        sa.CheckConstraint("end_datetime >= start_datetime", name="ck_interactions_end_after_start"),
        *choice_checks(FIELDS, "interactions"),
        sa.CheckConstraint("version >= 1", name="ck_interactions_version"),
    )

    id: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="RESTRICT"))
    # one column per entry of fields.FIELDS, in its order (see the loop below the class)
    search_text: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    search_grams: Mapped[bytes] = mapped_column(sa.LargeBinary, default=ALL_GRAMS)  # see search_keys
    # a folded sort key `<field>_key` per keyed text field (see the loop below the class)
    # the digest of the fields the columns above were computed from; NULL: stale (see search_keys)
    keys_digest: Mapped[str | None] = mapped_column(sa.String(32))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(sa.Integer, default=1, server_default="1")

    # An ORM UPDATE carries `WHERE version = <loaded>`: a concurrent write makes it match
    # nothing and SQLAlchemy raises StaleDataError instead of overwriting silently. The API's
    # update is a statement with the same condition and the site's (service.update).
    __mapper_args__ = {"version_id_col": version}


def _declare_field_columns() -> None:
    """A column per field and a key column per keyed text field, from the one field list (SQLAlchemy
    maps columns assigned to a declarative class after its body like those declared in it)."""
    for column in field_columns(FIELDS):
        setattr(Interaction, column.name, column)


_declare_field_columns()


@sa.event.listens_for(Interaction, "before_insert")
@sa.event.listens_for(Interaction, "before_update")
def _derive(_mapper, _connection, interaction: Interaction) -> None:
    """Search text, gram bitmap, sort keys and their digest follow the fields on every ORM write, so
    no caller computes them. Python, not a generated column: the folding (search_keys.fold) is Unicode
    normalisation that neither PostgreSQL nor SQLite can express the same way in SQL; rows written
    by code that does not compute them are marked stale by the database and computed again when the
    Finder reads their site (freshness)."""
    values = {field.name: getattr(interaction, field.name) for field in FIELDS}
    for name, value in derived_columns(values).items():
        setattr(interaction, name, value)


def local_start(tz: str):
    """The start as a wall-clock time in the IANA zone `tz` (a validated name, sent as a parameter):
    what the Finder's weekday and hour filters and the insights' buckets read (PostgreSQL)."""
    return sa.func.timezone(tz, Interaction.start_datetime)
