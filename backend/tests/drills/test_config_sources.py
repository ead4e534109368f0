"""Settings planted in SSM: anyone who may write a parameter under /<env>/ must not be able to point the
API at their own JWKS, issuer, mail host or database, redirect the links it mails (PUBLIC_BASE_URL),
send its mail through their own provider account (SENDGRID_API_KEY), or weaken its guards. Only an
allow-list of tunables is read from SSM; the rest is ignored with a warning (moto stands in for SSM)."""
from __future__ import annotations

import logging
import re
from pathlib import Path

from ims import config, config_sources
from ims.config import build_settings

PLANTED = {
    "AUTH0_DOMAIN": "evil.example", "AUTH0_JWKS_URL": "https://evil.example/jwks.json",
    "AUTH0_ISSUER": "https://evil.example/", "AUTH0_AUDIENCE": "https://evil.example/api",
    "SENDGRID_API_HOST": "https://mail.evil.example", "DATABASE_URL": "postgresql://evil.example/db",
    "DB_HOST": "db.evil.example", "REDIS_URL": "redis://evil.example:6379/0", "SECRET_KEY": "k" * 64,
    "TRUSTED_PROXY_HOPS": "5", "APP_ENV": "development", "HSTS_ENABLED": "false", "CORS_ORIGINS_EXTRA": "x",
}


def test_planted_security_settings_are_ignored(aws, caplog, figures):
    ssm, _ = aws
    for name, value in PLANTED.items():
        ssm.put_parameter(Name=f"/prod/{name}", Value=value, Type="SecureString")
    ssm.put_parameter(Name="/prod/CACHE_TTL_SECONDS", Value="7", Type="String")
    with caplog.at_level(logging.WARNING, logger="ims.config_sources"):
        settings = build_settings({"APP_ENV": "production", "AWS_SSM_PATH": "/prod/", "AWS_REGION": "eu-west-1"})
    assert settings["CACHE_TTL_SECONDS"] == 7  # an allowed name is read
    assert settings["AUTH0_DOMAIN"] is None and settings["AUTH0_JWKS_URL"] is None
    assert settings["AUTH0_ISSUER"] is None and settings["SENDGRID_API_HOST"] is None
    assert settings["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") and settings["REDIS_URL"] is None
    assert settings["SECRET_KEY"] != "k" * 64 and settings["TRUSTED_PROXY_HOPS"] == 0
    assert settings["APP_ENV"] == "production" and settings["HSTS_ENABLED"] is True
    [warning] = [r.getMessage() for r in caplog.records if "ignored" in r.getMessage()]
    assert all(name in warning for name in PLANTED)
    figures.update(planted=len(PLANTED), taken=0, allowed_names=len(config_sources.SSM_SETTINGS))



# What the mail carries and who may call: each a one-parameter takeover when read from SSM.
LINKS_AND_MAIL = {
    "PUBLIC_BASE_URL": "https://evil.example", "SENDGRID_API_KEY": "SG.attackers-own-account",
    "SENDGRID_FROM_EMAIL": "it-support@evil.example", "CORS_ORIGINS": "https://evil.example",
    "LOGIN_RATE_LIMIT": "100000/second",
}
# Tunables: how much and how fast, never whom to trust or where to send people.
TUNABLES = {"LOG_LEVEL", "CACHE_TTL_SECONDS", "FINDER_COUNT_CAP", "FINDER_SEARCH_COUNT_CAP", "DB_POOL_SIZE",
            "DB_MAX_OVERFLOW", "DB_STATEMENT_TIMEOUT_MS", "MAIL_RETRY_SECONDS", "MAIL_MAX_ATTEMPTS"}


def ignored_names(caplog) -> set[str]:
    [warning] = [r.getMessage() for r in caplog.records
                 if r.name == "ims.config_sources" and "ignored" in r.getMessage()]
    return set(warning.rsplit(": ", 1)[1].split(", "))


def test_planted_link_and_mail_settings_are_ignored(aws, caplog, figures):
    ssm, _ = aws
    for name, value in LINKS_AND_MAIL.items():
        ssm.put_parameter(Name=f"/prod/{name}", Value=value, Type="SecureString")
    environ = {"APP_ENV": "production", "AWS_SSM_PATH": "/prod/", "AWS_REGION": "eu-west-1"}
    with caplog.at_level(logging.WARNING, logger="ims.config_sources"):
        settings = build_settings(environ)
    assert settings["PUBLIC_BASE_URL"] == "http://localhost:8000", "reset and invitation links were redirected"
    assert settings["SENDGRID_API_KEY"] is None and settings["SENDGRID_FROM_EMAIL"] != "it-support@evil.example"
    assert settings["CORS_ORIGINS"] == [] and settings["LOGIN_RATE_LIMIT"] == "10/minute"
    assert ignored_names(caplog) == set(LINKS_AND_MAIL)
    # The task definition's environment and its secret stay the only sources of these.
    with_environment = build_settings({**environ, "PUBLIC_BASE_URL": "https://interactions.example.com"})
    assert with_environment["PUBLIC_BASE_URL"] == "https://interactions.example.com"
    figures.update(planted=len(LINKS_AND_MAIL), taken=0)


def test_of_every_setting_the_config_reads_only_tunables_come_from_ssm(aws, caplog, figures):
    """Every upper-case name in ims/config.py planted at once: what is not reported ignored was taken."""
    ssm, _ = aws
    names = set(re.findall(r'"([A-Z][A-Z0-9_]{2,})"', Path(config.__file__).read_text())) - {"AWS_SSM_PATH"}
    for name in names:
        ssm.put_parameter(Name=f"/prod/{name}", Value="7", Type="String")
    with caplog.at_level(logging.WARNING, logger="ims.config_sources"):
        build_settings({"AWS_SSM_PATH": "/prod/", "AWS_REGION": "eu-west-1"})
    taken = names - ignored_names(caplog)
    assert taken <= TUNABLES, f"security settings read from SSM: {sorted(taken - TUNABLES)}"
    assert {"SECRET_KEY", "DATABASE_URL", "AUTH0_DOMAIN", "TRUSTED_PROXY_HOPS", "PUBLIC_BASE_URL"} <= names
    figures.update(names_planted=len(names), taken_from_ssm=len(taken))
