"""My account: profile, default site, password change with the current password, e-mail change confirmed
from the new address."""
from __future__ import annotations

import re

from ims.audit import AuditEvent
from ims.auth.models import User
from ims.extensions import db
from tests.builders import PASSWORD, headers_for, login, mails_to, text_of

URL = "/api/account"


def test_everyone_reads_and_changes_their_own_profile(client, world):
    h = headers_for(world.viewer)
    body = client.get(URL, headers=h).get_json()
    assert body["username"] == "viewer" and body["has_password"] and body["sites"][0]["role"] == "viewer"
    changed = client.patch(URL, json={"display_name": "Vera Viewer"}, headers=h)
    assert changed.status_code == 200 and changed.get_json()["display_name"] == "Vera Viewer"
    assert client.get("/api/auth/me", headers=h).get_json()["display_name"] == "Vera Viewer"
    [event] = db.session.execute(db.select(AuditEvent).filter_by(action="account_update")).scalars().all()
    assert event.user_id == world.viewer.id and set(event.changes) == {"display_name"}


def test_default_site_must_be_one_of_mine_and_is_used_after_sign_in(client, world):
    h = headers_for(world.admin)
    assert client.patch(URL, json={"default_site_id": world.field.id}, headers=h).status_code == 200
    assert login(client, "admin").get_json()["user"]["default_site_id"] == world.field.id
    assert client.get("/api/interactions", headers=h).status_code == 200  # no X-Site-ID: the default site
    refused = client.patch(URL, json={"default_site_id": world.field.id}, headers=headers_for(world.editor))
    assert refused.status_code == 422 and "default_site_id" in refused.get_json()["error"]["details"]
    assert client.patch(URL, json={"username": "root"}, headers=h).status_code == 422


def test_password_change_needs_the_current_password_and_a_good_new_one(client, world):
    h = headers_for(world.editor)
    wrong = client.post(f"{URL}/password", json={"current_password": "nope", "new_password": "a-fine-password"},
                        headers=h)
    assert wrong.status_code == 422 and "current_password" in wrong.get_json()["error"]["details"]
    weak = client.post(f"{URL}/password", json={"current_password": PASSWORD, "new_password": "short"}, headers=h)
    assert weak.status_code == 422 and "new_password" in weak.get_json()["error"]["details"]
    assert client.get("/api/auth/me", headers=h).status_code == 200  # a wrong password did not end the session
    ok = client.post(f"{URL}/password", json={"current_password": PASSWORD, "new_password": "a-fine-password"},
                     headers=h)
    assert ok.status_code == 204
    assert client.get("/api/auth/me", headers=h).status_code == 401  # every earlier session ends, as on a reset
    assert login(client, "editor").status_code == 401
    assert login(client, "editor", "a-fine-password").status_code == 200
    assert db.session.execute(db.select(AuditEvent).filter_by(action="password_change")).scalar_one()


def test_the_current_password_check_counts_like_a_sign_in(client, world):
    h = headers_for(world.editor)
    wrong = {"current_password": "wrong-password", "new_password": "a-fine-password"}
    answers = [client.post(f"{URL}/password", json=wrong, headers=h) for _ in range(5)]
    assert [a.status_code for a in answers] == [422] * 4 + [423]
    assert answers[-1].get_json()["error"]["code"] == "account_locked"
    assert 14 * 60 < int(answers[-1].headers["Retry-After"]) <= 15 * 60
    right = client.post(f"{URL}/password", json={**wrong, "current_password": PASSWORD}, headers=h)
    assert right.status_code == 423
    assert login(client, "editor").status_code == 423  # the budgets of a sign-in from this address
    assert client.get("/api/auth/me", headers=h).status_code == 200  # the session goes on
    failed = db.session.execute(db.select(AuditEvent).filter_by(action="login_failed", user_id=world.editor.id)
                                .order_by(AuditEvent.id)).scalars().all()
    assert [e.changes for e in failed] == [{"reason": "wrong_current_password", "count": n} for n in range(1, 6)]


def test_a_right_current_password_starts_the_count_again(client, world):
    h = headers_for(world.editor)
    for _ in range(4):
        client.post(f"{URL}/password", json={"current_password": "wrong-password", "new_password": "x"}, headers=h)
    ok = client.post(f"{URL}/password", json={"current_password": PASSWORD, "new_password": "a-fine-password"},
                     headers=h)
    assert ok.status_code == 204
    assert login(client, "editor", "wrong-password").status_code == 401


