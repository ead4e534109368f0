"""The Auth0 tenant stood in for locally: RS256 signing keys, the claims Auth0 puts in a token, a
server that serves the JWKS, /oauth/token and /userinfo (answers set by the test), and the app in
Auth0 mode pointed at it. Shared by the Auth0 tests and the Auth0 drills."""
from __future__ import annotations

import base64
import json
import time
import uuid

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jose import jwk, jwt

from ims import create_app
from ims.cache import RedisCache
from tests.builders import bearer, make_site, make_user
from tests.conftest import REDIS_URL, RUN_PREFIX, settings_for
from tests.local_http import LocalServer

DOMAIN = "tenant.example"
AUDIENCE = "https://api.ims"
ISSUER = "https://tenant.example/"
JWKS_PATH = "/.well-known/jwks.json"
TOKEN_PATH = "/oauth/token"
USERINFO_PATH = "/userinfo"
SUB = "auth0|123"


class SigningKey:
    def __init__(self, kid: str):
        self.kid = kid
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.private_pem = private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        self.public_pem = private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)

    def jwk(self) -> dict:
        return {**jwk.construct(self.public_pem, "RS256").to_dict(), "kid": self.kid, "use": "sig"}

    def sign(self, kid: str | None = None, **overrides) -> str:
        return jwt.encode(claims(**overrides), self.private_pem, algorithm="RS256",
                          headers={"kid": kid or self.kid})


def claims(**overrides) -> dict:
    now = int(time.time())
    values = {"sub": SUB, "iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 600}
    values.update(overrides)
    return values


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned_token(header: dict, payload: dict) -> str:
    return f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"


@pytest.fixture(scope="module")
def key():
    return SigningKey("key-1")


@pytest.fixture(scope="module")
def other_key():
    return SigningKey("key-2")


@pytest.fixture(scope="module")
def tenant(key):
    """The fake Auth0 tenant: serves the JWKS (one key unless a test changes `tenant.keys`)."""
    with LocalServer() as server:
        server.keys = [key]

        def answer(request):
            if request.path == JWKS_PATH:
                return 200, {"keys": [k.jwk() for k in server.keys]}
            if request.path == USERINFO_PATH:
                return server.userinfo_answer(request)
            return server.token_answer(request)

        server.answer = answer
        yield server


@pytest.fixture(scope="module")
def auth0_app(app, database_url, tenant):
    # Depends on `app`: the schema is migrated and tables are emptied after each test.
    return create_app(settings_for(
        database_url, AUTH0_DOMAIN=DOMAIN, AUTH0_AUDIENCE=AUDIENCE, AUTH0_ISSUER=ISSUER,
        AUTH0_CLIENT_ID="client-abc", AUTH0_CLIENT_SECRET="client-secret",
        AUTH0_JWKS_URL=tenant.url + JWKS_PATH, AUTH0_TOKEN_URL=tenant.url + TOKEN_PATH,
        AUTH0_USERINFO_URL=tenant.url + USERINFO_PATH,
    ))


@pytest.fixture
def auth0(auth0_app, tenant, key):
    """A test client of the Auth0-mode app with a cold JWKS cache and a clean fake tenant."""
    auth0_app.extensions.pop("ims_jwks", None)
    # A fresh cache namespace, as every test's main app gets: principals cached by an earlier test
    # (whose rows were deleted behind the ORM's back) must not sign anyone in.
    auth0_app.extensions["ims_cache"] = RedisCache(REDIS_URL, f"{RUN_PREFIX}{uuid.uuid4().hex[:8]}:")
    tenant.requests.clear()
    tenant.keys = [key]
    tenant.token_answer = lambda request: (404, {})
    tenant.userinfo_answer = lambda request: (404, {})
    with auth0_app.app_context():
        yield auth0_app.test_client()


@pytest.fixture
def provisioned(auth0):
    hq = make_site("Headquarters")
    return make_user("auth0-user", {hq: "editor"}, password=None, auth0_sub=SUB)


def me(client, token):
    return client.get("/api/auth/me", headers=bearer(token))


def assert_unauthorized(response):
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
