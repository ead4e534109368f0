"""The audit trail of an export: who took which query's rows away, and how many rows left."""
from __future__ import annotations

import json
import logging

import sqlalchemy as sa
from flask import request
from sqlalchemy.exc import SQLAlchemyError

from ...audit import AuditEvent
from ...extensions import db

log = logging.getLogger(__name__)


def _as_json(query: dict) -> dict:
    """The query as the event stores it (`FinderQuery.filters()`): plain JSON values, dates as ISO strings."""
    return json.loads(json.dumps(query, default=str))


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


def audited(chunks, *, user_id: int, site_id: int, query: dict):
    """Pass the file through and leave an `export` audit event: written before the first byte (so even a
    crash leaves a trace), completed with the row count when the stream ends or the client goes away."""
    recorded = _as_json(query)
    event = AuditEvent(action="export", user_id=user_id, site_id=site_id, entity_type="interaction",
                       changes={"query": recorded, "rows": None, "completed": False}, client_ip=request.remote_addr)
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
                changes={"query": recorded, "rows": counter.records, "completed": completed}))
            db.session.commit()
        except SQLAlchemyError as exc:
            db.session.rollback()
            log.warning("could not complete export audit event %s: %s", event_id, type(exc).__name__)
