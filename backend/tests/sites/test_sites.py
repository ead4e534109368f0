"""The sites of the signed-in user, and the site a request works in (`X-Site-ID`)."""
from tests.builders import headers_for


def test_sites_lists_memberships_with_roles(client, world):
    body = client.get("/api/sites", headers=headers_for(world.admin)).get_json()
    assert {(s["name"], s["role"]) for s in body["items"]} == {("Headquarters", "admin"), ("Field Office", "admin")}
    assert client.get("/api/sites", headers=headers_for(world.outsider)).get_json() == {"items": []}


def test_bad_site_header_is_400_and_foreign_site_403(client, world):
    headers = headers_for(world.editor)
    assert client.get("/api/interactions", headers={**headers, "X-Site-ID": "abc"}).status_code == 400
    assert client.get("/api/interactions", headers={**headers, "X-Site-ID": str(world.field.id)}).status_code == 403
