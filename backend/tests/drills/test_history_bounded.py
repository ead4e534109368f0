"""A record's past as a weapon: an editor saves one interaction 150 times, each time rewriting its
5,000-character description and notes, and every later view of its history is megabytes, rebuilt
from the whole audit trail. The history answers one page of versions (at most 20) whose long texts
are excerpts around the change, each entry whole at its own address: every answer stays under a
stated size, and each request reads the page's rows, not the record's past. The worst case is built
here: every field at its maximum length in 4-byte characters, every field changed by every edit.
"""
from __future__ import annotations

import os.path
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from ims.extensions import db
from ims.interactions.fields import INTERACTION_TYPES
from tests.builders import headers_for
from tests.drills.conftest import assert_envelope

EDITS = 150
PAGE_BOUND = 256 * 1024  # bytes of one page of the history, whatever the record's past
ENTRY_BOUND = 128 * 1024  # bytes of one entry with its texts whole
MAX_PAGE_SIZE = 20
EXCERPT = 300
ZONES = ("America/Argentina/ComodRivadavia", "Europe/Berlin")
WIDE = [chr(0x1F300 + n) for n in range(400)]  # 4 bytes each in UTF-8 JSON


def wide_text(length: int, seed: int) -> str:
    return "".join(WIDE[(seed + n) % len(WIDE)] for n in range(length))


def body_of(n: int, version: int | None = None) -> dict:
    """Edit `n`: every field differs from edit n-1. The description changes from its first character
    on; the notes change one character further in each time, so excerpts start at many offsets."""
    start = datetime(2026, 3, 2, 9, tzinfo=timezone.utc) + timedelta(hours=n)
    notes = list(wide_text(5000, 0))
    notes[(n * 97) % 5000] = chr(0x20000 + n)
    body = {"title": wide_text(200, n), "type": INTERACTION_TYPES[n % len(INTERACTION_TYPES)],
            "lead": wide_text(100, n), "start_datetime": start.isoformat(),
            "end_datetime": (start + timedelta(minutes=30)).isoformat(), "timezone": ZONES[n % 2],
            "location": wide_text(200, n + 1), "description": wide_text(5000, n), "notes": "".join(notes)}
    return body if version is None else {**body, "version": version}


def build(client, headers, edits: int) -> int:
    item = client.post("/api/interactions", json=body_of(0), headers=headers)
    assert item.status_code == 201, item.get_data(as_text=True)[:300]
    interaction_id = item.get_json()["id"]
    for n in range(1, edits + 1):
        saved = client.put(f"/api/interactions/{interaction_id}", json=body_of(n, n), headers=headers)
        assert saved.status_code == 200, saved.get_data(as_text=True)[:300]
    return interaction_id


class Reads:
    """SQL statements sent and rows they answered, on the app's engine."""

    def __init__(self):
        self.statements = self.rows = 0

    def _executed(self, conn, cursor, statement, *args):
        self.statements += 1
        self.rows += max(cursor.rowcount, 0)

    def __enter__(self):
        db.session.remove()
        sa.event.listen(db.engine, "after_cursor_execute", self._executed)
        return self

    def __exit__(self, *exc):
        sa.event.remove(db.engine, "after_cursor_execute", self._executed)


def history(client, headers, interaction_id: int, **params):
    return client.get(f"/api/interactions/{interaction_id}/history", query_string=params, headers=headers)


def read_page(client, headers, interaction_id: int, **params):
    with Reads() as reads:
        answer = history(client, headers, interaction_id, **params)
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    return answer, reads


@pytest.fixture
def editor(client, world):
    return headers_for(world.editor, world.hq)


