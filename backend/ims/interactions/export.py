"""CSV export of a Finder query: streamed, spreadsheet-friendly and safe to open."""
from __future__ import annotations

import csv
import io
import json
import logging
import re

import sqlalchemy as sa
from flask import request
from sqlalchemy.exc import SQLAlchemyError

from ..audit import AuditEvent
from ..extensions import db

from ..timeutil import iso_z, utcnow

COLUMNS = ("id", "title", "type", "lead", "start_datetime", "end_datetime", "timezone", "location",
           "description", "notes", "created_by", "created_at", "updated_by", "updated_at", "version")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BATCH = 500

log = logging.getLogger(__name__)


def neutralise(value: str) -> str:
    """A leading = + - @ would make a spreadsheet evaluate the cell; a quote keeps it text."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _cells(row) -> list:
    values = {
        "id": row.id, "title": row.title, "type": row.type, "lead": row.lead,
        "start_datetime": iso_z(row.start_datetime), "end_datetime": iso_z(row.end_datetime),
        "timezone": row.timezone, "location": row.location or "", "description": row.description or "",
        "notes": row.notes or "", "created_by": row.created_by_name or "", "created_at": iso_z(row.created_at),
        "updated_by": row.updated_by_name or "", "updated_at": iso_z(row.updated_at), "version": row.version,
    }
    return [neutralise(v) if isinstance(v, str) else v for v in (values[c] for c in COLUMNS)]


def csv_chunks(rows):
    """Yield the file in chunks: a BOM (so spreadsheets read UTF-8), the header, then rows in batches."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(COLUMNS)
    for count, row in enumerate(rows, 1):
        writer.writerow(_cells(row))
        if count % BATCH == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def filename_for(site_name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", site_name.lower()).strip("-") or "site"
    return f"interactions-{slug}-{utcnow().date().isoformat()}.csv"


class RowCounter:
    """Counts CSV records in a byte stream: line ends outside quoted fields (a quoted field may hold line
    breaks; quotes inside one are doubled, so quote parity says whether a line end is inside)."""

    def __init__(self):
        self.line_ends = 0
        self._in_quotes = False

    def feed(self, chunk: bytes) -> None:
        for index, segment in enumerate(chunk.split(b'"')):
            if index:
                self._in_quotes = not self._in_quotes
            if not self._in_quotes:
                self.line_ends += segment.count(b"\n")

    @property
    def records(self) -> int:
        return max(0, self.line_ends - 1)  # without the header


def audited(chunks, *, user_id: int, site_id: int, params: dict):
    """Pass the file through and leave an `export` audit event: written before the first byte (so even a
    crash leaves a trace), completed with the row count when the stream ends or the client goes away."""
    query = json.loads(json.dumps(params, default=str))
    event = AuditEvent(action="export", user_id=user_id, site_id=site_id, entity_type="interaction",
                       changes={"query": query, "rows": None, "completed": False}, client_ip=request.remote_addr)
    db.session.add(event)
    db.session.commit()
    event_id, counter, completed = event.id, RowCounter(), False
    try:
        for chunk in chunks:
            counter.feed(chunk)
            yield chunk
        completed = True
    finally:
        try:
            db.session.execute(sa.update(AuditEvent).where(AuditEvent.id == event_id).values(
                changes={"query": query, "rows": counter.records, "completed": completed}))
            db.session.commit()
        except SQLAlchemyError as exc:
            db.session.rollback()
            log.warning("could not complete export audit event %s: %s", event_id, type(exc).__name__)
