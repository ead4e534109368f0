"""/api/meta/timezones: the time zones an interaction or a site's default may name."""

from ..auth.principal import login_required
from ..extensions import Blueprint
from ..schemas import ValueListSchema
from ..timeutil import timezone_names

blp = Blueprint("timezones", __name__, url_prefix="/api/meta", description="Time zones")


@blp.route("/timezones")
@login_required
@blp.response(200, ValueListSchema)
def timezones():
    return {"items": list(timezone_names())}
