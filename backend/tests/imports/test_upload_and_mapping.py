"""Upload, automatic and edited mapping, date orders, the preview through the interaction schema."""
from __future__ import annotations

from ims.imports.models import Import
from ims.extensions import db
from tests.builders import headers_for, make_interaction, upload_file

HEADER = "Subject,Kind,Owner,Date,End,Where,Notes\r\n"


def csv_bytes(*rows: str, header: str = HEADER, bom: bool = True) -> bytes:
    return (("\ufeff" if bom else "") + header + "".join(row + "\r\n" for row in rows)).encode()


def test_headers_are_matched_by_synonym_and_the_preview_shows_rows_as_stored(client, world):
    h = headers_for(world.editor, world.hq)
    response = upload_file(client, h, csv_bytes("Budget review,call,Amelia Hart,2026-03-02 10:00,"
                                                "2026-03-02 11:00,Board room,"))
    assert response.status_code == 201, response.get_json()
    item = response.get_json()
    assert item["status"] == "mapping" and item["format"] == "csv" and item["encoding"] == "utf-8-sig"
    assert item["delimiter"] == "," and item["created_by"] == "editor"
    assert [c["field"] for c in item["columns"]] == ["title", "type", "lead", "start_datetime", "end_datetime",
                                                      "location", "notes"]
    assert item["columns"][0]["samples"] == ["Budget review"]
    assert item["timezone"] == "UTC" and item["problems"] == []
    assert item["counts"]["rows"] == 1 and item["counts"]["valid"] == 1
    preview = client.get(f"/api/imports/{item['id']}/preview", headers=h).get_json()
    row = preview["items"][0]
    assert row["row"] == 2 and row["errors"] == {} and row["duplicate"] is False
    assert row["values"]["type"] == "Call"  # a choice matched whatever its case
    assert row["values"]["start_datetime"] == "2026-03-02T10:00:00Z"
    assert row["values"]["timezone"] == "UTC" and row["values"]["notes"] is None


def test_invalid_cells_carry_the_messages_of_the_api(client, world):
    h = headers_for(world.editor, world.hq)
    item = upload_file(client, h, csv_bytes(
        ",Call,Amelia,2026-03-02 10:00,2026-03-02 11:00,,",
        "Late,Call,Amelia,2026-03-02 10:00,2026-03-02 09:00,,",
        "Odd,Party,Amelia,next tuesday,2026-03-02 09:00,,")).get_json()
    preview = client.get(f"/api/imports/{item['id']}/preview?only=invalid", headers=h).get_json()
    errors = {row["row"]: row["errors"] for row in preview["items"]}
    api = client.post("/api/interactions", json={"type": "Party", "lead": "A", "start_datetime": "next tuesday",
                                                 "end_datetime": "2026-03-02T09:00:00Z", "timezone": "UTC"},
                      headers=h).get_json()["error"]["details"]
    assert errors[2] == {"title": api["title"]}
    assert errors[3] == {"end_datetime": ["The end must not be before the start."]}
    assert errors[4]["type"] == api["type"] and errors[4]["start_datetime"] == api["start_datetime"]
    assert preview["counts"]["invalid"] == 3 and preview["counts"]["valid"] == 0 and preview["total"] == 3


def test_the_mapping_can_be_edited_and_a_missing_required_field_is_a_problem(client, world):
    h = headers_for(world.editor, world.hq)
    item = upload_file(client, h, csv_bytes("A,Call,Amelia,2026-03-02 10:00,2026-03-02 11:00,Room,Hi")).get_json()
    url = f"/api/imports/{item['id']}"
    changed = client.patch(url, json={"mapping": {"2": None}}, headers=h).get_json()
    assert changed["columns"][2]["field"] is None
    assert changed["problems"] == ["Column 'Lead' is required: map a column to it"]
    assert client.post(f"{url}/run", headers=h).status_code == 422
    # mapping a field to another column takes it from the column that had it
    moved = client.patch(url, json={"mapping": {"6": "lead"}}, headers=h).get_json()
    assert moved["problems"] == [] and moved["columns"][6]["field"] == "lead"
    assert client.patch(url, json={"mapping": {"99": "title"}}, headers=h).status_code == 422
    assert client.patch(url, json={"mapping": {"0": "nonsense"}}, headers=h).status_code == 422
    assert client.patch(url, json={"timezone": "Mars/Olympus"}, headers=h).status_code == 422
    zoned = client.patch(url, json={"timezone": "Europe/Berlin"}, headers=h).get_json()
    assert zoned["timezone"] == "Europe/Berlin"
    row = client.get(f"{url}/preview", headers=h).get_json()["items"][0]
    assert row["values"]["start_datetime"] == "2026-03-02T09:00:00Z"  # 10:00 in Berlin
    assert row["values"]["timezone"] == "Europe/Berlin"


def test_a_change_built_on_an_older_version_is_refused_and_changes_nothing(client, world):
    h = headers_for(world.editor, world.hq)
    item = upload_file(client, h, csv_bytes("A,Call,Amelia,2026-03-02 10:00,2026-03-02 11:00,Room,Hi")).get_json()
    url = f"/api/imports/{item['id']}"
    assert item["version"] == 1
    newer = client.patch(url, json={"mapping": {"5": None}, "version": 1}, headers=h)
    assert newer.status_code == 200 and newer.get_json()["version"] == 2 and newer.headers["ETag"] == '"2"'
    for stale in ({"json": {"mapping": {"5": "location", "6": None}, "version": 1}, "headers": h},
                  {"json": {"mapping": {"5": "location", "6": None}}, "headers": {**h, "If-Match": '"1"'}}):
        refused = client.patch(url, **stale)
        assert refused.status_code == 409, refused.get_json()
        error = refused.get_json()["error"]
        assert error["code"] == "version_conflict" and "changed elsewhere" in error["message"]
        assert error["details"]["current"]["version"] == 2
    stored = client.get(url, headers=h)
    assert stored.headers["ETag"] == '"2"' and stored.get_json()["version"] == 2
    assert [c["field"] for c in stored.get_json()["columns"]][5:] == [None, "notes"]
    # a client that sends no version (the release before) still changes the mapping, and raises the version
    older_client = client.patch(url, json={"mapping": {"6": None}}, headers=h).get_json()
    assert older_client["version"] == 3 and older_client["columns"][6]["field"] is None


