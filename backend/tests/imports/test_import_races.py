"""Runs started at once, and a run whose process ended: one run imports each row once. Changes of the mapping
built on the same version at once: one is stored, the other refused."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from ims import background
from ims.extensions import db
from ims.imports.models import Import
from ims.interactions.models import Interaction
from ims.timeutil import utcnow
from tests.builders import headers_for, run_import, upload_file
from tests.servers import ServedApp, requests_released_together

CSV = ("Subject,Type,Owner,Start,End\r\n" + "".join(
    f"Row {n},Call,Amelia,2026-03-{n:02d}T10:00:00Z,2026-03-{n:02d}T11:00:00Z\r\n" for n in range(1, 21))).encode()


def imported_titles(site) -> list[str]:
    site_id = site.id
    db.session.remove()
    return sorted(db.session.execute(sa.select(Interaction.title).where(Interaction.site_id == site_id)).scalars())


def test_runs_started_at_once_import_each_row_once(app, world):
    h = headers_for(world.editor, world.hq)
    client = app.test_client()
    items = [upload_file(client, h, CSV).get_json()["id"] for _ in range(2)]
    with ServedApp(app) as server:
        for item in items[:1]:
            answers = requests_released_together(server.url, [("POST", f"/api/imports/{item}/run", h, None)] * 3)
            assert sorted(answer.status_code for answer in answers) == [202, 409, 409]
            assert background.wait_idle(60)
    assert imported_titles(world.hq) == sorted(f"Row {n}" for n in range(1, 21))
    # the second upload of the same file: every row is now a duplicate of the site's records
    done = run_import(client, h, items[1])
    assert done["counts"]["skipped"] == 20 and done["counts"]["imported"] == 0
    assert len(imported_titles(world.hq)) == 20


def test_a_run_whose_process_ended_can_be_run_again(client, world):
    h = headers_for(world.editor, world.hq)
    item = upload_file(client, h, CSV).get_json()["id"]
    imp = db.session.get(Import, item)
    imp.status, imp.heartbeat_at = "running", utcnow()  # a run that still writes its progress
    db.session.commit()
    assert client.post(f"/api/imports/{item}/run", headers=h).status_code == 409
    imp = db.session.get(Import, item)
    imp.heartbeat_at = utcnow() - timedelta(hours=1)  # silent for an hour: its process ended half-way
    db.session.commit()
    assert run_import(client, h, item)["counts"]["imported"] == 20
    assert len(imported_titles(world.hq)) == 20


def test_of_two_changes_built_on_the_same_version_one_is_stored_and_the_other_refused(app, world):
    h = headers_for(world.editor, world.hq)
    client = app.test_client()
    item = upload_file(client, h, CSV).get_json()
    url = f"/api/imports/{item['id']}"
    changes = [{"mapping": {"1": None}, "version": 1}, {"mapping": {"2": None}, "version": 1}]
    with ServedApp(app) as server:
        answers = requests_released_together(server.url, [("PATCH", url, h, change) for change in changes])
    assert sorted(answer.status_code for answer in answers) == [200, 409], [a.text for a in answers]
    winner = next(answer.json() for answer in answers if answer.status_code == 200)
    loser = next(answer.json()["error"] for answer in answers if answer.status_code == 409)
    assert loser["code"] == "version_conflict" and loser["details"]["current"]["version"] == 2
    stored = client.get(url, headers=h).get_json()
    assert stored["version"] == winner["version"] == 2
    assert [c["field"] for c in stored["columns"]] == [c["field"] for c in winner["columns"]]
    assert [c["field"] for c in stored["columns"]].count(None) == 1  # the refused change left nothing behind
    assert loser["details"]["current"]["columns"] == stored["columns"]
