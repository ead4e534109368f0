"""The settings production refuses to start with: weak or published keys, SQLite, a database reached
without verified TLS, no shared Redis, cookies or HSTS switched off."""
from __future__ import annotations

import math
import zlib
from collections import Counter
from typing import Mapping

from sqlalchemy.engine import make_url

from .config import RDS_CA_BUNDLE, ConfigError

LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1", ""}
WEAK_SECRETS = {"", "dev", "secret", "changeme", "change-me", "development-secret-key"}
# Keys published in this repository's examples: anyone could sign tokens with them.
# tests/drills/test_published_secret_keys.py scans the repository and fails when one is missing here.
PUBLISHED_SECRETS = {
    "change-me-to-a-long-random-string-of-at-least-32-chars",  # .env.example
    "local-development-secret-key-change-me-0123456789",  # docker-compose.local.yml
}
MIN_SECRET_BITS = 128


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
    for name in ("SQLALCHEMY_DATABASE_URI", "MIGRATION_DATABASE_URI", "SQLALCHEMY_READ_URI"):
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
