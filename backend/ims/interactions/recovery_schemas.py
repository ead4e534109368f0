"""Shapes of an interaction's history, a restore, and the recently deleted list."""
from marshmallow import Schema, fields, validate

from ..paging import PageQuerySchema, page_fields
from ..schemas import StrictSchema, UserRefSchema
from .history import EXCERPT_CHARS, HISTORY_ACTIONS, MAX_PAGE_SIZE


class ChangeSchema(Schema):
    from_ = fields.Raw(required=True, allow_none=True, attribute="from", data_key="from")
    to = fields.Raw(required=True, allow_none=True)
    truncated = fields.Boolean(required=True, metadata={
        "description": f"true: `from` and `to` are excerpts of at most {EXCERPT_CHARS} characters from `offset`; "
                       "the entry's own address answers them whole"})
    offset = fields.Integer(metadata={"description": "Where both excerpts start (when truncated)"})
    from_length = fields.Integer(metadata={"description": "Length of the whole `from` text (when truncated)"})
    to_length = fields.Integer(metadata={"description": "Length of the whole `to` text (when truncated)"})


class HistoryEntrySchema(Schema):
    id = fields.Integer(required=True, allow_none=True, metadata={
        "description": "GET …/history/{id} answers this entry with its texts whole; null for a first version "
                       "older than the audit trail"})
    version = fields.Integer(required=True)
    action = fields.String(required=True, metadata={"enum": list(HISTORY_ACTIONS)})
    occurred_at = fields.String(required=True, metadata={"format": "date-time"})
    user = fields.Nested(UserRefSchema, allow_none=True, required=True)
    changes = fields.Dict(keys=fields.String(), values=fields.Nested(ChangeSchema), required=True,
                          metadata={"description": "field → {from, to}: what this version changed"})
    restored_from = fields.Integer(allow_none=True, required=True)


class HistoryQuerySchema(PageQuerySchema):
    page_size = fields.Integer(load_default=10, validate=validate.Range(min=1, max=MAX_PAGE_SIZE),
                               metadata={"description": f"At most {MAX_PAGE_SIZE}"})


HistoryPageSchema = Schema.from_dict(page_fields(HistoryEntrySchema), name="HistoryPage")


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
