"""Shapes of My account."""
from marshmallow import fields, validate

from ..auth.schemas import UserSchema
from ..schemas import StrictSchema, Text


class AccountSchema(UserSchema):
    has_password = fields.Boolean(required=True, metadata={"description": "false: signs in through Auth0"})


class AccountUpdateSchema(StrictSchema):
    display_name = Text(strip=True, validate=validate.Length(min=1, max=150))
    email = Text(strip=True, validate=[validate.Length(max=254), validate.Email()])
    default_site_id = fields.Integer(allow_none=True, strict=True, validate=validate.Range(min=1, max=2**31 - 1),
                                     metadata={"description": "The site opened after sign-in"})


class PasswordChangeSchema(StrictSchema):
    current_password = fields.String(required=True, validate=validate.Length(min=1, max=256))
    new_password = fields.String(required=True, validate=validate.Length(min=1, max=256))
