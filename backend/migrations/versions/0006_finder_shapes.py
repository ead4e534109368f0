"""Folded sort keys for the Finder's text columns, and indexes that bound every query shape.

Revision ID: 0006_finder_shapes
Revises: 0005_site_admin

Text sort (case- and accent-insensitive, the same on every database): each sortable text column
gets a stored key, `<column>_key` = ims.interactions.search_keys.key_of (case-folded, NFKD, combining
marks dropped; descriptions and notes keep their first ~64 characters). On PostgreSQL the keys are
`COLLATE "C"`, so they compare by code point whatever the database's default collation; SQLite
compares them as BINARY, which is the same order. Sorting by lead is `ORDER BY lead_key, id`, served
by the B-tree (site_id, lead_key, id) that replaces (site_id, lead, id); likewise title, type,
location, timezone, and new ones for description, notes and id, so every sort the API accepts
reads a site's rows in index order and stops at the page, or (version, and two-key sorts) sorts the
entries of the covering date index below, never heap rows.

Query shapes (PostgreSQL): the lead/location/title filters and the search match the folded text
(`lead_key LIKE '%an%'`), so

- patterns of three characters or more use trigram GIN indexes on the keys (rebuilt here on
  `<column>_key` instead of `lower(<column>)`);
- shorter patterns, which no trigram index can serve, are checked inside B-tree index-only scans:
  the sort index of the column itself, or the two covering indexes of the date and type filters,
  which now INCLUDE the keys of lead, title and location (and the date index every sort key but
  those of description and notes, so two-key sorts are index-only too). A site has ~100,000 rows at a million,
  so the longest such scan reads ~100,000 narrow index entries (tens of ms) instead of rechecking
  100,000 heap rows of ~1 kB (1.4 s).

Short search words (PostgreSQL): a one- or two-character word of letters and digits is looked up
in `search_grams`, a 167-byte bitmap of the letters/digits and adjacent pairs of the row's search
text (see search_keys), read from an index-only scan of (site_id, id) INCLUDE (search_grams); when it
names fewer than a few thousand rows, only those rows are rechecked (see queries).

Existing rows get their keys, folded search text and bitmap in batches of 2,000 rows, computed by
the search_keys.py of the release that runs the migrations (loaded from its file, not from this
revision: a migration cannot carry a copy of the formulas of its day). That is sound because the
formulas are versioned: this revision was written for KEYS_VERSION "1", migration 0013 records the
version and a fingerprint of the formulas, and every later change of them raises KEYS_VERSION in a
migration that marks every row's keys stale (tests/interactions/test_search_keys.py fails until it
exists). So keys computed here with newer formulas are those the running release computes; the stale
mark makes it compute them once more. The widths of the key columns are this revision's (KEY_BYTES),
not today's field list's.
"""
import importlib.util
import pathlib

import sqlalchemy as sa
from alembic import op

revision = "0006_finder_shapes"
down_revision = "0005_site_admin"
branch_labels = None
depends_on = None


