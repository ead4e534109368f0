"""Small builders for rows and requests, shared by the tests."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from ims.auth import tokens
from ims.extensions import db
from ims.interactions.fields import FIELDS
from ims.interactions.models import Interaction
from ims.sites.models import Site
from ims.sites import provisioning
from tests.local_http import LocalServer
from tests.servers import bounded_until

PASSWORD = "correct-horse-battery"
BASE_TIME = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def make_site(name: str) -> Site:
    site = provisioning.ensure_site(name)
    db.session.commit()
    return site


def make_user(username: str, memberships: dict | None = None, *, password: str = PASSWORD, **fields):
    """memberships: {site: role}. Returns the user."""
    user = provisioning.ensure_user(username, email=fields.pop("email", f"{username}@example.com"), password=password,
                           display_name=fields.pop("display_name", username.title()))
    for site, role in (memberships or {}).items():
        provisioning.ensure_user(username, email=user.email, password=None, site=site, role=role)
    for name, value in fields.items():
        setattr(user, name, value)
    db.session.commit()
    return user


def token_for(user) -> str:
    token, _ttl = tokens.issue_local_token(user.id)
    return token


def bearer(token: str, site=None) -> dict:
    """Request headers carrying `token`, and the site to work in when one is given."""
    headers = {"Authorization": f"Bearer {token}"}
    if site is not None:
        headers["X-Site-ID"] = str(site.id)
    return headers


def headers_for(user, site=None) -> dict:
    return bearer(token_for(user), site)


def login(client, username: str, password: str = PASSWORD, **kwargs):
    """POST /api/auth/login; keyword arguments go to the client (headers, environ_base)."""
    return client.post("/api/auth/login", json={"username": username, "password": password}, **kwargs)


def request_reset(client, email: str):
    return client.post("/api/auth/password-reset", json={"email": email})


def interaction_body(**overrides) -> dict:
    """A create's body: every field's example from the field list, then the overrides."""
    return {**{field.name: field.example for field in FIELDS}, **overrides}


def make_interaction(site, user=None, **overrides) -> Interaction:
    """Insert directly (fast); fields as the API would store them."""
    start = overrides.pop("start_datetime", BASE_TIME)
    values = {
        # a field no test here cares about: as a create that leaves it out stores it, or its example
        **{field.name: field.example if field.required else field.stored_default for field in FIELDS},
        "title": "Site visit", "type": "Visit", "lead": "Jonas Becker", "start_datetime": start,
        "end_datetime": overrides.pop("end_datetime", start + timedelta(hours=1)), "timezone": "Europe/London",
    }
    values.update(overrides)
    interaction = Interaction(site_id=site.id, **values,
                              created_by=user.id if user else None, updated_by=user.id if user else None,
                              created_at=BASE_TIME, updated_at=BASE_TIME)
    db.session.add(interaction)
    db.session.commit()
    return interaction


@pytest.fixture
def world(app):
    """Two sites and a user for each role; `world.hq`, `world.editor`, …"""

    class World:
        pass

    w = World()
    w.hq = make_site("Headquarters")
    w.field = make_site("Field Office")
    w.admin = make_user("admin", {w.hq: "admin", w.field: "admin"}, default_site_id=w.hq.id)
    w.editor = make_user("editor", {w.hq: "editor"})
    w.viewer = make_user("viewer", {w.hq: "viewer"})
    w.field_editor = make_user("fielder", {w.field: "editor"})
    w.outsider = make_user("outsider", {})
    return w


API_KEY = "SG.test-key"


@pytest.fixture
def sendgrid(app, monkeypatch):
    """SendGrid's API stood in for by a local server that records every message."""
    with LocalServer() as server:
        server.answer = lambda request: (202, {})
        monkeypatch.setitem(app.config, "SENDGRID_API_KEY", API_KEY)
        monkeypatch.setitem(app.config, "SENDGRID_API_HOST", server.url)
        yield server


