"""Password reset: the mailed link (through a SendGrid stand-in) sets a new password once; an unknown
address is accepted and mails nothing."""
from __future__ import annotations

import re

import pytest

from tests.builders import API_KEY, PASSWORD, make_user, text_of
from tests.drills.conftest import bounded_until

MAIL_SEND = "/v3/mail/send"


@pytest.fixture
def user(app):
    return make_user("erin", email="erin@example.com")


def request_reset(client, email="erin@example.com"):
    return client.post("/api/auth/password-reset", json={"email": email})


def login(client, password):
    return client.post("/api/auth/login", json={"username": "erin", "password": password})


def mails(server, count=1) -> list:
    """The messages the stand-in received, once `count` have arrived (delivery runs in the background)."""
    arrived = bounded_until(lambda: len(server.requests_to(MAIL_SEND)) >= count and server.requests_to(MAIL_SEND),
                            attempts=100)
    assert arrived, f"expected {count} mail(s), got {len(server.requests_to(MAIL_SEND))}"
    return arrived


def reset_token_from(mail: dict) -> str:
    return re.search(r"/reset-password#token=(\S+)", text_of(mail)).group(1)


def test_reset_request_posts_the_link_to_sendgrid(client, user, sendgrid):
    assert request_reset(client, "  Erin@Example.com ").status_code == 202
    [sent] = mails(sendgrid)
    assert sent.method == "POST"
    assert sent.headers["Authorization"] == f"Bearer {API_KEY}"
    mail = sent.json()
    assert mail["personalizations"][0]["to"] == [{"email": "erin@example.com"}]
    assert mail["subject"] == "Reset your password"
    assert "http://localhost:8000/reset-password#token=" in text_of(mail)


def test_the_mailed_link_resets_the_password_once(client, user, sendgrid):
    request_reset(client)
    token = reset_token_from(mails(sendgrid)[0].json())
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
