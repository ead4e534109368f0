"""The audit trail: who did what, when, in which site. Written in the caller's transaction."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import has_request_context, request
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db
from .timeutil import utcnow

ACTIONS = (
    # records
    "create", "update", "delete", "restore", "undelete", "purge", "export",
    # sign-in and accounts
    "login", "login_failed", "locked", "logout", "password_reset", "password_change", "account_update",
    "sessions_ended", "reset_requested",
    # site administration
    "invite", "invite_revoke", "invite_accept", "member_add", "role_change", "member_remove", "unlock",
    "reset_link", "deactivate", "reactivate", "site_update",
    # e-mail change, confirmed from the new mailbox
    "email_change_request", "email_changed",
    # views of the Finder shared with the site
    "view_create", "view_update", "view_delete",
    # spreadsheet imports: one event per import and per undo, with the counts
    "import", "import_undo",
    # bulk actions from the Finder: one event for the whole action (each record has its own, marked `batch`)
    "bulk_change", "bulk_delete", "bulk_undo",
)


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    __table_args__ = (
        sa.CheckConstraint(
            "action IN (" + ", ".join(f"'{a}'" for a in ACTIONS) + ")", name="ck_audit_events_action"
        ),
        # a record's trail newest first, a page at a time (its history)
        sa.Index("ix_audit_events_entity", "entity_type", "entity_id", "id"),
        # the site's audit log, newest first
        sa.Index("ix_audit_events_site_occurred", "site_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sites.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(sa.String(20))
    entity_type: Mapped[str | None] = mapped_column(sa.String(30))
    entity_id: Mapped[int | None] = mapped_column(sa.BigInteger)
    changes: Mapped[dict | None] = mapped_column(sa.JSON().with_variant(JSONB, "postgresql"))
    client_ip: Mapped[str | None] = mapped_column(sa.String(64))


def record(action: str, *, user_id=None, site_id=None, entity_type=None, entity_id=None, changes=None) -> None:
    """Add an audit event to the current session; the caller's unit of work commits it."""
    db.session.add(AuditEvent(
        action=action, user_id=user_id, site_id=site_id, entity_type=entity_type,
        entity_id=entity_id, changes=changes,
        client_ip=request.remote_addr if has_request_context() else None,
    ))
