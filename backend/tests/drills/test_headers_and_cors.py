"""Security headers on the API and the SPA's HTML, HSTS when enabled, and CORS only for configured
origins (the browser-side half of this drill is frontend/e2e/security.spec.ts)."""
from __future__ import annotations

import pytest

from ims import create_app
from tests.conftest import settings_for

ALLOWED = "https://app.example.com"


def csp_directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part}


@pytest.fixture
def spa_dist(tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html><div id=root></div><script src=/assets/app.js></script>")
    return tmp_path


@pytest.fixture
def hardened(database_url, spa_dist):
    return create_app(settings_for(database_url, HSTS_ENABLED=True, CORS_ORIGINS=[ALLOWED],
                                   SPA_DIST=str(spa_dist))).test_client()


@pytest.mark.parametrize("path", ["/", "/interactions/7", "/config.js", "/api/health", "/api/interactions"])
def test_every_response_carries_the_security_headers(hardened, path):
    headers = hardened.get(path).headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["Strict-Transport-Security"].startswith("max-age=") and "includeSubDomains" in \
        headers["Strict-Transport-Security"]
    csp = csp_directives(headers["Content-Security-Policy"])
    assert csp["frame-ancestors"] == ["'none'"]
    scripts = csp.get("script-src", csp.get("default-src"))
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts and "*" not in scripts


def test_spa_html_may_only_talk_to_itself_and_the_configured_api(hardened):
    csp = csp_directives(hardened.get("/").headers["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"] and csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'self'"]
    assert "*" not in csp["connect-src"]


@pytest.mark.parametrize("method", ["GET", "OPTIONS"])
def test_cors_answers_only_configured_origins(hardened, method):
    for origin, allowed in ((ALLOWED, True), ("https://evil.example.com", False), ("null", False),
                            (ALLOWED + ".evil.example", False), ("http://app.example.com", False)):
        response = hardened.open("/api/interactions", method=method, headers={
            "Origin": origin, "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "Authorization, X-Site-ID"})
        granted = response.headers.get("Access-Control-Allow-Origin")
        assert (granted == origin) is allowed, (origin, granted)
        assert granted != "*"
        assert response.headers.get("Access-Control-Allow-Credentials") != "true"


def test_without_configured_origins_no_cors_is_granted(client):
    response = client.get("/api/health", headers={"Origin": ALLOWED})
    assert "Access-Control-Allow-Origin" not in response.headers
