"""Who is calling: the bearer token checked, the user and their memberships loaded in one query."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app, g, request

from ..errors import Forbidden, Unauthorized
from ..extensions import db
from ..sites.models import Site, SiteMembership
from . import tokens
from .models import User


@dataclass(frozen=True)
class Membership:
    site_id: int
    site_name: str
    role: str
    data_version: int


@dataclass
class Principal:
    user_id: int
    username: str
    email: str
    display_name: str
    default_site_id: int | None
    memberships: dict[int, Membership] = field(default_factory=dict)
    token: tokens.VerifiedToken | None = None


def deny_list_key(token_id: str) -> str:
    return f"denylist:{token_id}"


def _bearer_token() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Sign in to continue: send `Authorization: Bearer <token>`.")
    return token.strip()


def _principal_query(key_column: str) -> sa.Select:
    # Core tables rather than ORM attributes: the statement skips the ORM's execution layer.
    users, memberships, sites = User.__table__, SiteMembership.__table__, Site.__table__
    return (
        sa.select(
            users.c.id, users.c.username, users.c.email, users.c.display_name, users.c.default_site_id,
            users.c.is_active, memberships.c.site_id, memberships.c.role, sites.c.name, sites.c.data_version,
        )
        .select_from(users)
        .outerjoin(memberships, memberships.c.user_id == users.c.id)
        .outerjoin(sites, sites.c.id == memberships.c.site_id)
        .where(users.c[key_column] == sa.bindparam("key"))
        .order_by(sites.c.name)
    )


# Built once: this runs on every request, and building the statement costs more than the query.
_BY_USER_ID = _principal_query("id")
_BY_AUTH0_SUB = _principal_query("auth0_sub")


def load_principal(*, user_id: int | None = None, auth0_sub: str | None = None) -> Principal | None:
    """The active user with their memberships, or None."""
    if user_id is not None:
        rows = db.session.execute(_BY_USER_ID, {"key": user_id}).all()
    else:
        rows = db.session.execute(_BY_AUTH0_SUB, {"key": auth0_sub}).all()
    if not rows or not rows[0].is_active:
        return None
    first = rows[0]
    principal = Principal(first.id, first.username, first.email, first.display_name, first.default_site_id)
    for row in rows:
        if row.site_id is not None:
            principal.memberships[row.site_id] = Membership(row.site_id, row.name, row.role, row.data_version)
    return principal


def authenticate() -> Principal:
    """Verify the bearer token and load its user; raises 401 (or 403 for an unprovisioned Auth0 user)."""
    if "principal" in g:
        return g.principal
    verified = tokens.verify(_bearer_token())
    if current_app.extensions["ims_cache"].exists(deny_list_key(verified.token_id)):
        raise Unauthorized("This session has been signed out; sign in again.")
    if tokens.auth_mode() == "auth0":
        principal = load_principal(auth0_sub=verified.subject)
        if principal is None and _bind_invited_account(verified):
            principal = load_principal(auth0_sub=verified.subject)
        if principal is None:
            raise Forbidden("Your account is not set up in this system; ask an administrator.")
    else:
        try:
            user_id = int(verified.subject)
        except ValueError as exc:
            raise Unauthorized("The access token is not valid.") from exc
        principal = load_principal(user_id=user_id)
        if principal is None:
            raise Unauthorized("This account is no longer active.")
    principal.token = verified
    g.principal = principal
    return principal


def _bind_invited_account(verified: tokens.VerifiedToken) -> bool:
    from ..sites.invitations import bind_external_account  # the sites feature builds on this module

    return bind_external_account(verified.subject, _bearer_token())


def login_required(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        authenticate()
        return view(*args, **kwargs)

    return wrapper
