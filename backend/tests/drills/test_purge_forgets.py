"""A purge that forgets: `flask purge-deleted` is the promise that a deleted record is gone for good
after its retention, yet every version of it (the created values, each edit's from → to, the snapshot
taken at the delete) lived on in the audit trail, readable in the audit log, its CSV export and any
database dump. After a purge, no table may hold the record's content; the audit trail keeps who did
what and when."""
from __future__ import annotations

import sqlalchemy as sa

from ims.audit import AuditEvent
from ims.extensions import db
from tests.builders import columns_holding, headers_for, interaction_body

MARK = "ZEPHYR-4471"  # in every text the record ever had
FIRST = {"title": f"Nightjar merger talks {MARK}", "location": f"Room {MARK}",
         "description": f"Codeword {MARK}: the board is not told", "notes": f"Offer 10M ({MARK})"}
EDITED = {"title": f"Nightjar merger talks {MARK} (revised)", "notes": f"Offer raised to 12.5M ({MARK})"}


def test_a_purged_record_leaves_no_content_in_any_table(app, client, world, figures):
    editor, admin, editor_id = headers_for(world.editor, world.hq), headers_for(world.admin, world.hq), world.editor.id
    created = client.post("/api/interactions", headers=editor, json=interaction_body(**FIRST))
    assert created.status_code == 201, created.get_json()
    record = created.get_json()["id"]
    edited = client.put(f"/api/interactions/{record}", headers=editor,
                        json={**interaction_body(**{**FIRST, **EDITED}), "version": 1})
    assert edited.status_code == 200, edited.get_json()
    restored = client.post(f"/api/interactions/{record}/restore", headers=editor,
                           json={"restore_version": 1, "version": 2})
    assert restored.status_code == 200, restored.get_json()
    assert MARK in client.get("/api/interactions/export", headers=editor).get_data(as_text=True)
    assert len(client.get(f"/api/interactions/{record}/history", headers=editor).get_json()["items"]) == 3
    assert client.delete(f"/api/interactions/{record}", headers=editor).status_code == 204
    before = columns_holding(MARK)
    assert "audit_events.changes" in before and "deleted_interactions.title" in before  # the scan sees it

    purged = app.test_cli_runner().invoke(args=["purge-deleted", "--older-than-days", "0"])
    assert purged.exit_code == 0 and "purged 1 interaction" in purged.output

    assert columns_holding(MARK) == [], "the purged record's content is still stored"
    assert columns_holding("Nightjar") == [] and columns_holding("12.5M") == []
    db.session.remove()
    events = db.session.execute(sa.select(AuditEvent.action, AuditEvent.user_id, AuditEvent.occurred_at)
                                .where(AuditEvent.entity_type == "interaction", AuditEvent.entity_id == record)
                                .order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == ["create", "update", "restore", "delete"]
    assert all(e.user_id == editor_id and e.occurred_at is not None for e in events)
    log = client.get("/api/site/audit", headers=admin).get_json()["items"]
    assert [e["action"] for e in log if e["entity_id"] == record] == ["delete", "restore", "update", "create"]
    assert client.get(f"/api/interactions/{record}/history", headers=editor).status_code == 404
    figures.update(columns_holding_the_text_before_purge=len(before), after_purge=0,
                   audit_events_kept=len(events))
