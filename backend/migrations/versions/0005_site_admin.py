"""Site administration: invitations, a site's default time zone, deleted interactions, wider audit.

Revision ID: 0005_site_admin
Revises: 0004_security

- sites.default_timezone pre-fills new interactions.
- invitations: single-use, expiring; only a SHA-256 of the e-mailed token is stored.
- deleted_interactions: deleted rows move here whole (same id) so they can be restored, while every
  Finder/export/count query keeps reading `interactions` unchanged; `flask purge-deleted` empties it.
- audit_events: the administration actions join the allowed actions, and (site_id, occurred_at)
  serves the site's audit log newest first.
"""
from alembic import op
import sqlalchemy as sa

revision = "0005_site_admin"
down_revision = "0004_security"
branch_labels = None
depends_on = None

OLD_ACTIONS = ("create", "update", "delete", "login", "login_failed", "locked", "logout", "password_reset",
               "export", "sessions_ended", "reset_requested")  # as 0004_security left them
NEW_ACTIONS = ("create", "update", "delete", "restore", "undelete", "purge", "export",
               "login", "login_failed", "locked", "logout", "password_reset", "password_change", "account_update",
               "sessions_ended", "reset_requested",
               "invite", "invite_revoke", "invite_accept", "member_add", "role_change", "member_remove", "unlock",
               "reset_link", "deactivate", "reactivate", "site_update")


def _actions_check(actions) -> str:
    return "action IN (" + ", ".join(f"'{a}'" for a in actions) + ")"


def upgrade():
    with op.batch_alter_table("sites") as batch:
        batch.add_column(sa.Column("default_timezone", sa.String(64), nullable=True))

    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("site_id", sa.Integer(), sa.ForeignKey("sites.id", ondelete="CASCADE"), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("invited_by", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True)),
        sa.Column("accepted_by", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint("role IN ('viewer', 'editor', 'admin')", name="ck_invitations_role"),
    )
    op.create_index("ix_invitations_site_email", "invitations", ["site_id", "email"])

    big_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table(
        "deleted_interactions",
        sa.Column("id", big_id, primary_key=True, autoincrement=False),
        sa.Column("site_id", sa.Integer(), sa.ForeignKey("sites.id", ondelete="RESTRICT"), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("lead", sa.String(100), nullable=False),
        sa.Column("start_datetime", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_datetime", sa.DateTime(timezone=True), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("location", sa.String(200), server_default="", nullable=False),
        sa.Column("description", sa.String(5000), server_default="", nullable=False),
        sa.Column("notes", sa.String(5000), server_default="", nullable=False),
        sa.Column("search_text", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_by", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL")),
    )
    op.create_index("ix_deleted_interactions_site_deleted_at", "deleted_interactions", ["site_id", "deleted_at"])

    with op.batch_alter_table("audit_events") as batch:
        batch.drop_constraint("ck_audit_events_action", type_="check")
        batch.create_check_constraint("ck_audit_events_action", _actions_check(NEW_ACTIONS))
        batch.create_index("ix_audit_events_site_occurred", ["site_id", "occurred_at"])


def downgrade():
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_index("ix_audit_events_site_occurred")
        batch.drop_constraint("ck_audit_events_action", type_="check")
    op.execute(sa.text("DELETE FROM audit_events WHERE NOT (" + _actions_check(OLD_ACTIONS) + ")"))
    with op.batch_alter_table("audit_events") as batch:
        batch.create_check_constraint("ck_audit_events_action", _actions_check(OLD_ACTIONS))
    op.drop_index("ix_deleted_interactions_site_deleted_at", "deleted_interactions")
    op.drop_table("deleted_interactions")
    op.drop_index("ix_invitations_site_email", "invitations")
    op.drop_table("invitations")
    with op.batch_alter_table("sites") as batch:
        batch.drop_column("default_timezone")
