"""Per-address rate limits on the sign-in endpoints (Flask-Limiter; Redis-backed when configured)."""
import logging
import time

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from redis.exceptions import RedisClusterException

log = logging.getLogger(__name__)

# Endpoints that take a password, e-mail or link token from anyone: one LOGIN_RATE_LIMIT each, per client address.
RATE_LIMITED_ENDPOINTS = ("auth.login", "auth.password_reset", "auth.password_reset_confirm",
                          "invitations.lookup_invitation", "invitations.accept_invitation")


def _login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def install_rate_limits(app: Flask) -> Limiter:
    """One limiter per app, so its storage is always this app's (RATELIMIT_* settings)."""
    try:
        limiter = Limiter(key_func=get_remote_address, app=app)
    except RedisClusterException as exc:
        # A Redis Cluster client reads the slot map when built; the API must still start (and
        # limit sign-ins per process) while the cluster is unreachable.
        log.error("rate-limit storage unreachable at start, counting in this process until restart: %s", exc)
        app.config["RATELIMIT_STORAGE_URI"] = "memory://"
        limiter = Limiter(key_func=get_remote_address, app=app)
    app.extensions["ims_limiter"] = limiter
    limit = limiter.limit(_login_rate_limit)
    for endpoint in RATE_LIMITED_ENDPOINTS:
        app.view_functions[endpoint] = limit(app.view_functions[endpoint])
    return limiter


def retry_after_seconds() -> int | None:
    """Seconds until the limit that refused this request resets."""
    limiter = current_app.extensions.get("ims_limiter")
    limit = limiter.current_limit if limiter is not None else None
    return None if limit is None else max(1, int(limit.reset_at - time.time()))
