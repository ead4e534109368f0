"""The site a request works in (`X-Site-ID` or the user's default) and the role the user holds there."""
from __future__ import annotations

import functools
import re
from typing import Callable

from flask import g, request

from ..auth.principal import authenticate
from ..errors import BadRequest, Forbidden
from .models import WRITER_ROLES, Membership

ASCII_ID = re.compile(r"[0-9]{1,18}")


def requested_site_id() -> int | None:
    """The site named by `X-Site-ID`; None when absent (400 when malformed)."""
    raw = request.headers.get("X-Site-ID", "").strip()
    if not raw:
        return None
    if not ASCII_ID.fullmatch(raw):  # str.isdigit() also takes "²" (int() fails) and "١" (int() reads 1)
        raise BadRequest("X-Site-ID must be a site id.", details={"X-Site-ID": ["Not a valid site id."]})
    return int(raw)


def resolve_site(prefetch: Callable[[], list[str]] | None = None) -> Membership:
    try:
        keys = prefetch() if prefetch else ()
    except BadRequest:
        keys = ()  # reported below, after authentication, as for every other request
    principal = authenticate(keys)
    site_id = requested_site_id()
    if site_id is not None:
        membership = principal.memberships.get(site_id)
        if membership is None:
            raise Forbidden("You are not a member of this site.")
        return membership
    if principal.default_site_id in principal.memberships:
        return principal.memberships[principal.default_site_id]
    if principal.memberships:
        return next(iter(principal.memberships.values()))
    raise Forbidden("You are not a member of any site; ask an administrator.")


def _enter_site(*, write: bool = False, admin: bool = False,
                prefetch: Callable[[], list[str]] | None = None) -> Membership:
    """Resolve the site into `g.site`; with `write`, only editors and admins pass; with `admin`, only admins.

    `prefetch` names cache keys the view reads next, fetched with the caller's principal.
    """
    membership = resolve_site(prefetch)
    if write and membership.role not in WRITER_ROLES:
        raise Forbidden("Your role in this site is read-only.")
    if admin and membership.role != "admin":
        raise Forbidden("Only administrators of this site can do this.")
    g.site = membership
    return membership


def site_required(*, write: bool = False, admin: bool = False, prefetch: Callable[[], list[str]] | None = None):
    """A view of the current site (see `_enter_site`): the one guard of every view of a site, those for its
    admins included."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            _enter_site(write=write, admin=admin, prefetch=prefetch)
            return view(*args, **kwargs)

        return wrapper

    return decorator
