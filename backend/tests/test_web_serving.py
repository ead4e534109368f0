"""How `make run` serves the first screen: robots.txt as text, and the SPA's files and the API's JSON compressed
for clients that accept it (production's nginx does both too: .ci/infra/tests/test_frontend_nginx.py)."""
from __future__ import annotations

import gzip

import brotli
import pytest

from ims import create_app
from tests.builders import headers_for, interaction_body, make_interaction
from tests.conftest import settings_for

SCRIPT = "export function render(){return " + " + ".join(f"'row {n}'" for n in range(400)) + "}\n"
PAGE = "<!doctype html><title>Interaction Management</title>" + "<!-- padding -->" * 100 + \
       "<div id=root></div><script type=module src=/assets/index-3f2a1b.js></script>"


@pytest.fixture
def served(app, database_url, tmp_path):  # `app`: the migrated database the second app shares
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "index-3f2a1b.js").write_text(SCRIPT)
    (tmp_path / "index.html").write_text(PAGE)
    return create_app(settings_for(database_url, SPA_DIST=str(tmp_path))).test_client()


def test_robots_txt_is_plain_text_that_keeps_crawlers_out(served):
    response = served.get("/robots.txt")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == "User-agent: *\nDisallow: /\n"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def uncompressed(served, path: str) -> bytes:
    response = served.get(path)
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert "Accept-Encoding" in response.headers["Vary"]
    return response.get_data()


@pytest.mark.parametrize("path, mimetype", [("/assets/index-3f2a1b.js", "text/javascript"),
                                            ("/interactions", "text/html"),
                                            ("/api/openapi.json", "application/json")])
@pytest.mark.parametrize("encoding, decompress", [("gzip", gzip.decompress), ("br", brotli.decompress)])
def test_text_is_compressed_only_for_clients_that_accept_it(served, path, mimetype, encoding, decompress):
    plain = uncompressed(served, path)
    response = served.get(path, headers={"Accept-Encoding": encoding})
    assert response.status_code == 200 and response.mimetype == mimetype
    assert response.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    body = response.get_data()
    assert len(body) < len(plain) / 2
    assert decompress(body) == plain
    # the security headers survive compression
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_a_compressed_etag_still_matches_the_version_and_revalidates(served):
    first = served.get("/interactions", headers={"Accept-Encoding": "gzip"})
    etag, weak = first.get_etag()
    assert first.headers["Content-Encoding"] == "gzip" and weak and ":" not in etag
    again = served.get("/interactions", headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_an_interaction_read_compressed_can_be_saved_with_its_etag(client, world):
    item = make_interaction(world.hq, world.editor, description="Minutes of the meeting. " * 40)
    headers = headers_for(world.editor, world.hq)
    read = client.get(f"/api/interactions/{item.id}", headers={**headers, "Accept-Encoding": "gzip"})
    assert read.headers["Content-Encoding"] == "gzip"
    assert read.headers["ETag"] == 'W/"1"'
    saved = client.put(f"/api/interactions/{item.id}", json=interaction_body(title="Saved after a gzip read"),
                       headers={**headers, "If-Match": read.headers["ETag"]})
    assert saved.status_code == 200, saved.get_json()
    assert saved.get_json()["version"] == 2
