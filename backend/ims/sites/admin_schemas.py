"""Request and response shapes of site administration: members, invitations, settings."""
from marshmallow import Schema, ValidationError, fields, validate

from ..auth import usernames
from ..paging import PageQuerySchema, page_fields
from ..schemas import StrictSchema, Text, UserRefSchema
from ..timeutil import valid_timezones
from .members import SORT_COLUMNS
from .models import ROLES

ROLE = fields.String(required=True, validate=validate.OneOf(ROLES))
EMAIL = Text(required=True, strip=True, validate=[validate.Length(max=254), validate.Email()])


class MemberSort(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        name = text.lstrip("-")
        if name not in SORT_COLUMNS:
            raise ValidationError(f"Cannot sort by {name!r}; use one of: {', '.join(SORT_COLUMNS)}.")
        return name, text.startswith("-")


class MemberQuerySchema(PageQuerySchema):
    search = Text(validate=validate.Length(max=100), metadata={"description": "Words in name, username or e-mail"})
    sort = MemberSort(load_default=("display_name", False), metadata={"example": "-last_login_at"})


class MemberSchema(Schema):
    user_id = fields.Integer(required=True)
    username = fields.String(required=True)
    display_name = fields.String(required=True)
    email = fields.String(required=True)
    role = fields.String(required=True, metadata={"enum": list(ROLES)})
    last_login_at = fields.String(allow_none=True, required=True, metadata={"format": "date-time"})
    is_active = fields.Boolean(required=True)
    locked = fields.Boolean(required=True)
    locked_until = fields.String(allow_none=True, required=True, metadata={"format": "date-time"})
    auth = fields.String(required=True, metadata={"enum": ["local", "external"],
                                                  "description": "external: signs in through Auth0"})
    account_wide = fields.Boolean(required=True, metadata={
        "description": "You administer every site of this person: unlock, reset link and (de)activation are yours"})


MemberPageSchema = Schema.from_dict(page_fields(MemberSchema), name="MemberPage")


class MemberAddSchema(StrictSchema):
    user = Text(required=True, strip=True, validate=[
        validate.Length(max=254),
        validate.Email(error="Enter the person's e-mail address: adding someone sends them an invitation "
                             "to accept, whether or not they already have an account.")],
        metadata={"description": "E-mail address of the person to add; they are sent an invitation to accept"})
    role = ROLE


class RoleChangeSchema(StrictSchema):
    role = ROLE
    confirm_self = fields.Boolean(load_default=False, metadata={"description": "Needed to demote yourself"})


class ConfirmSelfQuerySchema(Schema):
    confirm_self = fields.Boolean(load_default=False, metadata={"description": "Needed to remove yourself"})


class InvitationInSchema(StrictSchema):
    email = EMAIL
    role = ROLE


class InvitationSchema(Schema):
    id = fields.Integer(required=True)
    email = fields.String(required=True)
    role = fields.String(required=True)
    invited_by = fields.Nested(UserRefSchema, allow_none=True, required=True)
    created_at = fields.String(required=True, metadata={"format": "date-time"})
    expires_at = fields.String(required=True, metadata={"format": "date-time"})


class InvitationListSchema(Schema):
    items = fields.List(fields.Nested(InvitationSchema), required=True)


def _validate_timezone(value):
    if value is not None and value not in valid_timezones():
        raise ValidationError("Not a known IANA timezone (e.g. Europe/Berlin).")


class SiteSettingsInSchema(StrictSchema):
    name = Text(required=True, strip=True, validate=validate.Length(min=1, max=100))
    default_timezone = fields.String(required=True, allow_none=True, validate=_validate_timezone,
                                     metadata={"description": "Pre-fills new interactions; null: the browser's"})


class SiteSettingsSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    default_timezone = fields.String(allow_none=True, required=True)


def _valid_username(value):
    if problems := usernames.problems(value):
        raise ValidationError(problems)


class InvitationTokenSchema(StrictSchema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=200))


class InvitationPreviewSchema(Schema):
    email = fields.String(required=True)
    role = fields.String(required=True)
    site_name = fields.String(required=True)
    invited_by = fields.String(allow_none=True, required=True)
    expires_at = fields.String(required=True, metadata={"format": "date-time"})
    auth_mode = fields.String(required=True, metadata={"enum": ["local", "auth0"]})
    existing_account = fields.Boolean(required=True, metadata={
        "description": "The address has an account: sign in with it and accept (POST /api/invitations/accept-signed-in)"})


class InvitationAcceptSchema(InvitationTokenSchema):
    username = Text(required=True, strip=True, validate=_valid_username,
                    metadata={"description": "2-150 letters, digits, . _ -; never an e-mail address"})
    display_name = Text(required=True, strip=True, validate=validate.Length(min=1, max=150))
    password = fields.String(required=True, validate=validate.Length(min=1, max=256))


class InvitationAcceptedSchema(Schema):
    username = fields.String(required=True)
    site_name = fields.String(required=True)


class InvitationJoinedSchema(Schema):
    site_id = fields.Integer(required=True)
    site_name = fields.String(required=True)
    role = fields.String(required=True, metadata={"enum": list(ROLES), "description": "The role now held there"})