def test_the_password_change_is_rate_limited_per_address(client, app, world, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1/minute")
    h, body = headers_for(world.editor), {"current_password": "wrong-password", "new_password": "a-fine-password"}
    assert client.post(f"{URL}/password", json=body, headers=h).status_code == 422
    limited = client.post(f"{URL}/password", json=body, headers=h)
    assert limited.status_code == 429 and limited.get_json()["error"]["code"] == "rate_limited"


def test_account_needs_a_token(client, world):
    assert client.get(URL).status_code == 401
    assert client.patch(URL, json={"display_name": "x"}).status_code == 401
    assert client.post(f"{URL}/password", json={"current_password": "a", "new_password": "b"}).status_code == 401
    assert client.post(f"{URL}/email", json={"current_password": "a", "new_email": "b@example.org"}).status_code == 401


def test_the_e_mail_address_is_not_changed_by_a_profile_update(client, world):
    h = headers_for(world.viewer)
    refused = client.patch(URL, json={"display_name": "Vera", "email": "vera@example.org"}, headers=h)
    assert refused.status_code == 422
    assert "/api/account/email" in refused.get_json()["error"]["details"]["email"][0]
    assert client.get(URL, headers=h).get_json()["email"] == "viewer@example.com"


def change_email(client, h, new_email="vera@example.org", password=PASSWORD):
    return client.post(f"{URL}/email", json={"current_password": password, "new_email": new_email}, headers=h)


def confirm_email(client, sendgrid, address="vera@example.org"):
    [mail] = mails_to(sendgrid, address)
    token = re.search(r"/confirm-email#token=(\S+)", text_of(mail)).group(1)
    return client.post(f"{URL}/email/confirm", json={"token": token})


def test_a_new_e_mail_address_needs_the_password_and_its_link(client, world, sendgrid):
    h = headers_for(world.viewer)
    assert client.get("/api/auth/me", headers=h).status_code == 200  # the principal is cached from here on
    wrong = change_email(client, h, password="not-my-password")
    assert wrong.status_code == 422 and "current_password" in wrong.get_json()["error"]["details"]
    same = change_email(client, h, new_email="VIEWER@example.com")
    assert same.status_code == 422 and "new_email" in same.get_json()["error"]["details"]
    asked = change_email(client, h)
    assert asked.status_code == 202 and asked.get_json()["new_email"] == "vera@example.org"
    account = client.get(URL, headers=h).get_json()
    assert (account["email"], account["pending_email"]) == ("viewer@example.com", "vera@example.org")
    confirmed = confirm_email(client, sendgrid)
    assert confirmed.status_code == 200 and confirmed.get_json() == {"email": "vera@example.org"}
    account = client.get(URL, headers=h).get_json()  # the session goes on
    assert (account["email"], account["pending_email"]) == ("vera@example.org", None)
    assert client.get("/api/auth/me", headers=h).get_json()["email"] == "vera@example.org"  # no stale principal
    actions = db.session.execute(db.select(AuditEvent.action).where(AuditEvent.user_id == world.viewer.id)
                                 .order_by(AuditEvent.id)).scalars().all()
    # the wrong password was counted like a failed sign-in
    assert actions == ["login_failed", "email_change_request", "email_changed"]


def test_a_new_request_replaces_the_pending_one(client, world, sendgrid):
    h = headers_for(world.viewer)
    assert change_email(client, h).status_code == 202
    [first] = mails_to(sendgrid, "vera@example.org")
    assert change_email(client, h, new_email="vera@example.net").status_code == 202
    token = re.search(r"#token=(\S+)", text_of(first)).group(1)
    assert client.post(f"{URL}/email/confirm", json={"token": token}).status_code == 400
    assert confirm_email(client, sendgrid, "vera@example.net").status_code == 200
    assert client.get(URL, headers=h).get_json()["email"] == "vera@example.net"


def test_a_new_password_cancels_a_pending_change(client, world, sendgrid):
    h = headers_for(world.viewer)
    assert change_email(client, h).status_code == 202
    changed = client.post(f"{URL}/password", json={"current_password": PASSWORD, "new_password": "a-fine-password"},
                          headers=h)
    assert changed.status_code == 204
    assert confirm_email(client, sendgrid).status_code == 400
    assert db.session.get(User, world.viewer.id).email == "viewer@example.com"


def test_the_identity_provider_manages_the_e_mail_of_auth0_accounts(client, world):
    world.viewer.password_hash = None
    db.session.commit()
    refused = change_email(client, headers_for(world.viewer))
    assert refused.status_code == 409 and refused.get_json()["error"]["details"]["reason"] == "external_account"
