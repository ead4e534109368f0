"""Local sign-in: tokens, lockout, rate limit, logout and the audit trail."""
import time
from datetime import datetime, timezone

import pytest
from jose import jwt

from ims.audit import AuditEvent
from ims.auth.lockout import LoginThrottle
from ims.auth.service import check_password_counted
from ims.extensions import db
from ims.unit_of_work import transaction
from tests.builders import bearer, login, make_user


def actions_of(user_id=None):
    query = db.select(AuditEvent.action).order_by(AuditEvent.id)
    if user_id is not None:
        query = query.where(AuditEvent.user_id == user_id)
    return db.session.execute(query).scalars().all()


def test_login_returns_a_24h_bearer_token_with_jti_and_the_user(client, world):
    response = login(client, "Editor")  # usernames are case-insensitive
    assert response.status_code == 200
    body = response.get_json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 24 * 3600
    claims = jwt.get_unverified_claims(body["access_token"])
    assert claims["exp"] - int(claims["iat"]) == 24 * 3600 and len(claims["jti"]) == 32
    assert body["user"]["username"] == "editor"
    assert body["user"]["sites"] == [{"id": world.hq.id, "name": "Headquarters", "role": "editor",
                                      "default_timezone": None}]
    assert actions_of(world.editor.id) == ["login"]


def test_me_describes_the_user_and_their_sites(client, world):
    token = login(client, "admin").get_json()["access_token"]
    me = client.get("/api/auth/me", headers=bearer(token)).get_json()
    assert me["default_site_id"] == world.hq.id
    assert {s["name"]: s["role"] for s in me["sites"]} == {"Headquarters": "admin", "Field Office": "admin"}


