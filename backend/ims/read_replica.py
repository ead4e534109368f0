"""Reads that may come from a streaming replica (DB_READ_HOST): the Finder, insights and exports.

Everything else, every write and everything that must be current (sign-in, the principal, a record
opened to edit it, the site's generation, the audit trail), stays on the primary. Without DB_READ_HOST
there is no replica and `read` simply runs on the primary, as before.

Which reads go to the replica — the rule, checked before each one:
- the replica is configured and not marked down: a refused or lost connection marks it down for
  DB_READ_RETRY_SECONDS (logged once), and the read is answered from the primary, never an error;
- it is at most DB_READ_MAX_LAG_SECONDS behind: caught up with what it received from a live WAL
  receiver counts as 0, otherwise the age of the last transaction it replayed;
- read your own writes: it has replayed at least as far as the reader's last write on the primary
  (`pg_last_wal_replay_lsn()` ≥ the position `read_your_writes` kept after that commit). Replay
  applies commits in WAL order, so such a replica shows that write and every one before it. Other
  people may read a replica that is a little behind (within the lag bound): they were not promised
  writes they did not make.
The replica's position is read at most every DB_READ_POSITION_SECONDS per process; a read it would refuse
asks again once before going to the primary.

Cached answers (`interactions/finder.py`): an answer is stamped with the site's generation read
before computing (from Redis or the primary). On the replica `read` first checks `reached()`: the
replica's own `sites.data_version` for the site is at least that generation, so every write the
generation counts is in what the replica shows, and replay only moves forward. Only then may the
answer be cached under that generation; a lagging replica's answer is served to its reader but never
cached, so a page missing a write can never be served as if it were current.

A read that fails on the replica for the replica's sake — connection refused or lost, cancelled by a
recovery conflict, or a read that finds it must write (`NotOnReplica`) — is answered again from the
primary.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable, NamedTuple, TypeVar

import sqlalchemy as sa
from flask import Flask, current_app

from . import db_outage, read_your_writes
from .extensions import READ_BIND, db

log = logging.getLogger(__name__)

T = TypeVar("T")
EXTENSION = "ims_read_replica"
RECOVERY_CONFLICT = "40001"  # "canceling statement due to conflict with recovery"
READ_ONLY = "25006"  # a write sent to a standby

_POSITION = sa.text("""
SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END::text AS replayed,
       CASE WHEN NOT pg_is_in_recovery() THEN 0
            WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
                 AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE pid IS NOT NULL) THEN 0
            ELSE EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()) END AS lag""")


class NotOnReplica(Exception):
    """A read that found it must run on the primary after all (it would have to write first)."""


class Position(NamedTuple):
    replayed: int | None  # WAL bytes replayed; None: the replica does not say
    lag: float | None  # seconds behind; None: unknown (treated as too far)


class Replica:
    def __init__(self, engine: sa.Engine, max_lag: float, retry_seconds: float, position_seconds: float):
        self.engine, self.max_lag, self.retry_seconds = engine, max_lag, retry_seconds
        self.position_seconds = position_seconds
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._position: Position | None = None
        self._read_at = 0.0

    def down(self) -> bool:
        return time.monotonic() < self._down_until

    def mark_down(self, error: BaseException) -> None:
        with self._lock:
            already = self.down()
            self._down_until, self._position = time.monotonic() + self.retry_seconds, None
        if not already:
            log.warning("read replica unreachable, reads go to the primary for %g s: %s", self.retry_seconds,
                        str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__)

    def position(self, *, fresh: bool = False) -> Position | None:
        """Where the replica stands (read at most every `position_seconds` unless `fresh`); None when it
        cannot be reached (it is then marked down)."""
        with self._lock:
            if not fresh and self._position is not None and time.monotonic() - self._read_at < self.position_seconds:
                return self._position
        try:
            with self.engine.connect() as connection:
                row = connection.execute(_POSITION).one()
        except sa.exc.DBAPIError as exc:
            self.mark_down(exc)
            return None
        position = Position(read_your_writes.lsn(row.replayed) if row.replayed else None,
                            None if row.lag is None else float(row.lag))
        with self._lock:
            self._position, self._read_at = position, time.monotonic()
        return position

    def serves(self, needed: int) -> bool:
        """Whether a read that must see WAL position `needed` (0: any) may run here now."""
        position = self.position()
        if position is not None and not self._enough(position, needed):
            position = self.position(fresh=True)
        return position is not None and self._enough(position, needed)

    def _enough(self, position: Position, needed: int) -> bool:
        if position.lag is None or position.lag > self.max_lag:
            return False
        return needed == 0 or (position.replayed is not None and position.replayed >= needed)


def install(app: Flask) -> None:
    """The replica's engine when SQLALCHEMY_READ_URI is set (from DB_READ_HOST); nothing otherwise."""
    uri = app.config.get("SQLALCHEMY_READ_URI")
    if not uri:
        app.extensions.pop(EXTENSION, None)
        return
    engine = sa.create_engine(uri, **app.config["READ_ENGINE_OPTIONS"])
    sa.event.listen(engine, "checkout", db_outage.check_on_checkout)
    app.extensions[EXTENSION] = Replica(engine, app.config["DB_READ_MAX_LAG_SECONDS"],
                                        app.config["DB_READ_RETRY_SECONDS"], app.config["DB_READ_POSITION_SECONDS"])


def replica() -> Replica | None:
    return current_app.extensions.get(EXTENSION)


def engine_for(user_id: int) -> sa.Engine | None:
    """The replica's engine when this person's read may run there now, else None (the primary)."""
    chosen = replica()
    if chosen is None or chosen.down():
        return None
    needed = read_your_writes.position_of(user_id)
    if needed is None:  # nobody can tell where their last write is: the primary has it
        return None
    return chosen.engine if chosen.serves(needed) else None


def routed() -> sa.Engine | None:
    """The replica's engine while the current read runs there, else None."""
    return db.session().info.get(READ_BIND)


def read(user_id: int, compute: Callable[[], T], reached: Callable[[], bool] = lambda: True) -> tuple[T, bool]:
    """`compute()` on the replica when the rule allows this person's read there, else on the primary;
    with whether the answer may be cached: always on the primary, on the replica only when `reached()`,
    run there before the query, said yes (see the module's docstring)."""
    engine = engine_for(user_id)
    if engine is None:
        return compute(), True
    session = db.session()
    session.info[READ_BIND] = engine
    try:
        current = reached()
        return compute(), current
    except NotOnReplica:
        pass
    except sa.exc.DBAPIError as exc:
        if not _replica_failure(exc):
            raise
    finally:
        session.info.pop(READ_BIND, None)
    session.rollback()  # the replica's part of the session, and the reads before it, are let go
    return compute(), True


def _replica_failure(error: sa.exc.DBAPIError) -> bool:
    """A failure the primary would not have: the replica gone (marked down), a recovery conflict, a
    write it cannot take."""
    if db_outage.means_database_down(error):
        replica().mark_down(error)
        return True
    return getattr(error.orig, "pgcode", None) in {RECOVERY_CONFLICT, READ_ONLY}


def raw_connection(engine: sa.Engine | None):
    """The DB-API connection of a streamed read (the export's COPY): in the session, on `engine` (the
    replica chosen by `read`) while it can be reached, else on the primary."""
    if engine is not None:
        try:
            return db.session.connection(bind_arguments={"bind": engine}).connection
        except sa.exc.DBAPIError as exc:
            if not _replica_failure(exc):
                raise
    return db.session.connection().connection
