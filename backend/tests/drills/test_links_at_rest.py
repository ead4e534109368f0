"""Links at rest: the invitation and reset tokens are stored hashed or not at all, but the e-mails that
carry them wait in `email_outbox`. Whoever reads the database later (a backup, a read replica, a
support query, a leaked dump) must find no usable link there once a message is delivered, given up
or expired, nor in the logs at any level; the links the recipients received keep working."""
from __future__ import annotations

import logging
import re
import sqlalchemy as sa

from ims import create_app
from ims.extensions import db
from ims.notifications import outbox
from ims.notifications.outbox import OutboxEmail
from ims.timeutil import utcnow
from tests.builders import (API_KEY, PASSWORD, columns_holding, headers_for, login, mailed_tokens, mails_to,
                            request_reset, sent_mails, text_of)
from tests.conftest import settings_for
from tests.servers import bounded_until

NEWCOMER = "newcomer@example.com"


def token_mailed_to(server, address: str) -> str:
    [mail] = mails_to(server, address)
    return re.search(r"#token=(\S+)", text_of(mail)).group(1)


def outbox_rows() -> list:
    db.session.remove()
    rows = db.session.execute(sa.select(OutboxEmail).order_by(OutboxEmail.id)).scalars().all()
    db.session.expunge_all()
    return rows


def all_finished() -> list:
    rows = outbox_rows()
    return rows if rows and all(row.sent_at or row.given_up_at for row in rows) else []


def test_delivered_links_leave_no_token_in_the_database_and_still_work(client, world, sendgrid, figures):
    assert request_reset(client, "editor@example.com").status_code == 202
    assert client.post(f"/api/site/members/{world.viewer.id}/reset-link",
                       headers=headers_for(world.admin, world.hq)).status_code == 204
    assert client.post("/api/site/invitations", headers=headers_for(world.admin, world.hq),
                       json={"email": NEWCOMER, "role": "editor"}).status_code == 201
    sent_mails(sendgrid, 3)
    tokens = mailed_tokens(sendgrid)
    assert len(tokens) == 3
    finished = bounded_until(all_finished, attempts=100)
    assert finished and all(row.sent_at for row in finished)

    found = {token[:8]: columns_holding(token) for token in tokens}
    assert found == {token[:8]: [] for token in tokens}, "a delivered token is still stored"
    assert columns_holding("#token=") == []
    assert all("[link removed after delivery]" in row.body for row in finished)

    # The links in the mailboxes work as before.
    for address, username in (("editor@example.com", "editor"), ("viewer@example.com", "viewer")):
        confirmed = client.post("/api/auth/password-reset/confirm", json={
            "token": token_mailed_to(sendgrid, address), "password": f"{username}-new-password"})
        assert confirmed.status_code == 204, confirmed.get_json()
        assert login(client, username, f"{username}-new-password").status_code == 200
    accepted = client.post("/api/invitations/accept", json={
        "token": token_mailed_to(sendgrid, NEWCOMER), "username": "newcomer", "display_name": "Newcomer",
        "password": PASSWORD})
    assert accepted.status_code == 201, accepted.get_json()
    figures.update(links_delivered=len(tokens), tokens_found_in_database=0, links_still_working=3)


def test_a_message_given_up_keeps_no_token(app, client, world, sendgrid, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_RETRY_SECONDS", 0.05)
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 2)
    sendgrid.answer = lambda request: (500, {})
    request_reset(client, "editor@example.com")
    [row] = bounded_until(all_finished, attempts=100)
    assert row.given_up_at and row.sent_at is None
    [token] = set(mailed_tokens(sendgrid))  # two attempts reached the provider, with one link
    assert columns_holding(token) == [] and columns_holding("#token=") == []
    assert "[link removed: the message was not delivered]" in row.body


def test_a_link_that_expired_before_delivery_is_neither_sent_nor_kept(client, world, sendgrid, monkeypatch):
    # The reset link's lifetime is over before the delivery thread gets to it.
    monkeypatch.setattr("ims.auth.service.RESET_MAX_AGE_SECONDS", 0)
    request_reset(client, "editor@example.com")
    [row] = bounded_until(all_finished, attempts=100)
    assert row.given_up_at and row.sent_at is None and row.attempts == 0
    assert sendgrid.requests_to("/v3/mail/send") == []
    assert columns_holding("#token=") == []


def test_a_retry_due_after_the_links_expiry_gives_up_at_the_expiry(app, client, world, sendgrid, monkeypatch):
    monkeypatch.setattr("ims.auth.service.RESET_MAX_AGE_SECONDS", 2)
    monkeypatch.setitem(app.config, "MAIL_RETRY_SECONDS", 3600)  # the provider fails; next try in an hour
    sendgrid.answer = lambda request: (500, {})
    request_reset(client, "editor@example.com")
    finished = bounded_until(all_finished, attempts=100)
    assert finished, "the message still waits, link and all, for a retry after its link expired"
    [row] = finished
    assert row.given_up_at and row.attempts == 1 and "expired" in row.last_error
    [token] = mailed_tokens(sendgrid)
    assert columns_holding(token) == []


def test_messages_finished_before_the_rule_are_scrubbed_when_delivery_starts(app, database_url):
    # Rows an earlier release delivered (or gave up) with the link still in them.
    now = utcnow()
    db.session.add_all([
        OutboxEmail(recipient="old@example.com", subject="Reset your password", created_at=now, attempts=1,
                    next_attempt_at=now, sent_at=now,
                    body="Use this link:\nhttps://ims.example.com/reset-password#token=old-delivered-token\n"),
        OutboxEmail(recipient="old@example.com", subject="You are invited", created_at=now, attempts=8,
                    next_attempt_at=now, given_up_at=now,
                    body="Open:\nhttps://ims.example.com/accept-invitation#token=old-failed-token\n"),
    ])
    db.session.commit()
    restarted = create_app(settings_for(database_url))  # a new release's process
    outbox.worker_for(restarted).start()
    try:
        scrubbed = bounded_until(lambda: not columns_holding("#token=") and outbox_rows(), attempts=100)
    finally:
        outbox.worker_for(restarted).stop()
    assert scrubbed and columns_holding("old-delivered-token") == [] and columns_holding("old-failed-token") == []
    assert [row.body.splitlines()[-1] for row in scrubbed] == [
        "[link removed after delivery]", "[link removed: the message was not delivered]"]


def test_links_and_the_provider_key_stay_out_of_the_logs_at_debug_level(client, world, sendgrid, caplog):
    caplog.set_level(logging.DEBUG)
    request_reset(client, "editor@example.com")
    [token] = bounded_until(lambda: mailed_tokens(sendgrid), attempts=100)
    bounded_until(all_finished, attempts=100)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert token not in logged, "a reset link was written to the log"
    assert API_KEY not in logged, "the SendGrid API key was written to the log"
