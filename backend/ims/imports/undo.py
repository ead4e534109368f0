"""Undo an import: its records, as they are now, moved to the deleted records (restorable one by one like
any delete), each with a delete event in its history that the audit log's list leaves out."""
from __future__ import annotations

import sqlalchemy as sa

from ..audit import AuditEvent
from ..extensions import db
from ..interactions import queries, trash
from ..interactions.fields import EDITABLE_FIELDS
from ..interactions.models import Interaction
from ..sites import generation
from ..timeutil import iso_z, utcnow
from .models import Import, ImportRow

CHUNK = 1000


def remove_records(imp: Import, user_id: int) -> tuple[int, int]:
    """(removed, already gone) of the import's records, in the caller's transaction."""
    ids = list(db.session.execute(sa.select(ImportRow.interaction_id).where(
        ImportRow.import_id == imp.id, ImportRow.outcome == "imported").order_by(ImportRow.row)).scalars())
    snapshots = []
    columns = [getattr(Interaction, name) for name in EDITABLE_FIELDS]
    for offset in range(0, len(ids), CHUNK):
        query = queries.in_site(imp.site_id, Interaction.id, *columns).where(
            Interaction.id.in_(ids[offset:offset + CHUNK])).with_for_update()
        snapshots += db.session.execute(query).all()
    now = utcnow()
    present = [row.id for row in snapshots]
    trash.move_many_to_deleted(imp.site_id, present, user_id, now)
    marker = {"source": "import_undo", "import_id": imp.id, "batch": {"kind": "import_undo", "id": imp.id}}
    events = [{"occurred_at": now, "user_id": user_id, "site_id": imp.site_id, "action": "delete",
               "entity_type": "interaction", "entity_id": row.id, "client_ip": None,
               "changes": {**{name: _plain(getattr(row, name)) for name in EDITABLE_FIELDS}, **marker}}
              for row in snapshots]
    for offset in range(0, len(events), CHUNK):
        db.session.execute(sa.insert(AuditEvent.__table__), events[offset:offset + CHUNK])
    if present:
        generation.bump(imp.site_id)
    return len(present), len(ids) - len(present)


def _plain(value):
    return iso_z(value) if hasattr(value, "tzinfo") else value
