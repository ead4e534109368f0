"""In-process stand-ins for Redis with the same interface (`cache.Cache`): `MemoryCache` for the embedded,
single-process default, `NO_CACHE` for a process that must not trust the cache just now (see cache_sync)."""
from __future__ import annotations

import fnmatch
import threading
import time


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

    def get_many(self, keys: list[str], *, strict: bool = False) -> list[bytes | None]:
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
        with self._lock:
            full = self._prefix + pattern
            self._items = {k: v for k, v in self._items.items() if not fnmatch.fnmatchcase(k, full)}

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


class NoCache:
    """Misses every read and keeps nothing: for a process that cannot trust the cache just now."""

    kind = "none"

    def get(self, key: str) -> None:
        return None

    def get_many(self, keys: list[str], *, strict: bool = False) -> list[None]:
        return [None] * len(keys)

    def set(self, key: str, value: bytes, ttl: int, *, strict: bool = False, only_new: bool = False) -> bool:
        return False

    def set_max(self, key: str, value: int, ttl: int, *, strict: bool = False) -> None:
        pass

    def set_if_unchanged(self, key: str, seen: bytes | None, value: bytes, ttl: int) -> bool:
        return False

    def delete(self, key: str) -> None:
        pass

    def delete_matching(self, pattern: str) -> None:
        pass

    def exists(self, key: str) -> bool:
        return False

    def ping(self) -> bool:
        return False

    def incr(self, key: str, amount: int, ttl: int) -> None:
        return None


NO_CACHE = NoCache()
