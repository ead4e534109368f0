"""Settings from the deployment guide's environment variables, with embedded defaults and production guards."""
from __future__ import annotations

import json
import logging
import math
import zlib
from collections import Counter
import os
import secrets
from pathlib import Path
from typing import Mapping
from urllib.parse import quote

from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

BACKEND_DIR = Path(__file__).resolve().parent.parent
WEAK_SECRETS = {"", "dev", "secret", "changeme", "change-me", "development-secret-key"}
# Keys published in this repository's examples: anyone could sign tokens with them.
# tests/drills/test_published_secret_keys.py scans the repository and fails when one is missing here.
PUBLISHED_SECRETS = {
    "change-me-to-a-long-random-string-of-at-least-32-chars",  # .env.example
    "local-development-secret-key-change-me-0123456789",  # docker-compose.local.yml
}
MIN_SECRET_BITS = 128


# The only settings read from SSM Parameter Store: tunables that change how much or how fast, never whom
# the API trusts or where it sends people. Anyone who may write a parameter under /<env>/ could otherwise
# point every reset and invitation link at their own site (PUBLIC_BASE_URL), send the mail through their
# own SendGrid account and read it (SENDGRID_API_KEY, SENDGRID_FROM_EMAIL), let their own web origin call
# the API with a member's token (CORS_ORIGINS), lift the sign-in throttle (LOGIN_RATE_LIMIT), or redirect
# the database, Redis, Auth0, mail host, keys, proxy hops and production guards. Those come from the task
# definition's environment (rendered by Terraform) or its Secrets Manager secret only; a parameter with
# their name is ignored with a warning. Enforced by tests/drills/test_config_sources.py.
SSM_SETTINGS = frozenset({
    "LOG_LEVEL", "CACHE_TTL_SECONDS", "FINDER_COUNT_CAP", "FINDER_SEARCH_COUNT_CAP",
    "DB_POOL_SIZE", "DB_MAX_OVERFLOW", "DB_STATEMENT_TIMEOUT_MS", "MAIL_RETRY_SECONDS", "MAIL_MAX_ATTEMPTS",
})


class ConfigError(RuntimeError):
    """The configuration is unusable; the message says what to fix."""


