"""An export of one site imported into another reproduces every exported field exactly; the upload,
preview and run also work on SQLite, as `make run` serves them."""
from __future__ import annotations

import csv
import io
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from ims import background, create_app
from ims.audit import AuditEvent
from ims.extensions import db
from ims.imports import runner
from ims.imports.models import Import
from ims.interactions.fields import EDITABLE_FIELDS
from ims.interactions.models import Interaction
from ims.interactions.search_keys import DERIVED_COLUMNS, derived_columns
from ims.timeutil import iso_z
from ims.interactions.export import COLUMNS
from ims.notifications.outbox import worker_for
from tests.builders import BASE_TIME, headers_for, make_site, make_user, run_import, upload_file
from tests.conftest import RUN_PREFIX, settings_for

AWKWARD = ["=SUM(A1:A2)", "+1", "-1", "@cmd", "\tTabbed", "\rReturned", 'He said "hi", then left', "a,b,c",
           "line one\nline two", "crlf\r\ninside", "ünïcode — 🚀 ﬁ e\u0301", "  padded  ", "0012", "'quoted", "\\N",
           "\\.", "trailing\r", "Ελληνικά; ;semi", "tab\tinside"]
ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC", "Australia/Lord_Howe"]
FIELD_COLUMNS = COLUMNS[1:-5]


def create_awkward(client, headers) -> None:
    for n, text in enumerate(AWKWARD):
        start = BASE_TIME + timedelta(days=n, microseconds=(0, 5, 123456, 999999)[n % 4])
        body = {"title": text, "type": ("Call", "Meeting", "Other")[n % 3], "lead": text[::-1],
                "start_datetime": start.isoformat(), "end_datetime": (start + timedelta(hours=1, microseconds=n))
                .isoformat(), "timezone": ZONES[n % len(ZONES)], "location": text,
                "description": "" if n % 2 else text, "notes": None if n % 3 == 0 else text * 2}
        if not text.strip():
            body["title"] = "blank"
        response = client.post("/api/interactions", json=body, headers=headers)
        assert response.status_code == 201, response.get_json()
    client.post("/api/interactions", json={"title": "Empty cells", "type": "Visit", "lead": "Nobody",
                                           "start_datetime": "2025-01-01T00:00:00Z",
                                           "end_datetime": "2025-01-01T00:00:00Z", "timezone": "UTC"},
                headers=headers)


def field_cells(body: bytes) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == COLUMNS
    return [[dict(zip(COLUMNS, row))[name] for name in FIELD_COLUMNS] for row in rows[1:]]


def test_an_export_imported_into_another_site_exports_the_same_fields(client, world):
    create_awkward(client, headers_for(world.editor, world.hq))
    source = headers_for(world.admin, world.hq)
    target = headers_for(world.admin, world.field)
    exported = client.get("/api/interactions/export?sort=start_datetime", headers=source).get_data()
    item = upload_file(client, target, exported, filename="interactions-headquarters.csv").get_json()
    assert item["problems"] == [] and item["counts"]["invalid"] == 0, item
    done = run_import(client, target, item["id"])
    assert done["counts"]["imported"] == len(AWKWARD) + 1
    again = client.get("/api/interactions/export?sort=start_datetime", headers=target).get_data()
    assert field_cells(again) == field_cells(exported)
    assert len(field_cells(again)) == len(AWKWARD) + 1
    # and the records hold what the source's records hold (a quote the export added is not kept)
    stored = [stored_fields(client, headers) for headers in (source, target)]
    assert stored[1] == stored[0] and "=SUM(A1:A2)" in [row["title"] for row in stored[1]]
    # each record's derived columns and its create event hold exactly its fields (written by COPY)
    records = db.session.execute(sa.select(Interaction).where(Interaction.site_id == world.field.id)).scalars().all()
    events = {event.entity_id: event.changes for event in db.session.execute(sa.select(AuditEvent).where(
        AuditEvent.action == "create", AuditEvent.site_id == world.field.id)).scalars()}
    assert len(records) == len(events) == len(AWKWARD) + 1
    for record in records:
        values = {name: getattr(record, name) for name in EDITABLE_FIELDS}
        assert {name: getattr(record, name) for name in DERIVED_COLUMNS} == derived_columns(values)
        assert events[record.id] == {**{name: iso_z(value) if hasattr(value, "tzinfo") else value
                                        for name, value in values.items()}, **runner.batch_marker(
                                            db.session.get(Import, item["id"]))}


def stored_fields(client, headers) -> list[dict]:
    page = client.get("/api/interactions?sort=start_datetime&page_size=100", headers=headers).get_json()
    return [{name: row[name] for name in FIELD_COLUMNS} for row in page["items"]]


@pytest.fixture
def sqlite_app(tmp_path):
    application = create_app(settings_for(f"sqlite:///{tmp_path / 'ims.sqlite3'}",
                                          REDIS_KEY_PREFIX=f"{RUN_PREFIX}sqlite-{uuid.uuid4().hex[:6]}:"))
    with application.app_context():
        upgrade()
        yield application
        assert background.wait_idle(30)
        worker_for(application).stop()
        db.session.remove()
        db.engine.dispose()


def test_upload_preview_run_report_and_undo_on_sqlite(sqlite_app):
    assert db.engine.dialect.name == "sqlite"
    site = make_site("Head Office")
    editor = make_user("editor", {site: "editor"})
    admin = make_user("admin", {site: "admin"})
    client, h = sqlite_app.test_client(), headers_for(editor, site)
    body = ("Subject;Type;Owner;Start;End\r\nÜber;Call;Zoë;2026-03-02 10:00;2026-03-02 11:00\r\n"
            ";Call;Zoë;2026-03-02 10:00;2026-03-02 11:00\r\n").encode("utf-16")
    item = upload_file(client, h, body).get_json()
    assert item["encoding"] == "utf-16" and item["delimiter"] == ";" and item["counts"]["valid"] == 1
    assert client.get(f"/api/imports/{item['id']}/preview", headers=h).get_json()["items"][1]["errors"]
    done = run_import(client, h, item["id"])
    assert done["status"] == "done" and done["counts"]["imported"] == 1 and done["counts"]["failed"] == 1
    assert [row["title"] for row in client.get("/api/interactions", headers=h).get_json()["items"]] == ["Über"]
    log = client.get("/api/site/audit", headers=headers_for(admin, site)).get_json()
    assert [event["action"] for event in log["items"]] == ["import"]
    assert client.post(f"/api/imports/{item['id']}/undo", headers=h).get_json()["status"] == "undone"
    assert client.get("/api/interactions", headers=h).get_json()["items"] == []
