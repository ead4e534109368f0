"""Indexes for the Finder's remaining worst shapes: short search words answered index-only, version sort.

Revision ID: 0017_finder_worst_case
Revises: 0016_bulk_changes

- The covering date index (0006) also carries `search_grams`, the 167-byte bitmap of each row's
  letters/digits and adjacent pairs. A one- or two-character search word occurs exactly when its
  bit is set, so a search of such words (`search=mü`, `search=is g ah`), with any filter, under
  any sort key the index carries, is checked inside an index-only scan of the site: before, every row
  the sort order's walk met was read from the heap to recheck its text (~100,000 heap pages for a
  deep page of a site). The same scan also names a query's candidates (every word's bits and every
  filter in one pass, see ims.interactions.queries.narrow_candidates).
- `ix_interactions_unknown_grams`: a partial index of the rows whose bitmap is still the column
  default, "may hold anything" (rows written without one). Normally empty; the Finder probes it
  before trusting the bitmaps of a site, and rechecks the text when it finds one.
- `(site_id, version, id)`: the only sort key without its own index, so `sort=-version` walked no
  index and read the whole site's heap for a page of a search.
- The description and notes key indexes (0006) carry the filtered columns (type, start, the lead,
  title and location keys): a filter under those sorts (`lead=d&sort=-description&page=1541`) was
  checked on each heap row the walk met (100,000 for a deep page); now inside the index walk.

Expand only: the previous release reads the same columns and never names these indexes.
"""
from alembic import op

revision = "0017_finder_worst_case"
down_revision = "0016_bulk_changes"
branch_labels = None
depends_on = None

ALL_GRAMS_HEX = "ff" * 167  # search_keys.ALL_GRAMS as of this revision: the column default of 0006
DATE_KEYS = "site_id, start_datetime, id"
LONG_KEYS = ("description", "notes")
FILTERED = "type, start_datetime, lead_key, title_key, location_key"  # the columns of fields.FILTERS
DATE_INCLUDE = ("type, lead_key, title_key, location_key, type_key, timezone_key, end_datetime, created_at, "
                "updated_at, version")


def _date_index(include: str) -> None:
    op.execute("DROP INDEX IF EXISTS ix_interactions_site_start_datetime")
    op.execute(f"CREATE INDEX ix_interactions_site_start_datetime ON interactions ({DATE_KEYS}) INCLUDE ({include})")


def _long_key_indexes(include: str) -> None:
    for name in LONG_KEYS:
        op.execute(f"DROP INDEX IF EXISTS ix_interactions_site_{name}_key")
        op.execute(f"CREATE INDEX ix_interactions_site_{name}_key ON interactions (site_id, {name}_key, id){include}")


def upgrade():
    op.create_index("ix_interactions_site_version", "interactions", ["site_id", "version", "id"])
    if op.get_bind().dialect.name != "postgresql":
        return
    _date_index(f"{DATE_INCLUDE}, search_grams")
    op.execute("CREATE INDEX ix_interactions_unknown_grams ON interactions (site_id) "
               f"WHERE search_grams = '\\x{ALL_GRAMS_HEX}'::bytea")
    _long_key_indexes(f" INCLUDE ({FILTERED})")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        _long_key_indexes("")
        op.execute("DROP INDEX IF EXISTS ix_interactions_unknown_grams")
        _date_index(DATE_INCLUDE)
    op.drop_index("ix_interactions_site_version", "interactions")
