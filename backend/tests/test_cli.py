"""The `flask --app ims` commands: seed-demo, create-site, create-user."""
from __future__ import annotations

import secrets

import pytest

from ims import create_app
from ims.auth.models import User
from ims.extensions import db
from ims.interactions.models import Interaction
from ims.sites.models import Site
from tests.builders import headers_for, login
from tests.conftest import settings_for


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args))


def site_named(name: str) -> Site | None:
    return db.session.execute(db.select(Site).filter_by(name=name)).scalar_one_or_none()


def user_named(username: str) -> User | None:
    db.session.expire_all()
    return db.session.execute(db.select(User).filter_by(username=username)).scalar_one_or_none()


def roles_of(username: str) -> dict[str, str]:
    return {m.site.name: m.role for m in user_named(username).memberships}


def interactions_in(site: Site) -> int:
    return db.session.execute(db.select(db.func.count()).where(Interaction.site_id == site.id)).scalar_one()


def total_interactions() -> int:
    return db.session.execute(db.select(db.func.count(Interaction.id))).scalar_one()


def test_seed_demo_creates_sites_users_and_interactions(run, client):
    result = run("seed-demo")
    assert result.exit_code == 0, result.output
    assert "200 interactions created" in result.output
    hq, field = site_named("Headquarters"), site_named("Field Office")
    assert hq and field
    assert roles_of("admin") == {"Headquarters": "admin", "Field Office": "admin"}
    assert roles_of("editor") == {"Headquarters": "editor"}
    assert roles_of("viewer") == {"Field Office": "viewer"}
    assert total_interactions() == 200
    assert interactions_in(hq) > 0 and interactions_in(field) > 0
    demo_login = login(client, "editor", "demo-password")
    assert demo_login.status_code == 200


def test_seed_demo_runs_once(run):
    run("seed-demo")
    users, interactions = db.session.execute(db.select(db.func.count(User.id))).scalar_one(), total_interactions()
    again = run("seed-demo")
    assert again.exit_code == 0 and "already present" in again.output
    assert db.session.execute(db.select(db.func.count(User.id))).scalar_one() == users == 3
    assert total_interactions() == interactions == 200


def test_seed_demo_refuses_in_production(app, database_url):
    production = create_app(settings_for(database_url, APP_ENV="production", HSTS_ENABLED=True,
                                         SESSION_COOKIE_SECURE=True, SECRET_KEY=secrets.token_hex(32)))
    with production.app_context():
        result = production.test_cli_runner().invoke(args=["seed-demo"])
        assert result.exit_code != 0
        assert "refuses to run in production" in result.output
        assert db.session.execute(db.select(db.func.count(Site.id))).scalar_one() == 0


def test_demo_data_shows_in_the_finder_per_site(run, client):
    run("seed-demo")
    hq, field = site_named("Headquarters"), site_named("Field Office")
    editor, viewer = user_named("editor"), user_named("viewer")

    page = client.get("/api/interactions?page_size=100", headers=headers_for(editor, hq)).get_json()
    assert page["total"] == interactions_in(hq) > 0
    assert {item["site_id"] for item in page["items"]} == {hq.id}

    field_page = client.get("/api/interactions", headers=headers_for(viewer)).get_json()
    assert field_page["total"] == interactions_in(field) > 0
    assert {item["site_id"] for item in field_page["items"]} == {field.id}


def test_create_site_is_idempotent(run):
    first = run("create-site", "Harbour Depot")
    assert first.exit_code == 0 and "'Harbour Depot' has id" in first.output
    assert run("create-site", "Harbour Depot").exit_code == 0
    assert db.session.execute(db.select(db.func.count(Site.id))).scalar_one() == 1


def test_create_user_and_add_a_membership(run, client):
    created = run("create-user", "Nora", "--email", "nora@example.com", "--password", "long-enough-pw",
                  "--site", "Harbour Depot", "--role", "editor")
    assert created.exit_code == 0, created.output
    assert "user 'nora' is editor at 'Harbour Depot'" in created.output
    nora = user_named("nora")
    assert nora.email == "nora@example.com" and nora.default_site_id == site_named("Harbour Depot").id
    assert login(client, "nora", "long-enough-pw").status_code == 200

    added = run("create-user", "nora", "--email", "nora@example.com", "--site", "Headquarters", "--role", "viewer")
    assert added.exit_code == 0, added.output
    assert roles_of("nora") == {"Harbour Depot": "editor", "Headquarters": "viewer"}
    assert user_named("nora").default_site_id == site_named("Harbour Depot").id


def test_create_user_updates_an_existing_users_email_and_password(run, client):
    run("create-user", "nora", "--email", "nora@example.com", "--password", "long-enough-pw",
        "--site", "Harbour Depot", "--role", "editor")
    again = run("create-user", "nora", "--email", "nora@new.example.com", "--password", "another-long-pw",
                "--site", "Harbour Depot", "--role", "admin")
    assert again.exit_code == 0, again.output
    assert user_named("nora").email == "nora@new.example.com"
    assert roles_of("nora") == {"Harbour Depot": "admin"}
    assert login(client, "nora", "long-enough-pw").status_code == 401
    assert login(client, "nora", "another-long-pw").status_code == 200


def test_create_user_rejects_a_weak_password(run):
    result = run("create-user", "weak", "--email", "weak@example.com", "--password", "short",
                 "--site", "Headquarters", "--role", "viewer")
    assert result.exit_code == 2
    assert "at least 10 characters" in result.output
    assert user_named("weak") is None and site_named("Headquarters") is None


def test_a_name_two_sites_share_is_refused_rather_than_guessed(run, world):
    world.field.name = "Headquarters"  # site names are not unique: an admin renamed theirs
    db.session.commit()
    result = run("create-user", "dana", "--email", "dana@example.org", "--site", "Headquarters", "--role", "viewer")
    assert result.exit_code != 0 and "2 sites are called 'Headquarters'" in result.output
    assert user_named("dana") is None