def test_the_export_headers_map_to_their_fields_and_the_rest_is_ignored(client, world):
    h = headers_for(world.editor, world.hq)
    header = ("id,title,type,lead,start_datetime,end_datetime,timezone,location,description,notes,created_by,"
              "created_at,updated_by,updated_at,version\r\n")
    item = upload_file(client, h, csv_bytes("1,A,Call,B,2026-03-02T10:00:00Z,2026-03-02T11:00:00Z,UTC,,,,x,y,z,w,1",
                                            header=header)).get_json()
    assert [c["field"] for c in item["columns"]] == [None, "title", "type", "lead", "start_datetime",
                                                      "end_datetime", "timezone", "location", "description",
                                                      "notes", None, None, None, None, None]


def test_ambiguous_dates_must_be_chosen_before_the_run(client, world):
    h = headers_for(world.editor, world.hq)
    item = upload_file(client, h, csv_bytes("A,Call,Amelia,02/03/2026 10:00,02/03/2026 11:00,,")).get_json()
    start = item["columns"][3]
    assert start["date_order"] is None and start["date_order_ambiguous"] is True
    assert any("day-first and month-first" in problem for problem in item["problems"])
    url = f"/api/imports/{item['id']}"
    refused = client.post(f"{url}/run", headers=h)
    assert refused.status_code == 422 and "choose the order" in refused.get_json()["error"]["message"]
    chosen = client.patch(url, json={"date_orders": {"3": "day_first", "4": "day_first"}}, headers=h).get_json()
    assert chosen["problems"] == [] and chosen["columns"][3]["date_order"] == "day_first"
    row = client.get(f"{url}/preview", headers=h).get_json()["items"][0]
    assert row["values"]["start_datetime"] == "2026-03-02T10:00:00Z"
    other = client.patch(url, json={"date_orders": {"3": "month_first", "4": "month_first"}}, headers=h)
    assert client.get(f"{url}/preview", headers=h).get_json()["items"][0]["values"]["start_datetime"] \
        == "2026-02-03T10:00:00Z" and other.status_code == 200


def test_a_day_above_twelve_settles_the_order(client, world):
    h = headers_for(world.editor, world.hq)
    item = upload_file(client, h, csv_bytes("A,Call,Amelia,02/03/2026 10:00,02/03/2026 11:00,,",
                                            "B,Call,Amelia,25/03/2026 10:00,25/03/2026 11:00,,")).get_json()
    assert item["columns"][3]["date_order"] == "day_first" and item["columns"][3]["date_order_ambiguous"] is False
    us = upload_file(client, h, csv_bytes("A,Call,Amelia,03/25/2026 1:30 PM,03/25/2026 2:00 PM,,")).get_json()
    assert us["columns"][3]["date_order"] == "month_first"
    row = client.get(f"/api/imports/{us['id']}/preview", headers=h).get_json()["items"][0]
    assert row["values"]["start_datetime"] == "2026-03-25T13:30:00Z"


def test_duplicates_in_the_file_and_against_the_site_are_counted(client, world):
    from datetime import datetime, timezone
    make_interaction(world.hq, world.editor, title="Known", lead="Amelia",
                     start_datetime=datetime(2026, 3, 2, 10, tzinfo=timezone.utc))
    make_interaction(world.field, world.field_editor, title="Elsewhere", lead="Amelia",
                     start_datetime=datetime(2026, 3, 2, 10, tzinfo=timezone.utc))
    h = headers_for(world.editor, world.hq)
    item = upload_file(client, h, csv_bytes(
        "Known,Call,Amelia,2026-03-02T10:00:00Z,2026-03-02T11:00:00Z,,",
        "Elsewhere,Call,Amelia,2026-03-02T10:00:00Z,2026-03-02T11:00:00Z,,",
        "Twice,Call,Amelia,2026-03-02T10:00:00Z,2026-03-02T11:00:00Z,,",
        "Twice,Call,Amelia,2026-03-02T10:00:00Z,2026-03-02T11:00:00Z,,")).get_json()
    assert item["counts"] == {"rows": 4, "valid": 2, "invalid": 0, "duplicate": 2, "imported": 0, "skipped": 0,
                              "failed": 0}
    dupes = client.get(f"/api/imports/{item['id']}/preview?only=duplicate", headers=h).get_json()
    assert [row["row"] for row in dupes["items"]] == [2, 5]


def test_imports_are_listed_newest_first_and_kept_with_the_file(client, world):
    h = headers_for(world.editor, world.hq)
    first = upload_file(client, h, csv_bytes("A,Call,B,2026-03-02T10:00:00Z,2026-03-02T11:00:00Z,,")).get_json()
    second = upload_file(client, h, csv_bytes("A,Call,B,2026-03-02T10:00:00Z,2026-03-02T11:00:00Z,,"),
                         filename="second.csv").get_json()
    listed = client.get("/api/imports", headers=h).get_json()
    assert [item["id"] for item in listed["items"]] == [second["id"], first["id"]] and listed["total"] == 2
    assert db.session.get(Import, first["id"]).content.startswith(b"\xef\xbb\xbf")
