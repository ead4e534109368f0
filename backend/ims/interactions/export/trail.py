"""The audit trail of an export: who took which query's rows away, and how many rows left."""
from __future__ import annotations

import json
import logging

import sqlalchemy as sa
from flask import request
from sqlalchemy.exc import SQLAlchemyError

from ...audit import AuditEvent
from ...extensions import db
from ...unit_of_work import transaction

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


@transaction
def _open_event(user_id: int, site_id: int, recorded: dict) -> int:
    event = AuditEvent(action="export", user_id=user_id, site_id=site_id, entity_type="interaction",
                       changes={"query": recorded, "rows": None, "completed": False}, client_ip=request.remote_addr)
    db.session.add(event)
    db.session.flush()
    return event.id


@transaction
def _complete_event(event_id: int, recorded: dict, rows: int, completed: bool) -> None:
    db.session.execute(sa.update(AuditEvent).where(AuditEvent.id == event_id).values(
        changes={"query": recorded, "rows": rows, "completed": completed}))


def audited(chunks, *, user_id: int, site_id: int, query: dict):
    """Pass the file through and leave an `export` audit event: written before the first byte (so even a
    crash leaves a trace), completed with the row count when the stream ends or the client goes away."""
    recorded = _as_json(query)
    event_id = _open_event(user_id, site_id, recorded)
    counter, completed = RowCounter(), False
    try:
        for chunk in chunks:
            counter.feed(chunk)
            yield chunk
        completed = True
    finally:
        try:
            _complete_event(event_id, recorded, counter.records, completed)
        except SQLAlchemyError as exc:
            log.warning("could not complete export audit event %s: %s", event_id, type(exc).__name__)
