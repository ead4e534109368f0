"""The cache behind the Finder and the signed-in principals (with their signed-out tokens): Redis
(or a Redis Cluster) when configured, in-process otherwise (`memory_cache`).

Redis holds only what can be rebuilt from PostgreSQL, so every operation degrades: when Redis is
unreachable a read is a miss and a write is skipped, with a logged warning,
never an error for the client. Callers that must know whether a write landed
(a principal's tombstone, a site's generation: see `cache_sync`) use `strict=True`.

Keys read or written together carry one hash tag (`{site:7}`, `{user:42}`), so on a
Redis Cluster they live in one slot; `get_many` reads keys of several slots in one
pipelined pass over the nodes.
"""
from __future__ import annotations

import contextlib
import logging
import queue
import time
from typing import Protocol

import redis
from redis.cluster import ClusterNode, RedisCluster
from redis.exceptions import RedisClusterException

from .memory_cache import MemoryCache

log = logging.getLogger(__name__)

# A cluster client also raises RedisClusterException (not a RedisError) for an uncovered slot, and, while
# a node fails, OSError from a socket another thread closed when it dropped the dead node's connections.
REDIS_ERRORS = (redis.RedisError, RedisClusterException, OSError)

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


# Registered once; a script is run through whichever client is passed (EVALSHA, loaded on a miss).
_SCRIPTS = {source: redis.Redis().register_script(source) for source in (_SET_MAX, _SET_IF_UNCHANGED)}
REPLICA_WAIT_MS = 200


class CacheUnavailable(RuntimeError):
    pass


class Cache(Protocol):
    kind: str

    def get(self, key: str) -> bytes | None: ...
    def get_many(self, keys: list[str], *, strict: bool = False) -> list[bytes | None]: ...
    def set(self, key: str, value: bytes, ttl: int, *, strict: bool = False, only_new: bool = False) -> bool: ...
    def set_max(self, key: str, value: int, ttl: int, *, strict: bool = False) -> None: ...
    def set_if_unchanged(self, key: str, seen: bytes | None, value: bytes, ttl: int) -> bool: ...
    def delete(self, key: str) -> None: ...
    def delete_matching(self, pattern: str) -> None: ...
    def exists(self, key: str) -> bool: ...
    def ping(self) -> bool: ...
    def incr(self, key: str, amount: int, ttl: int) -> int | None: ...


def redis_client(url: str, *, cluster: bool = False, timeout: float = 0.5,
                 startup_nodes: list[ClusterNode] | None = None) -> redis.Redis | RedisCluster:
    """A client for one Redis server, or a cluster-aware one that follows slots and failovers."""
    if cluster:
        return RedisCluster.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout,
                                     cluster_error_retry_attempts=2, startup_nodes=list(startup_nodes or []))
    return redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout,
                                health_check_interval=15, retry_on_timeout=False)


