"""Settings from the deployment guide's environment variables, with embedded defaults and production guards."""
from __future__ import annotations

import json
import logging
import os
import secrets
from pathlib import Path
from typing import Mapping
from urllib.parse import quote

log = logging.getLogger(__name__)

BACKEND_DIR = Path(__file__).resolve().parent.parent
WEAK_SECRETS = {"", "dev", "secret", "changeme", "change-me", "development-secret-key"}


class ConfigError(RuntimeError):
    """The configuration is unusable; the message says what to fix."""


def _truthy(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_aws_sources(environ: Mapping[str, str]) -> dict[str, str]:
    """Read SSM parameters under AWS_SSM_PATH and one Secrets Manager secret (a JSON object).

    Parameter `/prod/DB_HOST` becomes setting `DB_HOST`. The secret wins over SSM;
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
        ssm = boto3.client("ssm", region_name=region)
        prefix = path if path.endswith("/") else path + "/"
        for page in ssm.get_paginator("get_parameters_by_path").paginate(
            Path=prefix.rstrip("/") or "/", Recursive=True, WithDecryption=True
        ):
            for param in page["Parameters"]:
                values[param["Name"].rsplit("/", 1)[-1].upper()] = param["Value"]
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


def _database_uri(env: Mapping[str, str]) -> str:
    if env.get("DATABASE_URL"):
        url = env["DATABASE_URL"]
        for scheme in ("postgres://", "postgresql://"):
            if url.startswith(scheme):  # SQLAlchemy 2.1 would pick psycopg 3; we ship psycopg2
                return "postgresql+psycopg2://" + url[len(scheme):]
        return url
    if env.get("DB_HOST"):
        user = quote(env.get("DB_USER", "postgres"), safe="")
        password = env.get("DB_PASSWORD")
        auth = f"{user}:{quote(password, safe='')}" if password else user
        uri = f"postgresql+psycopg2://{auth}@{env['DB_HOST']}:{env.get('DB_PORT', '5432')}/{env.get('DB_NAME', 'ims')}"
        if env.get("DB_SSLMODE"):
            uri += f"?sslmode={env['DB_SSLMODE']}"
        return uri
    instance = BACKEND_DIR / "instance"
    instance.mkdir(exist_ok=True)
    return f"sqlite:///{instance / 'ims.sqlite3'}"


def _redis_url(env: Mapping[str, str]) -> str | None:
    if env.get("REDIS_URL"):
        return env["REDIS_URL"]
    if env.get("REDIS_HOST"):
        scheme = "rediss" if _truthy(env.get("REDIS_TLS")) else "redis"
        return f"{scheme}://{env['REDIS_HOST']}:{env.get('REDIS_PORT', '6379')}/0"
    return None


def build_settings(environ: Mapping[str, str] | None = None) -> dict:
    """Flask config from the environment (plus AWS sources when configured)."""
    environ = dict(os.environ if environ is None else environ)
    env = {**load_aws_sources(environ), **environ}
    app_env = env.get("APP_ENV", "development")
    if app_env not in {"development", "staging", "production"}:
        raise ConfigError(f"APP_ENV must be development, staging or production, not {app_env!r}")
    production = app_env == "production"
    database_uri = _database_uri(env)
    secret_key = env.get("SECRET_KEY") or ""
    if not secret_key and not production:
        secret_key = _development_secret()
    settings = {
        "APP_ENV": app_env,
        "LOG_LEVEL": env.get("LOG_LEVEL", "INFO").upper(),
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_uri, env),
        "REDIS_URL": _redis_url(env),
        "REDIS_KEY_PREFIX": env.get("REDIS_KEY_PREFIX", "ims:"),
        "CACHE_TTL_SECONDS": int(env.get("CACHE_TTL_SECONDS", "300")),
        "AUTH0_DOMAIN": env.get("AUTH0_DOMAIN") or None,
        "AUTH0_AUDIENCE": env.get("AUTH0_AUDIENCE") or None,
        "AUTH0_CLIENT_ID": env.get("AUTH0_CLIENT_ID") or None,
        "AUTH0_CLIENT_SECRET": env.get("AUTH0_CLIENT_SECRET") or None,
        "AUTH0_ISSUER": env.get("AUTH0_ISSUER") or None,
        "AUTH0_JWKS_URL": env.get("AUTH0_JWKS_URL") or None,
        "AUTH0_TOKEN_URL": env.get("AUTH0_TOKEN_URL") or None,
        "AUTH0_USERINFO_URL": env.get("AUTH0_USERINFO_URL") or None,
        "SENDGRID_API_KEY": env.get("SENDGRID_API_KEY") or None,
        "SENDGRID_FROM_EMAIL": env.get("SENDGRID_FROM_EMAIL", "no-reply@interactions.example.com"),
        "SENDGRID_API_HOST": env.get("SENDGRID_API_HOST") or None,
        "PUBLIC_BASE_URL": env.get("PUBLIC_BASE_URL", "http://localhost:8000").rstrip("/"),
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "10/minute"),
        "CORS_ORIGINS": [o.strip() for o in env.get("CORS_ORIGINS", "").split(",") if o.strip()],
        "HSTS_ENABLED": _truthy(env.get("HSTS_ENABLED"), default=production),
        "SESSION_COOKIE_SECURE": _truthy(env.get("SESSION_COOKIE_SECURE"), default=production),
        "SESSION_COOKIE_HTTPONLY": True,
        "SPA_DIST": env.get("SPA_DIST") or str(BACKEND_DIR.parent / "frontend" / "dist"),
        "SPA_CONFIG": {key: env.get(key, "") for key in (
            "REACT_APP_API_URL", "REACT_APP_AUTH0_DOMAIN", "REACT_APP_AUTH0_CLIENT_ID", "REACT_APP_AUTH0_AUDIENCE")},
        "MAX_CONTENT_LENGTH": int(env.get("MAX_CONTENT_LENGTH", str(256 * 1024))),
        "TOKEN_TTL_SECONDS": int(env.get("TOKEN_TTL_SECONDS", str(24 * 3600))),
        "LOCKOUT_THRESHOLD": 5,
        "LOCKOUT_MINUTES": 15,
        "INVITATION_TTL_HOURS": int(env.get("INVITATION_TTL_HOURS", "168")),
        "DELETED_RETENTION_DAYS": int(env.get("DELETED_RETENTION_DAYS", "30")),
        "FINDER_COUNT_CAP": int(env.get("FINDER_COUNT_CAP", "10000")),
        # searches count less far: each match is rechecked in the heap (see interactions.queries)
        "FINDER_SEARCH_COUNT_CAP": int(env.get("FINDER_SEARCH_COUNT_CAP", "1000")),
        "ARGON2_TIME_COST": int(env.get("ARGON2_TIME_COST", "3")),
        "ARGON2_MEMORY_COST": int(env.get("ARGON2_MEMORY_COST", str(64 * 1024))),
        # Flask-Limiter: shared storage in Redis when configured, and never an error when it is down.
        "RATELIMIT_STORAGE_URI": _redis_url(env) or "memory://",
        "RATELIMIT_KEY_PREFIX": env.get("REDIS_KEY_PREFIX", "ims:") + "ratelimit",
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_HEADERS_ENABLED": False,  # Retry-After is set by ims.errors on 429 only
        "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        # OpenAPI document at /api/openapi.json
        "API_TITLE": "Interaction Management System API",
        "API_VERSION": "1.0.0",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "openapi.json",
        "JSON_SORT_KEYS": False,
    }
    return settings


def engine_options(database_uri: str, env: Mapping[str, str]) -> dict:
    if not database_uri.startswith("postgresql"):
        return {"connect_args": {"check_same_thread": False}}
    statement_timeout = int(env.get("DB_STATEMENT_TIMEOUT_MS", "5000"))
    return {
        "pool_pre_ping": True,
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


def check_production(settings: Mapping) -> None:
    """Refuse unsafe settings in production: the app must not start with them."""
    if settings["APP_ENV"] != "production":
        return
    problems = []
    if not settings["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        problems.append("a PostgreSQL database is required (set DB_HOST… or DATABASE_URL), not SQLite")
    key = settings.get("SECRET_KEY") or ""
    if len(key) < 32 or key.lower() in WEAK_SECRETS:
        problems.append("SECRET_KEY must be set to a random value of at least 32 characters")
    if not settings.get("SESSION_COOKIE_SECURE"):
        problems.append("cookies must be HTTPS-only (SESSION_COOKIE_SECURE must not be false)")
    if not settings.get("HSTS_ENABLED"):
        problems.append("HSTS must be enabled (HSTS_ENABLED must not be false)")
    if problems:
        raise ConfigError("refusing to start in production: " + "; ".join(problems))
