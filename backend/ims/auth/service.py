"""Sign-in, sign-out and password reset: the rules (lockout, audit, e-mail), one unit of work each."""
from __future__ import annotations

import hashlib
import json
import logging
import math
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, has_request_context, request
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from .. import audit
from ..errors import (AccountLocked, BadRequest, Forbidden, InvalidCredentials, ServiceUnavailable,
                      UnprocessableEntity)
from ..extensions import db
from ..notifications import outbox
from ..timeutil import utcnow
from ..unit_of_work import in_unit_of_work, transaction
from . import keys, lockout, passwords, sessions, tokens
from .models import User
from .principal import Principal, deny_list_key, load_principal

log = logging.getLogger(__name__)

RESET_MAX_AGE_SECONDS = 3600


def _cache():
    return current_app.extensions["ims_cache"]


def _locked_error(seconds: int) -> AccountLocked:
    minutes = max(1, math.ceil(seconds / 60))
    return AccountLocked(
        f"This account is locked after too many failed sign-in attempts. Try again in {minutes} minute"
        f"{'s' if minutes != 1 else ''}.",
        details={"retry_after": seconds}, headers={"Retry-After": str(seconds)},
    )


def _client_address() -> str | None:
    return request.remote_addr if has_request_context() else None


@dataclass(frozen=True)
class SignedIn:
    """A successful sign-in: the bearer token, its lifetime and who it belongs to."""

    access_token: str
    expires_in: int
    principal: Principal


def login(username: str, password: str) -> SignedIn:
    """Sign in with a password, counted (`_check_counted`); a right password commits the sign-in and
    makes its address a known address of the account."""
    username = username.strip().lower()
    if tokens.auth_mode() == "auth0":
        return _login_with_auth0(username, password)
    user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one_or_none()
    checked = _check_counted(user, username, password, wrong="wrong_password")
    if checked is None:
        raise InvalidCredentials()
    return _sign_in(user, checked)


def check_password_counted(user: User, password: str) -> None:
    """The current-password check of a signed-in person (changing the password, the e-mail address),
    counted in the same budgets as a sign-in from this address: a stolen token guesses no faster than a
    stranger at the sign-in form. Call it before the use case that needs it, outside any unit of work
    (its steps commit on their own). Raises AccountLocked (423, Retry-After) when a budget is spent, and
    UnprocessableEntity on `current_password` when the password is wrong (422, not 401: a mistyped
    password must not end the session it was typed in), audited as a failed sign-in."""
    checked = _check_counted(user, user.username, password, wrong="wrong_current_password")
    if checked is None:
        raise UnprocessableEntity(details={"current_password": ["This is not your current password."]})
    _accept(checked)


@dataclass(frozen=True)
class _Checked:
    """A right password for an active account, and the budget slots its check held."""

    budgets: list[lockout.Budget]
    reservation: lockout.Reservation


def _check_counted(user: User | None, username: str, password: str, *, wrong: str) -> _Checked | None:
    """Every password check: first counted (`lockout.reserve`, committed at once), then hashed only
    within the budgets. A locked-out or failed attempt commits its own audit, locks and lock notice
    before this raises or returns, so it is counted although the request fails. None: a wrong password
    (or unknown or inactive account), audited with the reason `wrong`."""
    if in_unit_of_work():
        raise RuntimeError("a counted password check commits its own steps: call it outside a unit of work")
    budgets = lockout.budgets_for(username, _client_address())
    reservation = lockout.reserve(budgets)
    if reservation.refused(budgets):
        passwords.verify_password(None, password)  # same work as any other attempt
        raise _locked_error(_refuse_locked(user, username, budgets, reservation))
    valid = passwords.verify_password(user.password_hash if user else None, password)
    if user is None or not valid or not user.is_active:
        reason = "unknown_user" if user is None else "inactive" if valid else wrong
        locked = _count_failure(user, username, reason, budgets, reservation)
        if locked:
            raise _locked_error(locked)
        return None
    return _Checked(budgets, reservation)


@transaction
def _accept(checked: _Checked) -> None:
    # Other attempts may have spent the budget while this password was being checked.
    locked = lockout.seconds_locked(checked.budgets)
    if locked:
        raise _locked_error(locked)
    lockout.clear(checked.budgets, checked.reservation)


