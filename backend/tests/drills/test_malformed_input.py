"""A corpus of hostile and malformed input against every query parameter, body field and header.

Each answer is either a 4xx in the envelope or a correct result; a rejected write leaves the
interactions table byte-for-byte as it was, and accepted text reads back exactly.
"""
from __future__ import annotations

import json

import pytest

from ims.extensions import db
from ims.interactions.search_keys import fold
from tests.builders import BASE_TIME, headers_for, interaction_body, make_interaction, make_user
from tests.drills.conftest import assert_envelope, interactions_fingerprint
from tests.drills.corpus import TEXT_CORPUS, WRONG_TYPES

DATE_LIKE = ["99999999999999999999", "-1", "0", "1e309", "NaN", "2026-02-30", "2026-13-01", "not-a-date",
             "2026-03-01T25:00:00Z", "9999999-01-01", "2026-03-01T10:00:00", "0000-00-00", "-2026-01-01"]
FREE_TEXT = [v for v in TEXT_CORPUS if v not in DATE_LIKE]


def corpus_for(field: str) -> list:
    """Text fields get the text attacks; typed fields the date/number shapes plus a sample of the rest."""
    if field in TEXT_FIELDS:
        return FREE_TEXT + WRONG_TYPES
    return DATE_LIKE + FREE_TEXT[::3] + WRONG_TYPES


# A lone surrogate cannot be percent-encoded as UTF-8; its raw bytes are sent in test_raw_query_bytes.
QUERY_CORPUS = [v for v in TEXT_CORPUS if "\ud800" not in v]
FINDER_PARAMS = ["search", "type", "lead", "location", "title", "lead_is", "location_is", "start_from", "start_to",
                 "sort", "page", "page_size"]
BODY_FIELDS = ["title", "type", "lead", "start_datetime", "end_datetime", "timezone", "location", "description",
               "notes"]
TEXT_FIELDS = {"title", "lead", "location", "description", "notes"}
STRIPPED = {"title", "lead"}
SEEDED = [
    {"title": "Budget review", "lead": "Amelia Hart", "location": "Board room", "notes": "50% done_ ok \\ fine"},
    {"title": "O'Brien call", "lead": "Seán Ó Briain", "location": "Phone", "notes": "said ' OR '1'='1"},
    {"title": "Emoji 😀 visit", "lead": "Zoë", "location": "𝕏𝔸𝕄", "notes": "e\u0301"},
]


@pytest.fixture
def seeded(world):
    for n, fields in enumerate(SEEDED):
        make_interaction(world.hq, world.editor, start_datetime=BASE_TIME.replace(day=1 + n), **fields)
    make_interaction(world.field, world.field_editor, title="Other site ' OR '1'='1", notes="%")
    return world


def expected_titles(param: str, value: str) -> set[str] | None:
    """What a correct Finder answer holds for a text filter (None: not a text filter)."""
    def haystack(row):
        return "\n".join((row.get(f) or "") for f in ("title", "lead", "location", "notes")).lower() + "\nvisit"

    if param == "search":
        words = value.split()[:10]
        return {r["title"] for r in SEEDED if all(w.lower() in haystack(r) for w in words)}
    if param in ("lead", "location", "title"):
        return {r["title"] for r in SEEDED if value.lower() in (r.get(param) or "").lower()} if value else None
    if param in ("lead_is", "location_is"):  # the whole name, folded
        field = param.removesuffix("_is")
        return {r["title"] for r in SEEDED if fold(value) == fold(r.get(field))} if value else None
    return None


def test_finder_and_export_parameters(client, seeded, figures):
    headers = headers_for(seeded.editor, seeded.hq)
    tried = rejected = 0
    for path in ("/api/interactions", "/api/interactions/export"):
        for param in FINDER_PARAMS:
            if path.endswith("export") and param in ("page", "page_size"):
                continue
            # The export shares the Finder's parser: a sample of the corpus shows it is wired the same way.
            for value in QUERY_CORPUS if path == "/api/interactions" else QUERY_CORPUS[::3]:
                tried += 1
                response = client.get(path, query_string={param: value}, headers=headers)
                if response.status_code != 200:
                    rejected += 1
                    error = assert_envelope(response, 400)
                    assert "Other site" not in json.dumps(error)
                    continue
                if path.endswith("export"):
                    text = response.get_data(as_text=True)
                    assert "Other site" not in text
                    continue
                items = response.get_json()["items"]
                assert all(item["site_id"] == seeded.hq.id for item in items)
                expected = expected_titles(param, value.replace("\x00", ""))
                if expected is not None and "\x00" not in value:
                    assert {item["title"] for item in items} == expected, (param, value)
    figures.update(requests=tried, rejected_4xx=rejected, answered_correctly=tried - rejected, server_errors=0)


