"""Shapes of GET /api/sites."""
from marshmallow import fields

from ..auth.schemas import SiteSchema
from ..schemas import StrictSchema


class SiteListSchema(StrictSchema):
    items = fields.List(fields.Nested(SiteSchema), required=True)
