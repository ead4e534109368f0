"""Bulk actions from the Finder: selected rows and all matches, a history version per record, one audit
event per action, conflicts left alone, background progress and the Undo of a bulk delete."""
from __future__ import annotations

import sqlalchemy as sa

from ims import background
from ims.bulk.models import BulkJob
from ims.bulk.schemas import MAX_SELECTED_ROWS, SYNC_LIMIT
from ims.extensions import db
from ims.interactions.models import Interaction
from ims.sites.models import Site
from tests.builders import headers_for, make_interaction, make_user
from tests.bulk.helpers import events_of, row_of, select_all, versions_of


def test_changing_selected_rows_writes_a_version_each_and_one_event_for_the_action(client, world):
    one, two, other = (make_interaction(world.hq, world.editor, title=f"Row {n}") for n in range(3))
    headers = headers_for(world.editor, world.hq)
    answer = client.post("/api/bulk", json={"action": "change", "changes": {"type": "Call"},
                                            "ids": versions_of(one, two)}, headers=headers)
    assert answer.status_code == 200, answer.get_json()
    report = answer.get_json()
    assert (report["status"], report["changed"], report["conflicts"], report["left_alone"]) == ("done", 2, 0, [])
    assert [(row_of(r.id).type, row_of(r.id).version) for r in (one, two, other)] == [("Call", 2), ("Call", 2), ("Visit", 1)]
    history = client.get(f"/api/interactions/{one.id}/history", headers=headers).get_json()["items"]
    assert history[0]["version"] == 2 and history[0]["changes"]["type"]["from"] == "Visit"
    assert history[0]["changes"]["type"]["to"] == "Call"
    updates = events_of("update")
    assert [e.entity_id for e in updates] == [one.id, two.id]
    assert all(e.changes["batch"] == {"kind": "bulk", "id": report["id"]} for e in updates)
    [action] = events_of("bulk_change")
    assert action.site_id == world.hq.id and action.entity_id == report["id"] and action.user_id == world.editor.id
    assert action.changes["count"] == 2 and action.changes["criteria"] == {"selected_rows": 2}
    assert action.changes["set"] == {"type": "Call"} and "batch" not in action.changes


def test_all_matching_is_the_finders_own_query_and_leaves_the_rest_untouched(client, world):
    calls = [make_interaction(world.hq, type="Call", title=f"Budget call {n}") for n in range(3)]
    unmatched = [make_interaction(world.hq, type="Call", title="Hiring call"),
                 make_interaction(world.hq, type="Visit", title="Budget visit")]
    elsewhere = make_interaction(world.field, type="Call", title="Budget call abroad")
    headers = headers_for(world.editor, world.hq)
    query = {"type": ["Call"], "search": "budget"}
    finder = client.get("/api/interactions", query_string=query, headers=headers).get_json()
    selection = select_all(client, headers, query)
    assert selection["total"] == finder["total"] == 3 and selection["over_limit"] is False
    report = client.post("/api/bulk", json={"action": "change", "changes": {"lead": "Nora Lind"}, "query": query,
                                            "as_of": selection["as_of"]}, headers=headers).get_json()
    assert (report["changed"], report["conflicts"], report["total"]) == (3, 0, 3)
    assert {row_of(r.id).lead for r in calls} == {"Nora Lind"}
    assert {row_of(r.id).lead for r in (*unmatched, elsewhere)} == {"Jonas Becker"}
    [action] = events_of("bulk_change")
    assert action.changes["criteria"]["query"] == {"search": "budget", "type": ["Call"]}
    assert action.changes["criteria"]["as_of"] == selection["as_of"]


def test_all_matching_an_exact_lead_leaves_the_names_that_contain_it(client, world):
    ana, *others = (make_interaction(world.hq, type="Call", lead=lead, title=lead)
                    for lead in ("Ána", "Anabel", "Diana"))
    headers = headers_for(world.editor, world.hq)
    query = {"lead_is": "ana"}
    selection = select_all(client, headers, query)
    assert selection["total"] == 1
    report = client.post("/api/bulk", json={"action": "change", "changes": {"type": "Visit"}, "query": query,
                                            "as_of": selection["as_of"]}, headers=headers).get_json()
    assert (report["changed"], report["total"]) == (1, 1)
    assert row_of(ana.id).type == "Visit" and {row_of(r.id).type for r in others} == {"Call"}
    [action] = events_of("bulk_change")
    assert action.changes["criteria"]["query"] == {"lead_is": "ana"}