def test_rejected_writes_change_nothing_and_accepted_text_round_trips(client, seeded, figures):
    headers = headers_for(seeded.editor, seeded.hq)
    target = make_interaction(seeded.hq, seeded.editor, title="Target").id
    version = 1
    tried = rejected = accepted = 0
    before = interactions_fingerprint()
    for field in BODY_FIELDS:
        for value in corpus_for(field):
            for method in ("post", "put"):
                tried += 1
                url = "/api/interactions" if method == "post" else f"/api/interactions/{target}"
                body = interaction_body(**{field: value}, **({"version": version} if method == "put" else {}))
                response = getattr(client, method)(url, json=body, headers=headers)
                after = interactions_fingerprint()
                if response.status_code >= 400:
                    rejected += 1
                    assert_envelope(response)
                    assert after == before, (method, field, value)
                    continue
                before = after
                accepted += 1
                assert response.status_code in (200, 201), response.status_code
                item = response.get_json()
                if method == "put":
                    version = item["version"]
                stored = client.get(f"/api/interactions/{item['id']}", headers=headers).get_json()
                if field in TEXT_FIELDS:
                    sent = value if value is not None else ""
                    assert stored[field] == (sent.strip() if field in STRIPPED else sent), (field, value)
    figures.update(requests=tried, rejected_4xx_db_unchanged=rejected, accepted_round_tripped=accepted,
                   server_errors=0)


def test_raw_query_bytes(client, seeded, figures):
    headers = headers_for(seeded.editor, seeded.hq)
    queries = ["search=a%ED%A0%80b", "lead=%ff%fe", "title=%C0%AF", "search=%", "search=%zz", "page=%00",
               "type=Meeting&type=%00", "sort=title&sort=-id", "page_size=1&page_size=2", "start_from=2026-03-01%00"]
    for query in queries:
        response = client.get(f"/api/interactions?{query}", headers=headers)
        if response.status_code != 200:
            assert_envelope(response, 400)
        else:
            assert all(item["site_id"] == seeded.hq.id for item in response.get_json()["items"])
    figures.update(requests=len(queries), server_errors=0)


def raw_post(client, url, raw: bytes, headers: dict):
    return client.post(url, data=raw, headers={**headers, "Content-Type": "application/json"})


def test_bodies_that_break_parsers(client, seeded, app, figures):
    headers = headers_for(seeded.editor, seeded.hq)
    limit = app.config["MAX_CONTENT_LENGTH"]
    bodies = {
        "deep array": b"[" * 50_000 + b"]" * 50_000,
        "deep object": b'{"title": ' + b'{"a": ' * 20_000 + b"1" + b"}" * 20_000 + b"}",
        "lone surrogate": json.dumps(interaction_body(title="a\ud800b")).encode(),
        "lone surrogate key": b'{"\\udfff": 1}',
        "invalid utf-8": b'{"title": "\xff\xfe"}',
        "truncated": b'{"title": "x", ',
        "not an object": b'"just a string"',
        "array": b"[1, 2, 3]",
        "null": b"null",
        "huge number": b'{"title": 1' + b"0" * 5000 + b"}",
        "duplicate keys": json.dumps(interaction_body()).encode()[:-1] + b', "title": "second"}',
        "over the limit": json.dumps(interaction_body(notes="n" * limit)).encode(),
    }
    before = interactions_fingerprint()
    statuses = {}
    for url in ("/api/interactions", "/api/auth/login", "/api/auth/password-reset"):
        for name, raw in bodies.items():
            response = raw_post(client, url, raw, headers)
            statuses[f"{url} {name}"] = response.status_code
            if name == "duplicate keys" and url == "/api/interactions":
                assert response.status_code in (201, 422)
                continue
            assert_envelope(response)
    after = interactions_fingerprint()
    assert after[0] - before[0] <= 1  # only the well-formed duplicate-key body may have been stored
    figures.update(requests=len(statuses), server_errors=0)


def test_hostile_headers_and_paths(client, seeded, figures):
    headers = headers_for(seeded.editor, seeded.hq)
    item = make_interaction(seeded.hq, seeded.editor).id
    field_site = seeded.field.id
    tried = 0
    for value in [v for v in TEXT_CORPUS if "\x00" not in v and "\n" not in v and "\u2028" not in v] + [
            str(field_site), "0", "-5", " 1 ", "1,2", "9" * 30]:
        tried += 2
        site = client.get("/api/interactions", headers={**headers, "X-Site-ID": value})
        if site.status_code != 200:
            assert_envelope(site)
        before = interactions_fingerprint()
        stale = client.put(f"/api/interactions/{item}", json=interaction_body(title="If-Match probe"),
                           headers={**headers, "If-Match": value})
        if stale.status_code != 200:
            assert_envelope(stale)
            assert interactions_fingerprint() == before
        else:
            assert value.strip().strip('"') == "1"
    for path in ["/api/interactions/-1", "/api/interactions/99999999999999999999999", "/api/interactions/1.5",
                 "/api/interactions/%00", "/api/interactions/..%2f..%2fetc%2fpasswd", "/api/../etc/passwd",
                 "/api/interactions/1%20OR%201=1", f"/api/interactions/{item}/../../auth/me"]:
        for method in ("get", "put", "delete"):
            tried += 1
            response = getattr(client, method)(path, headers=headers, json={} if method == "put" else None)
            assert response.status_code < 500
            if path.startswith("/api/") and response.status_code >= 400:
                assert_envelope(response)
    figures.update(requests=tried, server_errors=0)


