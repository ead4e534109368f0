"""E-mail changes confirmed from the new mailbox.

Revision ID: 0007_email_change
Revises: 0006_finder_shapes

- email_changes: a requested change of a user's e-mail address, applied only when the single-use link
  mailed to the new address is opened; only a SHA-256 of the link's token is stored. A new request
  cancels the pending one; a confirmed, cancelled or expired row accepts nothing.
- audit_events: `email_change_request` and `email_changed` join the allowed actions.
"""
from alembic import op
import sqlalchemy as sa

revision = "0007_email_change"
down_revision = "0006_finder_shapes"
branch_labels = None
depends_on = None

OLD_ACTIONS = ("create", "update", "delete", "restore", "undelete", "purge", "export",
               "login", "login_failed", "locked", "logout", "password_reset", "password_change", "account_update",
               "sessions_ended", "reset_requested",
               "invite", "invite_revoke", "invite_accept", "member_add", "role_change", "member_remove", "unlock",
               "reset_link", "deactivate", "reactivate", "site_update")  # as 0005_site_admin left them
NEW_ACTIONS = OLD_ACTIONS + ("email_change_request", "email_changed")


def _actions_check(actions) -> str:
    return "action IN (" + ", ".join(f"'{a}'" for a in actions) + ")"


def upgrade():
    op.create_table(
        "email_changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("new_email", sa.String(254), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True)),
        sa.Column("cancelled_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_email_changes_user_id", "email_changes", ["user_id"])
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_constraint("ck_audit_events_action", type_="check")
        batch.create_check_constraint("ck_audit_events_action", _actions_check(NEW_ACTIONS))


def downgrade():
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_constraint("ck_audit_events_action", type_="check")
    op.execute(sa.text("DELETE FROM audit_events WHERE NOT (" + _actions_check(OLD_ACTIONS) + ")"))
    with op.batch_alter_table("audit_events") as batch:
        batch.create_check_constraint("ck_audit_events_action", _actions_check(OLD_ACTIONS))
    op.drop_index("ix_email_changes_user_id", "email_changes")
    op.drop_table("email_changes")
