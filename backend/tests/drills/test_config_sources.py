"""Settings planted in SSM: anyone who may write a parameter under /<env>/ must not be able to point the
API at their own JWKS, issuer, mail host or database, or weaken its guards. Only an allow-list of
names is read from SSM; the rest is ignored with a warning (moto stands in for SSM)."""
from __future__ import annotations

import logging

from ims import config
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
    ssm.put_parameter(Name="/prod/LOGIN_RATE_LIMIT", Value="7/minute", Type="String")
    with caplog.at_level(logging.WARNING, logger="ims.config"):
        settings = build_settings({"APP_ENV": "production", "AWS_SSM_PATH": "/prod/", "AWS_REGION": "eu-west-1"})
    assert settings["LOGIN_RATE_LIMIT"] == "7/minute"  # an allowed name is read
    assert settings["AUTH0_DOMAIN"] is None and settings["AUTH0_JWKS_URL"] is None
    assert settings["AUTH0_ISSUER"] is None and settings["SENDGRID_API_HOST"] is None
    assert settings["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") and settings["REDIS_URL"] is None
    assert settings["SECRET_KEY"] != "k" * 64 and settings["TRUSTED_PROXY_HOPS"] == 0
    assert settings["APP_ENV"] == "production" and settings["HSTS_ENABLED"] is True
    [warning] = [r.getMessage() for r in caplog.records if "ignored" in r.getMessage()]
    assert all(name in warning for name in PLANTED)
    figures.update(planted=len(PLANTED), taken=0, allowed_names=len(config.SSM_SETTINGS))