def text_of(mail: dict) -> str:
    return "\n".join(part["value"] for part in mail["content"])


MAIL_SEND = "/v3/mail/send"


def sent_mails(server, count: int = 1) -> list:
    """The requests the stand-in received, once `count` have arrived (the outbox delivers in the background)."""
    arrived = bounded_until(lambda: len(server.requests_to(MAIL_SEND)) >= count and server.requests_to(MAIL_SEND),
                            attempts=100)
    assert arrived, f"expected {count} mail(s), got {len(server.requests_to(MAIL_SEND))}"
    return arrived


def mails_to(server, address: str, count: int = 1) -> list[dict]:
    """The messages to `address` the stand-in received, once `count` have arrived, or all there are after a
    bounded wait."""
    def received():
        return [r.json() for r in server.requests_to(MAIL_SEND)
                if r.json()["personalizations"][0]["to"][0]["email"] == address]
    return bounded_until(lambda: len(received()) >= count and received(), attempts=100) or received()


def mailed_reset_token(server, count: int = 1) -> str:
    """The token of the last reset link the stand-in received, once `count` have arrived (bounded wait)."""
    def arrived():
        mails = [r for r in server.requests_to(MAIL_SEND) if r.json()["subject"] == "Reset your password"]
        return mails if len(mails) >= count else None

    sent = bounded_until(arrived, attempts=100)
    assert sent, f"fewer than {count} reset mail(s) arrived"
    return re.search(r"/reset-password#token=(\S+)", text_of(sent[-1].json())).group(1)


def mailed_tokens(server) -> list[str]:
    """The token of every `#token=` link in the messages the stand-in received so far."""
    return [token for request in server.requests_to(MAIL_SEND)
            for token in re.findall(r"#token=([^\s]+)", text_of(request.json()))]


def columns_holding(text: str) -> list[str]:
    """Every `table.column` of the database (each text, character and JSON column of every table) whose
    stored value contains `text`: a scan of what a database dump would show."""
    db.session.remove()
    columns = db.session.execute(db.text(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb') ORDER BY 1, 2")).all()
    found = [f"{table}.{column}" for table, column in columns if db.session.execute(db.text(
        f'SELECT count(*) FROM "{table}" WHERE strpos("{column}"::text, :text) > 0'), {"text": text}).scalar()]
    db.session.remove()
    return found


# Columns of an interaction the server keeps (who, when, version, the derived search text and its
# digest), as opposed to its fields; a keyed field adds `<field>_key`.
SERVER_KEPT_COLUMNS = {"id", "site_id", "search_text", "search_grams", "keys_digest", "created_at", "created_by",
                       "updated_at", "updated_by", "version"}


def database_columns(table: str) -> dict[str, dict]:
    """The columns of `table` in the migrated database (not the model): name → what inspection says."""
    return {column["name"]: column for column in db.inspect(db.engine).get_columns(table)}


def field_columns(table: str) -> list[str]:
    """The columns of an interactions table in the migrated database that hold a field: all but the
    server-kept ones and the sort keys."""
    names = database_columns(table)
    return [name for name in names if name not in SERVER_KEPT_COLUMNS | {"deleted_at", "deleted_by"}
            and not (name.endswith("_key") and name[:-len("_key")] in names)]


def upload_file(client, headers: dict, content: bytes, filename: str = "contacts.csv", **form):
    """POST /api/imports with `content` as the file (multipart), and form fields (`sheet`)."""
    import io

    return client.post("/api/imports", data={"file": (io.BytesIO(content), filename), **form}, headers=headers,
                       content_type="multipart/form-data")


def run_import(client, headers: dict, import_id: int) -> dict:
    """Start the run and wait for the background work; the import as it ended."""
    from ims import background

    started = client.post(f"/api/imports/{import_id}/run", headers=headers)
    assert started.status_code == 202, started.get_json()
    assert background.wait_idle(60)
    return client.get(f"/api/imports/{import_id}", headers=headers).get_json()
