"""An import of a file into a site, and what became of each of its rows."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow

STATUSES = ("mapping", "running", "done", "failed", "undone")
DUPLICATE_CHOICES = ("skip", "import")
OUTCOMES = ("imported", "skipped", "failed")
JSON = sa.JSON().with_variant(JSONB, "postgresql")


class Import(db.Model):
    """The file (read again by the preview, a re-run and the failed rows; cleared 7 days after the import
    finished, `service.forget_files`), the choices made on it (mapping, time zone, date orders,
    duplicates), their version and the run's progress and outcome."""

    __tablename__ = "imports"
    __table_args__ = (
        sa.CheckConstraint("status IN (" + ", ".join(f"'{s}'" for s in STATUSES) + ")", name="ck_imports_status"),
        sa.CheckConstraint("duplicates IN ('skip', 'import')", name="ck_imports_duplicates"),
        sa.Index("ix_imports_site_created", "site_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    heartbeat_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    filename: Mapped[str] = mapped_column(sa.String(255))
    status: Mapped[str] = mapped_column(sa.String(10), default="mapping")
    format: Mapped[str] = mapped_column(sa.String(10))
    encoding: Mapped[str | None] = mapped_column(sa.String(40))
    delimiter: Mapped[str | None] = mapped_column(sa.String(1))
    sheets: Mapped[list] = mapped_column(JSON, default=list)
    sheet: Mapped[str | None] = mapped_column(sa.String(100))
    content: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    columns: Mapped[list] = mapped_column(JSON, default=list)  # header, samples, detected date order
    problems: Mapped[list] = mapped_column(JSON, default=list)  # what keeps it from running
    mapping: Mapped[dict] = mapped_column(JSON, default=dict)  # column index (str) → field name
    date_orders: Mapped[dict] = mapped_column(JSON, default=dict)  # column index (str) → chosen order
    timezone: Mapped[str] = mapped_column(sa.String(64))
    duplicates: Mapped[str] = mapped_column(sa.String(10), default="skip")
    counts: Mapped[dict] = mapped_column(JSON, default=dict)
    progress_done: Mapped[int] = mapped_column(sa.Integer, default=0)
    progress_total: Mapped[int] = mapped_column(sa.Integer, default=0)
    error: Mapped[str | None] = mapped_column(sa.String(500))
    # raised by every accepted change of the choices: a change built on an older version is refused
    version: Mapped[int] = mapped_column(sa.Integer, default=1, server_default="1")


class ImportRow(db.Model):
    """A row of the file once the run has decided it: imported (with the record it became), skipped (a
    duplicate) or failed (invalid, with the reason). A re-run passes over rows already here."""

    __tablename__ = "import_rows"
    __table_args__ = (
        sa.CheckConstraint("outcome IN ('imported', 'skipped', 'failed')", name="ck_import_rows_outcome"),
    )

    import_id: Mapped[int] = mapped_column(sa.ForeignKey("imports.id", ondelete="CASCADE"), primary_key=True)
    row: Mapped[int] = mapped_column(sa.Integer, primary_key=True)  # as a spreadsheet numbers it (header: 1)
    outcome: Mapped[str] = mapped_column(sa.String(10))
    interaction_id: Mapped[int | None] = mapped_column(sa.BigInteger, index=True)
    reason: Mapped[str | None] = mapped_column(sa.Text)
