"""Shapes of interactions in and out, and of the Finder's query parameters."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validate, validates_schema

from ..schemas import StrictSchema, Text
from ..timeutil import valid_timezones
from .fields import FIELDS, INTERACTION_TYPES, SORTABLE_FIELDS, Field
from .queries import FinderQuery, SortKey, TimeBound

MIN_YEAR, MAX_YEAR = 1900, 2200
SEARCH_WINDOW = 5_000


def _validate_timezone(value: str) -> None:
    if value not in valid_timezones():
        raise ValidationError("Not a known IANA timezone (e.g. Europe/Berlin).")


def _validate_year(value: datetime) -> None:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValidationError(f"Use a date between {MIN_YEAR} and {MAX_YEAR}.")


def _input_field(field: Field) -> fields.Field:
    """How the API reads a field: required text is stripped and not empty; optional text may be null."""
    info = {"metadata": {"description": field.description}} if field.description else {}
    if field.kind == "datetime":
        return fields.AwareDateTime(required=True, format="iso", validate=_validate_year, **info)
    if field.kind == "timezone":
        return fields.String(required=True, validate=_validate_timezone, **info)
    if field.kind == "choice":
        return fields.String(required=True, validate=validate.OneOf(field.choices), **info)
    if field.required:
        return Text(required=True, strip=True, validate=validate.Length(min=1, max=field.max_length), **info)
    return Text(load_default="", allow_none=True, validate=validate.Length(max=field.max_length), **info)


def _output_field(field: Field) -> fields.Field:
    if field.kind == "datetime":
        return fields.String(required=True, metadata={"format": "date-time"})
    if field.kind == "choice":
        return fields.String(required=True, validate=validate.OneOf(field.choices))
    return fields.String(required=True)


class InteractionInSchema(StrictSchema.from_dict({f.name: _input_field(f) for f in FIELDS})):
    @validates_schema
    def end_not_before_start(self, data, **kwargs):
        start, end = data.get("start_datetime"), data.get("end_datetime")
        if start and end and end < start:
            raise ValidationError("The end must not be before the start.", field_name="end_datetime")


class InteractionUpdateSchema(InteractionInSchema):
    version = fields.Integer(strict=True, validate=validate.Range(min=1, max=2**31 - 1),
                             metadata={"description": "The version you loaded; or send If-Match"})


class UserRefSchema(Schema):
    id = fields.Integer(required=True)
    display_name = fields.String(required=True)


class InteractionSchema(Schema.from_dict({
    "id": fields.Integer(required=True),
    "site_id": fields.Integer(required=True),
    **{f.name: _output_field(f) for f in FIELDS},
    "version": fields.Integer(required=True),
    "created_at": fields.String(required=True, metadata={"format": "date-time"}),
    "updated_at": fields.String(required=True, metadata={"format": "date-time"}),
    "created_by": fields.Nested(UserRefSchema, allow_none=True, required=True),
    "updated_by": fields.Nested(UserRefSchema, allow_none=True, required=True),
})):
    """A stored interaction: its fields and what the server keeps around them."""


class InteractionPageSchema(Schema):
    items = fields.List(fields.Nested(InteractionSchema), required=True)
    page = fields.Integer(required=True)
    page_size = fields.Integer(required=True)
    total = fields.Integer(required=True)
    pages = fields.Integer(required=True)
    total_exact = fields.Boolean(required=True, metadata={"description": "false when total is a cap"})


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


class SortField(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        keys, seen = [], set()
        for part in (p.strip() for p in text.split(",")):
            if not part:
                continue
            name = part.lstrip("-+")
            if name not in SORTABLE_FIELDS:
                raise ValidationError(f"Cannot sort by {name!r}; use one of: {', '.join(SORTABLE_FIELDS)}.")
            if name not in seen:
                seen.add(name)
                keys.append(SortKey(name, part.startswith("-")))
        if not keys:
            raise ValidationError("Give at least one field to sort by.")
        return tuple(keys)


class FinderQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    search = Text(validate=validate.Length(max=200), metadata={"description": "Every word must match"})
    type = fields.List(fields.String(validate=validate.OneOf(INTERACTION_TYPES)), validate=validate.Length(max=8))
    lead = Text(validate=validate.Length(max=100))
    location = Text(validate=validate.Length(max=200))
    title = Text(validate=validate.Length(max=200))
    start_from = DateOrDateTime(metadata={"description": "Date or datetime; inclusive"})
    start_to = DateOrDateTime(end_of_day=True, metadata={"description": "Date (whole day) or datetime; inclusive"})
    weekday = fields.Integer(validate=validate.Range(min=1, max=7),
                             metadata={"description": "ISO weekday of the start in `tz` (1 = Monday)"})
    hour = fields.Integer(validate=validate.Range(min=0, max=23), metadata={"description": "Hour of the start in `tz`"})
    tz = fields.String(load_default="UTC", validate=_validate_timezone,
                       metadata={"description": "IANA zone the viewer reads `weekday` and `hour` in"})
    sort = SortField(load_default=(("start_datetime", True),), metadata={"example": "-start_datetime,title"})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000),
                          metadata={"description": "With a search, page × page_size is at most 5,000"})
    page_size = fields.Integer(load_default=25, validate=validate.Range(min=1, max=100))

    @validates_schema
    def range_in_order(self, data, **kwargs):
        start, end = data.get("start_from"), data.get("start_to")
        if start and end and end[0] < start[0]:
            raise ValidationError("start_to must not be before start_from.", field_name="start_to")

    @validates_schema
    def search_within_window(self, data, **kwargs):
        # A search word is rechecked row by row, so a deep page of a search costs as many rows as it
        # skips; searches show their first SEARCH_WINDOW matches (their count stops at 1,000 anyway).
        if "page" in data and (data.get("search") or "").split() and \
                data["page"] * data.get("page_size", 25) > SEARCH_WINDOW:
            raise ValidationError(f"A search shows its first {SEARCH_WINDOW:,} matches: add a word or a filter "
                                  "to narrow it, or sort the other way.", field_name="page")


    @post_load
    def as_query(self, data, **kwargs) -> FinderQuery:
        types, sort = tuple(data.pop("type", ())), tuple(SortKey(*key) for key in data.pop("sort"))
        return FinderQuery(types=types, sort=sort, **data)


class ExportQuerySchema(FinderQuerySchema):
    class Meta:
        unknown = RAISE
        exclude = ("page", "page_size")


class ValueListSchema(Schema):
    items = fields.List(fields.String(), required=True)
