"""Views belong to their site; a default and a name stay one under requests released together."""
from __future__ import annotations

from ims.extensions import db
from ims.saved_views.models import DefaultView, SavedView
from tests.builders import headers_for, make_user
from tests.servers import ServedApp, requests_released_together

ROUNDS = 5


def test_another_sites_views_are_never_listed_and_look_like_absence(client, world):
    """The admin of both sites shares a view in the field office; in headquarters it is neither listed nor
    opened, changed, deleted or made a default, and its id answers exactly as an id that exists nowhere."""
    field = client.post("/api/views", json={"name": "Field secret", "shared": True, "params": {"search": "plan"}},
                        headers=headers_for(world.admin, world.field)).get_json()
    hq = headers_for(world.admin, world.hq)
    assert "Field secret" not in client.get("/api/views", headers=hq).get_data(as_text=True)
    missing = field["id"] + 10_000
    for method, suffix, body in (("get", "", None), ("patch", "", {"name": "Mine"}), ("delete", "", None),
                                 ("put", "/default", None)):
        foreign = getattr(client, method)(f"/api/views/{field['id']}{suffix}", json=body, headers=hq)
        absent = getattr(client, method)(f"/api/views/{missing}{suffix}", json=body, headers=hq)
        assert foreign.status_code == absent.status_code == 404, (method, suffix)
        assert foreign.get_json() == absent.get_json()
    assert db.session.execute(db.select(SavedView.name)).scalars().all() == ["Field secret"]
    assert db.session.execute(db.select(DefaultView)).first() is None


def test_defaults_chosen_at_once_leave_one_per_person_and_site(app, world):
    user = make_user("chooser", {world.hq: "editor"})
    headers = {**headers_for(user, world.hq), "Content-Type": "application/json"}
    with ServedApp(app) as server:
        ids = []
        for name in ("One", "Two", "Three"):
            created = requests_released_together(server.url, [
                ("POST", "/api/views", headers, {"name": name, "params": {}, "default": True})])[0]
            ids.append(created.json()["id"])
        for _ in range(ROUNDS):
            answers = requests_released_together(server.url, [("PUT", f"/api/views/{i}/default", headers, None)
                                                              for i in ids])
            assert [a.status_code for a in answers] == [200, 200, 200], [a.text[:200] for a in answers]
            db.session.remove()
            rows = db.session.execute(db.select(DefaultView.view_id).where(DefaultView.user_id == user.id)).all()
            assert len(rows) == 1 and rows[0][0] in ids
            listed = requests_released_together(server.url, [("GET", "/api/views", headers, None)])[0].json()
            assert sum(v["is_default"] for v in listed["items"]) == 1


def test_the_same_name_saved_at_once_is_kept_once_and_the_other_told(app, world):
    headers = {**headers_for(world.editor, world.hq), "Content-Type": "application/json"}
    body = {"name": "Twice", "params": {"type": "Call"}}
    with ServedApp(app) as server:
        for n in range(ROUNDS):
            answers = requests_released_together(server.url, [("POST", "/api/views", headers,
                                                               {**body, "name": f"Twice {n}"})] * 2)
            assert sorted(a.status_code for a in answers) == [201, 409], [a.text[:200] for a in answers]
            assert all(set(a.json().get("error", {"code": 0, "message": 0, "details": 0})) ==
                       {"code", "message", "details"} for a in answers if a.status_code == 409)
    db.session.remove()
    assert db.session.execute(db.select(db.func.count()).select_from(SavedView)).scalar() == ROUNDS


def test_a_default_chosen_while_its_view_is_deleted_never_outlives_it(app, world):
    headers = {**headers_for(world.editor, world.hq), "Content-Type": "application/json"}
    with ServedApp(app) as server:
        for n in range(ROUNDS):
            view = requests_released_together(server.url, [("POST", "/api/views", headers,
                                                             {"name": f"Brief {n}", "params": {}})])[0].json()
            answers = requests_released_together(server.url, [("PUT", f"/api/views/{view['id']}/default", headers, None),
                                                              ("DELETE", f"/api/views/{view['id']}", headers, None)])
            assert answers[0].status_code in (200, 404) and answers[1].status_code == 204, \
                [a.text[:200] for a in answers]
    db.session.remove()
    assert db.session.execute(db.select(DefaultView)).first() is None
