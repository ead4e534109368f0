"""The site a request works in (`X-Site-ID` or the user's default) and the role the user holds there."""
from __future__ import annotations

import functools

from flask import g, request

from ..auth.principal import Membership, authenticate
from ..errors import BadRequest, Forbidden
from .models import WRITER_ROLES


def resolve_site() -> Membership:
    principal = authenticate()
    raw = request.headers.get("X-Site-ID", "").strip()
    if raw:
        if not raw.isdigit() or len(raw) > 18:
            raise BadRequest("X-Site-ID must be a site id.", details={"X-Site-ID": ["Not a valid site id."]})
        membership = principal.memberships.get(int(raw))
        if membership is None:
            raise Forbidden("You are not a member of this site.")
        return membership
    if principal.default_site_id in principal.memberships:
        return principal.memberships[principal.default_site_id]
    if principal.memberships:
        return next(iter(principal.memberships.values()))
    raise Forbidden("You are not a member of any site; ask an administrator.")


def site_required(*, write: bool = False, admin: bool = False):
    """Resolve the site into `g.site`; with `write`, only editors and admins pass; with `admin`, only admins."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            membership = resolve_site()
            if write and membership.role not in WRITER_ROLES:
                raise Forbidden("Your role in this site is read-only.")
            if admin and membership.role != "admin":
                raise Forbidden("Only administrators of this site can do this.")
            g.site = membership
            return view(*args, **kwargs)

        return wrapper

    return decorator
