"""History of an interaction from its audit trail, and restoring an earlier version as a new one."""
from __future__ import annotations

from tests.builders import headers_for, interaction_body, make_interaction


def edit(client, headers, item, **changes):
    body = interaction_body(**{**{k: item[k] for k in ("title", "lead", "notes", "timezone")}, **changes},
                            version=item["version"])
    response = client.put(f"/api/interactions/{item['id']}", json=body, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_each_version_with_who_when_and_from_to(client, world):
    editor, admin = headers_for(world.editor, world.hq), headers_for(world.admin, world.hq)
    v1 = client.post("/api/interactions", json=interaction_body(), headers=editor).get_json()
    v2 = edit(client, admin, v1, title="Budget review, revised", notes="Long notes\nsecond line")
    edit(client, editor, v2, lead="Jonas Becker")
    history = client.get(f"/api/interactions/{v1['id']}/history", headers=headers_for(world.viewer, world.hq))
    assert history.status_code == 200
    items = history.get_json()["items"]
    assert [(e["version"], e["action"], e["user"]["display_name"]) for e in items] == [
        (3, "update", "Editor"), (2, "update", "Admin"), (1, "create", "Editor")]
    assert items[0]["changes"] == {"lead": {"from": "Amelia Hart", "to": "Jonas Becker"}}
    assert items[1]["changes"]["title"] == {"from": "Quarterly budget review", "to": "Budget review, revised"}
    assert items[2]["snapshot"]["title"] == "Quarterly budget review"
    assert items[2]["snapshot"]["start_datetime"] == "2026-03-02T09:00:00Z"


def test_restore_makes_an_earlier_version_the_newest(client, world):
    h = headers_for(world.editor, world.hq)
    v1 = client.post("/api/interactions", json=interaction_body(), headers=h).get_json()
    v2 = edit(client, h, v1, title="Wrong title", notes="Overwritten by mistake")
    restored = client.post(f"/api/interactions/{v1['id']}/restore", json={"restore_version": 1, "version": 2},
                           headers=h)
    assert restored.status_code == 200 and restored.headers["ETag"] == '"3"'
    body = restored.get_json()
    assert body["version"] == 3 and body["title"] == v1["title"] and body["notes"] == v1["notes"]
    newest = client.get(f"/api/interactions/{v1['id']}/history", headers=h).get_json()["items"][0]
    assert newest["action"] == "restore" and newest["restored_from"] == 1
    assert newest["changes"]["title"] == {"from": "Wrong title", "to": v1["title"]}
    assert v2["version"] == 2


def test_restore_with_a_stale_version_is_409_and_changes_nothing(client, world):
    h = headers_for(world.editor, world.hq)
    v1 = client.post("/api/interactions", json=interaction_body(), headers=h).get_json()
    edit(client, h, v1, title="Second")
    stale = client.post(f"/api/interactions/{v1['id']}/restore", json={"restore_version": 1, "version": 1},
                        headers=h)
    assert stale.status_code == 409 and stale.get_json()["error"]["details"]["current"]["title"] == "Second"
    by_header = client.post(f"/api/interactions/{v1['id']}/restore", json={"restore_version": 1},
                            headers={**h, "If-Match": '"1"'})
    assert by_header.status_code == 409
    missing = client.post(f"/api/interactions/{v1['id']}/restore", json={"restore_version": 1}, headers=h)
    assert missing.status_code == 422
    assert client.get(f"/api/interactions/{v1['id']}", headers=h).get_json()["version"] == 2


def test_unknown_version_viewers_and_other_sites(client, world):
    item = make_interaction(world.hq, world.editor, title="Imported")  # no audit trail: one reconstructed version
    h = headers_for(world.editor, world.hq)
    [only] = client.get(f"/api/interactions/{item.id}/history", headers=h).get_json()["items"]
    assert only["version"] == 1 and only["snapshot"]["title"] == "Imported"
    assert client.post(f"/api/interactions/{item.id}/restore", json={"restore_version": 7, "version": 1},
                       headers=h).status_code == 422
    assert client.post(f"/api/interactions/{item.id}/restore", json={"restore_version": 1, "version": 1},
                       headers=headers_for(world.viewer, world.hq)).status_code == 403
    field = headers_for(world.field_editor, world.field)
    assert client.get(f"/api/interactions/{item.id}/history", headers=field).status_code == 404
