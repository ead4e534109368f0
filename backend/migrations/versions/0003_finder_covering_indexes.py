"""Covering indexes for the Finder's filtered, sorted, deep pages.

Revision ID: 0003_finder_covering_indexes
Revises: 0002_finder_indexes

The Finder reads a page in two steps (ids of the page, then those rows; see
ims.interactions.queries). When the index that serves the filters also carries the
usual sort keys, the first step is an index-only scan: a type + date-range filter
sorted by lead or title at page 40 then sorts a few thousand index entries instead
of fetching as many 1 kB heap rows. The two indexes that serve type and date
filters are rebuilt with id (the tie-breaker) and INCLUDE (type, lead, title).
PostgreSQL only (INCLUDE); SQLite keeps the indexes of 0002.
"""
from alembic import op

revision = "0003_finder_covering_indexes"
down_revision = "0002_finder_indexes"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_interactions_site_type_start", "interactions")
    op.drop_index("ix_interactions_site_start_datetime", "interactions")
    op.execute("CREATE INDEX ix_interactions_site_type_start ON interactions "
               "(site_id, type, start_datetime, id) INCLUDE (lead, title)")
    op.execute("CREATE INDEX ix_interactions_site_start_datetime ON interactions "
               "(site_id, start_datetime, id) INCLUDE (type, lead, title)")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_interactions_site_type_start", "interactions")
    op.drop_index("ix_interactions_site_start_datetime", "interactions")
    op.create_index("ix_interactions_site_type_start", "interactions", ["site_id", "type", "start_datetime"])
    op.create_index("ix_interactions_site_start_datetime", "interactions", ["site_id", "start_datetime", "id"])
