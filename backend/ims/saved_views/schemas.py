"""Shapes of saved views. The parameters are checked against the Finder's own names and bounded in size;
what a value means (a column that was removed, a type renamed) is the Finder's to judge when it opens one."""
from __future__ import annotations

import json

from marshmallow import Schema, ValidationError, fields, validate

from ..interactions.schemas import FinderQuerySchema
from ..schemas import CONTROL_CHARS, StrictSchema, Text, UserRefSchema
from .models import NAME_MAX

# The Finder's query parameters (its page is where you are, not what you look at), the visible columns
# and the time-zone choice.
PARAM_NAMES = tuple(sorted({*FinderQuerySchema().fields} - {"page"} | {"columns", "tz"}))
VALUES_PER_PARAM = 30
VALUE_MAX = 500
PARAMS_BYTES_MAX = 8_000


class ViewParams(fields.Dict):
    """`{name: value or [values]}`, read as `{name: [values]}`, only names of PARAM_NAMES."""

    def __init__(self, **kwargs):
        super().__init__(keys=fields.String(), metadata={
            "description": "The Finder's URL parameters: " + ", ".join(PARAM_NAMES) + "; a value or a list",
            "additionalProperties": {"oneOf": [{"type": "string", "maxLength": VALUE_MAX},
                                               {"type": "array", "maxItems": VALUES_PER_PARAM,
                                                "items": {"type": "string", "maxLength": VALUE_MAX}}]},
            "example": {"type": ["Call", "Visit"], "sort": "-start_datetime", "columns": "title,type,lead"}},
            **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        raw = super()._deserialize(value, attr, data, **kwargs)
        errors, params = {}, {}
        for name, values in raw.items():
            values = values if isinstance(values, list) else [values]
            problem = _problem(name, values)
            if problem:
                errors[name] = [problem]
            else:
                params[name] = values
        if errors:
            raise ValidationError(errors)
        if len(json.dumps(params)) > PARAMS_BYTES_MAX:
            raise ValidationError(f"The view's parameters are longer than {PARAMS_BYTES_MAX} characters.")
        return params


def _problem(name: str, values: list) -> str | None:
    if name not in PARAM_NAMES:
        return "Not a parameter of the Finder."
    if len(values) > VALUES_PER_PARAM:
        return f"At most {VALUES_PER_PARAM} values."
    for value in values:
        if not isinstance(value, str):
            return "Each value must be a string."
        if len(value) > VALUE_MAX:
            return f"A value is at most {VALUE_MAX} characters."
        if any(ch in CONTROL_CHARS for ch in value):
            return "Control characters are not allowed."
    return None


class ViewInSchema(StrictSchema):
    name = Text(required=True, strip=True, validate=validate.Length(min=1, max=NAME_MAX))
    shared = fields.Boolean(load_default=False, metadata={"description": "Listed to every member of the site "
                                                          "(editors and admins may share)"})
    params = ViewParams(required=True)
    default = fields.Boolean(load_default=False, metadata={"description": "Also make it your default view"})


class ViewUpdateSchema(StrictSchema):
    """Only what is sent changes: a rename, new parameters ("Save"), sharing or not."""

    name = Text(strip=True, validate=validate.Length(min=1, max=NAME_MAX))
    shared = fields.Boolean()
    params = ViewParams()


class ViewSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    shared = fields.Boolean(required=True)
    params = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), required=True)
    owner = fields.Nested(UserRefSchema, required=True)
    is_default = fields.Boolean(required=True, metadata={"description": "The view your Finder opens with here"})
    can_change = fields.Boolean(required=True, metadata={"description": "You may rename, change or delete it"})
    created_at = fields.String(required=True)
    updated_at = fields.String(required=True)


class ViewListSchema(Schema):
    items = fields.List(fields.Nested(ViewSchema), required=True)
