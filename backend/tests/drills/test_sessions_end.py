"""Stolen tokens after the owner reacts: a password reset, a new password set by an administrator, a
deactivation and "sign out everywhere" must end every session issued before them, at once."""
from __future__ import annotations

import pytest

from ims.auth.models import User
from ims.extensions import db
from tests.builders import PASSWORD, bearer, login, mailed_reset_token, make_user

NEW_PASSWORD = "a-brand-new-password-42"


def sign_in(client, password=PASSWORD, address="10.20.0.1"):
    answer = client.post("/api/auth/login", json={"username": "owner", "password": password},
                         environ_base={"REMOTE_ADDR": address})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_json()["access_token"]


def still_works(client, tokens) -> list[int]:
    return [client.get("/api/auth/me", headers=bearer(t)).status_code for t in tokens]


@pytest.fixture
def owner(world):
    return make_user("owner", {world.hq: "editor"})


def test_a_password_reset_ends_every_earlier_session(client, owner, sendgrid, figures):
    stolen = [sign_in(client, address=f"10.20.0.{n}") for n in range(3)]  # three devices, one an attacker's
    assert still_works(client, stolen) == [200] * 3
    assert client.post("/api/auth/password-reset", json={"email": "owner@example.com"}).status_code == 202
    confirm = client.post("/api/auth/password-reset/confirm",
                          json={"token": mailed_reset_token(sendgrid), "password": NEW_PASSWORD})
    assert confirm.status_code == 204
    assert still_works(client, stolen) == [401] * 3
    assert still_works(client, [sign_in(client, NEW_PASSWORD)]) == [200]  # a fresh session is unaffected
    figures.update(tokens_before_reset=3, refused_after=3, fresh_session=200)


def test_a_password_set_by_an_administrator_ends_every_earlier_session(app, client, owner):
    stolen = sign_in(client)
    result = app.test_cli_runner().invoke(args=[
        "create-user", "owner", "--email", "owner@example.com", "--password", NEW_PASSWORD,
        "--site", "Headquarters", "--role", "editor"])
    assert result.exit_code == 0, result.output
    assert still_works(client, [stolen]) == [401]
    assert still_works(client, [sign_in(client, NEW_PASSWORD)]) == [200]


def test_deactivation_ends_sessions_for_good(client, owner):
    stolen = sign_in(client)
    user = db.session.get(User, owner.id)
    user.is_active = False
    db.session.commit()
    user.is_active = True  # reactivated later: the old token must not come back to life
    db.session.commit()
    assert still_works(client, [stolen]) == [401]


def test_sign_out_everywhere_ends_all_sessions_of_the_user_only(client, owner, world):
    here, elsewhere = sign_in(client), sign_in(client, address="10.20.0.9")
    bystander = login(client, "viewer").get_json()
    answer = client.post("/api/auth/logout-all", headers=bearer(here))
    assert answer.status_code == 204
    assert still_works(client, [here, elsewhere]) == [401, 401]
    assert still_works(client, [bystander["access_token"]]) == [200]
    assert still_works(client, [sign_in(client)]) == [200]
