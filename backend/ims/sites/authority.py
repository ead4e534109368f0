"""What an administrator may do, decided inside the use case rather than from the principal the request
started with: the sites a change touches are locked (ascending id, so two changes never wait on each
other in a circle), then the actor's own rights and the keep-an-admin rule are read afresh from the
database. Two admins acting on each other at the same moment are served one after the other, and the
second is judged by what the first did."""
from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from ..auth.models import User
from ..errors import Conflict, Forbidden
from ..extensions import db
from .models import Site, SiteMembership


def lock_sites(site_ids: Iterable[int]) -> None:
    """Hold the sites' rows until the unit of work ends; every admin change of a site takes its lock."""
    db.session.execute(sa.select(Site.id).where(Site.id.in_(sorted(set(site_ids)))).order_by(Site.id)
                       .with_for_update())


def sites_of(user_id: int) -> set[int]:
    return set(db.session.execute(sa.select(SiteMembership.site_id).where(SiteMembership.user_id == user_id))
               .scalars())


def administered_by(user_id: int) -> set[int]:
    """The sites `user_id` administers now, as an active account (read from the database, never cached)."""
    return set(db.session.execute(
        sa.select(SiteMembership.site_id).join(User, User.id == SiteMembership.user_id)
        .where(SiteMembership.user_id == user_id, SiteMembership.role == "admin", User.is_active.is_(True))
    ).scalars())


def require_admin(actor_id: int, site_id: int) -> None:
    """403 unless the actor is still an active admin of the site (another admin may have just changed that)."""
    if site_id not in administered_by(actor_id):
        raise Forbidden("You are no longer an administrator of this site.")


def require_every_site(actor_id: int, user_id: int) -> set[int]:
    """The person's sites; 403 unless the actor administers every one of them (account-wide powers)."""
    sites = sites_of(user_id)
    if not sites <= administered_by(actor_id):
        raise Forbidden("This person also belongs to sites you do not administer: only someone who "
                        "administers all of their sites can do this to their account.",
                        details={"reason": "other_sites"})
    return sites


def keep_an_admin(site_id: int, user_id: int, what: str) -> None:
    """409 when `user_id` is the site's last active admin."""
    others = db.session.execute(
        sa.select(sa.func.count()).select_from(SiteMembership).join(User, User.id == SiteMembership.user_id)
        .where(SiteMembership.site_id == site_id, SiteMembership.role == "admin",
               SiteMembership.user_id != user_id, User.is_active.is_(True))
    ).scalar_one()
    if others == 0:
        raise Conflict(f"A site needs at least one administrator; make someone else an admin before {what}.",
                       details={"reason": "last_admin"})


def reachable_members(admin_id: int, site_id: int) -> sa.Select:
    """Ids of the site's members whose every site `admin_id` administers: the people whose account,
    not only their membership here, this admin answers for (and the admin themself)."""
    mine = sa.select(SiteMembership.site_id).where(SiteMembership.user_id == admin_id,
                                                  SiteMembership.role == "admin")
    here, elsewhere = aliased(SiteMembership), aliased(SiteMembership)
    foreign = sa.select(elsewhere.id).where(elsewhere.user_id == here.user_id, elsewhere.site_id.not_in(mine))
    return sa.select(here.user_id).where(here.site_id == site_id, sa.or_(here.user_id == admin_id,
                                                                         ~sa.exists(foreign)))
