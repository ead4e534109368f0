"""One error envelope for every failure, request ids, the JSON access log and security headers."""
from __future__ import annotations

import ast
import importlib
import inspect
import json
import logging
import pkgutil
import re
import textwrap
from pathlib import Path

import pytest

import ims
from ims import errors
from ims.logs import JsonFormatter
from tests.builders import headers_for


def assert_envelope(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code and body["error"]["message"]
    return body["error"]


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_unknown_api_route_is_404_for_every_method(client, method):
    assert_envelope(getattr(client, method)("/api/no-such-thing"), 404, "not_found")


def test_unknown_path_below_a_known_route_is_404(client):
    assert_envelope(client.post("/api/interactions/not-a-number", json={}), 404, "not_found")


def test_wrong_method_is_405_with_allow(client):
    response = client.delete("/api/health")
    assert_envelope(response, 405, "method_not_allowed")
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "HEAD"}
    assert "DELETE" not in response.headers["Allow"]


def test_malformed_json_is_400(client):
    response = client.post("/api/auth/login", data='{"username": "x", ', content_type="application/json")
    error = assert_envelope(response, 400, "bad_request")
    assert error["message"] == "The body is not valid JSON."


def test_wrong_content_type_is_415(client):
    response = client.post("/api/auth/login", data="username=x&password=y",
                           content_type="application/x-www-form-urlencoded")
    assert_envelope(response, 415, "unsupported_media_type")


def test_body_over_the_limit_is_413(app, client):
    too_big = {"username": "x", "password": "p" * app.config["MAX_CONTENT_LENGTH"]}
    assert_envelope(client.post("/api/auth/login", json=too_big), 413, "payload_too_large")


def test_valid_request_id_is_echoed(client):
    assert client.get("/api/health", headers={"X-Request-ID": "req-42.abc_X"}).headers["X-Request-ID"] == \
        "req-42.abc_X"


@pytest.mark.parametrize("incoming", [None, "has spaces", "x" * 65, "evil\u00e9"], ids=["absent", "spaces",
                                                                                   "too long", "non-ascii"])
def test_request_id_is_generated_when_absent_or_malformed(client, incoming):
    headers = {"X-Request-ID": incoming} if incoming else {}
    request_id = client.get("/api/health", headers=headers).headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)


@pytest.fixture
def access_log(caplog):
    """Access lines go through their own handler (independent of LOG_LEVEL), not the root's: listen there."""
    logger = logging.getLogger("ims.access")
    logger.addHandler(caplog.handler)
    yield caplog
    logger.removeHandler(caplog.handler)


def test_access_log_line_names_request_user_and_site(client, world, access_log):
    caplog = access_log
    with caplog.at_level(logging.INFO, logger="ims.access"):
        response = client.get("/api/interactions", headers={**headers_for(world.editor, world.hq),
                                                            "X-Request-ID": "trace-1"})
    assert response.status_code == 200
    [record] = [r for r in caplog.records if r.name == "ims.access"]
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "trace-1" and line["method"] == "GET" and line["path"] == "/api/interactions"
    assert line["status"] == 200 and line["duration_ms"] >= 0
    assert line["user_id"] == world.editor.id and line["site_id"] == world.hq.id
    assert line["level"] == "INFO" and line["logger"] == "ims.access"


def test_access_log_line_for_an_anonymous_error(client, access_log):
    caplog = access_log
    with caplog.at_level(logging.INFO, logger="ims.access"):
        client.get("/api/no-such-thing")
    [record] = [r for r in caplog.records if r.name == "ims.access"]
    assert record.fields["status"] == 404
    assert record.fields["user_id"] is None and record.fields["site_id"] is None
    assert re.fullmatch(r"[0-9a-f]{32}", record.fields["request_id"])


@pytest.mark.parametrize("path", ["/api/health", "/api/no-such-thing"])
def test_security_headers_on_api_responses(client, path):
    headers = client.get(path).headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert "Strict-Transport-Security" not in headers  # off unless enabled


def test_hsts_when_enabled(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "HSTS_ENABLED", True)
    assert client.get("/api/health").headers["Strict-Transport-Security"].startswith("max-age=")


