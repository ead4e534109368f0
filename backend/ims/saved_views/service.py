"""Saved views: personal to their owner, or shared with the site; one default per person per site.

Every read starts from `visible` (the site's shared views and the person's own), so a view of another
site or another person's personal view is simply not found. Editors and admins may share; the owner,
or an admin of the site for a shared view, renames, changes or deletes it. Changes to a shared view are
audited in the site's trail (it changes what other members see); personal views are the person's own."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..auth.models import User
from ..auth.principal import Principal
from ..errors import Conflict, Forbidden, get_or_404
from ..extensions import db
from ..sites.models import WRITER_ROLES, Membership
from ..timeutil import iso_z
from ..unit_of_work import transaction
from .models import DefaultView, SavedView

NAME_TAKEN = Conflict("You already have a view with this name here.",
                      details={"name": ["You already have a view with this name here."]})


def visible(site_id: int, user_id: int) -> sa.Select:
    """The one base of every saved-view read: the site's shared views and the person's own there."""
    return (sa.select(SavedView, User.display_name, DefaultView.view_id.is_not(None).label("is_default"))
            .join(User, User.id == SavedView.owner_id)
            .outerjoin(DefaultView, sa.and_(DefaultView.view_id == SavedView.id, DefaultView.user_id == user_id,
                                            DefaultView.site_id == site_id))
            .where(SavedView.site_id == site_id, sa.or_(SavedView.owner_id == user_id, SavedView.shared)))


def _may_change(view: SavedView, member: Membership, user_id: int) -> bool:
    return view.owner_id == user_id or (view.shared and member.role == "admin")


def _dump(row, member: Membership, user_id: int) -> dict:
    view, owner_name, is_default = row
    return {"id": view.id, "name": view.name, "shared": view.shared, "params": view.params,
            "owner": {"id": view.owner_id, "display_name": owner_name}, "is_default": bool(is_default),
            "can_change": _may_change(view, member, user_id),
            "created_at": iso_z(view.created_at), "updated_at": iso_z(view.updated_at)}


def _load(member: Membership, user_id: int, view_id: int, *, lock: bool = False):
    """The view with its owner's name, or 404 (absent, another site's, another person's personal view)."""
    query = visible(member.site_id, user_id).where(SavedView.id == view_id)
    return get_or_404(db.session.execute(query.with_for_update(of=SavedView) if lock else query).first(),
                      "No such view in this site.")


def _changeable(member: Membership, user_id: int, view_id: int) -> SavedView:
    view = _load(member, user_id, view_id, lock=True)[0]
    if not _may_change(view, member, user_id):
        raise Forbidden("Only its owner or an administrator of the site can change a shared view.")
    return view


def _check_sharing(member: Membership, shared: bool) -> None:
    if shared and member.role not in WRITER_ROLES:
        raise Forbidden("Viewers keep personal views; editors and administrators share them.")


def _flush_or_name_taken() -> None:
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as exc:  # the same name saved at the same moment by another request
        raise NAME_TAKEN from exc


def _name_taken(member: Membership, user_id: int, name: str, except_id: int | None = None) -> bool:
    query = sa.select(SavedView.id).where(SavedView.site_id == member.site_id, SavedView.owner_id == user_id,
                                          sa.func.lower(SavedView.name) == name.lower())
    if except_id is not None:
        query = query.where(SavedView.id != except_id)
    return db.session.execute(query).first() is not None


def _audit(action: str, user_id: int, view: SavedView, changes: dict) -> None:
    audit.record(action, user_id=user_id, site_id=view.site_id, entity_type="saved_view", entity_id=view.id,
                 changes=changes)


def list_views(member: Membership, principal: Principal) -> dict:
    rows = db.session.execute(visible(member.site_id, principal.user_id)
                              .order_by(SavedView.shared, sa.func.lower(SavedView.name), SavedView.id)).all()
    return {"items": [_dump(row, member, principal.user_id) for row in rows]}


def get_view(member: Membership, principal: Principal, view_id: int) -> dict:
    return _dump(_load(member, principal.user_id, view_id), member, principal.user_id)


@transaction
def create_view(member: Membership, principal: Principal, data: dict) -> dict:
    _check_sharing(member, data["shared"])
    if _name_taken(member, principal.user_id, data["name"]):
        raise NAME_TAKEN
    view = SavedView(site_id=member.site_id, owner_id=principal.user_id, name=data["name"], shared=data["shared"],
                     params=data["params"])
    db.session.add(view)
    _flush_or_name_taken()
    if view.shared:
        _audit("view_create", principal.user_id, view, {"name": {"from": None, "to": view.name}})
    if data.get("default"):
        _choose_default(member, principal.user_id, view.id)
    return _dump(_load(member, principal.user_id, view.id), member, principal.user_id)


@transaction
def update_view(member: Membership, principal: Principal, view_id: int, data: dict) -> dict:
    view = _changeable(member, principal.user_id, view_id)
    if "shared" in data and data["shared"] != view.shared:
        if view.owner_id != principal.user_id:
            raise Forbidden("Only its owner can share a view or stop sharing it.")
        _check_sharing(member, data["shared"])
    if "name" in data and _name_taken(member, view.owner_id, data["name"], except_id=view.id):
        raise NAME_TAKEN
    changes = {name: {"from": getattr(view, name), "to": value}
               for name, value in data.items() if getattr(view, name) != value}
    was_shared = view.shared
    for name, change in changes.items():
        setattr(view, name, change["to"])
    _flush_or_name_taken()
    if was_shared and not view.shared:  # no longer theirs to open: others' defaults on it go
        db.session.execute(sa.delete(DefaultView).where(DefaultView.view_id == view.id,
                                                        DefaultView.user_id != view.owner_id))
    if changes and (was_shared or view.shared):
        _audit("view_update", principal.user_id, view, changes)
    return _dump(_load(member, principal.user_id, view.id), member, principal.user_id)


@transaction
def delete_view(member: Membership, principal: Principal, view_id: int) -> None:
    view = _changeable(member, principal.user_id, view_id)
    if view.shared:
        _audit("view_delete", principal.user_id, view, {"name": {"from": view.name, "to": None}})
    db.session.delete(view)


def _choose_default(member: Membership, user_id: int, view_id: int) -> None:
    """One row per person and site, written in one statement: requests choosing at once leave one."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    insert = dialect.insert(DefaultView).values(user_id=user_id, site_id=member.site_id, view_id=view_id)
    db.session.execute(insert.on_conflict_do_update(index_elements=["user_id", "site_id"],
                                                    set_={"view_id": insert.excluded.view_id}))


@transaction
def make_default(member: Membership, principal: Principal, view_id: int) -> dict:
    _load(member, principal.user_id, view_id, lock=True)  # kept until the commit: not deleted meanwhile
    _choose_default(member, principal.user_id, view_id)
    return _dump(_load(member, principal.user_id, view_id), member, principal.user_id)


@transaction
def clear_default(member: Membership, principal: Principal) -> None:
    db.session.execute(sa.delete(DefaultView).where(DefaultView.user_id == principal.user_id,
                                                    DefaultView.site_id == member.site_id))
