"""Deleted interactions: gone from Finder, export and count; Undo, Recently deleted, purge."""
from __future__ import annotations

from datetime import timedelta

from ims.extensions import db
from ims.interactions.trash import deleted_interactions
from ims.timeutil import utcnow
from tests.builders import headers_for, make_interaction


def finder_titles(client, headers, **query):
    body = client.get("/api/interactions", query_string=query, headers={**headers, "Cache-Control": "no-cache"})
    return [i["title"] for i in body.get_json()["items"]], body.get_json()["total"]


def test_deleted_records_leave_finder_search_export_and_count(client, world):
    h = headers_for(world.editor, world.hq)
    make_interaction(world.hq, world.editor, title="Keep me")
    gone = make_interaction(world.hq, world.editor, title="Delete me", notes="unique-needle").id
    assert finder_titles(client, h)[1] == 2
    assert client.delete(f"/api/interactions/{gone}", headers=h).status_code == 204
    assert finder_titles(client, h) == (["Keep me"], 1)
    assert finder_titles(client, h, search="unique-needle") == ([], 0)
    export = client.get("/api/interactions/export", headers=h).get_data(as_text=True)
    assert "Keep me" in export and "Delete me" not in export
    assert client.get(f"/api/interactions/{gone}", headers=h).status_code == 404
    assert client.delete(f"/api/interactions/{gone}", headers=h).status_code == 404
    row = db.session.execute(db.select(deleted_interactions)).one()
    assert row.id == gone and row.title == "Delete me" and row.deleted_by == world.editor.id


def test_undo_brings_the_record_back_with_its_id_and_version(client, world):
    h = headers_for(world.editor, world.hq)
    item = make_interaction(world.hq, world.editor, title="Oops").id
    client.get("/api/interactions", headers=h)  # a cached Finder page must not survive the restore
    client.delete(f"/api/interactions/{item}", headers=h)
    restored = client.post(f"/api/interactions/deleted/{item}/restore", headers=h)
    assert restored.status_code == 200 and restored.get_json()["id"] == item
    assert restored.get_json()["version"] == 1
    assert [i["title"] for i in client.get("/api/interactions", headers=h).get_json()["items"]] == ["Oops"]
    assert client.post(f"/api/interactions/deleted/{item}/restore", headers=h).status_code == 404
    actions = [e["action"] for e in client.get(f"/api/interactions/{item}/history", headers=h).get_json()["items"]]
    assert actions == ["undelete", "delete", "create"]


def test_editors_undo_their_own_deletes_admins_any_viewers_none(client, world):
    item = make_interaction(world.hq, world.editor).id
    client.delete(f"/api/interactions/{item}", headers=headers_for(world.admin, world.hq))
    url = f"/api/interactions/deleted/{item}/restore"
    assert client.post(url, headers=headers_for(world.viewer, world.hq)).status_code == 403
    assert client.post(url, headers=headers_for(world.editor, world.hq)).status_code == 403
    assert client.post(url, headers=headers_for(world.field_editor, world.field)).status_code == 404
    assert client.post(url, headers=headers_for(world.admin, world.hq)).status_code == 200


def test_recently_deleted_lists_this_sites_deletions_for_admins(client, world):
    hq_item = make_interaction(world.hq, world.editor, title="HQ deleted").id
    field_item = make_interaction(world.field, world.field_editor, title="Field deleted").id
    client.delete(f"/api/interactions/{hq_item}", headers=headers_for(world.editor, world.hq))
    client.delete(f"/api/interactions/{field_item}", headers=headers_for(world.field_editor, world.field))
    body = client.get("/api/interactions/deleted", headers=headers_for(world.admin, world.hq)).get_json()
    assert [i["title"] for i in body["items"]] == ["HQ deleted"] and body["total"] == 1
    assert body["items"][0]["deleted_by"]["display_name"] == "Editor"
    assert client.get("/api/interactions/deleted", headers=headers_for(world.editor, world.hq)).status_code == 403


def test_purge_removes_only_what_is_older_than_the_retention(app, client, world):
    h = headers_for(world.editor, world.hq)
    old, recent = (make_interaction(world.hq, world.editor, title=t).id for t in ("Old", "Recent"))
    for item in (old, recent):
        client.delete(f"/api/interactions/{item}", headers=h)
    db.session.execute(deleted_interactions.update().where(deleted_interactions.c.id == old)
                       .values(deleted_at=utcnow() - timedelta(days=31)))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["purge-deleted", "--older-than-days", "30"])
    assert result.exit_code == 0 and "purged 1 interaction deleted more than 30 days ago" in result.output
    db.session.rollback()
    assert [r.title for r in db.session.execute(db.select(deleted_interactions)).all()] == ["Recent"]
    purge_event = [e for e in client.get("/api/site/audit", headers=headers_for(world.admin, world.hq))
                   .get_json()["items"] if e["action"] == "purge"]
    assert purge_event[0]["changes"]["ids"] == [old]
