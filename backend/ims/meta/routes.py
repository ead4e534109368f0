"""/api/meta: the value lists the form offers."""

from ..auth.principal import login_required
from ..extensions import Blueprint
from ..interactions.models import INTERACTION_TYPES
from ..schemas import ValueListSchema
from ..timeutil import timezone_names

blp = Blueprint("meta", __name__, url_prefix="/api/meta", description="Value lists")


@blp.route("/interaction-types")
@login_required
@blp.response(200, ValueListSchema)
def interaction_types():
    return {"items": list(INTERACTION_TYPES)}


@blp.route("/timezones")
@login_required
@blp.response(200, ValueListSchema)
def timezones():
    return {"items": list(timezone_names())}
