"""The corpus of hostile input against an import: as a column's header, as a cell, as the file's name,
and as every value of a change to the mapping and choices; hostile ids to read and to discard. A refused
request leaves the import as it was; an accepted header reads back exactly as the file wrote it; nothing
is ever a 5xx."""
from __future__ import annotations

import csv
import io
import json

from ims.extensions import db
from ims.imports.models import Import
from tests.builders import headers_for, upload_file
from tests.drills.conftest import assert_envelope
from tests.drills.corpus import TEXT_CORPUS, WRONG_TYPES

ROW = ["Budget", "Call", "Amelia", "2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z"]


def csv_of(header: list, *rows: list) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([header, *rows])
    return buffer.getvalue().encode("utf-8", errors="surrogatepass")


def imports_fingerprint() -> list:
    db.session.remove()
    rows = db.session.execute(db.select(Import.id, Import.status, Import.mapping, Import.timezone,
                                        Import.date_orders, Import.duplicates, Import.sheet).order_by(Import.id))
    return [json.dumps(list(row), sort_keys=True, default=str) for row in rows]


def test_hostile_headers_cells_and_filenames(client, world, figures):
    headers = headers_for(world.editor, world.hq)
    tried = accepted = 0
    for value in TEXT_CORPUS:
        before = imports_fingerprint()
        for content, filename in ((csv_of(["Subject", value, "Owner", "Start", "End"], ["A", "x", *ROW[2:]]),
                                   "headers.csv"),
                                  (csv_of(["Subject", "Type", "Owner", "Start", "End"],
                                          [value, "Call", value, value, ROW[4]]), "cells.csv"),
                                  (csv_of(["Subject", "Type", "Owner", "Start", "End"], ROW),
                                   value.encode("utf-8", "replace").decode() or "x")):  # a client sends UTF-8
            tried += 1
            response = upload_file(client, headers, content, filename)
            assert response.status_code < 500, (value, filename)
            if response.status_code >= 400:
                assert_envelope(response)
                assert imports_fingerprint() == before
                continue
            accepted += 1
            before = imports_fingerprint()
            item = response.get_json()
            if filename == "headers.csv" and "\ud800" not in value:  # a lone surrogate is no UTF-8: read otherwise
                assert item["columns"][1]["header"] == value
            preview = client.get(f"/api/imports/{item['id']}/preview", headers=headers)
            assert preview.status_code == 200
            if filename == "cells.csv" and preview.get_json()["items"][0]["errors"]:
                assert client.get(f"/api/imports/{item['id']}/failed.csv", headers=headers).status_code == 200
    figures.update(uploads=tried, accepted=accepted, server_errors=0)


def change_bodies(value) -> list[dict]:
    bodies = [{"mapping": {"0": value}}, {"timezone": value}, {"date_orders": {"3": value}}, {"duplicates": value},
              {"sheet": value}, {"mapping": value}, {"date_orders": value}]
    if isinstance(value, str):
        bodies += [{"mapping": {value: "title"}}, {"date_orders": {value: "day_first"}}, {value: "x"}]
    return bodies


def test_hostile_changes_leave_the_import_as_it_was(client, world, figures):
    headers = headers_for(world.editor, world.hq)
    item = upload_file(client, headers, csv_of(["Subject", "Type", "Owner", "Start", "End"], ROW)).get_json()
    url = f"/api/imports/{item['id']}"
    tried = rejected = 0
    for value in TEXT_CORPUS + WRONG_TYPES:
        for body in change_bodies(value):
            before = imports_fingerprint()
            tried += 1
            response = client.patch(url, json=body, headers=headers)
            assert response.status_code < 500, body
            if response.status_code >= 400:
                rejected += 1
                assert_envelope(response)
                assert imports_fingerprint() == before, body
            else:
                client.patch(url, json={"mapping": {"0": "title"}, "timezone": "UTC", "date_orders": {},
                                        "duplicates": "skip"}, headers=headers)
    for path in ("/api/imports/0", "/api/imports/-1", "/api/imports/" + "9" * 30, "/api/imports/1%00",
                 f"/api/imports/{item['id']}/preview?only=everything", f"/api/imports/{item['id']}/preview?page=0",
                 f"/api/imports/{item['id']}/preview?page_size=100000", "/api/imports/..%2f1/run"):
        response = client.get(path, headers=headers)
        assert 400 <= response.status_code < 500, path
        assert_envelope(response)
    before = imports_fingerprint()
    for path in ("/api/imports/0", "/api/imports/-1", "/api/imports/" + "9" * 30, "/api/imports/1%00",
                 f"/api/imports/{item['id']}%00", f"/api/imports/{item['id']}.0", f"/api/imports/..%2f{item['id']}",
                 f"/api/imports/{item['id']}%20OR%201=1"):
        response = client.delete(path, headers=headers)  # a discard of a hostile id discards nothing
        assert 400 <= response.status_code < 500, path
        assert_envelope(response)
    assert imports_fingerprint() == before
    figures.update(requests=tried, rejected_4xx_unchanged=rejected, server_errors=0)
