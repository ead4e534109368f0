"""A bulk action whose process ended half-way: reported stalled after five silent minutes, resumed by its
editor or an admin (once, when two resumes come together), every record reached exactly once, with the
same conflict check and Finder query as the first run, and one audit event for the whole action."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from ims import background
from ims.bulk import runner, service
from ims.bulk.models import BulkItem, BulkJob
from ims.extensions import db
from ims.interactions.models import Interaction
from ims.timeutil import utcnow
from tests.builders import headers_for, make_interaction, make_user
from tests.bulk.helpers import events_of, row_of, select_all, versions_of
from tests.servers import ServedApp, requests_released_together

BATCH = 4
RECORDS = 10
ROUNDS = 3


@pytest.fixture
def first_run_dies(monkeypatch):
    """A job's first run stops after its first batch, as when its process is killed there: the job stays
    `running`, its heartbeat that batch's. A later run (a resume) goes to the end."""
    monkeypatch.setattr(runner, "BATCH_SIZE", BATCH)
    real = runner.run

    def first_batch_only(job_id, query=None):
        job = db.session.get(BulkJob, job_id)
        if job.processed:
            return real(job_id, query)
        runner.run_batch(job_id, job.targets[:BATCH], query)

    monkeypatch.setattr(runner, "run", first_batch_only)


@pytest.fixture
def records(world):
    return [make_interaction(world.hq, title=f"Row {n}") for n in range(RECORDS)]


def _start(client, headers, body: dict) -> dict:
    answer = client.post("/api/bulk", json=body, headers=headers)
    assert answer.status_code == 200, answer.get_json()
    report = answer.get_json()
    assert (report["status"], report["processed"], report["stalled"], report["can_resume"]) == \
        ("running", BATCH, False, False)
    return report


def _change_selected(client, headers, records) -> dict:
    return _start(client, headers, {"action": "change", "changes": {"type": "Call"}, "ids": versions_of(*records)})


def _silence(job_id: int, **values) -> None:
    """Its process ended an hour ago: nothing has written the job's heartbeat since (or `values` say more)."""
    db.session.execute(sa.update(BulkJob).where(BulkJob.id == job_id)
                       .values(**{"heartbeat_at": utcnow() - timedelta(hours=1), **values}))
    db.session.commit()


def _items(job_id: int) -> list[int]:
    db.session.expire_all()
    return sorted(db.session.execute(sa.select(BulkItem.interaction_id).where(BulkItem.job_id == job_id)).scalars())


def _assert_reached_once(job_id: int, records) -> None:
    """Every record has one item, one version from the job and one history event; one event for the action."""
    assert _items(job_id) == sorted(r.id for r in records)
    updates = events_of("update")
    assert sorted(e.entity_id for e in updates) == sorted(r.id for r in records)
    assert all(e.changes["batch"] == {"kind": "bulk", "id": job_id} for e in updates)
    assert {(row_of(r.id).type, row_of(r.id).version) for r in records} == {("Call", 2)}
    [action] = events_of("bulk_change")
    assert (action.entity_id, action.changes["count"], action.changes["selected"]) == (job_id, RECORDS, RECORDS)


@pytest.mark.parametrize("stopped", ["stalled", "failed"])
def test_a_stopped_action_resumes_and_reaches_each_record_once(client, world, records, first_run_dies, stopped):
    headers = headers_for(world.editor, world.hq)
    job = _change_selected(client, headers, records)
    _silence(job["id"], **({"status": "failed", "finished_at": utcnow()} if stopped == "failed" else {}))
    report = client.get(f"/api/bulk/{job['id']}", headers=headers).get_json()
    assert (report["stalled"], report["can_resume"], report["processed"]) == (stopped == "stalled", True, BATCH)
    assert not events_of("bulk_change")

    answer = client.post(f"/api/bulk/{job['id']}/resume", headers=headers)
    assert answer.status_code == 200, answer.get_json()
    report = answer.get_json()
    assert (report["status"], report["stalled"], report["can_resume"]) == ("done", False, False)
    assert (report["total"], report["processed"], report["changed"]) == (RECORDS, RECORDS, RECORDS)
    assert report["changed"] + report["unchanged"] + report["conflicts"] + report["failed"] == report["processed"]
    _assert_reached_once(job["id"], records)
    again = client.post(f"/api/bulk/{job['id']}/resume", headers=headers)
    assert again.status_code == 409 and "done" in again.get_json()["error"]["message"]
    runner.finish(job["id"])  # a first run thought stopped that reaches its end after all
    assert len(events_of("bulk_change")) == 1
    assert client.get(f"/api/bulk/{job['id']}", headers=headers).get_json()["status"] == "done"


