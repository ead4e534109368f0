"""/api/auth: sign in and out, who am I, how to sign in, password reset."""
from flask import current_app

from ..extensions import Blueprint, db
from ..ratelimit import login_rate_limit
from ..schemas import StrictSchema
from . import service, sessions, tokens
from .models import User
from .principal import Principal, authenticate, sites_of
from .schemas import (AuthConfigSchema, LoginResponseSchema, LoginSchema, PasswordResetConfirmSchema,
                      PasswordResetRequestSchema, UserSchema)

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Authentication")


def user_payload(principal: Principal) -> dict:
    return {
        "id": principal.user_id, "username": principal.username, "email": principal.email,
        "display_name": principal.display_name, "default_site_id": principal.default_site_id,
        "sites": sites_of(principal),
    }


@blp.route("/login", methods=["POST"])
@login_rate_limit
@blp.arguments(LoginSchema())
@blp.response(200, LoginResponseSchema)
@blp.alt_response(401, description="Wrong username or password")
@blp.alt_response(423, description="Account locked; see Retry-After")
@blp.alt_response(429, description="Too many attempts from this address; see Retry-After")
@blp.doc(security=[])  # public: no token needed
def login(credentials):
    signed_in = service.login(credentials["username"], credentials["password"])
    return {"access_token": signed_in.access_token, "token_type": "Bearer", "expires_in": signed_in.expires_in,
            "user": user_payload(signed_in.principal)}


@blp.route("/logout", methods=["POST"])
@blp.response(204)
def logout():
    service.logout(authenticate())


@blp.route("/logout-all", methods=["POST"])
@blp.response(204)
def logout_all():
    """Sign out everywhere: every token of the signed-in user stops working, this one included."""
    sessions.end_all_sessions(db.session.get(User, authenticate().user_id))


@blp.route("/me", methods=["GET"])
@blp.response(200, UserSchema)
def me():
    return user_payload(authenticate())


@blp.route("/config", methods=["GET"])
@blp.response(200, AuthConfigSchema)
@blp.doc(security=[])  # public: no token needed
def auth_config():
    if tokens.auth_mode() == "local":
        return {"mode": "local"}
    config = current_app.config
    return {"mode": "auth0", "domain": config["AUTH0_DOMAIN"], "client_id": config.get("AUTH0_CLIENT_ID") or "",
            "audience": config.get("AUTH0_AUDIENCE") or ""}


class AcceptedSchema(StrictSchema):
    pass


@blp.route("/password-reset", methods=["POST"])
@login_rate_limit
@blp.arguments(PasswordResetRequestSchema())
@blp.response(202, AcceptedSchema, description="Always accepted; a link is mailed if the account exists")
@blp.doc(security=[])  # public: no token needed
def password_reset(payload):
    service.request_password_reset(payload["email"])
    return {}


@blp.route("/password-reset/confirm", methods=["POST"])
@login_rate_limit
@blp.arguments(PasswordResetConfirmSchema())
@blp.response(204)
@blp.doc(security=[])  # public: no token needed
def password_reset_confirm(payload):
    service.confirm_password_reset(payload["token"], payload["password"])
