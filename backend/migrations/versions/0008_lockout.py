"""Lockout: the addresses an account signed in from keep their own budget.

Revision ID: 0008_lockout
Revises: 0007_email_change

- login_throttles.signed_in_at: on a (username, client address) row, when that address last signed
  in to the account. Such a known address spends a budget of its own, so strangers who lock an account
  lock it only for addresses it has never signed in from (see ims.auth.lockout).
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_lockout"
down_revision = "0007_email_change"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("login_throttles") as batch:
        batch.add_column(sa.Column("signed_in_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("login_throttles") as batch:
        batch.drop_column("signed_in_at")
