"""Shapes of interactions in and out, and of the Finder's query parameters."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validate, validates_schema

from ..schemas import MAX_YEAR, MIN_YEAR, DateOrDateTime, StrictSchema, Text, UserRefSchema
from ..timeutil import valid_timezones
from .fields import CLOCK_KINDS, EXACT, FIELDS, Field, Filter, filters_of, sortable_of
from .queries import FinderQuery, SortKey

SEARCH_WINDOW = 5_000


def _validate_timezone(value: str) -> None:
    if value not in valid_timezones():
        raise ValidationError("Not a known IANA timezone (e.g. Europe/Berlin).")


def _validate_year(value: datetime) -> None:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValidationError(f"Use a date between {MIN_YEAR} and {MAX_YEAR}.")


def _input_field(field: Field) -> fields.Field:
    """How the API reads a field: required text is stripped and not empty; optional text may be null; an
    optional choice left out is its default."""
    info = {"metadata": {key: value for key, value in (("description", field.description),
                                                       ("example", field.example)) if value}}
    if field.kind == "datetime":
        return fields.AwareDateTime(required=True, format="iso", validate=_validate_year, **info)
    if field.kind == "timezone":
        return fields.String(required=True, validate=_validate_timezone, **info)
    if field.kind == "choice":
        presence = {"required": True} if field.required else {"load_default": field.stored_default}
        return fields.String(validate=validate.OneOf(field.choices), **presence, **info)
    if field.required:
        return Text(required=True, strip=True, validate=validate.Length(min=1, max=field.max_length), **info)
    return Text(load_default="", allow_none=True, validate=validate.Length(max=field.max_length), **info)


def _output_field(field: Field) -> fields.Field:
    if field.kind == "datetime":
        return fields.String(required=True, metadata={"format": "date-time"})
    if field.kind == "choice":
        return fields.String(required=True, validate=validate.OneOf(field.choices))
    return fields.String(required=True)


class _InteractionIn(StrictSchema):
    @validates_schema
    def end_not_before_start(self, data, **kwargs):
        start, end = data.get("start_datetime"), data.get("end_datetime")
        if start and end and end < start:
            raise ValidationError("The end must not be before the start.", field_name="end_datetime")


def input_schema(field_list: Iterable[Field]) -> type[Schema]:
    """What a create or an update sends: every field of the list."""
    return _InteractionIn.from_dict({f.name: _input_field(f) for f in field_list}, name="InteractionInSchema")


InteractionInSchema = input_schema(FIELDS)


class InteractionUpdateSchema(InteractionInSchema):
    version = fields.Integer(strict=True, validate=validate.Range(min=1, max=2**31 - 1),
                             metadata={"description": "The version you loaded; or send If-Match"})


def output_schema(field_list: Iterable[Field]) -> type[Schema]:
    """A stored interaction: its fields and what the server keeps around them."""
    return Schema.from_dict({
        "id": fields.Integer(required=True),
        "site_id": fields.Integer(required=True),
        **{f.name: _output_field(f) for f in field_list},
        "version": fields.Integer(required=True),
        "created_at": fields.String(required=True, metadata={"format": "date-time"}),
        "updated_at": fields.String(required=True, metadata={"format": "date-time"}),
        "created_by": fields.Nested(UserRefSchema, allow_none=True, required=True),
        "updated_by": fields.Nested(UserRefSchema, allow_none=True, required=True),
    }, name="InteractionSchema")


InteractionSchema = output_schema(FIELDS)


class InteractionPageSchema(Schema):
    items = fields.List(fields.Nested(InteractionSchema), required=True)
    page = fields.Integer(required=True)
    page_size = fields.Integer(required=True)
    total = fields.Integer(required=True)
    pages = fields.Integer(required=True)
    total_exact = fields.Boolean(required=True, metadata={"description": "false when total is a cap"})


class SortField(fields.String):
    """`-start_datetime,title`: sort keys from the allow-list, each at most once, `-` for descending."""

    def __init__(self, *, allowed: tuple[str, ...], **kwargs):
        self.allowed = allowed
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        keys, seen = [], set()
        for part in (p.strip() for p in text.split(",")):
            if not part:
                continue
            name = part.lstrip("-+")
            if name not in self.allowed:
                raise ValidationError(f"Cannot sort by {name!r}; use one of: {', '.join(self.allowed)}.")
            if name not in seen:
                seen.add(name)
                keys.append(SortKey(name, part.startswith("-")))
        if not keys:
            raise ValidationError("Give at least one field to sort by.")
        return tuple(keys)


# What a text filter's value matches, for the OpenAPI document.
TEXT_MATCHES = {"substring": "Text inside the {}, ignoring case and accents",
                EXACT: "The whole {}, ignoring case and accents (as insights group it)"}


def _filter_field(found: Filter) -> fields.Field:
    """A Finder filter's query parameter, by how it filters."""
    field = found.field
    if found.kind in TEXT_MATCHES:
        return Text(validate=validate.Length(max=field.max_length),
                    metadata={"description": TEXT_MATCHES[found.kind].format(field.name)})
    if found.kind == "any_of":
        return fields.List(fields.String(validate=validate.OneOf(field.choices)),
                           validate=validate.Length(max=len(field.choices)))
    if found.kind == "weekday":
        return fields.Integer(validate=validate.Range(min=1, max=7),
                              metadata={"description": f"ISO weekday of {field.name} in `tz` (1 = Monday)"})
    if found.kind == "hour":
        return fields.Integer(validate=validate.Range(min=0, max=23),
                              metadata={"description": f"Hour of {field.name} in `tz` (0-23)"})
    if found.bound == "from":
        return DateOrDateTime(metadata={"description": "Date or datetime; inclusive"})
    return DateOrDateTime(end_of_day=True, metadata={"description": "Date (whole day) or datetime; inclusive"})


