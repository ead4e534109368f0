"""What a person's imports may keep (IMPORT_MAX_STORED_BYTES_PER_USER), and discarding an import that has
not run: who may, what is refused, uploads and discards racing each other and the run."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from ims import background
from ims.extensions import db
from ims.imports.models import Import
from ims.imports.service import forget_files
from ims.interactions.models import Interaction
from tests.builders import headers_for, make_user, run_import, upload_file
from tests.servers import ServedApp, together_while_locked

CSV = (b"Subject,Type,Owner,Start,End\r\n"
       b"Budget call,Call,Amelia,2026-03-02T10:00:00Z,2026-03-02T11:00:00Z\r\n")


@pytest.fixture
def room_for(app, monkeypatch):
    """Let each person's imports keep `files` copies of CSV and not a byte more."""
    def set_room(files: float) -> None:
        monkeypatch.setitem(app.config, "IMPORT_MAX_STORED_BYTES_PER_USER", int(files * len(CSV)))
    return set_room


def stored(user) -> tuple[int, int]:
    """(imports, bytes of files kept) of `user`."""
    return tuple(db.session.execute(sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(
        sa.func.length(Import.content)), 0)).where(Import.created_by == user.id)).one())


def test_an_upload_past_the_bound_is_refused_and_stores_nothing(client, world, room_for):
    room_for(2.5)
    h = headers_for(world.editor, world.hq)
    first = upload_file(client, h, CSV).get_json()
    assert upload_file(client, h, CSV).status_code == 201
    refused = upload_file(client, h, CSV)
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["code"] == "storage_full" and "Discard the imports you no longer need" in error["message"]
    assert error["details"] == {"stored_bytes": 2 * len(CSV), "file_bytes": len(CSV),
                                "limit_bytes": int(2.5 * len(CSV))}
    assert stored(world.editor) == (2, 2 * len(CSV))
    # the bound is each person's: the site's admin still uploads
    assert upload_file(client, headers_for(world.admin, world.hq), CSV).status_code == 201
    # discarding one makes room again
    assert client.delete(f"/api/imports/{first['id']}", headers=h).status_code == 204
    assert upload_file(client, h, CSV).status_code == 201
    assert stored(world.editor) == (2, 2 * len(CSV))


def test_a_finished_imports_file_counts_until_it_is_let_go(client, world, room_for):
    room_for(1.5)
    h = headers_for(world.editor, world.hq)
    item = upload_file(client, h, CSV).get_json()["id"]
    run_import(client, h, item)
    assert upload_file(client, h, CSV).status_code == 409
    assert forget_files(older_than_days=0) == 1
    assert upload_file(client, h, CSV).status_code == 201


def test_uploads_released_together_one_file_short_of_the_bound_store_one(app, world, database_url, room_for,
                                                                         monkeypatch):
    """Four uploads wait on the interactions table while they look for duplicates, all past the first
    look at the bound; released, they are stored in turn and only the first fits."""
    monkeypatch.setitem(app.config, "IMPORT_CONCURRENT_PER_USER", 4)
    h = headers_for(world.editor, world.hq)
    assert upload_file(app.test_client(), h, CSV).status_code == 201
    room_for(3 - 0.01)  # one more file fits, not two
    with ServedApp(app) as server:
        answers = together_while_locked(database_url, 4, lambda session, n: session.post(
            f"{server.url}/api/imports", headers=h, timeout=60,
            files={"file": (f"file-{n}.csv", CSV, "text/csv")}))
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [201, 409, 409, 409], statuses
    assert stored(world.editor) == (2, 2 * len(CSV))