@transaction
def _sign_in(user: User, checked: _Checked) -> SignedIn:
    _accept(checked)
    lockout.remember_address(checked.budgets)
    user.last_login_at = utcnow()
    audit.record("login", user_id=user.id, site_id=user.default_site_id)
    token, ttl = tokens.issue_local_token(user.id)
    return SignedIn(token, ttl, load_principal(user_id=user.id))


def _attempted(user: User | None, username: str) -> dict:
    # An unknown name may be someone's password typed in the wrong field: only its keyed digest is kept.
    return {} if user is not None else {"username_hmac": lockout.username_digest(username)}


@outbox.sends_mail
def _refuse_locked(user: User | None, username: str, budgets, reservation) -> int:
    """An attempt that found a budget locked or spent: lock what it pushed over, announce it; the
    seconds until the budgets open again. A unit of work of its own: kept though the sign-in fails."""
    _announce_locks(user, username, lockout.lock_overrun(budgets, reservation))
    return max(1, lockout.seconds_locked(budgets))


@outbox.sends_mail
def _count_failure(user: User | None, username: str, reason: str, budgets, reservation) -> int:
    """Audit a wrong password (or unknown or inactive account), lock the budgets it spent and
    announce them; the seconds locked now (0: none). A unit of work of its own: kept though the
    sign-in fails."""
    address_slot = reservation.slots.get(budgets[0].subject, 0)
    audit.record("login_failed", user_id=user.id if user else None,
                 changes={**_attempted(user, username), "reason": reason, "count": address_slot})
    _announce_locks(user, username, lockout.lock(lockout.spent(budgets, reservation)))
    return lockout.seconds_locked(budgets)


def _announce_locks(user: User | None, username: str, newly_locked) -> None:
    """Audit the locks this attempt set, once, and tell a real user (in the caller's unit of work)."""
    if not newly_locked:
        return
    config = current_app.config
    # the widest: "account" (every new address), "known" (every known address) or "address" (this one)
    audit.record("locked", user_id=user.id if user else None,
                 changes={**_attempted(user, username), "minutes": config["LOCKOUT_MINUTES"],
                          "scope": newly_locked[-1].scope})
    if user is not None:
        # queued in the same commit as the audit event: a real and an unknown name cost the same
        outbox.add(
            user.email, "Your account has been locked",
            f"Hello {user.display_name},\n\nAfter repeated failed sign-in attempts your account is locked for "
            f"{config['LOCKOUT_MINUTES']} minutes. If this was not you, or you cannot wait, reset your password "
            f"(that lifts the lock): {config['PUBLIC_BASE_URL']}/forgot-password\n",
        )


def _login_with_auth0(username: str, password: str) -> SignedIn:
    """Resource-owner password exchange with the Auth0 tenant; the token it returns is Auth0's."""
    config = current_app.config
    url = config.get("AUTH0_TOKEN_URL") or f"https://{config['AUTH0_DOMAIN']}/oauth/token"
    body = json.dumps({
        "grant_type": "password", "username": username, "password": password,
        "audience": config["AUTH0_AUDIENCE"], "client_id": config["AUTH0_CLIENT_ID"],
        "client_secret": config["AUTH0_CLIENT_SECRET"], "scope": "openid",
    }).encode()
    headers = {"Content-Type": "application/json"}
    if _client_address():
        # Auth0's brute-force protection then counts the real client, not this API's address
        # (the application needs "Trust Token Endpoint IP Header" enabled).
        headers["auth0-forwarded-for"] = _client_address()
    request = urllib.request.Request(url, data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # nosec B310 - tenant URL from config
            answer = json.load(response)
    except urllib.error.HTTPError as exc:
        if exc.code in (401, 403):
            raise InvalidCredentials() from exc
        raise ServiceUnavailable("The sign-in provider is unavailable; try again shortly.") from exc
    except (OSError, ValueError) as exc:
        raise ServiceUnavailable("The sign-in provider is unavailable; try again shortly.") from exc
    token = answer.get("access_token", "")
    verified = tokens.verify(token)
    return _sign_in_with_auth0(token, int(answer.get("expires_in", verified.expires_at - time.time())),
                               verified.subject)


@transaction
def _sign_in_with_auth0(token: str, expires_in: int, subject: str) -> SignedIn:
    user = db.session.execute(db.select(User).filter_by(auth0_sub=subject)).scalar_one_or_none()
    if user is None or not user.is_active:
        raise Forbidden("Your account is not set up in this system; ask an administrator.")
    user.last_login_at = utcnow()
    audit.record("login", user_id=user.id, site_id=user.default_site_id)
    return SignedIn(token, expires_in, load_principal(user_id=user.id))


@transaction
def logout(principal: Principal) -> None:
    """Sign this token out, in PostgreSQL: it holds whatever Redis forgets, so the sign-out succeeds
    (204) while Redis is down too."""
    token = principal.token
    sessions.revoke(token, principal.user_id, principal.user.get("auth0_sub"))
    # The release before checks only this Redis entry: written too (best effort) while both may run.
    ttl = max(1, math.ceil(token.expires_at + tokens.LEEWAY_SECONDS - time.time()) + 1)
    _cache().set(deny_list_key(token.token_id), b"1", ttl)
    audit.record("logout", user_id=principal.user_id)


def _reset_serializer() -> URLSafeTimedSerializer:
    # itsdangerous signs with the last key of the list and accepts a signature of any of them
    return URLSafeTimedSerializer(list(reversed(keys.verifying_keys())), salt="password-reset")


def _password_fingerprint(user: User) -> str:
    # Part of the token: once the password changes, every earlier link stops working (single use).
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:20]


