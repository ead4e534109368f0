"""Drills of the read replica (ims/read_replica.py) on a real primary and its streaming replica
(`pg_basebackup -R`, tests/servers.py `streaming_pair`): the Finder, insights and exports read from
the replica, writes never reach it; a person sees their own write while the replica's replay is
paused, another person may read the paused replica but its page is never cached under the new
generation; a replica stopped or too far behind is answered around by the primary, and used again
once it is back."""
from __future__ import annotations

import threading
import uuid
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask import g
from flask_migrate import upgrade

from ims import background, create_app, read_replica, read_your_writes
from ims.cache import RedisCache
from ims.config import engine_options
from ims.extensions import READ_BIND, db
from tests.builders import bearer, interaction_body, make_site, make_user, token_for, upload_file
from tests.conftest import RUN_PREFIX, settings_for
from tests.local_http import closed_port
from tests.servers import bounded_until, pg_sql

FINDER = "/api/interactions?page_size=100"


class ReplicaStatements:
    """The statements the app sends through the replica's engine, as they are sent."""

    def __init__(self, engine: sa.Engine):
        self.engine, self.sent, self._lock = engine, [], threading.Lock()

    def __call__(self, _conn, _cursor, statement, *_args) -> None:
        with self._lock:
            self.sent.append(statement)

    def on_interactions(self) -> int:
        with self._lock:
            return sum("interactions" in statement for statement in self.sent)

    def writes(self) -> list[str]:
        with self._lock:
            return [s for s in self.sent if s.lstrip().split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]


@pytest.fixture(scope="module")
def migrated(streaming_pair):
    application = create_app(settings_for(streaming_pair.primary.url))
    with application.app_context():
        upgrade()
        db.engine.dispose()
    assert streaming_pair.caught_up()
    return streaming_pair


def replica_app(pair, **settings):
    """The API on the pair's primary with DB_READ_HOST/DB_READ_PORT on its replica, a cache of its own."""
    settings = {"DB_READ_MAX_LAG_SECONDS": 600.0, "DB_READ_RETRY_SECONDS": 0.5, **settings}
    config = settings_for(pair.primary.url, REDIS_KEY_PREFIX=f"{RUN_PREFIX}replica-{uuid.uuid4().hex[:8]}:",
                          **settings)
    config["SQLALCHEMY_READ_URI"] = config["SQLALCHEMY_DATABASE_URI"].replace(
        f":{pair.primary.port}/", f":{pair.replica.port}/")
    return create_app(config)


@pytest.fixture
def world(migrated, app):
    """`app` (the suite's own) only for its clean-up. A site with an editor and a viewer, one record."""
    application = replica_app(migrated)
    statements = ReplicaStatements(application.extensions[read_replica.EXTENSION].engine)
    sa.event.listen(statements.engine, "before_cursor_execute", statements)
    with application.app_context():
        site = make_site(f"Replica {uuid.uuid4().hex[:6]}")
        editor = make_user(f"writer-{uuid.uuid4().hex[:6]}", {site: "editor"})
        viewer = make_user(f"reader-{uuid.uuid4().hex[:6]}", {site: "viewer"})
        db.session.commit()
        people = SimpleNamespace(editor=bearer(token_for(editor), site), viewer=bearer(token_for(viewer), site))
        site_id, editor_id = site.id, editor.id
    client = application.test_client()
    created = client.post("/api/interactions", json=interaction_body(title="Before"), headers=people.editor)
    assert created.status_code == 201
    assert migrated.caught_up()
    yield SimpleNamespace(pair=migrated, app=application, client=client, people=people, replica=statements,
                          site_id=site_id, editor_id=editor_id)
    migrated.replay_paused(False)
    if not (migrated.replica.data / "postmaster.pid").exists():
        migrated.replica.start()
    with application.app_context():
        db.engine.dispose()
    application.extensions[read_replica.EXTENSION].engine.dispose()


