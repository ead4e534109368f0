"""Members of a site, as its administrators manage them: list, change role, remove, unlock, send a reset
link, deactivate (someone joins only by accepting an invitation, see `invitations`). Guard rails: a
site keeps an active admin (decided under the site's lock, see `authority`); changing your own access
needs an explicit confirmation; a power over the whole account (unlock, reset link, deactivate) needs
an admin of every site of the person. One transaction per use case, each audited."""
from __future__ import annotations

import sqlalchemy as sa

from .. import audit
from ..auth import lockout
from ..auth import service as auth_service
from ..auth.models import User
from ..auth.principal import Principal
from ..errors import Conflict, get_or_404
from ..extensions import db
from ..notifications import outbox
from ..paging import page_of
from ..timeutil import iso_z
from ..unit_of_work import transaction
from . import authority, invitations
from .models import SiteMembership

NO_MEMBER = "No such member in this site."
SORT_COLUMNS = {
    "display_name": sa.func.lower(User.display_name), "username": User.username,
    "email": sa.func.lower(User.email), "role": SiteMembership.role, "last_login_at": User.last_login_at,
}


def _is_locked(user) -> bool:
    return user.username in lockout.locks_of([user.username])


def member_dict(row) -> dict:
    """A member as listed; `locked`, `locked_until` and `account_wide` are filled in by `_annotated`."""
    return {
        "user_id": row.id, "username": row.username, "display_name": row.display_name, "email": row.email,
        "role": row.role, "last_login_at": iso_z(row.last_login_at), "is_active": row.is_active,
        "locked": False, "locked_until": None, "auth": "local" if row.password_hash else "external",
        "account_wide": False,
    }


def _annotated(items: list[dict], site_id: int, actor_id: int) -> list[dict]:
    """Sign-in locks live in login_throttles, keyed by a digest of the username (see auth.lockout);
    `account_wide`: the actor administers every site of the person, so the account's powers are theirs."""
    locks = lockout.locks_of([item["username"] for item in items])
    reachable = set(db.session.execute(authority.reachable_members(actor_id, site_id)).scalars())
    for item in items:
        until = locks.get(item["username"])
        item.update(locked=until is not None, locked_until=iso_z(until), account_wide=item["user_id"] in reachable)
    return items


def _members_query(site_id: int) -> sa.Select:
    return (sa.select(User.id, User.username, User.display_name, User.email, User.last_login_at, User.is_active,
                      User.password_hash, SiteMembership.role)
            .join(SiteMembership, SiteMembership.user_id == User.id)
            .where(SiteMembership.site_id == site_id))


def list_members(site_id: int, actor: Principal, params: dict) -> dict:
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
    _annotated(page["items"], site_id, actor.user_id)
    return page


def get_member(site_id: int, actor: Principal, user_id: int) -> dict:
    row = get_or_404(db.session.execute(_members_query(site_id).where(User.id == user_id)).first(), NO_MEMBER)
    return _annotated([member_dict(row)], site_id, actor.user_id)[0]


def _membership(site_id: int, user_id: int) -> SiteMembership:
    return get_or_404(db.session.execute(
        sa.select(SiteMembership).where(SiteMembership.site_id == site_id, SiteMembership.user_id == user_id)
    ).scalar_one_or_none(), NO_MEMBER)


def _holding(site_id: int, actor: Principal) -> None:
    """A change of the site's memberships: its lock, then the actor's admin role read afresh."""
    authority.lock_sites([site_id])
    authority.require_admin(actor.user_id, site_id)


def _confirm_self(actor: Principal, user_id: int, confirm_self: bool, what: str) -> None:
    if actor.user_id == user_id and not confirm_self:
        raise Conflict(f"You are about to {what} yourself. Confirm to go ahead (confirm_self).",
                       details={"reason": "confirmation_required"})


def _record(action: str, actor: Principal, site_id: int, user_id: int, changes: dict | None = None) -> None:
    audit.record(action, user_id=actor.user_id, site_id=site_id, entity_type="user", entity_id=user_id,
                 changes=changes)


