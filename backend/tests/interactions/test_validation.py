"""Every input rule answers 422 with per-field messages, and changes nothing."""
import pytest

from ims.extensions import db
from ims.interactions.models import Interaction
from tests.builders import headers_for, interaction_body, make_interaction

CASES = {
    "missing title": ({"title": None}, "title"),
    "blank title": ({"title": "   "}, "title"),
    "title too long": ({"title": "x" * 201}, "title"),
    "unknown type": ({"type": "Lunch"}, "type"),
    "missing lead": ({"lead": None}, "lead"),
    "lead too long": ({"lead": "x" * 101}, "lead"),
    "naive start": ({"start_datetime": "2026-03-02T10:00:00"}, "start_datetime"),
    "garbage end": ({"end_datetime": "next tuesday"}, "end_datetime"),
    "end before start": ({"end_datetime": "2026-03-02T09:59:00+01:00"}, "end_datetime"),
    "year out of range": ({"start_datetime": "0001-01-01T00:00:00+00:00"}, "start_datetime"),
    "unknown timezone": ({"timezone": "Mars/Olympus"}, "timezone"),
    "location too long": ({"location": "x" * 201}, "location"),
    "description too long": ({"description": "x" * 5001}, "description"),
    "notes too long": ({"notes": "x" * 5001}, "notes"),
    "NUL byte": ({"notes": "a\x00b"}, "notes"),
    "wrong type": ({"title": 42}, "title"),
    "unknown field": ({"colour": "red"}, "colour"),
}


@pytest.mark.parametrize("name", CASES)
def test_invalid_body_is_422_on_its_field(client, world, name):
    overrides, field = CASES[name]
    body = interaction_body(**{k: v for k, v in overrides.items() if v is not None})
    for key, value in overrides.items():
        if value is None:
            body.pop(key)
    response = client.post("/api/interactions", json=body, headers=headers_for(world.editor, world.hq))
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "validation_error" and field in error["details"]
    assert db.session.execute(db.select(db.func.count(Interaction.id))).scalar_one() == 0


def test_all_field_errors_come_at_once(client, world):
    response = client.post("/api/interactions", json={}, headers=headers_for(world.editor, world.hq))
    assert set(response.get_json()["error"]["details"]) == {
        "title", "type", "lead", "start_datetime", "end_datetime", "timezone"}


def test_invalid_update_changes_nothing(client, world):
    item = make_interaction(world.hq, world.editor)
    response = client.put(f"/api/interactions/{item.id}", json=interaction_body(title="", version=1),
                          headers=headers_for(world.editor, world.hq))
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(Interaction, item.id).title == "Site visit"


def test_optional_fields_may_be_empty_or_null(client, world):
    response = client.post("/api/interactions", json=interaction_body(location=None, description="", notes=None),
                           headers=headers_for(world.editor, world.hq))
    assert response.status_code == 201
    item = response.get_json()
    assert (item["location"], item["description"], item["notes"]) == ("", "", "")


def test_end_equal_to_start_is_allowed(client, world):
    body = interaction_body(end_datetime="2026-03-02T10:00:00+01:00")
    assert client.post("/api/interactions", json=body, headers=headers_for(world.editor, world.hq)).status_code == 201


def test_unicode_round_trips_exactly(client, world):
    text = "Ünïcødé ✓ 🚀 \u202eRTL\u202c e\u0301 𝔘"
    item = client.post("/api/interactions", json=interaction_body(title=text, notes=text),
                       headers=headers_for(world.editor, world.hq)).get_json()
    fetched = client.get(f"/api/interactions/{item['id']}", headers=headers_for(world.editor, world.hq)).get_json()
    assert fetched["title"] == text and fetched["notes"] == text


def test_wrong_content_type_is_415(client, world):
    response = client.post("/api/interactions", data="title=x", content_type="application/x-www-form-urlencoded",
                           headers=headers_for(world.editor, world.hq))
    assert response.status_code == 415 and response.get_json()["error"]["code"] == "unsupported_media_type"


def test_oversized_body_is_413(client, world):
    response = client.post("/api/interactions", json=interaction_body(notes="x" * 400_000),
                           headers=headers_for(world.editor, world.hq))
    assert response.status_code == 413 and response.get_json()["error"]["code"] == "payload_too_large"


def test_malformed_json_is_400(client, world):
    response = client.post("/api/interactions", data="{not json", content_type="application/json",
                           headers=headers_for(world.editor, world.hq))
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_request"
