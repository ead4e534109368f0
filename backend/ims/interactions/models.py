"""An interaction: one meeting, call, visit … recorded in one site."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow
from .textkeys import ALL_GRAMS, KEYED_COLUMNS, fold, grams_bytes, grams_int, keys_of

INTERACTION_TYPES = ("Meeting", "Call", "Email", "Visit", "Conference", "Training", "Webinar", "Other")
SEARCHED_FIELDS = ("title", "type", "lead", "location", "description", "notes")


def search_text_of(values: dict) -> str:
    """The folded (case- and accent-free) text the global search matches against (one column, one
    trigram index); see textkeys.fold."""
    return fold("\n".join((values.get(name) or "") for name in SEARCHED_FIELDS))


def derived_columns(values: dict) -> dict:
    """The columns computed from an interaction's fields: search text, its gram bitmap and the folded
    sort keys."""
    text = search_text_of(values)
    return {"search_text": text, "search_grams": grams_bytes(grams_int(text)), **keys_of(values)}


def _key_column(max_bytes: int):
    # compared by code point whatever the database's default collation (see textkeys)
    return mapped_column(sa.String(max_bytes).with_variant(sa.String(max_bytes, collation="C"), "postgresql"),
                         default="", server_default="")


class Interaction(db.Model):
    __tablename__ = "interactions"
    __table_args__ = (
        sa.CheckConstraint("end_datetime >= start_datetime", name="ck_interactions_end_after_start"),
        sa.CheckConstraint(
            "type IN (" + ", ".join(f"'{t}'" for t in INTERACTION_TYPES) + ")", name="ck_interactions_type"
        ),
        sa.CheckConstraint("version >= 1", name="ck_interactions_version"),
    )

    id: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(sa.String(200))
    type: Mapped[str] = mapped_column(sa.String(20))
    lead: Mapped[str] = mapped_column(sa.String(100))
    start_datetime: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    end_datetime: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    timezone: Mapped[str] = mapped_column(sa.String(64))
    location: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    description: Mapped[str] = mapped_column(sa.String(5000), default="", server_default="")
    notes: Mapped[str] = mapped_column(sa.String(5000), default="", server_default="")
    search_text: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    search_grams: Mapped[bytes] = mapped_column(sa.LargeBinary, default=ALL_GRAMS)  # see textkeys
    title_key: Mapped[str] = _key_column(KEYED_COLUMNS["title"])
    type_key: Mapped[str] = _key_column(KEYED_COLUMNS["type"])
    lead_key: Mapped[str] = _key_column(KEYED_COLUMNS["lead"])
    timezone_key: Mapped[str] = _key_column(KEYED_COLUMNS["timezone"])
    location_key: Mapped[str] = _key_column(KEYED_COLUMNS["location"])
    description_key: Mapped[str] = _key_column(KEYED_COLUMNS["description"])
    notes_key: Mapped[str] = _key_column(KEYED_COLUMNS["notes"])
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(sa.Integer, default=1, server_default="1")

    # The UPDATE carries `WHERE version = <loaded>`: a concurrent write makes it match
    # nothing and SQLAlchemy raises StaleDataError instead of overwriting silently.
    __mapper_args__ = {"version_id_col": version}
