"""Auth0 mode: RS256 tokens checked against the tenant's JWKS (served locally), the password exchange.
The tenant stand-in and its fixtures are in tests/auth0_tenant.py."""
from __future__ import annotations

import hashlib
import hmac
import time

import pytest

from ims.auth.tokens import JwksCache
from tests.auth0_tenant import (AUDIENCE, DOMAIN, JWKS_PATH, SUB, TOKEN_PATH, USERINFO_PATH, assert_unauthorized, b64,
                                claims, me, unsigned_token)
from tests.builders import login, make_site, make_user
from tests.local_http import closed_port


def test_provisioned_user_is_recognised_by_sub(auth0, provisioned, key):
    response = me(auth0, key.sign())
    assert response.status_code == 200
    body = response.get_json()
    assert body["username"] == "auth0-user" and body["id"] == provisioned.id
    assert [s["role"] for s in body["sites"]] == ["editor"]


def test_unknown_sub_is_forbidden_in_the_envelope(auth0, provisioned, key):
    response = me(auth0, key.sign(sub="auth0|someone-else"))
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"
    assert "not set up" in response.get_json()["error"]["message"]


def test_token_signed_by_another_key_with_the_known_kid_is_rejected(auth0, provisioned, other_key, key):
    assert_unauthorized(me(auth0, other_key.sign(kid=key.kid)))


@pytest.mark.parametrize("override", [
    {"aud": "https://another-api"},
    {"iss": "https://evil.example/"},
    {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200},
], ids=["wrong audience", "wrong issuer", "expired"])
def test_claims_are_checked(auth0, provisioned, key, override):
    assert_unauthorized(me(auth0, key.sign(**override)))


def test_alg_none_is_rejected(auth0, provisioned, key):
    token = unsigned_token({"alg": "none", "typ": "JWT", "kid": key.kid}, claims()) + "."
    assert_unauthorized(me(auth0, token))


def test_hs256_signed_with_the_public_key_is_rejected(auth0, provisioned, key):
    # Algorithm confusion: a verifier that trusted the header would use the public PEM as an HMAC secret.
    signing_input = unsigned_token({"alg": "HS256", "typ": "JWT", "kid": key.kid}, claims())
    signature = hmac.new(key.public_pem, signing_input.encode(), hashlib.sha256).digest()
    assert_unauthorized(me(auth0, f"{signing_input}.{b64(signature)}"))


def test_jwks_is_fetched_once_and_cached(auth0, provisioned, key, tenant):
    for _ in range(3):
        assert me(auth0, key.sign()).status_code == 200
    assert len(tenant.requests_to(JWKS_PATH)) == 1


def test_unknown_kid_refreshes_the_jwks_after_key_rotation(auth0, provisioned, key, other_key, tenant, monkeypatch):
    monkeypatch.setattr(JwksCache, "MIN_REFRESH_SECONDS", 0)
    assert me(auth0, key.sign()).status_code == 200
    tenant.keys = [key, other_key]  # the tenant rotates in a new signing key
    assert me(auth0, other_key.sign()).status_code == 200
    assert me(auth0, other_key.sign()).status_code == 200
    assert len(tenant.requests_to(JWKS_PATH)) == 2


def test_unknown_kids_do_not_hammer_the_tenant(auth0, provisioned, key, tenant):
    assert me(auth0, key.sign()).status_code == 200
    for index in range(3):
        assert_unauthorized(me(auth0, key.sign(kid=f"made-up-{index}")))
    assert len(tenant.requests_to(JWKS_PATH)) == 1  # refreshes are rate-limited


def test_auth_config_shows_auth0_mode_and_public_settings(auth0):
    assert auth0.get("/api/auth/config").get_json() == {
        "mode": "auth0", "domain": DOMAIN, "client_id": "client-abc", "audience": AUDIENCE}


