"""Password-reset and lockout e-mails through SendGrid (a local server stands in for its API)."""
from __future__ import annotations

import logging
import re

import pytest

from tests.builders import API_KEY, PASSWORD, make_user, text_of
from tests.local_http import LocalServer, closed_port

MAIL_SEND = "/v3/mail/send"


@pytest.fixture
def user(app):
    return make_user("erin", email="erin@example.com")


def request_reset(client, email="erin@example.com"):
    return client.post("/api/auth/password-reset", json={"email": email})


def login(client, password):
    return client.post("/api/auth/login", json={"username": "erin", "password": password})




def reset_token_from(mail: dict) -> str:
    return re.search(r"/reset-password\?token=(\S+)", text_of(mail)).group(1)


def test_reset_request_posts_the_link_to_sendgrid(client, user, sendgrid):
    assert request_reset(client, "  Erin@Example.com ").status_code == 202
    [sent] = sendgrid.requests_to(MAIL_SEND)
    assert sent.method == "POST"
    assert sent.headers["Authorization"] == f"Bearer {API_KEY}"
    mail = sent.json()
    assert mail["personalizations"][0]["to"] == [{"email": "erin@example.com"}]
    assert mail["subject"] == "Reset your password"
    assert "http://localhost:8000/reset-password?token=" in text_of(mail)


def test_the_mailed_link_resets_the_password_once(client, user, sendgrid):
    request_reset(client)
    token = reset_token_from(sendgrid.requests_to(MAIL_SEND)[0].json())
    confirm = "/api/auth/password-reset/confirm"

    too_short = client.post(confirm, json={"token": token, "password": "short"})
    assert too_short.status_code == 422
    assert "password" in too_short.get_json()["error"]["details"]

    assert client.post(confirm, json={"token": token, "password": "a-brand-new-password"}).status_code == 204
    assert login(client, "a-brand-new-password").status_code == 200
    assert login(client, PASSWORD).status_code == 401

    reused = client.post(confirm, json={"token": token, "password": "yet-another-password"})
    assert reused.status_code == 400
    assert reused.get_json()["error"]["details"] == {"token": ["Invalid or expired."]}


def test_unknown_address_is_accepted_and_mails_nothing(client, user, sendgrid):
    response = request_reset(client, "nobody@example.com")
    assert response.status_code == 202
    assert sendgrid.requests == []


def test_lockout_mail_is_sent_on_the_fifth_failure(client, user, sendgrid):
    statuses = []
    for attempt in range(5):
        statuses.append(login(client, "wrong-password").status_code)
        if attempt < 4:
            assert sendgrid.requests == []
    assert statuses[-1] == 423
    [sent] = sendgrid.requests_to(MAIL_SEND)
    mail = sent.json()
    assert mail["personalizations"][0]["to"] == [{"email": "erin@example.com"}]
    assert mail["subject"] == "Your account has been locked"


def test_sendgrid_error_does_not_fail_the_request(client, user, sendgrid, caplog):
    sendgrid.answer = lambda request: (500, {"errors": [{"message": "boom"}]})
    with caplog.at_level(logging.ERROR, logger="ims.notifications.email"):
        assert request_reset(client).status_code == 202
        assert [login(client, "wrong-password").status_code for _ in range(5)][-1] == 423
    assert len(sendgrid.requests_to(MAIL_SEND)) == 2
    failures = [r.getMessage() for r in caplog.records if r.name == "ims.notifications.email"]
    assert len(failures) == 2 and all("erin@example.com failed" in message for message in failures)


def test_sendgrid_unreachable_does_not_fail_the_request(app, client, user, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "SENDGRID_API_KEY", API_KEY)
    monkeypatch.setitem(app.config, "SENDGRID_API_HOST", f"http://127.0.0.1:{closed_port()}")
    with caplog.at_level(logging.ERROR, logger="ims.notifications.email"):
        assert request_reset(client).status_code == 202
    [failure] = [r for r in caplog.records if r.name == "ims.notifications.email"]
    assert failure.levelno == logging.ERROR and "erin@example.com failed" in failure.getMessage()


def test_without_a_key_the_mail_is_logged(app, client, user, caplog):
    assert not app.config["SENDGRID_API_KEY"]
    with caplog.at_level(logging.INFO, logger="ims.notifications.email"):
        assert request_reset(client).status_code == 202
    [logged] = [r.getMessage() for r in caplog.records if r.name == "ims.notifications.email"]
    assert "to=erin@example.com" in logged and "/reset-password?token=" in logged
