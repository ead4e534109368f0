"""What the bulk action tests share: the selected rows as sent, a record and the audit events as stored now,
an "all matching" selection."""
from __future__ import annotations

import sqlalchemy as sa

from ims.audit import AuditEvent
from ims.extensions import db
from ims.interactions.models import Interaction


def versions_of(*records) -> list[dict]:
    return [{"id": r.id, "version": r.version} for r in records]


def row_of(record_id: int) -> Interaction:
    db.session.expire_all()
    return db.session.get(Interaction, record_id)


def events_of(action: str, **where) -> list[AuditEvent]:
    db.session.expire_all()
    return db.session.execute(sa.select(AuditEvent).filter_by(action=action, **where)
                              .order_by(AuditEvent.id)).scalars().all()


def select_all(client, headers, query: dict) -> dict:
    answer = client.post("/api/bulk/selection", json={"query": query}, headers=headers)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()
