"""The versions of an interaction, rebuilt from its audit trail, restoring an earlier one, and
forgetting them all when the record is purged.

Each update event holds the fields it changed (from → to). Walking back from the current record
and undoing one event at a time gives every earlier version in full, so nothing beyond the audit
trail needs storing. Records created before the trail existed end in one reconstructed first version.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from ..audit import AuditEvent
from ..auth.models import User
from ..auth.principal import Principal
from ..errors import NotFound, UnprocessableEntity
from ..extensions import db
from ..timeutil import iso_z
from ..unit_of_work import transaction
from . import queries, service
from .fields import DATETIME_FIELDS, EDITABLE_FIELDS

VERSIONED = ("update", "restore")
MARKERS = ("delete", "undelete")
# What a purged record's events keep of their `changes`: the fact, not the content.
PURGED = {"purged": True}


def _events(site_id: int, interaction_id: int):
    return db.session.execute(
        sa.select(AuditEvent.action, AuditEvent.occurred_at, AuditEvent.changes, AuditEvent.user_id,
                  User.display_name)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .where(AuditEvent.entity_type == "interaction", AuditEvent.entity_id == interaction_id,
               AuditEvent.site_id == site_id, AuditEvent.action.in_(("create", *VERSIONED, *MARKERS)))
        .order_by(AuditEvent.id.desc())
    ).all()


def _field_changes(changes: dict | None) -> dict:
    return {k: v for k, v in (changes or {}).items()
            if k in EDITABLE_FIELDS and isinstance(v, dict) and "from" in v and "to" in v}


def _entry(version, event, changes, snapshot, **extra) -> dict:
    user = {"id": event.user_id, "display_name": event.display_name} if event.user_id else None
    return {"version": version, "action": event.action, "occurred_at": iso_z(event.occurred_at), "user": user,
            "changes": changes, "snapshot": snapshot, "restored_from": None, **extra}


def history(site_id: int, interaction_id: int) -> list[dict]:
    """Newest first: each version with who, when, what changed, and the full record as it was."""
    current = queries.fetch_one(site_id, interaction_id)
    if current is None:
        raise NotFound("No such interaction in this site.")
    state = {name: current[name] for name in EDITABLE_FIELDS}
    version = current["version"]
    entries = []
    for event in _events(site_id, interaction_id):
        if version < 1:
            break
        if event.action in MARKERS:
            entries.append(_entry(version, event, {}, None))
        elif event.action in VERSIONED:
            changes = _field_changes(event.changes)
            restored = (event.changes or {}).get("restored_from")
            entries.append(_entry(version, event, changes, dict(state),
                                  restored_from=restored if isinstance(restored, int) else None))
            state.update({name: change["from"] for name, change in changes.items()})
            version -= 1
        else:  # create
            entries.append(_entry(version, event, {}, dict(state)))
            version = 0
    if version >= 1:
        creator = current["created_by"]
        entries.append({"version": version, "action": "create", "occurred_at": current["created_at"],
                        "user": creator, "changes": {}, "snapshot": dict(state), "restored_from": None})
    return entries


@transaction
def restore_version(site_id: int, principal: Principal, interaction_id: int, target: int,
                    expected_version: int | None) -> dict:
    """Make an earlier version the newest one; a stale `expected_version` is a 409 like any edit. One
    unit of work: the history is read and the update (which joins it) written in one transaction."""
    snapshot = next((e["snapshot"] for e in history(site_id, interaction_id)
                     if e["version"] == target and e["snapshot"] is not None), None)
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
