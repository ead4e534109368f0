"""Provisioning: sites, accounts and memberships made outside the web app (command line, demo data,
tests). Helpers in the caller's unit of work; they never commit."""
from __future__ import annotations

from ..auth import passwords, usernames
from ..auth.models import User
from ..extensions import db
from .models import Site, join


class AmbiguousSite(LookupError):
    """Several sites carry the name (names are not unique: admins rename their sites freely)."""


def ensure_site(name: str) -> Site:
    """The site called `name`, created if missing."""
    sites = db.session.execute(db.select(Site).filter_by(name=name).order_by(Site.id)).scalars().all()
    if len(sites) > 1:
        raise AmbiguousSite(f"{len(sites)} sites are called {name!r} (ids {', '.join(str(s.id) for s in sites)}); "
                            "rename all but one in their settings first")
    site = sites[0] if sites else None
    if site is None:
        site = Site(name=name)
        db.session.add(site)
        db.session.flush()
    return site


def ensure_user(username: str, *, email: str, password: str | None, display_name: str | None = None,
                site: Site | None = None, role: str | None = None) -> User:
    """Create the user (or find it) and give it the role in the site; returns the user. A new username
    must follow the username rule (422 otherwise); an existing account is found as it is."""
    user = db.session.execute(db.select(User).filter_by(username=usernames.normalise(username))).scalar_one_or_none()
    if user is None:
        user = User(username=usernames.checked(username), email=email, display_name=display_name or username,
                    password_hash=passwords.hash_password(password) if password else None)
        db.session.add(user)
        db.session.flush()
    if site is not None and role is not None:
        join(user, site.id, role)
    return user
