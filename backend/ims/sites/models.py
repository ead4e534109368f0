"""Sites and who belongs to them, with which role."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow

ROLES = ("viewer", "editor", "admin")
WRITER_ROLES = frozenset({"editor", "admin"})


class Site(db.Model):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # Bumped in the same transaction as every interaction write in the site: the Finder cache
    # keys on it, so a write makes all of the site's cached pages stale at once, even when
    # the cache itself was unreachable during the write.
    data_version: Mapped[int] = mapped_column(sa.BigInteger, default=1, server_default="1")
    # Pre-fills the time zone of new interactions; None: the browser's zone.
    default_timezone: Mapped[str | None] = mapped_column(sa.String(64))


class SiteMembership(db.Model):
    __tablename__ = "site_memberships"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "site_id", name="uq_site_memberships_user_site"),
        sa.CheckConstraint("role IN ('viewer', 'editor', 'admin')", name="ck_site_memberships_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(sa.String(10))

    site: Mapped[Site] = relationship(lazy="joined")


class Invitation(db.Model):
    """A single-use, expiring invitation to join a site. Only a hash of the e-mailed token is kept."""

    __tablename__ = "invitations"
    __table_args__ = (
        sa.CheckConstraint("role IN ('viewer', 'editor', 'admin')", name="ck_invitations_role"),
        sa.Index("ix_invitations_site_email", "site_id", "email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(sa.String(254))
    role: Mapped[str] = mapped_column(sa.String(10))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    invited_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    accepted_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    site: Mapped[Site] = relationship(lazy="joined")
