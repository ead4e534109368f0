"""Expand and contract: during a blue-green deploy (and after a rollback) the previous release serves
on this release's schema. Its API runs here from git, in a process of its own on the test database,
beside this release's API: it signs in, creates and edits; this release's Finder and export then
find every row it wrote by every filter and accent-folded search word and sort them by the folded
keys, with nothing run in between (docs/DEPLOYMENT.md, "Expand and contract").

The previous release is the one before the folded keys existed (it writes none of them), the most
distant writer the mechanism has to survive; it still maps the sign-in columns this release retired
(users.failed_login_count, locked_until), and writes them. It is read from git, so the test needs the repository's
history (`git clone` keeps it; CI's checkout fetches it whole)."""
from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import tarfile
from datetime import datetime, timezone

import orjson
import pytest
import requests

from ims.auth import principal_cache
from ims.auth.models import User
from ims.config import BACKEND_DIR
from ims.extensions import db
from tests.builders import PASSWORD, bearer, headers_for, login, make_interaction, make_site, make_user
from tests.conftest import REDIS_URL, RUN_PREFIX

PREVIOUS = "e98e5f91e34653534673de9cccd0e38b9ea63989"  # computes no search text folding, keys or bitmap
REPO = BACKEND_DIR.parent
SERVE = """
import sys
sys.path.insert(0, sys.argv[1])  # the previous release's backend, before this one's installed package
import ims
assert ims.__file__.startswith(sys.argv[1]), ims.__file__
from werkzeug.serving import make_server
server = make_server("127.0.0.1", 0, ims.create_app(), threaded=True)
print(server.server_port, flush=True)
server.serve_forever()
"""


@pytest.fixture(scope="module")
def previous_backend(tmp_path_factory):
    """The previous release's backend/ (code and migrations) as git has it."""
    found = subprocess.run(["git", "-C", str(REPO), "cat-file", "-e", f"{PREVIOUS}^{{commit}}"], capture_output=True)
    assert found.returncode == 0, f"{PREVIOUS} is not in this clone: fetch the whole history (git fetch --unshallow)"
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", PREVIOUS, "backend/ims"],
                             capture_output=True, check=True).stdout
    target = tmp_path_factory.mktemp("previous")
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target / "backend"


@pytest.fixture
def previous_api(app, database_url, previous_backend, tmp_path):
    """The previous release's API on this release's (migrated) test database, as a base URL."""
    environ = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "APP_ENV": "development",
               "DATABASE_URL": database_url, "REDIS_URL": REDIS_URL, "REDIS_KEY_PREFIX": f"{RUN_PREFIX}previous:",
               "SECRET_KEY": "previous-release-secret-" + "y" * 32, "LOGIN_RATE_LIMIT": "1000/minute",
               "LOG_LEVEL": "WARNING"}
    log = (tmp_path / "previous.log").open("w")
    process = subprocess.Popen([sys.executable, "-c", SERVE, str(previous_backend)], env=environ, cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=log, text=True)
    try:
        port = process.stdout.readline().strip()
        assert port.isdigit(), (tmp_path / "previous.log").read_text()
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


class PreviousRelease:
    """A signed-in user of the previous release's API."""

    def __init__(self, base_url: str, username: str, site):
        self.base_url, self.site = base_url, site
        response = requests.post(f"{base_url}/api/auth/login", json={"username": username, "password": PASSWORD},
                                 timeout=30)
        assert response.status_code == 200, response.text
        self.headers = {"Authorization": f"Bearer {response.json()['access_token']}", "X-Site-ID": str(site.id)}

    def create(self, **fields) -> dict:
        response = requests.post(f"{self.base_url}/api/interactions", json=body(**fields), headers=self.headers,
                                 timeout=30)
        assert response.status_code == 201, response.text
        return response.json()

    def edit(self, interaction_id: int, **fields) -> dict:
        current = self.get(interaction_id)
        response = requests.put(f"{self.base_url}/api/interactions/{interaction_id}",
                                json=body(**{**editable(current), **fields}, version=current["version"]),
                                headers=self.headers, timeout=30)
        assert response.status_code == 200, response.text
        return response.json()

    def get(self, interaction_id: int) -> dict:
        response = requests.get(f"{self.base_url}/api/interactions/{interaction_id}", headers=self.headers,
                                timeout=30)
        assert response.status_code == 200, response.text
        return response.json()

    def find(self) -> dict:
        response = requests.get(f"{self.base_url}/api/interactions", params={"page_size": 100},
                                headers=self.headers, timeout=30)
        assert response.status_code == 200, response.text
        return response.json()


EDITABLE = ("title", "type", "lead", "start_datetime", "end_datetime", "timezone", "location", "description",
            "notes")


def editable(item: dict) -> dict:
    return {name: item[name] for name in EDITABLE}


def body(**fields) -> dict:
    return {"type": "Meeting", "start_datetime": "2026-03-02T10:00:00+01:00",
            "end_datetime": "2026-03-02T11:00:00+01:00", "timezone": "Europe/Berlin", "location": "",
            "description": "", "notes": "", **fields}


def titles(client, user, site, **params) -> list[str]:
    response = client.get("/api/interactions", query_string={"page_size": 100, **params},
                          headers=headers_for(user, site))
    assert response.status_code == 200, response.get_json()
    return [item["title"] for item in response.get_json()["items"]]


