"""The settings model: Flask config from the deployment guide's environment variables (laid over what
`config_sources` reads from AWS), with embedded defaults. `production_guards` refuses unsafe ones."""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Mapping
from urllib.parse import quote

from sqlalchemy.engine import make_url

from .config_sources import ConfigError, load_aws_sources

__all__ = ["BACKEND_DIR", "ConfigError", "build_settings", "engine_options", "read_engine_options"]

BACKEND_DIR = Path(__file__).resolve().parent.parent


def _truthy(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(env: Mapping[str, str], name: str, default: int, *, minimum: int | None = None) -> int:
    raw = env.get(name, "")
    try:
        value = int(raw) if raw.strip() else default
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, not {value}")
    return value


RDS_CA_BUNDLE = "/etc/ssl/certs/rds-global-bundle.pem"  # added to the image by docker/backend/Dockerfile


def _sqlalchemy_url(url: str) -> str:
    for scheme in ("postgres://", "postgresql://"):
        if url.startswith(scheme):  # SQLAlchemy 2.1 would pick psycopg 3; we ship psycopg2
            return "postgresql+psycopg2://" + url[len(scheme):]
    return url


def _database_uri(env: Mapping[str, str]) -> str:
    if env.get("DATABASE_URL"):
        return _sqlalchemy_url(env["DATABASE_URL"])
    if env.get("DB_HOST"):
        user = quote(env.get("DB_USER", "postgres"), safe="")
        password = env.get("DB_PASSWORD")
        auth = f"{user}:{quote(password, safe='')}" if password else user
        uri = f"postgresql+psycopg2://{auth}@{env['DB_HOST']}:{env.get('DB_PORT', '5432')}/{env.get('DB_NAME', 'ims')}"
        sslmode = env.get("DB_SSLMODE")
        if sslmode:
            uri += f"?sslmode={quote(sslmode, safe='')}"
            rootcert = env.get("DB_SSLROOTCERT") or (RDS_CA_BUNDLE if sslmode.startswith("verify") else "")
            if rootcert:
                uri += f"&sslrootcert={quote(rootcert, safe='/')}"
        return uri
    instance = BACKEND_DIR / "instance"
    instance.mkdir(exist_ok=True)
    return f"sqlite:///{instance / 'ims.sqlite3'}"


def _read_uri(database_uri: str, env: Mapping[str, str]) -> str | None:
    """The read replica (DB_READ_HOST, DB_READ_PORT): the primary's URL with another host and port, so
    the same credentials, database and TLS settings (an RDS replica shares them). None: no replica."""
    host = (env.get("DB_READ_HOST") or "").strip()
    if not host:
        return None
    if not database_uri.startswith("postgresql"):
        raise ConfigError("DB_READ_HOST needs a PostgreSQL primary (DB_HOST or DATABASE_URL)")
    port = _int(env, "DB_READ_PORT", make_url(database_uri).port or 5432, minimum=1)
    return make_url(database_uri).set(host=host, port=port).render_as_string(hide_password=False)


def _tls(env: Mapping[str, str]) -> bool:
    return (env.get("REDIS_URL") or "").startswith("rediss://") or _truthy(env.get("REDIS_TLS"))


def _redis_url(env: Mapping[str, str]) -> str | None:
    if env.get("REDIS_URL"):
        return env["REDIS_URL"]
    if env.get("REDIS_HOST"):
        scheme = "rediss" if _truthy(env.get("REDIS_TLS")) else "redis"
        return f"{scheme}://{env['REDIS_HOST']}:{env.get('REDIS_PORT', '6379')}/0"
    return None


def _ratelimit_storage_uri(redis_url: str | None, cluster: bool) -> str:
    """limits' storage URI: the same Redis, through its cluster client when REDIS_CLUSTER is set."""
    if not redis_url:
        return "memory://"
    if not cluster:
        return redis_url
    _, _, rest = redis_url.partition("://")
    return "redis+cluster://" + rest.split("/", 1)[0]  # a cluster has no database number


def build_settings(environ: Mapping[str, str] | None = None) -> dict:
    """Flask config from the environment (plus AWS sources when configured)."""
    environ = dict(os.environ if environ is None else environ)
    env = {**load_aws_sources(environ), **environ}
    app_env = env.get("APP_ENV", "development")
    if app_env not in {"development", "staging", "production"}:
        raise ConfigError(f"APP_ENV must be development, staging or production, not {app_env!r}")
    production = app_env == "production"
    if env.get("AUTH0_DOMAIN") and not env.get("AUTH0_AUDIENCE"):
        raise ConfigError("AUTH0_AUDIENCE is required with AUTH0_DOMAIN: tokens are checked for this API's audience")
    database_uri = _database_uri(env)
    redis_cluster = _truthy(env.get("REDIS_CLUSTER"))
    secret_key = env.get("SECRET_KEY") or ""
    if not secret_key and not production:
        secret_key = _development_secret()
    import_max_bytes = _int(env, "IMPORT_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
    settings = {
        "APP_ENV": app_env,
        "LOG_LEVEL": env.get("LOG_LEVEL", "INFO").upper(),
        "SECRET_KEY": secret_key,
        # Keys SECRET_KEY replaced, newest first, comma-separated: what they signed (tokens, reset links)
        # still verifies; nothing new is signed with them. Empty them once the overlap window has passed
        # (the longest of TOKEN_TTL_SECONDS and the reset links' hour). docs/DEPLOYMENT.md, Rotate secrets.
        "SECRET_KEY_FALLBACKS": _key_list(env.get("SECRET_KEY_FALLBACKS")),
        "SQLALCHEMY_DATABASE_URI": database_uri,
        # the owner role `flask db upgrade` uses; DATABASE_URL is then the least-privilege application role
        "MIGRATION_DATABASE_URI": _sqlalchemy_url(env["MIGRATION_DATABASE_URL"]) if env.get("MIGRATION_DATABASE_URL")
        else None,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_uri, env),
        # A streaming replica for the Finder, insights and exports (ims.read_replica); None: all on the primary.
        "SQLALCHEMY_READ_URI": _read_uri(database_uri, env),
        "READ_ENGINE_OPTIONS": read_engine_options(env),
        # a replica further behind than this answers nobody (the primary does)
        "DB_READ_MAX_LAG_SECONDS": float(env.get("DB_READ_MAX_LAG_SECONDS", "5")),
        # after a failed connection the replica is left alone this long, then tried again
        "DB_READ_RETRY_SECONDS": float(env.get("DB_READ_RETRY_SECONDS", "5")),
        # how long a process trusts the replica's last reported position before asking again
        "DB_READ_POSITION_SECONDS": float(env.get("DB_READ_POSITION_SECONDS", "0.25")),
        "REDIS_URL": _redis_url(env),
        "REDIS_KEY_PREFIX": env.get("REDIS_KEY_PREFIX", "ims:"),
        "REDIS_CLUSTER": redis_cluster,
        "CACHE_TTL_SECONDS": int(env.get("CACHE_TTL_SECONDS", "300")),
        # Bounds how long a principal changed while Redis was unreachable can be served from it.
        "PRINCIPAL_CACHE_TTL_SECONDS": int(env.get("PRINCIPAL_CACHE_TTL_SECONDS", "300")),
        "AUTH0_DOMAIN": env.get("AUTH0_DOMAIN") or None,
        "AUTH0_AUDIENCE": env.get("AUTH0_AUDIENCE") or None,
        "AUTH0_CLIENT_ID": env.get("AUTH0_CLIENT_ID") or None,
        "AUTH0_CLIENT_SECRET": env.get("AUTH0_CLIENT_SECRET") or None,
        "AUTH0_ISSUER": env.get("AUTH0_ISSUER") or None,
        "AUTH0_JWKS_URL": env.get("AUTH0_JWKS_URL") or None,
        "AUTH0_TOKEN_URL": env.get("AUTH0_TOKEN_URL") or None,
        "AUTH0_JWKS_CACHE_SECONDS": float(env.get("AUTH0_JWKS_CACHE_SECONDS", "600")),
        "AUTH0_USERINFO_URL": env.get("AUTH0_USERINFO_URL") or None,
        "SENDGRID_API_KEY": env.get("SENDGRID_API_KEY") or None,
        "SENDGRID_FROM_EMAIL": env.get("SENDGRID_FROM_EMAIL", "no-reply@interactions.example.com"),
        "SENDGRID_API_HOST": env.get("SENDGRID_API_HOST") or None,
        # e-mail delivery from the outbox: first retry after MAIL_RETRY_SECONDS, doubling, MAIL_MAX_ATTEMPTS in all
        "MAIL_RETRY_SECONDS": float(env.get("MAIL_RETRY_SECONDS", "30")),
        "MAIL_MAX_ATTEMPTS": int(env.get("MAIL_MAX_ATTEMPTS", "8")),
        "MAIL_POLL_SECONDS": float(env.get("MAIL_POLL_SECONDS", "10")),
        "PUBLIC_BASE_URL": env.get("PUBLIC_BASE_URL", "http://localhost:8000").rstrip("/"),
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "10/minute"),
        # Proxies in front of the API whose X-Forwarded-For/-Proto entries are trusted (1 behind the ALB).
        # Only the last N entries count, so a client cannot choose its own address by writing the header.
        "TRUSTED_PROXY_HOPS": _int(env, "TRUSTED_PROXY_HOPS", 0, minimum=0),
        "CORS_ORIGINS": [o.strip() for o in env.get("CORS_ORIGINS", "").split(",") if o.strip()],
        "HSTS_ENABLED": _truthy(env.get("HSTS_ENABLED"), default=production),
        "SESSION_COOKIE_SECURE": _truthy(env.get("SESSION_COOKIE_SECURE"), default=production),
        "SESSION_COOKIE_HTTPONLY": True,
        "SPA_DIST": env.get("SPA_DIST") or str(BACKEND_DIR.parent / "frontend" / "dist"),
        "SPA_CONFIG": {key: env.get(key, "") for key in (
            "REACT_APP_API_URL", "REACT_APP_AUTH0_DOMAIN", "REACT_APP_AUTH0_CLIENT_ID", "REACT_APP_AUTH0_AUDIENCE")},
        "MAX_CONTENT_LENGTH": int(env.get("MAX_CONTENT_LENGTH", str(256 * 1024))),
        # spreadsheet imports (ims/imports/limits.py): the file's bytes (the upload's body may exceed
        # MAX_CONTENT_LENGTH by this much, on that route alone), a workbook's unpacked bytes, rows per batch
        "IMPORT_MAX_BYTES": import_max_bytes,
        "IMPORT_MAX_UNCOMPRESSED_BYTES": _int(env, "IMPORT_MAX_UNCOMPRESSED_BYTES", 100 * 1024 * 1024, minimum=1024),
        "IMPORT_BATCH_ROWS": _int(env, "IMPORT_BATCH_ROWS", 1000, minimum=1),
        "IMPORT_CONCURRENT_PER_USER": _int(env, "IMPORT_CONCURRENT_PER_USER", 2, minimum=1),
        # the files one person's imports may keep at once (beyond: 409 until they discard some); at least
        # one file of the largest size
        "IMPORT_MAX_STORED_BYTES_PER_USER": _int(env, "IMPORT_MAX_STORED_BYTES_PER_USER", 200 * 1024 * 1024,
                                                 minimum=import_max_bytes),
        "TOKEN_TTL_SECONDS": int(env.get("TOKEN_TTL_SECONDS", str(24 * 3600))),
        # failures per (username, client address) before that address is locked out; also the budget the
        # account's known addresses (those it signed in from) share
        "LOCKOUT_THRESHOLD": 5,
        # password checks per username from all new addresses together (see ims.auth.lockout): guessing
        # spread over many addresses, however simultaneous, gets this many per lockout window
        "LOCKOUT_ACCOUNT_THRESHOLD": int(env.get("LOCKOUT_ACCOUNT_THRESHOLD", "5")),
        "LOCKOUT_MINUTES": 15,
        # an address that signed in to an account within this many days keeps its own budget when
        # strangers have locked the account
        "LOCKOUT_KNOWN_ADDRESS_DAYS": 90,
        "INVITATION_TTL_HOURS": int(env.get("INVITATION_TTL_HOURS", "168")),
        # invitations (e-mails to any address) in any hour, per sending admin and per site; beyond: 429
        "INVITATIONS_PER_ADMIN_PER_HOUR": _int(env, "INVITATIONS_PER_ADMIN_PER_HOUR", 20, minimum=1),
        "INVITATIONS_PER_SITE_PER_HOUR": _int(env, "INVITATIONS_PER_SITE_PER_HOUR", 50, minimum=1),
        "DELETED_RETENTION_DAYS": int(env.get("DELETED_RETENTION_DAYS", "30")),
        "FINDER_COUNT_CAP": int(env.get("FINDER_COUNT_CAP", "10000")),
        # searches count less far: each match is rechecked in the heap (see interactions.queries)
        "FINDER_SEARCH_COUNT_CAP": int(env.get("FINDER_SEARCH_COUNT_CAP", "1000")),
        # expensive work per user (ims.user_limits): beyond these the API answers 429 with Retry-After
        "FINDER_CONCURRENT_PER_USER": int(env.get("FINDER_CONCURRENT_PER_USER", "4")),
        "FINDER_BYPASS_PER_MINUTE": int(env.get("FINDER_BYPASS_PER_MINUTE", "10")),
        "EXPORT_CONCURRENT_PER_USER": int(env.get("EXPORT_CONCURRENT_PER_USER", "2")),
        "EXPORT_TIMEOUT_SECONDS": int(env.get("EXPORT_TIMEOUT_SECONDS", "60")),
        # …within this time for page and count together (past it the total is a lower bound)
        "FINDER_COUNT_BUDGET_MS": int(env.get("FINDER_COUNT_BUDGET_MS", "250")),
        # every statement of a Finder page is cancelled past this (503), below DB_STATEMENT_TIMEOUT_MS
        "FINDER_STATEMENT_TIMEOUT_MS": int(env.get("FINDER_STATEMENT_TIMEOUT_MS", "2000")),
        "ARGON2_TIME_COST": int(env.get("ARGON2_TIME_COST", "3")),
        "ARGON2_MEMORY_COST": int(env.get("ARGON2_MEMORY_COST", str(64 * 1024))),
        # Flask-Limiter: shared storage in Redis when configured, and never an error when it is down.
        "RATELIMIT_STORAGE_URI": _ratelimit_storage_uri(_redis_url(env), redis_cluster),
        "RATELIMIT_KEY_PREFIX": env.get("REDIS_KEY_PREFIX", "ims:") + "ratelimit",
        "RATELIMIT_SWALLOW_ERRORS": True,
        # A sliding window: a fixed one lets twice the budget through around each window boundary.
        "RATELIMIT_STRATEGY": "moving-window",
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_HEADERS_ENABLED": False,  # Retry-After is set by ims.errors on 429 only
        # limits' own key prefix: its reset() deletes every key under it, so it must be ours alone.
        "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5,
                                      "key_prefix": env.get("REDIS_KEY_PREFIX", "ims:") + "limits",
                                      **({"ssl": True} if redis_cluster and _tls(env) else {})},
        # OpenAPI document at /api/openapi.json
        "API_TITLE": "Interaction Management System API",
        "API_VERSION": "1.0.0",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "openapi.json",
        "JSON_SORT_KEYS": False,
    }
    return settings