@outbox.sends_mail
def request_password_reset(email: str) -> None:
    """Mail a reset link to each local account with this address. Says nothing about whether one exists."""
    users = db.session.execute(
        db.select(User).where(db.func.lower(User.email) == email.strip().lower(), User.is_active.is_(True))
    ).scalars().all()
    for user in users:
        if user.password_hash:
            queue_reset_link(user)
    # One commit either way, the messages (if any) with the audit event: known and unknown addresses
    # cost the same, and the event shows who asks for resets without keeping the address.
    audit.record("reset_requested", changes={"email_hmac": lockout.username_digest(email.strip().lower())})


def _reset_message(user: User, *, requested_by_admin: bool) -> tuple[str, str]:
    """Subject and text of a single-use, one-hour link to choose a new password (local accounts only)."""
    token = _reset_serializer().dumps({"uid": user.id, "fp": _password_fingerprint(user)})
    # In the fragment: browsers never send it, so it stays out of server, proxy and CDN logs.
    link = f"{current_app.config['PUBLIC_BASE_URL']}/reset-password#token={token}"
    why = ("An administrator asked for this link to be sent to you."
           if requested_by_admin else "If you did not ask for this, ignore this message.")
    return "Reset your password", (f"Hello {user.display_name},\n\nUse this link within an hour to choose a new "
                                   f"password for '{user.username}':\n{link}\n\n{why}\n")


def queue_reset_link(user: User, *, requested_by_admin: bool = False) -> None:
    """Queue the reset link for `user` in the caller's unit of work (a `outbox.sends_mail` use case)."""
    outbox.add(user.email, *_reset_message(user, requested_by_admin=requested_by_admin),
               expires_at=utcnow() + timedelta(seconds=RESET_MAX_AGE_SECONDS))


@transaction
def confirm_password_reset(token: str, new_password: str) -> None:
    invalid = BadRequest("This reset link is invalid or has expired; ask for a new one.",
                         details={"token": ["Invalid or expired."]})
    try:
        data = _reset_serializer().loads(token, max_age=RESET_MAX_AGE_SECONDS)
    except (SignatureExpired, BadSignature) as exc:
        raise invalid from exc
    user = db.session.get(User, data.get("uid")) if isinstance(data, dict) else None
    if user is None or not user.is_active or data.get("fp") != _password_fingerprint(user):
        raise invalid
    problems = passwords.password_problems(new_password)
    if problems:
        raise UnprocessableEntity(details={"password": problems})
    # Consumed atomically: only while the password is still the one the link was made for. Of two
    # confirmations racing with one link, the second finds the hash changed and is refused.
    consumed = db.session.execute(
        sa.update(User).where(User.id == user.id, User.password_hash == user.password_hash)
        .values(password_hash=passwords.hash_password(new_password), sessions_valid_after=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if not consumed:
        raise invalid
    lockout.clear_account(user.username)
    audit.record("password_reset", user_id=user.id)
