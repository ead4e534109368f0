"""Who is calling: the bearer token checked, the user and their memberships loaded — from the
principal cache when it holds them (no database round trip), else in one query.

Whether the token was signed out is answered by the same rows: they carry the user's
`sessions_valid_after` and the ids of their signed-out tokens (`revoked_tokens`), both kept in
PostgreSQL. A cache that is down, flushed, restarted or evicted only means the rows are read
again from the database, never that a signed-out token is let back in."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime
from typing import Sequence

import sqlalchemy as sa
from flask import g, request

from .. import cache_sync, db_outage
from ..errors import Forbidden, Unauthorized
from ..extensions import db
from ..sites.models import Membership, Site, SiteMembership
from ..timeutil import as_utc, utcnow
from . import invited, principal_cache, tokens
from .models import RevokedToken, User
from .sessions import token_digest


@dataclass
class Principal:
    user_id: int
    username: str
    email: str
    display_name: str
    default_site_id: int | None
    memberships: dict[int, Membership] = field(default_factory=dict)
    token: tokens.VerifiedToken | None = None
    user: dict = field(default_factory=dict)  # every column of the user's row but the password hash
    revoked_tokens: frozenset[str] = frozenset()  # digests of the user's signed-out, unexpired tokens

    @property
    def sessions_valid_after(self) -> datetime | None:
        return self.user.get("sessions_valid_after")

    def session_ended(self, token: tokens.VerifiedToken) -> bool:
        valid_after = self.sessions_valid_after
        return valid_after is not None and token.issued_at < as_utc(valid_after).timestamp()

    def signed_out(self, token: tokens.VerifiedToken) -> bool:
        return token_digest(token) in self.revoked_tokens


def sites_of(principal: Principal) -> list[dict]:
    """The principal's sites with their role in each: from the principal (cached with it), so the
    list still answers while the database is down."""
    return [membership.as_dict() for membership in principal.memberships.values()]


def deny_list_key(token_id: str) -> str:
    """The Redis entry of a signed-out token as the release before this one wrote and read it: still
    written and read (best effort) while both releases run side by side; the truth is `revoked_tokens`."""
    return f"denylist:{token_id}"


def _bearer_token() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Sign in to continue: send `Authorization: Bearer <token>`.")
    return token.strip()


_MEMBERSHIP_COLUMNS = ("site_id", "role", "site_name", "site_timezone")
_REVOKED = "revoked_tokens"  # the digests of the user's signed-out tokens, space-separated, or None


def _principal_query(key_column: str) -> sa.Select:
    # Core tables rather than ORM attributes: the statement skips the ORM's execution layer.
    # Every user column (but the hash) is read, so a column added to users reaches the principal.
    users, memberships, sites = User.__table__, SiteMembership.__table__, Site.__table__
    user_columns = [column for column in users.c if column.name != "password_hash"]
    revoked = RevokedToken.__table__
    signed_out = (
        sa.select(sa.func.aggregate_strings(revoked.c.token_digest, " "))
        .where(revoked.c.user_id == users.c.id,
               revoked.c.expires_at > sa.bindparam("now", type_=revoked.c.expires_at.type))
        .scalar_subquery().label(_REVOKED)
    )
    return (
        sa.select(*user_columns, signed_out, memberships.c.site_id, memberships.c.role,
                  sites.c.name.label("site_name"), sites.c.default_timezone.label("site_timezone"))
        .select_from(users)
        .outerjoin(memberships, memberships.c.user_id == users.c.id)
        .outerjoin(sites, sites.c.id == memberships.c.site_id)
        .where(users.c[key_column] == sa.bindparam("key"))
        .order_by(sites.c.name)
    )


# Built once: this runs on every cache miss, and building the statement costs more than the query.
_BY_USER_ID = _principal_query("id")
_BY_AUTH0_SUB = _principal_query("auth0_sub")
_ROW_COLUMNS = frozenset(_BY_USER_ID.selected_columns.keys())


def load_rows(*, user_id: int | None = None, auth0_sub: str | None = None) -> list[dict]:
    """The user's row joined with each membership, and their signed-out tokens, straight from the database."""
    statement, key = (_BY_USER_ID, user_id) if user_id is not None else (_BY_AUTH0_SUB, auth0_sub)
    return [dict(row) for row in db.session.execute(statement, {"key": key, "now": utcnow()}).mappings()]


