"""Stale derived columns computed again before a site is read.

During a blue-green deploy the previous release serves on the new schema (and again after a
rollback). Its writes store the fields but not this release's search text, gram bitmap and sort
keys: on PostgreSQL the trigger of migration 0014 marks each such row stale (`keys_digest` NULL, see
search_keys). Before the Finder or an export reads a site, `refresh_site` computes those rows' derived
columns in Python and stores them, in one unit of work of its own, so the answer already holds them.
With no stale row this is one probe of a partial index that holds only stale rows. A read on the
replica that finds stale rows there goes to the primary instead (`read_replica.NotOnReplica`).

Each row's UPDATE stores the digest of the fields it was computed from; if the previous release
changed the row meanwhile, the trigger sees fields that do not match and marks it stale again, for
the next read. SQLite serves one release only, so nothing there is ever stale.
"""
from __future__ import annotations

import sqlalchemy as sa

from .. import read_replica
from ..extensions import db
from ..unit_of_work import transaction
from .models import Interaction
from .search_keys import SOURCE_FIELDS, derived_columns

BATCH = 1000  # rows read and written per statement


def _stale(site_id: int, *columns) -> sa.Select:
    table = Interaction.__table__
    return sa.select(*columns).where(table.c.site_id == site_id, table.c.keys_digest.is_(None))


def refresh_site(site_id: int) -> int:
    """Computes again the derived columns of the site's stale rows; returns how many rows were
    written. Usually there are none, and the caller's session is left as it was (nothing committed)."""
    if db.session.execute(_stale(site_id, Interaction.__table__.c.id).limit(1)).first() is None:
        return 0
    if read_replica.routed() is not None:  # a replica cannot write: the primary refreshes, and answers
        raise read_replica.NotOnReplica("stale derived columns")
    return _refresh(site_id)


@transaction
def _refresh(site_id: int) -> int:
    """In id order, so two readers of the site lock its rows in the same order."""
    table = Interaction.__table__
    stale = _stale(site_id, table.c.id, *(table.c[name] for name in SOURCE_FIELDS)).order_by(table.c.id).limit(BATCH)
    update = sa.update(table).where(table.c.site_id == site_id, table.c.id == sa.bindparam("row_id"),
                                    table.c.keys_digest.is_(None))
    refreshed, last = 0, 0
    while rows := db.session.execute(stale.where(table.c.id > last)).mappings().all():
        db.session.execute(update, [{"row_id": row["id"], **derived_columns(dict(row))} for row in rows])
        refreshed, last = refreshed + len(rows), rows[-1]["id"]
    return refreshed
