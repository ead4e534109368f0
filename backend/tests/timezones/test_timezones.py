"""The time zones the form and the site settings offer."""
from tests.builders import headers_for


def test_timezones_are_sorted_and_need_a_signed_in_user(client, world):
    zones = client.get("/api/meta/timezones", headers=headers_for(world.viewer, world.hq)).get_json()["items"]
    assert {"Europe/Berlin", "America/New_York", "UTC", "Asia/Kolkata"} <= set(zones) and zones == sorted(zones)
    assert client.get("/api/meta/timezones").status_code == 401


def test_the_interaction_types_list_is_gone(client, world):
    # The SPA carries the types in its field list; the API validates them. No caller read this list.
    assert client.get("/api/meta/interaction-types", headers=headers_for(world.viewer, world.hq)).status_code == 404
    assert "/api/meta/interaction-types" not in client.get("/api/openapi.json").get_json()["paths"]