def test_a_record_edited_after_the_selection_is_reported_and_keeps_its_edit(client, world):
    kept, changed = (make_interaction(world.hq, type="Call", title=t) for t in ("Edited meanwhile", "Untouched"))
    headers = headers_for(world.editor, world.hq)
    selection = select_all(client, headers, {"type": ["Call"]})
    current = client.get(f"/api/interactions/{kept.id}", headers=headers_for(world.admin, world.hq)).get_json()
    body = {k: v for k, v in current.items() if k not in ("id", "site_id", "created_at", "updated_at",
                                                          "created_by", "updated_by")}
    edit = client.put(f"/api/interactions/{kept.id}", json={**body, "lead": "Admin's own"},
                      headers=headers_for(world.admin, world.hq))
    assert edit.status_code == 200
    report = client.post("/api/bulk", json={"action": "change", "changes": {"lead": "Bulk lead"},
                                            "query": {"type": ["Call"]}, "as_of": selection["as_of"]},
                         headers=headers).get_json()
    assert (report["changed"], report["conflicts"]) == (1, 1)
    assert report["left_alone"] == [{"id": kept.id, "title": "Edited meanwhile"}]
    assert (row_of(kept.id).lead, row_of(kept.id).version) == ("Admin's own", 2)
    assert row_of(changed.id).lead == "Bulk lead"


def test_a_selected_row_at_an_older_version_is_left_alone(client, world):
    stale = make_interaction(world.hq, title="Stale")
    fresh = make_interaction(world.hq, title="Fresh")
    selected = versions_of(stale, fresh)
    db.session.execute(sa.update(Interaction).where(Interaction.id == stale.id).values(version=2, lead="Other"))
    db.session.commit()
    report = client.post("/api/bulk", json={"action": "change", "changes": {"location": "Hall B"}, "ids": selected},
                         headers=headers_for(world.editor, world.hq)).get_json()
    assert (report["changed"], report["conflicts"]) == (1, 1)
    assert (row_of(stale.id).location, row_of(stale.id).lead) == ("", "Other")
    assert row_of(fresh.id).location == "Hall B"


def test_a_value_already_set_makes_no_new_version(client, world):
    same = make_interaction(world.hq, type="Call")
    report = client.post("/api/bulk", json={"action": "change", "changes": {"type": "Call"}, "ids": versions_of(same)},
                         headers=headers_for(world.editor, world.hq)).get_json()
    assert (report["changed"], report["unchanged"]) == (0, 1)
    assert row_of(same.id).version == 1 and not events_of("update")


def test_a_bulk_delete_moves_the_records_and_one_undo_brings_back_exactly_them(client, world):
    gone = [make_interaction(world.hq, title=f"Gone {n}") for n in range(3)]
    make_interaction(world.hq, title="Stays")
    headers = headers_for(world.editor, world.hq)
    selected, first = versions_of(*gone), gone[0].id
    report = client.post("/api/bulk", json={"action": "delete", "ids": selected}, headers=headers).get_json()
    assert (report["changed"], report["can_undo"]) == (3, True)
    assert client.get("/api/interactions", headers=headers).get_json()["total"] == 1
    assert all(e.changes["batch"]["id"] == report["id"] for e in events_of("delete"))
    # one of them was brought back by hand meanwhile: the Undo leaves it as it is
    assert client.post(f"/api/interactions/deleted/{first}/restore", headers=headers).status_code == 200
    other = make_interaction(world.hq, title="Deleted on its own")
    assert client.delete(f"/api/interactions/{other.id}", headers=headers).status_code == 204
    assert client.post(f"/api/bulk/{report['id']}/undo", headers=headers_for(world.admin, world.field)).status_code == 404
    undo = client.post(f"/api/bulk/{report['id']}/undo", headers=headers)
    assert undo.status_code == 200, undo.get_json()
    assert (undo.get_json()["changed"], undo.get_json()["conflicts"]) == (2, 1)
    listed = client.get("/api/interactions", headers=headers).get_json()["items"]
    assert sorted(i["title"] for i in listed) == ["Gone 0", "Gone 1", "Gone 2", "Stays"]
    assert {i["version"] for i in listed} == {1}
    assert client.post(f"/api/bulk/{report['id']}/undo", headers=headers).status_code == 409
    assert [e.changes["undo_of"] for e in events_of("bulk_undo")] == [report["id"]]
    assert len(events_of("bulk_delete")) == 1


