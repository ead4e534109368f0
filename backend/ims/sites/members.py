"""Members of a site, as its administrators manage them: list, add, change role, remove, unlock,
send a reset link, deactivate. Guard rails: a site keeps an active admin, and changing your own
access needs an explicit confirmation. One transaction per use case, each audited."""
from __future__ import annotations

import sqlalchemy as sa

from .. import audit
from ..auth import lockout
from ..auth import service as auth_service
from ..auth.models import User
from ..auth.principal import Principal
from ..errors import Conflict, Forbidden, NotFound, UnprocessableEntity
from ..extensions import db
from ..notifications import outbox
from ..paging import page_of
from ..timeutil import iso_z
from ..unit_of_work import transaction
from .models import Site, SiteMembership, join

SORT_COLUMNS = {
    "display_name": sa.func.lower(User.display_name), "username": User.username,
    "email": sa.func.lower(User.email), "role": SiteMembership.role, "last_login_at": User.last_login_at,
}


def _is_locked(user) -> bool:
    return user.username in lockout.locks_of([user.username])


def member_dict(row) -> dict:
    """A member as listed; `locked` and `locked_until` are filled in by `_with_locks`."""
    return {
        "user_id": row.id, "username": row.username, "display_name": row.display_name, "email": row.email,
        "role": row.role, "last_login_at": iso_z(row.last_login_at), "is_active": row.is_active,
        "locked": False, "locked_until": None, "auth": "local" if row.password_hash else "external",
    }


def _with_locks(items: list[dict]) -> list[dict]:
    """Sign-in locks live in login_throttles, keyed by a digest of the username (see auth.lockout)."""
    locks = lockout.locks_of([item["username"] for item in items])
    for item in items:
        until = locks.get(item["username"])
        item.update(locked=until is not None, locked_until=iso_z(until))
    return items


def _members_query(site_id: int) -> sa.Select:
    return (sa.select(User.id, User.username, User.display_name, User.email, User.last_login_at, User.is_active,
                      User.password_hash, SiteMembership.role)
            .join(SiteMembership, SiteMembership.user_id == User.id)
            .where(SiteMembership.site_id == site_id))


def list_members(site_id: int, params: dict) -> dict:
    query = _members_query(site_id)
    for word in (params.get("search") or "").lower().split()[:5]:
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(sa.or_(*(sa.func.lower(c).like(pattern, escape="\\")
                                     for c in (User.username, User.display_name, User.email))))
    name, descending = params["sort"]
    column = SORT_COLUMNS[name]
    order = column.desc().nulls_last() if descending else column.asc().nulls_last()
    query = query.order_by(order, User.id)
    page = page_of(query, params["page"], params["page_size"], member_dict)
    _with_locks(page["items"])
    return page


def get_member(site_id: int, user_id: int) -> dict:
    row = db.session.execute(_members_query(site_id).where(User.id == user_id)).first()
    if row is None:
        raise NotFound("No such member in this site.")
    return _with_locks([member_dict(row)])[0]


def _lock_site(site_id: int) -> None:
    """Admin changes of one site run one at a time, so two admins demoting each other cannot both win."""
    db.session.execute(sa.select(Site.id).where(Site.id == site_id).with_for_update())


def _membership(site_id: int, user_id: int) -> SiteMembership:
    membership = db.session.execute(
        sa.select(SiteMembership).where(SiteMembership.site_id == site_id, SiteMembership.user_id == user_id)
    ).scalar_one_or_none()
    if membership is None:
        raise NotFound("No such member in this site.")
    return membership


def _other_active_admins(site_id: int, user_id: int) -> int:
    return db.session.execute(
        sa.select(sa.func.count()).select_from(SiteMembership).join(User, User.id == SiteMembership.user_id)
        .where(SiteMembership.site_id == site_id, SiteMembership.role == "admin",
               SiteMembership.user_id != user_id, User.is_active.is_(True))
    ).scalar_one()


def _keep_an_admin(site_id: int, user_id: int, what: str) -> None:
    if _other_active_admins(site_id, user_id) == 0:
        raise Conflict(f"A site needs at least one administrator; make someone else an admin before {what}.",
                       details={"reason": "last_admin"})


def _confirm_self(actor: Principal, user_id: int, confirm_self: bool, what: str) -> None:
    if actor.user_id == user_id and not confirm_self:
        raise Conflict(f"You are about to {what} yourself. Confirm to go ahead (confirm_self).",
                       details={"reason": "confirmation_required"})


