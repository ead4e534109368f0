"""A bulk action whose process ended half-way can be resumed: its heartbeat and its Finder query as sent.

Revision ID: 0018_bulk_heartbeat
Revises: 0017_finder_worst_case

- bulk_jobs.heartbeat_at: written when the job starts and with every batch's count; a running job silent for
  five minutes has stopped (its process ended) and may be resumed.
- bulk_jobs.query_params: for "all matching", the Finder's query parameters as the action was sent them, so a
  resume re-applies the same query to each batch's locked rows (`criteria` is what the audit event says,
  not something the query can be read back from).

Expand only: both columns are nullable and the previous release neither reads nor writes them. A job it
started has no heartbeat (its age is then its creation's) and, for "all matching", no query to resume with.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "0018_bulk_heartbeat"
down_revision = "0017_finder_worst_case"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade():
    with op.batch_alter_table("bulk_jobs") as batch:
        batch.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("query_params", JSON))


def downgrade():
    with op.batch_alter_table("bulk_jobs") as batch:
        batch.drop_column("query_params")
        batch.drop_column("heartbeat_at")
