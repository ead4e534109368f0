"""Site settings: name and default time zone, admins only, audited, shown to every member."""
from __future__ import annotations

from ims.audit import AuditEvent
from ims.extensions import db
from tests.builders import headers_for

URL = "/api/site/settings"


def test_admin_renames_the_site_and_sets_its_default_time_zone(client, world):
    h = headers_for(world.admin, world.hq)
    assert client.get(URL, headers=h).get_json() == {"id": world.hq.id, "name": "Headquarters",
                                                     "default_timezone": None}
    response = client.put(URL, json={"name": "Head Office", "default_timezone": "Europe/Berlin"}, headers=h)
    assert response.status_code == 200 and response.get_json()["name"] == "Head Office"
    sites = client.get("/api/sites", headers=headers_for(world.viewer)).get_json()["items"]
    assert sites == [{"id": world.hq.id, "name": "Head Office", "role": "viewer", "default_timezone": "Europe/Berlin"}]
    [event] = db.session.execute(db.select(AuditEvent).filter_by(action="site_update")).scalars().all()
    assert event.changes == {"name": {"from": "Headquarters", "to": "Head Office"},
                             "default_timezone": {"from": None, "to": "Europe/Berlin"}}


def test_bad_settings_change_nothing(client, world):
    h = headers_for(world.admin, world.hq)
    assert client.put(URL, json={"name": "Field Office", "default_timezone": None}, headers=h).status_code == 409
    assert client.put(URL, json={"name": "HQ", "default_timezone": "Mars/Olympus"}, headers=h).status_code == 422
    assert client.put(URL, json={"name": "", "default_timezone": None}, headers=h).status_code == 422
    assert client.put(URL, json={"name": "HQ"}, headers=h).status_code == 422
    assert client.get(URL, headers=h).get_json()["name"] == "Headquarters"


def test_only_the_sites_admins_see_or_change_settings(client, world):
    for user in (world.viewer, world.editor):
        assert client.get(URL, headers=headers_for(user, world.hq)).status_code == 403
    assert client.put(URL, json={"name": "Mine", "default_timezone": None},
                      headers=headers_for(world.field_editor, world.hq)).status_code == 403
