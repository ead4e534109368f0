"""What production refuses to start with, and how it says so."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ims.config import BACKEND_DIR, ConfigError, build_settings
from ims.production_guards import check_production
from tests.settings_builders import STRONG_KEY, production


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


def test_production_reaches_the_read_replica_as_the_primary_with_verified_tls():
    check_production(build_settings(production(DB_READ_HOST="db-read.internal")))  # inherits verify-full
    unverified = {**build_settings(production()), "SQLALCHEMY_READ_URI": "postgresql+psycopg2://ims@db-read.internal/ims"}
    with pytest.raises(ConfigError, match="sslmode=verify-full"):
        check_production(unverified)


def test_production_accepts_a_safe_configuration():
    settings = build_settings(production())
    check_production(settings)  # does not raise
    assert settings["HSTS_ENABLED"] is True and settings["SESSION_COOKIE_SECURE"] is True


def test_production_start_without_a_database_exits_with_the_reason():
    environ = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"), "APP_ENV": "production"}
    result = subprocess.run([sys.executable, "-c", "from ims import create_app; create_app()"], cwd=BACKEND_DIR,
                            env=environ, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "refusing to start in production" in result.stderr
    assert "PostgreSQL database is required" in result.stderr and "SECRET_KEY" in result.stderr