def test_the_uploader_and_an_admin_of_the_site_may_discard(client, world):
    editor, admin = headers_for(world.editor, world.hq), headers_for(world.admin, world.hq)
    mine, theirs = (upload_file(client, editor, CSV).get_json() for _ in range(2))
    assert mine["can_discard"] is True
    listed = client.get("/api/imports", headers=admin).get_json()["items"]
    assert [item["can_discard"] for item in listed] == [True, True]
    assert client.delete(f"/api/imports/{mine['id']}", headers=editor).status_code == 204
    assert client.delete(f"/api/imports/{theirs['id']}", headers=admin).status_code == 204
    assert client.get(f"/api/imports/{mine['id']}", headers=editor).status_code == 404
    assert client.get("/api/imports", headers=editor).get_json()["items"] == []
    db.session.remove()
    assert db.session.execute(sa.select(sa.func.count()).select_from(Import)).scalar() == 0


def test_another_editor_a_viewer_and_another_site_may_not_discard(client, world):
    other = make_user("other-editor", {world.hq: "editor"})
    item = upload_file(client, headers_for(world.admin, world.hq), CSV).get_json()["id"]
    other_headers = headers_for(other, world.hq)
    assert client.get(f"/api/imports/{item}", headers=other_headers).get_json()["can_discard"] is False
    refused = client.delete(f"/api/imports/{item}", headers=other_headers)
    assert refused.status_code == 403 and "uploaded this import" in refused.get_json()["error"]["message"]
    assert client.delete(f"/api/imports/{item}", headers=headers_for(world.viewer, world.hq)).status_code == 403
    # the field office's editor, in their own site, does not find headquarters' import
    assert client.delete(f"/api/imports/{item}", headers=headers_for(world.field_editor, world.field)).status_code \
        == 404
    assert client.delete(f"/api/imports/{item}", headers=headers_for(world.admin, world.field)).status_code == 404
    assert client.get(f"/api/imports/{item}", headers=headers_for(world.admin, world.hq)).status_code == 200


def test_an_import_that_has_run_is_undone_not_discarded(client, world):
    h = headers_for(world.editor, world.hq)
    item = upload_file(client, h, CSV).get_json()["id"]
    done = run_import(client, h, item)
    assert done["status"] == "done" and done["can_discard"] is False
    refused = client.delete(f"/api/imports/{item}", headers=h)
    assert refused.status_code == 409 and "undo it" in refused.get_json()["error"]["message"]
    assert client.post(f"/api/imports/{item}/undo", headers=h).status_code == 200
    assert client.delete(f"/api/imports/{item}", headers=h).status_code == 409
    imp = db.session.get(Import, item)
    imp.status = "running"
    db.session.commit()
    assert "is running" in client.delete(f"/api/imports/{item}", headers=h).get_json()["error"]["message"]
    assert client.get(f"/api/imports/{item}", headers=h).status_code == 200


def test_a_discard_and_a_run_sent_together_never_run_a_discarded_import(app, world, database_url):
    """The run's claim waits on the interactions table (it looks for duplicates) holding the import; the
    discard meanwhile waits for the import. Whichever locks it first wins; the other is refused."""
    h = headers_for(world.editor, world.hq)
    client = app.test_client()
    outcomes = set()
    with ServedApp(app) as server:
        for _ in range(4):
            item = upload_file(client, h, CSV).get_json()["id"]
            calls = [("DELETE", f"/api/imports/{item}"), ("POST", f"/api/imports/{item}/run")]
            answers = together_while_locked(database_url, 2, lambda session, n: session.request(
                calls[n][0], f"{server.url}{calls[n][1]}", headers=h, timeout=60))
            assert background.wait_idle(60)
            discarded, ran = (answer.status_code for answer in answers)
            assert (discarded, ran) in {(204, 404), (409, 202)}, (discarded, ran)
            outcomes.add((discarded, ran))
            status = db.session.execute(sa.select(Import.status).where(Import.id == item)).scalar()
            assert status == (None if discarded == 204 else "done")
            imported = db.session.execute(sa.select(sa.func.count()).select_from(Interaction)).scalar()
            assert imported == (0 if discarded == 204 else 1)
            db.session.execute(sa.delete(Interaction))
            db.session.commit()
    assert outcomes