def test_a_batch_run_again_counts_none_of_its_records_twice(client, world, records, first_run_dies):
    """A runner thought stopped that still finishes a batch the resume has done (or the other way round)."""
    job = _change_selected(client, headers_for(world.editor, world.hq), records)
    runner.run_batch(job["id"], db.session.get(BulkJob, job["id"]).targets[:BATCH + 1], None)
    db.session.expire_all()
    counted = db.session.get(BulkJob, job["id"])
    assert (counted.processed, counted.changed, counted.conflicts) == (BATCH + 1, BATCH + 1, 0)
    assert _items(job["id"]) == sorted(r.id for r in records[:BATCH + 1])
    assert len(events_of("update")) == BATCH + 1


def test_a_job_still_writing_its_progress_is_not_resumed(client, world, records, first_run_dies):
    """Its last batch wrote the heartbeat: however old the job, it is not stalled."""
    headers = headers_for(world.editor, world.hq)
    job = _change_selected(client, headers, records)
    _silence(job["id"], heartbeat_at=BulkJob.heartbeat_at, created_at=utcnow() - timedelta(hours=1))
    answer = client.post(f"/api/bulk/{job['id']}/resume", headers=headers)
    assert answer.status_code == 409 and answer.get_json()["error"]["message"] == "This action is already running."
    _silence(job["id"], heartbeat_at=utcnow() - timedelta(seconds=background.STALE_SECONDS - 30))
    assert client.post(f"/api/bulk/{job['id']}/resume", headers=headers).status_code == 409
    report = client.get(f"/api/bulk/{job['id']}", headers=headers).get_json()
    assert (report["status"], report["processed"], report["stalled"], report["can_resume"]) == \
        ("running", BATCH, False, False)
    assert _items(job["id"]) == sorted(r.id for r in records[:BATCH])


def test_a_job_without_a_heartbeat_is_stalled_once_it_is_old(client, world, records, first_run_dies):
    """A job the previous release started has no heartbeat: its age is its creation's."""
    headers = headers_for(world.editor, world.hq)
    job = _change_selected(client, headers, records)
    _silence(job["id"], heartbeat_at=None)
    assert client.get(f"/api/bulk/{job['id']}", headers=headers).get_json()["stalled"] is False
    _silence(job["id"], heartbeat_at=None, created_at=utcnow() - timedelta(hours=1))
    assert client.get(f"/api/bulk/{job['id']}", headers=headers).get_json()["can_resume"] is True
    assert client.post(f"/api/bulk/{job['id']}/resume", headers=headers).status_code == 200
    _assert_reached_once(job["id"], records)


def test_two_resumes_at_once_run_the_job_once(app, client, world, first_run_dies):
    headers = headers_for(world.editor, world.hq)
    with ServedApp(app) as server:
        for n in range(ROUNDS):
            records = [make_interaction(world.hq, title=f"Round {n} row {i}") for i in range(RECORDS)]
            job = _change_selected(client, headers, records)
            ids = sorted(r.id for r in records)
            _silence(job["id"])
            url = f"/api/bulk/{job['id']}/resume"
            answers = requests_released_together(server.url, [("POST", url, headers, None)] * 2)
            assert sorted(a.status_code for a in answers) == [200, 409], [a.text[:300] for a in answers]
            assert _items(job["id"]) == ids
            assert {(row_of(i).type, row_of(i).version) for i in ids} == {("Call", 2)}
            assert [e.entity_id for e in events_of("bulk_change")][-1] == job["id"]
            assert len(events_of("bulk_change")) == n + 1


def test_only_its_editor_or_an_admin_may_resume_it_and_only_in_its_site(client, world, records, first_run_dies):
    colleague = make_user("colleague", {world.hq: "editor"})
    job = _change_selected(client, headers_for(world.editor, world.hq), records)
    _silence(job["id"])
    url = f"/api/bulk/{job['id']}/resume"
    # the report offers Resume to those it would answer, no one else
    offered = {user.username: client.get(f"/api/bulk/{job['id']}", headers=headers_for(user, world.hq)).get_json()
               ["can_resume"] for user in (world.editor, colleague, world.admin)}
    assert offered == {world.editor.username: True, colleague.username: False, world.admin.username: True}
    for user in (world.viewer, colleague, world.outsider):
        assert client.post(url, headers=headers_for(user, world.hq)).status_code == 403
    for user in (world.field_editor, world.admin):
        assert client.post(url, headers=headers_for(user, world.field)).status_code == 404
    assert _items(job["id"]) == sorted(r.id for r in records[:BATCH])
    answer = client.post(url, headers=headers_for(world.admin, world.hq))
    assert answer.status_code == 200 and answer.get_json()["processed"] == RECORDS


