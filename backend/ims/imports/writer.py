"""Writing one batch of an import: its records, their rows in import_rows and a create event each, in
the caller's transaction.

On PostgreSQL the batch's ids are reserved from the sequence in one statement and the three tables are
written with COPY on the session's own connection (so in its transaction, and every trigger and check
of the tables still runs): the ORM's multi-row INSERTs cost ~0.5 ms a record in Python and in the
parsing of the statement, COPY a few µs. Elsewhere (SQLite, `make run`) the same rows go through
executemany INSERTs."""
from __future__ import annotations

import io
import json
import re
from datetime import datetime

import sqlalchemy as sa

from ..audit import AuditEvent
from ..extensions import db
from ..interactions.models import Interaction
from ..interactions.search_keys import derived_columns
from ..timeutil import iso_z
from .models import ImportRow

RESERVE_IDS = sa.text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)")
EVENT_COLUMNS = ("occurred_at", "user_id", "site_id", "action", "entity_type", "entity_id", "client_ip", "changes")
ROW_COLUMNS = ("import_id", "row", "outcome", "interaction_id", "reason")


def _record(stored: dict, site_id: int, user_id: int, now: datetime) -> dict:
    """A record as the model would insert it: its fields, the derived columns, who and when, version 1."""
    return {**stored, **derived_columns(stored), "site_id": site_id, "created_at": now, "created_by": user_id,
            "updated_at": now, "updated_by": user_id, "version": 1}


def _event(stored: dict, new_id: int, site_id: int, user_id: int, marker: dict, now: datetime) -> dict:
    changes = {**{name: iso_z(value) if hasattr(value, "tzinfo") else value for name, value in stored.items()},
               **marker}
    return {"occurred_at": now, "user_id": user_id, "site_id": site_id, "action": "create",
            "entity_type": "interaction", "entity_id": new_id, "client_ip": None, "changes": changes}


def write(site_id: int, import_id: int, user_id: int, marker: dict, batch: list, now: datetime) -> list[int]:
    """Insert the batch's rows ((row number, fields as stored)) in file order; the new records' ids, in order."""
    if db.session.get_bind().dialect.name == "postgresql":
        return _copy(site_id, import_id, user_id, marker, batch, now)
    table = Interaction.__table__
    ids = db.session.execute(sa.insert(table).returning(table.c.id, sort_by_parameter_order=True),
                             [_record(stored, site_id, user_id, now) for _, stored in batch]).scalars().all()
    db.session.execute(sa.insert(ImportRow.__table__), [
        {"import_id": import_id, "row": number, "outcome": "imported", "interaction_id": new_id, "reason": None}
        for (number, _), new_id in zip(batch, ids)])
    db.session.execute(sa.insert(AuditEvent.__table__), [
        _event(stored, new_id, site_id, user_id, marker, now) for (_, stored), new_id in zip(batch, ids)])
    return ids


def _copy(site_id: int, import_id: int, user_id: int, marker: dict, batch: list, now: datetime) -> list[int]:
    ids = sorted(db.session.execute(RESERVE_IDS, {"table": "interactions", "n": len(batch)}).scalars())
    records = [{"id": new_id, **_record(stored, site_id, user_id, now)} for (_, stored), new_id in zip(batch, ids)]
    columns = tuple(records[0]) if records else ()
    cursor = db.session.connection().connection.dbapi_connection.cursor()
    try:
        _copy_into(cursor, "interactions", columns, ([record[name] for name in columns] for record in records))
        _copy_into(cursor, "import_rows", ROW_COLUMNS,
                   ([import_id, number, "imported", new_id, None] for (number, _), new_id in zip(batch, ids)))
        _copy_into(cursor, "audit_events", EVENT_COLUMNS, (
            [event[name] for name in EVENT_COLUMNS]
            for event in (_event(stored, new_id, site_id, user_id, marker, now)
                          for (_, stored), new_id in zip(batch, ids))))
    finally:
        cursor.close()
    return ids


def _copy_into(cursor, table: str, columns: tuple[str, ...], rows) -> None:
    body = "".join("\t".join(_cell(value) for value in values) + "\n" for values in rows)
    if body:
        cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", io.StringIO(body))


def _cell(value) -> str:
    """A value in COPY's text format: \\N for NULL, bytea as escaped hex, the separators escaped."""
    if value.__class__ is str:
        return value if _PLAIN(value) else _escaped(value)
    if value is None:
        return "\\N"
    if isinstance(value, bytes):
        return "\\\\x" + value.hex()
    if isinstance(value, datetime):
        text = value.isoformat()
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    return text if _PLAIN(text) else _escaped(text)


_PLAIN = re.compile(r"[^\\\t\n\r]*").fullmatch  # nothing COPY's text format escapes


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
