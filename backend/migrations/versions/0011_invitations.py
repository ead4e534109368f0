"""Invitations under attack: hourly budgets counted from the table; site names no longer unique.

Revision ID: 0011_invitations
Revises: 0010_history_paging

- invitations: (site_id, created_at) and (invited_by, created_at) serve the per-site and per-admin
  counts of the last hour that bound how many invitations are sent.
- sites.name loses its unique constraint: a rename that clashed with any site's name told an admin
  which names sites they do not belong to carry. A rename is now refused only for the name of another
  site of the same admin (ims.sites.settings). Downgrading fails while two sites share a name.
"""
from alembic import op

revision = "0011_invitations"
down_revision = "0010_history_paging"
branch_labels = None
depends_on = None

# PostgreSQL named the constraint of 0001's unnamed UniqueConstraint("name") itself; SQLite's
# reflected copy has no name, so batch mode is given one through the naming convention.
PG_UNIQUE_NAME = "sites_name_key"
SQLITE_CONVENTION = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _unique_name() -> str:
    return PG_UNIQUE_NAME if op.get_bind().dialect.name == "postgresql" else "uq_sites_name"


def upgrade():
    op.create_index("ix_invitations_site_created", "invitations", ["site_id", "created_at"])
    op.create_index("ix_invitations_invited_by_created", "invitations", ["invited_by", "created_at"])
    with op.batch_alter_table("sites", naming_convention=SQLITE_CONVENTION) as batch:
        batch.drop_constraint(_unique_name(), type_="unique")


def downgrade():
    with op.batch_alter_table("sites", naming_convention=SQLITE_CONVENTION) as batch:
        batch.create_unique_constraint(_unique_name(), ["name"])
    op.drop_index("ix_invitations_invited_by_created", table_name="invitations")
    op.drop_index("ix_invitations_site_created", table_name="invitations")
