"""GET /api/sites: the sites of the current user, with their role in each."""

from ..auth.principal import authenticate, sites_of
from ..extensions import Blueprint
from .schemas import SiteListSchema

blp = Blueprint("sites", __name__, url_prefix="/api/sites", description="Sites of the current user")


@blp.route("", methods=["GET"])
@blp.response(200, SiteListSchema)
def list_sites():
    return {"items": sites_of(authenticate())}
