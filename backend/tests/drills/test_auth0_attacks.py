"""Auth0 mode under attack: hostile `kid` shapes, a token minted for another API (no audience), a
signing key the tenant has withdrawn, and the password exchange naming the real client to Auth0's
brute-force protection. The tenant is a local stand-in serving a JWKS and /oauth/token."""
from __future__ import annotations

import time

import pytest
from jose import jwt

from tests.auth0_tenant import JWKS_PATH, TOKEN_PATH, assert_unauthorized, claims, me
from tests.drills.conftest import assert_envelope
from tests.servers import bounded_until

HOSTILE_KIDS = [["key-1"], {"kid": "key-1"}, 1, 1.5, True, None, "", "x" * 5000, "../../jwks.json", "key-1\x00"]


@pytest.mark.parametrize("kid", HOSTILE_KIDS, ids=lambda kid: type(kid).__name__ + str(kid)[:12])
def test_hostile_kid_shapes_are_401_in_the_envelope(auth0, provisioned, key, kid, figures):
    token = jwt.encode(claims(), key.private_pem, algorithm="RS256", headers={"kid": kid})
    response = me(auth0, token)
    assert_envelope(response, 401)
    figures.update(kid_type=type(kid).__name__, status=401)


def test_a_token_without_an_audience_is_refused(auth0, provisioned, key):
    without_aud = {k: v for k, v in claims().items() if k != "aud"}
    token = jwt.encode(without_aud, key.private_pem, algorithm="RS256", headers={"kid": key.kid})
    assert_unauthorized(me(auth0, token))


def test_a_withdrawn_signing_key_stops_working_when_the_jwks_cache_expires(auth0_app, auth0, provisioned, key,
                                                                           other_key, tenant, monkeypatch, figures):
    monkeypatch.setitem(auth0_app.config, "AUTH0_JWKS_CACHE_SECONDS", 1)
    token = key.sign()
    assert me(auth0, token).status_code == 200
    tenant.keys = [other_key]  # the tenant withdraws key-1 (leaked) and signs with key-2 only
    started = time.monotonic()
    refused = bounded_until(lambda: me(auth0, token).status_code == 401, attempts=40, pause=0.1)
    assert refused, "a withdrawn key was still trusted"
    assert me(auth0, other_key.sign()).status_code == 200
    figures.update(jwks_cache_s=1, refused_after_s=round(time.monotonic() - started, 1),
                   jwks_fetches=len(tenant.requests_to(JWKS_PATH)))


def test_the_password_exchange_names_the_client_address(auth0, provisioned, key, tenant):
    tenant.token_answer = lambda request: (200, {"access_token": key.sign(), "expires_in": 600})
    response = auth0.post("/api/auth/login", json={"username": "someone@example.com", "password": "their-password"},
                          environ_base={"REMOTE_ADDR": "198.51.100.77"})
    assert response.status_code == 200
    [exchange] = tenant.requests_to(TOKEN_PATH)
    headers = {name.lower(): value for name, value in exchange.headers.items()}
    assert headers.get("auth0-forwarded-for") == "198.51.100.77"


