"""Sign-in, sign-out and password reset: the rules (lockout, audit, e-mail), one transaction each."""
from __future__ import annotations

import hashlib
import json
import logging
import math
import time
import urllib.error
import urllib.request
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from .. import audit
from ..cache import CacheUnavailable
from ..errors import (AccountLocked, BadRequest, Forbidden, InvalidCredentials, ServiceUnavailable,
                      UnprocessableEntity)
from ..extensions import db
from ..notifications.email import send_email
from ..timeutil import as_utc, utcnow
from . import passwords, tokens
from .models import User
from .principal import Principal, deny_list_key

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


def _unknown_user_failures(username: str) -> int:
    """Failures against a username that does not exist, counted in the cache so that
    unknown names lock exactly like real ones and the 423 reveals nothing."""
    key = "login-unknown:" + hashlib.sha256(username.encode()).hexdigest()
    count = int(_cache().get(key) or 0) + 1
    _cache().set(key, str(count).encode(), current_app.config["LOCKOUT_MINUTES"] * 60)
    return count


def login(username: str, password: str) -> tuple[str, int, User]:
    username = username.strip().lower()
    if tokens.auth_mode() == "auth0":
        return _login_with_auth0(username, password)
    config = current_app.config
    user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one_or_none()
    now = utcnow()
    if user is not None and user.locked_until and as_utc(user.locked_until) > now:
        passwords.verify_password(None, password)  # same work as any other attempt
        raise _locked_error(math.ceil((as_utc(user.locked_until) - now).total_seconds()))

    valid = passwords.verify_password(user.password_hash if user else None, password)
    if user is None or not valid or not user.is_active:
        if user is None:
            audit.record("login_failed", changes={"username": username[:150], "reason": "unknown_user"})
            db.session.commit()
            if _unknown_user_failures(username) >= config["LOCKOUT_THRESHOLD"]:
                raise _locked_error(config["LOCKOUT_MINUTES"] * 60)
            raise InvalidCredentials()
        return _record_failure(user, "inactive" if valid else "wrong_password")

    user.failed_login_count = 0
    user.locked_until = None
    user.last_login_at = now
    audit.record("login", user_id=user.id, site_id=user.default_site_id)
    db.session.commit()
    token, ttl = tokens.issue_local_token(user.id)
    return token, ttl, user


def _record_failure(user: User, reason: str):
    config = current_app.config
    user.failed_login_count = (user.failed_login_count or 0) + 1
    audit.record("login_failed", user_id=user.id, changes={"reason": reason, "count": user.failed_login_count})
    locked = user.failed_login_count >= config["LOCKOUT_THRESHOLD"]
    if locked:
        user.locked_until = utcnow() + timedelta(minutes=config["LOCKOUT_MINUTES"])
        user.failed_login_count = 0
        audit.record("locked", user_id=user.id, changes={"minutes": config["LOCKOUT_MINUTES"]})
    db.session.commit()
    if locked:
        send_email(
            user.email, "Your account has been locked",
            f"Hello {user.display_name},\n\nAfter {config['LOCKOUT_THRESHOLD']} failed sign-in attempts your "
            f"account is locked for {config['LOCKOUT_MINUTES']} minutes. If this was not you, reset your "
            f"password: {config['PUBLIC_BASE_URL']}/forgot-password\n",
        )
        raise _locked_error(config["LOCKOUT_MINUTES"] * 60)
    raise InvalidCredentials()


def _login_with_auth0(username: str, password: str) -> tuple[str, int, User]:
    """Resource-owner password exchange with the Auth0 tenant; the token it returns is Auth0's."""
    config = current_app.config
    url = config.get("AUTH0_TOKEN_URL") or f"https://{config['AUTH0_DOMAIN']}/oauth/token"
    body = json.dumps({
        "grant_type": "password", "username": username, "password": password,
        "audience": config["AUTH0_AUDIENCE"], "client_id": config["AUTH0_CLIENT_ID"],
        "client_secret": config["AUTH0_CLIENT_SECRET"], "scope": "openid",
    }).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
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
    user = db.session.execute(db.select(User).filter_by(auth0_sub=verified.subject)).scalar_one_or_none()
    if user is None or not user.is_active:
        raise Forbidden("Your account is not set up in this system; ask an administrator.")
    user.last_login_at = utcnow()
    audit.record("login", user_id=user.id, site_id=user.default_site_id)
    db.session.commit()
    return token, int(answer.get("expires_in", verified.expires_at - time.time())), user


def logout(principal: Principal) -> None:
    token = principal.token
    ttl = max(1, int(token.expires_at - time.time()))
    try:
        _cache().set(deny_list_key(token.token_id), b"1", ttl, strict=True)
    except CacheUnavailable as exc:
        # Answering 204 without a revoked token would be a lie; the client can retry.
        raise ServiceUnavailable("Could not sign out right now; try again shortly.") from exc
    audit.record("logout", user_id=principal.user_id)
    db.session.commit()


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _password_fingerprint(user: User) -> str:
    # Part of the token: once the password changes, every earlier link stops working (single use).
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:20]


def request_password_reset(email: str) -> None:
    """Mail a reset link to each local account with this address. Says nothing about whether one exists."""
    users = db.session.execute(
        db.select(User).where(db.func.lower(User.email) == email.strip().lower(), User.is_active.is_(True))
    ).scalars().all()
    for user in users:
        if user.password_hash:
            send_reset_link(user)


def send_reset_link(user: User, *, requested_by_admin: bool = False) -> bool:
    """Mail a single-use, one-hour link to choose a new password (local accounts only)."""
    token = _reset_serializer().dumps({"uid": user.id, "fp": _password_fingerprint(user)})
    link = f"{current_app.config['PUBLIC_BASE_URL']}/reset-password?token={token}"
    why = ("An administrator asked for this link to be sent to you."
           if requested_by_admin else "If you did not ask for this, ignore this message.")
    return send_email(
        user.email, "Reset your password",
        f"Hello {user.display_name},\n\nUse this link within an hour to choose a new password "
        f"for '{user.username}':\n{link}\n\n{why}\n",
    )


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
    user.password_hash = passwords.hash_password(new_password)
    user.failed_login_count = 0
    user.locked_until = None
    audit.record("password_reset", user_id=user.id)
    db.session.commit()
