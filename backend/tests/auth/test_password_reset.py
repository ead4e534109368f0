"""Password reset: the mailed link (through a SendGrid stand-in) sets a new password once; an unknown
address is accepted and mails nothing."""
from __future__ import annotations

import pytest

from tests.builders import API_KEY, PASSWORD, login, mailed_reset_token, make_user, request_reset, sent_mails, text_of

ERIN = "erin@example.com"


@pytest.fixture
def user(app):
    return make_user("erin", email=ERIN)


def test_reset_request_posts_the_link_to_sendgrid(client, user, sendgrid):
    assert request_reset(client, "  Erin@Example.com ").status_code == 202
    [sent] = sent_mails(sendgrid)
    assert sent.method == "POST"
    assert sent.headers["Authorization"] == f"Bearer {API_KEY}"
    mail = sent.json()
    assert mail["personalizations"][0]["to"] == [{"email": "erin@example.com"}]
    assert mail["subject"] == "Reset your password"
    assert "http://localhost:8000/reset-password#token=" in text_of(mail)


def test_the_mailed_link_resets_the_password_once(client, user, sendgrid):
    request_reset(client, ERIN)
    token = mailed_reset_token(sendgrid)
    confirm = "/api/auth/password-reset/confirm"

    too_short = client.post(confirm, json={"token": token, "password": "short"})
    assert too_short.status_code == 422
    assert "password" in too_short.get_json()["error"]["details"]

    assert client.post(confirm, json={"token": token, "password": "a-brand-new-password"}).status_code == 204
    assert login(client, "erin", "a-brand-new-password").status_code == 200
    assert login(client, "erin", PASSWORD).status_code == 401

    reused = client.post(confirm, json={"token": token, "password": "yet-another-password"})
    assert reused.status_code == 400
    assert reused.get_json()["error"]["details"] == {"token": ["Invalid or expired."]}


def test_unknown_address_is_accepted_and_mails_nothing(client, user, sendgrid):
    response = request_reset(client, "nobody@example.com")
    assert response.status_code == 202
    assert sendgrid.requests == []
