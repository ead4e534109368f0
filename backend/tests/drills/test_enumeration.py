"""Telling real accounts from unknown ones, as an attacker would try: a locked name's Retry-After over
time, the answer time of reset requests and sign-ins that send mail while the mail provider is slow,
and unknown names during a Redis outage. Mail must still arrive, and a failed send be retried."""
from __future__ import annotations

import logging
import statistics
import time

import pytest

from ims import create_app
from ims.extensions import db
from tests.builders import login
from tests.conftest import settings_for
from tests.servers import bounded_until

PROVIDER_DELAY = 1.0  # seconds the SendGrid stand-in takes to answer
ROUNDS = 5


WRONG = "wrong-password-1"


def lock(client, username):
    return [login(client, username, WRONG).status_code for _ in range(5)]


def test_a_locked_unknown_name_counts_down_like_a_real_one(client, world, figures):
    assert lock(client, "editor") == lock(client, "nobody-at-all") == [401] * 4 + [423]
    first = [int(login(client, name, WRONG).headers["Retry-After"]) for name in ("editor", "nobody-at-all")]

    def both_later():
        # retrying while locked, as an attacker probing the two names would
        later = [int(login(client, name, WRONG).headers["Retry-After"]) for name in ("editor", "nobody-at-all")]
        return later if all(now < before for now, before in zip(later, first)) else None

    later = bounded_until(both_later, attempts=40, pause=0.1)
    assert later, "Retry-After did not count down for both names"  # an unknown name's was pushed back to 900
    known, unknown = later
    assert abs(known - unknown) <= 1
    figures.update(first_retry_after=first, later_known=known, later_unknown=unknown)


@pytest.fixture
def slow_sendgrid(sendgrid):
    def slowly(request):
        time.sleep(PROVIDER_DELAY)  # the stand-in is slow; the API must not wait for it
        return 202, {}
    sendgrid.answer = slowly
    return sendgrid


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def test_known_addresses_answer_as_fast_as_unknown_ones_while_mail_is_slow(client, world, slow_sendgrid,
                                                                            figures):
    known, unknown = [], []
    for n in range(ROUNDS):  # interleaved, so machine load hits both alike
        known.append(timed(lambda: client.post("/api/auth/password-reset", json={"email": "viewer@example.com"})))
        unknown.append(timed(lambda: client.post("/api/auth/password-reset", json={"email": f"no{n}@example.com"})))
    lock_notice = timed(lambda: lock(client, "editor"))  # the fifth failure queues a lock notice
    assert max(known) < PROVIDER_DELAY / 2, known
    assert lock_notice < PROVIDER_DELAY, lock_notice
    assert statistics.median(known) < statistics.median(unknown) * 1.5 + 0.01  # same work: one commit
    delivered = bounded_until(lambda: len(slow_sendgrid.requests_to("/v3/mail/send")) >= ROUNDS + 1,
                              attempts=200)
    assert delivered, "the queued mail was not delivered"
    figures.update(provider_delay_ms=PROVIDER_DELAY * 1000, known_median_ms=round(statistics.median(known) * 1000, 1),
                   unknown_median_ms=round(statistics.median(unknown) * 1000, 1),
                   lock_notice_request_ms=round(lock_notice * 1000, 1), mails_delivered=ROUNDS + 1)


def outbox():
    from ims.notifications.outbox import OutboxEmail

    db.session.remove()  # read what the delivery worker committed
    return db.session.execute(db.select(OutboxEmail.sent_at, OutboxEmail.attempts)).all()


def test_a_failed_send_is_retried_until_delivered_and_each_failure_logged(app, client, world, sendgrid,
                                                                           monkeypatch, caplog, figures):
    monkeypatch.setitem(app.config, "MAIL_RETRY_SECONDS", 0.2)
    answers = iter([(500, {"errors": [{"message": "down"}]}), (503, {}), (202, {})])
    sendgrid.answer = lambda request: next(answers)
    with caplog.at_level(logging.WARNING, logger="ims.notifications"):
        assert client.post("/api/auth/password-reset", json={"email": "viewer@example.com"}).status_code == 202
        sent = bounded_until(lambda: [row for row in outbox() if row.sent_at], attempts=100)
    assert [row.attempts for row in sent] == [3]
    assert len(sendgrid.requests_to("/v3/mail/send")) == 3
    failures = [r for r in caplog.records if "viewer@example.com" in r.getMessage() and "will retry" in r.getMessage()]
    assert len(failures) == 2
    figures.update(provider_failures=2, attempts=3, delivered=True, failures_logged=2)


def test_unknown_names_lock_during_a_redis_outage(database_url, world, throwaway_redis, figures):
    app = create_app(settings_for(database_url, REDIS_URL=throwaway_redis.url,
                                  RATELIMIT_STORAGE_URI=throwaway_redis.url))
    throwaway_redis.stop()
    client = app.test_client()
    statuses = [login(client, "nobody-at-all", WRONG).status_code for _ in range(6)]
    assert statuses == [401] * 4 + [423] * 2
    figures.update(redis="stopped", attempts=6, locked_after=5)


