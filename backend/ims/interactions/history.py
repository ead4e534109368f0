"""The versions of an interaction, a page at a time from its audit trail, restoring an earlier one, and
forgetting them all when the record is purged.

Each update event holds the fields it changed (from → to), and a version is shown as exactly that
change, never as the whole record: an entry costs what its edit changed. On a page, a long text
(fields.LONG_TEXTS) longer than EXCERPT_CHARS is cut to an excerpt that starts just before its first
difference (the change says `truncated`); the entry's own address answers it whole. So a page is bounded whatever the
record's past: at most MAX_PAGE_SIZE entries of at most twice the short fields and 2 × EXCERPT_CHARS
per long text; one entry at most twice every field's maximum length.

A page reads the record, the page's own events (by id, newest first) and one count over the record's
trail; it never reads the changes of events outside the page. A version's number is 1 plus the
versioned events up to its own. Records created before the trail existed end in one reconstructed
first version, with no changes to show.
"""
from __future__ import annotations

import os.path
from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa

from ..audit import AuditEvent
from ..auth.models import User
from ..auth.principal import Principal
from ..errors import UnprocessableEntity, get_or_404
from ..extensions import db
from ..paging import envelope
from ..timeutil import iso_z
from ..unit_of_work import transaction
from . import queries, service
from .fields import DATETIME_FIELDS, EDITABLE_FIELDS, LONG_TEXTS

VERSIONED = ("update", "restore")
MARKERS = ("delete", "undelete")
HISTORY_ACTIONS = ("create", *VERSIONED, *MARKERS)

MAX_PAGE_SIZE = 20
EXCERPT_CHARS = 300  # of a long text (fields.LONG_TEXTS) on a page; other fields are always whole
CONTEXT_CHARS = 60  # unchanged text an excerpt keeps before the first difference

# What a purged record's events keep of their `changes`: the fact, not the content.
PURGED = {"purged": True}


def _trail(site_id: int, interaction_id: int, *columns) -> sa.Select:
    """The record's history events (served by the (entity_type, entity_id, id) index)."""
    return sa.select(*columns).where(
        AuditEvent.entity_type == "interaction", AuditEvent.entity_id == interaction_id,
        AuditEvent.site_id == site_id, AuditEvent.action.in_(HISTORY_ACTIONS))


def _current(site_id: int, interaction_id: int) -> dict:
    return get_or_404(queries.fetch_one(site_id, interaction_id), queries.NO_INTERACTION)


def _field_changes(changes: dict | None) -> dict:
    return {k: v for k, v in (changes or {}).items()
            if k in EDITABLE_FIELDS and isinstance(v, dict) and "from" in v and "to" in v}


def _whole(change: dict) -> dict:
    return {"from": change["from"], "to": change["to"], "truncated": False}


def _excerpt(change: dict) -> dict:
    """A long text's change as two excerpts from the same offset, starting just before they differ."""
    old, new = change["from"], change["to"]
    texts = [value for value in (old, new) if isinstance(value, str)]
    if max(map(len, texts), default=0) <= EXCERPT_CHARS:
        return _whole(change)
    start = max(0, len(os.path.commonprefix(texts)) - CONTEXT_CHARS) if len(texts) == 2 else 0

    def cut(value):
        return value[start:start + EXCERPT_CHARS] if isinstance(value, str) else value

    return {"from": cut(old), "to": cut(new), "truncated": True, "offset": start,
            "from_length": len(old) if isinstance(old, str) else 0,
            "to_length": len(new) if isinstance(new, str) else 0}


def _entry(row, version: int, shown) -> dict:
    changes = _field_changes(row.changes) if row.action in VERSIONED else {}
    restored = (row.changes or {}).get("restored_from") if row.action == "restore" else None
    return {"id": row.id, "version": version, "action": row.action, "occurred_at": iso_z(row.occurred_at),
            "user": {"id": row.user_id, "display_name": row.display_name} if row.user_id else None,
            "changes": {name: shown(change) if name in LONG_TEXTS else _whole(change)
                        for name, change in changes.items()},
            "restored_from": restored if isinstance(restored, int) else None}


def _events(site_id: int, interaction_id: int) -> sa.Select:
    return (_trail(site_id, interaction_id, AuditEvent.id, AuditEvent.action, AuditEvent.occurred_at,
                   AuditEvent.changes, AuditEvent.user_id, User.display_name)
            .outerjoin(User, User.id == AuditEvent.user_id)
            .order_by(AuditEvent.id.desc()))