def read_whole(response):
    """The answer read to its end and closed: a streamed export left half-read would end its request
    context later, in another test's."""
    response.get_data()
    response.close()
    return response


def titles(response) -> set[str]:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return {item["title"] for item in response.get_json()["items"]}


def test_the_finder_insights_and_exports_read_from_the_replica_and_writes_never_go_there(world):
    client, people, replica = world.client, world.people, world.replica
    assert replica.engine.url.port == world.pair.replica.port
    assert replica.engine.connect().execute(sa.text("SELECT pg_is_in_recovery()")).scalar_one() is True

    for path in (FINDER, "/api/insights", "/api/interactions/export"):
        before = replica.on_interactions()
        response = read_whole(client.get(path, headers=world.people.viewer))
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        assert replica.on_interactions() > before, f"{path} did not read from the replica"
    assert b"Before" in client.get("/api/interactions/export", headers=people.viewer).data

    created = client.post("/api/interactions", json=interaction_body(title="Written before"), headers=people.editor)
    assert created.status_code == 201
    item = created.get_json()
    assert world.pair.caught_up()
    # A full page of a search whose word the letter index cannot settle (longer than two characters):
    # counted within its budget, in a savepoint, on the replica too.
    before = replica.on_interactions()
    counted = client.get("/api/interactions?page_size=1&search=efor", headers=people.viewer)
    assert counted.status_code == 200 and counted.get_json()["total"] == 2
    assert replica.on_interactions() >= before + 3 and any("SAVEPOINT" in s for s in replica.sent)
    changed = client.put(f"/api/interactions/{item['id']}", json={**interaction_body(title="Rewritten"),
                                                                  "version": item["version"]}, headers=people.editor)
    assert changed.status_code == 200
    assert client.delete(f"/api/interactions/{item['id']}", headers=people.editor).status_code == 204
    assert replica.writes() == []


def test_a_person_sees_their_own_write_while_replay_is_paused_and_others_read_the_replica_uncached(world):
    client, people, replica = world.client, world.people, world.replica
    assert titles(client.get(FINDER, headers=people.viewer)) == {"Before"}
    world.pair.replay_paused(True)

    mine = client.post("/api/interactions", json=interaction_body(title="Mine"), headers=people.editor)
    assert mine.status_code == 201
    before = replica.on_interactions()
    assert titles(client.get(FINDER, headers=people.editor)) == {"Before", "Mine"}  # read your writes
    assert replica.on_interactions() == before, "the writer's read went to a replica that has not replayed it"

    # the other person's query (the writer's page, from the primary, is cached for anyone who asks it)
    theirs = FINDER + "&search=e"
    for _ in range(2):  # they read the paused replica: stale, allowed, and never cached
        before = replica.on_interactions()
        stale = client.get(theirs, headers=people.viewer)
        assert titles(stale) == {"Before"}
        assert stale.headers["X-Cache"] == "MISS"
        assert replica.on_interactions() > before

    world.pair.replay_paused(False)
    assert world.pair.caught_up()
    assert titles(client.get(theirs, headers=people.viewer)) == {"Before", "Mine"}
    cached = client.get(theirs, headers=people.viewer)
    assert cached.headers["X-Cache"] == "HIT" and titles(cached) == {"Before", "Mine"}


def test_a_replica_further_behind_than_allowed_is_left_for_the_primary(migrated, app):
    world = SimpleNamespace()
    application = replica_app(migrated, DB_READ_MAX_LAG_SECONDS=0.2)
    with application.app_context():
        site = make_site(f"Lagging {uuid.uuid4().hex[:6]}")
        world.editor = bearer(token_for(make_user(f"w-{uuid.uuid4().hex[:6]}", {site: "editor"})), site)
        world.viewer = bearer(token_for(make_user(f"r-{uuid.uuid4().hex[:6]}", {site: "viewer"})), site)
        db.session.commit()
    client = application.test_client()
    migrated.replay_paused(True)
    try:
        assert client.post("/api/interactions", json=interaction_body(title="Unreplayed"),
                           headers=world.editor).status_code == 201
        # only the primary has it: the viewer sees it once the paused replica is too far behind
        assert bounded_until(lambda: titles(client.get(FINDER, headers=world.viewer)) == {"Unreplayed"})
    finally:
        migrated.replay_paused(False)
        application.extensions[read_replica.EXTENSION].engine.dispose()


