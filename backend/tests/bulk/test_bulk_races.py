"""Two bulk actions on overlapping records, released together: each record is written by one of them,
the other reports it and leaves it alone; no update is lost and each record's version counts its events."""
from __future__ import annotations

import sqlalchemy as sa

from ims.audit import AuditEvent
from ims.extensions import db
from ims.interactions.models import Interaction
from tests.builders import headers_for, make_interaction, make_user
from tests.servers import ServedApp, requests_released_together

ROUNDS = 3


def _check_versions(ids: list[int]) -> dict[int, int]:
    """Each record's version is 1 + its update events; the number of events by record."""
    db.session.remove()
    events = dict(db.session.execute(
        sa.select(AuditEvent.entity_id, sa.func.count()).where(AuditEvent.action == "update",
                                                               AuditEvent.entity_id.in_(ids))
        .group_by(AuditEvent.entity_id)).all())
    for row in db.session.execute(sa.select(Interaction).where(Interaction.id.in_(ids))).scalars():
        assert row.version == 1 + events.get(row.id, 0), row.id
    return events


def test_overlapping_selections_released_together_write_each_record_once(app, world):
    other = make_user("other_editor", {world.hq: "editor"})
    with ServedApp(app) as server:
        for n in range(ROUNDS):
            records = [make_interaction(world.hq, title=f"Round {n} row {i}") for i in range(20)]
            first = [{"id": r.id, "version": 1} for r in records[:15]]
            second = [{"id": r.id, "version": 1} for r in records[5:]]
            answers = requests_released_together(server.url, [
                ("POST", "/api/bulk", headers_for(world.editor, world.hq),
                 {"action": "change", "changes": {"type": "Call"}, "ids": first}),
                ("POST", "/api/bulk", headers_for(other, world.hq),
                 {"action": "change", "changes": {"lead": "Other Lead"}, "ids": second})])
            assert [a.status_code for a in answers] == [200, 200], [a.text[:300] for a in answers]
            a, b = (answer.json() for answer in answers)
            assert a["changed"] + b["changed"] == 20 and a["conflicts"] + b["conflicts"] == 10
            events = _check_versions([r.id for r in records])
            assert all(events.get(r.id) == 1 for r in records)  # written once: by one of the two


def test_two_all_matching_actions_at_once_write_each_match_once(app, world):
    other = make_user("other_editor", {world.hq: "editor"})
    with ServedApp(app) as server:
        for n in range(ROUNDS):
            kind = ("Call", "Email", "Training")[n]
            records = [make_interaction(world.hq, type=kind, title=f"Round {n} row {i}") for i in range(12)]
            calls = []
            for user, lead in ((world.editor, "First"), (other, "Second")):
                headers = headers_for(user, world.hq)
                selection = requests_released_together(server.url, [
                    ("POST", "/api/bulk/selection", headers, {"query": {"type": [kind]}})])[0].json()
                calls.append(("POST", "/api/bulk", headers, {"action": "change", "changes": {"lead": lead},
                                                             "query": {"type": [kind]}, "as_of": selection["as_of"]}))
            answers = requests_released_together(server.url, calls)
            a, b = (answer.json() for answer in answers)
            assert a["changed"] + b["changed"] == 12 and a["conflicts"] + b["conflicts"] == 12, (a, b)
            events = _check_versions([r.id for r in records])
            assert all(events.get(r.id) == 1 for r in records)
