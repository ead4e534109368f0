"""Each write of an interaction is one unit of work that answers with what it committed: the
record is read before the COMMIT, so nothing can fail between a committed write and its answer
(a client retrying after an error never duplicates a record)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from ims.extensions import db
from tests.builders import headers_for, interaction_body


@pytest.fixture
def statements(app):
    """The SQL statements the database receives, and "COMMIT" for each commit, in order."""
    seen: list[str] = []

    def on_execute(_conn, _cursor, statement, *_args):
        seen.append(statement.lstrip().split(None, 1)[0].upper())

    def on_commit(_conn):
        seen.append("COMMIT")

    sa.event.listen(db.engine, "before_cursor_execute", on_execute)
    sa.event.listen(db.engine, "commit", on_commit)
    yield seen
    sa.event.remove(db.engine, "before_cursor_execute", on_execute)
    sa.event.remove(db.engine, "commit", on_commit)


def after_last_commit(seen: list[str]) -> list[str]:
    assert "COMMIT" in seen
    return seen[len(seen) - seen[::-1].index("COMMIT"):]


def test_create_answers_with_what_it_committed(client, world, statements):
    response = client.post("/api/interactions", json=interaction_body(), headers=headers_for(world.editor, world.hq))
    assert response.status_code == 201
    assert statements.count("INSERT") >= 2  # the interaction and its audit event, one unit of work
    assert after_last_commit(statements) == []


@pytest.mark.parametrize("write", ["update", "restore", "delete", "undelete"])
def test_each_write_commits_once_and_reads_nothing_after(client, world, statements, write):
    headers = headers_for(world.editor, world.hq)
    item = client.post("/api/interactions", json=interaction_body(), headers=headers).get_json()
    path = f"/api/interactions/{item['id']}"
    if write == "restore":
        client.put(path, json=interaction_body(title="Second title", version=1), headers=headers)
    if write == "undelete":
        client.delete(path, headers=headers)
    statements.clear()
    response = {
        "update": lambda: client.put(path, json=interaction_body(title="Changed", version=1), headers=headers),
        "restore": lambda: client.post(f"{path}/restore", json={"restore_version": 1, "version": 2}, headers=headers),
        "delete": lambda: client.delete(path, headers=headers),
        "undelete": lambda: client.post(f"/api/interactions/deleted/{item['id']}/restore", headers=headers),
    }[write]()
    assert response.status_code in (200, 204), response.get_json()
    assert statements.count("COMMIT") == 1
    assert after_last_commit(statements) == []
