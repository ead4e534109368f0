"""/api/site/audit: the current site's audit log for its admins, paged like the Finder, and as CSV."""
import itertools

from flask import Response, g, stream_with_context
from marshmallow import RAISE

from ..auth.principal import authenticate
from ..extensions import Blueprint
from .. import csvfile
from ..paging import paged_list
from ..sites.context import site_required
from ..timeutil import utcnow
from . import queries
from .schemas import AuditPageQuerySchema, AuditPageSchema, AuditQuerySchema

blp = Blueprint("audit_log", __name__, url_prefix="/api/site/audit",
                description="Audit log of the current site (X-Site-ID); admins of that site only")


@blp.route("", methods=["GET"])
@site_required(admin=True)
@paged_list(blp, AuditPageQuerySchema, AuditPageSchema)
def audit_events(params):
    """Events of the site, newest first, filtered by person, action and date."""
    return queries.find(g.site.site_id, authenticate().user_id, params)


def _csv(rows):
    return itertools.chain([csvfile.header(queries.CSV_COLUMNS)], csvfile.records(map(csvfile.safe_cells, rows)))


@blp.route("/export", methods=["GET"])
@site_required(admin=True)
@blp.arguments(AuditQuerySchema, location="query", unknown=RAISE, error_status_code=400, as_kwargs=False)
@blp.response(200, description="CSV of every matching event (UTF-8 with BOM)", content_type="text/csv")
def export_audit(params):
    """Every matching event as CSV."""
    admin_id = authenticate().user_id
    queries.record_export(g.site.site_id, admin_id, params)
    filename = f"audit-site-{g.site.site_id}-{utcnow().date().isoformat()}.csv"
    rows = queries.csv_rows(g.site.site_id, admin_id, params)
    return Response(stream_with_context(_csv(rows)), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})
