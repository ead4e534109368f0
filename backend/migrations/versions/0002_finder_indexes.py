"""Indexes that keep the Finder fast at a million interactions.

Revision ID: 0002_finder_indexes
Revises: 0001_initial

Every Finder query is scoped by site, so every index leads with site_id.

- The global search matches each word as a substring of `search_text` (the lower-cased
  title, type, lead, location, description and notes). A B-tree cannot serve
  `LIKE '%word%'`; a pg_trgm GIN index can, and with btree_gin the same index also
  carries site_id, so one bitmap scan answers "this site AND these words".
- lead / location / title substring filters get their own trigram indexes on lower(col).
- B-tree (site_id, <sort column>, id) indexes serve each sort key with the id
  tie-breaker, so ORDER BY … LIMIT on a site reads only the rows of the page;
  (site_id, type, start_datetime) serves the type filter with the default sort and
  date ranges.
PostgreSQL only for the trigram indexes; SQLite (the embedded default) gets the B-trees.
"""
from alembic import op

revision = "0002_finder_indexes"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

SORT_INDEXES = ("start_datetime", "end_datetime", "title", "lead", "type", "location", "timezone",
                "created_at", "updated_at")
TRIGRAM_COLUMNS = ("lead", "location", "title")


def upgrade():
    for column in SORT_INDEXES:
        op.create_index(f"ix_interactions_site_{column}", "interactions", ["site_id", column, "id"])
    op.create_index("ix_interactions_site_type_start", "interactions", ["site_id", "type", "start_datetime"])
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    op.execute("CREATE INDEX ix_interactions_search_trgm ON interactions "
               "USING gin (site_id, search_text gin_trgm_ops)")
    for column in TRIGRAM_COLUMNS:
        op.execute(f"CREATE INDEX ix_interactions_{column}_trgm ON interactions "
                   f"USING gin (site_id, lower({column}) gin_trgm_ops)")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_interactions_search_trgm")
        for column in TRIGRAM_COLUMNS:
            op.execute(f"DROP INDEX IF EXISTS ix_interactions_{column}_trgm")
    op.drop_index("ix_interactions_site_type_start", "interactions")
    for column in SORT_INDEXES:
        op.drop_index(f"ix_interactions_site_{column}", "interactions")
