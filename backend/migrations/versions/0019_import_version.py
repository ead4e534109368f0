"""An import's version, so a change to its mapping built on an older one is refused.

Revision ID: 0019_import_version
Revises: 0018_bulk_heartbeat

- imports.version: 1 for a new import, raised by every accepted change to its mapping and choices
  (PATCH /api/imports/<id>); a change that names an older version gets 409 and changes nothing.

Expand only: the column has a server default, so the previous release's uploads, which do not name it,
still insert. Its changes do not raise the version: a change this release accepts during the overlap
may then be built on one the previous release made, as every change was before.
"""
from alembic import op
import sqlalchemy as sa

revision = "0019_import_version"
down_revision = "0018_bulk_heartbeat"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("imports") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade():
    with op.batch_alter_table("imports") as batch:
        batch.drop_column("version")
