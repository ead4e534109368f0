"""Drill: restore to a point in time, as RDS does it, on a private PostgreSQL cluster.

A cluster archiving its WAL, a base backup, writes through the API before and after a noted time,
then a new cluster recovered from the backup and the archive to that time and promoted, with the API
started on it: every write acknowledged before the time is there (including those only in the WAL,
after the base backup), none after it (creations, edits and deletions alike), and it takes writes.
docs/DEPLOYMENT.md, "Restore to a point in time", runs the same recovery on RDS with
ops/restore-to-time.sh.
"""
from __future__ import annotations

import uuid
from contextlib import contextmanager

import psycopg2
import requests
from flask_migrate import upgrade

from ims import create_app
from tests.builders import bearer, interaction_body, make_site, make_user, token_for
from tests.conftest import RUN_PREFIX, settings_for
from tests.servers import PG_BIN, ServedApp, ThrowawayPostgres, bounded_until


@contextmanager
def removed_afterwards(*servers: ThrowawayPostgres):
    try:
        yield servers
    finally:
        for server in servers:
            server.remove()


def sql(server: ThrowawayPostgres, statement: str):
    connection = psycopg2.connect(server.url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
            return cursor.fetchone()
    finally:
        connection.close()


def archived(source: ThrowawayPostgres) -> None:
    """Closes the current WAL segment and waits until the archiver has copied it."""
    segment = sql(source, "SELECT pg_walfile_name(pg_switch_wal())")[0]
    done = bounded_until(lambda: (sql(source, "SELECT last_archived_wal FROM pg_stat_archiver")[0] or "") >= segment,
                         attempts=200, pause=0.05)
    assert done, f"WAL segment {segment} was not archived"


def served_api(server: ThrowawayPostgres):
    """The API on `server` with a cache namespace of its own, as Terraform gives each database
    (REDIS_KEY_PREFIX): in the old namespace, the restored API would serve Finder pages cached
    from the old database, rows written after the time included."""
    return create_app(settings_for(server.url, REDIS_KEY_PREFIX=f"{RUN_PREFIX}pitr-{uuid.uuid4().hex[:8]}:"))


def titles(url: str, headers: dict) -> set[str]:
    response = requests.get(f"{url}/api/interactions", params={"page_size": 100}, headers=headers, timeout=30)
    assert response.status_code == 200, response.text[:300]
    return {item["title"] for item in response.json()["items"]}


def test_restore_to_a_time_keeps_every_write_before_it_and_none_after(app):
    """`app` (the suite's own) only for its clean-up: the mail threads of the apps made here stop."""
    source = ThrowawayPostgres({"wal_level": "replica", "archive_mode": "on"})
    restored = ThrowawayPostgres({"archive_mode": "off"}, initdb=False)
    with removed_afterwards(source, restored):
        archive = source.dir / "wal-archive"
        source.run("mkdir", archive)
        source.settings["archive_command"] = f"cp %p {archive}/%f"
        source.start()
        on_source = served_api(source)
        with on_source.app_context():
            upgrade()
            site = make_site("Restore drill")
            user = make_user("restorer", {site: "editor"})
            headers = bearer(token_for(user), site)

        with ServedApp(on_source) as api:
            def create(title: str) -> dict:
                response = requests.post(f"{api.url}/api/interactions", json=interaction_body(title=title),
                                         headers=headers, timeout=30)
                assert response.status_code == 201, response.text[:300]
                return response.json()

            in_backup = create("Before the base backup")
            source.run(PG_BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", source.port, "-U", "postgres",
                       "-D", restored.data, "--checkpoint=fast", "-X", "stream")
            edited_later = create("Only in the WAL")
            deleted_later = create("Deleted after the time")
            before = {in_backup["title"], edited_later["title"], deleted_later["title"]}
            target_time = sql(source, "SELECT clock_timestamp()")[0]

            create("Created after the time")
            changed = requests.put(f"{api.url}/api/interactions/{edited_later['id']}",
                                   json={**interaction_body(title="Edited after the time"),
                                         "version": edited_later["version"]}, headers=headers, timeout=30)
            assert changed.status_code == 200, changed.text[:300]
            gone = requests.delete(f"{api.url}/api/interactions/{deleted_later['id']}", headers=headers, timeout=30)
            assert gone.status_code == 204
            assert titles(api.url, headers) == {in_backup["title"], "Edited after the time", "Created after the time"}
        archived(source)
        source.stop()  # a restore never reads the source: only its backup and its archived WAL

        restored.run("touch", restored.data / "recovery.signal")
        restored.settings.update({
            "restore_command": f"cp {archive}/%f %p",
            "recovery_target_time": target_time.isoformat(),
            "recovery_target_action": "promote",
        })
        restored.start()
        assert bounded_until(lambda: not sql(restored, "SELECT pg_is_in_recovery()")[0], attempts=300, pause=0.05), \
            "the restored cluster did not finish recovery"

        with ServedApp(served_api(restored)) as api:
            assert titles(api.url, headers) == before
            assert requests.get(f"{api.url}/api/health", timeout=30).status_code == 200
            after = requests.post(f"{api.url}/api/interactions", json=interaction_body(title="On the restored copy"),
                                  headers=headers, timeout=30)
            assert after.status_code == 201, after.text[:300]
            assert titles(api.url, headers) == before | {"On the restored copy"}
