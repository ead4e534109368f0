"""Shapes of an interaction's history, a restore, and the recently deleted list."""
from marshmallow import Schema, fields, validate

from ..paging import page_fields
from ..schemas import StrictSchema
from .schemas import UserRefSchema


class HistoryEntrySchema(Schema):
    version = fields.Integer(required=True)
    action = fields.String(required=True, metadata={"enum": ["create", "update", "restore", "delete", "undelete"]})
    occurred_at = fields.String(required=True, metadata={"format": "date-time"})
    user = fields.Nested(UserRefSchema, allow_none=True, required=True)
    changes = fields.Dict(required=True, metadata={"description": "field → {from, to}"})
    snapshot = fields.Dict(allow_none=True, required=True,
                           metadata={"description": "Every editable field as it was in this version"})
    restored_from = fields.Integer(allow_none=True, required=True)


class HistorySchema(Schema):
    items = fields.List(fields.Nested(HistoryEntrySchema), required=True)


class RestoreSchema(StrictSchema):
    restore_version = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=2**31 - 1),
                                     metadata={"description": "The earlier version to bring back"})
    version = fields.Integer(strict=True, validate=validate.Range(min=1, max=2**31 - 1),
                             metadata={"description": "The version you loaded; or send If-Match"})


class DeletedInteractionSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    type = fields.String(required=True)
    lead = fields.String(required=True)
    start_datetime = fields.String(required=True, metadata={"format": "date-time"})
    timezone = fields.String(required=True)
    deleted_at = fields.String(required=True, metadata={"format": "date-time"})
    deleted_by = fields.Nested(UserRefSchema, allow_none=True, required=True)


DeletedPageSchema = Schema.from_dict(page_fields(DeletedInteractionSchema), name="DeletedInteractionPage")
