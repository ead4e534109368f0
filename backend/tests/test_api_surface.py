"""The OpenAPI document covers every route and documents the error envelope for every error it lists;
the errors the API answers are that envelope (tests/error_envelopes.py, during every test)."""
from __future__ import annotations

from flask import Response

from tests.builders import headers_for
from tests.error_envelopes import PROBE_BODIES, Watch, problem_with

ENVELOPE = "#/components/schemas/ErrorEnvelope"
METHODS = {"get", "post", "put", "delete", "patch"}


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
    documented = _documented_errors(spec)
    assert len(documented) > 50 and {status for *_, status, _ in documented} >= {"400", "401", "403", "404", "409",
                                                                                 "422", "423", "429", "503"}
    others = {(method, path, status, schema) for method, path, status, schema in documented if schema != ENVELOPE}
    assert others == {("get", path, "503", schema) for path, schema in _probe_reports(spec)}


def _documented_errors(spec: dict) -> list[tuple[str, str, str, str | None]]:
    """(method, path, status, schema reference) of every error response of every operation."""
    found = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue  # `parameters` shared by the path's operations
            for status, response in operation["responses"].items():
                if status == "default" or status[0] in "45":
                    if "$ref" in response:
                        response = spec["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
                    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
                    found.append((method, path, status, schema.get("$ref")))
    return found


def _probe_reports(spec: dict) -> set[tuple[str, str]]:
    """The health probes answer with their own report whatever the status: its documented schema."""
    return {(path, spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"])
            for path in PROBE_BODIES}


def test_an_error_outside_the_envelope_fails_the_test_that_caused_it(app):
    watch = Watch()
    for body, mimetype in ((b'{"error": "no"}', "application/json"), (b'{"message": "no"}', "application/json"),
                           (b"<h1>Not Found</h1>", "text/html")):
        with app.test_request_context("/api/interactions/1", method="GET"):
            watch.response_finished(app, Response(body, status=404, mimetype=mimetype))
    assert len(watch.wrong) == 3 and all(line.startswith("GET /api/interactions/1: 404") for line in watch.wrong)
    envelope = b'{"error": {"code": "not_found", "message": "Not found.", "details": {}}}'
    assert problem_with("/api/interactions/1", "GET", 404, envelope, "application/json") is None
    assert problem_with("/api/interactions/1", "GET", 404, envelope[:-1] + b', "extra": 1}', "application/json")


def test_errors_the_api_answers_are_the_envelope(client, world):
    """A few errors provoked here; every other test's errors are checked the same way by conftest."""
    answers = [client.get("/api/interactions"), client.get("/api/interactions/0", headers=headers_for(world.admin)),
               client.post("/api/interactions", json={}, headers=headers_for(world.editor)),
               client.put("/api/interactions", json={}, headers=headers_for(world.editor)),
               client.get("/api/interactions?sort=nope", headers=headers_for(world.admin))]
    assert [answer.status_code for answer in answers] == [401, 404, 422, 405, 400]
    for answer in answers:
        assert problem_with("/api/x", "GET", answer.status_code, answer.get_data(), answer.mimetype) is None
