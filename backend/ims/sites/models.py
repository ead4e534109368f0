"""Sites and who belongs to them, with which role: the tables, and the membership as the
signed-in principal carries it. Every feature reads these; they import no feature."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import audit
from ..extensions import db
from ..timeutil import utcnow

ROLES = ("viewer", "editor", "admin")
WRITER_ROLES = frozenset({"editor", "admin"})


class Site(db.Model):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Not unique: a rename must not tell an admin which names sites they do not belong to carry
    # (see sites.settings), so two sites may share a name.
    name: Mapped[str] = mapped_column(sa.String(100))
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


@dataclass(frozen=True)
class Membership:
    """One site of the signed-in principal and the role held there (cached with the principal)."""

    site_id: int
    site_name: str
    role: str
    default_timezone: str | None = None

    def as_dict(self) -> dict:
        return {"id": self.site_id, "name": self.site_name, "role": self.role,
                "default_timezone": self.default_timezone}


def join(user, site_id: int, role: str) -> None:
    """Make `user` a member of the site with `role` (or change their role there); their first site
    becomes their default. In the caller's unit of work."""
    membership = next((m for m in user.memberships if m.site_id == site_id), None)
    if membership is None:
        user.memberships.append(SiteMembership(site_id=site_id, role=role))
    else:
        membership.role = role
    if user.default_site_id is None:
        user.default_site_id = site_id


class Invitation(db.Model):
    """A single-use, expiring invitation to join a site. Only a hash of the e-mailed token is kept."""

    __tablename__ = "invitations"
    __table_args__ = (
        sa.CheckConstraint("role IN ('viewer', 'editor', 'admin')", name="ck_invitations_role"),
        sa.Index("ix_invitations_site_email", "site_id", "email"),
        # the invitation rate limits count a site's and an admin's recent invitations
        sa.Index("ix_invitations_site_created", "site_id", "created_at"),
        sa.Index("ix_invitations_invited_by_created", "invited_by", "created_at"),
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

    @staticmethod
    def pending() -> sa.ColumnElement[bool]:
        """Neither accepted nor revoked, and not expired: the link still works."""
        return sa.and_(Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None),
                       Invitation.expires_at > utcnow())

    @staticmethod
    def lock_pending(*where) -> sa.Select:
        """The pending invitations matching `where`, locked until the unit of work ends. Accepting and
        revoking take this lock first, so of two that race the second waits, then finds the invitation
        no longer pending: one link makes one account, and a revoked link accepts nothing."""
        return (sa.select(Invitation).where(*where, Invitation.pending()).with_for_update(of=Invitation)
                .execution_options(populate_existing=True))

    def accept(self, user) -> None:
        """`user` takes the invitation (locked by `lock_pending`): joins the site with its role, unless
        already a member, whose role then stays as it is; the link stops working."""
        member = any(m.site_id == self.site_id for m in user.memberships)
        if not member:
            join(user, self.site_id, self.role)
        self.accepted_at = utcnow()
        self.accepted_by = user.id
        audit.record("invite_accept", user_id=user.id, site_id=self.site_id, entity_type="invitation",
                     entity_id=self.id, changes={"email": self.email, "role": self.role,
                                                 **({"already_member": True} if member else {})})
