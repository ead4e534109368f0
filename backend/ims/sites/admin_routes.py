"""/api/site: administration of the current site (X-Site-ID) by its admins: members, invitations,
settings. Public /api/invitations: look at and accept an invitation link."""
from flask import g
from flask.views import MethodView
from marshmallow import RAISE

from ..auth.principal import authenticate
from ..extensions import Blueprint
from ..ratelimit import login_rate_limit
from . import invitations, members, settings
from .admin_schemas import (ConfirmSelfQuerySchema, InvitationAcceptedSchema, InvitationAcceptSchema,
                            InvitationInSchema, InvitationJoinedSchema, InvitationListSchema,
                            InvitationPreviewSchema, InvitationSchema,
                            InvitationTokenSchema, MemberAddSchema, MemberPageSchema, MemberQuerySchema,
                            MemberSchema, RoleChangeSchema, SiteSettingsInSchema, SiteSettingsSchema)
from .context import site_required

blp = Blueprint("site_admin", __name__, url_prefix="/api/site",
                description="Administration of the current site (X-Site-ID); admins of that site only")
public = Blueprint("invitations", __name__, url_prefix="/api/invitations",
                   description="Invitation links: look one up, accept it")


@blp.route("/members")
class Members(MethodView):
    @site_required(admin=True)
    @blp.arguments(MemberQuerySchema, location="query", unknown=RAISE, error_status_code=400, as_kwargs=False)
    @blp.response(200, MemberPageSchema)
    def get(self, params):
        """Members of the site: search, sort, page."""
        return members.list_members(g.site.site_id, authenticate(), params)

    @site_required(admin=True)
    @blp.arguments(MemberAddSchema)
    @blp.response(202, InvitationSchema)
    @blp.alt_response(409, description="Already a member")
    def post(self, data):
        """Add someone by e-mail: they are sent an invitation to accept and join once they accept it. The
        answer is the same whether or not the address belongs to an account."""
        return invitations.invite(g.site.site_id, authenticate(), data["user"], data["role"])


@blp.route("/members/<int:user_id>")
class Member(MethodView):
    @site_required(admin=True)
    @blp.response(200, MemberSchema)
    @blp.alt_response(404, description="No such member in this site")
    def get(self, user_id):
        """One member."""
        return members.get_member(g.site.site_id, authenticate(), user_id)

    @site_required(admin=True)
    @blp.arguments(RoleChangeSchema)
    @blp.response(200, MemberSchema)
    @blp.alt_response(409, description="Last admin, or your own role without confirm_self")
    @blp.alt_response(404, description="No such member in this site")
    def patch(self, data, user_id):
        """Change the member's role."""
        return members.change_role(g.site.site_id, authenticate(), user_id, data["role"], data["confirm_self"])

    @site_required(admin=True)
    @blp.arguments(ConfirmSelfQuerySchema, location="query", unknown=RAISE, error_status_code=400, as_kwargs=False)
    @blp.response(204)
    @blp.alt_response(409, description="Last admin, or yourself without confirm_self")
    @blp.alt_response(404, description="No such member in this site")
    def delete(self, params, user_id):
        """Remove the member from the site (the account stays)."""
        members.remove_member(g.site.site_id, authenticate(), user_id, params["confirm_self"])


@blp.route("/members/<int:user_id>/unlock", methods=["POST"])
@site_required(admin=True)
@blp.response(200, MemberSchema)
@blp.alt_response(403, description="The person also belongs to sites you do not administer")
def unlock_member(user_id):
    """End a lockout after failed sign-ins."""
    return members.unlock(g.site.site_id, authenticate(), user_id)


@blp.route("/members/<int:user_id>/reset-link", methods=["POST"])
@site_required(admin=True)
@blp.response(204)
@blp.alt_response(409, description="The account signs in through the identity provider, or is deactivated")
@blp.alt_response(403, description="The person also belongs to sites you do not administer")
def send_reset_link(user_id):
    """E-mail the member a link to choose a new password."""
    members.send_reset_link(g.site.site_id, authenticate(), user_id)


