"""The cache behind the Finder, the signed-in principals and the token deny-list: Redis (or a Redis
Cluster) when configured, in-process otherwise.

Redis holds only what can be rebuilt, so every operation degrades: when Redis is
unreachable a read is a miss and a write is skipped, with a logged warning,
never an error for the client. Callers that must know whether a write landed
(revoking a token) use `strict=True`.

Keys read or written together carry one hash tag (`{site:7}`, `{user:42}`), so on a
Redis Cluster they live in one slot; `get_many` reads keys of several slots in one
pipelined pass over the nodes.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Protocol

import redis
from redis.cluster import RedisCluster

log = logging.getLogger(__name__)

# SET key value unless the stored number is already at least value: a generation never goes back,
# whichever of two concurrent writers publishes last.
_SET_MAX = """
local current = tonumber(redis.call('GET', KEYS[1]))
if current == nil or current < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
  return 1
end
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 0
"""

# SET key value only while the key still holds what the caller saw (nothing, when `seen` is empty):
# a value read from the database is not stored over a newer invalidation.
_SET_IF_UNCHANGED = """
local current = redis.call('GET', KEYS[1])
if (current == false and ARGV[1] == '') or current == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
  return 1
end
return 0
"""


class CacheUnavailable(RuntimeError):
    pass


class Cache(Protocol):
    kind: str

    def get(self, key: str) -> bytes | None: ...
    def get_many(self, keys: list[str]) -> list[bytes | None]: ...
    def set(self, key: str, value: bytes, ttl: int, *, strict: bool = False, only_new: bool = False) -> bool: ...
    def set_max(self, key: str, value: int, ttl: int, *, strict: bool = False) -> None: ...
    def set_if_unchanged(self, key: str, seen: bytes | None, value: bytes, ttl: int) -> bool: ...
    def delete(self, key: str) -> None: ...
    def delete_matching(self, pattern: str) -> None: ...
    def exists(self, key: str) -> bool: ...
    def ping(self) -> bool: ...


class MemoryCache:
    """A small thread-safe TTL cache for the embedded, single-process default."""

    kind = "memory"

    def __init__(self, prefix: str = "", max_items: int = 10_000):
        self._prefix = prefix
        self._items: dict[str, tuple[float, bytes]] = {}
        self._lock = threading.Lock()
        self._max_items = max_items

    def _get(self, key: str) -> bytes | None:
        item = self._items.get(self._prefix + key)
        if item is None:
            return None
        expires, value = item
        if expires < time.monotonic():
            del self._items[self._prefix + key]
            return None
        return value

    def get(self, key: str) -> bytes | None:
        with self._lock:
            return self._get(key)

    def get_many(self, keys: list[str]) -> list[bytes | None]:
        with self._lock:
            return [self._get(key) for key in keys]

    def set(self, key: str, value: bytes, ttl: int, *, strict: bool = False, only_new: bool = False) -> bool:
        with self._lock:
            if only_new and self._get(key) is not None:
                return False
            if len(self._items) >= self._max_items:
                now = time.monotonic()
                self._items = {k: v for k, v in self._items.items() if v[0] >= now}
                if len(self._items) >= self._max_items:
                    self._items.clear()
            self._items[self._prefix + key] = (time.monotonic() + ttl, value)
            return True

    def set_max(self, key: str, value: int, ttl: int, *, strict: bool = False) -> None:
        with self._lock:
            current = self._get(key)
            if current is None or int(current) < value:
                self._items[self._prefix + key] = (time.monotonic() + ttl, str(value).encode())

    def set_if_unchanged(self, key: str, seen: bytes | None, value: bytes, ttl: int) -> bool:
        with self._lock:
            if self._get(key) != seen:
                return False
            self._items[self._prefix + key] = (time.monotonic() + ttl, value)
            return True

    def delete(self, key: str) -> None:
        with self._lock:
            self._items.pop(self._prefix + key, None)

    def delete_matching(self, pattern: str) -> None:
        import fnmatch

        with self._lock:
            full = self._prefix + pattern
            self._items = {k: v for k, v in self._items.items() if not fnmatch.fnmatchcase(k, full)}

    def exists(self, key: str) -> bool:
        return self.get(key) is not None

    def ping(self) -> bool:
        return True


def redis_client(url: str, *, cluster: bool = False, timeout: float = 0.5) -> redis.Redis | RedisCluster:
    """A client for one Redis server, or a cluster-aware one that follows slots and failovers."""
    if cluster:
        return RedisCluster.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout,
                                     cluster_error_retry_attempts=2)
    return redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout,
                                health_check_interval=15, retry_on_timeout=False)


class RedisCache:
    kind = "redis"

    def __init__(self, url: str, prefix: str = "ims:", *, cluster: bool = False):
        self._prefix = prefix
        self._cluster = cluster
        self._url = url
        self._client_instance = None if cluster else redis_client(url)
        self._client_lock = threading.Lock()
        self._scripts: dict[str, object] = {}
        self._warned_at = 0.0

    @property
    def client(self) -> redis.Redis | RedisCluster:
        # A cluster client reads the slot map when built, so it is built at first use (and again
        # after a failed start), never at import: the app starts even while the cluster is down.
        if self._client_instance is None:
            with self._client_lock:
                if self._client_instance is None:
                    self._client_instance = redis_client(self._url, cluster=self._cluster)
        return self._client_instance

    def _warn(self, operation: str, exc: Exception) -> None:
        # One line per 10 s is enough to see an outage without flooding the log.
        now = time.monotonic()
        if now - self._warned_at > 10:
            self._warned_at = now
            log.warning("redis unavailable during %s, answering without the cache: %s", operation, exc)

    def get(self, key: str) -> bytes | None:
        return self.get_many([key])[0]

    def get_many(self, keys: list[str]) -> list[bytes | None]:
        """One round trip (one per node on a cluster); all misses when Redis is unreachable."""
        full = [self._prefix + key for key in keys]
        try:
            client = self.client
            if self._cluster:
                return client.mget_nonatomic(full)
            return client.mget(full)
        except redis.RedisError as exc:
            self._warn("get", exc)
            return [None] * len(keys)

    def set(self, key: str, value: bytes, ttl: int, *, strict: bool = False, only_new: bool = False) -> bool:
        try:
            return bool(self.client.set(self._prefix + key, value, ex=max(1, int(ttl)), nx=only_new))
        except redis.RedisError as exc:
            if strict:
                raise CacheUnavailable(str(exc)) from exc
            self._warn("set", exc)
            return False

    def _script(self, source: str, key: str, args: list) -> int:
        if source not in self._scripts:
            self._scripts[source] = self.client.register_script(source)
        return self._scripts[source](keys=[self._prefix + key], args=args)

    def set_max(self, key: str, value: int, ttl: int, *, strict: bool = False) -> None:
        try:
            self._script(_SET_MAX, key, [int(value), max(1, int(ttl))])
        except redis.RedisError as exc:
            if strict:
                raise CacheUnavailable(str(exc)) from exc
            self._warn("set", exc)

    def set_if_unchanged(self, key: str, seen: bytes | None, value: bytes, ttl: int) -> bool:
        try:
            return bool(self._script(_SET_IF_UNCHANGED, key, [seen or b"", value, max(1, int(ttl))]))
        except redis.RedisError as exc:
            self._warn("set", exc)
            return False

    def delete(self, key: str) -> None:
        try:
            self.client.delete(self._prefix + key)
        except redis.RedisError as exc:
            self._warn("delete", exc)

    def delete_matching(self, pattern: str) -> None:
        """Delete every key matching the glob (rare: only when a change cannot name its keys)."""
        try:
            client = self.client
            scan = (client.scan_iter(match=self._prefix + pattern, count=1000, target_nodes=RedisCluster.ALL_NODES)
                    if self._cluster else client.scan_iter(match=self._prefix + pattern, count=1000))
            for key in scan:
                client.delete(key)
        except redis.RedisError as exc:
            raise CacheUnavailable(str(exc)) from exc

    def exists(self, key: str) -> bool:
        try:
            return bool(self.client.exists(self._prefix + key))
        except redis.RedisError as exc:
            self._warn("exists", exc)
            return False

    def ping(self) -> bool:
        try:
            return bool(self.client.ping())
        except redis.RedisError:
            return False


def make_cache(redis_url: str | None, prefix: str, *, cluster: bool = False) -> Cache:
    return RedisCache(redis_url, prefix, cluster=cluster) if redis_url else MemoryCache(prefix)
