"""A bulk action's own rows: the job (what was asked, its progress and outcome) and one item per record it
reached (changed, left alone as a conflict, or failed), which the report lists and an Undo restores."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow

ACTIONS = ("change", "delete", "undo")
STATUSES = ("running", "done", "failed")
OUTCOMES = ("changed", "unchanged", "conflict", "failed")
JSON = sa.JSON().with_variant(JSONB, "postgresql")


class BulkJob(db.Model):
    """One bulk action in one site. `targets` lists the records it was asked to reach, as `[id, version]`
    (the version the client saw for a selected row; null for "all matching", which compares `updated_at`
    with `as_of` instead); the counters grow a batch at a time, in the order of `targets`, and the
    heartbeat with them, so a job silent for long has stopped and its first `processed` targets are done."""

    __tablename__ = "bulk_jobs"
    __table_args__ = (
        sa.CheckConstraint("action IN ('change', 'delete', 'undo')", name="ck_bulk_jobs_action"),
        sa.CheckConstraint("status IN ('running', 'done', 'failed')", name="ck_bulk_jobs_status"),
        sa.Index("ix_bulk_jobs_site_created", "site_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(sa.String(10))
    status: Mapped[str] = mapped_column(sa.String(10), default="running")
    changes: Mapped[dict] = mapped_column(JSON)  # {"type": "Call"}; {} for a delete or an undo
    criteria: Mapped[dict] = mapped_column(JSON)  # what selected the records, as the site's audit event says
    targets: Mapped[list] = mapped_column(JSON)
    as_of: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # "all matching": the Finder's query parameters as sent, read again when the job resumes
    query_params: Mapped[dict | None] = mapped_column(JSON)
    undo_of: Mapped[int | None] = mapped_column(sa.ForeignKey("bulk_jobs.id", ondelete="SET NULL"))
    undone_by: Mapped[int | None] = mapped_column(sa.ForeignKey("bulk_jobs.id", ondelete="SET NULL"))
    total: Mapped[int] = mapped_column(default=0)
    processed: Mapped[int] = mapped_column(default=0)
    changed: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    conflicts: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    heartbeat_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))  # its runner's last sign


class BulkItem(db.Model):
    """What a job did to one record."""

    __tablename__ = "bulk_items"
    __table_args__ = (
        sa.CheckConstraint("outcome IN ('changed', 'unchanged', 'conflict', 'failed')", name="ck_bulk_items_outcome"),
    )

    job_id: Mapped[int] = mapped_column(sa.ForeignKey("bulk_jobs.id", ondelete="CASCADE"), primary_key=True)
    interaction_id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    outcome: Mapped[str] = mapped_column(sa.String(10))
