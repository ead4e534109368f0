"""Security: sign-in failure budgets, sessions that end, an e-mail outbox, new audit actions.

Revision ID: 0004_security
Revises: 0003_finder_covering_indexes

- login_throttles: failed sign-ins counted atomically per account and per (account, client address),
  keyed by an HMAC of the username so unknown names are counted exactly like real ones.
- users.sessions_valid_after: tokens issued before it are refused (password reset, sign out everywhere,
  deactivation).
- email_outbox: mail is queued in the request's database and delivered by a background worker with
  retries, so a slow or failing provider neither slows a request nor loses a message.
- audit actions `export`, `sessions_ended` and `reset_requested`.
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_security"
down_revision = "0003_finder_covering_indexes"
branch_labels = None
depends_on = None

OLD_ACTIONS = ("create", "update", "delete", "login", "login_failed", "locked", "logout", "password_reset")
NEW_ACTIONS = OLD_ACTIONS + ("export", "sessions_ended", "reset_requested")


def _action_check(actions) -> str:
    return "action IN (" + ", ".join(f"'{a}'" for a in actions) + ")"


def _replace_action_check(actions) -> None:
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_constraint("ck_audit_events_action", type_="check")
        batch.create_check_constraint("ck_audit_events_action", _action_check(actions))


def upgrade():
    op.create_table(
        "login_throttles",
        sa.Column("subject", sa.String(80), primary_key=True),
        sa.Column("account", sa.String(64), nullable=False, index=True),
        sa.Column("failed_count", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
    )
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("sessions_valid_after", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "email_outbox",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column("recipient", sa.String(254), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("given_up_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(500), nullable=True),
    )
    op.create_index("ix_email_outbox_due", "email_outbox", ["next_attempt_at"],
                    postgresql_where=sa.text("sent_at IS NULL AND given_up_at IS NULL"),
                    sqlite_where=sa.text("sent_at IS NULL AND given_up_at IS NULL"))
    _replace_action_check(NEW_ACTIONS)


def downgrade():
    op.execute("DELETE FROM audit_events WHERE action IN ('export', 'sessions_ended', 'reset_requested')")
    _replace_action_check(OLD_ACTIONS)
    op.drop_index("ix_email_outbox_due", "email_outbox")
    op.drop_table("email_outbox")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("sessions_valid_after")
    op.drop_table("login_throttles")
