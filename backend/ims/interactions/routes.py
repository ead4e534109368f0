"""/api/interactions: the Finder, CSV export and CRUD, all inside the current site."""
from __future__ import annotations

import orjson

from flask import Response, g, stream_with_context, url_for
from flask.views import MethodView
from marshmallow import RAISE

from ..auth.principal import authenticate
from ..errors import get_or_404
from ..extensions import Blueprint
from ..sites.context import site_required
from ..versions import etag, if_match_version
from . import export, finder, finder_cache, queries, service
from .schemas import (ExportQuerySchema, FinderQuerySchema, InteractionInSchema, InteractionPageSchema,
                      InteractionSchema, InteractionUpdateSchema)

blp = Blueprint("interactions", __name__, url_prefix="/api/interactions",
                description="Interactions of the current site (X-Site-ID)")


def _json(payload: dict, status: int = 200, **headers) -> Response:
    body = orjson.dumps(payload)
    return Response(body, status=status, mimetype="application/json", headers=headers)


def _with_etag(item: dict, status: int = 200, **headers) -> Response:
    return _json(item, status, ETag=etag(item["version"]), **headers)


@blp.route("")
class InteractionCollection(MethodView):
    @site_required(prefetch=finder_cache.prefetch_keys)
    @blp.arguments(FinderQuerySchema(), location="query", unknown=RAISE, error_status_code=400, as_kwargs=False)
    @blp.response(200, InteractionPageSchema, headers={"X-Cache": {"schema": {"type": "string"},
                                                                   "description": "HIT or MISS"}})
    def get(self, query):
        """The Finder: search, filter, sort and page the site's interactions."""
        return finder.response(finder.find_page(g.site.site_id, authenticate().user_id, query))

    @site_required(write=True)
    @blp.arguments(InteractionInSchema())
    @blp.response(201, InteractionSchema)
    def post(self, data):
        """Create an interaction in the current site."""
        item = service.create(g.site.site_id, authenticate(), data)
        return _with_etag(item, 201, Location=url_for("interactions.InteractionItem", interaction_id=item["id"]))


@blp.route("/export")
@site_required()
@blp.arguments(ExportQuerySchema(), location="query", unknown=RAISE, error_status_code=400, as_kwargs=False)
@blp.response(200, description="CSV of every match (UTF-8 with BOM)",
              content_type="text/csv")
def export_csv(query):
    """Every interaction matching the Finder query, as CSV."""
    file = export.download(g.site.site_id, g.site.site_name, authenticate().user_id, query)
    response = Response(stream_with_context(file.chunks), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{file.filename}"',
                                 "Cache-Control": "no-store"})
    response.call_on_close(file.release)  # also when the client goes before the body starts
    return response


@blp.route("/<int:interaction_id>")
class InteractionItem(MethodView):
    @site_required()
    @blp.response(200, InteractionSchema)
    def get(self, interaction_id):
        """One interaction."""
        return _with_etag(get_or_404(queries.fetch_one(g.site.site_id, interaction_id), queries.NO_INTERACTION))

    @site_required(write=True)
    @blp.arguments(InteractionUpdateSchema())
    @blp.response(200, InteractionSchema)
    @blp.alt_response(409, description="Stale version; details.current holds the current record")
    def put(self, data, interaction_id):
        """Replace an interaction; send the version you loaded (body or If-Match)."""
        version = data.pop("version", None) or if_match_version()
        item = service.update(g.site.site_id, authenticate(), interaction_id, data, version)
        return _with_etag(item)

    @site_required(write=True)
    @blp.response(204)
    def delete(self, interaction_id):
        """Delete an interaction."""
        service.delete(g.site.site_id, authenticate(), interaction_id)
