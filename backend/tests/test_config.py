"""Settings: embedded defaults and the deployment guide's variables (AWS sources: test_config_sources.py,
what production refuses: test_production_guards.py)."""
from __future__ import annotations

import os

import pytest
from sqlalchemy.engine import make_url

from ims import create_app
from ims.cache import make_cache
from ims.config import BACKEND_DIR, ConfigError, build_settings
from ims.memory_cache import MemoryCache

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


def test_without_db_read_host_there_is_no_replica():
    assert build_settings({"DB_HOST": "db.internal"})["SQLALCHEMY_READ_URI"] is None
    assert build_settings({"DB_HOST": "db.internal", "DB_READ_HOST": " "})["SQLALCHEMY_READ_URI"] is None


def test_db_read_host_is_the_primary_with_another_host_and_the_same_credentials_and_tls():
    settings = build_settings({"DB_HOST": "db.internal", "DB_PORT": "6543", "DB_NAME": "imsdb", "DB_USER": "ims",
                               "DB_PASSWORD": "p@ss:w/rd%", "DB_SSLMODE": "verify-full",
                               "DB_READ_HOST": "db-read.internal"})
    primary, replica = make_url(settings["SQLALCHEMY_DATABASE_URI"]), make_url(settings["SQLALCHEMY_READ_URI"])
    assert (replica.host, replica.port) == ("db-read.internal", 6543)
    assert replica.set(host=primary.host) == primary  # user, password, database, sslmode and CA bundle alike
    assert replica.password == "p@ss:w/rd%" and replica.query["sslmode"] == "verify-full"
    options = settings["READ_ENGINE_OPTIONS"]["connect_args"]
    assert options["connect_timeout"] == 1 and options["application_name"] == "ims-api-read"
    with_port = build_settings({"DATABASE_URL": "postgres://u:p@primary:5432/x", "DB_READ_HOST": "reader",
                                "DB_READ_PORT": "5433", "DB_READ_MAX_LAG_SECONDS": "2.5"})
    assert with_port["SQLALCHEMY_READ_URI"] == "postgresql+psycopg2://u:p@reader:5433/x"
    assert with_port["DB_READ_MAX_LAG_SECONDS"] == 2.5


def test_db_read_host_needs_a_postgresql_primary():
    with pytest.raises(ConfigError, match="DB_READ_HOST needs a PostgreSQL primary"):
        build_settings({"DB_READ_HOST": "reader"})


@pytest.mark.parametrize("environ, url", [
    ({"REDIS_HOST": "cache.internal"}, "redis://cache.internal:6379/0"),
    ({"REDIS_HOST": "cache.internal", "REDIS_PORT": "6380", "REDIS_TLS": "true"}, "rediss://cache.internal:6380/0"),
    ({"REDIS_URL": "redis://other:1/2", "REDIS_HOST": "cache.internal"}, "redis://other:1/2"),
])
def test_redis_variables_make_a_url(environ, url):
    settings = build_settings(environ)
    assert settings["REDIS_URL"] == url and settings["RATELIMIT_STORAGE_URI"] == url


def test_what_a_persons_imports_keep_holds_at_least_one_file_of_the_largest_size():
    assert build_settings({})["IMPORT_MAX_STORED_BYTES_PER_USER"] == 200 * 1024 * 1024
    assert build_settings({"IMPORT_MAX_BYTES": "1048576", "IMPORT_MAX_STORED_BYTES_PER_USER": "1048576"})[
        "IMPORT_MAX_STORED_BYTES_PER_USER"] == 1024 * 1024
    with pytest.raises(ConfigError, match="IMPORT_MAX_STORED_BYTES_PER_USER must be at least 20971520"):
        build_settings({"IMPORT_MAX_STORED_BYTES_PER_USER": "1048576"})
    with pytest.raises(ConfigError, match="IMPORT_MAX_STORED_BYTES_PER_USER must be at least 314572800"):
        build_settings({"IMPORT_MAX_BYTES": str(300 * 1024 * 1024)})


def test_unknown_app_env_is_refused():
    with pytest.raises(ConfigError, match="APP_ENV must be development, staging or production"):
        build_settings({"APP_ENV": "prod"})


def test_create_app_refuses_unsafe_production_settings(bare_environment):
    with pytest.raises(ConfigError, match="refusing to start in production"):
        create_app({"APP_ENV": "production", "SECRET_KEY": "dev"})
