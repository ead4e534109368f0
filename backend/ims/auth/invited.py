"""First sign-in of an invited Auth0 account: when pending invitations name the e-mail the identity
provider vouches for, and no active account has that e-mail yet, the account is created with its Auth0
subject and joins those sites. (An invitation to an existing account's address is accepted by that
account, signed in: ims.sites.invitations.accept_signed_in.)"""
from __future__ import annotations

import json
import logging
import secrets
import urllib.request

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..sites.models import Invitation
from ..timeutil import utcnow
from ..unit_of_work import transaction
from . import usernames
from .models import User

log = logging.getLogger(__name__)


def _verified_email(access_token: str) -> str | None:
    """The e-mail the identity provider vouches for (Auth0 /userinfo), or None."""
    config = current_app.config
    url = config.get("AUTH0_USERINFO_URL") or f"https://{config['AUTH0_DOMAIN']}/userinfo"
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {access_token}"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # nosec B310 - tenant URL from config
            info = json.load(response)
    except (OSError, ValueError) as exc:
        log.warning("could not read the user's profile from the identity provider: %s", exc)
        return None
    if not isinstance(info, dict) or info.get("email_verified") is not True or not isinstance(info.get("email"), str):
        return None
    return info["email"].strip()


def bind_external_account(subject: str, access_token: str) -> bool:
    """Create the user with this subject and accept every pending invitation of its verified
    e-mail; True when an account was bound. The provider is asked before the unit of work begins."""
    email = _verified_email(access_token)
    return bool(email) and _bind(subject, email)


@transaction
def _bind(subject: str, email: str) -> bool:
    # Locked: a revoke waits for the binding (then finds nothing pending) or the binding for the
    # revoke, and of two first requests of the same person the second finds the invitations taken.
    invitations = db.session.execute(Invitation.lock_pending(
        sa.func.lower(Invitation.email) == email.lower()).order_by(Invitation.id)).scalars().all()
    if not invitations or User.has_account(email):
        return False
    base = usernames.from_email(email)
    username = base
    while db.session.execute(sa.select(User.id).where(User.username == username)).first():
        username = f"{base}-{secrets.token_hex(2)}"
    user = User(username=username, email=email, display_name=email.split("@")[0], auth0_sub=subject,
                last_login_at=utcnow())
    db.session.add(user)
    db.session.flush()
    for invitation in invitations:
        invitation.accept(user)
    return True
