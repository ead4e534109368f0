"""Griefing rather than guessing: keeping someone else locked out with five wrong passwords every
quarter hour, from one socket address with varied X-Forwarded-For (many addresses: see
test_targeted_lockout.py); and what an attempted username, a reset link or a missing mail key leaves
where others can read it."""
from __future__ import annotations

import json
import logging

import requests

from ims import create_app
from ims.audit import AuditEvent
from ims.extensions import db
from tests.builders import PASSWORD, login
from tests.conftest import settings_for
from tests.servers import bounded_until

GRIEFER, OWNER, NEWCOMER = "203.0.113.66", "198.51.100.31", "192.0.2.14"


def test_one_address_cannot_keep_someone_else_locked_out(behind_the_alb, world, figures):
    url = f"{behind_the_alb.url}/api/auth/login"

    def owner_from(address: str) -> int:
        return requests.post(url, json={"username": "editor", "password": PASSWORD}, timeout=30,
                             headers={"X-Forwarded-For": address}).status_code

    assert owner_from(OWNER) == 200  # where the owner usually signs in
    with requests.Session() as griefer:
        statuses = [griefer.post(url, json={"username": "editor", "password": f"wrong-{n}"}, timeout=30,
                                 headers={"X-Forwarded-For": f"10.9.{n}.9, {GRIEFER}"}).status_code
                    for n in range(8)]
    # One address, whatever header it writes: five checks, then locked out, with every address new to the
    # account (finding 7's budget); the owner's own address is not.
    assert statuses == [401] * 4 + [423] * 4
    assert owner_from(OWNER) == 200
    assert owner_from(NEWCOMER) == 423
    figures.update(griefer_attempts=len(statuses), griefer_locked_after=5, owner_status=200, new_address_status=423)


def test_attempted_unknown_usernames_are_not_stored(client, world):
    typed = "correct-horse-battery-typed-into-the-username-field"
    login(client, typed, "x" * 12)
    stored = [str(e.changes) for e in db.session.execute(db.select(AuditEvent)).scalars()]
    assert stored and not any(typed in text for text in stored)


def test_outside_development_no_reset_link_reaches_the_log_without_sendgrid(app, client, world, monkeypatch,
                                                                            caplog):
    monkeypatch.setitem(app.config, "APP_ENV", "staging")
    monkeypatch.setitem(app.config, "SENDGRID_API_KEY", None)
    monkeypatch.setitem(app.config, "MAIL_RETRY_SECONDS", 60)
    with caplog.at_level(logging.INFO):
        client.post("/api/auth/password-reset", json={"email": "editor@example.com"})
        failed = bounded_until(lambda: [r for r in caplog.records if "SENDGRID_API_KEY is not set" in r.getMessage()])
    assert failed and failed[0].levelno >= logging.WARNING  # not silent
    assert not [r for r in caplog.records if "reset-password" in r.getMessage()]


def test_a_deployment_without_a_mail_key_says_so_at_start(database_url, capsys):
    create_app(settings_for(database_url, APP_ENV="staging", SENDGRID_API_KEY="unset"))  # Terraform's placeholder
    errors = [line for line in capsys.readouterr().out.splitlines()
              if line.startswith("{") and json.loads(line).get("level") == "ERROR"]
    assert any("cannot be delivered" in line for line in errors)
