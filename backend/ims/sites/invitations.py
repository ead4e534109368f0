"""Invitations: an admin invites an e-mail address into a site with a role; the single-use link
(expiring, only its SHA-256 stored) lets the person choose a username and password, or, when the
address already belongs to an account, lets that account join once signed in; with Auth0, a new
person's account is bound on first sign-in by its verified e-mail (ims.auth.invited).

Each admin, and each site, sends at most INVITATIONS_PER_ADMIN_PER_HOUR and INVITATIONS_PER_SITE_PER_HOUR
invitations in any hour; names in the mail are inert plain text (notifications.plain)."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from .. import audit
from ..auth import passwords, tokens
from ..auth.models import User
from ..auth.principal import Principal
from ..errors import AppError, BadRequest, Conflict, Forbidden, UnprocessableEntity, get_or_404
from ..extensions import db
from ..notifications import outbox
from ..notifications.plain import inert
from ..timeutil import as_utc, iso_z, utcnow
from ..unit_of_work import transaction
from . import authority
from .models import Invitation, Site, SiteMembership

RATE_WINDOW = timedelta(hours=1)


class TooManyInvitations(AppError, status=429):
    """An admin or a site has sent as many invitations as an hour allows."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_dict(invitation: Invitation) -> dict:
    inviter = db.session.get(User, invitation.invited_by) if invitation.invited_by else None
    return {"id": invitation.id, "email": invitation.email, "role": invitation.role,
            "invited_by": {"id": inviter.id, "display_name": inviter.display_name} if inviter else None,
            "created_at": iso_z(invitation.created_at), "expires_at": iso_z(invitation.expires_at)}


def list_pending(site_id: int) -> list[dict]:
    rows = db.session.execute(sa.select(Invitation).where(Invitation.site_id == site_id, Invitation.pending())
                              .order_by(Invitation.created_at.desc(), Invitation.id.desc())).scalars()
    return [invitation_dict(i) for i in rows]


def _retry_after(sent: list[datetime], allowed: int) -> int | None:
    """Seconds until one more invitation fits in the hour, given the times of those sent in it (oldest
    first); None while there is room."""
    if len(sent) < allowed:
        return None
    frees_at = as_utc(sent[len(sent) - allowed]) + RATE_WINDOW
    return max(1, int((frees_at - utcnow()).total_seconds()) + 1)


def _within_rate_limits(site_id: int, actor: Principal) -> None:
    """Refuse (429) an invitation beyond the site's or the admin's hourly budget. The site's row and then
    the admin's row are locked first, so invitations sent together are counted one after the other."""
    db.session.execute(sa.select(Site.id).where(Site.id == site_id).with_for_update())
    db.session.execute(sa.select(User.id).where(User.id == actor.user_id).with_for_update())
    config, since = current_app.config, utcnow() - RATE_WINDOW
    for who, where, allowed in (
            ("this site", Invitation.site_id == site_id, config["INVITATIONS_PER_SITE_PER_HOUR"]),
            ("you", Invitation.invited_by == actor.user_id, config["INVITATIONS_PER_ADMIN_PER_HOUR"])):
        sent = db.session.execute(sa.select(Invitation.created_at).where(where, Invitation.created_at > since)
                                  .order_by(Invitation.created_at)).scalars().all()
        wait = _retry_after(sent, allowed)
        if wait is not None:
            raise TooManyInvitations(
                f"{allowed} invitations an hour is the most {who} can send; try again in {wait // 60 + 1} minute(s).",
                details={"limit": allowed, "retry_after": wait}, headers={"Retry-After": str(wait)})


def _message(invitation: Invitation, actor: Principal, link: str, hours: int) -> tuple[str, str]:
    """Subject and text of the invitation mail; the names in it are inert plain text."""
    site = inert(invitation.site.name) or "a site"
    inviter = inert(actor.display_name) or "An administrator"
    if User.has_account(invitation.email):
        how = "sign in with your existing account and accept"
    elif tokens.auth_mode() == "local":
        how = "choose your username and password"
    else:
        how = f"sign in with the account of {invitation.email}"
    return (f"You are invited to {site}",
            f"Hello,\n\n{inviter} invites you to join {site} as {invitation.role} in the Interaction "
            f"Management System.\n\nOpen this link within {hours // 24 or 1} day(s) to {how}:\n{link}\n\n"
            "The link works once. If you did not expect this, ignore this message.\n")