def test_only_the_deleter_or_an_admin_may_undo(client, world):
    colleague = make_user("colleague", {world.hq: "editor"})
    record = make_interaction(world.hq)
    report = client.post("/api/bulk", json={"action": "delete", "ids": versions_of(record)},
                         headers=headers_for(world.editor, world.hq)).get_json()
    offered = {user.username: client.get(f"/api/bulk/{report['id']}", headers=headers_for(user, world.hq)).get_json()
               ["can_undo"] for user in (world.editor, colleague, world.admin)}
    assert offered == {world.editor.username: True, colleague.username: False, world.admin.username: True}
    assert client.post(f"/api/bulk/{report['id']}/undo", headers=headers_for(colleague, world.hq)).status_code == 403
    assert client.post(f"/api/bulk/{report['id']}/undo", headers=headers_for(world.admin, world.hq)).status_code == 200


def test_a_large_action_runs_in_the_background_with_progress(client, world):
    count = SYNC_LIMIT + 30
    db.session.execute(sa.insert(Interaction), [
        {"site_id": world.hq.id, "title": f"Bulk {n}", "type": "Meeting", "lead": "Amelia Hart",
         "start_datetime": "2026-03-02T09:00:00+00:00", "end_datetime": "2026-03-02T10:00:00+00:00",
         "timezone": "UTC", "created_at": "2026-03-02T09:00:00+00:00", "updated_at": "2026-03-02T09:00:00+00:00"}
        for n in range(count)])
    db.session.commit()
    headers = headers_for(world.editor, world.hq)
    generation = db.session.get(Site, world.hq.id).data_version
    selection = select_all(client, headers, {"type": ["Meeting"]})
    answer = client.post("/api/bulk", json={"action": "change", "changes": {"type": "Webinar"},
                                            "query": {"type": ["Meeting"]}, "as_of": selection["as_of"]},
                         headers=headers)
    assert answer.status_code == 202 and answer.get_json()["total"] == count
    assert background.wait_idle(60)
    report = client.get(f"/api/bulk/{answer.get_json()['id']}", headers=headers).get_json()
    assert (report["status"], report["processed"], report["changed"]) == ("done", count, count)
    db.session.expire_all()
    assert db.session.get(Site, world.hq.id).data_version > generation
    assert db.session.execute(sa.select(sa.func.count()).where(Interaction.type == "Webinar")).scalar() == count
    assert len(events_of("bulk_change")) == 1


def test_viewers_and_strangers_are_refused_and_jobs_stay_in_their_site(client, world):
    record = make_interaction(world.hq)
    foreign = make_interaction(world.field, title="Field record")
    body = {"action": "change", "changes": {"type": "Call"}, "ids": versions_of(record)}
    for user in (world.viewer, world.outsider):
        assert client.post("/api/bulk", json=body, headers=headers_for(user, world.hq)).status_code == 403
        assert client.post("/api/bulk/selection", json={"query": {}}, headers=headers_for(user, world.hq)).status_code == 403
    report = client.post("/api/bulk", json={**body, "ids": versions_of(record, foreign)},
                         headers=headers_for(world.editor, world.hq)).get_json()
    assert (report["changed"], report["conflicts"]) == (1, 1)
    assert report["left_alone"] == [{"id": foreign.id, "title": None}]  # never another site's title
    assert row_of(foreign.id).type == "Visit"
    assert client.get(f"/api/bulk/{report['id']}", headers=headers_for(world.viewer, world.hq)).status_code == 403
    assert client.get(f"/api/bulk/{report['id']}", headers=headers_for(world.field_editor, world.field)).status_code == 404


