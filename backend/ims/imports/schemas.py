"""Shapes of imports: the upload, the changes to its mapping and choices, the import and its preview."""
from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from ..interactions.schemas import _validate_timezone
from ..paging import PageQuerySchema, page_fields
from ..schemas import StrictSchema, Text
from .dates import ORDERS
from .limits import MAX_COLUMNS
from .mapping import MAPPABLE
from .models import DUPLICATE_CHOICES, STATUSES

COLUMN_INDEX = fields.String(validate=validate.Regexp(r"^[0-9]{1,3}$", error="A column index, e.g. \"0\"."))
SHEET = Text(validate=validate.Length(min=1, max=100), metadata={"description": "A sheet of the workbook"})


class UploadSchema(Schema):
    file = Upload(required=True, metadata={"description": "CSV or TSV (UTF-8, UTF-16 …) or .xlsx"})


class UploadFormSchema(Schema):
    sheet = SHEET


class ImportChangeSchema(StrictSchema):
    mapping = fields.Dict(keys=COLUMN_INDEX, values=fields.String(allow_none=True, validate=validate.OneOf(MAPPABLE)),
                          validate=validate.Length(max=MAX_COLUMNS),
                          metadata={"description": "Column index → field (null: ignored); a field mapped here "
                                                   "leaves the column it had"})
    timezone = fields.String(validate=_validate_timezone, metadata={"description": "For times without an offset"})
    date_orders = fields.Dict(keys=COLUMN_INDEX, values=fields.String(validate=validate.OneOf(ORDERS)),
                              validate=validate.Length(max=MAX_COLUMNS))
    duplicates = fields.String(validate=validate.OneOf(DUPLICATE_CHOICES))
    sheet = SHEET
    version = fields.Integer(strict=True, validate=validate.Range(min=1, max=2**31 - 1),
                             metadata={"description": "The version this change is built on (or send If-Match): "
                                                      "an older one is refused (409 version_conflict) and changes "
                                                      "nothing; without one the change applies to what is stored"})


class PreviewQuerySchema(PageQuerySchema):
    only = fields.String(load_default="all", validate=validate.OneOf(("all", "invalid", "duplicate")))


class ColumnSchema(Schema):
    index = fields.Integer(required=True)
    header = fields.String(required=True)
    samples = fields.List(fields.String(), required=True)
    field = fields.String(allow_none=True, required=True)
    date_order = fields.String(allow_none=True, required=True,
                               metadata={"description": "day_first, month_first, iso or null"})
    date_order_ambiguous = fields.Boolean(required=True)


class MappableFieldSchema(Schema):
    name = fields.String(required=True)
    label = fields.String(required=True)
    required = fields.Boolean(required=True)


class CountsSchema(Schema):
    rows = fields.Integer(required=True)
    valid = fields.Integer(required=True)
    invalid = fields.Integer(required=True)
    duplicate = fields.Integer(required=True)
    imported = fields.Integer(required=True)
    skipped = fields.Integer(required=True)
    failed = fields.Integer(required=True)


class ProgressSchema(Schema):
    done = fields.Integer(required=True)
    total = fields.Integer(required=True)


class ImportSchema(Schema):
    id = fields.Integer(required=True)
    filename = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    created_at = fields.String(required=True)
    created_by = fields.String(allow_none=True, required=True)
    finished_at = fields.String(allow_none=True, required=True)
    undo_until = fields.String(allow_none=True, required=True)
    format = fields.String(required=True)
    encoding = fields.String(allow_none=True, required=True)
    delimiter = fields.String(allow_none=True, required=True)
    sheets = fields.List(fields.String(), required=True)
    sheet = fields.String(allow_none=True, required=True)
    columns = fields.List(fields.Nested(ColumnSchema), required=True)
    fields_ = fields.List(fields.Nested(MappableFieldSchema), required=True, data_key="fields",
                          attribute="fields")
    timezone = fields.String(required=True)
    duplicates = fields.String(required=True)
    counts = fields.Nested(CountsSchema, required=True)
    progress = fields.Nested(ProgressSchema, required=True)
    problems = fields.List(fields.String(), required=True)
    error = fields.String(allow_none=True, required=True, metadata={"description": "Why a failed run stopped"})
    can_discard = fields.Boolean(required=True, metadata={"description": "Not yet run, and you uploaded it or "
                                                                         "are an admin of the site"})
    version = fields.Integer(required=True, metadata={"description": "Raised by every change of the mapping and "
                                                                     "choices; also the ETag"})


ImportPageSchema = Schema.from_dict(page_fields(ImportSchema), name="ImportPage")


class PreviewRowSchema(Schema):
    row = fields.Integer(required=True, metadata={"description": "As a spreadsheet numbers it (header: 1)"})
    values = fields.Dict(keys=fields.String(), required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), required=True)
    duplicate = fields.Boolean(required=True)


class PreviewSchema(Schema):
    items = fields.List(fields.Nested(PreviewRowSchema), required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    page_size = fields.Integer(required=True)
    counts = fields.Nested(CountsSchema, required=True)
