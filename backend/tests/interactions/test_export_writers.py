"""The export's two writers: PostgreSQL's COPY and Python's csv write the same bytes for the same rows,
and the Python writer serves a whole export through the API on SQLite (the `make run` default)."""
import csv
import io
import uuid
from datetime import timedelta

import pytest
from flask_migrate import upgrade

from ims import create_app
from ims.extensions import db
from ims.interactions import export, queries
from ims.interactions.export import copy_writer, python_writer
from ims.interactions.schemas import ExportQuerySchema
from ims.notifications.outbox import worker_for
from tests.builders import BASE_TIME, field_columns, headers_for, make_interaction, make_site, make_user
from tests.conftest import RUN_PREFIX, settings_for

AWKWARD_TEXT = [
    "=SUM(A1:A2)", "+1", "-1", "@cmd", "\tTabbed", "\rReturned", 'He said "hi", then left', "a,b,c",
    "line one\nline two", "crlf\r\ninside", "ünïcode — 🚀 ﬁ e\u0301", "  padded  ", "0012", "'quoted", "\\N", "\\.",
    "trailing\r",
]


def awkward_rows(site, user):
    """Rows with every kind of awkward cell: formula prefixes, quotes, commas, line breaks, unicode, empty
    text, whole-second and microsecond times, and no (or an awkwardly named) creator."""
    odd_user = make_user("odd", display_name='=HYPERLINK("x"), "Bob"')
    for n, text in enumerate(AWKWARD_TEXT):
        start = BASE_TIME + timedelta(days=n, microseconds=(0, 5, 123456, 999999)[n % 4])
        make_interaction(site, (user, odd_user, None)[n % 3], title=text, lead=text[::-1] or "x",
                         location=text, description="" if n % 2 else text, notes=text * 2,
                         start_datetime=start, end_datetime=start + timedelta(hours=1, microseconds=n))
    make_interaction(site, None, title="Empty cells", location="", description="", notes="",
                     start_datetime=BASE_TIME + timedelta(days=len(AWKWARD_TEXT)))


def test_columns_are_the_interaction_fields_then_who_and_when(app):
    fields = export.COLUMNS[1:-5]
    assert export.COLUMNS[:1] + export.COLUMNS[-5:] == ("id", "created_by", "created_at", "updated_by", "updated_at",
                                                         "version")
    assert sorted(fields) == sorted(field_columns("interactions"))  # every field the migrations made, once
    assert export.header() == ("\ufeff" + ",".join(export.COLUMNS) + "\r\n").encode()


@pytest.mark.parametrize("sort", ["-start_datetime", "title"])
def test_copy_and_python_writers_write_the_same_bytes(world, sort):
    awkward_rows(world.hq, world.editor)
    make_interaction(world.field, world.editor, title="Other site")
    select = queries.matching(world.hq.id, ExportQuerySchema().load({"sort": sort}))
    from_copy = b"".join(copy_writer.chunks(select))
    from_python = b"".join(python_writer.chunks(select))
    assert from_copy == from_python
    rows = list(csv.reader(io.StringIO(from_copy.decode("utf-8"), newline="")))
    assert len(rows) == len(AWKWARD_TEXT) + 1 and "Other site" not in from_copy.decode()
    cells = [dict(zip(export.COLUMNS, row)) for row in rows]
    assert {c["title"] for c in cells} >= {"'=SUM(A1:A2)", "'\tTabbed", "'\rReturned", 'He said "hi", then left'}
    assert {c["created_by"] for c in cells} == {"Editor", "'" + '=HYPERLINK("x"), "Bob"', ""}
    assert {c["start_datetime"][19:] for c in cells} == {"Z", ".000005Z", ".123456Z", ".999999Z"}


def test_python_writer_batches_large_exports_into_several_chunks(world):
    for n in range(python_writer.BATCH + 1):
        make_interaction(world.hq, world.editor, title=f"Row {n}")
    select = queries.matching(world.hq.id, ExportQuerySchema().load({}))
    chunks = list(python_writer.chunks(select))
    assert len(chunks) == 2 and b"".join(chunks).count(b"\r\n") == python_writer.BATCH + 1


@pytest.fixture
def sqlite_app(tmp_path):
    """The app on an SQLite file, as `make run` serves it, migrated to the newest schema."""
    application = create_app(settings_for(f"sqlite:///{tmp_path / 'ims.sqlite3'}",
                                          REDIS_KEY_PREFIX=f"{RUN_PREFIX}sqlite-{uuid.uuid4().hex[:6]}:"))
    with application.app_context():
        upgrade()
        yield application
        worker_for(application).stop()  # its mail thread must not outlive the database file
        db.session.remove()
        db.engine.dispose()


def test_export_through_the_api_on_sqlite(sqlite_app):
    assert db.engine.dialect.name == "sqlite"
    site = make_site("Head Office")
    editor = make_user("editor", {site: "editor"})
    awkward_rows(site, editor)
    response = sqlite_app.test_client().get("/api/interactions/export", query_string={"sort": "start_datetime"},
                                            headers=headers_for(editor, site))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="interactions-head-office-' in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith(export.header())
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8")[1:], newline="")))
    assert [r["title"] for r in rows[:3]] == ["'=SUM(A1:A2)", "'+1", "'-1"]
    assert rows[len(AWKWARD_TEXT)]["title"] == "Empty cells" and rows[len(AWKWARD_TEXT)]["notes"] == ""
    assert [r["start_datetime"] for r in rows[:4]] == [
        "2026-03-02T09:00:00Z", "2026-03-03T09:00:00.000005Z", "2026-03-04T09:00:00.123456Z",
        "2026-03-05T09:00:00.999999Z"]
    assert rows[8]["notes"] == "line one\nline twoline one\nline two" and rows[10]["title"] == AWKWARD_TEXT[10]
    assert [r["created_by"] for r in rows[:3]] == ["Editor", "'" + '=HYPERLINK("x"), "Bob"', ""]
    assert b'"He said ""hi"", then left"' in body and b"\r\n" in body and b"\r\n\r\n" not in body


def test_weekday_hour_and_insights_answer_503_on_sqlite_and_the_rest_of_the_finder_works(sqlite_app):
    """Reading a time in a zone is PostgreSQL's: on the embedded database the Finder's clock filters and the
    insights say so in the envelope, and the Finder without them still answers."""
    site = make_site("Head Office")
    editor = make_user("editor", {site: "editor"})
    item = make_interaction(site, editor, title="Monday call")
    client, headers = sqlite_app.test_client(), headers_for(editor, site)
    for url, args in (("/api/interactions", {"weekday": 1, "tz": "Europe/Berlin"}),
                      ("/api/interactions", {"hour": 0}), ("/api/insights", {})):
        answer = client.get(url, query_string=args, headers=headers)
        assert answer.status_code == 503, (url, args, answer.get_data(as_text=True))
        assert answer.get_json()["error"]["details"] == {"database": "sqlite"}
    listed = client.get("/api/interactions", query_string={"type": item.type}, headers=headers)
    assert listed.status_code == 200 and [row["title"] for row in listed.get_json()["items"]] == ["Monday call"]
