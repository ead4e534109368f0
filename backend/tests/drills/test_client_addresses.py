"""Who is the client? Behind the load balancer every request arrives from its address, and the client
can write any X-Forwarded-For it likes. The attacker here uses one socket address (one connection, as
the load balancer would) and varies the header; the API must trust exactly the configured hops."""
from __future__ import annotations

import pytest
import requests

from ims import create_app
from ims.audit import AuditEvent
from ims.extensions import db
from tests.conftest import settings_for
from tests.servers import ServedApp

ATTACKER, VICTIM = "203.0.113.7", "198.51.100.20"


def login(session, url, username, forwarded_for):
    return session.post(f"{url}/api/auth/login", json={"username": username, "password": "wrong-password-1"},
                        headers={"X-Forwarded-For": forwarded_for}, timeout=30)


@pytest.fixture
def behind_one_proxy(app, database_url):
    """The API as the task definition runs it: one proxy (the ALB) in front, a tight sign-in limit."""
    served = create_app(settings_for(database_url, TRUSTED_PROXY_HOPS=1, LOGIN_RATE_LIMIT="5/minute",
                                     REDIS_KEY_PREFIX=app.config["REDIS_KEY_PREFIX"] + "proxy:",
                                     RATELIMIT_KEY_PREFIX=app.config["RATELIMIT_KEY_PREFIX"] + "proxy"))
    with ServedApp(served) as server:
        yield server


def test_the_client_behind_the_load_balancer_is_limited_not_everyone(behind_one_proxy, world, figures):
    url = behind_one_proxy.url
    with requests.Session() as attacker:  # one connection: one socket address for every request
        # The ALB appends the address it saw; whatever the client wrote comes before it.
        answers = [login(attacker, url, f"user{n}", f"10.0.{n}.1, {ATTACKER}") for n in range(8)]
    assert [a.status_code for a in answers] == [401] * 5 + [429] * 3
    assert all(0 < int(a.headers["Retry-After"]) <= 60 for a in answers[5:])
    with requests.Session() as victim:
        assert login(victim, url, "editor", VICTIM).status_code == 401  # someone else is not refused
    db.session.remove()
    addresses = {e.client_ip for e in db.session.execute(db.select(AuditEvent)).scalars()}
    assert addresses == {ATTACKER, VICTIM}
    figures.update(trusted_hops=1, attacker_requests=len(answers), limited_429=3, victim_status=401,
                   audited_addresses=sorted(addresses))


def test_without_a_trusted_proxy_the_header_is_ignored(app, world, monkeypatch, figures):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "5/minute")
    with ServedApp(app) as server, requests.Session() as attacker:
        answers = [login(attacker, server.url, f"user{n}", f"10.0.{n}.1") for n in range(7)]
    assert [a.status_code for a in answers] == [401] * 5 + [429] * 2
    figures.update(trusted_hops=0, spoofed_addresses=7, limited_429=2)
