"""The run: valid rows imported in batches with their history and derived keys, the report, failed rows
as CSV, a run stopped half-way by a database fault resumed without duplicates, undo and restore."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

import sqlalchemy as sa

from ims.audit import AuditEvent
from ims.extensions import db
from ims.imports.models import Import, ImportRow
from ims.interactions.models import Interaction
from ims.interactions.search_keys import derived_columns
from ims.sites.models import Site
from tests.builders import headers_for, make_interaction, run_import, upload_file

HEADER = "Subject,Type,Owner,Start,End,Location\r\n"


def csv_bytes(*rows: str) -> bytes:
    return ("\ufeff" + HEADER + "".join(row + "\r\n" for row in rows)).encode()


def good(title: str, day: int = 2) -> str:
    return f"{title},Call,Amelia Hart,2026-03-{day:02d}T10:00:00Z,2026-03-{day:02d}T11:00:00Z,Room"


def site_titles(site) -> list[str]:
    return list(db.session.execute(sa.select(Interaction.title).where(Interaction.site_id == site.id)
                                   .order_by(Interaction.id)).scalars())


def test_valid_rows_are_imported_with_their_history_keys_and_one_site_event(client, world):
    h = headers_for(world.editor, world.hq)
    before = db.session.get(Site, world.hq.id).data_version
    item = upload_file(client, h, csv_bytes(good("Ångel review"), ",Call,Amelia,2026-03-02T10:00:00Z,"
                                            "2026-03-02T11:00:00Z,", good("Second"), good("Third"))).get_json()
    client.application.config["IMPORT_BATCH_ROWS"] = 2
    try:
        done = run_import(client, h, item["id"])
    finally:
        client.application.config["IMPORT_BATCH_ROWS"] = 1000
    assert done["status"] == "done" and done["undo_until"] is not None
    assert done["counts"]["imported"] == 3 and done["counts"]["failed"] == 1 and done["counts"]["skipped"] == 0
    assert done["progress"] == {"done": 3, "total": 3}
    assert site_titles(world.hq) == ["Ångel review", "Second", "Third"]
    db.session.expire_all()
    assert db.session.get(Site, world.hq.id).data_version == before + 2  # a new generation per batch
    for record in db.session.execute(sa.select(Interaction).where(Interaction.site_id == world.hq.id)).scalars():
        values = {name: getattr(record, name) for name in ("title", "type", "lead", "start_datetime",
                                                           "end_datetime", "timezone", "location",
                                                           "description", "notes")}
        expected = derived_columns(values)
        assert {name: getattr(record, name) for name in expected} == expected
    found = client.get("/api/interactions?search=angel", headers=h).get_json()
    assert [row["title"] for row in found["items"]] == ["Ångel review"]
    first = found["items"][0]["id"]
    history = client.get(f"/api/interactions/{first}/history", headers=h).get_json()
    assert [entry["action"] for entry in history["items"]] == ["create"]
    event = db.session.execute(sa.select(AuditEvent).where(AuditEvent.entity_id == first,
                                                           AuditEvent.entity_type == "interaction")).scalar_one()
    assert event.changes["batch"] == {"kind": "import", "id": item["id"]}
    assert event.changes["source"] == "import" and event.changes["filename"] == "contacts.csv"
    site_events = db.session.execute(sa.select(AuditEvent).where(AuditEvent.action == "import")).scalars().all()
    assert len(site_events) == 1 and site_events[0].changes["imported"] == 3 and site_events[0].changes["failed"] == 1
    again = client.post(f"/api/imports/{item['id']}/run", headers=h)
    assert again.status_code == 409


def test_the_audit_log_lists_the_import_not_each_record(client, world):
    h = headers_for(world.editor, world.hq)
    item = upload_file(client, h, csv_bytes(good("One"), good("Two"))).get_json()
    run_import(client, h, item["id"])
    client.post("/api/interactions", json={"title": "By hand", "type": "Call", "lead": "A",
                                           "start_datetime": "2026-03-02T10:00:00Z",
                                           "end_datetime": "2026-03-02T11:00:00Z", "timezone": "UTC"}, headers=h)
    log = client.get("/api/site/audit?page_size=100", headers=headers_for(world.admin, world.hq)).get_json()
    actions = [(event["action"], event["entity_type"]) for event in log["items"]]
    assert ("import", "import") in actions
    assert actions.count(("create", "interaction")) == 1  # the one made by hand
    exported = client.get("/api/site/audit/export", headers=headers_for(world.admin, world.hq)).get_data(as_text=True)
    assert "batch" not in exported and "import" in exported


def test_failed_rows_download_as_csv_with_a_reason_and_import_once_fixed(client, world):
    h = headers_for(world.editor, world.hq)
    item = upload_file(client, h, csv_bytes(good("Fine"), ",Call,Amelia,2026-03-02T10:00:00Z,"
                                            "2026-03-02T11:00:00Z,=SUM(A1)")).get_json()
    run_import(client, h, item["id"])
    response = client.get(f"/api/imports/{item['id']}/failed.csv", headers=h)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["Subject", "Type", "Owner", "Start", "End", "Location", "Reason"]
    assert rows[1][:5] == ["", "Call", "Amelia", "2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z"]
    assert rows[1][5] == "'=SUM(A1)"  # spreadsheet-safe
    assert rows[1][6] == "Title: Missing data for required field."
    fixed = response.data.decode("utf-8-sig").replace("\r\n,Call", "\r\nFixed,Call")
    again = upload_file(client, h, fixed.encode(), filename="fixed.csv").get_json()
    assert again["counts"]["valid"] == 1 and again["columns"][6]["field"] is None  # Reason is ignored
    run_import(client, h, again["id"])
    fixed_row = db.session.execute(sa.select(Interaction).where(Interaction.title == "Fixed")).scalar_one()
    assert fixed_row.location == "=SUM(A1)"


def test_duplicates_are_skipped_or_imported_as_chosen(client, world):
    from datetime import datetime, timezone
    make_interaction(world.hq, world.editor, title="Known", lead="Amelia Hart",
                     start_datetime=datetime(2026, 3, 2, 10, tzinfo=timezone.utc))
    h = headers_for(world.editor, world.hq)
    skip = upload_file(client, h, csv_bytes(good("Known"), good("New"), good("New"))).get_json()
    done = run_import(client, h, skip["id"])
    assert (done["counts"]["imported"], done["counts"]["skipped"]) == (1, 2)
    keep = upload_file(client, h, csv_bytes(good("Known"))).get_json()
    client.patch(f"/api/imports/{keep['id']}", json={"duplicates": "import"}, headers=h)
    assert run_import(client, h, keep["id"])["counts"]["imported"] == 1
    assert site_titles(world.hq).count("Known") == 2


POISON = """
CREATE OR REPLACE FUNCTION import_drill_poison() RETURNS trigger AS $$
BEGIN
  IF NEW.title = 'Poison' THEN RAISE EXCEPTION 'poisoned row'; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER import_drill_poison BEFORE INSERT ON interactions
  FOR EACH ROW EXECUTE FUNCTION import_drill_poison();