@blp.route("/members/<int:user_id>/deactivate", methods=["POST"])
@site_required(admin=True)
@blp.response(200, MemberSchema)
@blp.alt_response(409, description="Yourself, or the last admin of a site")
@blp.alt_response(403, description="The person also belongs to sites you do not administer")
def deactivate_member(user_id):
    """Deactivate the account: every request and session of theirs is refused from now on."""
    return members.set_active(g.site.site_id, authenticate(), user_id, False)


@blp.route("/members/<int:user_id>/reactivate", methods=["POST"])
@site_required(admin=True)
@blp.response(200, MemberSchema)
@blp.alt_response(403, description="The person also belongs to sites you do not administer")
def reactivate_member(user_id):
    """Let a deactivated account sign in again."""
    return members.set_active(g.site.site_id, authenticate(), user_id, True)


@blp.route("/invitations")
class Invitations(MethodView):
    @site_required(admin=True)
    @blp.response(200, InvitationListSchema)
    def get(self):
        """Pending invitations of the site."""
        return {"items": invitations.list_pending(g.site.site_id)}

    @site_required(admin=True)
    @blp.arguments(InvitationInSchema)
    @blp.response(201, InvitationSchema)
    @blp.alt_response(409, description="Already a member")
    @blp.alt_response(429, description="The site or the admin sent as many invitations as an hour allows; "
                                       "see Retry-After")
    def post(self, data):
        """Invite an e-mail address with a role; a single-use, expiring link is e-mailed."""
        return invitations.invite(g.site.site_id, authenticate(), data["email"], data["role"])


@blp.route("/invitations/<int:invitation_id>", methods=["DELETE"])
@site_required(admin=True)
@blp.response(204)
def revoke_invitation(invitation_id):
    """Withdraw a pending invitation; its link stops working."""
    invitations.revoke(g.site.site_id, authenticate(), invitation_id)


@blp.route("/settings")
class Settings(MethodView):
    @site_required(admin=True)
    @blp.response(200, SiteSettingsSchema)
    def get(self):
        """The site's name and default time zone."""
        return settings.get_settings(g.site.site_id)

    @site_required(admin=True)
    @blp.arguments(SiteSettingsInSchema)
    @blp.response(200, SiteSettingsSchema)
    @blp.alt_response(409, description="Another of your own sites has this name")
    def put(self, data):
        """Change the site's name and default time zone."""
        return settings.update_settings(g.site.site_id, authenticate(), data)


@public.route("/lookup", methods=["POST"])
@login_rate_limit
@public.arguments(InvitationTokenSchema)
@public.response(200, InvitationPreviewSchema)
@public.alt_response(400, description="The link is invalid, used or expired")
@public.doc(security=[])  # public: the token is the credential
def lookup_invitation(data):
    """What an invitation link offers (site, role, e-mail); 400 when invalid, used or expired."""
    return invitations.lookup(data["token"])


@public.route("/accept", methods=["POST"])
@login_rate_limit
@public.arguments(InvitationAcceptSchema)
@public.response(201, InvitationAcceptedSchema)
@public.alt_response(400, description="The link is invalid, used or expired")
@public.alt_response(409, description="Sign in with the identity provider instead (Auth0 mode), or with the "
                                      "account the address already has (details.reason existing_account)")
@public.doc(security=[])  # public: the token is the credential
def accept_invitation(data):
    """Accept with a new username and password (local sign-in); the link then stops working."""
    return invitations.accept_local(data["token"], data["username"], data["display_name"], data["password"])


@public.route("/accept-signed-in", methods=["POST"])
@login_rate_limit
@public.arguments(InvitationTokenSchema)
@public.response(200, InvitationJoinedSchema)
@public.alt_response(400, description="The link is invalid, used or expired")
@public.alt_response(401, description="Not signed in")
@public.alt_response(403, description="The invitation was sent to another address than the account's")
def accept_invitation_signed_in(data):
    """Accept with the signed-in account the invitation's address belongs to: it joins the site with the
    invitation's role (a member keeps their role); the link then stops working."""
    return invitations.accept_signed_in(data["token"], authenticate())
