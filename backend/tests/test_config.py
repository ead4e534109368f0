"""Settings: embedded defaults, the deployment guide's variables, AWS sources (moto), production refusals."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from ims import create_app
from ims.cache import make_cache
from ims.config import BACKEND_DIR, ConfigError, build_settings
from ims.memory_cache import MemoryCache
from ims.production_guards import check_production
from tests.settings_builders import STRONG_KEY, production

SETTING_PREFIXES = ("APP_ENV", "DB_", "DATABASE_URL", "REDIS_", "AUTH0_", "SENDGRID_", "SECRET_KEY", "SESSION_",
                    "HSTS_", "LOG_LEVEL", "AWS_SSM_PATH", "AWS_SECRET_ID")


@pytest.fixture
def bare_environment(monkeypatch):
    """No deployment variables in the process environment, as on a fresh machine."""
    for name in list(os.environ):
        if name.startswith(SETTING_PREFIXES):
            monkeypatch.delenv(name)


def test_embedded_defaults_without_environment():
    settings = build_settings({})
    assert settings["APP_ENV"] == "development"
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{BACKEND_DIR / 'instance' / 'ims.sqlite3'}"
    assert settings["REDIS_URL"] is None and settings["RATELIMIT_STORAGE_URI"] == "memory://"
    assert isinstance(make_cache(settings["REDIS_URL"], settings["REDIS_KEY_PREFIX"]), MemoryCache)
    assert settings["AUTH0_DOMAIN"] is None and settings["SENDGRID_API_KEY"] is None
    assert len(settings["SECRET_KEY"]) >= 32
    assert build_settings({})["SECRET_KEY"] == settings["SECRET_KEY"]  # stable, so tokens survive restarts
    assert settings["LOGIN_RATE_LIMIT"] == "10/minute" and settings["TOKEN_TTL_SECONDS"] == 24 * 3600


def test_app_built_from_an_empty_environment_runs_embedded(bare_environment):
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.extensions["ims_cache"].kind == "memory"
    assert app.test_client().get("/api/auth/config").get_json() == {"mode": "local"}


def test_db_variables_make_a_postgresql_uri_with_a_quoted_password():
    settings = build_settings({"DB_HOST": "db.internal", "DB_PORT": "6543", "DB_NAME": "imsdb", "DB_USER": "ims",
                               "DB_PASSWORD": "p@ss:w/rd%"})
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg2://ims:p%40ss%3Aw%2Frd%25@db.internal:6543/imsdb"
    assert settings["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is False  # ims.db_outage checks sockets


def test_database_url_wins_over_db_variables():
    settings = build_settings({"DATABASE_URL": "postgres://u:p@elsewhere:5432/x", "DB_HOST": "db.internal"})
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg2://u:p@elsewhere:5432/x"


@pytest.mark.parametrize("environ, url", [
    ({"REDIS_HOST": "cache.internal"}, "redis://cache.internal:6379/0"),
    ({"REDIS_HOST": "cache.internal", "REDIS_PORT": "6380", "REDIS_TLS": "true"}, "rediss://cache.internal:6380/0"),
    ({"REDIS_URL": "redis://other:1/2", "REDIS_HOST": "cache.internal"}, "redis://other:1/2"),
])
def test_redis_variables_make_a_url(environ, url):
    settings = build_settings(environ)
    assert settings["REDIS_URL"] == url and settings["RATELIMIT_STORAGE_URI"] == url


@pytest.mark.parametrize("environ, problem", [
    ({"DB_HOST": ""}, "PostgreSQL database is required"),
    ({"SECRET_KEY": ""}, "SECRET_KEY must be set"),
    ({"SECRET_KEY": "too-short"}, "SECRET_KEY must be set"),
    ({"SESSION_COOKIE_SECURE": "false"}, "SESSION_COOKIE_SECURE"),
    ({"HSTS_ENABLED": "false"}, "HSTS_ENABLED"),
    ({"SECRET_KEY_FALLBACKS": f"{STRONG_KEY[::-1]},dev"}, "each of SECRET_KEY_FALLBACKS must be set"),
], ids=["sqlite", "no key", "short key", "insecure cookies", "no hsts", "weak fallback key"])
def test_production_refuses_unsafe_settings(environ, problem):
    with pytest.raises(ConfigError, match="refusing to start in production") as refused:
        check_production(build_settings(production(**environ)))
    assert problem in str(refused.value)


def test_production_accepts_a_safe_configuration():
    settings = build_settings(production())
    check_production(settings)  # does not raise
    assert settings["HSTS_ENABLED"] is True and settings["SESSION_COOKIE_SECURE"] is True


def test_unknown_app_env_is_refused():
    with pytest.raises(ConfigError, match="APP_ENV must be development, staging or production"):
        build_settings({"APP_ENV": "prod"})


def test_create_app_refuses_unsafe_production_settings(bare_environment):
    with pytest.raises(ConfigError, match="refusing to start in production"):
        create_app({"APP_ENV": "production", "SECRET_KEY": "dev"})


def test_production_start_without_a_database_exits_with_the_reason():
    environ = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"), "APP_ENV": "production"}
    result = subprocess.run([sys.executable, "-c", "from ims import create_app; create_app()"], cwd=BACKEND_DIR,
                            env=environ, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "refusing to start in production" in result.stderr
    assert "PostgreSQL database is required" in result.stderr and "SECRET_KEY" in result.stderr


# ---------------------------------------------------------------- AWS sources (moto: the `aws` fixture)

def test_ssm_parameters_under_the_path_become_settings(aws):
    ssm, _ = aws
    ssm.put_parameter(Name="/prod/CACHE_TTL_SECONDS", Value="20", Type="String")
    ssm.put_parameter(Name="/prod/MAIL_MAX_ATTEMPTS", Value="3", Type="SecureString")
    ssm.put_parameter(Name="/staging/CACHE_TTL_SECONDS", Value="not-this-one", Type="String")
    settings = build_settings({"APP_ENV": "production", "AWS_SSM_PATH": "/prod/", "AWS_REGION": "eu-west-1",
                               "REDIS_HOST": "cache.internal", "DB_HOST": "rds.internal", "SECRET_KEY": STRONG_KEY,
                               "DB_SSLMODE": "verify-full"})
    assert settings["CACHE_TTL_SECONDS"] == 20 and settings["MAIL_MAX_ATTEMPTS"] == 3
    check_production(settings)


def test_secret_json_becomes_settings(aws):
    _, secrets = aws
    secrets.create_secret(Name="ims/prod", SecretString=json.dumps({"SECRET_KEY": STRONG_KEY,
                                                                    "SENDGRID_API_KEY": "SG.x"}))
    settings = build_settings({"AWS_SECRET_ID": "ims/prod", "AWS_REGION": "eu-west-1"})
    assert settings["SECRET_KEY"] == STRONG_KEY and settings["SENDGRID_API_KEY"] == "SG.x"


def test_secret_key_fallbacks_are_a_comma_separated_list_newest_first(aws):
    _, secrets = aws
    older, oldest = STRONG_KEY[::-1], STRONG_KEY.upper()
    secrets.create_secret(Name="ims/prod", SecretString=json.dumps({"SECRET_KEY": STRONG_KEY,
                                                                    "SECRET_KEY_FALLBACKS": f"{older}, {oldest},"}))
    assert build_settings({"AWS_SECRET_ID": "ims/prod", "AWS_REGION": "eu-west-1"})["SECRET_KEY_FALLBACKS"] == [
        older, oldest]
    assert build_settings({})["SECRET_KEY_FALLBACKS"] == []


def test_environment_wins_over_secret_which_wins_over_ssm(aws):
    ssm, secrets = aws
    for name, value in {"LOGIN_RATE_LIMIT": "1/minute", "CACHE_TTL_SECONDS": "11", "LOG_LEVEL": "debug"}.items():
        ssm.put_parameter(Name=f"/prod/{name}", Value=value, Type="String")
    secrets.create_secret(Name="ims/prod", SecretString=json.dumps({"LOGIN_RATE_LIMIT": "2/minute",
                                                                    "CACHE_TTL_SECONDS": "22"}))
    settings = build_settings({"AWS_SSM_PATH": "/prod", "AWS_SECRET_ID": "ims/prod", "AWS_REGION": "eu-west-1",
                               "CACHE_TTL_SECONDS": "33"})
    assert (settings["LOGIN_RATE_LIMIT"], settings["CACHE_TTL_SECONDS"]) == ("2/minute", 33)
    assert settings["LOG_LEVEL"] == "DEBUG"


@pytest.mark.parametrize("raw", ["not json at all", "[1, 2]"])
def test_a_secret_that_is_not_a_json_object_is_refused(aws, raw):
    _, secrets = aws
    secrets.create_secret(Name="ims/prod", SecretString=raw)
    with pytest.raises(ConfigError, match="secret ims/prod is not a JSON object"):
        build_settings({"AWS_SECRET_ID": "ims/prod", "AWS_REGION": "eu-west-1"})