class Tally(NamedTuple):
    events: int
    versions: int  # update and restore events
    creates: int
    versions_until: int  # versions up to and including the event asked about
    first: int  # the number of the first version: 1, or what the trail leaves for one older than it

    @property
    def reconstructed(self) -> bool:
        """Whether the record is older than its trail: its first version has no event of its own."""
        return not self.creates and self.first >= 1


def _tally(site_id: int, interaction_id: int, current: dict, until_id: int) -> Tally:
    """One pass over the trail's short columns. Numbers count up from the first version, so an edit
    saved while the page is read cannot shift them (one record's events are in version order: its
    writers queue on the row)."""
    versioned = AuditEvent.action.in_(VERSIONED)
    events, versions, creates, until = db.session.execute(_trail(
        site_id, interaction_id, sa.func.count(), sa.func.count(sa.case((versioned, 1))),
        sa.func.count(sa.case((AuditEvent.action == "create", 1))),
        sa.func.count(sa.case((sa.and_(versioned, AuditEvent.id <= until_id), 1))),
    )).one()
    return Tally(events, versions, creates, until, 1 if creates else current["version"] - versions)


def _reconstructed_first(current: dict, version: int) -> dict:
    """The first version of a record older than its trail: when and by whom, nothing to compare."""
    return {"id": None, "version": version, "action": "create", "occurred_at": current["created_at"],
            "user": current["created_by"], "changes": {}, "restored_from": None}


def page(site_id: int, interaction_id: int, page_number: int, page_size: int) -> dict:
    """Newest first: each version (and delete, undelete) with who, when and which fields changed, long
    texts as excerpts; the page envelope of every list."""
    current = _current(site_id, interaction_id)
    offset = (page_number - 1) * page_size
    rows = db.session.execute(_events(site_id, interaction_id).limit(page_size).offset(offset)).all()
    tally = _tally(site_id, interaction_id, current, rows[0].id if rows else 0)
    version = tally.first + tally.versions_until
    items = []
    for row in rows:
        items.append(_entry(row, version, _excerpt))
        version -= row.action in VERSIONED
    if tally.reconstructed and offset <= tally.events < offset + page_size:
        items.append(_reconstructed_first(current, tally.first))
    return envelope(items, page_number, page_size, tally.events + tally.reconstructed)


def entry(site_id: int, interaction_id: int, entry_id: int) -> dict:
    """One entry of the history with its texts whole (what a page shows as an excerpt)."""
    current = _current(site_id, interaction_id)
    row = get_or_404(db.session.execute(_events(site_id, interaction_id).where(AuditEvent.id == entry_id)).first(),
                     "No such entry in this interaction's history.")
    tally = _tally(site_id, interaction_id, current, entry_id)
    return _entry(row, tally.first + tally.versions_until, _whole)


def _snapshot(site_id: int, interaction_id: int, target: int) -> dict | None:
    """Every field as it was in version `target`: the current record with the versions after it undone,
    reading only their events (the newest first, as a stream)."""
    current = _current(site_id, interaction_id)
    undo = current["version"] - target
    if target < 1 or undo < 0:
        return None
    state = {name: current[name] for name in EDITABLE_FIELDS}
    undone = 0
    if undo:
        changes = db.session.execute(
            _trail(site_id, interaction_id, AuditEvent.changes).where(AuditEvent.action.in_(VERSIONED))
            .order_by(AuditEvent.id.desc()).limit(undo).execution_options(yield_per=50)).scalars()
        for change in changes:
            state.update({name: field["from"] for name, field in _field_changes(change).items()})
            undone += 1
    return state if undone == undo else None  # fewer: the version is older than the trail


@transaction
def restore_version(site_id: int, principal: Principal, interaction_id: int, target: int,
                    expected_version: int | None) -> dict:
    """Make an earlier version the newest one; a stale `expected_version` is a 409 like any edit. One
    unit of work: the earlier version is read and the update (which joins it) written in one transaction."""
    snapshot = _snapshot(site_id, interaction_id, target)
    if snapshot is None:
        raise UnprocessableEntity(details={"restore_version": ["This interaction has no such version."]})
    data = {name: datetime.fromisoformat(value.replace("Z", "+00:00")) if name in DATETIME_FIELDS else value
            for name, value in snapshot.items()}
    return service.update(site_id, principal, interaction_id, data, expected_version,
                          action="restore", note={"restored_from": target})


def forget(site_id: int, interaction_ids: list[int]) -> None:
    """Drop the content (fields, from → to, snapshots) from every audit event of these purged records, in
    the caller's unit of work; each event keeps its action, user, time and address."""
    if interaction_ids:
        db.session.execute(sa.update(AuditEvent).where(
            AuditEvent.entity_type == "interaction", AuditEvent.site_id == site_id,
            AuditEvent.entity_id.in_(interaction_ids)).values(changes=PURGED))