def test_unexpected_exception_is_a_500_envelope_without_traceback(app, client, monkeypatch, caplog):
    def broken():
        raise RuntimeError("internal detail: password=hunter2")

    monkeypatch.setitem(app.view_functions, "health.health", broken)
    with caplog.at_level(logging.ERROR, logger="ims.errors"):
        response = client.get("/api/health")
    assert_envelope(response, 500, "internal_error")
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and "hunter2" not in text and "RuntimeError" not in text
    [logged] = [r for r in caplog.records if r.name == "ims.errors"]
    assert logged.exc_info and "GET /api/health" in logged.getMessage()


def test_an_error_class_takes_its_status_code_unless_it_names_a_precise_one():
    declared = [(cls.__name__, cls.status, cls.code) for cls in (
        errors.BadRequest, errors.Unauthorized, errors.InvalidCredentials, errors.Forbidden, errors.NotFound,
        errors.VersionConflict, errors.Conflict, errors.UnprocessableEntity, errors.AccountLocked,
        errors.ServiceUnavailable)]
    assert declared == [
        ("BadRequest", 400, "bad_request"), ("Unauthorized", 401, "unauthorized"),
        ("InvalidCredentials", 401, "invalid_credentials"), ("Forbidden", 403, "forbidden"),
        ("NotFound", 404, "not_found"), ("VersionConflict", 409, "version_conflict"), ("Conflict", 409, "conflict"),
        ("UnprocessableEntity", 422, "validation_error"), ("AccountLocked", 423, "account_locked"),
        ("ServiceUnavailable", 503, "service_unavailable")]
    assert errors.AccountLocked("Wait 5 minutes.").message == "Wait 5 minutes."
    assert errors.AccountLocked().message == errors.AppError.message


def _every_error_class() -> list[type]:
    for module in pkgutil.walk_packages(ims.__path__, "ims."):
        importlib.import_module(module.name)
    found, pending = [], [errors.AppError]
    while pending:
        found += (subclasses := pending.pop().__subclasses__())
        pending += subclasses
    return [cls for cls in found if cls.__module__.startswith("ims.")]


def test_every_error_is_declared_in_its_class_line():
    """One way to declare an error: `class Gone(AppError, status=410, message="…")`, never attributes in
    the body, so a reader finds status, code and message in the same place for every error."""
    classes = _every_error_class()
    assert {cls.__name__ for cls in classes} >= {"NotFound", "TooMuchWork", "UnsupportedMediaType", "UnusableJson",
                                                 "TooManyInvitations"}
    for cls in classes:
        body = ast.parse(textwrap.dedent(inspect.getsource(cls))).body[0].body
        assigned = {target.id for node in body if isinstance(node, (ast.Assign, ast.AnnAssign))
                    for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
                    for target in (target.elts if isinstance(target, ast.Tuple) else [target])
                    if isinstance(target, ast.Name)}
        assert not assigned & {"status", "code", "message"}, f"{cls.__module__}.{cls.__name__} sets {assigned}"
    from ims.web import UnsupportedMediaType, UnusableJson
    from ims.user_limits import TooMuchWork
    assert [(cls.status, cls.code) for cls in (UnsupportedMediaType, UnusableJson, TooMuchWork)] == [
        (415, "unsupported_media_type"), (400, "bad_request"), (429, "rate_limited")]


def test_get_or_404_passes_what_was_found_and_turns_nothing_into_the_404():
    assert errors.get_or_404({"id": 1}, "No such thing.") == {"id": 1}
    assert errors.get_or_404(0) == 0 and errors.get_or_404([]) == []  # found, even if falsy
    with pytest.raises(errors.NotFound) as raised:
        errors.get_or_404(None, "No such member in this site.")
    assert (raised.value.status, raised.value.message) == (404, "No such member in this site.")


def test_not_found_is_said_only_through_get_or_404():
    """One way to answer a lookup that found nothing: no module writes its own `if … is None: raise NotFound`."""
    package = Path(ims.__file__).parent
    written = [f"{path.relative_to(package)}:{node.lineno}" for path in sorted(package.rglob("*.py"))
               if path != package / "errors.py"
               for node in ast.walk(ast.parse(path.read_text()))
               if isinstance(node, ast.Name) and node.id == "NotFound"
               or isinstance(node, ast.Attribute) and node.attr == "NotFound"]
    assert not written, written