def test_a_history_page_stays_small_and_reads_only_its_rows(client, editor, figures):
    long_past, short_past = build(client, editor, EDITS), build(client, editor, 2)
    answers = {
        "first": read_page(client, editor, long_past),
        "first_max": read_page(client, editor, long_past, page_size=MAX_PAGE_SIZE),
        "deep_max": read_page(client, editor, long_past, page=5, page_size=MAX_PAGE_SIZE),
        "short_max": read_page(client, editor, short_past, page_size=MAX_PAGE_SIZE),
    }
    sizes = {name: len(answer.get_data()) for name, (answer, _) in answers.items()}
    statements = {name: reads.statements for name, (_, reads) in answers.items()}
    rows = {name: reads.rows for name, (_, reads) in answers.items()}
    figures.update(edits=EDITS, page_bytes=sizes, statements=statements, rows_read=rows, bound_bytes=PAGE_BOUND)
    assert max(sizes.values()) < PAGE_BOUND, sizes
    # The record's past costs nothing beyond its page: as many statements as for a record of three
    # versions, and rows for the page's entries plus a constant (the record, a count, the guard's reads).
    assert statements["first_max"] == statements["deep_max"] == statements["short_max"], statements
    assert rows["first_max"] - rows["short_max"] <= MAX_PAGE_SIZE - 3, rows
    assert rows["first_max"] <= MAX_PAGE_SIZE + 10, rows


def trail_states(interaction_id: int) -> list[dict]:
    """Every version in full, rebuilt forwards from the stored audit events (the create holds every
    field, each update what it set): an account of the past independent of the app's backward walk."""
    db.session.remove()
    events = db.session.execute(sa.text(
        "SELECT action, changes FROM audit_events WHERE entity_type = 'interaction' AND entity_id = :id "
        "ORDER BY id"), {"id": interaction_id}).all()
    db.session.remove()
    assert events[0].action == "create"
    states = [None, dict(events[0].changes)]
    for event in events[1:]:
        states.append({**states[-1], **{name: change["to"] for name, change in event.changes.items()}})
    return states


def assert_excerpt(shown: dict, old: str, new: str) -> None:
    if not shown["truncated"]:
        assert (shown["from"], shown["to"]) == (old, new)
        return
    offset = shown["offset"]
    assert (shown["from"], shown["to"]) == (old[offset:offset + EXCERPT], new[offset:offset + EXCERPT])
    assert (shown["from_length"], shown["to_length"]) == (len(old), len(new))
    assert offset <= len(os.path.commonprefix([old, new])) < offset + EXCERPT  # the change is in view


def test_every_version_is_reachable_by_paging_and_matches_the_trail(client, editor, figures):
    interaction_id = build(client, editor, EDITS)
    states = trail_states(interaction_id)
    current = client.get(f"/api/interactions/{interaction_id}", headers=editor).get_json()
    assert {name: current[name] for name in states[-1]} == states[-1] and current["version"] == EDITS + 1

    pages, entries = [], []
    while not pages or pages[-1]["page"] < pages[-1]["pages"]:
        answer = history(client, editor, interaction_id, page=len(pages) + 1, page_size=MAX_PAGE_SIZE)
        assert answer.status_code == 200 and len(answer.get_data()) < PAGE_BOUND
        pages.append(answer.get_json())
        entries += pages[-1]["items"]
        assert len(pages) <= EDITS
    assert [e["version"] for e in entries] == list(range(EDITS + 1, 0, -1))
    assert {p["total"] for p in pages} == {EDITS + 1} and len(pages) == pages[0]["pages"]

    whole_sizes = []
    for entry in entries[:-1]:
        before, after = states[entry["version"] - 1], states[entry["version"]]
        changed = {name for name in after if before[name] != after[name]}
        assert set(entry["changes"]) == changed, entry["version"]
        for name in changed:
            assert_excerpt(entry["changes"][name], before[name], after[name])
        whole = client.get(f"/api/interactions/{interaction_id}/history/{entry['id']}", headers=editor)
        assert whole.status_code == 200 and whole.get_json()["version"] == entry["version"]
        assert whole.get_json()["changes"] == {
            name: {"from": before[name], "to": after[name], "truncated": False} for name in changed}
        whole_sizes.append(len(whole.get_data()))
    assert entries[-1]["action"] == "create" and entries[-1]["changes"] == {}
    assert max(whole_sizes) < ENTRY_BOUND
    figures.update(pages=len(pages), versions=len(entries), largest_whole_entry_bytes=max(whole_sizes),
                   bound_entry_bytes=ENTRY_BOUND)


@pytest.mark.parametrize("params", [{"page": 0}, {"page": "last"}, {"page_size": 0},
                                    {"page_size": MAX_PAGE_SIZE + 1}, {"page_size": 10_000}, {"limit": 5}])
def test_bad_paging_parameters_are_400_in_the_envelope(client, editor, params):
    interaction_id = build(client, editor, 1)
    assert_envelope(history(client, editor, interaction_id, **params), 400)