def test_a_stopped_replica_is_answered_around_by_the_primary_and_used_again_once_back(world, caplog):
    client, people, replica = world.client, world.people, world.replica
    world.pair.replica.stop()
    for path in (FINDER, "/api/insights", "/api/interactions/export"):
        response = read_whole(client.get(path, headers=people.viewer))
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert titles(client.get(FINDER + "&search=before", headers=people.viewer)) == {"Before"}
    assert "read replica unreachable" in caplog.text

    world.pair.replica.start()
    before = replica.on_interactions()
    assert bounded_until(lambda: client.get(FINDER + f"&search={uuid.uuid4().hex[:4]}", headers=people.viewer)
                         and replica.on_interactions() > before), "reads did not return to the replica"


def test_a_replica_that_goes_away_mid_read_is_answered_around_by_the_primary(migrated, app):
    """The replica's position is trusted for an hour here: the read is sent to it after it stopped,
    fails there, and is answered again from the primary."""
    application = replica_app(migrated, DB_READ_POSITION_SECONDS=3600.0)
    with application.app_context():
        site = make_site(f"Mid-read {uuid.uuid4().hex[:6]}")
        viewer = bearer(token_for(make_user(f"v-{uuid.uuid4().hex[:6]}", {site: "viewer"})), site)
        db.session.commit()
    client = application.test_client()
    statements = ReplicaStatements(application.extensions[read_replica.EXTENSION].engine)
    sa.event.listen(statements.engine, "before_cursor_execute", statements)
    assert titles(client.get(FINDER, headers=viewer)) == set()
    assert statements.on_interactions() > 0
    migrated.replica.stop()
    try:
        for path in (FINDER + "&search=x", "/api/insights?search=x", "/api/interactions/export?search=x"):
            response = read_whole(client.get(path, headers=viewer))
            assert response.status_code == 200, response.get_data(as_text=True)[:300]
        assert application.extensions[read_replica.EXTENSION].down()
    finally:
        migrated.replica.start()
        application.extensions[read_replica.EXTENSION].engine.dispose()


def test_the_scoping_check_sees_statements_sent_to_the_replica(world, _site_scoped_sql):
    """conftest's site-scoping check watches every engine: a read routed to the replica is checked too."""
    with world.app.test_request_context("/api/interactions"):
        g.site = SimpleNamespace(site_id=7)
        db.session.info[READ_BIND] = world.replica.engine
        try:
            db.session.execute(sa.text("SELECT count(*) FROM interactions WHERE id = 5"))
        finally:
            db.session.info.pop(READ_BIND)
            db.session.remove()
    assert world.replica.sent[-1] == "SELECT count(*) FROM interactions WHERE id = 5"
    assert len(_site_scoped_sql.unscoped) == 1
    assert _site_scoped_sql.unscoped[0].startswith("no predicate binding site_id to 7 for ['interactions']")
    _site_scoped_sql.unscoped.clear()  # seen: this test's own statement must not fail it


def test_rows_stale_on_the_replica_are_refreshed_and_read_on_the_primary(world):
    """A row the previous release wrote (derived columns stale) cannot be refreshed on a replica: the read
    goes to the primary, which computes them again and answers; nothing is sent to the replica to write."""
    pg_sql(world.pair.primary, "UPDATE interactions SET keys_digest = NULL, search_text = '' "
                               f"WHERE site_id = {world.site_id}")
    assert world.pair.caught_up()
    assert titles(world.client.get(FINDER + "&search=before", headers=world.people.viewer)) == {"Before"}
    assert world.replica.writes() == []
    assert pg_sql(world.pair.primary, "SELECT count(*) FROM interactions "
                                      f"WHERE site_id = {world.site_id} AND keys_digest IS NULL")[0] == 0


