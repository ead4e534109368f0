"""Signed-out tokens kept in PostgreSQL, so a sign-out survives any Redis outage, flush or eviction.

Revision ID: 0009_revoked_tokens
Revises: 0008_lockout

- revoked_tokens: one row per signed-out token (a SHA-256 of its `jti`, or of the token), refused until
  `expires_at` (the token's expiry plus the clock-skew leeway); rows past it are deleted by later
  sign-outs of the same user. Redis holds the ids only as part of the cached principal.
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_revoked_tokens"
down_revision = "0008_lockout"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "revoked_tokens",
        sa.Column("token_digest", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_revoked_tokens_user_expires", "revoked_tokens", ["user_id", "expires_at"])


def downgrade():
    op.drop_index("ix_revoked_tokens_user_expires", "revoked_tokens")
    op.drop_table("revoked_tokens")
