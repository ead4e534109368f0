"""Reset links: single use even when an intercepted link is confirmed twenty times at once, and the
token travels where servers, proxies and browser history do not record it."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import requests

from tests.builders import mailed_reset_token, make_user
from tests.servers import ServedApp

RACERS = 20


def test_racing_confirms_of_one_link_succeed_exactly_once(app, world, sendgrid, monkeypatch, figures):
    monkeypatch.setitem(app.config, "ARGON2_TIME_COST", 2)  # a real hash: the confirms overlap
    monkeypatch.setitem(app.config, "ARGON2_MEMORY_COST", 16 * 1024)
    make_user("target", {world.hq: "viewer"})
    with ServedApp(app) as server:
        requests.post(f"{server.url}/api/auth/password-reset", json={"email": "target@example.com"}, timeout=30)
        token = mailed_reset_token(sendgrid)
        barrier = threading.Barrier(RACERS)

        def confirm(n: int) -> int:
            with requests.Session() as session:
                barrier.wait(timeout=30)
                return session.post(f"{server.url}/api/auth/password-reset/confirm",
                                    json={"token": token, "password": f"racer-password-{n:02d}"}, timeout=60).status_code

        with ThreadPoolExecutor(RACERS) as pool:
            statuses = list(pool.map(confirm, range(RACERS)))
        assert sorted(statuses) == [204] + [400] * (RACERS - 1), statuses
        winner = statuses.index(204)
        signed_in = [requests.post(f"{server.url}/api/auth/login", timeout=30,
                                   json={"username": "target", "password": f"racer-password-{n:02d}"}).status_code
                     for n in (winner, (winner + 1) % RACERS)]
    assert signed_in == [200, 401]  # the stored password is the one confirmation that was accepted
    figures.update(racing_confirms=RACERS, accepted=1, refused_400=RACERS - 1)


def test_the_mailed_link_carries_the_token_in_the_fragment(client, world, sendgrid):
    client.post("/api/auth/password-reset", json={"email": "editor@example.com"})
    mailed_reset_token(sendgrid)
    [mail] = sendgrid.requests_to("/v3/mail/send")
    text = mail.json()["content"][0]["value"]
    assert "/reset-password#token=" in text and "?token=" not in text
