"""Keeps what Redis holds about users and sites in step with PostgreSQL.

A unit of work notes what it changed (`note`); after its commit the notes are published to
the cache (principals of changed users tombstoned, new site generations raised). A
publication that fails because Redis is unreachable is kept and retried before this
process's next cache read, so pages and principals cached before the change are not served
once Redis is back. It is also retried in the background every BACKGROUND_RETRY_SECONDS, so
that other processes, which know nothing of it, read them from a Redis that comes back with its
old data (a replica promoted, a partition healed) for a moment at most, not until this process
next serves a request. Nothing is published for a rolled-back transaction.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from .cache import Cache, CacheUnavailable
from .memory_cache import NO_CACHE

log = logging.getLogger(__name__)

Publication = Callable[[Cache], None]  # raises CacheUnavailable when it could not land
_NOTES = "ims_cache_publications"
RETRY_SECONDS = 1.0  # readers: a request does not wait on an unreachable Redis more often
BACKGROUND_RETRY_SECONDS = 0.25
RETRY_FOR_SECONDS = 900  # beyond it what was cached before has expired; readers still replay first
WARN_EVERY_SECONDS = 10


def keyed(publication: Publication, key: tuple, rank: int = 0) -> Publication:
    """Name what a publication sets, so a newer one (or a higher generation) replaces it while owed."""
    publication.key, publication.rank = key, rank
    return publication


class Pending:
    """Publications owed to Redis, one per key (so an outage of any length owes at most one per
    site and user), replayed before this process trusts the cache again."""

    def __init__(self):
        self._items: dict[tuple, Publication] = {}
        self._items_lock = threading.Lock()
        self._replay_lock = threading.Lock()
        self._retry_at = 0.0
        self._warned_at = float("-inf")
        self._retrying = False

    def __bool__(self) -> bool:
        return bool(self._items)

    def add(self, publication: Publication) -> None:
        with self._items_lock:
            owed = self._items.get(publication.key)
            if owed is None or owed.rank <= publication.rank:
                self._items[publication.key] = publication

    def replay(self, cache: Cache, *, wait: bool) -> bool:
        """Publish what is owed; True when nothing is left. Readers do not `wait` for another
        thread's replay and try at most once per RETRY_SECONDS while Redis is unreachable."""
        if not self._replay_lock.acquire(blocking=wait):
            return False
        try:
            if not wait and time.monotonic() < self._retry_at:
                return False
            while self._items:
                with self._items_lock:
                    key, publication = next(iter(self._items.items()))
                try:
                    publication(cache)
                except CacheUnavailable as exc:
                    now = time.monotonic()
                    self._retry_at = now + RETRY_SECONDS
                    if now - self._warned_at > WARN_EVERY_SECONDS:  # the background retries often
                        self._warned_at = now
                        log.warning("could not publish a change to the cache, will retry: %s", exc)
                    return False
                with self._items_lock:
                    if self._items.get(key) is publication:
                        del self._items[key]
            return True
        finally:
            self._replay_lock.release()

    def retry_in_background(self, cache_of: Callable[[], Cache]) -> None:
        """Replay every BACKGROUND_RETRY_SECONDS until nothing is owed (for RETRY_FOR_SECONDS at
        most), in one thread per process, started when a publication could not land."""
        with self._items_lock:
            if self._retrying or not self._items:
                return
            self._retrying = True

        def retry() -> None:
            deadline, pause = time.monotonic() + RETRY_FOR_SECONDS, threading.Event()
            while True:
                pause.wait(BACKGROUND_RETRY_SECONDS)
                self.replay(cache_of(), wait=True)
                with self._items_lock:
                    if not self._items or time.monotonic() > deadline:
                        self._retrying = False
                        return

        threading.Thread(target=retry, name="ims-cache-replay", daemon=True).start()


def note(session: Session, publication: Publication) -> None:
    """Publish after this session's transaction commits."""
    session.info.setdefault(_NOTES, []).append(publication)


def publish(app: Flask, publications: list[Publication]) -> None:
    pending = app.extensions["ims_cache_pending"]
    for publication in publications:
        pending.add(publication)
    if not pending.replay(app.extensions["ims_cache"], wait=True):
        pending.retry_in_background(lambda: app.extensions["ims_cache"])


def cache_for_reading() -> Cache:
    """The cache, once this process owes it nothing (usually at once); while a change could not
    be published yet, a cache that misses every read, so nothing it may hold stale is served."""
    app = current_app
    cache, pending = app.extensions["ims_cache"], app.extensions["ims_cache_pending"]
    if pending and not pending.replay(cache, wait=False):
        return NO_CACHE
    return cache


def install(app: Flask) -> None:
    app.extensions["ims_cache_pending"] = Pending()


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    publications = session.info.pop(_NOTES, None)
    if publications and has_app_context():
        publish(current_app._get_current_object(), publications)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_NOTES, None)
