"""Bounds on expensive work per user: concurrent uncached Finder queries, concurrent exports, and how
often `Cache-Control: no-cache` may skip the Finder cache. Counted in the shared cache (Redis), so the
bounds hold across processes and tasks; beyond them the API answers 429 with Retry-After.

If Redis is unreachable the counts cannot be kept and the work is allowed (the statement timeouts
still bound each query): refusing everyone during an outage would be worse than not counting.
"""
from __future__ import annotations

import time

from flask import current_app

from .errors import AppError

SLOT_TTL_SECONDS = 600  # a process that dies holding a slot gives it back after this long


class TooMuchWork(AppError, status=429):
    """More concurrent work of a kind than the user's bound allows; the client retries after Retry-After."""


def _cache():
    return current_app.extensions["ims_cache"]


class Slot:
    """One of a user's concurrent slots of a kind; `release` is idempotent and needs no app context
    (a streamed response is closed after its context has gone)."""

    def __init__(self, cache, key: str | None):
        self._cache, self._key = cache, key

    def release(self) -> None:
        if self._key is not None:
            self._cache.incr(self._key, -1, SLOT_TTL_SECONDS)
            self._key = None

    def __enter__(self) -> "Slot":
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def acquire(kind: str, user_id: int, limit: int, message: str) -> Slot:
    """Take one of `limit` concurrent slots of this kind for this user, or raise 429."""
    key, cache = f"slots:{kind}:{user_id}", _cache()
    taken = cache.incr(key, 1, SLOT_TTL_SECONDS)
    if taken is None:
        return Slot(cache, None)
    if taken > limit:
        cache.incr(key, -1, SLOT_TTL_SECONDS)
        raise TooMuchWork(message, details={"limit": limit, "retry_after": 1}, headers={"Retry-After": "1"})
    return Slot(cache, key)


def released_after(chunks, slot: Slot):
    """A streamed body that gives its slot back as soon as it has been sent."""
    try:
        yield from chunks
    finally:
        slot.release()


def may_bypass_cache(user_id: int) -> bool:
    """`Cache-Control: no-cache` is honoured FINDER_BYPASS_PER_MINUTE times a minute per user; beyond
    that the cached page is served, which is still a right answer (any write makes pages stale)."""
    window = int(time.time() // 60)
    used = _cache().incr(f"bypass:{user_id}:{window}", 1, 120)
    return used is None or used <= current_app.config["FINDER_BYPASS_PER_MINUTE"]
