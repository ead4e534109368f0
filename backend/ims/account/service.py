"""My account: a person changes their own name, default site, password and e-mail address.

A new e-mail address takes effect only from the single-use link mailed to it, and asks for the current
password first: a stolen token alone can neither change the address nor, through it, the reset flow's
mailbox. The old address is told when the change is asked for and when it takes effect."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from .. import audit
from ..auth import passwords
from ..auth import service as auth_service
from ..auth.models import User
from ..auth.principal import Principal, sites_of
from ..errors import BadRequest, Conflict, UnprocessableEntity
from ..extensions import db
from ..notifications import outbox
from ..timeutil import as_utc, iso_z, utcnow
from ..unit_of_work import transaction
from .models import EmailChange

PROFILE_FIELDS = ("display_name", "default_site_id")
EMAIL_LINK_HOURS = 24


def account_dict(user: User, principal: Principal) -> dict:
    pending = _pending_change(user)
    return {"id": user.id, "username": user.username, "email": user.email, "display_name": user.display_name,
            "default_site_id": user.default_site_id, "has_password": user.password_hash is not None,
            "pending_email": pending.new_email if pending else None, "sites": sites_of(principal)}


def get_account(principal: Principal) -> dict:
    return account_dict(db.session.get(User, principal.user_id), principal)


@transaction
def update_profile(principal: Principal, data: dict) -> dict:
    user = db.session.get(User, principal.user_id)
    if "default_site_id" in data and data["default_site_id"] is not None \
            and data["default_site_id"] not in principal.memberships:
        raise UnprocessableEntity(details={"default_site_id": ["Choose one of your sites."]})
    changes = {name: {"from": getattr(user, name), "to": data[name]}
               for name in PROFILE_FIELDS if name in data and getattr(user, name) != data[name]}
    if changes:
        for name, change in changes.items():
            setattr(user, name, change["to"])
        audit.record("account_update", user_id=user.id, entity_type="user", entity_id=user.id, changes=changes)
    return account_dict(user, principal)


def _local_account(principal: Principal, what: str) -> User:
    """The signed-in person's row; 409 when the identity provider manages their `what`."""
    user = db.session.get(User, principal.user_id)
    if user.password_hash is None:
        raise Conflict(f"Your {what} is managed by your organisation's sign-in provider.",
                       details={"reason": "external_account"})
    return user


def change_password(principal: Principal, current: str, new: str) -> None:
    """The current password is checked first, counted like a sign-in (its own committed steps: 422 when
    wrong, 423 when the budgets are spent); then the new one is stored, one unit of work."""
    user = _local_account(principal, "password")
    checked_hash = user.password_hash
    auth_service.check_password_counted(user, current)
    _store_password(user.id, checked_hash, current, new)