def from_rows(rows: list[dict]) -> Principal | None:
    """The active user with their memberships, or None."""
    if not rows or not rows[0]["is_active"]:
        return None
    first = rows[0]
    user = {k: v for k, v in first.items() if k not in _MEMBERSHIP_COLUMNS and k != _REVOKED}
    principal = Principal(first["id"], first["username"], first["email"], first["display_name"],
                          first["default_site_id"], user=user,
                          revoked_tokens=frozenset((first[_REVOKED] or "").split()))
    for row in rows:
        if row["site_id"] is not None:
            principal.memberships[row["site_id"]] = Membership(row["site_id"], row["site_name"], row["role"],
                                                                 row["site_timezone"])
    return principal


def load_principal(*, user_id: int | None = None, auth0_sub: str | None = None) -> Principal | None:
    """The active user with their memberships from the database, or None."""
    return from_rows(load_rows(user_id=user_id, auth0_sub=auth0_sub))


def _subject_lookup(verified: tokens.VerifiedToken) -> tuple[str, dict]:
    if tokens.auth_mode() == "auth0":
        return principal_cache.key_for_subject(verified.subject), {"auth0_sub": verified.subject}
    try:
        user_id = int(verified.subject)
    except ValueError as exc:
        raise Unauthorized("The access token is not valid.") from exc
    return principal_cache.key_for_user(user_id), {"user_id": user_id}


def authenticate(prefetch: Sequence[str] = ()) -> Principal:
    """Verify the bearer token and load its user; raises 401 (or 403 for an unprovisioned Auth0 user).

    The cached principal (with the user's signed-out tokens), the deny-list entry of the release
    before and any `prefetch` keys the caller will need next come back in one cache round trip; the
    prefetched values are left in `g.prefetched`. A miss of any kind reads the principal from the
    database, so a sign-out is checked there whenever the cache cannot answer.
    """
    if "principal" in g:
        return g.principal
    verified = tokens.verify(_bearer_token())
    principal_key, lookup = _subject_lookup(verified)
    cache = cache_sync.cache_for_reading()
    denied, cached, database_down, *extra = cache.get_many(
        [deny_list_key(verified.token_id), principal_key, db_outage.SHARED_MARK_KEY, *prefetch])
    if denied is not None:
        raise Unauthorized("This session has been signed out; sign in again.")
    g.database_down_elsewhere = database_down is not None
    g.prefetched = dict(zip(prefetch, extra))
    rows = principal_cache.decode(cached, _ROW_COLUMNS)
    if rows is None:
        rows = load_rows(**lookup)
        principal_cache.store(cache, principal_key, cached, rows)
    principal = from_rows(rows)
    if principal is None and "auth0_sub" in lookup:
        # Read again whether or not this request bound the account: a simultaneous first request
        # of the same person may have bound it while this one waited for the invitations' lock.
        invited.bind_external_account(verified.subject, _bearer_token())
        principal = from_rows(load_rows(**lookup))
    if principal is None:
        if "auth0_sub" in lookup:
            raise Forbidden("Your account is not set up in this system; ask an administrator.")
        raise Unauthorized("This account is no longer active.")
    if principal.signed_out(verified):
        raise Unauthorized("This session has been signed out; sign in again.")
    if principal.session_ended(verified):
        raise Unauthorized("This session has ended (password changed or signed out everywhere); sign in again.")
    principal.token = verified
    g.principal = principal
    return principal


def login_required(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        authenticate()
        return view(*args, **kwargs)

    return wrapper
