"""Create, read, update, delete in the current site: roles, isolation, concurrency, audit."""
import pytest

from ims.audit import AuditEvent
from ims.extensions import db
from ims.interactions.models import Interaction
from tests.builders import headers_for, interaction_body, make_interaction


def create(client, user, site, **overrides):
    return client.post("/api/interactions", json=interaction_body(**overrides), headers=headers_for(user, site))


def test_create_returns_201_with_location_etag_and_server_kept_fields(client, world):
    response = create(client, world.editor, world.hq)
    assert response.status_code == 201
    item = response.get_json()
    assert response.headers["Location"].endswith(f"/api/interactions/{item['id']}")
    assert response.headers["ETag"] == '"1"'
    assert item["version"] == 1 and item["site_id"] == world.hq.id
    assert item["start_datetime"] == "2026-03-02T09:00:00Z"  # stored and answered in UTC
    assert item["created_by"] == item["updated_by"] == {"id": world.editor.id, "display_name": "Editor"}
    fetched = client.get(response.headers["Location"], headers=headers_for(world.editor, world.hq))
    assert fetched.get_json() == item and fetched.headers["ETag"] == '"1"'


def test_client_cannot_set_audit_fields(client, world):
    response = create(client, world.editor, world.hq, created_by=999, version=7)
    assert response.status_code == 422
    assert set(response.get_json()["error"]["details"]) == {"created_by", "version"}
    assert db.session.execute(db.select(db.func.count(Interaction.id))).scalar_one() == 0


def test_update_with_current_version_bumps_version_and_records_changes(client, world):
    item = create(client, world.editor, world.hq).get_json()
    body = interaction_body(title="Budget review, second round", version=1)
    response = client.put(f"/api/interactions/{item['id']}", json=body, headers=headers_for(world.admin, world.hq))
    assert response.status_code == 200
    updated = response.get_json()
    assert updated["version"] == 2 and response.headers["ETag"] == '"2"'
    assert updated["title"] == "Budget review, second round"
    assert updated["created_by"]["id"] == world.editor.id and updated["updated_by"]["id"] == world.admin.id
    events = db.session.execute(db.select(AuditEvent).where(AuditEvent.entity_id == item["id"])
                                .order_by(AuditEvent.id)).scalars().all()
    assert [e.action for e in events] == ["create", "update"]
    assert events[1].changes == {"title": {"from": "Quarterly budget review", "to": "Budget review, second round"}}
    assert events[1].user_id == world.admin.id and events[1].site_id == world.hq.id


def test_if_match_carries_the_version(client, world):
    item = create(client, world.editor, world.hq).get_json()
    headers = {**headers_for(world.editor, world.hq), "If-Match": '"1"'}
    response = client.put(f"/api/interactions/{item['id']}", json=interaction_body(lead="Priya Raman"), headers=headers)
    assert response.status_code == 200 and response.get_json()["version"] == 2


def test_update_without_version_is_422(client, world):
    item = create(client, world.editor, world.hq).get_json()
    response = client.put(f"/api/interactions/{item['id']}", json=interaction_body(),
                          headers=headers_for(world.editor, world.hq))
    assert response.status_code == 422 and "version" in response.get_json()["error"]["details"]


def test_stale_version_is_409_with_current_record_and_overwrites_nothing(client, world):
    item = create(client, world.editor, world.hq).get_json()
    url = f"/api/interactions/{item['id']}"
    first = client.put(url, json=interaction_body(title="First edit", version=1), headers=headers_for(world.editor, world.hq))
    assert first.status_code == 200
    second = client.put(url, json=interaction_body(title="Second edit", version=1),
                        headers=headers_for(world.admin, world.hq))
    assert second.status_code == 409
    error = second.get_json()["error"]
    assert error["code"] == "version_conflict"
    assert error["details"]["current"]["title"] == "First edit" and error["details"]["current"]["version"] == 2
    # Who saved in between, and when: the conflict dialog names them.
    assert error["details"]["current"]["updated_by"] == {"id": world.editor.id, "display_name": world.editor.display_name}
    assert error["details"]["current"]["updated_at"] == first.get_json()["updated_at"]
    assert client.get(url, headers=headers_for(world.editor, world.hq)).get_json()["title"] == "First edit"


def test_concurrent_editors_never_lose_an_edit(app, world):
    """Both load version 1 and save at once: one wins, the other gets 409."""
    import threading

    item_id = make_interaction(world.hq, world.editor).id
    headers = headers_for(world.editor, world.hq)
    barrier = threading.Barrier(8, timeout=30)
    results = []

    def save(n):
        client = app.test_client()
        barrier.wait()
        response = client.put(f"/api/interactions/{item_id}", json=interaction_body(title=f"Edit {n}", version=1),
                              headers=headers)
        results.append((n, response.status_code))

    threads = [threading.Thread(target=save, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [n for n, status in results if status == 200]
    assert len(winners) == 1 and sorted(s for _, s in results) == [200] + [409] * 7
    db.session.expire_all()
    final = db.session.get(Interaction, item_id)
    assert final.title == f"Edit {winners[0]}" and final.version == 2


def test_delete_removes_and_audits(client, world):
    item = create(client, world.editor, world.hq).get_json()
    url = f"/api/interactions/{item['id']}"
    assert client.delete(url, headers=headers_for(world.editor, world.hq)).status_code == 204
    assert client.get(url, headers=headers_for(world.editor, world.hq)).status_code == 404
    assert client.delete(url, headers=headers_for(world.editor, world.hq)).status_code == 404
    event = db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "delete")).scalar_one()
    assert event.entity_id == item["id"] and event.changes["title"] == "Quarterly budget review"


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_viewer_cannot_write(client, world, method):
    item = make_interaction(world.hq, world.editor)
    url = "/api/interactions" if method == "post" else f"/api/interactions/{item.id}"
    response = getattr(client, method)(url, json=interaction_body(version=1), headers=headers_for(world.viewer, world.hq))
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "forbidden"
    assert db.session.get(Interaction, item.id).title == "Site visit"


def test_viewer_can_read(client, world):
    item = make_interaction(world.hq, world.editor)
    assert client.get(f"/api/interactions/{item.id}", headers=headers_for(world.viewer, world.hq)).status_code == 200


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_records_of_another_site_are_404_for_every_verb(client, world, method):
    other = make_interaction(world.field, world.field_editor, title="Field secret")
    # The editor works in HQ; the admin is a member of both but sends HQ as the site.
    for user in (world.editor, world.admin):
        response = getattr(client, method)(f"/api/interactions/{other.id}", json=interaction_body(version=1),
                                           headers=headers_for(user, world.hq))
        assert response.status_code == 404
        assert "Field secret" not in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Interaction, other.id).title == "Field secret"


def test_non_member_site_is_403_and_unknown_ids_404(client, world):
    assert client.get("/api/interactions", headers=headers_for(world.editor, world.field)).status_code == 403
    assert client.get("/api/interactions/999999", headers=headers_for(world.editor, world.hq)).status_code == 404
    assert client.get("/api/interactions", headers=headers_for(world.outsider)).status_code == 403
    assert client.get("/api/interactions").status_code == 401


def test_no_site_header_uses_the_default_site(client, world):
    make_interaction(world.hq, world.admin, title="HQ item")
    make_interaction(world.field, world.admin, title="Field item")
    titles = [i["title"] for i in client.get("/api/interactions", headers=headers_for(world.admin)).get_json()["items"]]
    assert titles == ["HQ item"]
