"""A record's audit trail in id order, so its history is read a page at a time.

Revision ID: 0010_history_paging
Revises: 0009_revoked_tokens

- ix_audit_events_entity gains `id`: a page of an interaction's history (newest first, LIMIT/OFFSET)
  walks the index backwards from the record's newest event instead of sorting its whole trail.
"""
from alembic import op

revision = "0010_history_paging"
down_revision = "0009_revoked_tokens"
branch_labels = None
depends_on = None


def _entity_index(*columns: str) -> None:
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_index("ix_audit_events_entity")
        batch.create_index("ix_audit_events_entity", ["entity_type", "entity_id", *columns], unique=False)


def upgrade():
    _entity_index("id")


def downgrade():
    _entity_index()
