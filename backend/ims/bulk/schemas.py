"""Shapes of a bulk action: what it changes, which records (selected rows with their versions, or every
record matching the Finder's query as of a moment the server gave), and the report it answers."""
from __future__ import annotations

from datetime import timedelta

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from .. import background
from ..interactions.fields import BY_NAME
from ..interactions.schemas import ExportQuerySchema
from ..schemas import StrictSchema, Text
from ..timeutil import utcnow

MAX_RECORDS = 100_000  # one action reaches at most this many records
MAX_SELECTED_ROWS = 5_000  # rows sent one by one (with their versions); more: "all matching" the query
SYNC_LIMIT = 200  # up to this many, the action answers when done; beyond, it runs in the background
SELECTION_MAX_AGE = timedelta(hours=12)  # an older "all matching" selection is chosen again
LISTED_CONFLICTS = 100  # the report names at most this many records left alone
CHANGEABLE = ("type", "lead", "location")


class ChangesSchema(StrictSchema):
    """The fields to set, each checked as the record form checks it; at least one."""

    type = fields.String(validate=validate.OneOf(BY_NAME["type"].choices))
    lead = Text(strip=True, validate=validate.Length(min=1, max=BY_NAME["lead"].max_length))
    location = Text(strip=True, validate=validate.Length(max=BY_NAME["location"].max_length))

    @validates_schema
    def something(self, data, **kwargs):
        if not data:
            raise ValidationError("Give a field to change: " + ", ".join(CHANGEABLE) + ".", field_name="_schema")


class SelectedSchema(StrictSchema):
    id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=2**63 - 1))
    version = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=2**31 - 1),
                             metadata={"description": "The version the row had when it was selected"})


class SelectionQuerySchema(ExportQuerySchema):
    """The Finder's query parameters as JSON: `{"search": "budget", "type": ["Call"]}`."""


class BulkInSchema(StrictSchema):
    action = fields.String(required=True, validate=validate.OneOf(("change", "delete")))
    changes = fields.Nested(ChangesSchema, metadata={"description": "For a change: the fields to set"})
    ids = fields.List(fields.Nested(SelectedSchema), validate=validate.Length(min=1, max=MAX_SELECTED_ROWS),
                      metadata={"description": "Selected rows, each with the version it was selected at"})
    query = fields.Nested(SelectionQuerySchema, metadata={"description": "Every record matching the Finder's query"})
    as_of = fields.AwareDateTime(format="iso", metadata={
        "description": "With `query`: the `as_of` that POST /api/bulk/selection answered; records changed "
                       "after it are reported and left alone"})

    @validates_schema
    def one_selection(self, data, **kwargs):
        if ("ids" in data) == ("query" in data):
            raise ValidationError("Send either `ids` or `query`.", field_name="ids")
        if "query" in data:
            as_of = data.get("as_of")
            if as_of is None:
                raise ValidationError("Send the `as_of` of the selection.", field_name="as_of")
            now = utcnow()
            if as_of > now:
                raise ValidationError("This moment has not come yet.", field_name="as_of")
            if as_of < now - SELECTION_MAX_AGE:
                raise ValidationError("The selection is too old: select the records again.", field_name="as_of")
        elif "as_of" in data:
            raise ValidationError("`as_of` goes with `query`.", field_name="as_of")
        if data["action"] == "change" and "changes" not in data:
            raise ValidationError("Give the fields to change.", field_name="changes")
        if data["action"] == "delete" and "changes" in data:
            raise ValidationError("A delete changes no field.", field_name="changes")

    @post_load(pass_original=True)
    def keep_query_params(self, data, original, **kwargs):
        """Keep the parameters of an "all matching" query as sent: a resume reads them again (the loaded
        query, its dates made bounds, does not turn back into them)."""
        if "query" in data:
            data["query_params"] = dict(original["query"])
        return data


class SelectionInSchema(StrictSchema):
    query = fields.Nested(SelectionQuerySchema, required=True)


class SelectionSchema(Schema):
    total = fields.Integer(required=True, metadata={"description": f"Matches, counted up to {MAX_RECORDS + 1:,}"})
    over_limit = fields.Boolean(required=True, metadata={"description": f"More than {MAX_RECORDS:,}: narrow the query"})
    limit = fields.Integer(required=True)
    as_of = fields.String(required=True, metadata={"format": "date-time",
                                                   "description": "Send it back with the action"})


class LeftAloneSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True, allow_none=True, metadata={"description": "null: no longer in the Finder"})


class BulkJobSchema(Schema):
    id = fields.Integer(required=True)
    action = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(("running", "done", "failed")))
    changes = fields.Dict(required=True)
    criteria = fields.Dict(required=True)
    total = fields.Integer(required=True)
    processed = fields.Integer(required=True)
    changed = fields.Integer(required=True)
    unchanged = fields.Integer(required=True, metadata={"description": "Already as asked: no new version"})
    conflicts = fields.Integer(required=True, metadata={"description": "Changed by someone else: left alone"})
    failed = fields.Integer(required=True)
    left_alone = fields.List(fields.Nested(LeftAloneSchema), required=True,
                             metadata={"description": f"The first {LISTED_CONFLICTS} conflicts"})
    can_undo = fields.Boolean(required=True, metadata={
        "description": "A finished delete not yet undone, and you started it or are an admin of the site"})
    stalled = fields.Boolean(required=True, metadata={
        "description": f"Running, but no progress for {background.STALE_SECONDS // 60} minutes: its process ended before it "
                       "finished"})
    can_resume = fields.Boolean(required=True, metadata={
        "description": "Stalled or failed, and you started it or are an admin of the site: "
                       "POST /api/bulk/{job_id}/resume runs the records it has not reached"})
    undo_of = fields.Integer(required=True, allow_none=True)
    undone_by = fields.Integer(required=True, allow_none=True)
    created_at = fields.String(required=True)
    finished_at = fields.String(required=True, allow_none=True)
