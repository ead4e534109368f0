"""The cache behind the Finder and the token deny-list: Redis when configured, in-process otherwise.

Redis holds only what can be rebuilt, so every operation degrades: when Redis is
unreachable a read is a miss and a write is skipped, with a logged warning,
never an error for the client. Callers that must know whether a write landed
(revoking a token) use `strict=True`.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Protocol

import redis

log = logging.getLogger(__name__)


class CacheUnavailable(RuntimeError):
    pass


class Cache(Protocol):
    def get(self, key: str) -> bytes | None: ...
    def set(self, key: str, value: bytes, ttl: int, *, strict: bool = False) -> None: ...
    def exists(self, key: str) -> bool: ...
    def ping(self) -> bool: ...
    def incr(self, key: str, amount: int, ttl: int) -> int | None: ...


class MemoryCache:
    """A small thread-safe TTL cache for the embedded, single-process default."""

    kind = "memory"

    def __init__(self, prefix: str = "", max_items: int = 10_000):
        self._prefix = prefix
        self._items: dict[str, tuple[float, bytes]] = {}
        self._lock = threading.Lock()
        self._max_items = max_items

    def get(self, key: str) -> bytes | None:
        with self._lock:
            item = self._items.get(self._prefix + key)
            if item is None:
                return None
            expires, value = item
            if expires < time.monotonic():
                del self._items[self._prefix + key]
                return None
            return value

    def set(self, key: str, value: bytes, ttl: int, *, strict: bool = False) -> None:
        with self._lock:
            if len(self._items) >= self._max_items:
                now = time.monotonic()
                self._items = {k: v for k, v in self._items.items() if v[0] >= now}
                if len(self._items) >= self._max_items:
                    self._items.clear()
            self._items[self._prefix + key] = (time.monotonic() + ttl, value)

    def exists(self, key: str) -> bool:
        return self.get(key) is not None

    def ping(self) -> bool:
        return True

    def incr(self, key: str, amount: int, ttl: int) -> int | None:
        with self._lock:
            item = self._items.get(self._prefix + key)
            current = int(item[1]) if item and item[0] >= time.monotonic() else 0
            value = current + amount
            self._items[self._prefix + key] = (time.monotonic() + ttl, str(value).encode())
            return value


class RedisCache:
    kind = "redis"

    def __init__(self, url: str, prefix: str = "ims:"):
        self._prefix = prefix
        self._client = redis.Redis.from_url(
            url, socket_connect_timeout=0.5, socket_timeout=0.5, health_check_interval=15,
            retry_on_timeout=False,
        )
        self._warned_at = 0.0

    @property
    def client(self) -> redis.Redis:
        return self._client

    def _warn(self, operation: str, exc: Exception) -> None:
        # One line per 10 s is enough to see an outage without flooding the log.
        now = time.monotonic()
        if now - self._warned_at > 10:
            self._warned_at = now
            log.warning("redis unavailable during %s, answering without the cache: %s", operation, exc)

    def get(self, key: str) -> bytes | None:
        try:
            return self._client.get(self._prefix + key)
        except redis.RedisError as exc:
            self._warn("get", exc)
            return None

    def set(self, key: str, value: bytes, ttl: int, *, strict: bool = False) -> None:
        try:
            self._client.set(self._prefix + key, value, ex=max(1, int(ttl)))
        except redis.RedisError as exc:
            if strict:
                raise CacheUnavailable(str(exc)) from exc
            self._warn("set", exc)

    def exists(self, key: str) -> bool:
        try:
            return bool(self._client.exists(self._prefix + key))
        except redis.RedisError as exc:
            self._warn("exists", exc)
            return False

    def ping(self) -> bool:
        try:
            return bool(self._client.ping())
        except redis.RedisError:
            return False

    def incr(self, key: str, amount: int, ttl: int) -> int | None:
        """Add to a counter and (re)arm its expiry; None when Redis is unreachable."""
        try:
            pipeline = self._client.pipeline()
            pipeline.incrby(self._prefix + key, amount)
            pipeline.expire(self._prefix + key, max(1, int(ttl)))
            return int(pipeline.execute()[0])
        except redis.RedisError as exc:
            self._warn("incr", exc)
            return None


def make_cache(redis_url: str | None, prefix: str) -> Cache:
    return RedisCache(redis_url, prefix) if redis_url else MemoryCache(prefix)