def test_wrong_password_and_unknown_user_get_the_same_401(client, world):
    wrong = login(client, "editor", "not-the-password")
    unknown = login(client, "nobody-here", "not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json() == unknown.get_json()
    assert wrong.get_json()["error"]["code"] == "invalid_credentials"


def test_five_failures_lock_the_account_for_15_minutes(client, world):
    statuses = [login(client, "editor", "wrong-password").status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 401, 423]
    locked = login(client, "editor")  # even the right password is refused while locked
    assert locked.status_code == 423
    assert locked.get_json()["error"]["code"] == "account_locked"
    retry_after = int(locked.headers["Retry-After"])
    assert 14 * 60 < retry_after <= 15 * 60
    assert locked.get_json()["error"]["details"]["retry_after"] == retry_after
    assert actions_of(world.editor.id) == ["login_failed"] * 5 + ["locked"]


def throttles():
    return {t.subject.split(":")[0]: t for t in db.session.execute(db.select(LoginThrottle)).scalars()}


def test_lock_expires_and_success_resets_the_counter(client, world):
    for _ in range(5):
        login(client, "editor", "wrong-password")
    db.session.execute(db.update(LoginThrottle).values(locked_until=datetime(2000, 1, 1, tzinfo=timezone.utc)))
    db.session.commit()
    assert login(client, "editor").status_code == 200
    assert login(client, "editor", "wrong-password").status_code == 401
    db.session.expire_all()
    # this address has signed in now: its failures spend the known addresses' budget, not the new ones'
    assert {scope: t.failed_count for scope, t in throttles().items()} == {"address": 1, "account": 0, "known": 1}


def test_the_counts_keep_no_username(client, world):
    login(client, "editor", "wrong-password")
    login(client, "ghost", "wrong-password")
    stored = db.session.execute(db.select(LoginThrottle.subject, LoginThrottle.account)).all()
    assert len(stored) == 4 and not any("editor" in str(row) or "ghost" in str(row) for row in stored)


def test_an_address_that_signed_in_before_is_not_locked_out_by_someone_elses_guesses(client, world):
    assert login(client, "editor", environ_base={"REMOTE_ADDR": "10.8.8.8"}).status_code == 200
    statuses = [login(client, "editor", "wrong-password", environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code
                for _ in range(6)]
    assert statuses == [401] * 4 + [423] * 2
    assert login(client, "editor", environ_base={"REMOTE_ADDR": "10.8.8.8"}).status_code == 200
    assert login(client, "editor", environ_base={"REMOTE_ADDR": "10.7.7.7"}).status_code == 423  # a new address


def test_many_addresses_together_lock_the_account_for_every_new_address(client, world):
    statuses = [login(client, "editor", "wrong-password", environ_base={"REMOTE_ADDR": f"10.7.0.{n}"}).status_code
                for n in range(5)]
    assert statuses == [401] * 4 + [423]
    assert login(client, "editor", environ_base={"REMOTE_ADDR": "10.8.8.8"}).status_code == 423


def test_known_addresses_share_a_budget_of_their_own(client, world):
    home, office, new = ({"REMOTE_ADDR": address} for address in ("10.5.0.1", "10.5.0.2", "10.5.0.3"))
    assert login(client, "editor", environ_base=home).status_code == 200
    assert login(client, "editor", environ_base=office).status_code == 200
    statuses = [login(client, "editor", "wrong-password", environ_base=[home, office][n % 2]).status_code
                for n in range(5)]
    assert statuses == [401] * 4 + [423]
    assert login(client, "editor", environ_base=office).status_code == 423
    assert login(client, "editor", environ_base=new).status_code == 200  # strangers' budget is untouched


def test_a_counted_password_check_refuses_to_join_a_unit_of_work(world):
    # its count must be committed before the password is hashed, whatever the caller then does
    with pytest.raises(RuntimeError, match="outside a unit of work"):
        transaction(check_password_counted)(world.editor, "any-password")


def test_unknown_usernames_lock_like_real_ones(client, world):
    statuses = [login(client, "ghost", "wrong-password").status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 401, 423]


def test_inactive_user_cannot_sign_in(client, world):
    make_user("gone", {world.hq: "editor"}, is_active=False)
    response = login(client, "gone")
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "invalid_credentials"


def test_logout_revokes_the_token(client, world):
    token = login(client, "editor").get_json()["access_token"]
    headers = bearer(token)
    assert client.get("/api/auth/me", headers=headers).status_code == 200
    assert client.post("/api/auth/logout", headers=headers).status_code == 204
    after = client.get("/api/auth/me", headers=headers)
    assert after.status_code == 401 and after.get_json()["error"]["code"] == "unauthorized"
    assert "logout" in actions_of(world.editor.id)


@pytest.mark.parametrize("mangle", ["signature", "payload", "garbage", "empty"])
def test_tampered_tokens_are_rejected(client, world, mangle):
    token = login(client, "editor").get_json()["access_token"]
    head, payload, signature = token.split(".")
    bad = {
        "signature": f"{head}.{payload}.{signature[:-4]}AAAA",
        "payload": f"{head}.{payload[:-2]}xy.{signature}",
        "garbage": "not-a-token",
        "empty": "",
    }[mangle]
    response = client.get("/api/auth/me", headers=bearer(bad))
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def _claims(user_id, **overrides):
    now = int(time.time())
    claims = {"sub": str(user_id), "iat": now, "nbf": now, "exp": now + 600, "jti": "j" * 32,
              "iss": "ims", "aud": "ims-api"}
    claims.update(overrides)
    return claims


def test_expired_and_foreign_tokens_are_rejected(client, app, world):
    secret = app.config["SECRET_KEY"]
    cases = {
        "expired": jwt.encode(_claims(world.editor.id, exp=int(time.time()) - 120, iat=int(time.time()) - 700),
                              secret, algorithm="HS256"),
        "other key": jwt.encode(_claims(world.editor.id), "another-secret-" + "y" * 40, algorithm="HS256"),
        "wrong audience": jwt.encode(_claims(world.editor.id, aud="someone-else"), secret, algorithm="HS256"),
        "wrong issuer": jwt.encode(_claims(world.editor.id, iss="evil"), secret, algorithm="HS256"),
        "not yet valid": jwt.encode(_claims(world.editor.id, nbf=int(time.time()) + 3600), secret,
                                    algorithm="HS256"),
    }
    for name, token in cases.items():
        response = client.get("/api/auth/me", headers=bearer(token))
        assert response.status_code == 401, name
        assert response.get_json()["error"]["code"] == "unauthorized", name


def test_alg_none_is_rejected(client, world):
    import base64
    import json

    def b64(data):
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    token = f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(_claims(world.editor.id))}."
    assert client.get("/api/auth/me", headers=bearer(token)).status_code == 401


def test_missing_fields_are_a_422_with_field_messages(client, app):
    response = client.post("/api/auth/login", json={"username": "x"})
    assert response.status_code == 422
    assert response.get_json()["error"]["details"] == {"password": ["Missing data for required field."]}


def test_login_is_rate_limited_per_address_with_retry_after(client, app, world):
    app.config["LOGIN_RATE_LIMIT"] = "3/minute"
    try:
        statuses = [login(client, "editor", environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code
                    for _ in range(4)]
        other_address = login(client, "editor", environ_base={"REMOTE_ADDR": "10.9.9.10"})
        limited = login(client, "editor", environ_base={"REMOTE_ADDR": "10.9.9.9"})
    finally:
        app.config["LOGIN_RATE_LIMIT"] = "1000/minute"
    assert statuses == [200, 200, 200, 429]
    assert other_address.status_code == 200
    assert limited.get_json()["error"]["code"] == "rate_limited"
    assert 0 < int(limited.headers["Retry-After"]) <= 60


def test_auth_config_in_local_mode(client):
    assert client.get("/api/auth/config").get_json() == {"mode": "local"}