def exported_titles(client, user, site, **params) -> list[str]:
    response = client.get("/api/interactions/export", query_string=params, headers=headers_for(user, site))
    assert response.status_code == 200
    return [row["title"] for row in csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig")))]


def test_rows_the_previous_release_writes_are_found_and_sorted_by_this_release(client, previous_api):
    site = make_site("Headquarters")
    editor = make_user("editor", {site: "editor"})
    # written by this release before the previous one serves again (a rollback)
    harbour = make_interaction(site, editor, title="Harbour meeting", lead="Amelia Hart", location="Board room",
                               start_datetime=datetime(2026, 3, 3, 9, tzinfo=timezone.utc))
    make_interaction(site, editor, title="Mango tasting", type="Call", lead="Bruno Díaz", location="São Bento",
                     description="Quarterly review", start_datetime=datetime(2026, 3, 4, 9, tzinfo=timezone.utc))

    previous = PreviousRelease(previous_api, "editor", site)
    zebra = previous.create(title="Zebra crossing", lead="Ángel Ñúñez", location="Café Müller",
                            description="Crème brûlée tasting", notes="Qx7 sample")
    previous.edit(zebra["id"], title="Zebra crossing, second look")
    previous.create(title="apple harvest", type="Visit", lead="Zoë Ward", location="Großmarkt Hamburg",
                    description="Ｆｕｌｌwidth ﬁgures", start_datetime="2026-03-05T10:00:00+01:00",
                    end_datetime="2026-03-05T11:00:00+01:00")
    previous.edit(harbour.id, title="Éclair review", lead="Émile Zola", location="Gare du Nord", notes="Çà et là")
    # the previous release keeps working on this schema: it reads every row, this release's too
    assert len(previous.find()["items"]) == 4
    written = {row["title"]: row.get("keys_digest") for row in
               db.session.execute(db.text("SELECT * FROM interactions")).mappings()}

    zebra, apple, eclair, mango = "Zebra crossing, second look", "apple harvest", "Éclair review", "Mango tasting"
    found = lambda **params: titles(client, editor, site, **params)  # noqa: E731
    # sorted by the folded keys: case and accents ignored
    assert found(sort="title") == [apple, eclair, mango, zebra]
    assert found(sort="-title") == [zebra, mango, eclair, apple]
    assert found(sort="lead") == [zebra, mango, eclair, apple]  # angel, bruno, emile, zoe
    assert found(sort="location") == [zebra, eclair, apple, mango]  # cafe, gare, grossmarkt, sao
    assert found(sort="type,title") == [mango, zebra, apple, eclair]  # Call, Meeting, Visit
    # each filter, by accent-folded text
    assert found(lead="nunez") == [zebra]
    assert found(lead="ÉMILE") == [eclair]
    assert found(lead="amelia") == []  # the edit replaced it
    assert found(location="cafe muller") == [zebra]
    assert found(location="grossmarkt") == [apple]
    assert found(title="eclair") == [eclair]
    assert found(title="harbour") == []
    assert found(title="second", type="Meeting") == [zebra]
    assert found(type="Visit", start_from="2026-03-05") == [apple]
    # the search, word by word, short words (the gram bitmap) too
    for word, expected in [("creme brulee", [zebra]), ("nunez", [zebra]), ("muller", [zebra]), ("qx", [zebra]),
                           ("grossmarkt", [apple]), ("fullwidth figures", [apple]), ("zoe", [apple]),
                           ("emile", [eclair]), ("ca et la", [eclair]), ("ca", [eclair, zebra, mango]),
                           ("sao", [mango]), ("harbour", [])]:
        assert sorted(found(search=word, sort="title")) == sorted(expected), word
    assert exported_titles(client, editor, site, search="grossmarkt") == [apple]
    assert exported_titles(client, editor, site, sort="lead") == [zebra, mango, eclair, apple]

    # the database marked exactly the previous release's rows stale, and the reads above refreshed them
    assert {title for title, digest in written.items() if digest is None} == {zebra, apple, eclair}
    refreshed = db.session.execute(db.text("SELECT count(*) FROM interactions WHERE keys_digest IS NULL")).scalar()
    assert refreshed == 0


# Unmapped by this release, still in the table for the previous one (which counts failures in them).
RETIRED_LOGIN_COLUMNS = {"failed_login_count", "locked_until"}


def login_columns(user_id: int) -> tuple:
    return tuple(db.session.execute(db.text("SELECT failed_login_count, locked_until FROM users WHERE id = :id"),
                                    {"id": user_id}).one())


def test_users_written_without_the_retired_login_columns_sign_in_to_both_releases(client, previous_api):
    site = make_site("Headquarters")
    assert not RETIRED_LOGIN_COLUMNS & set(User.__table__.c.keys())
    # this release creates a user and signs them in; its statements name neither column, so the
    # columns take their server defaults, which the previous release reads
    editor = make_user("editor", {site: "editor"})
    token = login(client, "editor").get_json()["access_token"]
    assert client.get("/api/auth/me", headers=bearer(token)).status_code == 200
    assert login_columns(editor.id) == (0, None)
    cached = client.application.extensions["ims_cache"].get(principal_cache.key_for_user(editor.id))
    assert cached is not None and not RETIRED_LOGIN_COLUMNS & set(orjson.loads(cached)[0])

    # the previous release still maps and writes them: a failure counted, a sign-in that resets it
    wrong = requests.post(f"{previous_api}/api/auth/login", json={"username": "editor", "password": "wrong"},
                          timeout=30)
    assert wrong.status_code == 401, wrong.text
    assert login_columns(editor.id) == (1, None)
    previous = PreviousRelease(previous_api, "editor", site)
    previous.create(title="Written by the previous release", lead="Ana Lopez")
    assert login_columns(editor.id) == (0, None)

    # and this release signs in the row the previous one wrote, and finds its record
    token = login(client, "editor").get_json()["access_token"]
    assert titles(client, editor, site) == ["Written by the previous release"]
    assert client.get("/api/auth/me", headers=bearer(token)).status_code == 200
