"""/api/insights: aggregates of the current site's interactions for the Finder's query."""
from __future__ import annotations

from flask import g
from marshmallow import RAISE

from ..auth.principal import authenticate
from ..extensions import Blueprint
from ..interactions import finder, finder_cache
from ..sites.context import site_required
from . import service
from .schemas import InsightsQuerySchema, InsightsSchema

blp = Blueprint("insights", __name__, url_prefix="/api/insights",
                description="Charts of the current site's interactions (X-Site-ID)")


@blp.route("")
@site_required(prefetch=lambda: finder_cache.prefetch_keys(service.cache_kind()))
@blp.arguments(InsightsQuerySchema(), location="query", unknown=RAISE, error_status_code=400, as_kwargs=False)
@blp.response(200, InsightsSchema, headers={"X-Cache": {"schema": {"type": "string"}, "description": "HIT or MISS"}})
def insights(query):
    """Interactions per period and type, the busiest leads and locations, weekday × hour in `tz`, and the
    next 7 days, for the Finder's search and filters."""
    return finder.response(service.insights(g.site.site_id, authenticate().user_id, query))
