"""Per-address rate limits on the sign-in endpoints (Flask-Limiter; Redis-backed when configured)."""
import logging
import time
from typing import Callable, TypeVar

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from redis.exceptions import RedisClusterException

log = logging.getLogger(__name__)

V = TypeVar("V", bound=Callable)

_LIMITED = "ims_login_rate_limit"


def login_rate_limit(view: V) -> V:
    """Declare on a view that takes a password, e-mail or link token from anyone, or a current password
    from a token's holder: LOGIN_RATE_LIMIT per client address, counted for that view alone. Among the
    view's decorators, anywhere; each app's limiter applies it (`install_rate_limits`), so the counts
    live in that app's storage."""
    setattr(view, _LIMITED, True)
    return view


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
    for endpoint, view in list(app.view_functions.items()):
        if getattr(view, _LIMITED, False):
            app.view_functions[endpoint] = limit(view)
    return limiter


def retry_after_seconds() -> int | None:
    """Seconds until the limit that refused this request resets."""
    limiter = current_app.extensions.get("ims_limiter")
    limit = limiter.current_limit if limiter is not None else None
    return None if limit is None else max(1, int(limit.reset_at - time.time()))
