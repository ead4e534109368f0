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
    edit(client, editor, v2, lead="Jonas Becker", start_datetime="2026-03-02T10:30:00+01:00")
    history = client.get(f"/api/interactions/{v1['id']}/history", headers=headers_for(world.viewer, world.hq))
    assert history.status_code == 200
    body = history.get_json()
    assert (body["page"], body["page_size"], body["total"], body["pages"]) == (1, 10, 3, 1)
    items = body["items"]
    assert [(e["version"], e["action"], e["user"]["display_name"]) for e in items] == [
        (3, "update", "Editor"), (2, "update", "Admin"), (1, "create", "Editor")]
    assert items[0]["changes"] == {
        "lead": {"from": "Amelia Hart", "to": "Jonas Becker", "truncated": False},
        "start_datetime": {"from": "2026-03-02T09:00:00Z", "to": "2026-03-02T09:30:00Z", "truncated": False}}
    assert items[1]["changes"]["title"] == {"from": "Quarterly budget review", "to": "Budget review, revised",
                                            "truncated": False}
    assert items[2]["changes"] == {} and items[2]["id"] is not None  # the first version: nothing to compare


def test_versions_come_a_page_at_a_time_newest_first(client, world):
    h = headers_for(world.editor, world.hq)
    item = client.post("/api/interactions", json=interaction_body(), headers=h).get_json()
    for n in range(6):
        item = edit(client, h, item, lead=f"Lead {n}")
    pages = [client.get(f"/api/interactions/{item['id']}/history", query_string={"page": n, "page_size": 3},
                        headers=h).get_json() for n in (1, 2, 3, 4)]
    assert [[e["version"] for e in p["items"]] for p in pages] == [[7, 6, 5], [4, 3, 2], [1], []]
    assert {(p["total"], p["pages"]) for p in pages} == {(7, 3)}
    assert pages[1]["items"][0]["changes"]["lead"] == {"from": "Lead 1", "to": "Lead 2", "truncated": False}


def test_long_texts_are_excerpts_on_a_page_and_whole_at_the_entrys_address(client, world):
    h = headers_for(world.editor, world.hq)
    before = "Opening remarks. " * 200 + "The budget was approved." + " Closing remarks." * 80
    item = client.post("/api/interactions", json=interaction_body(notes=before), headers=h).get_json()
    after = before.replace("approved", "rejected")
    edit(client, h, item, notes=after)
    [newest, _] = client.get(f"/api/interactions/{item['id']}/history", headers=h).get_json()["items"]
    notes = newest["changes"]["notes"]
    assert notes["truncated"] and (notes["from_length"], notes["to_length"]) == (len(before), len(after))
    assert notes["from"] == before[notes["offset"]:][:300] and notes["to"] == after[notes["offset"]:][:300]
    assert "approved" in notes["from"] and "rejected" in notes["to"]  # the excerpt shows the change
    whole = client.get(f"/api/interactions/{item['id']}/history/{newest['id']}", headers=h)
    assert whole.status_code == 200
    assert whole.get_json()["changes"]["notes"] == {"from": before, "to": after, "truncated": False}
    assert whole.get_json()["version"] == 2


def test_bad_paging_parameters_are_400_in_the_envelope(client, world):
    h = headers_for(world.editor, world.hq)
    item = make_interaction(world.hq, world.editor)
    for params in ({"page": 0}, {"page_size": 21}, {"page_size": "ten"}, {"cursor": "x"}):
        answer = client.get(f"/api/interactions/{item.id}/history", query_string=params, headers=h)
        assert answer.status_code == 400, params
        assert set(answer.get_json()["error"]) == {"code", "message", "details"}


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
    assert newest["changes"]["title"] == {"from": "Wrong title", "to": v1["title"], "truncated": False}
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
    assert (only["version"], only["action"], only["id"], only["user"]["id"]) == (1, "create", None, world.editor.id)
    assert client.post(f"/api/interactions/{item.id}/restore", json={"restore_version": 7, "version": 1},
                       headers=h).status_code == 422
    assert client.post(f"/api/interactions/{item.id}/restore", json={"restore_version": 1, "version": 1},
                       headers=headers_for(world.viewer, world.hq)).status_code == 403
    field = headers_for(world.field_editor, world.field)
    assert client.get(f"/api/interactions/{item.id}/history", headers=field).status_code == 404
    created = client.post("/api/interactions", json=interaction_body(), headers=h).get_json()
    [entry] = client.get(f"/api/interactions/{created['id']}/history", headers=h).get_json()["items"]
    assert client.get(f"/api/interactions/{created['id']}/history/{entry['id']}", headers=field).status_code == 404
    assert client.get(f"/api/interactions/{item.id}/history/{entry['id']}", headers=h).status_code == 404


def test_deletes_and_a_record_older_than_its_trail_keep_the_numbers_across_pages(client, world):
    item_id = make_interaction(world.hq, world.editor, title="Imported").id  # version 1, no trail
    h = headers_for(world.editor, world.hq)
    current = client.get(f"/api/interactions/{item_id}", headers=h).get_json()
    current = edit(client, h, current, title="Imported, then edited")
    assert client.delete(f"/api/interactions/{item_id}", headers=h).status_code == 204
    assert client.post(f"/api/interactions/deleted/{item_id}/restore", headers=h).status_code == 200
    edit(client, h, current, lead="Ana Lima")
    pages = [client.get(f"/api/interactions/{item_id}/history", query_string={"page": n, "page_size": 2},
                        headers=h).get_json() for n in (1, 2, 3)]
    assert [[(e["version"], e["action"]) for e in p["items"]] for p in pages] == [
        [(3, "update"), (2, "undelete")], [(2, "delete"), (2, "update")], [(1, "create")]]
    assert {(p["total"], p["pages"]) for p in pages} == {(5, 3)}
    restored = client.post(f"/api/interactions/{item_id}/restore", json={"restore_version": 1, "version": 3},
                           headers=h)
    assert restored.status_code == 200 and restored.get_json()["title"] == "Imported"
