"""The e-mail outbox: mail is stored first and delivered by a background worker, with retries.

`add` only inserts a row (a millisecond) in the caller's unit of work, so a message is stored exactly
when what triggers it commits, and a slow or failing provider neither slows a request nor tells an
observer which addresses have accounts. Each process runs one delivery thread; rows are
claimed with `FOR UPDATE SKIP LOCKED` and a lease, so several processes or tasks never send one twice.
A failed send is logged and retried with backoff; after MAIL_MAX_ATTEMPTS it is given up, logged as an
error and kept in the table with its last error, never dropped silently. A message whose link stops
working (`expires_at`) before it could be delivered is given up instead of sent.

No usable link stays at rest: the moment a message is delivered, given up or expired, every
`…#token=…` link in its stored body is replaced by a note, in the same commit that records the
outcome. The tokens live only in the recipient's mailbox; the row keeps who, when, which subject and
the rest of the text. Rows finished before this rule (or by an older release during a rolling
deploy) are scrubbed when a delivery thread starts.
"""
from __future__ import annotations

import functools
import logging
import os
import re
import threading
import weakref
from datetime import datetime, timedelta
from typing import Callable, ParamSpec, TypeVar

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import as_utc, utcnow
from ..unit_of_work import in_unit_of_work, transaction

log = logging.getLogger(__name__)

BATCH = 20
LEASE = timedelta(minutes=2)  # a claimed message that is neither sent nor failed by then is tried again
# A link that carries a token (reset, invitation, confirmation: `<base>/<page>#token=<token>`), whole.
TOKEN_LINK = re.compile(r"\S*#token=\S*")
DELIVERED = "[link removed after delivery]"
NOT_DELIVERED = "[link removed: the message was not delivered]"


class OutboxEmail(db.Model):
    __tablename__ = "email_outbox"

    id: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    given_up_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    # when the message's link stops working: not sent after that, given up (None: no deadline)
    expires_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


def _row(to: str, subject: str, text: str, expires_at: datetime | None) -> dict:
    now = utcnow()
    return {"recipient": to, "subject": subject[:200], "body": text, "created_at": now, "attempts": 0,
            "next_attempt_at": now, "expires_at": expires_at}


def add(to: str, subject: str, text: str, *, expires_at: datetime | None = None) -> None:
    """Queue one message in the caller's unit of work (sent only if it commits); call `wake()` after.
    `expires_at`: when the link it carries stops working; an undelivered message is given up then."""
    db.session.add(OutboxEmail(**_row(to, subject, text, expires_at)))


def without_links(text: str, note: str) -> str:
    """`text` with every token-carrying link replaced by `note`."""
    return TOKEN_LINK.sub(note, text)


def _finish(message: OutboxEmail, *, delivered: bool) -> None:
    """Record the outcome and drop the message's links, in one commit (the caller's unit of work)."""
    if delivered:
        message.sent_at = utcnow()
    else:
        message.given_up_at = utcnow()
    message.body = without_links(message.body, DELIVERED if delivered else NOT_DELIVERED)


@transaction
def scrub_finished() -> int:
    """Drop the links of messages delivered or given up with their links still in place (finished
    before this rule, or by an older release); returns how many were scrubbed."""
    finished = db.session.execute(
        db.select(OutboxEmail).where(sa.or_(OutboxEmail.sent_at.is_not(None), OutboxEmail.given_up_at.is_not(None)),
                                     OutboxEmail.body.contains("#token=", autoescape=True))).scalars().all()
    for message in finished:
        message.body = without_links(message.body, DELIVERED if message.sent_at else NOT_DELIVERED)
    return len(finished)


def wake() -> None:
    """Tell this process's delivery thread that mail is waiting."""
    worker_for(current_app._get_current_object()).wake()


P = ParamSpec("P")
R = TypeVar("R")


def sends_mail(use_case: Callable[P, R]) -> Callable[P, R]:
    """A use case that queues mail with `add`: one unit of work (`transaction`), and once it has
    committed the delivery thread is woken. Joined into an outer use case, that one commits: the
    outermost `sends_mail` wakes the thread."""
    atomic = transaction(use_case)

    @functools.wraps(use_case)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        result = atomic(*args, **kwargs)
        if not in_unit_of_work():
            wake()
        return result

    return run


