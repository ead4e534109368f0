"""GET /api/sites: the sites of the current user, with their role in each."""
import sqlalchemy as sa
from flask_smorest import Blueprint

from ..auth.principal import Principal, authenticate
from ..extensions import db
from .models import Site
from .schemas import SiteListSchema

blp = Blueprint("sites", __name__, url_prefix="/api/sites", description="Sites of the current user")


def sites_of(principal: Principal) -> list[dict]:
    # Read here rather than on every request's principal: only the screens that list sites need it.
    zones = dict(db.session.execute(
        sa.select(Site.id, Site.default_timezone).where(Site.id.in_(list(principal.memberships)))).all()
    ) if principal.memberships else {}
    return [{"id": m.site_id, "name": m.site_name, "role": m.role, "default_timezone": zones.get(m.site_id)}
            for m in principal.memberships.values()]


@blp.route("", methods=["GET"])
@blp.response(200, SiteListSchema)
def list_sites():
    return {"items": sites_of(authenticate())}