def _truthy(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_aws_sources(environ: Mapping[str, str]) -> dict[str, str]:
    """Read SSM parameters under AWS_SSM_PATH and one Secrets Manager secret (a JSON object).

    Parameter `/prod/LOG_LEVEL` becomes setting `LOG_LEVEL`, for the names in SSM_SETTINGS only. The secret wins over SSM;
    the process environment wins over both (see `build_settings`).
    """
    values: dict[str, str] = {}
    path = environ.get("AWS_SSM_PATH")
    secret_id = environ.get("AWS_SECRET_ID")
    if not path and not secret_id:
        return values
    import boto3  # imported lazily: only deployments that use AWS pay for it

    region = environ.get("AWS_REGION") or environ.get("AWS_DEFAULT_REGION")
    if path:
        ignored: list[str] = []
        ssm = boto3.client("ssm", region_name=region)
        prefix = path if path.endswith("/") else path + "/"
        for page in ssm.get_paginator("get_parameters_by_path").paginate(
            Path=prefix.rstrip("/") or "/", Recursive=True, WithDecryption=True
        ):
            for param in page["Parameters"]:
                name = param["Name"].rsplit("/", 1)[-1].upper()
                if name in SSM_SETTINGS:
                    values[name] = param["Value"]
                else:
                    ignored.append(name)
        if ignored:
            log.warning("SSM parameters ignored (only tunables are read from SSM; security settings come from the "
                        "task definition or Secrets Manager): %s", ", ".join(sorted(ignored)))
    if secret_id:
        sm = boto3.client("secretsmanager", region_name=region)
        raw = sm.get_secret_value(SecretId=secret_id)["SecretString"]
        try:
            secret = json.loads(raw)
        except ValueError as exc:
            raise ConfigError(f"secret {secret_id} is not a JSON object") from exc
        if not isinstance(secret, dict):
            raise ConfigError(f"secret {secret_id} is not a JSON object")
        values.update({k.upper(): str(v) for k, v in secret.items()})
    log.info("loaded %d settings from AWS", len(values))
    return values


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
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1", ""}


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


def _development_secret() -> str:
    """A stable per-checkout key for the embedded default, so tokens survive restarts."""
    path = BACKEND_DIR / "instance" / "secret_key"
    path.parent.mkdir(exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def verified_tls_or_local(uri: str) -> bool:
    """A PostgreSQL URL that verifies the server's certificate and name, or one that stays on this host."""
    if not uri.startswith("postgresql"):
        return True
    url = make_url(uri)
    query = {k: v if isinstance(v, str) else v[-1] for k, v in url.query.items()}
    if (url.host or "") in LOOPBACK_HOSTS or (query.get("host") or "").startswith("/"):
        return True
    return query.get("sslmode") == "verify-full" and bool(query.get("sslrootcert"))


def estimated_entropy_bits(key: str) -> float:
    """A conservative estimate: the key's length times the Shannon entropy of its characters, capped by
    how far zlib can squeeze it (a repeated pattern has many distinct characters but little entropy)."""
    counts = Counter(key)
    per_char = -sum(n / len(key) * math.log2(n / len(key)) for n in counts.values())
    squeezed = (len(zlib.compress(key.encode(), 9)) - 8) * 8  # minus zlib's header and checksum
    return min(per_char * len(key), squeezed)


def _weak_key_problems(name: str, key: str) -> list[str]:
    if len(key) < 32 or key.lower() in WEAK_SECRETS:
        return [f"{name} must be set to a random value of at least 32 characters"]
    if key in PUBLISHED_SECRETS:
        return [f"{name} is an example published in the repository; generate one "
                "(python -c 'import secrets; print(secrets.token_hex(32))')"]
    if estimated_entropy_bits(key) < MIN_SECRET_BITS:
        return [f"{name} looks too predictable (under {MIN_SECRET_BITS} bits of entropy); generate "
                "one (python -c 'import secrets; print(secrets.token_hex(32))')"]
    return []


def check_production(settings: Mapping) -> None:
    """Refuse unsafe settings in production: the app must not start with them."""
    if settings["APP_ENV"] != "production":
        return
    problems = []
    if not settings["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        problems.append("a PostgreSQL database is required (set DB_HOST… or DATABASE_URL), not SQLite")
    problems += _weak_key_problems("SECRET_KEY", settings.get("SECRET_KEY") or "")
    # a fallback verifies tokens as SECRET_KEY does: a guessable one would let anyone sign them
    for key in settings.get("SECRET_KEY_FALLBACKS") or ():
        problems += _weak_key_problems("each of SECRET_KEY_FALLBACKS", key)
    for name in ("SQLALCHEMY_DATABASE_URI", "MIGRATION_DATABASE_URI"):
        if settings.get(name) and not verified_tls_or_local(settings[name]):
            problems.append("a PostgreSQL database on another host must be reached with sslmode=verify-full and "
                            f"sslrootcert (DB_SSLMODE=verify-full; the RDS CA bundle is {RDS_CA_BUNDLE})")
            break
    if not settings.get("REDIS_URL"):
        problems.append("Redis is required (set REDIS_HOST or REDIS_URL): the cached principals, which every "
                        "sign-out invalidates, and rate limits must be shared by every process, not kept in "
                        "each one's memory")
    if not settings.get("SESSION_COOKIE_SECURE"):
        problems.append("cookies must be HTTPS-only (SESSION_COOKIE_SECURE must not be false)")
    if not settings.get("HSTS_ENABLED"):
        problems.append("HSTS must be enabled (HSTS_ENABLED must not be false)")
    if problems:
        raise ConfigError("refusing to start in production: " + "; ".join(problems))