class RedisCache:
    kind = "redis"

    def __init__(self, url: str, prefix: str = "ims:", *, cluster: bool = False):
        self._prefix = prefix
        self._cluster = cluster
        self._url = url
        self._shared = None if cluster else redis_client(url)
        self._idle: queue.SimpleQueue = queue.SimpleQueue()
        self._known_nodes: list[ClusterNode] = []
        self._warned_at = 0.0

    @contextlib.contextmanager
    def _client(self):
        """The client for one operation. A cluster client is lent to one thread at a time: when a
        node fails, redis-py's cluster client drops that node's connections from whichever thread
        noticed, under the feet of the others (closed sockets, changing slot maps). It is built at
        first use, never at start-up, so the app starts while the cluster is down, and from every
        node seen so far, so it can be built while the node named in REDIS_URL is the one down."""
        if not self._cluster:
            yield self._shared
            return
        try:
            client = self._idle.get_nowait()
        except queue.Empty:
            client = redis_client(self._url, cluster=True, startup_nodes=self._known_nodes)
            self._known_nodes = [ClusterNode(node.host, node.port) for node in client.get_nodes()]
        try:
            yield client
        finally:
            self._idle.put(client)

    def _warn(self, operation: str, exc: Exception) -> None:
        # One line per 10 s is enough to see an outage without flooding the log.
        now = time.monotonic()
        if now - self._warned_at > 10:
            self._warned_at = now
            log.warning("redis unavailable during %s, answering without the cache: %s", operation, exc)

    def get(self, key: str) -> bytes | None:
        return self.get_many([key])[0]

    def get_many(self, keys: list[str], *, strict: bool = False) -> list[bytes | None]:
        """One round trip (one per node on a cluster); all misses when Redis is unreachable (with
        `strict`, CacheUnavailable: for a caller that must tell a miss from an outage)."""
        full = [self._prefix + key for key in keys]
        try:
            with self._client() as client:
                return client.mget_nonatomic(full) if self._cluster else client.mget(full)
        except REDIS_ERRORS as exc:
            if strict:
                raise CacheUnavailable(str(exc)) from exc
            self._warn("get", exc)
            return [None] * len(keys)

    def set(self, key: str, value: bytes, ttl: int, *, strict: bool = False, only_new: bool = False) -> bool:
        try:
            with self._client() as client:
                stored = bool(client.set(self._prefix + key, value, ex=max(1, int(ttl)), nx=only_new))
                if strict and self._cluster:
                    self._wait_for_replica(client, key)
                return stored
        except REDIS_ERRORS as exc:
            if strict:
                raise CacheUnavailable(str(exc)) from exc
            self._warn("set", exc)
            return False

    def set_max(self, key: str, value: int, ttl: int, *, strict: bool = False) -> None:
        try:
            with self._client() as client:
                _SCRIPTS[_SET_MAX](keys=[self._prefix + key], args=[int(value), max(1, int(ttl))], client=client)
                if self._cluster:
                    self._wait_for_replica(client, key)
        except REDIS_ERRORS as exc:
            if strict:
                raise CacheUnavailable(str(exc)) from exc
            self._warn("set", exc)

    def _wait_for_replica(self, client: RedisCluster, key: str) -> None:
        """Replication is asynchronous: a generation raised (or a principal tombstoned) on a master
        that fails over before passing it on would be lost, and pages or a principal cached before
        the write served again. So wait (briefly) until a replica has it; a lagging replica is
        logged, not an error."""
        node = client.get_node_from_key(self._prefix + key)
        if client.execute_command("WAIT", 1, REPLICA_WAIT_MS, target_nodes=node) < 1:
            log.warning("no replica confirmed a cache invalidation within %d ms", REPLICA_WAIT_MS)

    def set_if_unchanged(self, key: str, seen: bytes | None, value: bytes, ttl: int) -> bool:
        try:
            with self._client() as client:
                return bool(_SCRIPTS[_SET_IF_UNCHANGED](
                    keys=[self._prefix + key], args=[seen or b"", value, max(1, int(ttl))], client=client))
        except REDIS_ERRORS as exc:
            self._warn("set", exc)
            return False

    def delete(self, key: str) -> None:
        try:
            with self._client() as client:
                client.delete(self._prefix + key)
        except REDIS_ERRORS as exc:
            self._warn("delete", exc)

    def delete_matching(self, pattern: str) -> None:
        """Delete every key matching the glob (rare: only when a change cannot name its keys)."""
        try:
            with self._client() as client:
                options = {"target_nodes": RedisCluster.PRIMARIES} if self._cluster else {}
                for key in client.scan_iter(match=self._prefix + pattern, count=1000, **options):
                    client.delete(key)
        except REDIS_ERRORS as exc:
            raise CacheUnavailable(str(exc)) from exc

    def exists(self, key: str) -> bool:
        return self.get(key) is not None

    def ping(self) -> bool:
        try:
            with self._client() as client:
                return bool(client.ping())
        except REDIS_ERRORS:
            return False

    def incr(self, key: str, amount: int, ttl: int) -> int | None:
        """Add to a counter and (re)arm its expiry; None when Redis is unreachable."""
        try:
            with self._client() as client:
                pipeline = client.pipeline()
                pipeline.incrby(self._prefix + key, amount)
                pipeline.expire(self._prefix + key, max(1, int(ttl)))
                return int(pipeline.execute()[0])
        except REDIS_ERRORS as exc:
            self._warn("incr", exc)
            return None


def make_cache(redis_url: str | None, prefix: str, *, cluster: bool = False) -> Cache:
    return RedisCache(redis_url, prefix, cluster=cluster) if redis_url else MemoryCache(prefix)
