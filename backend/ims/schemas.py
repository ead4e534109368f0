"""Schema building blocks shared by every feature: strict input, clean text, the error envelope."""
from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields

CONTROL_CHARS = {chr(c) for c in range(32)} - {"\n", "\r", "\t"}


class StrictSchema(Schema):
    """Unknown fields are an error, not silently dropped."""

    class Meta:
        unknown = RAISE


class Text(fields.String):
    """A string without NUL or other control characters (PostgreSQL cannot store NUL)."""

    def __init__(self, *args, strip: bool = False, **kwargs):
        self.strip = strip
        super().__init__(*args, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if any(ch in CONTROL_CHARS for ch in text):
            raise ValidationError("Control characters are not allowed.")
        return text.strip() if self.strip else text


class ErrorBodySchema(Schema):
    code = fields.String(required=True, metadata={"example": "validation_error"})
    message = fields.String(required=True)
    details = fields.Dict(required=True, metadata={"description": "Per-field or per-parameter messages"})


class ErrorEnvelopeSchema(Schema):
    error = fields.Nested(ErrorBodySchema, required=True)
