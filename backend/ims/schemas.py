"""Schema building blocks shared by every feature: strict input, clean text, a date or datetime bound,
a reference to a person, a value list, the error envelope."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone

from marshmallow import RAISE, Schema, ValidationError, fields

from .timeutil import TimeBound

MIN_YEAR, MAX_YEAR = 1900, 2200
CONTROL_CHARS = {chr(c) for c in range(32)} - {"\n", "\r", "\t"}
HAS_CONTROL_CHAR = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]").search  # one of CONTROL_CHARS


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
        if HAS_CONTROL_CHAR(text):
            raise ValidationError("Control characters are not allowed.")
        return text.strip() if self.strip else text


class DateOrDateTime(fields.Field):
    """`2026-03-01` (a whole UTC day) or an ISO datetime with offset."""

    def __init__(self, *, end_of_day: bool = False, **kwargs):
        self.end_of_day = end_of_day
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or len(value) > 40:
            raise ValidationError("Use a date (YYYY-MM-DD) or an ISO 8601 datetime with offset.")
        try:
            if len(value) == 10:
                day = date.fromisoformat(value)
                moment = datetime.combine(day, time.min, tzinfo=timezone.utc)
                # start_to=2026-03-01 includes the whole day: the bound becomes the next midnight (exclusive).
                return TimeBound(moment + timedelta(days=1), True) if self.end_of_day else TimeBound(moment, False)
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except (ValueError, OverflowError) as exc:
            raise ValidationError("Use a date (YYYY-MM-DD) or an ISO 8601 datetime with offset.") from exc
        if moment.tzinfo is None:
            raise ValidationError("A datetime needs an offset, e.g. 2026-03-01T09:00:00+01:00.")
        if not MIN_YEAR <= moment.year <= MAX_YEAR:
            raise ValidationError(f"Use a date between {MIN_YEAR} and {MAX_YEAR}.")
        return TimeBound(moment, False)


class UserRefSchema(Schema):
    id = fields.Integer(required=True)
    display_name = fields.String(required=True)


class ValueListSchema(Schema):
    items = fields.List(fields.String(), required=True)


class ErrorBodySchema(Schema):
    code = fields.String(required=True, metadata={"example": "validation_error"})
    message = fields.String(required=True)
    details = fields.Dict(required=True, metadata={"description": "Per-field or per-parameter messages"})


class ErrorEnvelopeSchema(Schema):
    error = fields.Nested(ErrorBodySchema, required=True)
