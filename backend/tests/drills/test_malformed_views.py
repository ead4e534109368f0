"""The corpus of hostile input against every field of a saved view (its name, each parameter's name and
value) and its path: a refused save or change leaves the views as they were; an accepted one reads
back exactly as sent, and never surfaces in another site."""
from __future__ import annotations

import json

from ims.extensions import db
from ims.saved_views.models import SavedView
from tests.builders import headers_for
from tests.drills.conftest import assert_envelope
from tests.drills.corpus import TEXT_CORPUS, WRONG_TYPES


def views_fingerprint() -> list:
    db.session.remove()
    rows = db.session.execute(db.select(SavedView.id, SavedView.site_id, SavedView.name, SavedView.shared,
                                        SavedView.params).order_by(SavedView.id)).all()
    return [tuple(row[:4]) + (json.dumps(row[4], sort_keys=True),) for row in rows]


def bodies_for(value, serial: int) -> list[dict]:
    """The value as the name, as a parameter's value, inside a list of values, and as a parameter's name."""
    name = f"View {serial}"
    shapes = [{"name": value, "params": {}}, {"name": name, "params": {"search": value}},
              {"name": name + "b", "params": {"type": ["Call", value]}}]
    if isinstance(value, str):
        shapes.append({"name": name + "c", "params": {value: "x"}})
    return shapes


def test_saving_and_changing_views_with_the_corpus(client, world, figures):
    headers, elsewhere = headers_for(world.editor, world.hq), headers_for(world.admin, world.field)
    target = client.post("/api/views", json={"name": "Target", "params": {"lead": "Amelia"}}, headers=headers).get_json()
    tried = rejected = accepted = 0
    before = views_fingerprint()
    for serial, value in enumerate(TEXT_CORPUS + WRONG_TYPES):
        for body in bodies_for(value, serial):
            for method, url in (("post", "/api/views"), ("patch", f"/api/views/{target['id']}")):
                tried += 1
                response = getattr(client, method)(url, json=body, headers=headers)
                after = views_fingerprint()
                if response.status_code >= 400:
                    rejected += 1
                    assert_envelope(response)
                    assert after == before, (method, body)
                    continue
                before = after
                accepted += 1
                view = response.get_json()
                stored = client.get(f"/api/views/{view['id']}", headers=headers).get_json()
                assert stored["name"] == body["name"].strip()
                assert stored["params"] == {k: v if isinstance(v, list) else [v] for k, v in body["params"].items()}
    other_site = client.get("/api/views", headers=elsewhere).get_json()
    assert other_site == {"items": []}
    figures.update(requests=tried, rejected_4xx_unchanged=rejected, accepted_round_tripped=accepted, server_errors=0)


def test_hostile_view_ids_and_bodies_that_break_parsers(client, world, figures):
    headers, field_id = headers_for(world.editor, world.hq), world.field.id
    paths = ["/api/views/0", "/api/views/-1", "/api/views/" + "9" * 30, "/api/views/1%00", "/api/views/..%2f1",
             "/api/views/1;DROP", "/api/views/%ff", "/api/views/1/default/../../2", "/api/views/default/default"]
    for path in paths:
        for method in ("get", "patch", "delete", "put"):
            response = getattr(client, method)(path, json={"name": "x"}, headers=headers)
            assert 400 <= response.status_code < 500, (method, path, response.status_code)
            assert_envelope(response)
    raw = [b"[" * 50_000 + b"]" * 50_000, b'{"name": "x", "params": ' + b'{"a": ' * 20_000 + b"1" + b"}" * 20_001,
           b'{"name": "\xff", "params": {}}', b'{"name": "x", "params": []}', b"null", b'"text"',
           b'{"name": "x", "params": {"search": ["a", ["b"]]}}', b'{"name": "x", "params": {}, "owner_id": 1}',
           b'{"name": "x", "params": {}, "site_id": ' + str(field_id).encode() + b"}"]
    for body in raw:
        response = client.post("/api/views", data=body, headers={**headers, "Content-Type": "application/json"})
        assert_envelope(response)
    assert views_fingerprint() == []
    figures.update(requests=len(paths) * 4 + len(raw), server_errors=0)
