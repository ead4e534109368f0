"""Rotating the API's database password without downtime, on a private PostgreSQL that checks passwords
(scram-sha-256): the application secret alternates between two roles, `ims_app` and `ims_app_b`. A rotation
gives the role no task uses a new password (`flask grant-app-role --role-env`, as the rotation's one-off
task runs it), then the services roll onto it; tasks still on the other role keep their connections and open
new ones with the password they started with. Only the next rotation changes that role's password."""
from __future__ import annotations

import os
import secrets
import subprocess
import sys

import psycopg2
import pytest
from flask_migrate import upgrade

from ims import create_app
from ims.config import BACKEND_DIR
from ims.extensions import db
from tests.builders import login, make_user
from tests.conftest import settings_for
from tests.servers import ThrowawayPostgres

HBA = """local all all trust
host all postgres 127.0.0.1/32 trust
host all all 127.0.0.1/32 scram-sha-256
"""


@pytest.fixture
def checked_postgres():
    """A private cluster where every role but the owner must give its password."""
    server = ThrowawayPostgres()
    (server.data / "pg_hba.conf").write_text(HBA)
    try:
        server.start()
        connection = psycopg2.connect(server.url)
        connection.autocommit = True
        connection.cursor().execute("CREATE DATABASE ims")
        connection.close()
        yield server
    finally:
        server.remove()


def url(server: ThrowawayPostgres, role: str = "postgres", password: str | None = None) -> str:
    auth = f"{role}:{password}" if password else role
    return f"postgresql://{auth}@127.0.0.1:{server.port}/ims"


def set_app_role(owner_url: str, role: str, password: str) -> None:
    """The rotation's database step: the secret's pending username and password, given to the role."""
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"), "LOG_LEVEL": "WARNING",
           "DATABASE_URL": owner_url, "APP_DB_USER": role, "APP_DB_PASSWORD": password}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "ims", "grant-app-role", "--role-env",
                             "APP_DB_USER", "--password-env", "APP_DB_PASSWORD"], cwd=BACKEND_DIR, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def api_as(server, role: str, password: str):
    app = create_app(settings_for(url(server, role, password), REDIS_KEY_PREFIX=f"ims-rotation-{secrets.token_hex(4)}:"))
    return app


def signs_in(app) -> int:
    """A sign-in on a fresh connection (the pool emptied first), as a task opening a new connection."""
    with app.app_context():
        db.engine.dispose()
    return login(app.test_client(), "editor").status_code


def connects(server, role: str, password: str) -> bool:
    try:
        psycopg2.connect(url(server, role, password)).close()
    except psycopg2.OperationalError:
        return False
    return True


def test_a_rotation_keeps_old_tasks_serving_and_starts_new_ones_on_the_other_role(checked_postgres, figures):
    owner = url(checked_postgres)
    with create_app(settings_for(owner)).app_context():
        upgrade()
    first, second, third = (secrets.token_hex(20) for _ in range(3))
    set_app_role(owner, "ims_app", first)
    old_tasks = api_as(checked_postgres, "ims_app", first)
    with old_tasks.app_context():
        make_user("editor")
    held = psycopg2.connect(url(checked_postgres, "ims_app", first))  # a connection in an old task's pool

    set_app_role(owner, "ims_app_b", second)  # rotation: the secret's pending version names the other role
    new_tasks = api_as(checked_postgres, "ims_app_b", second)  # tasks the roll starts read the new version
    with held.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM users")
        assert cursor.fetchone() == (1,)  # open connections keep working
    assert signs_in(old_tasks) == 200  # and old tasks open new ones with the password they started with
    assert signs_in(new_tasks) == 200

    set_app_role(owner, "ims_app", third)  # the next rotation, once the roll has replaced the old tasks
    assert not connects(checked_postgres, "ims_app", first) and connects(checked_postgres, "ims_app", third)
    assert signs_in(new_tasks) == 200  # the tasks on ims_app_b are untouched
    held.close()
    figures.update(roles=["ims_app", "ims_app_b"], old_tasks_during_roll=200, new_tasks=200)