def test_a_resumed_all_matching_action_keeps_its_query_and_leaves_later_edits_alone(client, world, first_run_dies):
    records = [make_interaction(world.hq, type="Call", title=f"Match {n}") for n in range(RECORDS)]
    other = make_interaction(world.hq, type="Visit", title="Not a call")
    edited, unmatched = records[-2], records[-1]
    headers = headers_for(world.editor, world.hq)
    query = {"type": ["Call"], "start_to": "2026-03-02"}  # a whole day: a bound the criteria do not read back
    selection = select_all(client, headers, query)
    assert selection["total"] == RECORDS
    job = _start(client, headers, {"action": "change", "changes": {"lead": "Bulk lead"}, "query": query,
                                   "as_of": selection["as_of"]})
    # while the job is stopped: an admin edits one record, and one no longer matches (written before as_of)
    current = client.get(f"/api/interactions/{edited.id}", headers=headers_for(world.admin, world.hq)).get_json()
    body = {k: v for k, v in current.items() if k not in ("id", "site_id", "created_at", "updated_at",
                                                          "created_by", "updated_by")}
    assert client.put(f"/api/interactions/{edited.id}", json={**body, "lead": "Admin's own"},
                      headers=headers_for(world.admin, world.hq)).status_code == 200
    db.session.execute(sa.update(Interaction).where(Interaction.id == unmatched.id).values(type="Email"))
    db.session.commit()
    _silence(job["id"])

    answer = client.post(f"/api/bulk/{job['id']}/resume", headers=headers)
    assert answer.status_code == 200, answer.get_json()
    report = answer.get_json()
    assert (report["status"], report["processed"], report["changed"], report["conflicts"]) == \
        ("done", RECORDS, RECORDS - 2, 2)
    assert report["left_alone"] == [{"id": edited.id, "title": "Match 8"}, {"id": unmatched.id, "title": "Match 9"}]
    assert (row_of(edited.id).lead, row_of(edited.id).version) == ("Admin's own", 2)
    assert (row_of(unmatched.id).lead, row_of(unmatched.id).version) == ("Jonas Becker", 1)
    assert {row_of(r.id).lead for r in records[:-2]} == {"Bulk lead"} and row_of(other.id).lead == "Jonas Becker"
    assert len(events_of("bulk_change")) == 1


def test_an_all_matching_action_without_its_query_is_not_resumed_without_it(client, world, first_run_dies):
    """A job the previous release started kept only its criteria: resuming it would skip the query's check."""
    for n in range(RECORDS):
        make_interaction(world.hq, type="Call", title=f"Match {n}")
    headers = headers_for(world.editor, world.hq)
    selection = select_all(client, headers, {"type": ["Call"]})
    job = _start(client, headers, {"action": "delete", "query": {"type": ["Call"]}, "as_of": selection["as_of"]})
    _silence(job["id"], query_params=sa.null())
    report = client.get(f"/api/bulk/{job['id']}", headers=headers).get_json()
    assert (report["stalled"], report["can_resume"]) == (True, False)
    answer = client.post(f"/api/bulk/{job['id']}/resume", headers=headers)
    assert answer.status_code == 409 and "query" in answer.get_json()["error"]["message"]
    assert len(_items(job["id"])) == BATCH


def test_a_resume_with_more_left_than_one_answer_holds_runs_in_the_background(client, world, records, first_run_dies,
                                                                              monkeypatch):
    headers = headers_for(world.editor, world.hq)
    job = _change_selected(client, headers, records)
    _silence(job["id"])
    monkeypatch.setattr(service, "SYNC_LIMIT", RECORDS - BATCH - 1)
    answer = client.post(f"/api/bulk/{job['id']}/resume", headers=headers)
    assert answer.status_code == 202, answer.get_json()
    assert answer.get_json()["stalled"] is False
    assert background.wait_idle(30)
    assert client.get(f"/api/bulk/{job['id']}", headers=headers).get_json()["status"] == "done"
    _assert_reached_once(job["id"], records)
