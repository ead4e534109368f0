"""The OpenAPI document covers every route; the value lists the form needs."""
from tests.builders import headers_for


def test_every_api_route_is_documented(client, app):
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    documented = {(path, method.upper()) for path, ops in spec["paths"].items() for method in ops
                  if method in {"get", "post", "put", "delete", "patch"}}
    served = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or rule.endpoint in ("api-docs.openapi_json", "static"):
            continue
        path = rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            served.add((path, method))
    assert served and served <= documented, served - documented


def test_documented_errors_use_the_envelope(client):
    spec = client.get("/api/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    assert "error" in schemas["ErrorEnvelope"]["properties"]
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_interaction_types_and_timezones(client, world):
    headers = headers_for(world.viewer, world.hq)
    types = client.get("/api/meta/interaction-types", headers=headers).get_json()["items"]
    assert types == ["Meeting", "Call", "Email", "Visit", "Conference", "Training", "Webinar", "Other"]
    zones = client.get("/api/meta/timezones", headers=headers).get_json()["items"]
    assert {"Europe/Berlin", "America/New_York", "UTC", "Asia/Kolkata"} <= set(zones) and zones == sorted(zones)
    assert client.get("/api/meta/timezones").status_code == 401


def test_sites_lists_memberships_with_roles(client, world):
    body = client.get("/api/sites", headers=headers_for(world.admin)).get_json()
    assert {(s["name"], s["role"]) for s in body["items"]} == {("Headquarters", "admin"), ("Field Office", "admin")}
    assert client.get("/api/sites", headers=headers_for(world.outsider)).get_json() == {"items": []}


def test_bad_site_header_is_400_and_foreign_site_403(client, world):
    headers = headers_for(world.editor)
    assert client.get("/api/interactions", headers={**headers, "X-Site-ID": "abc"}).status_code == 400
    assert client.get("/api/interactions", headers={**headers, "X-Site-ID": str(world.field.id)}).status_code == 403
