"""/api/interactions: history and restore of a record, Undo of a delete, the recently deleted list."""
from __future__ import annotations

from flask import g

from ..auth.principal import authenticate
from ..extensions import Blueprint
from ..paging import PageQuerySchema, paged_list
from ..sites.context import site_required
from ..versions import if_match_version
from . import history, recovery
from .recovery_schemas import (DeletedPageSchema, HistoryEntrySchema, HistoryPageSchema, HistoryQuerySchema,
                               RestoreSchema)
from .routes import _json, _with_etag
from .schemas import InteractionSchema

blp = Blueprint("interaction_recovery", __name__, url_prefix="/api/interactions",
                description="History, restore and recovery of the current site's interactions")


@blp.route("/<int:interaction_id>/history", methods=["GET"])
@site_required()
@paged_list(blp, HistoryQuerySchema, HistoryPageSchema)
def interaction_history(params, interaction_id):
    """Versions, newest first, a page at a time: who, when, which fields changed (from → to); texts over
    300 characters as excerpts around the change, so a page stays under 256 KB whatever the record's past."""
    # UTF-8 as is, not \\u-escaped: the bound counts at most 4 bytes a character, not 12
    return _json(history.page(g.site.site_id, interaction_id, params["page"], params["page_size"]))


@blp.route("/<int:interaction_id>/history/<int:entry_id>", methods=["GET"])
@site_required()
@blp.response(200, HistoryEntrySchema)
def history_entry(interaction_id, entry_id):
    """One entry of the history with its texts whole."""
    return _json(history.entry(g.site.site_id, interaction_id, entry_id))


@blp.route("/<int:interaction_id>/restore", methods=["POST"])
@site_required(write=True)
@blp.arguments(RestoreSchema)
@blp.response(200, InteractionSchema)
@blp.alt_response(409, description="Stale version; details.current holds the current record")
def restore_version(data, interaction_id):
    """Bring back an earlier version as a new version; send the version you loaded (body or If-Match)."""
    expected = data.get("version") or if_match_version()
    item = history.restore_version(g.site.site_id, authenticate(), interaction_id, data["restore_version"], expected)
    return _with_etag(item)


@blp.route("/deleted", methods=["GET"])
@site_required(admin=True)
@paged_list(blp, PageQuerySchema, DeletedPageSchema)
def recently_deleted(params):
    """Deleted interactions of the site not yet purged, newest first (admins)."""
    return recovery.list_deleted(g.site.site_id, params)


@blp.route("/deleted/<int:interaction_id>/restore", methods=["POST"])
@site_required(write=True)
@blp.response(200, InteractionSchema)
def undelete(interaction_id):
    """Undo a delete: the record returns with its id and version (editors: their own deletes; admins: any)."""
    item = recovery.undelete(g.site.site_id, authenticate(), g.site.role, interaction_id)
    return _with_etag(item)
