"""/api/bulk: change or delete many interactions of the current site at once (editors and admins)."""
from __future__ import annotations

from flask import g

from ..auth.principal import authenticate
from ..extensions import Blueprint
from ..sites.context import site_required
from . import service
from .schemas import BulkInSchema, BulkJobSchema, SelectionInSchema, SelectionSchema

blp = Blueprint("bulk", __name__, url_prefix="/api/bulk",
                description="Bulk actions on the current site's interactions (X-Site-ID): editors and admins")


@blp.route("/selection", methods=["POST"])
@site_required(write=True)
@blp.arguments(SelectionInSchema)
@blp.response(200, SelectionSchema)
def selection(data):
    """How many records match the Finder's query ("all matching"), and the `as_of` to send with the action."""
    return service.selection(g.site.site_id, data["query"])


@blp.route("", methods=["POST"])
@site_required(write=True)
@blp.arguments(BulkInSchema)
@blp.response(200, BulkJobSchema, description="Done: the report (up to 200 records)")
@blp.alt_response(202, schema=BulkJobSchema, description="Running in the background: poll GET /api/bulk/{job_id}")
def start(data):
    """Change the type, lead or location of the selected rows or of every match, or delete them. Records
    changed by someone else since the selection are reported and left alone."""
    return service.start(g.site.site_id, authenticate(), data)


@blp.route("/<int:job_id>", methods=["GET"])
@site_required(write=True)
@blp.response(200, BulkJobSchema)
def job(job_id):
    """A bulk action's progress and report."""
    return service.report(g.site.site_id, job_id, authenticate().user_id, g.site.role)


@blp.route("/<int:job_id>/undo", methods=["POST"])
@site_required(write=True)
@blp.response(200, BulkJobSchema, description="Done: the undo's report")
@blp.alt_response(202, schema=BulkJobSchema, description="Running in the background")
@blp.alt_response(409, description="Not a delete, still running, or already undone")
def undo(job_id):
    """Undo a bulk delete: exactly its records come back (editors: their own; admins: any)."""
    return service.undo(g.site.site_id, authenticate(), g.site.role, job_id)


@blp.route("/<int:job_id>/resume", methods=["POST"])
@site_required(write=True)
@blp.response(200, BulkJobSchema, description="Done: the report")
@blp.alt_response(202, schema=BulkJobSchema, description="Running in the background again: poll GET /api/bulk/{job_id}")
@blp.alt_response(403, description="Someone else's action, and you are not an admin of the site")
@blp.alt_response(404, description="No such bulk action in this site")
@blp.alt_response(409, description="Done, still running (progress less than 5 minutes old), or its query is not kept")
def resume(job_id):
    """Resume a bulk action that stopped before it finished (`stalled`, or `failed`): only the records it has not
    reached yet, each once and checked as the first run would have (editors: their own; admins: any)."""
    return service.resume(g.site.site_id, authenticate(), g.site.role, job_id)
