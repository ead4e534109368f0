"""Deleted interactions: the Undo after a delete, the admins' "Recently deleted" list, and the purge
that ops schedule (`flask purge-deleted`), which removes a record's content everywhere: the row, and
every field value its audit events held (who, when and what action stay)."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from .. import audit
from ..auth.models import User
from ..auth.principal import Principal
from ..errors import Forbidden, get_or_404
from ..extensions import db
from ..paging import page_of
from ..timeutil import iso_z, utcnow
from ..unit_of_work import transaction
from . import history, queries
from .trash import deleted_interactions as trash
from .trash import move_back
from .service import record_write


def deleted_dict(row) -> dict:
    return {"id": row.id, "title": row.title, "type": row.type, "lead": row.lead,
            "start_datetime": iso_z(row.start_datetime), "timezone": row.timezone,
            "deleted_at": iso_z(row.deleted_at),
            "deleted_by": {"id": row.deleted_by, "display_name": row.display_name} if row.deleted_by else None}


def list_deleted(site_id: int, params: dict) -> dict:
    query = (sa.select(trash.c.id, trash.c.title, trash.c.type, trash.c.lead, trash.c.start_datetime,
                       trash.c.timezone, trash.c.deleted_at, trash.c.deleted_by, User.display_name)
             .outerjoin(User, User.id == trash.c.deleted_by)
             .where(trash.c.site_id == site_id)
             .order_by(trash.c.deleted_at.desc(), trash.c.id.desc()))
    return page_of(query, params["page"], params["page_size"], deleted_dict)


@transaction
def undelete(site_id: int, principal: Principal, role: str, interaction_id: int) -> dict:
    """Put a deleted record back, same id and version. Editors undo their own deletes; admins any."""
    row = get_or_404(db.session.execute(sa.select(trash.c.deleted_by).where(
        trash.c.id == interaction_id, trash.c.site_id == site_id).with_for_update()).first(),
        "No such deleted interaction in this site.")
    if role != "admin" and row.deleted_by != principal.user_id:
        raise Forbidden("Only administrators can restore records that someone else deleted.")
    move_back(site_id, interaction_id)
    record_write("undelete", site_id, principal.user_id, interaction_id)
    return queries.fetch_one(site_id, interaction_id)


@transaction
def purge(older_than_days: int) -> int:
    """Delete for good what was deleted more than `older_than_days` ago, with the content its audit events
    held; one audit event per site."""
    cutoff = utcnow() - timedelta(days=older_than_days)
    rows = db.session.execute(sa.delete(trash).where(trash.c.deleted_at < cutoff)
                              .returning(trash.c.id, trash.c.site_id)).all()
    by_site: dict[int, list[int]] = {}
    for row in rows:
        by_site.setdefault(row.site_id, []).append(row.id)
    for site_id, ids in sorted(by_site.items()):
        history.forget(site_id, ids)
        audit.record("purge", site_id=site_id, entity_type="interaction",
                     changes={"ids": sorted(ids), "older_than_days": older_than_days})
    return len(rows)
