"""Saved views through the API: personal and shared, who may change what, the default view, validation."""
from __future__ import annotations

import pytest

from ims.audit import AuditEvent
from ims.extensions import db
from ims.saved_views.models import DefaultView, SavedView
from tests.builders import headers_for, make_user

CALLS = {"type": ["Call"], "sort": "-start_datetime", "columns": "title,type,lead", "tz": "site"}


def save(client, user, site, name="Calls", shared=False, params=None, **extra):
    return client.post("/api/views", json={"name": name, "shared": shared, "params": params or CALLS, **extra},
                       headers=headers_for(user, site))


def names(client, user, site) -> list[str]:
    response = client.get("/api/views", headers=headers_for(user, site))
    assert response.status_code == 200
    return [view["name"] for view in response.get_json()["items"]]


def test_a_saved_view_keeps_the_finders_parameters_as_lists(client, world):
    response = save(client, world.editor, world.hq)
    assert response.status_code == 201
    view = response.get_json()
    assert view["params"] == {"type": ["Call"], "sort": ["-start_datetime"], "columns": ["title,type,lead"],
                              "tz": ["site"]}
    assert view["owner"] == {"id": world.editor.id, "display_name": "Editor"}
    assert response.headers["Location"].endswith(f"/api/views/{view['id']}")
    again = client.get(f"/api/views/{view['id']}", headers=headers_for(world.editor, world.hq)).get_json()
    assert again["params"] == view["params"] and again["can_change"] is True


def test_a_view_keeps_the_exact_filters_an_insights_link_opens_the_finder_with(client, world):
    response = save(client, world.editor, world.hq, params={"lead_is": "Ána López", "location_is": "Board room"})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["params"] == {"lead_is": ["Ána López"], "location_is": ["Board room"]}


def test_a_personal_view_is_its_owners_alone(client, world):
    view = save(client, world.editor, world.hq, "Mine").get_json()
    assert names(client, world.viewer, world.hq) == []
    for method in ("get", "patch", "delete"):
        response = getattr(client, method)(f"/api/views/{view['id']}", json={"name": "Taken"} if method == "patch"
                                           else None, headers=headers_for(world.admin, world.hq))
        assert response.status_code == 404, method
    assert client.put(f"/api/views/{view['id']}/default", headers=headers_for(world.viewer, world.hq)).status_code == 404


def test_a_shared_view_is_listed_to_every_member_and_changed_by_its_owner_or_an_admin(client, world):
    view = save(client, world.editor, world.hq, "Team calls", shared=True).get_json()
    assert names(client, world.viewer, world.hq) == ["Team calls"]
    listed = client.get("/api/views", headers=headers_for(world.viewer, world.hq)).get_json()["items"][0]
    assert listed["can_change"] is False
    other_editor = make_user("other", {world.hq: "editor"})
    url = f"/api/views/{view['id']}"
    assert client.patch(url, json={"name": "Mine now"}, headers=headers_for(other_editor, world.hq)).status_code == 403
    assert client.delete(url, headers=headers_for(world.viewer, world.hq)).status_code == 403
    renamed = client.patch(url, json={"name": "Calls of the team"}, headers=headers_for(world.admin, world.hq))
    assert renamed.status_code == 200 and renamed.get_json()["name"] == "Calls of the team"
    assert client.delete(url, headers=headers_for(world.admin, world.hq)).status_code == 204
    assert names(client, world.editor, world.hq) == []


def test_viewers_keep_personal_views_but_cannot_share(client, world):
    assert save(client, world.viewer, world.hq, "Mine").status_code == 201
    refused = save(client, world.viewer, world.hq, "Ours", shared=True)
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "forbidden"
    mine = client.get("/api/views", headers=headers_for(world.viewer, world.hq)).get_json()["items"][0]
    share = client.patch(f"/api/views/{mine['id']}", json={"shared": True}, headers=headers_for(world.viewer, world.hq))
    assert share.status_code == 403
    assert db.session.execute(db.select(SavedView.shared)).scalars().all() == [False]