def _key_list(raw: str | None) -> list[str]:
    return [key.strip() for key in (raw or "").split(",") if key.strip()]


def engine_options(database_uri: str, env: Mapping[str, str]) -> dict:
    if not database_uri.startswith("postgresql"):
        return {"connect_args": {"check_same_thread": False}}
    statement_timeout = int(env.get("DB_STATEMENT_TIMEOUT_MS", "5000"))
    return {
        # No SELECT 1 before each checkout: ims.db_outage checks the socket instead, for free.
        "pool_pre_ping": False,
        "pool_size": int(env.get("DB_POOL_SIZE", "5")),
        "max_overflow": int(env.get("DB_MAX_OVERFLOW", "10")),
        "pool_timeout": float(env.get("DB_POOL_TIMEOUT", "2")),
        "pool_recycle": 1800,
        "connect_args": {
            "connect_timeout": int(env.get("DB_CONNECT_TIMEOUT", "2")),
            "options": f"-c statement_timeout={statement_timeout}",
            "application_name": "ims-api",
        },
    }


def read_engine_options(env: Mapping[str, str]) -> dict:
    """The replica's pool: as the primary's, with a short connect timeout (an unreachable replica costs a
    read at most this long once, then its circuit sends reads to the primary)."""
    options = engine_options("postgresql", env)
    options["connect_args"] = {**options["connect_args"], "application_name": "ims-api-read",
                               "connect_timeout": int(env.get("DB_READ_CONNECT_TIMEOUT", "1"))}
    return options


def _development_secret() -> str:
    """A stable per-checkout key for the embedded default, so tokens survive restarts."""
    path = BACKEND_DIR / "instance" / "secret_key"
    path.parent.mkdir(exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


