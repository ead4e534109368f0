"""Deleted interactions wait here, whole rows with the same id, until restored or purged.

A separate table rather than a flag: every Finder, export and count query reads `interactions`
and stays exactly as it is, with no `deleted_at IS NULL` to remember or to slow its indexes.
"""
from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from .models import Interaction
from .search_keys import DERIVED_COLUMNS, derived_columns

# The columns moved both ways: every column of interactions but those computed again on the way
# back (the search text is kept for the trash's own use). A field's migration adds its column to
# both tables.
MOVED_COLUMNS = tuple(column.name for column in Interaction.__table__.c
                      if column.name == "search_text" or column.name not in DERIVED_COLUMNS)

MOVE_CHUNK = 1000  # records per statement of a move of many

deleted_interactions = sa.Table(
    "deleted_interactions", db.metadata,
    *(Interaction.__table__.c[name]._copy() for name in MOVED_COLUMNS),
    sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("deleted_by", sa.ForeignKey("users.id", ondelete="SET NULL")),
    sa.Index("ix_deleted_interactions_site_deleted_at", "site_id", "deleted_at"),
)


def _row(table: sa.Table, site_id: int, interaction_id: int) -> tuple:
    """The predicate of one record of a site: by id and site, so a record of another site is never read
    or written whatever id a caller passes."""
    return table.c.id == interaction_id, table.c.site_id == site_id


def _move(source: sa.Table, target: sa.Table, site_id: int, interaction_id: int, extra: dict) -> None:
    _move_where(source, target, _row(source, site_id, interaction_id), extra)


def _move_where(source: sa.Table, target: sa.Table, where: tuple, extra: dict) -> None:
    columns = [source.c[name] for name in MOVED_COLUMNS]
    values = [sa.literal(v, type_=target.c[k].type).label(k) for k, v in extra.items()]
    db.session.execute(sa.insert(target).from_select([*MOVED_COLUMNS, *extra], sa.select(*columns, *values)
                                                     .where(*where)))
    db.session.execute(sa.delete(source).where(*where))


def move_to_deleted(site_id: int, interaction_id: int, user_id: int, now) -> None:
    """The whole row to deleted_interactions, in the caller's transaction (the caller has locked it)."""
    _move(Interaction.__table__, deleted_interactions, site_id, interaction_id,
          {"deleted_at": now, "deleted_by": user_id})


def move_many_to_deleted(site_id: int, interaction_ids: list[int], user_id: int, now) -> None:
    """Whole rows to deleted_interactions, as `move_to_deleted` moves one (an import's undo), in the
    caller's transaction."""
    table = Interaction.__table__
    for offset in range(0, len(interaction_ids), MOVE_CHUNK):
        chunk = interaction_ids[offset:offset + MOVE_CHUNK]
        _move_where(table, deleted_interactions, (table.c.id.in_(chunk), table.c.site_id == site_id),
                    {"deleted_at": now, "deleted_by": user_id})


def move_back(site_id: int, interaction_id: int) -> None:
    """The row back to interactions with its id and version, in the caller's transaction; the columns
    derived from its fields (search text and bitmap, sort keys) are computed again, not moved. A
    table-to-table move, not an ORM insert (which would start the version again at 1), so it
    computes them itself."""
    _move(deleted_interactions, Interaction.__table__, site_id, interaction_id, {})
    table = Interaction.__table__
    where = _row(table, site_id, interaction_id)
    row = db.session.execute(sa.select(table).where(*where)).mappings().one()
    db.session.execute(sa.update(table).where(*where).values(**derived_columns(dict(row))))
