"""Test fixtures: a throwaway PostgreSQL database per run, real Redis under a per-run key prefix.

Each test starts from empty tables (rows deleted after each test). The API's units of work
commit for real, which lets tests exercise concurrency and streamed exports as
production does; emptying a handful of small tables costs a few milliseconds.
"""
from __future__ import annotations

import os
import uuid

import psycopg2
import pytest
import redis
from flask_migrate import upgrade

from ims import create_app
from ims.cache import RedisCache
from ims.extensions import db
from ims.notifications.outbox import stop_all_workers
from tests import error_envelopes, sql_scoping

PG_ADMIN_DSN = os.environ.get("TEST_PG_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
DB_NAME = f"ims_test_{os.getpid()}"
# Byte-order collation, the usual default on Debian and in containers: orders the suite asserts must
# come from the app's own sort keys, never from a friendly database default.
CREATE_DATABASE = "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
RUN_PREFIX = f"ims-test-{os.getpid()}-{uuid.uuid4().hex[:6]}:"
TABLES = ("bulk_items", "bulk_jobs", "import_rows", "imports", "saved_view_defaults", "saved_views", "audit_events", "email_changes", "deleted_interactions", "invitations", "interactions", "site_memberships",
          "revoked_tokens", "users", "sites", "login_throttles", "email_outbox")

# Cheap Argon2 parameters keep the suite fast; production uses the defaults in ims.config.
FAST_HASHING = {"ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024}


def _admin(sql: str) -> None:
    connection = psycopg2.connect(PG_ADMIN_DSN)
    connection.autocommit = True
    try:
        connection.cursor().execute(sql)
    finally:
        connection.close()


def pytest_configure(config):
    try:
        _admin("SELECT 1")
    except psycopg2.OperationalError as exc:
        pytest.exit(f"PostgreSQL is not reachable at {PG_ADMIN_DSN} ({exc}); start it (see README).", returncode=2)
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        pytest.exit(f"Redis is not reachable at {REDIS_URL} ({exc}); start it (see README).", returncode=2)


@pytest.fixture(scope="session")
def database_url():
    _admin(f"DROP DATABASE IF EXISTS {DB_NAME}")
    _admin(CREATE_DATABASE.format(DB_NAME))
    # Durability of a throwaway database is not under test; waiting for fsync on every commit is.
    _admin(f"ALTER DATABASE {DB_NAME} SET synchronous_commit = off")
    yield f"postgresql://postgres@127.0.0.1:5432/{DB_NAME}"
    stop_all_workers()  # the e-mail delivery threads, before their database goes
    _admin(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


def settings_for(database_url: str, **overrides) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url.replace("postgresql://", "postgresql+psycopg2://"),
        "REDIS_URL": REDIS_URL,
        "REDIS_KEY_PREFIX": RUN_PREFIX,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": RUN_PREFIX + "ratelimit",
        # each app its own namespace: the limiter's reset() between tests empties only that
        "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5,
                                      "key_prefix": f"{RUN_PREFIX}limits-{uuid.uuid4().hex[:6]}"},
        "LOGIN_RATE_LIMIT": "1000/minute",
        "INVITATIONS_PER_ADMIN_PER_HOUR": 1000,  # tests of the limits lower them
        "INVITATIONS_PER_SITE_PER_HOUR": 1000,
        "SECRET_KEY": "test-secret-key-" + "x" * 40,
        **FAST_HASHING,
        **overrides,
    }


@pytest.fixture(scope="session")
def app(database_url):
    application = create_app(settings_for(database_url))
    with application.app_context():
        upgrade()
    yield application
    client = redis.Redis.from_url(REDIS_URL)
    for name in client.scan_iter(match=RUN_PREFIX + "*", count=1000):
        client.delete(name)


@pytest.fixture(autouse=True)
def _clean_state(request):
    """Empty tables and a fresh cache namespace for every test that uses the app."""
    if "app" not in request.fixturenames:
        yield
        return
    application = request.getfixturevalue("app")
    application.extensions["ims_cache"] = RedisCache(REDIS_URL, f"{RUN_PREFIX}{uuid.uuid4().hex[:8]}:")
    with application.app_context():
        application.extensions["ims_limiter"].reset()
    ctx = application.app_context()
    ctx.push()
    yield
    stop_all_workers(keep=application)  # apps a test created must not deliver the next test's mail
    db.session.remove()
    for table in TABLES:  # DELETE beats TRUNCATE on tables this small
        db.session.execute(db.text(f"DELETE FROM {table}"))
    db.session.commit()
    db.session.remove()
    ctx.pop()


@pytest.fixture(autouse=True)
def _site_scoped_sql():
    """Fails the test in which the API sent a statement on interactions not bound to the request's
    site (see tests/sql_scoping.py)."""
    with sql_scoping.Watch() as watch:
        yield watch
    if watch.unscoped:
        pytest.fail("statements sent while serving a request are not scoped to its site:\n"
                    + "\n".join(watch.unscoped), pytrace=False)


@pytest.fixture(autouse=True)
def _errors_in_the_envelope():
    """Fails the test in which the API answered an error in another shape than the envelope (see
    tests/error_envelopes.py)."""
    with error_envelopes.Watch() as watch:
        yield watch
    if watch.wrong:
        pytest.fail("errors answered outside the envelope:\n" + "\n".join(watch.wrong), pytrace=False)


@pytest.fixture
def client(app):
    return app.test_client()


# ---------------------------------------------------------------- builders

from tests.builders import *  # noqa: E402,F401,F403  (fixtures and helpers shared by every test module)
from tests.servers import streaming_pair, throwaway_postgres, throwaway_redis  # noqa: E402,F401  (fixtures)
from tests.auth0_tenant import auth0, auth0_app, key, other_key, provisioned, tenant  # noqa: E402,F401  (fixtures)
from tests.settings_builders import aws  # noqa: E402,F401  (fixture)