"""
CURE = "DROP TRIGGER IF EXISTS import_drill_poison ON interactions; DROP FUNCTION IF EXISTS import_drill_poison();"


def test_a_batch_failing_half_way_keeps_whole_batches_and_a_rerun_adds_no_duplicates(client, world):
    h = headers_for(world.editor, world.hq)
    titles = [f"Row {n}" for n in range(1, 6)]
    item = upload_file(client, h, csv_bytes(*(good(t, n) for n, t in enumerate(titles, 1)), good("Poison", 9),
                                            *(good(f"After {n}", n) for n in range(1, 4)))).get_json()
    # duplicates imported: only the import's own rows keep a re-run from importing a row twice
    client.patch(f"/api/imports/{item['id']}", json={"duplicates": "import"}, headers=h)
    db.session.execute(sa.text(POISON))
    db.session.commit()
    client.application.config["IMPORT_BATCH_ROWS"] = 2
    try:
        stopped = run_import(client, h, item["id"])
        assert stopped["status"] == "failed"
        assert "run it again" in stopped["error"] and stopped["progress"]["done"] == 4
        assert site_titles(world.hq) == titles[:4]  # the batch holding the poison is out, whole
        kept = db.session.execute(sa.select(ImportRow.row, ImportRow.interaction_id)
                                  .where(ImportRow.import_id == item["id"])).all()
        assert sorted(row for row, _ in kept) == [2, 3, 4, 5]
        db.session.execute(sa.text(CURE))
        db.session.commit()
        done = run_import(client, h, item["id"])
    finally:
        client.application.config["IMPORT_BATCH_ROWS"] = 1000
        db.session.execute(sa.text(CURE))
        db.session.commit()
    assert done["status"] == "done" and done["counts"]["imported"] == 9
    assert site_titles(world.hq) == titles + ["Poison", "After 1", "After 2", "After 3"]


def test_undo_removes_exactly_the_batch_as_restorable_deletes(client, world):
    h = headers_for(world.editor, world.hq)
    make_interaction(world.hq, world.editor, title="Before the import")
    item = upload_file(client, h, csv_bytes(good("One"), good("Two"))).get_json()
    run_import(client, h, item["id"])
    version = db.session.get(Site, world.hq.id).data_version
    undone = client.post(f"/api/imports/{item['id']}/undo", headers=h)
    assert undone.status_code == 200 and undone.get_json()["status"] == "undone"
    assert site_titles(world.hq) == ["Before the import"]
    db.session.expire_all()
    assert db.session.get(Site, world.hq.id).data_version > version
    deleted = client.get("/api/interactions/deleted", headers=headers_for(world.admin, world.hq)).get_json()
    assert sorted(row["title"] for row in deleted["items"]) == ["One", "Two"]
    events = db.session.execute(sa.select(AuditEvent).where(AuditEvent.action == "import_undo")).scalars().all()
    assert len(events) == 1 and events[0].changes["removed"] == 2
    assert client.post(f"/api/imports/{item['id']}/undo", headers=h).status_code == 409
    one = next(row["id"] for row in deleted["items"] if row["title"] == "One")
    restored = client.post(f"/api/interactions/deleted/{one}/restore", headers=h)
    assert restored.status_code == 200 and restored.get_json()["title"] == "One"
    assert sorted(site_titles(world.hq)) == ["Before the import", "One"]
    log = client.get("/api/site/audit?page_size=100", headers=headers_for(world.admin, world.hq)).get_json()
    assert [e["action"] for e in log["items"] if e["entity_type"] == "interaction"] == ["undelete"]


def test_undo_is_refused_after_seven_days_and_before_the_run(client, world):
    h = headers_for(world.editor, world.hq)
    item = upload_file(client, h, csv_bytes(good("One"))).get_json()
    refused = client.post(f"/api/imports/{item['id']}/undo", headers=h)
    assert refused.status_code == 409
    run_import(client, h, item["id"])
    imp = db.session.get(Import, item["id"])
    imp.finished_at = imp.finished_at - timedelta(days=8)
    db.session.commit()
    late = client.post(f"/api/imports/{item['id']}/undo", headers=h)
    assert late.status_code == 409 and "7 days" in late.get_json()["error"]["message"]
    assert site_titles(world.hq) == ["One"]


def test_a_finished_imports_file_is_cleared_after_seven_days_and_its_failed_rows_say_so(app, client, world):
    h = headers_for(world.editor, world.hq)
    bad = ",Call,Amelia,2026-03-02T10:00:00Z,2026-03-02T11:00:00Z,Room"
    old, recent, undone = (upload_file(client, h, csv_bytes(good(title), bad)).get_json()["id"]
                           for title in ("Old", "Recent", "Undone"))
    waiting = upload_file(client, h, csv_bytes(good("Waiting"))).get_json()["id"]  # never run: still to run
    for import_id in (old, recent, undone):
        run_import(client, h, import_id)
    assert client.post(f"/api/imports/{undone}/undo", headers=h).status_code == 200
    for import_id, days in ((old, 8), (recent, 6), (undone, 8)):
        imp = db.session.get(Import, import_id)
        imp.finished_at = imp.finished_at - timedelta(days=days)
    db.session.get(Import, waiting).created_at -= timedelta(days=30)
    db.session.commit()
    assert client.get(f"/api/imports/{old}/failed.csv", headers=h).status_code == 200
    result = app.test_cli_runner().invoke(args=["purge-deleted"])
    assert result.exit_code == 0 and "cleared the files of 2 imports finished more than 7 days ago" in result.output
    db.session.expire_all()
    kept = dict(db.session.execute(sa.select(Import.id, Import.content.is_not(None))).all())
    assert kept == {old: False, recent: True, undone: False, waiting: True}
    for path in (f"/api/imports/{old}/failed.csv", f"/api/imports/{old}/preview"):
        gone = client.get(path, headers=h)
        assert gone.status_code == 410 and gone.get_json()["error"]["code"] == "gone"
        assert "7 days after it finished" in gone.get_json()["error"]["message"]
    assert client.get(f"/api/imports/{old}", headers=h).get_json()["counts"]["failed"] == 1  # the report stays
    assert site_titles(world.hq) == ["Old", "Recent"]  # the records stay
    failed = client.get(f"/api/imports/{recent}/failed.csv", headers=h)
    assert failed.status_code == 200 and "Title: Missing data" in failed.get_data(as_text=True)
    assert run_import(client, h, waiting)["counts"]["imported"] == 1
