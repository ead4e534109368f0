"""The value lists the form needs: interaction types and time zones."""
from tests.builders import headers_for


def test_interaction_types_and_timezones(client, world):
    headers = headers_for(world.viewer, world.hq)
    types = client.get("/api/meta/interaction-types", headers=headers).get_json()["items"]
    assert types == ["Meeting", "Call", "Email", "Visit", "Conference", "Training", "Webinar", "Other"]
    zones = client.get("/api/meta/timezones", headers=headers).get_json()["items"]
    assert {"Europe/Berlin", "America/New_York", "UTC", "Asia/Kolkata"} <= set(zones) and zones == sorted(zones)
    assert client.get("/api/meta/timezones").status_code == 401
