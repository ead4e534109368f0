"""The insights' query (the Finder's parameters, plus the period and how many leads and locations) and answer."""
from __future__ import annotations

from marshmallow import RAISE, Schema, fields, post_load, validate

from ..interactions.fields import INTERACTION_TYPES
from ..interactions.schemas import FinderQuerySchema, InteractionSchema
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


UPCOMING_FIELDS = ("id", "title", "type", "lead", "location", "start_datetime", "timezone")


class UpcomingItemSchema(InteractionSchema):
    """A row of the coming week: the interaction's own answer, less what a list line does not show."""
    class Meta:
        exclude = tuple(name for name in InteractionSchema._declared_fields if name not in UPCOMING_FIELDS)


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
