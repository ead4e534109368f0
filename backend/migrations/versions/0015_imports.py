"""Spreadsheet imports.

Revision ID: 0015_imports
Revises: 0014_saved_views

- imports: a file imported into a site (kept until the import is done), its mapping and choices, its
  status, progress and counts.
- import_rows: what each row of the file became (the record it was imported as, a skipped duplicate or a
  failure with its reason), so a run stopped half-way resumes without duplicating rows and an undo
  removes exactly the records of that import.
- audit_events: `import` and `import_undo` (one site-level event each, with the counts) join the
  allowed actions.

Expand only: the previous release neither reads nor writes these tables, and its actions stay allowed.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "0015_imports"
down_revision = "0014_saved_views"
branch_labels = None
depends_on = None

OLD_ACTIONS = ("create", "update", "delete", "restore", "undelete", "purge", "export",
               "login", "login_failed", "locked", "logout", "password_reset", "password_change", "account_update",
               "sessions_ended", "reset_requested",
               "invite", "invite_revoke", "invite_accept", "member_add", "role_change", "member_remove", "unlock",
               "reset_link", "deactivate", "reactivate", "site_update",
               "email_change_request", "email_changed",
               "view_create", "view_update", "view_delete")  # as 0014_saved_views left them
NEW_ACTIONS = OLD_ACTIONS + ("import", "import_undo")
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _actions_check(actions) -> str:
    return "action IN (" + ", ".join(f"'{a}'" for a in actions) + ")"


def upgrade():
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("site_id", sa.Integer(), sa.ForeignKey("sites.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("format", sa.String(10), nullable=False),
        sa.Column("encoding", sa.String(40), nullable=True),
        sa.Column("delimiter", sa.String(1), nullable=True),
        sa.Column("sheets", JSON, nullable=False),
        sa.Column("sheet", sa.String(100), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("columns", JSON, nullable=False),
        sa.Column("problems", JSON, nullable=False),
        sa.Column("mapping", JSON, nullable=False),
        sa.Column("date_orders", JSON, nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("duplicates", sa.String(10), nullable=False),
        sa.Column("counts", JSON, nullable=False),
        sa.Column("progress_done", sa.Integer(), nullable=False),
        sa.Column("progress_total", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(500), nullable=True),
        sa.CheckConstraint("status IN ('mapping', 'running', 'done', 'failed', 'undone')", name="ck_imports_status"),
        sa.CheckConstraint("duplicates IN ('skip', 'import')", name="ck_imports_duplicates"),
    )
    op.create_index("ix_imports_site_created", "imports", ["site_id", "id"])
    op.create_index("ix_imports_created_by", "imports", ["created_by"])
    op.create_table(
        "import_rows",
        sa.Column("import_id", sa.Integer(), sa.ForeignKey("imports.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("row", sa.Integer(), primary_key=True),
        sa.Column("outcome", sa.String(10), nullable=False),
        sa.Column("interaction_id", sa.BigInteger(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.CheckConstraint("outcome IN ('imported', 'skipped', 'failed')", name="ck_import_rows_outcome"),
    )
    op.create_index("ix_import_rows_interaction_id", "import_rows", ["interaction_id"])
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_constraint("ck_audit_events_action", type_="check")
        batch.create_check_constraint("ck_audit_events_action", _actions_check(NEW_ACTIONS))


def downgrade():
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_constraint("ck_audit_events_action", type_="check")
    op.execute(sa.text("DELETE FROM audit_events WHERE NOT (" + _actions_check(OLD_ACTIONS) + ")"))
    with op.batch_alter_table("audit_events") as batch:
        batch.create_check_constraint("ck_audit_events_action", _actions_check(OLD_ACTIONS))
    op.drop_index("ix_import_rows_interaction_id", "import_rows")
    op.drop_table("import_rows")
    op.drop_index("ix_imports_created_by", "imports")
    op.drop_index("ix_imports_site_created", "imports")
    op.drop_table("imports")
