"""Shapes of My account."""
from marshmallow import fields, validate

from ..auth.schemas import UserSchema
from ..schemas import StrictSchema, Text


class AccountSchema(UserSchema):
    has_password = fields.Boolean(required=True, metadata={"description": "false: signs in through Auth0"})


class AccountUpdateSchema(StrictSchema):
    display_name = Text(strip=True, validate=validate.Length(min=1, max=150))
    email = Text(strip=True, validate=[validate.Length(max=254), validate.Email()])
    # Checked against the person's sites in the service (not a range here: any id not theirs is a 422).
    default_site_id = fields.Integer(allow_none=True, strict=True,
                                     metadata={"description": "The site opened after sign-in; one of yours"})


class PasswordChangeSchema(StrictSchema):
    current_password = fields.String(required=True, validate=validate.Length(min=1, max=256))
    new_password = fields.String(required=True, validate=validate.Length(min=1, max=256))
