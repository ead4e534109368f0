"""Where the server's time goes during a phase of a scenario.

- `AccessLog`: the API's own access lines (`duration_ms` from its first hook to its last) in the
  server's log between two marks: the time requests spent inside the app.
- `Statements`: `pg_stat_statements` snapshots of the benchmark database, diffed: the time PostgreSQL
  spent executing the app's statements, and the statements that took most of it. The production-like
  cluster preloads the extension; on a server without it the report says so.
- `categories`: py-spy's raw stacks of the workers, each sample put in one category by its innermost
  recognised frame (waiting for PostgreSQL, Redis, writing the answer, compression, …).

App time minus PostgreSQL time is the Python share (with Redis round trips and waits for the GIL); the
client's latency minus the app time is what the request spent before the app saw it (gunicorn's queue).
"""
from __future__ import annotations

import collections
import glob
import json
import os

import psycopg

SNAPSHOT = """SELECT queryid, calls, total_exec_time, query FROM pg_stat_statements
              WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"""


class AccessLog:
    def __init__(self, path: str):
        self.path = path

    def mark(self) -> int:
        return os.path.getsize(self.path) if os.path.exists(self.path) else 0

    def between(self, start: int, end: int) -> dict:
        """Requests the app logged between two marks: count and the sum of their durations."""
        count, total = 0, 0.0
        with open(self.path, "rb") as handle:
            handle.seek(start)
            for line in handle.read(max(0, end - start)).splitlines():
                if b'"ims.access"' not in line:
                    continue
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                count += 1
                total += float(entry.get("duration_ms") or 0)
        return {"requests": count, "app_ms": round(total, 1)}


class Statements:
    """Snapshots of pg_stat_statements for one database; `available` is False when the server has not
    loaded the extension (the shared test server)."""

    def __init__(self, dsn: str):
        self.dsn = dsn
        self.available, self.reason = True, ""
        try:
            with psycopg.connect(dsn, autocommit=True) as conn:
                conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
                conn.execute(SNAPSHOT).fetchone()
        except psycopg.Error as exc:
            self.available, self.reason = False, str(exc).strip().splitlines()[0]

    def snapshot(self) -> dict:
        if not self.available:
            return {}
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            return {row[0]: row[1:] for row in conn.execute(SNAPSHOT).fetchall()}


def statements_between(before: dict, after: dict, top: int = 8) -> dict:
    """PostgreSQL's execution time between two snapshots, and the statements that took most of it."""
    rows = []
    for queryid, (calls, total, query) in after.items():
        calls0, total0, _ = before.get(queryid, (0, 0.0, ""))
        if calls > calls0:
            rows.append({"calls": calls - calls0, "total_ms": round(total - total0, 1),
                         "mean_ms": round((total - total0) / (calls - calls0), 2),
                         "statement": " ".join(query.split())[:240]})
    rows.sort(key=lambda r: r["total_ms"], reverse=True)
    return {"db_ms": round(sum(r["total_ms"] for r in rows), 1), "calls": sum(r["calls"] for r in rows),
            "top": rows[:top]}


def split(client_ms: float, app: dict, statements: dict | None) -> dict:
    """Client latency = before the app (queue) + Python (app minus PostgreSQL) + PostgreSQL."""
    app_ms = app["app_ms"]
    out = {"client_ms": round(client_ms, 1), "app_ms": app_ms, "queue_ms": round(max(0.0, client_ms - app_ms), 1),
           "app_requests": app["requests"]}
    if statements is not None:
        db_ms = statements["db_ms"]
        out.update(db_ms=db_ms, python_ms=round(max(0.0, app_ms - db_ms), 1),
                   db_share=round(db_ms / app_ms, 3) if app_ms else None, statements=statements["top"])
    return out


# innermost frame first wins: (category, markers any of which names the frame)
CATEGORIES = (
    ("password hashing (sign-in)", ("(argon2/",)),
    ("PostgreSQL (waiting in the driver)", ("do_execute (sqlalchemy", "do_executemany (sqlalchemy", "psycopg2",
                                            "do_rollback (sqlalchemy", "do_commit (sqlalchemy",
                                            "fetchall (sqlalchemy/engine/cursor")),
    ("Redis round trips", ("(redis/",)),
    ("connection pool", ("(sqlalchemy/pool/",)),
    ("SQL compilation (statement cache misses)", ("(sqlalchemy/sql/compiler.py",)),
    ("SQLAlchemy (statements, ORM, rows)", ("(sqlalchemy/",)),
    ("compression", ("(flask_compress/", "(gzip.py", "(brotli")),
    ("writing the answer (gunicorn)", ("(gunicorn/http/wsgi.py", "write (gunicorn/util.py")),
    ("reading the request (gunicorn)", ("(gunicorn/http/",)),
    ("logging", ("(logging/",)),
    ("query/body parsing (webargs, marshmallow)", ("(webargs/", "(marshmallow/", "(flask_smorest/")),
    ("token check", ("(jose/", "(ims/auth/tokens.py")),
    ("rate limits", ("(flask_limiter/", "(limits/")),
    ("Finder: queries and rows (ims)", ("(ims/interactions/queries.py", "(ims/interactions/filters.py")),
    ("Flask and Werkzeug", ("(flask/", "(werkzeug/")),
)
IDLE = ("wait (threading.py", "select (selectors.py", "sleep (gunicorn", "run_for_one", "_worker (concurrent",
        "ThreadWorker.run (gunicorn", "ThreadWorker.wait_for_and_dispatch")


def categories(pattern: str) -> dict[str, float]:
    """Share of busy samples per category over the py-spy raw files matching `pattern`."""
    counts, total = collections.Counter(), 0
    for path in glob.glob(pattern):
        for line in open(path):
            stack, _, count = line.rstrip().rpartition(" ")
            if not count.isdigit():
                continue
            if "handle (gunicorn" not in stack and any(idle in stack for idle in IDLE):
                continue
            frames = stack.split(";")
            found = next((name for frame in reversed(frames) for name, markers in CATEGORIES
                          if any(marker in frame for marker in markers)), "other Python")
            counts[found] += int(count)
            total += int(count)
    return {name: round(n / total, 3) for name, n in counts.most_common()} if total else {}
