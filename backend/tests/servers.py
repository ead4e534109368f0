"""Throwaway servers on loopback for tests that need a real socket or a real outage: the app behind a
threaded WSGI server, a private PostgreSQL cluster (or a primary with its streaming replica), a private redis-server (never the shared ones on
5432 and 6379); a bounded wait for what runs in the background; calls released together."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, TypeVar

import psycopg2
import pytest
import redis
import requests
from werkzeug.serving import make_server

from tests.local_http import InThread, closed_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def bounded_until(predicate, *, attempts: int = 50, pause: float = 0.1):
    """Call `predicate` until it returns something truthy (bounded); returns the last value."""
    value = None
    for _ in range(attempts):
        value = predicate()
        if value:
            return value
        time.sleep(pause)
    return value


T = TypeVar("T")


def released_together(calls: list[Callable[[], T]], *, timeout: float = 30) -> list[T]:
    """Run every call on a thread of its own, released at once by a barrier; their results in order.
    Each call should use a connection of its own (`requests.post` does), so the requests overlap."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], T]) -> T:
        barrier.wait(timeout=timeout)
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


class ServedApp(InThread):
    """The Flask app behind a real threaded WSGI server on 127.0.0.1, so concurrent clients use sockets."""

    def __init__(self, app):
        super().__init__(make_server("127.0.0.1", 0, app, threaded=True))
        self.url = f"http://127.0.0.1:{self._httpd.server_port}"


def requests_released_together(url: str, calls: list[tuple]) -> list[requests.Response]:
    """Each call `(method, path, headers, json_body)` on its own connection to the served app at `url`,
    all released at once by a barrier; the responses in the order of the calls."""
    def send(call):
        method, path, headers, body = call

        def request() -> requests.Response:
            with requests.Session() as session:
                return session.request(method, f"{url}{path}", headers=headers, json=body, timeout=60)
        return request

    return released_together([send(call) for call in calls])


def together(count: int, call) -> list:
    """`call(session, n)` for n in range(count), each on its own thread and `requests.Session`, released at
    once by a barrier; their results in order."""
    barrier = threading.Barrier(count)

    def run(n: int):
        with requests.Session() as session:
            barrier.wait(timeout=30)
            return call(session, n)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


class TableLock:
    """Holds the interactions table so that every query reaching it waits: the requests overlap for sure."""

    def __init__(self, database_url: str):
        self.connection = psycopg2.connect(database_url)

    def __enter__(self):
        self.connection.cursor().execute("LOCK TABLE interactions IN ACCESS EXCLUSIVE MODE")
        return self

    def __exit__(self, *exc):
        self.connection.rollback()
        self.connection.close()


def together_while_locked(database_url: str, count: int, call) -> list:
    """`together`, with the interactions table locked: the admitted calls wait for it, so they overlap for
    sure, and the refusals come back meanwhile; then the lock goes and the admitted ones finish."""
    answers: list = []
    with TableLock(database_url):
        worker = threading.Thread(target=lambda: answers.extend(together(count, call)))
        worker.start()
        bounded_until(lambda: not worker.is_alive(), attempts=30)
    worker.join(timeout=60)
    return answers


class ThrowawayPostgres:
    """A private cluster in a temporary directory on a free port (never the shared one on 5432).
    `settings` go into its postgresql.conf before the first start (`{"archive_mode": "on"}`);
    with `initdb=False` the data directory is left for the caller to fill (`run(pg_basebackup …)`)."""

    def __init__(self, settings: dict[str, str] | None = None, *, initdb: bool = True):
        self.port = closed_port()
        self.dir = Path(tempfile.mkdtemp(prefix="ims-pg-"))
        self.data = self.dir / "data"
        self.settings = dict(settings or {})
        if os.geteuid() == 0:  # initdb refuses to run as root
            shutil.chown(self.dir, "postgres", "postgres")
        if initdb:
            self.run(PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8")

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def run(self, *args) -> None:
        """A command as the cluster's owner (postgres when the tests run as root)."""
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *map(str, args)], check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        if self.settings:  # later lines of postgresql.conf win, so a copied cluster can override its source's
            with (self.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
                conf.writelines(f"{name} = '{value}'\n" for name, value in self.settings.items())
            self.settings = {}
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run(PG_BIN / "pg_ctl", "-D", self.data, "-l", self.dir / "server.log", "-o", options, "-w", "start")

    def stop(self) -> None:
        self.run(PG_BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def _running(server):
    """Started for the test, stopped and its files removed afterwards."""
    try:
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture
def throwaway_postgres():
    yield from _running(ThrowawayPostgres())


def pg_sql(server: ThrowawayPostgres, statement: str, database: str = "postgres"):
    """The first row of `statement` run on `server` (autocommit); None for a statement that returns none."""
    connection = psycopg2.connect(server.url.rsplit("/", 1)[0] + "/" + database, connect_timeout=5)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
            return cursor.fetchone() if cursor.description else None
    finally:
        connection.close()


class StreamingPair:
    """A private primary (wal_level=replica, WAL senders, a replication entry in pg_hba) and its hot
    standby, made by `pg_basebackup -R` and streaming from it, each on a free port."""

    def __init__(self):
        self.primary = ThrowawayPostgres({"wal_level": "replica", "max_wal_senders": "4"})
        self.replica = ThrowawayPostgres(initdb=False)

    def start(self) -> None:
        with (self.primary.data / "pg_hba.conf").open("a", encoding="utf-8") as hba:
            hba.write("host replication postgres 127.0.0.1/32 trust\n")
        self.primary.start()
        self.primary.run(PG_BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", self.primary.port, "-U", "postgres",
                         "-D", self.replica.data, "--checkpoint=fast", "-X", "stream", "-R")
        self.replica.start()
        if not bounded_until(lambda: self.streaming(), attempts=200, pause=0.05):
            raise RuntimeError("the replica did not start streaming")

    def streaming(self) -> bool:
        return bool(pg_sql(self.primary, "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")[0])

    def replay_paused(self, paused: bool) -> None:
        pg_sql(self.replica, "SELECT pg_wal_replay_pause()" if paused else "SELECT pg_wal_replay_resume()")
        if paused:  # pausing takes effect at the next record; wait until the replica says so
            assert bounded_until(lambda: pg_sql(self.replica, "SELECT pg_get_wal_replay_pause_state()")[0] == "paused")

    def caught_up(self) -> bool:
        """Waits (bounded) until the replica has replayed everything the primary has written so far."""
        target = pg_sql(self.primary, "SELECT pg_current_wal_lsn()::text")[0]
        return bool(bounded_until(lambda: pg_sql(
            self.replica, f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")[0], attempts=600, pause=0.05))

    def remove(self) -> None:
        self.replica.remove()
        self.primary.remove()


class ThrowawayRedis:
    """A private redis-server on a free loopback port (never the shared one on 6379), stoppable mid-run;
    `options` are added to its command line at every start (`"--maxmemory", "24mb"`)."""

    def __init__(self, *options: str):
        self.port = closed_port()
        self.dir = Path(tempfile.mkdtemp(prefix="ims-redis-"))
        self.options = options
        self._process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self._process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.dir), *self.options], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not bounded_until(self._answers, attempts=100, pause=0.05):
            raise RuntimeError("redis-server did not start")

    def _answers(self) -> bool:
        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.2).ping()
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=10)
            self._process = None

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="module")
def streaming_pair():
    """A primary and its streaming replica for the module's tests (each leaves both running and replaying)."""
    yield from _running(StreamingPair())


@pytest.fixture
def throwaway_redis():
    yield from _running(ThrowawayRedis())
