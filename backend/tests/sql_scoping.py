"""Site scoping checked on the SQL actually sent: while the API serves a request in a site, every
statement that touches `interactions` or `deleted_interactions` must name that site, bound as a
parameter (`interactions.site_id = %(site_id_1)s` with the request's site id, or the site id of the
rows it inserts). `conftest.py` watches every engine during every test that uses the app (the read
replica's too: the watch listens on the Engine class) and fails the test that sent one that does not.

Only statements sent while serving a request are checked: migrations, the purge job (`flask purge`,
every site by design), maintenance and the tests' own fixtures run outside one and are not the API's
answer to a caller. The PostgreSQL export runs its SELECT through `COPY` on the raw connection, which
SQLAlchemy does not see; `check` is public so its compiled statement can be checked too.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import g, has_request_context

SCOPED_TABLES = ("interactions", "deleted_interactions")
TOUCHES = re.compile(r"\b(deleted_interactions|interactions)\b")
# `<table or its alias>.site_id = <bound parameter>`, as SQLAlchemy renders a bound predicate for
# psycopg2 (`%(name)s`) or SQLite (`?`, positional)
PREDICATE = re.compile(r"\b(\w+)\.site_id\s*=\s*(?:%\((\w+)\)s|(\?))")
INSERT = re.compile(r"^\s*INSERT INTO (\w+) \(([^)]*)\) (VALUES|SELECT)", re.IGNORECASE)
ALIAS = re.compile(r"\b(deleted_interactions|interactions) AS (\w+)\b")


def check(sql: str, parameters, site_id: int | None) -> str | None:
    """Why `sql` is not scoped to `site_id`, or None when every scoped table it touches is."""
    touched = set(TOUCHES.findall(sql))
    if not touched:
        return None
    if site_id is None:
        return f"touches {sorted(touched)} while serving a request that entered no site"
    rows = parameters if isinstance(parameters, list) else [parameters]
    scoped = _scoped_by_predicate(sql, rows, site_id)
    scoped |= _scoped_insert(sql, rows, site_id, scoped)
    missing = touched - scoped
    if missing:
        return f"no predicate binding site_id to {site_id} for {sorted(missing)}"
    return None


def _bound(row, name: str | None, position: int):
    if isinstance(row, dict):
        return row.get(name)
    return row[position] if name is None and position < len(row) else None


def _scoped_by_predicate(sql: str, rows: list, site_id: int) -> set[str]:
    aliases = {alias: table for table, alias in ALIAS.findall(sql)}
    scoped = set()
    for found in PREDICATE.finditer(sql):
        qualifier, name = found.group(1), found.group(2)
        position = sql.count("?", 0, found.start(3)) if found.group(3) else -1
        table = aliases.get(qualifier, qualifier)
        if table in SCOPED_TABLES and rows and all(_bound(row, name, position) == site_id for row in rows):
            scoped.add(table)
    return scoped


def _scoped_insert(sql: str, rows: list, site_id: int, scoped: set[str]) -> set[str]:
    """An INSERT … VALUES names the site of each row it writes; an INSERT … SELECT writes only what a
    scoped SELECT of the other table reads."""
    found = INSERT.match(sql)
    if not found:
        return set()
    target, columns, form = found.group(1), [c.strip() for c in found.group(2).split(",")], found.group(3).upper()
    if form == "SELECT":
        sources = set(TOUCHES.findall(sql[found.end():]))
        return {target} if sources and sources <= scoped else set()
    if "site_id" in columns and rows and all(_bound(row, "site_id", columns.index("site_id")) == site_id
                                             for row in rows):
        return {target}
    return set()


@dataclass
class Watch:
    """The statements a test's requests sent unscoped."""

    unscoped: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def before_cursor_execute(self, _conn, _cursor, statement, parameters, _context, _executemany) -> None:
        if not has_request_context():
            return
        site = g.get("site")
        problem = check(statement, parameters, site.site_id if site is not None else None)
        if problem:
            with self.lock:
                self.unscoped.append(f"{problem}:\n    {statement}\n    {parameters!r}")

    def __enter__(self) -> "Watch":
        sa.event.listen(sa.engine.Engine, "before_cursor_execute", self.before_cursor_execute)
        return self

    def __exit__(self, *exc) -> None:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", self.before_cursor_execute)
