"""A field is one entry in the field list: a test-only list adds `priority` (low/normal/high, default
"normal", an any-of Finder filter, sorted by rank) and every piece derived from the list picks it up
without another edit — the schemas and the OpenAPI document built from them, the table with its CHECK
constraint, the Finder's filter and sort as SQL on PostgreSQL, the cache key, what an export's audit
records, and the export's columns."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import ValidationError
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from ims.extensions import db
from ims.interactions.export.columns import export_columns
from ims.interactions.fields import FIELDS, Field, filters_of
from ims.interactions.filters import filter_clauses, sort_columns
from ims.interactions.finder_cache import normalised_query
from ims.interactions.models import choice_checks, field_columns
from ims.interactions.schemas import finder_query_schema, input_schema, output_schema
from ims.interactions.search_keys import keys_of
from tests.builders import interaction_body

PRIORITY = Field("priority", "choice", 10, required=False, choices=("low", "normal", "high"), default="normal",
                 example="high", filter="any_of", sort="rank")
EXTENDED = (*FIELDS, PRIORITY)
FILTERS = filters_of(EXTENDED)


def test_the_input_schema_stores_the_default_and_refuses_other_values():
    schema = input_schema(EXTENDED)()
    assert schema.load(interaction_body())["priority"] == "normal"
    assert schema.load(interaction_body(priority="low"))["priority"] == "low"
    with pytest.raises(ValidationError) as refused:
        schema.load(interaction_body(priority="urgent"))
    assert list(refused.value.messages) == ["priority"]
    assert output_schema(EXTENDED)().dump({"priority": "high"}) == {"priority": "high"}


def test_the_openapi_document_describes_the_field_and_its_filter():
    plugin = MarshmallowPlugin()
    spec = APISpec("probe", "1", "3.0.3", plugins=[plugin])
    spec.components.schema("InteractionIn", schema=input_schema(EXTENDED))
    spec.components.schema("Interaction", schema=output_schema(EXTENDED))
    schemas = spec.to_dict()["components"]["schemas"]
    sent, answered = schemas["InteractionIn"], schemas["Interaction"]
    assert sent["properties"]["priority"] == {"type": "string", "enum": ["low", "normal", "high"],
                                              "default": "normal", "example": "high"}
    assert "priority" not in sent["required"] and "priority" in answered["required"]
    parameters = {p["name"]: p for p in plugin.converter.schema2parameters(finder_query_schema(EXTENDED),
                                                                           location="query")}
    assert parameters["priority"]["schema"]["items"]["enum"] == ["low", "normal", "high"]
    assert parameters["priority"]["schema"]["maxItems"] == 3


@pytest.fixture
def probe(app):
    """A throwaway table built from the extended list the way the model is, in this test's transaction."""
    kept = [sa.Column(name, sa.DateTime(timezone=True), server_default=sa.func.now())
            for name in ("created_at", "updated_at")]  # what the server keeps, sortable too
    table = sa.Table("priority_probe", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                     *field_columns(EXTENDED), *kept, sa.Column("version", sa.Integer, server_default="1"),
                     *choice_checks(EXTENDED, "priority_probe"), prefixes=["TEMPORARY"])
    table.create(db.session.connection())

    def add(title: str, **priority) -> None:
        values = {field.name: field.example for field in FIELDS} | {"title": title} | priority
        db.session.execute(sa.insert(table).values(**values, **keys_of(values)))

    for title, priority in (("Budget", "high"), ("Roadmap", "low"), ("Hiring", "normal"), ("Audit", "low")):
        add(title, priority=priority)
    add("Left out")  # the column's default
    yield table
    db.session.rollback()


def found(table, parameters: dict) -> list[tuple[str, str]]:
    query = finder_query_schema(EXTENDED)().load(parameters)
    order = sort_columns(EXTENDED, table.c)
    select = (sa.select(table.c.title, table.c.priority)
              .where(*filter_clauses(FILTERS, query.given(), table.c))
              .order_by(*(order[key.name].desc() if key.descending else order[key.name] for key in query.sort),
                        table.c.id))
    return [tuple(row) for row in db.session.execute(select)]


def test_the_finder_filters_by_any_of_and_sorts_by_rank_in_postgresql(probe):
    assert found(probe, {"priority": ["high", "low"], "sort": "priority"}) == [
        ("Roadmap", "low"), ("Audit", "low"), ("Budget", "high")]  # by rank: low before high
    assert found(probe, {"priority": ["normal"], "sort": "-title"}) == [("Left out", "normal"), ("Hiring", "normal")]
    assert found(probe, {"priority": ["high"], "title": "bud"}) == [("Budget", "high")]  # beside the list's filters
    assert found(probe, {"priority": ["low"], "lead_is": "AMELIA HÁRT"}) == [("Roadmap", "low"), ("Audit", "low")]
    assert found(probe, {"priority": ["low"], "lead_is": "Amelia"}) == []


def test_the_table_refuses_a_value_outside_the_choices(probe):
    with pytest.raises(IntegrityError) as refused:
        db.session.execute(sa.insert(probe).values(**interaction_body(priority="urgent")))
    assert refused.value.orig.diag.constraint_name == "ck_priority_probe_priority"


def test_the_cache_key_and_the_audited_filters_carry_the_filter():
    def key(*pairs) -> str:
        return normalised_query(MultiDict(pairs), FILTERS)

    assert key(("priority", "low"), ("priority", "high")) == key(("priority", "high"), ("priority", "low"))
    assert key(("priority", "low")) != key(("priority", "high"))
    query = finder_query_schema(EXTENDED)().load({"priority": ["high", "low"]})
    assert query.filters()["priority"] == ("high", "low")


def test_the_export_writes_the_field_in_both_writers(probe):
    columns = export_columns(EXTENDED)
    headers = [column.header for column in columns]
    assert headers[headers.index("notes") + 1] == "priority"  # after the fields before it, before who and when
    priority = columns[headers.index("priority")]
    select = sa.select(probe.c.priority).where(probe.c.title == "Budget")
    assert priority.python_cell(db.session.execute(select).one()) == "high"  # the Python writer's cell
    assert db.session.execute(select.with_only_columns(priority.sql_cell(select))).scalar_one() == "high"  # COPY's


@pytest.mark.parametrize("declared, problem", [
    ({"kind": "choice", "choices": ("low", "high"), "required": False, "default": "normal"}, "not one of the choices"),
    ({"kind": "choice", "choices": ("low", "high"), "default": "low"}, "optional"),
    ({"kind": "text", "max_length": 20, "filter": "any_of"}, "needs choices"),
    ({"kind": "text", "max_length": 20, "filter": "substring"}, "key_bytes"),
    ({"kind": "text", "max_length": 20, "sort": "rank"}, "needs choices"),
    ({"kind": "text", "max_length": 20, "filter": "range"}, "needs a datetime"),
    ({"kind": "text", "max_length": 20, "exact_filter": True}, "key_bytes"),
    ({"kind": "text", "max_length": 900, "key_bytes": 256, "long_text": True, "exact_filter": True}, "not a long text"),
])
def test_a_field_the_derivations_cannot_serve_is_refused_where_it_is_declared(declared, problem):
    with pytest.raises(ValueError, match=problem):
        Field("priority", **declared)
