"""A requested change of a person's e-mail address, waiting for the link mailed to the new address."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow


class EmailChange(db.Model):
    """Single-use and expiring; only a SHA-256 of the mailed token is kept. A new request cancels the
    pending one."""

    __tablename__ = "email_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    new_email: Mapped[str] = mapped_column(sa.String(254))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    confirmed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    @staticmethod
    def pending() -> sa.ColumnElement[bool]:
        """Neither confirmed nor cancelled, and not expired: the link still works."""
        return sa.and_(EmailChange.confirmed_at.is_(None), EmailChange.cancelled_at.is_(None),
                       EmailChange.expires_at > utcnow())
