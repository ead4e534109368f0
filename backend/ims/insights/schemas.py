"""The insights' query (the Finder's parameters, plus the period and how many leads and locations) and answer."""
from __future__ import annotations

from marshmallow import RAISE, Schema, fields, post_load, validate

from ..interactions.fields import INTERACTION_TYPES
from ..interactions.schemas import FinderQuerySchema
from .queries import InsightsQuery

INTERVALS = ("week", "month")


class InsightsQuerySchema(FinderQuerySchema):
    """The Finder's own query schema (search, filters, `tz`; its sort is accepted and ignored) plus the period."""
    class Meta:
        unknown = RAISE
        exclude = ("page", "page_size")

    interval = fields.String(load_default="week", validate=validate.OneOf(INTERVALS),
                             metadata={"description": "Bars per week or per month, in `tz`"})
    top = fields.Integer(load_default=10, validate=validate.Range(min=1, max=50),
                         metadata={"description": "How many of the busiest leads and locations"})

    @post_load
    def as_query(self, data, **kwargs) -> InsightsQuery:
        interval, top = data.pop("interval"), data.pop("top")
        return InsightsQuery(super().as_query(data), interval, top)


class FinderWindowSchema(Schema):
    start_from = fields.String(required=True, allow_none=True, metadata={"format": "date-time"})
    start_to = fields.String(required=True, allow_none=True, metadata={"format": "date-time",
                                                                      "description": "Inclusive, as the Finder reads it"})


class PeriodSchema(FinderWindowSchema):
    start = fields.Date(required=True, metadata={"description": "First day of the week or month in `tz`"})
    counts = fields.Dict(keys=fields.String(validate=validate.OneOf(INTERACTION_TYPES)), values=fields.Integer(),
                         required=True)
    total = fields.Integer(required=True)


class CountSchema(Schema):
    name = fields.String(required=True)
    count = fields.Integer(required=True)


class HourSchema(Schema):
    weekday = fields.Integer(required=True, metadata={"description": "ISO weekday, 1 = Monday"})
    hour = fields.Integer(required=True)
    count = fields.Integer(required=True)


class UpcomingItemSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    type = fields.String(required=True)
    lead = fields.String(required=True)
    location = fields.String(required=True)
    start_datetime = fields.String(required=True, metadata={"format": "date-time"})
    timezone = fields.String(required=True)


class UpcomingSchema(FinderWindowSchema):
    total = fields.Integer(required=True)
    items = fields.List(fields.Nested(UpcomingItemSchema), required=True)


class InsightsSchema(Schema):
    tz = fields.String(required=True)
    interval = fields.String(required=True, validate=validate.OneOf(INTERVALS))
    total = fields.Integer(required=True)
    periods = fields.List(fields.Nested(PeriodSchema), required=True)
    leads = fields.List(fields.Nested(CountSchema), required=True)
    locations = fields.List(fields.Nested(CountSchema), required=True)
    heatmap = fields.List(fields.Nested(HourSchema), required=True)
    upcoming = fields.Nested(UpcomingSchema, required=True)
