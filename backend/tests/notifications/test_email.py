"""E-mail delivery through SendGrid (a local server stands in for its API): the outbox sends, retries,
gives up, and logs the mail when no key is set; the lockout notice."""
from __future__ import annotations

import logging

import pytest

from ims.extensions import db
from ims.notifications.outbox import OutboxEmail
from tests.builders import API_KEY, MAIL_SEND, login, make_user, request_reset, sent_mails
from tests.local_http import closed_port
from tests.servers import bounded_until

ERIN = "erin@example.com"


@pytest.fixture
def user(app):
    return make_user("erin", email=ERIN)


def test_lockout_mail_is_sent_on_the_fifth_failure(client, user, sendgrid):
    statuses = []
    for attempt in range(5):
        statuses.append(login(client, "erin", "wrong-password").status_code)
        if attempt < 4:
            assert sendgrid.requests == []
    assert statuses[-1] == 423
    [sent] = sent_mails(sendgrid)
    mail = sent.json()
    assert mail["personalizations"][0]["to"] == [{"email": "erin@example.com"}]
    assert mail["subject"] == "Your account has been locked"


def failures_logged(caplog):
    return [r for r in caplog.records if r.name.startswith("ims.notifications")
            and "erin@example.com" in r.getMessage() and "failed" in r.getMessage()]


def test_sendgrid_error_does_not_fail_the_request_and_is_retried(client, user, sendgrid, caplog):
    sendgrid.answer = lambda request: (500, {"errors": [{"message": "boom"}]})
    with caplog.at_level(logging.WARNING, logger="ims.notifications"):
        assert request_reset(client, ERIN).status_code == 202
        assert [login(client, "erin", "wrong-password").status_code for _ in range(5)][-1] == 423
        sent_mails(sendgrid, 2)
        failures = bounded_until(lambda: len(failures_logged(caplog)) >= 2 and failures_logged(caplog))
    assert len(failures) == 2 and all("will retry" in r.getMessage() for r in failures)
    pending = db.session.execute(db.select(OutboxEmail).where(OutboxEmail.sent_at.is_(None))).scalars().all()
    assert len(pending) == 2 and all("500" in m.last_error for m in pending)  # kept, not lost


def test_sendgrid_unreachable_does_not_fail_the_request(app, client, user, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "SENDGRID_API_KEY", API_KEY)
    monkeypatch.setitem(app.config, "SENDGRID_API_HOST", f"http://127.0.0.1:{closed_port()}")
    with caplog.at_level(logging.WARNING, logger="ims.notifications"):
        assert request_reset(client, ERIN).status_code == 202
        [failure] = bounded_until(lambda: failures_logged(caplog))
    assert failure.levelno == logging.WARNING and "will retry" in failure.getMessage()


def test_a_message_is_given_up_after_the_last_attempt_with_an_error(app, client, user, sendgrid, monkeypatch,
                                                                     caplog):
    monkeypatch.setitem(app.config, "MAIL_RETRY_SECONDS", 0.05)
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 3)
    sendgrid.answer = lambda request: (500, {})
    with caplog.at_level(logging.WARNING, logger="ims.notifications"):
        request_reset(client, ERIN)
        given_up = bounded_until(lambda: [r for r in caplog.records if "given up" in r.getMessage()], attempts=100)
    assert given_up and given_up[0].levelno == logging.ERROR
    assert len(sendgrid.requests_to(MAIL_SEND)) == 3


def test_without_a_key_the_mail_is_logged(app, client, user, caplog):
    assert not app.config["SENDGRID_API_KEY"]
    with caplog.at_level(logging.INFO, logger="ims.notifications.email"):
        assert request_reset(client, ERIN).status_code == 202
        logged = bounded_until(lambda: [r.getMessage() for r in caplog.records if r.name == "ims.notifications.email"])
    [logged] = logged
    assert "to=erin@example.com" in logged and "/reset-password#token=" in logged