def _record(action: str, actor: Principal, site_id: int, user_id: int, changes: dict | None = None) -> None:
    audit.record(action, user_id=actor.user_id, site_id=site_id, entity_type="user", entity_id=user_id,
                 changes=changes)


def find_user(identifier: str) -> User:
    """The one active account with this username or e-mail address."""
    text = identifier.strip().lower()
    users = db.session.execute(
        sa.select(User).where(sa.or_(User.username == text, sa.func.lower(User.email) == text))
    ).scalars().all()
    by_username = [u for u in users if u.username == text]
    users = by_username or users
    if not users:
        raise UnprocessableEntity(details={"user": ["No account has this username or e-mail; invite them instead."]})
    if len(users) > 1:
        raise UnprocessableEntity(details={"user": ["Several accounts use this e-mail; enter the username."]})
    if not users[0].is_active:
        raise UnprocessableEntity(details={"user": ["This account is deactivated."]})
    return users[0]


@transaction
def add_member(site_id: int, actor: Principal, identifier: str, role: str) -> dict:
    user = find_user(identifier)
    if any(m.site_id == site_id for m in user.memberships):
        raise Conflict(f"{user.display_name} is already a member of this site.", details={"reason": "already_member"})
    join(user, site_id, role)
    _record("member_add", actor, site_id, user.id, {"role": role})
    return get_member(site_id, user.id)


@transaction
def change_role(site_id: int, actor: Principal, user_id: int, role: str, confirm_self: bool) -> dict:
    _lock_site(site_id)
    membership = _membership(site_id, user_id)
    if membership.role == role:
        return get_member(site_id, user_id)
    if membership.role == "admin":
        _keep_an_admin(site_id, user_id, "changing this role")
        _confirm_self(actor, user_id, confirm_self, "remove the admin role from")
    _record("role_change", actor, site_id, user_id, {"role": {"from": membership.role, "to": role}})
    membership.role = role
    return get_member(site_id, user_id)


@transaction
def remove_member(site_id: int, actor: Principal, user_id: int, confirm_self: bool) -> None:
    _lock_site(site_id)
    membership = _membership(site_id, user_id)
    if membership.role == "admin":
        _keep_an_admin(site_id, user_id, "removing this admin")
    _confirm_self(actor, user_id, confirm_self, "remove")
    user = db.session.get(User, user_id)
    _record("member_remove", actor, site_id, user_id, {"role": membership.role})
    db.session.delete(membership)
    db.session.flush()
    if user.default_site_id == site_id:
        db.session.refresh(user)  # memberships without the removed one
        user.default_site_id = user.memberships[0].site_id if user.memberships else None


@transaction
def unlock(site_id: int, actor: Principal, user_id: int) -> dict:
    _membership(site_id, user_id)
    user = db.session.get(User, user_id)
    _record("unlock", actor, site_id, user_id, {"was_locked": _is_locked(user)})
    lockout.clear_account(user.username)
    return get_member(site_id, user_id)


@outbox.sends_mail
def send_reset_link(site_id: int, actor: Principal, user_id: int) -> None:
    _membership(site_id, user_id)
    user = db.session.get(User, user_id)
    if not user.password_hash:
        raise Conflict("This person signs in through the identity provider; their password is managed there.",
                       details={"reason": "external_account"})
    if not user.is_active:
        raise Conflict("This account is deactivated; reactivate it first.", details={"reason": "inactive"})
    _record("reset_link", actor, site_id, user_id)
    auth_service.queue_reset_link(user, requested_by_admin=True)


@transaction
def set_active(site_id: int, actor: Principal, user_id: int, active: bool) -> dict:
    """Deactivation is account-wide: every request of theirs is refused from now on, so every session ends.
    Only someone who administers every site of the person may do it, so no site loses its last admin."""
    _lock_site(site_id)
    _membership(site_id, user_id)
    user = db.session.get(User, user_id)
    if actor.user_id == user_id:
        raise Conflict("You cannot deactivate your own account.", details={"reason": "self"})
    foreign = [m.site_id for m in user.memberships
               if m.site_id not in actor.memberships or actor.memberships[m.site_id].role != "admin"]
    if foreign:
        raise Forbidden("This person also belongs to sites you do not administer; ask an administrator there too.")
    if user.is_active == active:
        return get_member(site_id, user_id)
    _record("reactivate" if active else "deactivate", actor, site_id, user_id)
    user.is_active = active
    return get_member(site_id, user_id)
