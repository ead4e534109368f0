"""Saved views of the Finder and each person's default view per site."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow

NAME_MAX = 100


class SavedView(db.Model):
    """The Finder's state as its URL parameters (`{"type": ["Call"], "sort": ["-title"]}`), owned by one
    person in one site; `shared` views are listed to every member of the site."""

    __tablename__ = "saved_views"
    __table_args__ = (
        # One name per owner and site, whatever its case: "Open calls" and "open calls" would read alike.
        sa.Index("uq_saved_views_owner_name", "site_id", "owner_id", sa.func.lower(sa.text("name")), unique=True),
        sa.Index("ix_saved_views_site_shared", "site_id", "shared"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    shared: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    params: Mapped[dict] = mapped_column(sa.JSON().with_variant(JSONB, "postgresql"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class DefaultView(db.Model):
    """The view a person's Finder opens with in a site: the key makes it one per person per site, so two
    requests choosing a default at once leave exactly one."""

    __tablename__ = "saved_view_defaults"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True)
    view_id: Mapped[int] = mapped_column(sa.ForeignKey("saved_views.id", ondelete="CASCADE"), index=True)
