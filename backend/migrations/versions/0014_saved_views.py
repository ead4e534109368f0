"""Saved views of the Finder and each person's default view per site.

Revision ID: 0014_saved_views
Revises: 0013_expand_contract

- saved_views: a name and the Finder's URL parameters (JSON), owned by a person in a site, personal or
  shared with the site; a name is unique per owner and site whatever its case (an expression index).
- saved_view_defaults: (user_id, site_id) is the key, so a person has one default view per site even
  when two requests choose one at the same moment; it goes with its view, its user or its site.
- audit_events: `view_create`, `view_update` and `view_delete` (changes of shared views) join the
  allowed actions.

Expand only: the previous release neither reads nor writes these tables, and its actions stay allowed.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "0014_saved_views"
down_revision = "0013_expand_contract"
branch_labels = None
depends_on = None

OLD_ACTIONS = ("create", "update", "delete", "restore", "undelete", "purge", "export",
               "login", "login_failed", "locked", "logout", "password_reset", "password_change", "account_update",
               "sessions_ended", "reset_requested",
               "invite", "invite_revoke", "invite_accept", "member_add", "role_change", "member_remove", "unlock",
               "reset_link", "deactivate", "reactivate", "site_update",
               "email_change_request", "email_changed")  # as 0007_email_change left them
NEW_ACTIONS = OLD_ACTIONS + ("view_create", "view_update", "view_delete")


def _actions_check(actions) -> str:
    return "action IN (" + ", ".join(f"'{a}'" for a in actions) + ")"


def upgrade():
    op.create_table(
        "saved_views",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("site_id", sa.Integer(), sa.ForeignKey("sites.id", ondelete="CASCADE"), nullable=False),
        sa.Column("owner_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("params", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("uq_saved_views_owner_name", "saved_views", ["site_id", "owner_id", sa.text("lower(name)")],
                    unique=True)
    op.create_index("ix_saved_views_site_shared", "saved_views", ["site_id", "shared"])
    op.create_index("ix_saved_views_owner_id", "saved_views", ["owner_id"])
    op.create_table(
        "saved_view_defaults",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("site_id", sa.Integer(), sa.ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("view_id", sa.Integer(), sa.ForeignKey("saved_views.id", ondelete="CASCADE"), nullable=False),
    )
    op.create_index("ix_saved_view_defaults_view_id", "saved_view_defaults", ["view_id"])
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_constraint("ck_audit_events_action", type_="check")
        batch.create_check_constraint("ck_audit_events_action", _actions_check(NEW_ACTIONS))


def downgrade():
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_constraint("ck_audit_events_action", type_="check")
    op.execute(sa.text("DELETE FROM audit_events WHERE NOT (" + _actions_check(OLD_ACTIONS) + ")"))
    with op.batch_alter_table("audit_events") as batch:
        batch.create_check_constraint("ck_audit_events_action", _actions_check(OLD_ACTIONS))
    op.drop_index("ix_saved_view_defaults_view_id", "saved_view_defaults")
    op.drop_table("saved_view_defaults")
    op.drop_index("ix_saved_views_owner_id", "saved_views")
    op.drop_index("ix_saved_views_site_shared", "saved_views")
    op.drop_index("uq_saved_views_owner_name", "saved_views")
    op.drop_table("saved_views")