@transaction
def _store_password(user_id: int, checked_hash: str, current: str, new: str) -> None:
    problems = passwords.password_problems(new)
    if new == current:
        problems.append("Choose a password different from the current one.")
    if problems:
        raise UnprocessableEntity(details={"new_password": problems})
    # Only over the password just checked: a reset confirmed meanwhile is not overwritten. A new
    # password ends every earlier session, as a reset does (a bulk update passes the ORM's listener by).
    stored = db.session.execute(
        sa.update(User).where(User.id == user_id, User.password_hash == checked_hash)
        .values(password_hash=passwords.hash_password(new), sessions_valid_after=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if not stored:
        raise UnprocessableEntity(details={"current_password": ["This is not your current password."]})
    audit.record("password_change", user_id=user_id, entity_type="user", entity_id=user_id)


# ---------------------------------------------------------------- e-mail change

def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _still_wanted(user: User, change: EmailChange) -> bool:
    """A request made before the person's sessions were last ended (a new password, a reset, "sign
    out everywhere", a deactivation) is void: that is how the owner, told at the old address,
    cancels a change they did not ask for."""
    ended = user.sessions_valid_after
    return user.is_active and (ended is None or as_utc(ended) < as_utc(change.created_at))


def _pending_change(user: User) -> EmailChange | None:
    change = db.session.execute(
        sa.select(EmailChange).where(EmailChange.user_id == user.id, EmailChange.pending())
        .order_by(EmailChange.id.desc()).limit(1)).scalar_one_or_none()
    return change if change is not None and _still_wanted(user, change) else None


def request_email_change(principal: Principal, current: str, new_email: str) -> dict:
    """The current password is checked first, counted like a sign-in (as for a password change); then
    the change is stored and mailed."""
    user = _local_account(principal, "e-mail address")
    if new_email.lower() == user.email.lower():
        raise UnprocessableEntity(details={"new_email": ["This is already your e-mail address."]})
    auth_service.check_password_counted(user, current)
    return _store_email_change(user.id, new_email)


@outbox.sends_mail
def _store_email_change(user_id: int, new_email: str) -> dict:
    """Store a pending change (replacing an earlier one), mail its link to the new address and a
    notice to the current one. Nothing about the account changes until the link is opened."""
    user = db.session.get(User, user_id)
    now = utcnow()
    db.session.execute(sa.update(EmailChange).where(EmailChange.user_id == user.id, EmailChange.pending())
                       .values(cancelled_at=now).execution_options(synchronize_session=False))
    token = secrets.token_urlsafe(32)
    change = EmailChange(user_id=user.id, new_email=new_email, token_hash=_hash(token), created_at=now,
                         expires_at=now + timedelta(hours=EMAIL_LINK_HOURS))
    db.session.add(change)
    db.session.flush()
    audit.record("email_change_request", user_id=user.id, entity_type="user", entity_id=user.id,
                 changes={"email": {"from": user.email, "to": new_email}})
    base = current_app.config["PUBLIC_BASE_URL"]
    # In the fragment: browsers never send it, so it stays out of server, proxy and CDN logs.
    outbox.add(new_email, "Confirm your new e-mail address",
               f"Hello {user.display_name},\n\nOpen this link within {EMAIL_LINK_HOURS} hours to make {new_email} "
               f"the e-mail address of '{user.username}':\n{base}/confirm-email#token={token}\n\n"
               "The link works once. If you did not ask for this, ignore this message: nothing changes.\n",
               expires_at=change.expires_at)
    outbox.add(user.email, "A change of your e-mail address was requested",
               f"Hello {user.display_name},\n\nSomeone signed in as '{user.username}' asked to change the "
               f"account's e-mail address from {user.email} to {new_email}. Nothing changes unless the link "
               f"sent to {new_email} is opened within {EMAIL_LINK_HOURS} hours.\n\nIf this was not you, someone "
               f"knows your password: choose a new one now ({base}/forgot-password). A new password, or "
               "signing out everywhere from My account, cancels the change.\n")
    return {"new_email": new_email, "expires_at": iso_z(change.expires_at)}


@outbox.sends_mail
def confirm_email_change(token: str) -> dict:
    """Apply the change the link names, once: the row is consumed by a conditional update, so of
    several confirmations released together exactly one applies it. The old address is told."""
    invalid = BadRequest("This confirmation link is invalid, has expired or has already been used; "
                         "ask for a new one from My account.", details={"token": ["Invalid or expired."]})
    change = db.session.execute(
        sa.select(EmailChange).where(EmailChange.token_hash == _hash(token), EmailChange.pending())
    ).scalar_one_or_none()
    user = db.session.get(User, change.user_id) if change is not None else None
    if user is None or not _still_wanted(user, change):
        raise invalid
    consumed = db.session.execute(
        sa.update(EmailChange).where(EmailChange.id == change.id, EmailChange.pending())
        .values(confirmed_at=utcnow()).execution_options(synchronize_session=False)
    ).rowcount
    if not consumed:
        raise invalid
    old_email = user.email
    user.email = change.new_email
    audit.record("email_changed", user_id=user.id, entity_type="user", entity_id=user.id,
                 changes={"email": {"from": old_email, "to": change.new_email}})
    outbox.add(old_email, "Your e-mail address was changed",
               f"Hello {user.display_name},\n\nThe e-mail address of '{user.username}' is now "
               f"{change.new_email}: reset links and notices go there from now on.\n\nIf this was not you, "
               "ask an administrator of your site to help you get your account back.\n")
    return {"email": change.new_email}
