"""Keeps what Redis holds about users and sites in step with PostgreSQL.

A unit of work notes what it changed (`note`); after its commit the notes are published to
the cache (principals of changed users tombstoned, new site generations raised). A
publication that fails because Redis is unreachable is kept and retried before this
process's next cache read, so pages and principals cached before the change are not served
once Redis is back. Nothing is published for a rolled-back transaction.
"""
from __future__ import annotations

import collections
import logging
import threading
from typing import Callable

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from .cache import Cache, CacheUnavailable

log = logging.getLogger(__name__)

Publication = Callable[[Cache], None]  # raises CacheUnavailable when it could not land
_NOTES = "ims_cache_publications"


class Pending:
    """Publications that could not reach Redis, in order, replayed at the next chance."""

    def __init__(self):
        self._items: collections.deque[Publication] = collections.deque(maxlen=10_000)
        self._lock = threading.Lock()

    def __bool__(self) -> bool:
        return bool(self._items)

    def add(self, publication: Publication) -> None:
        with self._lock:
            self._items.append(publication)

    def replay(self, cache: Cache) -> None:
        with self._lock:
            while self._items:
                try:
                    self._items[0](cache)
                except CacheUnavailable:
                    return
                self._items.popleft()


def note(session: Session, publication: Publication) -> None:
    """Publish after this session's transaction commits."""
    session.info.setdefault(_NOTES, []).append(publication)


def publish(app: Flask, publications: list[Publication]) -> None:
    cache, pending = app.extensions["ims_cache"], app.extensions["ims_cache_pending"]
    pending.replay(cache)
    for publication in publications:
        if pending:
            pending.add(publication)  # keep the order: this one must not overtake an older one
            continue
        try:
            publication(cache)
        except CacheUnavailable as exc:
            log.warning("could not publish a change to the cache, will retry: %s", exc)
            pending.add(publication)


def cache_for_reading() -> Cache:
    """The cache, after replaying anything this process owes it (usually nothing)."""
    app = current_app
    cache, pending = app.extensions["ims_cache"], app.extensions["ims_cache_pending"]
    if pending:
        pending.replay(cache)
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
