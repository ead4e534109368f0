"""Files that cannot be imported: a clear 4xx in the envelope, and nothing stored."""
from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
import sqlalchemy as sa
from werkzeug.test import create_environ
from werkzeug.wrappers import Response

from ims.extensions import db
from ims.imports.models import Import
from tests.builders import headers_for, upload_file

GOOD = "Subject,Type,Owner,Start,End\r\nA,Call,B,2026-03-02T10:00:00Z,2026-03-02T11:00:00Z\r\n"


def imports_count() -> int:
    return db.session.execute(sa.select(sa.func.count()).select_from(Import)).scalar()


def zip_bomb() -> bytes:
    """A small archive posing as a workbook that unpacks to far more than the limit."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (120 * 1024 * 1024))
    return buffer.getvalue()


CASES = {
    "empty": (b"", "a.csv", 422, "empty"),
    "binary": (bytes(range(256)) * 40, "a.csv", 415, "binary"),
    "header only": (b"Subject,Type,Owner\r\n", "a.csv", 422, "no rows"),
    "10,000 columns": ((",".join(f"c{n}" for n in range(10_000)) + "\r\n1\r\n").encode(), "a.csv", 422, "columns"),
    "1 MB cell": (("Subject,Notes\r\nA," + "x" * 1_000_000 + "\r\n").encode(), "a.csv", 422, "characters"),
    "wrong encoding": (b"Subject,Owner\r\n\xff\xfe\xfa\x00\x81\x8d\x8f\x90\x9d\x00\x00", "a.csv", 415, "binary"),
    "html": (b"<!DOCTYPE html><html><body><table><tr><td>A</td></tr></table></body></html>", "a.csv", 415,
             "web page"),
    "not a workbook": (b"Subject\r\nA\r\n", "a.xlsx", 415, "xlsx"),
    "other archive": (b"", "a.xlsx", 415, "archive"),
    "zip bomb": (b"", "a.xlsx", 413, "unpacks"),
}


@pytest.mark.parametrize("case", CASES)
def test_a_bad_file_is_refused_clearly_and_nothing_is_stored(client, world, case):
    content, filename, status, words = CASES[case]
    if case == "zip bomb":
        content = zip_bomb()
    if case == "other archive":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("readme.txt", "hello")
        content = buffer.getvalue()
    response = upload_file(client, headers_for(world.editor, world.hq), content, filename)
    assert response.status_code == status, response.get_json()
    assert words in response.get_json()["error"]["message"]
    assert imports_count() == 0


def test_a_file_over_the_byte_limit_is_refused_before_its_body_is_read(client, world):
    h = headers_for(world.editor, world.hq)
    limit = client.application.config["IMPORT_MAX_BYTES"]
    read = []

    class Body(io.RawIOBase):  # a 200 MB upload announced in Content-Length: refused on the header alone
        def readable(self):
            return True

        def readinto(self, buffer):
            read.append(len(buffer))
            buffer[:1] = b"x"
            return 1

    environ = create_environ("/api/imports", method="POST", headers={
        **h, "Content-Type": "multipart/form-data; boundary=x"})
    environ.update({"wsgi.input": Body(), "CONTENT_LENGTH": str(200 * 1024 * 1024)})
    response = Response.from_app(client.application, environ)
    assert response.status_code == 413 and "MB" in response.json["error"]["message"]
    client.application.config["IMPORT_MAX_BYTES"] = 4096
    try:
        over = upload_file(client, h, GOOD.encode() + b"x" * 5000)
        assert over.status_code == 413 and "larger than" in over.get_json()["error"]["message"]
        fits = upload_file(client, h, GOOD.encode())
        assert fits.status_code == 201
    finally:
        client.application.config["IMPORT_MAX_BYTES"] = limit
    assert imports_count() == 1 and not read


def test_more_rows_than_the_limit_are_refused(client, world, monkeypatch):
    from ims.imports import parsing
    monkeypatch.setattr(parsing, "MAX_ROWS", 3)
    body = GOOD + "".join(f"R{n},Call,B,2026-03-02T10:00:00Z,2026-03-02T11:00:00Z\r\n" for n in range(3))
    response = upload_file(client, headers_for(world.editor, world.hq), body.encode())
    assert response.status_code == 422 and "more than 3 rows" in response.get_json()["error"]["message"]
    assert imports_count() == 0


def test_a_multipart_body_without_a_file_and_a_json_body_are_refused(client, world):
    h = headers_for(world.editor, world.hq)
    missing = client.post("/api/imports", data={"sheet": "x"}, headers=h, content_type="multipart/form-data")
    assert missing.status_code == 422 and "file" in missing.get_json()["error"]["details"]
    assert client.post("/api/imports", json={"file": "x"}, headers=h).status_code == 422
    assert imports_count() == 0


def workbook(*sheets: tuple[str, list[list]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets:
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_workbook_is_read_from_its_first_sheet_or_the_one_chosen(client, world):
    from datetime import datetime
    h = headers_for(world.editor, world.hq)
    content = workbook(("Notes", [["nothing to see"], ["x"]]),
                       ("Meetings", [["Subject", "Type", "Owner", "Start", "End", "Count"],
                                     ["Budget", "Meeting", "Amelia", datetime(2026, 3, 2, 10, 0),
                                      datetime(2026, 3, 2, 11, 30), 3.0]]))
    first = upload_file(client, h, content, "book.xlsx").get_json()
    assert first["format"] == "xlsx" and first["sheets"] == ["Notes", "Meetings"] and first["sheet"] == "Notes"
    assert first["problems"]
    chosen = client.patch(f"/api/imports/{first['id']}", json={"sheet": "Meetings", "timezone": "Europe/Berlin"},
                          headers=h).get_json()
    assert chosen["sheet"] == "Meetings" and chosen["problems"] == [] and chosen["columns"][5]["samples"] == ["3"]
    row = client.get(f"/api/imports/{first['id']}/preview", headers=h).get_json()["items"][0]
    assert row["values"]["start_datetime"] == "2026-03-02T09:00:00Z" and row["errors"] == {}
    direct = upload_file(client, h, content, "book.xlsx", sheet="Meetings").get_json()
    assert direct["sheet"] == "Meetings"
    missing = upload_file(client, h, content, "book.xlsx", sheet="Nope")
    assert missing.status_code == 422 and "Meetings" in missing.get_json()["error"]["message"]
