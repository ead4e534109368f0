"""Every view that takes a password, an e-mail or a link token from anyone is rate limited per client
address (declared on the view with `login_rate_limit`); other views are not."""
from __future__ import annotations

import pytest

CREDENTIAL_VIEWS = [
    ("/api/auth/login", {"username": "nobody", "password": "wrong-password"}),
    ("/api/auth/password-reset", {"email": "nobody@example.com"}),
    ("/api/auth/password-reset/confirm", {"token": "not-a-token", "password": "a-long-new-password"}),
    ("/api/invitations/lookup", {"token": "not-a-token"}),
    ("/api/invitations/accept", {"token": "not-a-token", "username": "dana", "display_name": "Dana",
                                 "password": "a-long-new-password"}),
    ("/api/invitations/accept-signed-in", {"token": "not-a-token"}),
]


@pytest.fixture
def one_per_minute(app):
    app.config["LOGIN_RATE_LIMIT"] = "1/minute"
    yield
    app.config["LOGIN_RATE_LIMIT"] = "1000/minute"


@pytest.mark.parametrize("url, body", CREDENTIAL_VIEWS, ids=[url for url, _ in CREDENTIAL_VIEWS])
def test_each_credential_view_is_limited_on_its_own(client, one_per_minute, url, body):
    address = {"REMOTE_ADDR": "10.7.7.7"}
    first = client.post(url, json=body, environ_base=address)
    assert first.status_code != 429
    limited = client.post(url, json=body, environ_base=address)
    assert limited.status_code == 429 and limited.get_json()["error"]["code"] == "rate_limited"
    assert client.post(url, json=body, environ_base={"REMOTE_ADDR": "10.7.7.8"}).status_code != 429
    other = next(u for u, _ in CREDENTIAL_VIEWS if u != url)  # counted per view, not shared
    assert client.post(other, json=dict(CREDENTIAL_VIEWS)[other], environ_base=address).status_code != 429


def test_other_views_are_not_limited(client, one_per_minute):
    answers = [client.get("/api/auth/config", environ_base={"REMOTE_ADDR": "10.7.7.7"}).status_code
               for _ in range(3)]
    assert answers == [200, 200, 200]
