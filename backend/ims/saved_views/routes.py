"""/api/views: the saved views of the current site (X-Site-ID) that the signed-in person may open."""
from flask import g, url_for
from flask.views import MethodView

from ..auth.principal import authenticate
from ..extensions import Blueprint
from ..sites.context import site_required
from . import service
from .schemas import ViewInSchema, ViewListSchema, ViewSchema, ViewUpdateSchema

blp = Blueprint("saved_views", __name__, url_prefix="/api/views",
                description="Saved views of the Finder in the current site (X-Site-ID)")


@blp.route("")
class ViewCollection(MethodView):
    @site_required()
    @blp.response(200, ViewListSchema)
    def get(self):
        """Your views and the views shared with the site, personal ones first, by name."""
        return service.list_views(g.site, authenticate())

    @site_required()
    @blp.arguments(ViewInSchema)
    @blp.response(201, ViewSchema)
    @blp.alt_response(409, description="You already have a view with this name here")
    def post(self, data):
        """Save the Finder's state under a name; viewers keep personal views, editors and admins may share."""
        view = service.create_view(g.site, authenticate(), data)
        return view, 201, {"Location": url_for("saved_views.ViewItem", view_id=view["id"])}


@blp.route("/<int:view_id>")
class ViewItem(MethodView):
    @site_required()
    @blp.response(200, ViewSchema)
    def get(self, view_id):
        """One view (404 for another person's personal view and for another site's)."""
        return service.get_view(g.site, authenticate(), view_id)

    @site_required()
    @blp.arguments(ViewUpdateSchema)
    @blp.response(200, ViewSchema)
    @blp.alt_response(409, description="You already have a view with this name here")
    def patch(self, data, view_id):
        """Rename it, save new parameters, share it or stop sharing it (the owner; an admin for a shared one)."""
        return service.update_view(g.site, authenticate(), view_id, data)

    @site_required()
    @blp.response(204)
    def delete(self, view_id):
        """Delete it (the owner; an admin of the site for a shared one)."""
        service.delete_view(g.site, authenticate(), view_id)


@blp.route("/<int:view_id>/default", methods=["PUT"])
@site_required()
@blp.response(200, ViewSchema)
def make_default(view_id):
    """Open the Finder with this view when you come to it in this site (replaces your previous default)."""
    return service.make_default(g.site, authenticate(), view_id)


@blp.route("/default", methods=["DELETE"])
@site_required()
@blp.response(204)
def clear_default():
    """Open the Finder without a view in this site."""
    service.clear_default(g.site, authenticate())
