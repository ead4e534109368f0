from marshmallow import fields

from ..schemas import StrictSchema


class SiteSchema(StrictSchema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    role = fields.String(required=True, metadata={"enum": ["viewer", "editor", "admin"]})
    default_timezone = fields.String(allow_none=True, metadata={"description": "Pre-fills new interactions"})


class SiteListSchema(StrictSchema):
    items = fields.List(fields.Nested(SiteSchema), required=True)