def _search_keys():
    # today's search_keys.py, without importing the app (see the docstring for why that is sound)
    path = pathlib.Path(__file__).resolve().parents[2] / "ims" / "interactions" / "search_keys.py"
    spec = importlib.util.spec_from_file_location("ims_search_keys_0006", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


KEYED = ("title", "type", "lead", "timezone", "location", "description", "notes")
KEYS_VERSION = "1"  # the formulas this revision was written for (search_keys.KEYS_VERSION)
# the most UTF-8 bytes each key holds, as of this revision (fields.py key_bytes)
KEY_BYTES = {"title": 600, "type": 40, "lead": 300, "timezone": 128, "location": 600, "description": 256,
             "notes": 256}
SEARCHED = ("title", "type", "lead", "location", "description", "notes")
OLD_SORT_INDEXES = ("title", "lead", "type", "location", "timezone")
TRIGRAM_COLUMNS = ("lead", "location", "title")
BATCH = 2000


def _interactions():
    return sa.table("interactions", sa.column("id"), sa.column("search_text"), sa.column("search_grams"),
                    *(sa.column(name) for name in KEYED), *(sa.column(f"{name}_key") for name in KEYED))


def _rewrite(compute) -> None:
    """Recompute derived columns of every row in id order, BATCH rows per UPDATE."""
    bind = op.get_bind()
    table = _interactions()
    last = 0
    while True:
        rows = bind.execute(sa.select(table.c.id, *(table.c[name] for name in KEYED))
                            .where(table.c.id > last).order_by(table.c.id).limit(BATCH)).mappings().all()
        if not rows:
            return
        bind.execute(table.update().where(table.c.id == sa.bindparam("row_id")),
                     [{"row_id": row["id"], **compute(row)} for row in rows])
        last = rows[-1]["id"]


def _covering_indexes(filtered: str, sorted_too: str = "") -> None:
    """The type and date indexes of 0003, carrying the `filtered` columns (and the date index also
    `sorted_too`), so filters and sorts read them index-only."""
    op.drop_index("ix_interactions_site_type_start", "interactions")
    op.drop_index("ix_interactions_site_start_datetime", "interactions")
    op.execute("CREATE INDEX ix_interactions_site_type_start ON interactions "
               f"(site_id, type, start_datetime, id) INCLUDE ({filtered})")
    op.execute("CREATE INDEX ix_interactions_site_start_datetime ON interactions "
               f"(site_id, start_datetime, id) INCLUDE (type, {filtered}{sorted_too})")


def upgrade():
    keys = _search_keys()
    postgresql = op.get_bind().dialect.name == "postgresql"
    unkeyed = set(KEYED) - set(keys.KEYED_COLUMNS)
    if unkeyed:  # a field this revision keys is keyed no more: its keys cannot be computed from search_keys
        raise RuntimeError(f"0006 computes keys with today's search_keys, which no longer keys {sorted(unkeyed)}")
    for name in KEYED:
        size = KEY_BYTES[name]
        op.add_column("interactions", sa.Column(f"{name}_key", sa.String(size, collation="C" if postgresql else None),
                                                server_default="", nullable=False))
    # rows written without a bitmap (e.g. by hand) hold "anything", so they are always rechecked
    everything = keys.ALL_GRAMS.hex()
    op.add_column("interactions", sa.Column(
        "search_grams", sa.LargeBinary(), nullable=False,
        server_default=sa.text(f"'\\x{everything}'::bytea" if postgresql else f"X'{everything}'")))

    def compute(row):
        text = keys.fold("\n".join((row[name] or "") for name in SEARCHED))
        return {"search_text": text, "search_grams": keys.grams_bytes(keys.grams_int(text)),
                **{f"{name}_key": keys.key_of(name, row[name]) for name in KEYED}}

    _rewrite(compute)

    for name in OLD_SORT_INDEXES:
        op.drop_index(f"ix_interactions_site_{name}", "interactions")
    for name in KEYED:
        # sorted by type and filtered by type: the filter is checked in the same index-only scan
        include = {"postgresql_include": ["type"]} if postgresql and name == "type" else {}
        op.create_index(f"ix_interactions_site_{name}_key", "interactions", ["site_id", f"{name}_key", "id"], **include)
    if not postgresql:
        op.create_index("ix_interactions_site_id", "interactions", ["site_id", "id"])
        return
    # serves ORDER BY id, and the short-word bitmaps of a site as an index-only scan
    op.execute("CREATE INDEX ix_interactions_site_id ON interactions (site_id, id) INCLUDE (search_grams)")
    for name in TRIGRAM_COLUMNS:
        op.execute(f"DROP INDEX IF EXISTS ix_interactions_{name}_trgm")
        op.execute(f"CREATE INDEX ix_interactions_{name}_key_trgm ON interactions "
                   f"USING gin (site_id, {name}_key gin_trgm_ops)")
    # the date index also carries every other sort key but the long texts': a two-key sort (lead, then
    # updated) or any filter with any sort reads it index-only and sorts entries, never heap rows
    _covering_indexes("lead_key, title_key, location_key",
                      ", type_key, timezone_key, end_datetime, created_at, updated_at, version")


def downgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        _covering_indexes("lead, title")
        for name in TRIGRAM_COLUMNS:
            op.execute(f"DROP INDEX IF EXISTS ix_interactions_{name}_key_trgm")
            op.execute(f"CREATE INDEX ix_interactions_{name}_trgm ON interactions "
                       f"USING gin (site_id, lower({name}) gin_trgm_ops)")
    op.drop_index("ix_interactions_site_id", "interactions")
    for name in KEYED:
        op.drop_index(f"ix_interactions_site_{name}_key", "interactions")
    for name in OLD_SORT_INDEXES:
        op.create_index(f"ix_interactions_site_{name}", "interactions", ["site_id", name, "id"])
    _rewrite(lambda row: {"search_text": "\n".join((row[name] or "") for name in SEARCHED).lower()})
    with op.batch_alter_table("interactions") as batch:
        for name in KEYED:
            batch.drop_column(f"{name}_key")
        batch.drop_column("search_grams")
