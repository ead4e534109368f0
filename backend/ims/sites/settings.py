"""A site's own settings (name, default time zone for new interactions), changed by its admins.

Site names are not unique across the system: a rename is refused only when another site the renaming
admin belongs to has the name (which they already see), so its answer says nothing about sites they
do not belong to."""
from __future__ import annotations

import sqlalchemy as sa

from .. import audit
from ..auth.principal import Principal
from ..errors import Conflict
from ..extensions import db
from ..unit_of_work import transaction
from .models import Site, SiteMembership


def settings_dict(site: Site) -> dict:
    return {"id": site.id, "name": site.name, "default_timezone": site.default_timezone}


def get_settings(site_id: int) -> dict:
    return settings_dict(db.session.get(Site, site_id))


@transaction
def update_settings(site_id: int, actor: Principal, data: dict) -> dict:
    site = db.session.get(Site, site_id)
    changes = {name: {"from": getattr(site, name), "to": value}
               for name, value in data.items() if getattr(site, name) != value}
    if not changes:
        return settings_dict(site)
    if "name" in changes and db.session.execute(
            sa.select(Site.id).join(SiteMembership, SiteMembership.site_id == Site.id)
            .where(SiteMembership.user_id == actor.user_id, sa.func.lower(Site.name) == data["name"].lower(),
                   Site.id != site_id)).first():
        raise Conflict("Another of your sites already has this name.",
                       details={"name": ["Another of your sites has this name."]})
    for name, change in changes.items():
        setattr(site, name, change["to"])
    audit.record("site_update", user_id=actor.user_id, site_id=site_id, entity_type="site", entity_id=site_id,
                 changes=changes)
    return settings_dict(site)
