"""/api/imports: spreadsheet imports into the current site (X-Site-ID), for its editors and admins."""
from __future__ import annotations

import os

from flask import Response, current_app, g, request, url_for
from flask.views import MethodView
from marshmallow import RAISE
from werkzeug.exceptions import RequestEntityTooLarge

from .. import user_limits
from ..auth.principal import authenticate
from ..errors import envelope
from ..extensions import Blueprint
from ..paging import PageQuerySchema
from ..schemas import CONTROL_CHARS
from ..sites.context import site_required
from ..versions import etag, if_match_version
from . import service
from .limits import max_bytes, too_large
from .schemas import (ImportChangeSchema, ImportPageSchema, ImportSchema, PreviewQuerySchema, PreviewSchema,
                      UploadFormSchema, UploadSchema)

FORM_OVERHEAD = 64 * 1024  # the multipart framing and the sheet's name around the file
BUSY_DOC = "More of this person's uploads are being read than IMPORT_CONCURRENT_PER_USER allows; see Retry-After"
FULL_DOC = ("The files this person's imports keep would pass IMPORT_MAX_STORED_BYTES_PER_USER (code `storage_full`): "
            "discard the imports not needed")

blp = Blueprint("imports", __name__, url_prefix="/api/imports",
                description="Spreadsheet imports into the current site (X-Site-ID); editors and admins")


@blp.before_request
def _upload_limit():
    """The upload's own body limit, checked on the declared length before the body is read; a body without
    one is cut off at the limit as it streams."""
    if request.method == "POST" and request.endpoint == "imports.ImportCollection":
        limit = max_bytes() + FORM_OVERHEAD
        if request.content_length is not None and request.content_length > limit:
            raise too_large()
        request.max_content_length = limit


def _reading_slot(user_id: int) -> user_limits.Slot:
    """Reading a new spreadsheet is the expensive part of an upload: a person gets IMPORT_CONCURRENT_PER_USER
    at once, so one account cannot occupy every worker with files."""
    return user_limits.acquire("import", user_id, current_app.config["IMPORT_CONCURRENT_PER_USER"],
                               "Other files of yours are being read right now: try again in a moment.")


@blp.errorhandler(RequestEntityTooLarge)
def _too_large(_exc):
    exc = too_large()
    return envelope(exc.status, exc.code, exc.message)


def _filename(raw: str | None) -> str:
    name = os.path.basename((raw or "").replace("\\", "/"))
    name = "".join(ch for ch in name if ch not in CONTROL_CHARS and ch != "\x7f").strip()
    return name[:255] or "upload.csv"


@blp.route("")
class ImportCollection(MethodView):
    @site_required(write=True)
    @blp.arguments(PageQuerySchema, location="query", unknown=RAISE, error_status_code=400)
    @blp.response(200, ImportPageSchema)
    def get(self, params):
        """The site's imports, newest first."""
        return service.list_imports(g.site, authenticate(), params)

    @site_required(write=True)
    @blp.arguments(UploadSchema, location="files", unknown=RAISE)
    @blp.arguments(UploadFormSchema, location="form", unknown=RAISE)
    @blp.response(201, ImportSchema)
    @blp.alt_response(413, description="The file is larger than the limit (unpacked, for a workbook)")
    @blp.alt_response(415, description="Not a CSV, TSV or .xlsx file (binary, a web page, another archive)")
    @blp.alt_response(409, description=FULL_DOC)
    @blp.alt_response(429, description=BUSY_DOC)
    def post(self, files, form):
        """Upload a file: it is read, its columns matched to fields and previewed; nothing is imported yet."""
        upload = files["file"]
        content = upload.stream.read(max_bytes() + 1)
        if len(content) > max_bytes():
            raise too_large()
        principal = authenticate()
        with _reading_slot(principal.user_id):
            item = service.upload(g.site, principal, _filename(upload.filename), content, form.get("sheet"))
        return item, 201, {"Location": url_for("imports.ImportItem", import_id=item["id"]),
                           "ETag": etag(item["version"])}


@blp.route("/<int:import_id>")
class ImportItem(MethodView):
    @site_required(write=True)
    @blp.response(200, ImportSchema)
    def get(self, import_id):
        """One import: poll it for the run's progress."""
        item = service.get_import(g.site, authenticate(), import_id)
        return item, {"ETag": etag(item["version"])}

    @site_required(write=True)
    @blp.arguments(ImportChangeSchema)
    @blp.response(200, ImportSchema)
    @blp.alt_response(409, description="The import has started (conflict), or the version sent is not the stored "
                                        "one (version_conflict; details.current holds the import as stored)")
    def patch(self, data, import_id):
        """Change the mapping, the time zone, date orders, duplicates or the sheet (before the run); send the
        version the change is built on (body or If-Match)."""
        version = data.pop("version", None) or if_match_version()
        item = service.change(g.site, authenticate(), import_id, data, version)
        return item, {"ETag": etag(item["version"])}

    @site_required(write=True)
    @blp.response(204)
    @blp.alt_response(409, description="Running or run (a run import is undone instead)")
    def delete(self, import_id):
        """Discard an import that has not run, and its file (the person who uploaded it, or an admin)."""
        service.discard(g.site, authenticate(), import_id)


@blp.route("/<int:import_id>/preview")
@site_required(write=True)
@blp.arguments(PreviewQuerySchema, location="query", unknown=RAISE, error_status_code=400)
@blp.response(200, PreviewSchema)
@blp.alt_response(410, description="The file is no longer kept (7 days after the import finished)")
def preview(params, import_id):
    """The rows as they would be stored, each invalid cell with the message a create would give."""
    return service.preview(g.site, import_id, params)


@blp.route("/<int:import_id>/run", methods=["POST"])
@site_required(write=True)
@blp.response(202, ImportSchema)
@blp.alt_response(409, description="Done, undone or already running")
def run(import_id):
    """Import the valid rows in the background (a failed or stopped run resumes where it stopped)."""
    return service.run(g.site, authenticate(), import_id)


@blp.route("/<int:import_id>/failed.csv")
@site_required(write=True)
@blp.response(200, description="The invalid rows with their columns and a Reason (UTF-8 with BOM)",
              content_type="text/csv")
@blp.alt_response(410, description="The file is no longer kept (7 days after the import finished)")
def failed_csv(import_id):
    """The rows that are not imported because they are invalid, to fix and import again."""
    filename, body = service.failed_csv(g.site, import_id)
    safe = "".join(ch for ch in filename if 32 <= ord(ch) < 127 and ch not in '"\\;') or "import-failed.csv"
    return Response(body, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{safe}"',
                                                        "Cache-Control": "no-store"})


@blp.route("/<int:import_id>/undo", methods=["POST"])
@site_required(write=True)
@blp.response(200, ImportSchema)
@blp.alt_response(409, description="Not done, already undone, or older than 7 days")
def undo(import_id):
    """Remove the import's records as deleted records (each restorable), within 7 days of the import."""
    return service.undo(g.site, authenticate(), import_id)

