"""SECRET_KEY rotation: the API restarted with a new key and the old one in SECRET_KEY_FALLBACKS keeps every
session and mailed reset link of the old key working until it expires, signs everything new with the new
key only, and refuses the old key's tokens once the fallbacks are emptied. Sign-in budgets keyed by the old
key: a known address stays known through the overlap window."""
from __future__ import annotations

import secrets
import time

import pytest
from itsdangerous import BadSignature, URLSafeTimedSerializer
from jose import JWSError, jws, jwt

from ims import create_app
from ims.auth.tokens import LOCAL_AUDIENCE, LOCAL_ISSUER
from tests.builders import API_KEY, PASSWORD, bearer, login, mailed_reset_token, request_reset
from tests.conftest import settings_for

NEW_KEY = secrets.token_hex(32)
OFFICE, STRANGERS = "198.51.100.7", ["203.0.113.31", "203.0.113.32", "203.0.113.33"]


@pytest.fixture
def restart(app, database_url, sendgrid):
    """`restart(SECRET_KEY=…, SECRET_KEY_FALLBACKS=[…])`: the API started again on the same database and mail
    stand-in with these keys, as a task started after `put-secret-value` gets them; its test client."""
    def start(**keys):
        restarted = create_app(settings_for(
            database_url, SENDGRID_API_KEY=API_KEY, SENDGRID_API_HOST=sendgrid.url,
            REDIS_KEY_PREFIX=f"{app.config['REDIS_KEY_PREFIX']}restart-{secrets.token_hex(3)}:", **keys))
        return restarted.test_client()
    return start


def signed_with(token: str, key: str) -> bool:
    try:
        jws.verify(token, key, algorithms=["HS256"])
    except JWSError:
        return False
    return True


def reset_link_signed_with(token: str, key: str) -> bool:
    try:
        URLSafeTimedSerializer(key, salt="password-reset").loads(token, max_age=3600)
    except BadSignature:
        return False
    return True


def me(client, token: str) -> int:
    return client.get("/api/auth/me", headers=bearer(token)).status_code


def test_old_tokens_and_reset_links_verify_during_the_overlap_and_new_ones_use_the_new_key(
        app, client, world, sendgrid, restart, figures):
    old_key = app.config["SECRET_KEY"]
    old_token = login(client, "editor").get_json()["access_token"]
    request_reset(client, "editor@example.com")
    old_link = mailed_reset_token(sendgrid)
    expired_old = jwt.encode({"sub": str(world.editor.id), "iat": 1, "nbf": 1, "exp": int(time.time()) - 3600,
                              "jti": "gone", "iss": LOCAL_ISSUER, "aud": LOCAL_AUDIENCE}, old_key, algorithm="HS256")

    overlap = restart(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[old_key])
    assert me(overlap, old_token) == 200  # signed in before the rotation: still signed in
    expired = overlap.get("/api/auth/me", headers=bearer(expired_old))
    assert expired.status_code == 401 and "expired" in expired.get_json()["error"]["message"]
    new_token = login(overlap, "editor").get_json()["access_token"]
    assert signed_with(new_token, NEW_KEY) and not signed_with(new_token, old_key)
    request_reset(overlap, "editor@example.com")
    new_link = mailed_reset_token(sendgrid, 2)
    assert reset_link_signed_with(new_link, NEW_KEY) and not reset_link_signed_with(new_link, old_key)

    after = restart(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[])  # the overlap window is over
    assert me(after, old_token) == 401 and me(after, new_token) == 200
    refused_link = after.post("/api/auth/password-reset/confirm", json={"token": old_link, "password": "a-new-passphrase-1"})
    assert refused_link.status_code == 400

    confirmed = overlap.post("/api/auth/password-reset/confirm", json={"token": old_link, "password": "a-new-passphrase-1"})
    assert confirmed.status_code == 204  # a link mailed before the rotation, opened during the overlap
    assert login(after, "editor", "a-new-passphrase-1").status_code == 200
    figures.update(old_token_in_overlap=200, old_token_after=401, old_link_in_overlap=204, old_link_after=400)


def test_a_known_address_stays_known_through_the_overlap(app, client, world, restart):
    office = {"environ_base": {"REMOTE_ADDR": OFFICE}}
    assert login(client, "admin", **office).status_code == 200  # remembered under the old key
    overlap = restart(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[app.config["SECRET_KEY"]])
    attack = [login(overlap, "admin", f"wrong-{n}", environ_base={"REMOTE_ADDR": STRANGERS[n % 3]}).status_code
              for n in range(app.config["LOCKOUT_ACCOUNT_THRESHOLD"] + 2)]
    assert attack[-1] == 423  # counted under the new key: new addresses are locked out
    assert login(overlap, "admin", PASSWORD, environ_base={"REMOTE_ADDR": STRANGERS[0]}).status_code == 423
    assert login(overlap, "admin", **office).status_code == 200  # the owner's office is still known
