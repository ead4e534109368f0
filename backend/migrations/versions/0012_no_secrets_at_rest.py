"""No secrets at rest: outbox messages know when their link stops working, and records purged
before this release lose the content their audit events still held.

Revision ID: 0012_no_secrets_at_rest
Revises: 0011_invitations

- email_outbox.expires_at: when the link a message carries stops working; the delivery thread gives
  an undelivered message up then instead of sending it. Links of finished messages are removed by
  the application (ims.notifications.outbox), which also scrubs rows finished before it, when its
  delivery thread starts.
- audit_events: the events of interactions that exist neither in `interactions` nor in
  `deleted_interactions` (purged by an earlier release) keep their action, user and time; their
  `changes` (field values, snapshots) become {"purged": true}, as `flask purge-deleted` now leaves
  them. Downgrading cannot bring that content back.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "0012_no_secrets_at_rest"
down_revision = "0011_invitations"
branch_labels = None
depends_on = None

PURGED = {"purged": True}  # ims.interactions.history.PURGED


def upgrade():
    with op.batch_alter_table("email_outbox") as batch:
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))

    audit_events = sa.table("audit_events", sa.column("entity_type", sa.String),
                            sa.column("entity_id", sa.BigInteger),
                            sa.column("changes", sa.JSON().with_variant(JSONB, "postgresql")))
    existing = sa.union(sa.select(sa.column("id")).select_from(sa.table("interactions")),
                        sa.select(sa.column("id")).select_from(sa.table("deleted_interactions")))
    op.execute(sa.update(audit_events)
               .where(audit_events.c.entity_type == "interaction", audit_events.c.entity_id.is_not(None),
                      audit_events.c.entity_id.not_in(existing))
               .values(changes=PURGED))


def downgrade():
    with op.batch_alter_table("email_outbox") as batch:
        batch.drop_column("expires_at")