@transaction
def _claim() -> list[OutboxEmail]:
    """Due messages, leased to this process and committed, so a crash mid-send only delays them."""
    now = utcnow()
    query = (db.select(OutboxEmail)
             .where(OutboxEmail.sent_at.is_(None), OutboxEmail.given_up_at.is_(None),
                    OutboxEmail.next_attempt_at <= now)
             .order_by(OutboxEmail.id).limit(BATCH))
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    claimed = []
    for message in db.session.execute(query).scalars():
        if message.expires_at is not None and as_utc(message.expires_at) <= now:
            # its link no longer works: sending it would only confuse the recipient
            message.last_error = "expired before it could be delivered"
            _finish(message, delivered=False)
            log.error("email %s to %s given up: its link expired before delivery", message.id, message.recipient)
            continue
        message.attempts += 1
        message.next_attempt_at = now + LEASE
        claimed.append(message)
    return claimed


def deliver_due() -> int:
    """Try every due message once, each in its own unit of work; returns how many were tried."""
    claimed = _claim()
    for message in claimed:
        _attempt(message)
    return len(claimed)


@transaction
def _attempt(message: OutboxEmail) -> None:
    """Send one claimed message and record how it went."""
    from .email import MailNotSent, deliver

    config = current_app.config
    try:
        deliver(message.recipient, message.subject, message.body)
    except MailNotSent as exc:
        reason = str(exc)[:500]
        message.last_error = reason
        if message.attempts >= config["MAIL_MAX_ATTEMPTS"]:
            _finish(message, delivered=False)
            log.error("email %s to %s given up after %d attempts: %s", message.id, message.recipient,
                      message.attempts, reason)
        else:
            delay = config["MAIL_RETRY_SECONDS"] * 2 ** (message.attempts - 1)
            message.next_attempt_at = utcnow() + timedelta(seconds=delay)
            if message.expires_at is not None:  # due again by its expiry at the latest: given up then
                message.next_attempt_at = min(message.next_attempt_at, as_utc(message.expires_at))
            log.warning("email %s to %s failed (attempt %d), will retry in %.0f s: %s", message.id,
                        message.recipient, message.attempts, delay, reason)
    else:
        _finish(message, delivered=True)
        message.last_error = None


def _seconds_until_next_due() -> float:
    due = db.session.execute(
        sa.select(sa.func.min(OutboxEmail.next_attempt_at))
        .where(OutboxEmail.sent_at.is_(None), OutboxEmail.given_up_at.is_(None))
    ).scalar()
    return float("inf") if due is None else (as_utc(due) - utcnow()).total_seconds()


_WORKERS: "weakref.WeakSet[DeliveryWorker]" = weakref.WeakSet()


def stop_all_workers(*, keep: Flask | None = None) -> None:
    """Stop the delivery threads of every app in this process (but `keep`'s): tests create many apps
    on one database, and each app's thread would deliver with its own settings."""
    for worker in list(_WORKERS):
        if keep is None or worker._app is not keep:
            worker.stop()


class DeliveryWorker:
    """One daemon thread per process: delivers at once when woken, and looks for due retries regularly."""

    def __init__(self, app: Flask):
        self._app = app
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._lock = threading.Lock()
        self._stopped = False
        _WORKERS.add(self)

    def stop(self) -> None:
        """End the thread after its current round (tests, before their database goes away)."""
        self._stopped = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def wake(self) -> None:
        self.start()
        self._wake.set()

    def start(self) -> None:
        if self._stopped:
            return
        if self._pid == os.getpid() and self._thread is not None and self._thread.is_alive():
            return
        with self._lock:
            # After a fork (gunicorn) the parent's thread does not exist in the child: start one there.
            if self._thread is not None and self._thread.is_alive() and self._pid == os.getpid():
                return
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name="ims-mail-delivery", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        swept = False
        while not self._stopped:
            self._wake.clear()
            pause = self._app.config["MAIL_POLL_SECONDS"]
            try:
                with self._app.app_context():
                    if not swept:
                        scrub_finished()
                        swept = True
                    if deliver_due() == BATCH:
                        continue  # more may be due at once
                    pause = min(pause, _seconds_until_next_due())
                    db.session.remove()
            except Exception as exc:  # the database may be down: keep the thread, try again next round
                log.warning("email delivery round failed, retrying later: %s", str(exc).splitlines()[0][:200])
            self._wake.wait(max(0.05, pause))


def worker_for(app: Flask) -> DeliveryWorker:
    worker = app.extensions.get("ims_mail_worker")
    if worker is None:
        worker = app.extensions.setdefault("ims_mail_worker", DeliveryWorker(app))
    return worker


def install_mail_delivery(app: Flask) -> None:
    """Start the delivery thread with the first request of each process: mail queued before a restart
    goes out without waiting for new mail to wake it."""

    @app.before_request
    def start_mail_delivery():
        worker_for(app).start()