def test_login_exchanges_the_credentials_with_the_tenant(auth0, provisioned, key, tenant):
    issued = key.sign()
    tenant.token_answer = lambda request: (200, {"access_token": issued, "token_type": "Bearer",
                                                 "expires_in": 86400})
    response = login(auth0, "someone@example.com", "their-password")
    assert response.status_code == 200
    body = response.get_json()
    assert body["access_token"] == issued and body["expires_in"] == 86400
    assert body["user"]["username"] == "auth0-user"
    [exchange] = tenant.requests_to(TOKEN_PATH)
    assert exchange.method == "POST"
    sent = exchange.json()
    assert sent["grant_type"] == "password" and sent["audience"] == AUDIENCE
    assert sent["client_id"] == "client-abc" and sent["client_secret"] == "client-secret"
    assert sent["username"] == "someone@example.com" and sent["password"] == "their-password"
    assert me(auth0, body["access_token"]).status_code == 200


def test_login_refused_by_the_tenant_is_invalid_credentials(auth0, provisioned, tenant):
    tenant.token_answer = lambda request: (403, {"error": "invalid_grant"})
    response = login(auth0, "someone@example.com", "their-password")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "invalid_credentials"


def test_login_with_the_tenant_unreachable_is_503(auth0_app, auth0, provisioned, monkeypatch):
    monkeypatch.setitem(auth0_app.config, "AUTH0_TOKEN_URL", f"http://127.0.0.1:{closed_port()}{TOKEN_PATH}")
    response = login(auth0, "someone@example.com", "their-password")
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "service_unavailable"


def invite(email: str, site) -> None:
    """An admin of `site` invites `email` as editor (through the local-mode API of the same database)."""
    from ims.sites.invitations import invite as send_invitation
    from ims.auth.principal import load_principal

    admin = make_user("site-admin", {site: "admin"})
    send_invitation(site.id, load_principal(user_id=admin.id), email, "editor")


def profile(email: str, verified: bool = True):
    return lambda request: (200, {"sub": SUB, "email": email, "email_verified": verified})


def test_invited_auth0_account_is_bound_on_first_sign_in_by_verified_email(auth0, key, tenant):
    hq = make_site("Headquarters")
    invite("Dana@Example.org", hq)
    tenant.userinfo_answer = profile("dana@example.org")
    token = key.sign()
    response = me(auth0, token)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert [(s["name"], s["role"]) for s in body["sites"]] == [("Headquarters", "editor")]
    assert body["email"] == "dana@example.org"
    [call] = tenant.requests_to(USERINFO_PATH)
    assert call.headers["Authorization"] == f"Bearer {token}"
    assert me(auth0, key.sign()).status_code == 200  # bound: no second profile lookup needed
    assert len(tenant.requests_to(USERINFO_PATH)) == 1


@pytest.mark.parametrize("email, verified", [("someone-else@example.org", True), ("dana@example.org", False)])
def test_wrong_or_unverified_email_binds_nothing(auth0, key, tenant, email, verified):
    invite("dana@example.org", make_site("Headquarters"))
    tenant.userinfo_answer = profile(email, verified)
    response = me(auth0, key.sign())
    assert response.status_code == 403 and "not set up" in response.get_json()["error"]["message"]


def test_expired_invitation_binds_nothing_and_provider_outage_is_not_an_error(auth0, key, tenant):
    from ims.sites.models import Invitation
    from ims.extensions import db
    from ims.timeutil import utcnow

    invite("dana@example.org", make_site("Headquarters"))
    tenant.userinfo_answer = lambda request: (503, {})
    assert me(auth0, key.sign()).status_code == 403
    db.session.execute(db.update(Invitation).values(expires_at=utcnow()))
    db.session.commit()
    tenant.userinfo_answer = profile("dana@example.org")
    assert me(auth0, key.sign()).status_code == 403


def test_local_accept_is_refused_in_auth0_mode(auth0):
    response = auth0.post("/api/invitations/accept", json={"token": "t", "username": "dana", "display_name": "D",
                                                           "password": "a-long-password"})
    assert response.status_code == 409


def test_an_invitation_to_an_existing_accounts_address_binds_no_second_account(auth0, key, tenant, provisioned):
    invite("auth0-user@example.com", make_site("Field Office"))
    tenant.userinfo_answer = lambda request: (200, {"sub": "auth0|other", "email": "auth0-user@example.com",
                                                    "email_verified": True})
    assert me(auth0, key.sign(sub="auth0|other")).status_code == 403  # the existing account accepts it, signed in
    assert me(auth0, key.sign()).status_code == 200
