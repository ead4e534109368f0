"""Shapes of My account."""
from marshmallow import Schema, ValidationError, fields, pre_load, validate

from ..auth.schemas import UserSchema
from ..schemas import StrictSchema, Text


class AccountSchema(UserSchema):
    has_password = fields.Boolean(required=True, metadata={"description": "false: signs in through Auth0"})
    pending_email = fields.String(required=True, allow_none=True, metadata={
        "description": "The new address waiting for its confirmation link to be opened; null: none"})


class AccountUpdateSchema(StrictSchema):
    display_name = Text(strip=True, validate=validate.Length(min=1, max=150))
    # Checked against the person's sites in the service (not a range here: any id not theirs is a 422).
    default_site_id = fields.Integer(allow_none=True, strict=True,
                                     metadata={"description": "The site opened after sign-in; one of yours"})

    @pre_load
    def _email_has_its_own_endpoint(self, data, **_kwargs):
        if isinstance(data, dict) and "email" in data:
            raise ValidationError({"email": ["Change your e-mail address with POST /api/account/email: it needs "
                                             "your current password and a confirmation from the new address."]})
        return data


class PasswordChangeSchema(StrictSchema):
    current_password = fields.String(required=True, validate=validate.Length(min=1, max=256))
    new_password = fields.String(required=True, validate=validate.Length(min=1, max=256))


class EmailChangeSchema(StrictSchema):
    current_password = fields.String(required=True, validate=validate.Length(min=1, max=256))
    new_email = Text(required=True, strip=True, validate=[validate.Length(max=254), validate.Email()])


class EmailChangePendingSchema(Schema):
    new_email = fields.String(required=True, metadata={"description": "Where the confirmation link was sent"})
    expires_at = fields.String(required=True, metadata={"description": "When the link stops working (UTC)"})


class EmailConfirmSchema(StrictSchema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=200))


class EmailConfirmedSchema(Schema):
    email = fields.String(required=True, metadata={"description": "The account's e-mail address from now on"})
