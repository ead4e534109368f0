"""Request and response shapes of the auth endpoints."""
from marshmallow import fields, validate

from ..schemas import StrictSchema, Text
from ..sites.models import ROLES


class LoginSchema(StrictSchema):
    username = Text(required=True, strip=True, validate=validate.Length(min=1, max=150))
    password = fields.String(required=True, validate=validate.Length(min=1, max=256))


class SiteSchema(StrictSchema):
    """One site of the signed-in user and their role there (`Membership.as_dict`)."""

    id = fields.Integer(required=True)
    name = fields.String(required=True)
    role = fields.String(required=True, metadata={"enum": list(ROLES)})
    default_timezone = fields.String(allow_none=True, metadata={"description": "Pre-fills new interactions"})


class UserSchema(StrictSchema):
    id = fields.Integer(required=True)
    username = fields.String(required=True)
    email = fields.String(required=True)
    display_name = fields.String(required=True)
    default_site_id = fields.Integer(allow_none=True, required=True)
    sites = fields.List(fields.Nested(SiteSchema), required=True)


class LoginResponseSchema(StrictSchema):
    access_token = fields.String(required=True)
    token_type = fields.String(required=True, metadata={"example": "Bearer"})
    expires_in = fields.Integer(required=True)
    user = fields.Nested(UserSchema, required=True)


class AuthConfigSchema(StrictSchema):
    mode = fields.String(required=True, validate=validate.OneOf(["local", "auth0"]))
    domain = fields.String()
    client_id = fields.String()
    audience = fields.String()


class PasswordResetRequestSchema(StrictSchema):
    email = Text(required=True, strip=True, validate=[validate.Length(max=254), validate.Email()])


class PasswordResetConfirmSchema(StrictSchema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    password = fields.String(required=True, validate=validate.Length(min=1, max=256))
