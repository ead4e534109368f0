"""Rows written by the previous release are marked stale by the database, so this release computes
their search text, bitmap and sort keys before its Finder reads them.

Revision ID: 0013_expand_contract
Revises: 0012_no_secrets_at_rest

A blue-green deploy migrates first; the previous release then serves on this schema until the
switch (and again after a rollback). It writes the fields but not this release's derived columns,
which only Python computes (ims.interactions.search_keys: Unicode case folding and NFKD, which SQL
cannot reproduce). So:

- interactions.keys_digest: the app stores the md5 of KEYS_VERSION and the source fields with the
  derived columns (search_keys.digest_input). Nullable: the previous release never writes it.
- On PostgreSQL a BEFORE INSERT OR UPDATE trigger computes the same digest in SQL and sets the
  column to NULL when the writer's differs: a row written without fresh keys (any writer, any
  release) is marked stale in the statement that wrote it. A partial index holds just those rows;
  the Finder and the export compute them again before reading a site
  (ims.interactions.freshness). SQLite serves one release at a time: no trigger.
- Existing rows: the column is added with a constant default (no table rewrite, PostgreSQL 11+), so
  rows keep the keys they have; rows an earlier release wrote without any keys (an empty title key,
  while a title is never empty) are marked stale now.

The next change of the folding, of the keys or of the source fields raises KEYS_VERSION and replaces
`interactions_keys_digest()` with the same version and columns in its own migration
(docs/DEPLOYMENT.md, "Expand and contract").
"""
from alembic import op
import sqlalchemy as sa

revision = "0013_expand_contract"
down_revision = "0012_no_secrets_at_rest"
branch_labels = None
depends_on = None

# search_keys.KEYS_VERSION and search_keys.SOURCE_FIELDS as of this revision, and the fingerprint of the
# formulas of that version (tests/interactions/test_search_keys.py computes it and compares: a migration
# that changes the formulas records its own three, newest wins)
KEYS_VERSION = "1"
SOURCE_FIELDS = ("title", "type", "lead", "timezone", "location", "description", "notes")
KEYS_FINGERPRINT = "63a48ffbaea143811a715803989df5f2"
UNVERIFIED = "before-0014"  # rows that existed before this revision: kept as they are


def digest_sql(version: str, columns: tuple[str, ...]) -> str:
    """search_keys.digest_input in SQL: '<version>;' then '<length>:<text>;' per source column."""
    parts = " || ".join(f"length(coalesce(NEW.{c}, '')) || ':' || coalesce(NEW.{c}, '') || ';'" for c in columns)
    return f"md5('{version};' || {parts})"


FUNCTION = f"""
CREATE OR REPLACE FUNCTION interactions_keys_digest() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- derived columns are fresh only when the writer stored the digest of exactly these fields
    IF NEW.keys_digest IS DISTINCT FROM {digest_sql(KEYS_VERSION, SOURCE_FIELDS)} THEN
        NEW.keys_digest := NULL;
    END IF;
    RETURN NEW;
END
$$
"""


def upgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        op.add_column("interactions", sa.Column("keys_digest", sa.String(32), nullable=True,
                                                server_default=UNVERIFIED))
        op.alter_column("interactions", "keys_digest", server_default=None)
        op.execute(FUNCTION)
        op.execute("CREATE TRIGGER interactions_keys_digest BEFORE INSERT OR UPDATE ON interactions "
                   "FOR EACH ROW EXECUTE FUNCTION interactions_keys_digest()")
    else:
        op.add_column("interactions", sa.Column("keys_digest", sa.String(32), nullable=True))
        op.execute(f"UPDATE interactions SET keys_digest = '{UNVERIFIED}'")
    op.execute("UPDATE interactions SET keys_digest = NULL WHERE title_key = ''")
    op.create_index("ix_interactions_stale_keys", "interactions", ["site_id", "id"],
                    postgresql_where=sa.text("keys_digest IS NULL"), sqlite_where=sa.text("keys_digest IS NULL"))


def downgrade():
    op.drop_index("ix_interactions_stale_keys", "interactions")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER interactions_keys_digest ON interactions")
        op.execute("DROP FUNCTION interactions_keys_digest()")
    with op.batch_alter_table("interactions") as batch:
        batch.drop_column("keys_digest")
