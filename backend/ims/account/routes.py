"""/api/account: the signed-in person's own account (everyone); confirming a new e-mail address (public)."""
from flask.views import MethodView

from ..auth.principal import authenticate, login_required
from ..extensions import Blueprint
from ..ratelimit import login_rate_limit
from . import service
from .schemas import (AccountSchema, AccountUpdateSchema, EmailChangePendingSchema, EmailChangeSchema,
                      EmailConfirmedSchema, EmailConfirmSchema, PasswordChangeSchema)

blp = Blueprint("account", __name__, url_prefix="/api/account", description="My account")


@blp.route("")
class Account(MethodView):
    @login_required
    @blp.response(200, AccountSchema)
    def get(self):
        """Your account and sites."""
        return service.get_account(authenticate())

    @login_required
    @blp.arguments(AccountUpdateSchema)
    @blp.response(200, AccountSchema)
    def patch(self, data):
        """Change your display name or default site (the e-mail address: POST /api/account/email)."""
        return service.update_profile(authenticate(), data)


@blp.route("/password", methods=["POST"])
@login_required
@login_rate_limit
@blp.arguments(PasswordChangeSchema)
@blp.response(204)
@blp.alt_response(409, description="The account signs in through the identity provider")
@blp.alt_response(423, description="Too many wrong passwords: locked like a sign-in; see Retry-After")
@blp.alt_response(429, description="Too many attempts from this address; see Retry-After")
def change_password(data):
    """Change your password; the current one is required (422 when wrong), and each check of it counts
    like a sign-in attempt."""
    service.change_password(authenticate(), data["current_password"], data["new_password"])


@blp.route("/email", methods=["POST"])
@login_rate_limit
@login_required
@blp.arguments(EmailChangeSchema)
@blp.response(202, EmailChangePendingSchema, description="A confirmation link was mailed to the new address")
@blp.alt_response(409, description="The account signs in through the identity provider")
@blp.alt_response(429, description="Too many attempts from this address; see Retry-After")
def change_email(data):
    """Ask to change your e-mail address; the current password is required (422 when wrong). Nothing
    changes until the link mailed to the new address is opened; the current address is told."""
    return service.request_email_change(authenticate(), data["current_password"], data["new_email"])


@blp.route("/email/confirm", methods=["POST"])
@login_rate_limit
@blp.arguments(EmailConfirmSchema)
@blp.response(200, EmailConfirmedSchema)
@blp.alt_response(400, description="The link is invalid, expired, replaced or already used")
@blp.alt_response(429, description="Too many attempts from this address; see Retry-After")
@blp.doc(security=[])  # public: the mailed token is the credential
def confirm_email(data):
    """Make the new e-mail address the account's, from the link mailed to it (works once)."""
    return service.confirm_email_change(data["token"])