def _record_everywhere(action: str, actor: Principal, sites: set[int], user_id: int,
                       changes: dict | None = None) -> None:
    """An action on the account, not one membership: recorded in each of the person's sites, so every
    admin who answers for them sees it in their own site's log."""
    for site_id in sorted(sites):
        _record(action, actor, site_id, user_id, changes)


def _account_wide(site_id: int, actor: Principal, user_id: int) -> tuple[User, set[int]]:
    """The member and their sites, for a power over the whole account: 404 when not a member here,
    403 unless the actor administers every site of theirs."""
    _membership(site_id, user_id)
    sites = authority.require_every_site(actor.user_id, user_id)
    return db.session.get(User, user_id), sites


@transaction
def change_role(site_id: int, actor: Principal, user_id: int, role: str, confirm_self: bool) -> dict:
    _holding(site_id, actor)
    membership = _membership(site_id, user_id)
    if membership.role == role:
        return get_member(site_id, actor, user_id)
    if membership.role == "admin":
        authority.keep_an_admin(site_id, user_id, "changing this role")
        _confirm_self(actor, user_id, confirm_self, "remove the admin role from")
        invitations.revoke_sent_by(actor, user_id, {site_id})
    _record("role_change", actor, site_id, user_id, {"role": {"from": membership.role, "to": role}})
    membership.role = role
    return get_member(site_id, actor, user_id)


@transaction
def remove_member(site_id: int, actor: Principal, user_id: int, confirm_self: bool) -> None:
    _holding(site_id, actor)
    membership = _membership(site_id, user_id)
    if membership.role == "admin":
        authority.keep_an_admin(site_id, user_id, "removing this admin")
    _confirm_self(actor, user_id, confirm_self, "remove")
    invitations.revoke_sent_by(actor, user_id, {site_id})
    user = db.session.get(User, user_id)
    _record("member_remove", actor, site_id, user_id, {"role": membership.role})
    db.session.delete(membership)
    db.session.flush()
    if user.default_site_id == site_id:
        db.session.refresh(user)  # memberships without the removed one
        user.default_site_id = user.memberships[0].site_id if user.memberships else None


@transaction
def unlock(site_id: int, actor: Principal, user_id: int) -> dict:
    user, sites = _account_wide(site_id, actor, user_id)
    _record_everywhere("unlock", actor, sites, user_id, {"was_locked": _is_locked(user)})
    lockout.clear_account(user.username)
    return get_member(site_id, actor, user_id)


@outbox.sends_mail
def send_reset_link(site_id: int, actor: Principal, user_id: int) -> None:
    user, sites = _account_wide(site_id, actor, user_id)
    if not user.password_hash:
        raise Conflict("This person signs in through the identity provider; their password is managed there.",
                       details={"reason": "external_account"})
    if not user.is_active:
        raise Conflict("This account is deactivated; reactivate it first.", details={"reason": "inactive"})
    _record_everywhere("reset_link", actor, sites, user_id)
    auth_service.queue_reset_link(user, requested_by_admin=True)


@transaction
def set_active(site_id: int, actor: Principal, user_id: int, active: bool) -> dict:
    """Deactivation is account-wide: every request of theirs is refused from now on, so every session ends.
    Only someone who administers every site of the person may do it. Every site of theirs is locked
    first, so no site loses its last active admin to two deactivations (or a demotion) at once."""
    _membership(site_id, user_id)
    if actor.user_id == user_id:
        raise Conflict("You cannot deactivate your own account.", details={"reason": "self"})
    sites = authority.sites_of(user_id)
    authority.lock_sites(sites)
    authority.require_admin(actor.user_id, site_id)
    if authority.require_every_site(actor.user_id, user_id) != sites:
        raise Conflict("This person's sites changed just now; try again.", details={"reason": "retry"})
    user = db.session.get(User, user_id, populate_existing=True)
    if user.is_active == active:
        return get_member(site_id, actor, user_id)
    if not active:
        for admin_of in sorted(authority.administered_by(user_id)):
            authority.keep_an_admin(admin_of, user_id, "deactivating this admin")
        invitations.revoke_sent_by(actor, user_id)
    _record_everywhere("reactivate" if active else "deactivate", actor, sites, user_id)
    user.is_active = active
    return get_member(site_id, actor, user_id)