def test_bad_requests_change_nothing(client, world):
    record = make_interaction(world.hq)
    headers = headers_for(world.editor, world.hq)
    selection = select_all(client, headers, {})
    bad = [
        {"action": "change", "changes": {}, "ids": versions_of(record)},
        {"action": "change", "changes": {"type": "Party"}, "ids": versions_of(record)},
        {"action": "change", "changes": {"lead": "x\u0000y"}, "ids": versions_of(record)},
        {"action": "change", "changes": {"title": "Renamed"}, "ids": versions_of(record)},
        {"action": "change", "changes": {"lead": " "}, "ids": versions_of(record)},
        {"action": "delete", "changes": {"type": "Call"}, "ids": versions_of(record)},
        {"action": "change", "changes": {"type": "Call"}},
        {"action": "change", "changes": {"type": "Call"}, "ids": versions_of(record), "query": {}},
        {"action": "change", "changes": {"type": "Call"}, "query": {}},
        {"action": "change", "changes": {"type": "Call"}, "query": {"nope": "1"}, "as_of": selection["as_of"]},
        {"action": "change", "changes": {"type": "Call"}, "query": {}, "as_of": "2999-01-01T00:00:00Z"},
        {"action": "change", "changes": {"type": "Call"}, "query": {}, "as_of": "2001-01-01T00:00:00Z"},
        {"action": "purge", "ids": versions_of(record)},
        {"action": "change", "changes": {"type": "Call"}, "ids": [{"id": record.id}]},
        {"action": "change", "changes": {"type": "Call"}, "ids": [{"id": 1, "version": 1}] * (MAX_SELECTED_ROWS + 1)},
    ]
    for body in bad:
        answer = client.post("/api/bulk", json=body, headers=headers)
        assert answer.status_code == 422, (body if len(str(body)) < 500 else body["action"], answer.get_json())
        assert set(answer.get_json()["error"]) == {"code", "message", "details"}
    assert row_of(record.id).version == 1
    assert db.session.execute(sa.select(sa.func.count()).select_from(BulkJob)).scalar() == 0


def test_more_matches_than_one_action_may_reach_are_refused_before_anything_changes(client, world):
    """MAX_RECORDS + 1 rows (one statement, their derived columns computed once: they are alike)."""
    from ims.bulk.schemas import MAX_RECORDS
    from ims.interactions.search_keys import derived_columns
    from tests.builders import BASE_TIME
    from ims.interactions.fields import FIELDS

    values = {**{f.name: f.example if f.required else f.stored_default for f in FIELDS},
              "title": "Crowd", "type": "Meeting", "start_datetime": BASE_TIME, "end_datetime": BASE_TIME}
    row = {**values, **derived_columns(values), "site_id": world.hq.id, "created_at": BASE_TIME, "updated_at": BASE_TIME}
    table = Interaction.__table__
    columns = list(row)
    db.session.execute(sa.text("SET LOCAL statement_timeout = 0"))  # the set-up's one long statement
    db.session.execute(sa.insert(table).from_select(
        columns, sa.select(*(sa.literal(row[name], type_=table.c[name].type) for name in columns))
        .select_from(sa.func.generate_series(1, MAX_RECORDS + 1))))
    db.session.commit()
    headers = headers_for(world.editor, world.hq)
    selection = select_all(client, headers, {"type": ["Meeting"]})
    assert (selection["total"], selection["over_limit"]) == (MAX_RECORDS + 1, True)
    answer = client.post("/api/bulk", json={"action": "change", "changes": {"type": "Call"}, "query": {"type": ["Meeting"]},
                                            "as_of": selection["as_of"]}, headers=headers)
    assert answer.status_code == 422, answer.get_json()
    assert db.session.execute(sa.select(sa.func.count()).select_from(BulkJob)).scalar() == 0
    assert db.session.execute(sa.select(sa.func.count()).where(Interaction.type == "Call")).scalar() == 0
