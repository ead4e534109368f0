"""CSV export: every match, streamed, quoted, spreadsheet-safe, site-scoped."""
import csv
import io
import tracemalloc
from datetime import date

from ims.extensions import db
from ims.interactions.models import Interaction, derived_columns
from tests.builders import BASE_TIME, headers_for, make_interaction


def export(client, user, site, **params):
    return client.get("/api/interactions/export", query_string=params, headers=headers_for(user, site))


def rows_of(response):
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_export_has_bom_header_filename_and_every_match(client, world):
    for n in range(30):  # more than one Finder page
        make_interaction(world.hq, world.editor, title=f"Row {n}", type="Call" if n % 2 else "Visit")
    response = export(client, world.editor, world.hq, type="Call")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="interactions-headquarters-{date.today().isoformat()}.csv"')
    rows = rows_of(response)
    assert len(rows) == 15 and {r["type"] for r in rows} == {"Call"}
    assert rows[0]["created_by"] == "Editor"


def test_quoting_round_trips_commas_quotes_newlines_and_unicode(client, world):
    tricky = 'He said "hi", then left;\nnew line — ünïcode 🚀'
    make_interaction(world.hq, world.editor, title="Tricky", notes=tricky)
    assert rows_of(export(client, world.editor, world.hq))[0]["notes"] == tricky


def test_formula_cells_are_neutralised(client, world):
    for prefix in "=+-@":
        make_interaction(world.hq, world.editor, title=f"{prefix}HYPERLINK(\"http://x\")", lead=f"{prefix}1+1")
    rows = rows_of(export(client, world.editor, world.hq))
    assert all(r["title"].startswith("'") and r["lead"].startswith("'") for r in rows)
    assert {r["title"][1] for r in rows} == set("=+-@")


def test_export_never_includes_another_site(client, world):
    make_interaction(world.hq, world.admin, title="HQ row")
    make_interaction(world.field, world.admin, title="Field row")
    assert [r["title"] for r in rows_of(export(client, world.admin, world.hq))] == ["HQ row"]
    assert [r["title"] for r in rows_of(export(client, world.admin, world.field))] == ["Field row"]


def test_export_writes_exactly_the_records_of_an_exact_filter(client, world):
    for lead in ("Ána López", "ana lopez", "Ana Lopez Jr", "Diana"):
        make_interaction(world.hq, world.editor, title=f"By {lead}", lead=lead)
    make_interaction(world.field, world.admin, title="Field row", lead="Ana Lopez")
    rows = rows_of(export(client, world.admin, world.hq, lead_is="ANA LOPEZ"))
    assert sorted(r["lead"] for r in rows) == ["ana lopez", "Ána López"]


def test_export_validates_parameters_and_needs_a_member(client, world):
    assert export(client, world.editor, world.hq, sort="nope").status_code == 400
    assert export(client, world.editor, world.hq, lead_is="x" * 101).status_code == 400
    assert export(client, world.editor, world.hq, page="2").status_code == 400  # no paging in an export
    assert export(client, world.editor, world.field).status_code == 403
    assert client.get("/api/interactions/export").status_code == 401


def test_export_streams_with_flat_memory(client, world):
    values = {"title": "Bulk row", "type": "Call", "lead": "Bulk Lead", "start_datetime": BASE_TIME,
              "end_datetime": BASE_TIME, "timezone": "UTC", "location": "Somewhere",
              "description": "A description long enough to matter. " * 4, "notes": "Notes " * 10}
    row = {**values, "site_id": world.hq.id, **derived_columns(values), "created_at": BASE_TIME,
           "updated_at": BASE_TIME, "version": 1}
    db.session.execute(db.insert(Interaction), [row] * 20_000)
    db.session.commit()
    response = export(client, world.editor, world.hq)
    assert response.is_streamed
    tracemalloc.start()
    size = lines = 0
    for chunk in response.response:  # consume chunk by chunk, as a client socket would
        size += len(chunk)
        lines += chunk.count(b"\r\n")
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert lines == 20_001  # header + every row
    assert size > 6_000_000 and peak < size / 2  # the whole file is never held in memory


def test_the_audited_query_is_stored_as_plain_json_named_as_in_the_api():
    from ims.interactions.export.trail import _as_json
    from ims.interactions.schemas import ExportQuerySchema

    query = ExportQuerySchema().load({"search": "budget", "type": ["Call"], "start_from": "2026-03-02",
                                      "sort": "-title"})
    assert _as_json(query.filters()) == {
        "search": "budget", "type": ["Call"], "start_from": ["2026-03-02 00:00:00+00:00", False],
        "sort": [["title", True]],
    }
