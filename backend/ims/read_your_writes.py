"""Where each person's last write is in the primary's WAL, so that their own reads wait for it.

After a use case of a signed-in person commits on the primary (`unit_of_work`), `note_commit` reads
`pg_current_wal_lsn()` there (for work in the background, for the person it runs for, as
`background.start(on_behalf_of=…)` says): a position at or past that commit's record, since a commit returns only
once its record is written. It is kept for the person in the cache (`wal:{user:<id>}`, raised only,
never lowered: `Cache.set_max`), shared by every process, and in this process as well. `ims.read_replica`
sends the person's reads to the replica only once the replica has replayed that far.

Failures lean to the primary: a position that cannot be read is kept as UNKNOWN (past any replica
until it expires); a cache that cannot be read answers None (the caller reads from the primary).
An entry lives `ttl_seconds()`, well past the replica's allowed lag: by then a replica close enough to
be used at all has replayed the write anyway.
"""
from __future__ import annotations

import logging
import threading
import time

import sqlalchemy as sa
from flask import current_app, g, has_app_context, has_request_context

from .background import ON_BEHALF_OF
from .cache import CacheUnavailable
from .extensions import db

log = logging.getLogger(__name__)

UNKNOWN = 2 ** 53 - 1  # beyond any WAL position a replica reports (and exact in Redis's numbers)
MIN_TTL_SECONDS = 60
_LOCAL_MAX = 10_000

_local: dict[int, tuple[float, int]] = {}  # user id → (expires at, position): this process's own writes
_lock = threading.Lock()


def lsn(text: str) -> int:
    """A WAL position ('16/B374D848') as a number of bytes."""
    high, _, low = text.partition("/")
    return (int(high, 16) << 32) | int(low, 16)


def key(user_id: int) -> str:
    return f"wal:{{user:{user_id}}}"


def ttl_seconds() -> int:
    return int(max(MIN_TTL_SECONDS, 4 * current_app.config["DB_READ_MAX_LAG_SECONDS"]))


def writer() -> int | None:
    """Whose write a commit is: the request's signed-in person, else the person background work runs
    for (None: nobody's)."""
    if not has_app_context():
        return None
    principal = g.get("principal") if has_request_context() else None
    return principal.user_id if principal is not None else g.get(ON_BEHALF_OF)


def note_commit() -> None:
    """After a use case committed on the primary: remember where the WAL stood for the person who wrote
    (nothing to do without a replica, or when the commit is nobody's)."""
    if not has_app_context() or current_app.extensions.get("ims_read_replica") is None:
        return
    user_id = writer()
    if user_id is None:
        return
    try:
        remember(user_id, _primary_position())
    except Exception:  # noqa: BLE001 - the write has committed and must answer; its reader falls to the primary
        log.exception("could not keep a write's WAL position")


def _primary_position() -> int:
    try:
        with db.engine.connect() as connection:
            return lsn(connection.execute(sa.text("SELECT pg_current_wal_lsn()::text")).scalar_one())
    except sa.exc.SQLAlchemyError as exc:
        log.warning("could not read the primary's WAL position after a write: %s", type(exc).__name__)
        return UNKNOWN


def remember(user_id: int, position: int) -> None:
    ttl = ttl_seconds()
    with _lock:
        if len(_local) >= _LOCAL_MAX:
            now = time.monotonic()
            for stale in [user for user, (expires, _) in _local.items() if expires < now] or list(_local)[:1000]:
                _local.pop(stale, None)
        _, known = _local.get(user_id, (0.0, 0))
        _local[user_id] = (time.monotonic() + ttl, max(known, position))
    try:
        current_app.extensions["ims_cache"].set_max(key(user_id), position, ttl, strict=True)
    except CacheUnavailable as exc:  # this process still knows; the others read from the primary meanwhile
        log.warning("could not share a write's WAL position: %s", exc)


def position_of(user_id: int) -> int | None:
    """The WAL position the person's reads must see (0: no recent write); None when the cache cannot
    be read, so nobody can tell."""
    try:
        shared, = current_app.extensions["ims_cache"].get_many([key(user_id)], strict=True)
    except CacheUnavailable:
        return None
    with _lock:
        expires, local = _local.get(user_id, (0.0, 0))
    local = local if expires >= time.monotonic() else 0
    return max(int(shared) if shared is not None and shared.isdigit() else 0, local)
