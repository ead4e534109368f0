"""Invitations: an admin invites an e-mail address into a site with a role; the single-use link
(expiring, only its SHA-256 stored) lets the person choose a username and password, or, with
Auth0, binds their Auth0 account on first sign-in by its verified e-mail (ims.auth.invited)."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from .. import audit
from ..auth import passwords, tokens
from ..auth.models import User
from ..auth.principal import Principal
from ..errors import BadRequest, Conflict, NotFound, UnprocessableEntity
from ..extensions import db
from ..notifications import outbox
from ..timeutil import iso_z, utcnow
from ..unit_of_work import transaction
from .models import Invitation, SiteMembership


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


@outbox.sends_mail
def invite(site_id: int, actor: Principal, email: str, role: str) -> dict:
    email = email.strip()
    members = db.session.execute(
        sa.select(User.id).join(SiteMembership, SiteMembership.user_id == User.id)
        .where(SiteMembership.site_id == site_id, sa.func.lower(User.email) == email.lower())).first()
    if members:
        raise Conflict("Someone with this e-mail is already a member of this site.",
                       details={"email": ["Already a member of this site."]})
    # Inviting the same address again replaces the earlier link (a "resend").
    for earlier in db.session.execute(sa.select(Invitation).where(
            Invitation.site_id == site_id, sa.func.lower(Invitation.email) == email.lower(), Invitation.pending())).scalars():
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
    site_name = invitation.site.name
    # In the fragment: browsers never send it, so it stays out of server, proxy and CDN logs.
    link = f"{current_app.config['PUBLIC_BASE_URL']}/accept-invitation#token={token}"
    how = ("choose your username and password" if tokens.auth_mode() == "local"
           else f"sign in with the account of {email}")
    outbox.add(email, f"You are invited to {site_name}",
               f"Hello,\n\n{actor.display_name} invites you to join {site_name} as {role} in the Interaction "
               f"Management System.\n\nOpen this link within {hours // 24 or 1} day(s) to {how}:\n{link}\n\n"
               "The link works once. If you did not expect this, ignore this message.\n",
               expires_at=invitation.expires_at)
    return invitation_dict(invitation)


@transaction
def revoke(site_id: int, actor: Principal, invitation_id: int) -> None:
    invitation = db.session.execute(sa.select(Invitation).where(
        Invitation.id == invitation_id, Invitation.site_id == site_id, Invitation.pending())).scalar_one_or_none()
    if invitation is None:
        raise NotFound("No such pending invitation in this site.")
    invitation.revoked_at = utcnow()
    audit.record("invite_revoke", user_id=actor.user_id, site_id=site_id, entity_type="invitation",
                 entity_id=invitation.id, changes={"email": invitation.email})


def _usable(token: str) -> Invitation:
    invitation = db.session.execute(
        sa.select(Invitation).where(Invitation.token_hash == _hash(token), Invitation.pending())).scalar_one_or_none()
    if invitation is None:
        raise BadRequest("This invitation link is invalid, has expired or has already been used; "
                         "ask an administrator for a new one.", details={"token": ["Invalid or expired."]})
    return invitation


def lookup(token: str) -> dict:
    invitation = _usable(token)
    details = invitation_dict(invitation)
    return {"email": invitation.email, "role": invitation.role, "site_name": invitation.site.name,
            "invited_by": details["invited_by"]["display_name"] if details["invited_by"] else None,
            "expires_at": details["expires_at"], "auth_mode": tokens.auth_mode()}


@transaction
def accept_local(token: str, username: str, display_name: str, password: str) -> dict:
    """Local sign-in: create the account the invitation names, with the chosen username and password."""
    if tokens.auth_mode() != "local":
        raise Conflict("Sign in with your organisation's account to accept this invitation.",
                       details={"reason": "external_sign_in"})
    invitation = _usable(token)
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
    db.session.flush()
    invitation.accept(user)
    return {"username": user.username, "site_name": invitation.site.name}
