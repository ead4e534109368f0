"""Signed-in principals cached in Redis: the user's row (every column but the password hash) with
its memberships, exactly as `principal.load_rows` read them, so a request whose principal is
cached needs no database at all.

Every change of a user, a membership or a site's name made through the ORM, object or bulk
statement, and every sign-out (`forget`), tombstones the affected principals after its commit
(see `cache_sync`): the next request reads them afresh. A tombstone also stops a request that
read the old rows just before the commit from caching them after it: rows read from the
database are stored only over exactly the value (nothing, or that tombstone) seen before
reading them.
"""
from __future__ import annotations

import hashlib
import uuid
from datetime import date, datetime

import orjson
import sqlalchemy as sa
from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from .. import cache_sync
from ..cache import Cache
from ..sites.models import Site, SiteMembership
from .models import User

TOMBSTONE_MARK = b"-"  # a tombstone is "-" and a unique suffix; cached rows are a JSON list
TOMBSTONE_SECONDS = 60
_WATCHED_TABLES = {"users", "site_memberships", "sites"}
_DATETIME_COLUMNS = {c.name for c in User.__table__.c if isinstance(c.type, sa.DateTime)}
_DATE_COLUMNS = {c.name for c in User.__table__.c if isinstance(c.type, sa.Date) and c.name not in _DATETIME_COLUMNS}


def key_for_user(user_id: int) -> str:
    return f"{{user:{user_id}}}:principal"


def key_for_subject(auth0_sub: str) -> str:
    return f"{{sub:{hashlib.sha256(auth0_sub.encode()).hexdigest()[:32]}}}:principal"


def keys_for(user_id: int | None, auth0_subs=()) -> list[str]:
    keys = [key_for_user(user_id)] if user_id is not None else []
    return keys + [key_for_subject(sub) for sub in auth0_subs if sub]


def encode(rows: list[dict]) -> bytes:
    return orjson.dumps(rows)


def decode(raw: bytes | None, columns: frozenset[str]) -> list[dict] | None:
    """The cached rows, or None for a miss, a tombstone, or rows of other `columns` (cached by a
    release whose users table differed: reading them afresh lets a new column reach the principal)."""
    if raw is None or raw.startswith(TOMBSTONE_MARK):
        return None
    try:
        rows = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    if rows and rows[0].keys() != columns:
        return None
    for row in rows:
        for name in _DATETIME_COLUMNS & row.keys():
            if row[name] is not None:
                row[name] = datetime.fromisoformat(row[name])
        for name in _DATE_COLUMNS & row.keys():
            if row[name] is not None:
                row[name] = date.fromisoformat(row[name])
    return rows


def store(cache: Cache, key: str, seen: bytes | None, rows: list[dict]) -> None:
    """Cache rows just read from the database, unless a change tombstoned the key meanwhile."""
    cache.set_if_unchanged(key, seen, encode(rows), current_app.config["PRINCIPAL_CACHE_TTL_SECONDS"])


def is_tombstone(raw: bytes | None) -> bool:
    return raw is not None and raw.startswith(TOMBSTONE_MARK)


def _tombstone(key: str):
    def publication(cache: Cache) -> None:
        cache.set(key, TOMBSTONE_MARK + uuid.uuid4().hex.encode(), TOMBSTONE_SECONDS, strict=True)

    return cache_sync.keyed(publication, ("principal", key))


def _note_tombstones(session: Session, keys: list[str]) -> None:
    for key in sorted(set(keys)):
        cache_sync.note(session, _tombstone(key))


def forget(session: Session, user_id: int, auth0_sub: str | None = None) -> None:
    """Tombstone the user's cached principal after the session commits, for a change the listeners
    below do not see (a token signed out: `sessions.revoke`)."""
    _note_tombstones(session, keys_for(user_id, [auth0_sub]))


def _forget_everyone(cache: Cache) -> None:
    cache.delete_matching("{user:*}:principal")
    cache.delete_matching("{sub:*}:principal")


cache_sync.keyed(_forget_everyone, ("principal", "*"))


# ---------------------------------------------------------------- what a unit of work changed

def _history_values(obj, name: str) -> set:
    state = sa.inspect(obj)
    history = state.attrs[name].history
    values = set(history.added or ()) | set(history.deleted or ()) | set(history.unchanged or ())
    return {v for v in values if v is not None}


def _changed_keys(session: Session, connection) -> list[str]:
    keys: list[str] = []
    sites_renamed: set[int] = set()
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if obj in session.dirty and not session.is_modified(obj):
            continue
        if isinstance(obj, User):
            keys += keys_for(obj.id, _history_values(obj, "auth0_sub"))
        elif isinstance(obj, SiteMembership):
            keys += [key_for_user(uid) for uid in _history_values(obj, "user_id")]
        elif isinstance(obj, Site) and (obj in session.deleted or sa.inspect(obj).attrs.name.history.has_changes()):
            sites_renamed.add(obj.id)
    if sites_renamed:
        keys += _member_keys(connection, SiteMembership.site_id.in_(sites_renamed))
    return keys


def _member_keys(connection, condition) -> list[str]:
    users, memberships = User.__table__, SiteMembership.__table__
    rows = connection.execute(
        sa.select(users.c.id, users.c.auth0_sub).select_from(users.join(memberships)).where(condition)
    ).all()
    return [key for row in rows for key in keys_for(row.id, [row.auth0_sub])]


@event.listens_for(Session, "after_flush")
def _note_changes(session: Session, _context) -> None:
    keys = _changed_keys(session, session.connection())
    _note_tombstones(session, keys)


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_changes(state) -> None:
    """`update(User)…`, `delete(SiteMembership.__table__)…`, `insert(…)` run through the session,
    ORM-enabled or Core: note whom the statement touches."""
    statement = state.statement
    table = getattr(getattr(statement, "table", None), "name", None)
    if not (state.is_update or state.is_delete or state.is_insert) or table not in _WATCHED_TABLES:
        return
    if table == "sites" and state.is_update:
        values = getattr(statement, "_values", None) or {}
        if values and {getattr(c, "key", c) for c in values} <= {"data_version"}:
            return  # the Finder generation: no principal holds it
    where = getattr(statement, "whereclause", None)
    connection = state.session.connection()
    if state.is_insert or where is None:
        cache_sync.note(state.session, _forget_everyone)
        return
    users, memberships = User.__table__, SiteMembership.__table__
    if table == "users":
        rows = connection.execute(sa.select(users.c.id, users.c.auth0_sub).where(where)).all()
        keys = [key for row in rows for key in keys_for(row.id, [row.auth0_sub])]
    elif table == "site_memberships":
        keys = [key_for_user(uid) for uid in connection.execute(sa.select(memberships.c.user_id).where(where)).scalars()]
    else:
        site_ids = connection.execute(sa.select(Site.__table__.c.id).where(where)).scalars().all()
        keys = _member_keys(connection, memberships.c.site_id.in_(site_ids)) if site_ids else []
    _note_tombstones(state.session, keys)
