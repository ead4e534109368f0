"""Work that outlives its request: a file import, a large bulk change.

`start` runs a function in a daemon thread of this process, inside the app's context, and returns at
once; the request answers 202 and the client follows the job's own row, which the work updates as it
goes (its progress, its outcome). Work done for a person says so (`on_behalf_of=<user id>`, kept in
`flask.g` while it runs as `ON_BEHALF_OF`): its commits then count as that person's writes, so their
own reads wait for a replica that has replayed them (`read_your_writes`). Nothing is kept only in
memory: a job whose process ends half-way stays as its row says, and its own code makes a re-run pick
up where it stopped.
"""
from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timedelta
from typing import Callable

from flask import current_app, g

from .extensions import db
from .timeutil import as_utc, utcnow

log = logging.getLogger(__name__)

ON_BEHALF_OF = "ims_on_behalf_of"  # the flask.g attribute: the user id the work runs for

STALE_SECONDS = 300  # work that has written no progress for this long has stopped (its process ended)

_running: set[threading.Thread] = set()
_lock = threading.Lock()


def start(name: str, work: Callable[..., None], *args, on_behalf_of: int | None = None) -> threading.Thread:
    """Run `work(*args)` in the background with this app's context and a session of its own; its writes
    are `on_behalf_of`'s (a user id) when given."""
    app = current_app._get_current_object()

    def run() -> None:
        try:
            with app.app_context():
                setattr(g, ON_BEHALF_OF, on_behalf_of)
                try:
                    work(*args)
                except Exception:  # the work records its own failure; this only keeps the thread's end visible
                    log.exception("background work %s failed", name)
                finally:
                    db.session.remove()
        finally:
            with _lock:
                _running.discard(thread)

    thread = threading.Thread(target=run, name=f"ims-{name}", daemon=True)
    with _lock:
        _running.add(thread)
    thread.start()
    return thread


def wait_idle(timeout: float = 30.0) -> bool:
    """Wait until no background work of this process runs (tests, shutdown); False on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        with _lock:
            threads = list(_running)
        if not threads:
            return True
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        if time.monotonic() >= deadline:
            with _lock:
                return not _running


def stopped_since(heartbeat: datetime | None) -> bool:
    """Whether work that writes a heartbeat with its progress has gone silent for STALE_SECONDS: its
    process ended, and a re-run may take it up. No heartbeat at all counts as silent for ever."""
    return heartbeat is None or as_utc(heartbeat) <= utcnow() - timedelta(seconds=STALE_SECONDS)
