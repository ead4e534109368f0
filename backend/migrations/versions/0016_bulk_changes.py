"""Bulk actions from the Finder: their jobs and what each did to every record it reached.

Revision ID: 0016_bulk_changes
Revises: 0015_imports

- bulk_jobs: one bulk action in a site (change, delete, or the undo of a delete): what it sets, what
  selected the records, the records with the version each was selected at, its progress and counts.
- bulk_items: (job_id, interaction_id) and the outcome (changed, unchanged, conflict, failed): the report's
  list of records left alone and the exact records an Undo brings back.
- audit_events: `bulk_change`, `bulk_delete` and `bulk_undo` (one event per action) join the allowed actions.

Expand only: the previous release neither reads nor writes these tables, and its actions stay allowed.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "0016_bulk_changes"
down_revision = "0015_imports"
branch_labels = None
depends_on = None

OLD_ACTIONS = ("create", "update", "delete", "restore", "undelete", "purge", "export",
               "login", "login_failed", "locked", "logout", "password_reset", "password_change", "account_update",
               "sessions_ended", "reset_requested",
               "invite", "invite_revoke", "invite_accept", "member_add", "role_change", "member_remove", "unlock",
               "reset_link", "deactivate", "reactivate", "site_update",
               "email_change_request", "email_changed",
               "view_create", "view_update", "view_delete",
               "import", "import_undo")  # as 0015_imports left them
NEW_ACTIONS = OLD_ACTIONS + ("bulk_change", "bulk_delete", "bulk_undo")
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _actions_check(actions) -> str:
    return "action IN (" + ", ".join(f"'{a}'" for a in actions) + ")"


def upgrade():
    op.create_table(
        "bulk_jobs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("site_id", sa.Integer(), sa.ForeignKey("sites.id", ondelete="CASCADE"), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.Column("action", sa.String(10), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("changes", JSON, nullable=False),
        sa.Column("criteria", JSON, nullable=False),
        sa.Column("targets", JSON, nullable=False),
        sa.Column("as_of", sa.DateTime(timezone=True)),
        sa.Column("undo_of", sa.Integer(), sa.ForeignKey("bulk_jobs.id", ondelete="SET NULL")),
        sa.Column("undone_by", sa.Integer(), sa.ForeignKey("bulk_jobs.id", ondelete="SET NULL")),
        *(sa.Column(name, sa.Integer(), nullable=False)
          for name in ("total", "processed", "changed", "unchanged", "conflicts", "failed")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint("action IN ('change', 'delete', 'undo')", name="ck_bulk_jobs_action"),
        sa.CheckConstraint("status IN ('running', 'done', 'failed')", name="ck_bulk_jobs_status"),
    )
    op.create_index("ix_bulk_jobs_site_created", "bulk_jobs", ["site_id", "created_at"])
    op.create_index("ix_bulk_jobs_user_id", "bulk_jobs", ["user_id"])
    op.create_table(
        "bulk_items",
        sa.Column("job_id", sa.Integer(), sa.ForeignKey("bulk_jobs.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("interaction_id", sa.BigInteger(), primary_key=True),
        sa.Column("outcome", sa.String(10), nullable=False),
        sa.CheckConstraint("outcome IN ('changed', 'unchanged', 'conflict', 'failed')", name="ck_bulk_items_outcome"),
    )
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_constraint("ck_audit_events_action", type_="check")
        batch.create_check_constraint("ck_audit_events_action", _actions_check(NEW_ACTIONS))


def downgrade():
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_constraint("ck_audit_events_action", type_="check")
    op.execute(sa.text("DELETE FROM audit_events WHERE NOT (" + _actions_check(OLD_ACTIONS) + ")"))
    with op.batch_alter_table("audit_events") as batch:
        batch.create_check_constraint("ck_audit_events_action", _actions_check(OLD_ACTIONS))
    op.drop_table("bulk_items")
    op.drop_index("ix_bulk_jobs_user_id", "bulk_jobs")
    op.drop_index("ix_bulk_jobs_site_created", "bulk_jobs")
    op.drop_table("bulk_jobs")