@outbox.sends_mail
def invite(site_id: int, actor: Principal, email: str, role: str) -> dict:
    authority.lock_sites([site_id])  # one at a time with the changes that could end the actor's rights
    authority.require_admin(actor.user_id, site_id)
    email = email.strip()
    members = db.session.execute(
        sa.select(User.id).join(SiteMembership, SiteMembership.user_id == User.id)
        .where(SiteMembership.site_id == site_id, User.email_is(email))).first()
    if members:
        raise Conflict("Someone with this e-mail is already a member of this site.",
                       details={"email": ["Already a member of this site."]})
    _within_rate_limits(site_id, actor)
    # Inviting the same address again replaces the earlier link (a "resend").
    for earlier in db.session.execute(Invitation.lock_pending(
            Invitation.site_id == site_id, sa.func.lower(Invitation.email) == email.lower())).scalars():
        earlier.revoked_at = utcnow()
    token = secrets.token_urlsafe(32)
    hours = current_app.config["INVITATION_TTL_HOURS"]
    invitation = Invitation(site_id=site_id, email=email, role=role, token_hash=_hash(token),
                            invited_by=actor.user_id, created_at=utcnow(),
                            expires_at=utcnow() + timedelta(hours=hours))
    db.session.add(invitation)
    db.session.flush()
    audit.record("invite", user_id=actor.user_id, site_id=site_id, entity_type="invitation",
                 entity_id=invitation.id, changes={"email": email, "role": role})
    # In the fragment: browsers never send it, so it stays out of server, proxy and CDN logs.
    link = f"{current_app.config['PUBLIC_BASE_URL']}/accept-invitation#token={token}"
    outbox.add(email, *_message(invitation, actor, link, hours), expires_at=invitation.expires_at)
    return invitation_dict(invitation)


@transaction
def revoke(site_id: int, actor: Principal, invitation_id: int) -> None:
    invitation = get_or_404(db.session.execute(Invitation.lock_pending(
        Invitation.id == invitation_id, Invitation.site_id == site_id)).scalar_one_or_none(),
        "No such pending invitation in this site.")
    _withdraw(invitation, actor.user_id)


def revoke_sent_by(actor: Principal, inviter_id: int, site_ids: set[int] | None = None) -> None:
    """The pending invitations `inviter_id` sent end with their admin rights: in these sites (every
    site when None), in the caller's unit of work, each audited."""
    query = sa.select(Invitation).where(Invitation.invited_by == inviter_id, Invitation.pending())
    if site_ids is not None:
        query = query.where(Invitation.site_id.in_(sorted(site_ids)))
    for invitation in db.session.execute(query.order_by(Invitation.id)).scalars():
        _withdraw(invitation, actor.user_id, reason="inviter_lost_admin")


def _withdraw(invitation: Invitation, actor_id: int, **why) -> None:
    invitation.revoked_at = utcnow()
    audit.record("invite_revoke", user_id=actor_id, site_id=invitation.site_id, entity_type="invitation",
                 entity_id=invitation.id, changes={"email": invitation.email, **why})


def _usable(token: str, *, lock: bool = False) -> Invitation:
    """The pending invitation of this link (locked when it is about to be accepted), or 400."""
    statement = (Invitation.lock_pending(Invitation.token_hash == _hash(token)) if lock else
                 sa.select(Invitation).where(Invitation.token_hash == _hash(token), Invitation.pending()))
    invitation = db.session.execute(statement).scalar_one_or_none()
    if invitation is None:
        raise BadRequest("This invitation link is invalid, has expired or has already been used; "
                         "ask an administrator for a new one.", details={"token": ["Invalid or expired."]})
    return invitation


def lookup(token: str) -> dict:
    invitation = _usable(token)
    details = invitation_dict(invitation)
    return {"email": invitation.email, "role": invitation.role, "site_name": invitation.site.name,
            "invited_by": details["invited_by"]["display_name"] if details["invited_by"] else None,
            "expires_at": details["expires_at"], "auth_mode": tokens.auth_mode(),
            "existing_account": User.has_account(invitation.email)}


@transaction
def accept_local(token: str, username: str, display_name: str, password: str) -> dict:
    """Local sign-in: create the account the invitation names, with the chosen username and password."""
    if tokens.auth_mode() != "local":
        raise Conflict("Sign in with your organisation's account to accept this invitation.",
                       details={"reason": "external_sign_in"})
    invitation = _usable(token, lock=True)
    if User.has_account(invitation.email):
        raise Conflict("This address already has an account: sign in with it and accept the invitation.",
                       details={"reason": "existing_account"})
    problems = {}
    if db.session.execute(sa.select(User.id).where(User.username == username.lower())).first():
        problems["username"] = ["This username is taken; choose another."]
    if password_problems := passwords.password_problems(password):
        problems["password"] = password_problems
    if problems:
        raise UnprocessableEntity(details=problems)
    user = User(username=username.lower(), email=invitation.email, display_name=display_name,
                password_hash=passwords.hash_password(password))
    db.session.add(user)
    try:
        db.session.flush()
    except sa.exc.IntegrityError as exc:  # another invitation took the name since it was checked above
        raise UnprocessableEntity(details={"username": ["This username was taken just now; choose another."]}) \
            from exc
    invitation.accept(user)
    return {"username": user.username, "site_name": invitation.site.name}


@transaction
def accept_signed_in(token: str, actor: Principal) -> dict:
    """An existing account accepts an invitation sent to its own address: it joins the site with the
    invitation's role (a member already keeps the role it has); no account is made."""
    invitation = _usable(token, lock=True)
    if actor.email.strip().lower() != invitation.email.strip().lower():
        raise Forbidden("This invitation was sent to another address; sign in with the account it was sent to.",
                        details={"reason": "other_address"})
    user = db.session.get(User, actor.user_id)
    invitation.accept(user)
    role = next(m.role for m in user.memberships if m.site_id == invitation.site_id)
    return {"site_id": invitation.site_id, "site_name": invitation.site.name, "role": role}
