"""What is left behind: with production's log level every request still leaves an access line, and an
export of a site (the one request that takes all of its data away) leaves an audit event saying who,
which site, which query and how many rows."""
from __future__ import annotations

import json

from ims import create_app
from ims.audit import AuditEvent
from ims.extensions import db
from ims.logs import configure_logging
from tests.builders import headers_for, make_interaction
from tests.conftest import settings_for


def test_access_lines_do_not_depend_on_the_log_level(database_url, world, capsys, figures):
    quiet = create_app(settings_for(database_url, LOG_LEVEL="WARNING"))
    try:
        client = quiet.test_client()
        client.get("/api/health", environ_base={"REMOTE_ADDR": "192.0.2.8"})
        client.get("/api/interactions", headers=headers_for(world.viewer, world.hq))
        lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    finally:
        configure_logging("INFO")  # the level is process-wide; later tests log at the suite's level
    access = [line for line in lines if line["logger"] == "ims.access"]
    assert [(a["path"], a["status"]) for a in access] == [("/api/health", 200), ("/api/interactions", 200)]
    assert access[0]["remote_addr"] == "192.0.2.8" and access[1]["user_id"] == world.viewer.id
    assert not [line for line in lines if line["level"] == "INFO" and line["logger"] != "ims.access"]
    figures.update(log_level="WARNING", access_lines=len(access))


def test_an_export_is_audited_with_who_site_query_and_rows(client, world, figures):
    for n in range(3):
        make_interaction(world.hq, world.editor, title=f"Budget review {n}", description="line one\nline \"two\"")
    make_interaction(world.hq, world.editor, title="Unrelated")
    response = client.get("/api/interactions/export", query_string={"search": "budget", "sort": "title"},
                          headers=headers_for(world.viewer, world.hq), environ_base={"REMOTE_ADDR": "192.0.2.9"})
    viewer, hq = world.viewer.id, world.hq.id
    assert response.status_code == 200 and response.get_data()  # streamed to the end
    db.session.remove()
    [event] = db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "export")).scalars().all()
    assert (event.user_id, event.site_id, event.client_ip) == (viewer, hq, "192.0.2.9")
    assert event.changes["query"]["search"] == "budget" and event.changes["rows"] == 3
    assert event.changes["completed"] is True
    figures.update(rows_exported=3, audited=1)
