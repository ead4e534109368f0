"""People who use the system; a user is local (password) or Auth0-provisioned (auth0_sub)."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..sites.models import SiteMembership


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, so the unique constraint makes usernames case-insensitive.
    username: Mapped[str] = mapped_column(sa.String(150), unique=True)
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    display_name: Mapped[str] = mapped_column(sa.String(150))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    auth0_sub: Mapped[str | None] = mapped_column(sa.String(255), unique=True)
    is_active: Mapped[bool] = mapped_column(sa.Boolean, default=True, server_default=sa.true())
    # users.failed_login_count and users.locked_until stay in the table, unmapped, for the previous
    # release (lockout lives in auth/lockout.py); a later release drops them (docs/DEPLOYMENT.md,
    # "Expand and contract").
    last_login_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Tokens issued before this instant are refused: set by a password change, deactivation and
    # "sign out everywhere" (see ims.auth.sessions).
    sessions_valid_after: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    default_site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sites.id", ondelete="SET NULL"))

    memberships: Mapped[list[SiteMembership]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by=SiteMembership.site_id
    )

    @staticmethod
    def email_is(email: str) -> sa.ColumnElement[bool]:
        """The account's e-mail is `email`, ignoring case (as every lookup by e-mail compares)."""
        return sa.func.lower(User.email) == email.strip().lower()

    @staticmethod
    def has_account(email: str) -> bool:
        """An active account uses this address: an invitation to it is that account's to accept."""
        found = db.session.execute(sa.select(User.id).where(User.email_is(email), User.is_active.is_(True)))
        return found.first() is not None

class RevokedToken(db.Model):
    """A signed-out token, refused until no check could accept it any more (`expires_at`: its expiry
    plus the clock-skew leeway). The truth of a sign-out: Redis only caches it, with the principal.
    The token is named by a SHA-256 of its id (`sessions.token_digest`): fixed length, hex only."""

    __tablename__ = "revoked_tokens"

    token_digest: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))

    __table_args__ = (sa.Index("ix_revoked_tokens_user_expires", "user_id", "expires_at"),)
