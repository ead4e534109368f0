"""The OpenAPI document covers every route and documents the error envelope."""


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