def test_when_nobody_can_tell_where_a_persons_last_write_is_they_read_from_the_primary(world):
    """Redis unreachable: the positions kept there cannot be read, so no read may trust the replica."""
    client, people, replica = world.client, world.people, world.replica
    assert titles(client.get(FINDER + "&search=o", headers=people.viewer)) == {"Before"}
    world.app.extensions["ims_cache"] = RedisCache(f"redis://127.0.0.1:{closed_port()}/0")
    before = replica.on_interactions()
    assert titles(client.get(FINDER + "&search=f", headers=people.viewer)) == {"Before"}
    assert replica.on_interactions() == before


def test_the_person_who_started_an_import_sees_its_rows_at_once_while_replay_is_paused(world):
    """The batches commit in a background thread, for the person who started the import: their reads
    wait for those commits. The run's first batch is held (the site's row locked) until the replica has
    replayed the upload and the start, then replay is paused and the batches go in. (An app of its own
    whose statements may wait that long: the default timeout is 5 s.)"""
    application = replica_app(world.pair, SQLALCHEMY_ENGINE_OPTIONS=engine_options(
        "postgresql", {"DB_STATEMENT_TIMEOUT_MS": "120000"}))
    replica = ReplicaStatements(application.extensions[read_replica.EXTENSION].engine)
    sa.event.listen(replica.engine, "before_cursor_execute", replica)
    client, people = application.test_client(), world.people
    body = "Subject,Type,Owner,Start,End\r\n" + "".join(
        f"Imported {n},Call,Amelia,2026-03-0{n}T10:00:00Z,2026-03-0{n}T11:00:00Z\r\n" for n in (1, 2, 3))
    item = upload_file(client, people.editor, body.encode()).get_json()
    holder = sa.create_engine(application.config["SQLALCHEMY_DATABASE_URI"], poolclass=sa.pool.NullPool)
    try:
        with holder.connect() as held:
            held.execute(sa.text("SELECT id FROM sites WHERE id = :id FOR UPDATE"), {"id": world.site_id})
            started = client.post(f"/api/imports/{item['id']}/run", headers=people.editor)
            assert started.status_code == 202
            with application.app_context():
                assert pg_waiting_on_a_lock(holder)  # the first batch waits for the site's row
                known = read_your_writes.position_of(world.editor_id)
            assert world.pair.caught_up()
            world.pair.replay_paused(True)
            held.rollback()
        with application.app_context():
            assert background.wait_idle(60)
            assert read_your_writes.position_of(world.editor_id) > known  # the batches' commits are theirs
        done = client.get(f"/api/imports/{item['id']}", headers=people.editor).get_json()
        assert done["status"] == "done" and done["counts"]["imported"] == 3, done
        before = replica.on_interactions()
        assert titles(client.get(FINDER, headers=people.editor)) == {"Before", "Imported 1", "Imported 2",
                                                                     "Imported 3"}
        assert replica.on_interactions() == before, "the importer's read went to a replica without their import"
        assert titles(client.get(FINDER + "&search=o", headers=people.viewer)) == {"Before"}  # others: the replica
        assert replica.on_interactions() > before
    finally:
        holder.dispose()
        with application.app_context():
            background.wait_idle(60)
            db.engine.dispose()
        replica.engine.dispose()


def pg_waiting_on_a_lock(engine: sa.Engine) -> bool:
    def waiting() -> bool:
        with engine.connect() as connection:
            return connection.execute(sa.text(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )).scalar_one() > 0
    return bool(bounded_until(waiting, attempts=200, pause=0.05))
