"""The corpus of hostile input against every part of a bulk action (the values it sets, the Finder criteria
of "all matching", the selected ids and versions, the moment of the selection): a refused action changes
no record and leaves no job; an accepted one stores exactly the value sent and never reaches another site."""
from __future__ import annotations

import sqlalchemy as sa

from ims.bulk.models import BulkJob
from ims.extensions import db
from ims.interactions.models import Interaction
from tests.builders import headers_for, make_interaction
from tests.drills.conftest import assert_envelope
from tests.drills.corpus import TEXT_CORPUS, WRONG_TYPES


def records() -> list:
    db.session.expire_all()
    return db.session.execute(sa.select(Interaction.id, Interaction.site_id, Interaction.version, Interaction.type,
                                        Interaction.lead, Interaction.location).order_by(Interaction.id)).all()


def jobs() -> int:
    return db.session.execute(sa.select(sa.func.count()).select_from(BulkJob)).scalar()


SELECTED = "the target at its current version"


def bodies_for(value, target: int, as_of: str) -> list[dict]:
    selected = SELECTED  # the target at its current version, filled in when sent
    return [
        {"action": "change", "changes": {"type": value}, "ids": selected},
        {"action": "change", "changes": {"lead": value}, "ids": selected},
        {"action": "change", "changes": {"location": value}, "ids": selected},
        {"action": value, "ids": selected},
        {"action": "delete", "ids": [{"id": value, "version": 1}]},
        {"action": "delete", "ids": [{"id": target, "version": value}]},
        {"action": "delete", "ids": value},
        {"action": "change", "changes": {"lead": "Q"}, "query": {"search": value, "lead": "nobody at all"},
         "as_of": as_of},
        {"action": "change", "changes": {"lead": "Q"}, "query": {"type": [value], "lead": "nobody at all"},
         "as_of": as_of},
        {"action": "change", "changes": {"lead": "Q"}, "query": {"start_from": value, "lead": "nobody at all"},
         "as_of": as_of},
        {"action": "change", "changes": {"lead": "Q"}, "query": {"lead": "nobody at all"}, "as_of": value},
        {"action": "change", "changes": {"lead": "Q"}, "query": value, "as_of": as_of},
    ]


def test_bulk_actions_with_the_corpus(client, world, figures):
    headers = headers_for(world.editor, world.hq)
    target = make_interaction(world.hq, world.editor, title="Target").id
    make_interaction(world.field, world.field_editor, title="Elsewhere")
    as_of = client.post("/api/bulk/selection", json={"query": {}}, headers=headers).get_json()["as_of"]
    tried = rejected = accepted = 0
    before, elsewhere = records(), [r for r in records() if r.site_id == world.field.id]
    for value in TEXT_CORPUS + WRONG_TYPES:
        for body in bodies_for(value, target, as_of):
            version = next(r.version for r in before if r.id == target)
            if body.get("ids") is SELECTED:
                body = {**body, "ids": [{"id": target, "version": version}]}
            for url, sent in (("/api/bulk", body), ("/api/bulk/selection", {"query": body.get("query")})):
                if url.endswith("selection") and "query" not in body:
                    continue
                tried += 1
                existing = jobs()
                response = client.post(url, json=sent, headers=headers)
                after = records()
                if response.status_code >= 400:
                    rejected += 1
                    assert response.status_code < 500, (sent, response.get_json())
                    assert_envelope(response)
                    assert after == before and jobs() == existing, sent
                    continue
                accepted += 1
                before = after
                changes = sent.get("changes", {})
                if url == "/api/bulk" and "ids" in sent and sent["action"] == "change":
                    row = next(r for r in after if r.id == target)
                    for name, sent_value in changes.items():
                        assert getattr(row, name) == sent_value.strip(), (name, sent_value)
    assert [r for r in records() if r.site_id == world.field.id] == elsewhere
    figures.update(requests=tried, rejected_4xx_unchanged=rejected, accepted_as_sent=accepted, server_errors=0)


def test_hostile_job_ids_answer_404_or_405_in_the_envelope(client, world):
    headers = headers_for(world.editor, world.hq)
    for path in ("/api/bulk/0", "/api/bulk/-1", "/api/bulk/" + "9" * 30, "/api/bulk/1%00", "/api/bulk/..%2f1",
                 "/api/bulk/%ff", "/api/bulk/1/undo/../../2"):
        for method in ("get", "post"):
            response = getattr(client, method)(path, headers=headers)
            assert response.status_code in (404, 405), (method, path, response.status_code)
            assert_envelope(response)
    for body in (b"", b"{", b"[]", b"null", b'{"action": "delete", "ids": [' + b"[" * 5000 + b"]"):
        response = client.post("/api/bulk", data=body, headers={**headers, "Content-Type": "application/json"})
        assert 400 <= response.status_code < 500
        assert_envelope(response)
    assert jobs() == 0
