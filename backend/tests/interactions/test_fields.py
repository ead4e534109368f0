"""The interaction's fields are listed once (ims.interactions.fields): every list of fields in the
model, the schemas, the sort allow-list, the serialiser, the OpenAPI document and the CSV export
is derived from it. Each test enumerates the fields from that one list, so a field added there and
missing anywhere else fails here."""
from __future__ import annotations

import pytest

from ims.interactions import export, queries
from ims.interactions.fields import FIELDS, FILTERS
from ims.interactions.schemas import FinderQuerySchema, InteractionInSchema, InteractionSchema
from tests.builders import database_columns, field_columns, headers_for, interaction_body, make_interaction

NAMES = [field.name for field in FIELDS]


def in_order(names, within) -> list[str]:
    """`names` in the order they appear in `within` (which must hold them all)."""
    return sorted(names, key=list(within).index)


def test_the_migrated_tables_hold_exactly_the_listed_fields(app):
    """The migrations, not the model built from the list: a field listed without its migration (or a
    column migrated without its field) fails here."""
    assert sorted(field_columns("interactions")) == sorted(NAMES)
    assert sorted(field_columns("deleted_interactions")) == sorted(NAMES)  # a delete moves every field


@pytest.mark.parametrize("field", FIELDS, ids=NAMES)
def test_each_field_is_a_column_and_keyed_when_sorted_by_text(app, field):
    live, trash = database_columns("interactions"), database_columns("deleted_interactions")
    assert not live[field.name]["nullable"] and not trash[field.name]["nullable"]
    if field.key_bytes:
        assert field.key_column in live


@pytest.mark.parametrize("field", FIELDS, ids=NAMES)
def test_each_field_is_read_answered_sorted_and_filtered(field):
    assert field.name in InteractionInSchema().fields and field.name in InteractionSchema().fields
    for sort in (field.name, f"-{field.name}"):
        refused = FinderQuerySchema().validate({"sort": sort})
        assert (refused == {}) == field.sortable, (sort, refused)
    for name, found in FILTERS.items():
        if found.field == field:
            assert name in FinderQuerySchema().fields


def test_schemas_serialiser_and_export_agree_on_the_fields_and_their_order(client, world):
    created = client.post("/api/interactions", json=interaction_body(), headers=headers_for(world.editor, world.hq))
    answered = list(created.get_json())
    fetched = list(client.get(f"/api/interactions/{created.get_json()['id']}",
                              headers=headers_for(world.editor, world.hq)).get_json())
    page = client.get("/api/interactions", headers=headers_for(world.editor, world.hq)).get_json()["items"]
    declared = list(InteractionSchema().fields)
    assert answered == fetched == list(page[0]) == declared  # the serialiser writes what the schema declares
    for within in (answered, list(InteractionInSchema().fields), export.COLUMNS,
                   [column.name for column in queries.ROW_COLUMNS]):
        assert in_order(NAMES, within) == NAMES


def test_the_export_header_names_every_field(client, world):
    make_interaction(world.hq, world.editor)
    response = client.get("/api/interactions/export", headers=headers_for(world.editor, world.hq))
    header = response.get_data().decode("utf-8-sig").split("\r\n", 1)[0].split(",")
    assert header == list(export.COLUMNS)
    assert in_order(NAMES, header) == NAMES


def test_the_openapi_document_carries_every_field(client):
    spec = client.get("/api/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    finder = spec["paths"]["/api/interactions"]["get"]["parameters"]
    for field in FIELDS:
        assert field.name in schemas["InteractionIn"]["properties"]
        assert field.name in schemas["Interaction"]["properties"] and field.name in schemas["Interaction"]["required"]
        if field.required:
            assert field.name in schemas["InteractionIn"]["required"]
    for name in FILTERS:
        assert any(p["name"] == name and p["in"] == "query" for p in finder)
