"""Paging for the small lists (members, audit log, recently deleted, a record's history): exact totals,
Finder-shaped pages."""
from __future__ import annotations

import math

import sqlalchemy as sa
from marshmallow import RAISE, Schema, fields, validate

from .extensions import Blueprint, db


class PageQuerySchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(load_default=25, validate=validate.Range(min=1, max=100))


def page_fields(item_schema) -> dict:
    """The fields of a page response around `item_schema`, as the Finder answers them."""
    return {
        "items": fields.List(fields.Nested(item_schema), required=True),
        "page": fields.Integer(required=True),
        "page_size": fields.Integer(required=True),
        "total": fields.Integer(required=True),
        "pages": fields.Integer(required=True),
    }


def envelope(items: list, page: int, page_size: int, total: int) -> dict:
    """A page response as every list answers it."""
    return {"items": items, "page": page, "page_size": page_size, "total": total,
            "pages": math.ceil(total / page_size) if total else 0}


def page_of(query: sa.Select, page: int, page_size: int, to_dict) -> dict:
    """One page of an ordered query plus its exact total; `to_dict` turns a row into an item."""
    total = db.session.execute(
        sa.select(sa.func.count()).select_from(query.order_by(None).subquery())).scalar_one()
    rows = db.session.execute(query.limit(page_size).offset((page - 1) * page_size)).all()
    return envelope([to_dict(r) for r in rows], page, page_size, total)


def paged_list(blp: Blueprint, query_schema, page_schema):
    """Declares a view as one of these lists: paging (and filter) parameters from the query string, bad
    ones a 400, a page out. The view takes the loaded parameters, then the rule's own; its route and
    its site guard are the view's own decorators, above this one."""
    def declare(view):
        view = blp.response(200, page_schema)(view)
        return blp.arguments(query_schema, location="query", unknown=RAISE, error_status_code=400,
                             as_kwargs=False)(view)
    return declare