def test_only_the_owner_stops_sharing_and_others_lose_it_as_their_default(client, world):
    view = save(client, world.editor, world.hq, "Team", shared=True).get_json()
    url = f"/api/views/{view['id']}"
    assert client.put(url + "/default", headers=headers_for(world.viewer, world.hq)).status_code == 200
    assert client.patch(url, json={"shared": False}, headers=headers_for(world.admin, world.hq)).status_code == 403
    assert client.patch(url, json={"shared": False}, headers=headers_for(world.editor, world.hq)).status_code == 200
    assert names(client, world.viewer, world.hq) == []
    assert db.session.execute(db.select(DefaultView)).scalars().all() == []


def test_names_are_unique_per_owner_whatever_the_case(client, world):
    assert save(client, world.editor, world.hq, "Calls").status_code == 201
    clash = save(client, world.editor, world.hq, "  CALLS ")
    assert clash.status_code == 409 and "name" in clash.get_json()["error"]["details"]
    assert save(client, world.viewer, world.hq, "Calls").status_code == 201  # another owner
    assert save(client, world.admin, world.field, "Calls").status_code == 201  # another site


def test_one_default_per_person_per_site_and_it_can_be_cleared(client, world):
    first = save(client, world.editor, world.hq, "First", default=True).get_json()
    assert first["is_default"] is True
    second = save(client, world.editor, world.hq, "Second").get_json()
    assert client.put(f"/api/views/{second['id']}/default", headers=headers_for(world.editor, world.hq)).status_code == 200
    listed = client.get("/api/views", headers=headers_for(world.editor, world.hq)).get_json()["items"]
    assert {v["name"]: v["is_default"] for v in listed} == {"First": False, "Second": True}
    assert client.delete("/api/views/default", headers=headers_for(world.editor, world.hq)).status_code == 204
    listed = client.get("/api/views", headers=headers_for(world.editor, world.hq)).get_json()["items"]
    assert not any(v["is_default"] for v in listed)


def test_saving_new_parameters_replaces_them(client, world):
    view = save(client, world.editor, world.hq).get_json()
    changed = client.patch(f"/api/views/{view['id']}", json={"params": {"search": "budget"}},
                           headers=headers_for(world.editor, world.hq))
    assert changed.status_code == 200 and changed.get_json()["params"] == {"search": ["budget"]}


@pytest.mark.parametrize("params, field", [
    ({"page": "2"}, "page"),
    ({"password_hash": "x"}, "password_hash"),
    ({"type": ["Call"] * 31}, "type"),
    ({"search": "x" * 501}, "search"),
    ({"search": "a\x00b"}, "search"),
    ({"type": [1]}, "type"),
    ({"type": {"$ne": ""}}, "type"),
])
def test_parameters_outside_the_finders_names_and_sizes_are_refused(client, world, params, field):
    response = save(client, world.editor, world.hq, params=params)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["details"]["params"]
    assert db.session.execute(db.select(SavedView)).first() is None


def test_oversized_parameters_and_names_are_refused(client, world):
    huge = {name: ["v" * 400] * 20 for name in ("search", "lead", "location", "lead_is", "location_is")}
    assert save(client, world.editor, world.hq, params=huge).status_code == 422
    assert save(client, world.editor, world.hq, name="n" * 101).status_code == 422
    assert save(client, world.editor, world.hq, name="   ").status_code == 422
    assert db.session.execute(db.select(SavedView)).first() is None


def test_shared_views_are_audited_personal_ones_are_not(client, world):
    save(client, world.editor, world.hq, "Mine")
    shared = save(client, world.editor, world.hq, "Ours", shared=True).get_json()
    client.patch(f"/api/views/{shared['id']}", json={"name": "Ours too"}, headers=headers_for(world.editor, world.hq))
    client.delete(f"/api/views/{shared['id']}", headers=headers_for(world.admin, world.hq))
    events = db.session.execute(db.select(AuditEvent.action, AuditEvent.user_id, AuditEvent.site_id)
                                .where(AuditEvent.entity_type == "saved_view").order_by(AuditEvent.id)).all()
    assert events == [("view_create", world.editor.id, world.hq.id), ("view_update", world.editor.id, world.hq.id),
                      ("view_delete", world.admin.id, world.hq.id)]