# str.isdigit() accepts all of these; int() refuses some ("²") and reads others ("١" is 1).
UNICODE_DIGITS = ["²", "³¹", "١", "٣٤", "１", "𝟡", "߁", "१२", "1²", "⁰"]


def test_digits_that_are_not_ascii_are_refused_in_headers(client, seeded, figures):
    headers = headers_for(seeded.editor, seeded.hq)
    item = make_interaction(seeded.hq, seeded.editor).id
    before = interactions_fingerprint()
    for value in UNICODE_DIGITS:
        site = client.get("/api/interactions", headers={**headers, "X-Site-ID": value})
        assert assert_envelope(site, 400)["details"] == {"X-Site-ID": ["Not a valid site id."]}
        put = client.put(f"/api/interactions/{item}", json=interaction_body(title="digit probe"),
                         headers={**headers, "If-Match": f'"{value}"'})
        assert_envelope(put)
    assert interactions_fingerprint() == before
    figures.update(values=len(UNICODE_DIGITS), requests=2 * len(UNICODE_DIGITS), server_errors=0, accepted=0)


# ------------------------------------------------------------ site administration, account, history
ADMIN_QUERIES = {"/api/site/members": ["search", "sort", "page", "page_size"],
                 "/api/site/audit": ["user_id", "action", "start_from", "start_to", "page", "page_size"],
                 "/api/site/audit/export": ["user_id", "action", "start_from", "start_to"],
                 "/api/interactions/deleted": ["page", "page_size"]}
ADMIN_BODIES = {  # url template, method, a valid body; each field in turn gets the corpus
    "member_add": ("/api/site/members", "post", {"user": "viewer@example.com", "role": "editor"}),
    "member_role": ("/api/site/members/{viewer}", "patch", {"role": "editor", "confirm_self": False}),
    "invite": ("/api/site/invitations", "post", {"email": "guest@example.org", "role": "viewer"}),
    "settings": ("/api/site/settings", "put", {"name": "Headquarters", "default_timezone": "UTC"}),
    "account": ("/api/account", "patch", {"display_name": "Editor", "default_site_id": None}),
    "password": ("/api/account/password", "post", {"current_password": "wrong", "new_password": "x"}),
    "email": ("/api/account/email", "post", {"current_password": "wrong", "new_email": "new@example.org"}),
    "email_confirm": ("/api/account/email/confirm", "post", {"token": "t"}),
    "restore": ("/api/interactions/{item}/restore", "post", {"restore_version": 1, "version": 1}),
    "lookup": ("/api/invitations/lookup", "post", {"token": "t"}),
    "accept": ("/api/invitations/accept", "post", {"token": "t", "username": "u1", "display_name": "U",
                                                   "password": "a-long-password"}),
}


def admin_fingerprint() -> tuple:
    """Every row the administration endpoints could change, as text."""
    db.session.remove()
    rows = tuple(db.session.execute(db.text(f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY id), '')) FROM {t} t"
                                            )).scalar_one()
                 for t in ("users", "site_memberships", "sites", "invitations", "interactions", "email_changes"))
    db.session.remove()
    return rows


def test_admin_query_parameters(client, seeded, figures):
    headers = headers_for(make_user("hqadmin", {seeded.hq: "admin"}), seeded.hq)
    tried = rejected = 0
    for path, params in ADMIN_QUERIES.items():
        for param in params:
            for value in QUERY_CORPUS[::2]:
                tried += 1
                response = client.get(path, query_string={param: value}, headers=headers)
                text = response.get_data(as_text=True)
                assert "Other site" not in text and "fielder" not in text
                if response.status_code != 200:
                    rejected += 1
                    assert_envelope(response, 400)
                elif path == "/api/site/members" and param == "search":
                    # a word no member has matches nobody; wildcards are literal
                    words = value.replace("\x00", "").lower().split()
                    expected = {u for u in ("hqadmin", "admin", "editor", "viewer")
                                if all(w in f"{u} {u}@example.com {u}" for w in words[:5])}
                    assert {m["username"] for m in response.get_json()["items"]} == expected, value
    figures.update(requests=tried, rejected_4xx=rejected, server_errors=0)


def test_rejected_admin_writes_change_nothing(client, seeded, figures):
    admin = make_user("hqadmin", {seeded.hq: "admin"})
    headers = headers_for(admin, seeded.hq)
    ids = {"viewer": seeded.viewer.id, "item": make_interaction(seeded.hq, seeded.editor).id}
    tried = rejected = 0
    for name, (template, method, valid) in ADMIN_BODIES.items():
        url = template.format(**ids)
        for field in valid:
            for value in FREE_TEXT[::2] + WRONG_TYPES:
                tried += 1
                before = admin_fingerprint()
                response = getattr(client, method)(url, json={**valid, field: value}, headers=headers)
                assert response.status_code < 500, (name, field, value)
                if response.status_code >= 400:
                    rejected += 1
                    assert_envelope(response)
                    assert admin_fingerprint() == before, (name, field, value)
    figures.update(requests=tried, rejected_4xx_db_unchanged=rejected, server_errors=0)
