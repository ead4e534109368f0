"""Reading the audit trail of one site: its own events, plus the account events (sign-ins,
failures, lockouts, resets) that belong to no site of those members whose every site the reading
admin administers: a person's account trail is for the admins who answer for all of them. Never
another site's events."""
from __future__ import annotations

import json

import sqlalchemy as sa

from .. import audit
from ..audit import AuditEvent
from ..auth.models import User
from ..extensions import db
from ..paging import page_of
from ..sites import authority
from ..timeutil import iso_z
from ..unit_of_work import transaction

ACCOUNT_ACTIONS = ("login", "login_failed", "locked", "logout", "password_reset", "password_change",
                   "account_update", "email_change_request", "email_changed")
CSV_COLUMNS = ("occurred_at", "action", "user", "username", "entity_type", "entity_id", "changes", "client_ip")


def not_batched():
    """Events of one record written as part of a batch (an import, a bulk change) carry a `batch` key in
    their `changes`; the log lists the batch's own site-level event instead, and each record's history
    keeps them."""
    if db.session.get_bind().dialect.name == "postgresql":
        has_batch = AuditEvent.changes.op("?", is_comparison=True)("batch")
    else:
        has_batch = sa.func.json_type(AuditEvent.changes, "$.batch").is_not(None)
    return sa.or_(AuditEvent.changes.is_(None), sa.not_(has_batch))


def in_site(site_id: int, admin_id: int) -> sa.Select:
    """The base of every audit query: the site's events, and the site-less account events of the
    members `admin_id` answers for (see `authority.reachable_members`), without the events of each
    record of a batch (`not_batched`)."""
    members = authority.reachable_members(admin_id, site_id)
    return (
        sa.select(AuditEvent.id, AuditEvent.occurred_at, AuditEvent.action, AuditEvent.entity_type,
                  AuditEvent.entity_id, AuditEvent.changes, AuditEvent.client_ip, AuditEvent.user_id,
                  User.display_name, User.username)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .where(sa.or_(AuditEvent.site_id == site_id,
                      sa.and_(AuditEvent.site_id.is_(None), AuditEvent.action.in_(ACCOUNT_ACTIONS),
                              AuditEvent.user_id.in_(members))),
               not_batched())
    )


def filtered(site_id: int, admin_id: int, params: dict) -> sa.Select:
    query = in_site(site_id, admin_id)
    if params.get("user_id"):
        query = query.where(AuditEvent.user_id == params["user_id"])
    if params.get("action"):
        query = query.where(AuditEvent.action.in_(sorted(set(params["action"]))))
    if params.get("start_from"):
        query = query.where(AuditEvent.occurred_at >= params["start_from"][0])
    if params.get("start_to"):
        bound, exclusive = params["start_to"]
        query = query.where(AuditEvent.occurred_at < bound if exclusive else AuditEvent.occurred_at <= bound)
    return query.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())


def event_dict(row) -> dict:
    return {
        "id": row.id, "occurred_at": iso_z(row.occurred_at), "action": row.action,
        "user": {"id": row.user_id, "display_name": row.display_name} if row.user_id else None,
        "entity_type": row.entity_type, "entity_id": row.entity_id, "changes": row.changes,
        "client_ip": row.client_ip,
    }


def find(site_id: int, admin_id: int, params: dict) -> dict:
    return page_of(filtered(site_id, admin_id, params), params["page"], params["page_size"], event_dict)


def csv_rows(site_id: int, admin_id: int, params: dict):
    result = db.session.execute(filtered(site_id, admin_id, params).execution_options(yield_per=500))
    for row in result:
        yield (iso_z(row.occurred_at), row.action, row.display_name or "", row.username or "",
               row.entity_type or "", row.entity_id if row.entity_id is not None else "",
               json.dumps(row.changes, ensure_ascii=False, sort_keys=True) if row.changes else "",
               row.client_ip or "")


@transaction
def record_export(site_id: int, user_id: int, params: dict) -> None:
    """Exporting the log is itself an event of the log."""
    filters = {k: (v[0].isoformat() if isinstance(v, tuple) else v) for k, v in params.items() if v}
    audit.record("export", user_id=user_id, site_id=site_id, entity_type="audit_log", changes=filters or None)
