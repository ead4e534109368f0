"""The site's audit log: its events and its members' sign-ins, filtered, paged, exported; never another site's."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

from ims import audit
from ims.extensions import db
from tests.builders import headers_for, interaction_body, login, make_user

URL = "/api/site/audit"


def test_log_holds_data_admin_and_sign_in_events_newest_first(client, world):
    login(client, "editor", "wrong-password")
    login(client, "editor")
    editor = headers_for(world.editor, world.hq)
    created = client.post("/api/interactions", json=interaction_body(), headers=editor).get_json()
    client.delete(f"/api/interactions/{created['id']}", headers=editor)
    h = headers_for(world.admin, world.hq)
    client.patch(f"/api/site/members/{world.viewer.id}", json={"role": "editor"}, headers=h)
    # the field office's own activity must not show
    client.post("/api/interactions", json=interaction_body(title="Field secret"),
                headers=headers_for(world.field_editor, world.field))
    body = client.get(URL, headers=h).get_json()
    assert [e["action"] for e in body["items"]] == ["role_change", "delete", "create", "login", "login_failed"]
    assert body["items"][0]["user"] == {"id": world.admin.id, "display_name": "Admin"}
    assert "Field secret" not in str(body)


def test_filters_by_person_action_and_date_and_pages(client, world):
    for n in range(3):
        audit.record("update", user_id=world.editor.id, site_id=world.hq.id, entity_type="interaction", entity_id=n)
    audit.record("create", user_id=world.viewer.id, site_id=world.hq.id, entity_type="interaction", entity_id=9)
    old = audit.AuditEvent(action="delete", user_id=world.editor.id, site_id=world.hq.id,
                           occurred_at=datetime(2020, 1, 1, tzinfo=timezone.utc))
    db.session.add(old)
    db.session.commit()
    h = headers_for(world.admin, world.hq)

    def actions(**query):
        return [e["action"] for e in client.get(URL, query_string=query, headers=h).get_json()["items"]]

    assert actions(user_id=world.viewer.id) == ["create"]
    assert actions(action=["delete", "create"]) == ["create", "delete"]
    assert actions(start_to="2020-01-01") == ["delete"]
    assert actions(start_from="2021-01-01", user_id=world.editor.id) == ["update"] * 3
    page = client.get(URL, query_string={"page": 2, "page_size": 2}, headers=h).get_json()
    assert page["total"] == 5 and page["pages"] == 3 and len(page["items"]) == 2
    assert client.get(URL, query_string={"action": "drop_table"}, headers=h).status_code == 400


def test_csv_export_of_the_filtered_log(client, world):
    audit.record("update", user_id=world.editor.id, site_id=world.hq.id, entity_type="interaction", entity_id=7,
                 changes={"title": {"from": "=cmd()", "to": "b"}})
    audit.record("update", user_id=world.editor.id, site_id=world.field.id, entity_type="interaction", entity_id=8)
    db.session.commit()
    response = client.get(f"{URL}/export", query_string={"action": "update"}, headers=headers_for(world.admin, world.hq))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["occurred_at", "action", "user"] and len(rows) == 2
    assert rows[1][1:6] == ["update", "Editor", "editor", "interaction", "7"]
    assert rows[1][6] == '{"title": {"from": "=cmd()", "to": "b"}}'
    [export] = [e for e in client.get(URL, headers=headers_for(world.admin, world.hq)).get_json()["items"]
                if e["action"] == "export"]
    assert export["user"]["id"] == world.admin.id and export["changes"] == {"action": ["update"]}


def test_csv_cells_that_look_like_formulas_stay_text(client, world):
    sly = make_user("sly", {world.hq: "editor"}, display_name="=HYPERLINK(\"http://x\")")
    audit.record("create", user_id=sly.id, site_id=world.hq.id, entity_type="interaction", entity_id=1)
    db.session.commit()
    text = client.get(f"{URL}/export", headers=headers_for(world.admin, world.hq)).get_data(as_text=True)
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text


def test_members_of_both_sites_show_their_sign_ins_only_where_they_belong(client, world):
    login(client, "fielder", "wrong")  # site-less failure
    hq_log = client.get(URL, headers=headers_for(world.admin, world.hq)).get_json()["items"]
    field_log = client.get(URL, headers=headers_for(world.admin, world.field)).get_json()["items"]
    assert hq_log == [] and [e["action"] for e in field_log] == ["login_failed"]


def test_events_of_each_record_of_a_batch_stay_out_of_the_log(client, world):
    """An import or a bulk change writes one event per record (its history) with a `batch` key, and one
    site-level event the log lists; the log and its export leave the per-record ones out."""
    for changes in ({"title": "One", "batch": {"kind": "import", "id": 1}},
                    {"title": {"from": "a", "to": "b"}, "batch": {"kind": "bulk_edit", "id": 2}}):
        audit.record("create", user_id=world.editor.id, site_id=world.hq.id, entity_type="interaction",
                     entity_id=1, changes=changes)
    audit.record("import", user_id=world.editor.id, site_id=world.hq.id, entity_type="import", entity_id=1,
                 changes={"imported": 1})
    audit.record("update", user_id=world.editor.id, site_id=world.hq.id, entity_type="interaction", entity_id=1)
    db.session.commit()
    h = headers_for(world.admin, world.hq)
    assert [e["action"] for e in client.get(URL, headers=h).get_json()["items"]] == ["update", "import"]
    exported = client.get(f"{URL}/export", headers=h).get_data(as_text=True)
    assert "batch" not in exported and "import" in exported