class _FinderQuery(Schema):
    """What every Finder query schema checks; finder_query_schema declares its parameters."""

    class Meta:
        unknown = RAISE

    filters: dict[str, Filter] = {}  # by query parameter

    @validates_schema
    def ranges_in_order(self, data, **kwargs):
        bounds: dict[str, dict[str, str]] = {}
        for name, found in self.filters.items():
            if found.kind == "range":
                bounds.setdefault(found.field.name, {})[found.bound] = name
        for pair in bounds.values():
            start, end = data.get(pair["from"]), data.get(pair["to"])
            if start and end and end.moment < start.moment:
                raise ValidationError(f"{pair['to']} must not be before {pair['from']}.", field_name=pair["to"])

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
        given = {name: data.pop(name) for name in self.filters if name in data}
        return FinderQuery(filter_values=given, sort=tuple(SortKey(*key) for key in data.pop("sort")), **data)


def finder_query_schema(field_list: Iterable[Field]) -> type[Schema]:
    """The Finder's query string: the search, a parameter per filter of the list (fields.filters_of), the
    sort (its allow-list from the list) and the page."""
    field_list = tuple(field_list)
    filters = filters_of(field_list)
    declared = {
        "search": Text(validate=validate.Length(max=200), metadata={"description": "Every word must match"}),
        **{name: _filter_field(found) for name, found in filters.items()},
        **({"tz": fields.String(load_default="UTC", validate=_validate_timezone, metadata={
            "description": "IANA zone the viewer reads `weekday` and `hour` in"})}
           if any(found.kind in CLOCK_KINDS for found in filters.values()) else {}),
        "sort": SortField(allowed=sortable_of(field_list), load_default=(("start_datetime", True),),
                          metadata={"example": "-start_datetime,title"}),
        "page": fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000),
                               metadata={"description": "With a search, page × page_size is at most 5,000"}),
        "page_size": fields.Integer(load_default=25, validate=validate.Range(min=1, max=100)),
    }
    return type("FinderQuerySchema", (_FinderQuery,), {**declared, "filters": filters})


FinderQuerySchema = finder_query_schema(FIELDS)


class ExportQuerySchema(FinderQuerySchema):
    class Meta:
        unknown = RAISE
        exclude = ("page", "page_size")
