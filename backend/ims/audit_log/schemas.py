"""Query and response shapes of the audit log."""
from marshmallow import Schema, fields, validate

from ..audit import ACTIONS
from ..paging import PageQuerySchema, page_fields
from ..schemas import DateOrDateTime, UserRefSchema


class AuditQuerySchema(Schema):
    user_id = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1), metadata={"description": "Who"})
    action = fields.List(fields.String(validate=validate.OneOf(ACTIONS)), validate=validate.Length(max=len(ACTIONS)),
                         metadata={"description": "May repeat (any of)"})
    start_from = DateOrDateTime(metadata={"description": "Date or datetime; inclusive"})
    start_to = DateOrDateTime(end_of_day=True, metadata={"description": "Date (whole day) or datetime; inclusive"})


class AuditPageQuerySchema(AuditQuerySchema, PageQuerySchema):
    pass


class AuditEventSchema(Schema):
    id = fields.Integer(required=True)
    occurred_at = fields.String(required=True, metadata={"format": "date-time"})
    action = fields.String(required=True, metadata={"enum": list(ACTIONS)})
    user = fields.Nested(UserRefSchema, allow_none=True, required=True)
    entity_type = fields.String(allow_none=True, required=True)
    entity_id = fields.Integer(allow_none=True, required=True)
    changes = fields.Raw(allow_none=True, required=True, metadata={"type": "object"})
    client_ip = fields.String(allow_none=True, required=True)


AuditPageSchema = Schema.from_dict(page_fields(AuditEventSchema), name="AuditPage")
