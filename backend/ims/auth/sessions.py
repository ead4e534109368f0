"""Ending sessions, kept in PostgreSQL: one token (a sign-out, `revoke`: a `revoked_tokens` row) or
every session of a user at once (tokens issued before `users.sessions_valid_after` are refused).

A password change and a deactivation set `sessions_valid_after` by themselves (the listeners below),
whichever code path makes them; "sign out everywhere" sets it on request. Both reach the principal
(`principal.load_rows`), whose cached copy in Redis is tombstoned after the commit.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm.base import NEVER_SET, NO_VALUE

from .. import audit
from ..extensions import db
from ..timeutil import utcnow
from ..unit_of_work import transaction
from . import principal_cache, tokens
from .models import RevokedToken, User


def token_digest(token: tokens.VerifiedToken) -> str:
    """How `revoked_tokens` names a token: hex of fixed length whatever the issuer put in `jti`."""
    return hashlib.sha256(token.token_id.encode()).hexdigest()


def revoke(token: tokens.VerifiedToken, user_id: int, auth0_sub: str | None) -> None:
    """In the caller's transaction: refuse `token` from now on, until no check could accept it anyway
    (its expiry plus the leeway, and a second); the user's cached principal is tombstoned after the
    commit. Signing out the same token twice at once records it once."""
    table = RevokedToken.__table__
    # Rows past their expiry refuse nothing more: each sign-out clears its user's.
    db.session.execute(sa.delete(table).where(table.c.user_id == user_id, table.c.expires_at <= utcnow()))
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    expires_at = datetime.fromtimestamp(token.expires_at + tokens.LEEWAY_SECONDS + 1, timezone.utc)
    db.session.execute(dialect.insert(table).values(token_digest=token_digest(token), user_id=user_id,
                                                    expires_at=expires_at).on_conflict_do_nothing())
    principal_cache.forget(db.session, user_id, auth0_sub)


def mark_sessions_ended(user: User) -> None:
    """In the caller's transaction: every token issued until now stops working."""
    user.sessions_valid_after = utcnow()


@transaction
def end_all_sessions(user: User) -> None:
    """Sign the user out everywhere (every device, every token) and audit it; one unit of work."""
    mark_sessions_ended(user)
    audit.record("sessions_ended", user_id=user.id)


@event.listens_for(User.password_hash, "set", active_history=True)  # old value even when expired
def _password_changed(user: User, value, old, _initiator):
    if old is not value and old not in (None, NO_VALUE, NEVER_SET):
        mark_sessions_ended(user)


@event.listens_for(User.is_active, "set", active_history=True)
def _deactivated(user: User, value, old, _initiator):
    if value is False and old is not False:
        mark_sessions_ended(user)
