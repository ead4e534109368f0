"""The cached hot path: a cached Finder page needs no database and one cache round trip, and every
change of role, membership, activation or site name, and every sign-out, is seen by the very next
request."""
from __future__ import annotations

import orjson
import sqlalchemy as sa
from sqlalchemy import event

from ims.auth import principal, principal_cache, tokens
from ims.auth.models import User
from ims.cache import RedisCache
from ims.extensions import db
from ims.sites.models import Site, SiteMembership
from tests.builders import bearer, headers_for, interaction_body, make_interaction


class CountingCache:
    """The real cache, with a record of every call made to it."""

    def __init__(self, inner):
        self.inner, self.calls = inner, []

    def __getattr__(self, name):
        attribute = getattr(self.inner, name)
        if not callable(attribute):
            return attribute

        def counted(*args, **kwargs):
            self.calls.append(name)
            return attribute(*args, **kwargs)

        return counted


class DatabaseActivity:
    """Statements executed and connections checked out, on the app's engine."""

    def __init__(self, engine):
        self.engine, self.statements, self.checkouts = engine, [], 0

    def _statement(self, conn, cursor, statement, *args):
        self.statements.append(statement)

    def _checkout(self, *args):
        self.checkouts += 1

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._statement)
        event.listen(self.engine.pool, "checkout", self._checkout)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._statement)
        event.remove(self.engine.pool, "checkout", self._checkout)


def finder(client, headers, **params):
    return client.get("/api/interactions", query_string=params, headers=headers)


def test_cached_finder_page_costs_no_database_round_trip_and_one_cache_read(client, app, world):
    make_interaction(world.hq, world.editor, title="Hot row")
    headers = headers_for(world.editor, world.hq)
    assert finder(client, headers, search="hot").headers["X-Cache"] == "MISS"
    counting = CountingCache(app.extensions["ims_cache"])
    app.extensions["ims_cache"] = counting
    db.session.remove()
    with DatabaseActivity(db.engine) as activity:
        hit = finder(client, headers, search="hot")
    assert hit.status_code == 200 and hit.headers["X-Cache"] == "HIT"
    assert [i["title"] for i in hit.get_json()["items"]] == ["Hot row"]
    assert activity.statements == [] and activity.checkouts == 0
    assert counting.calls == ["get_many"]


def test_role_lowered_is_refused_on_the_next_write(client, world):
    headers = headers_for(world.editor, world.hq)
    assert client.post("/api/interactions", json=interaction_body(), headers=headers).status_code == 201
    membership = db.session.execute(sa.select(SiteMembership).filter_by(user_id=world.editor.id)).scalar_one()
    membership.role = "viewer"
    db.session.commit()
    assert client.post("/api/interactions", json=interaction_body(), headers=headers).status_code == 403


def test_role_raised_is_allowed_on_the_next_write(client, world):
    headers = headers_for(world.viewer, world.hq)
    assert client.post("/api/interactions", json=interaction_body(), headers=headers).status_code == 403
    db.session.execute(sa.update(SiteMembership).where(SiteMembership.user_id == world.viewer.id)
                       .values(role="editor"))
    db.session.commit()
    assert client.post("/api/interactions", json=interaction_body(), headers=headers).status_code == 201


def test_membership_removed_and_added_take_effect_at_once(client, world):
    headers = headers_for(world.admin, world.field)
    assert finder(client, headers).status_code == 200
    membership = db.session.execute(sa.select(SiteMembership).filter_by(user_id=world.admin.id,
                                                                        site_id=world.field.id)).scalar_one()
    db.session.delete(membership)
    db.session.commit()
    assert finder(client, headers).status_code == 403

    outsider = headers_for(world.outsider, world.hq)
    assert finder(client, outsider).status_code == 403
    db.session.add(SiteMembership(user_id=world.outsider.id, site_id=world.hq.id, role="viewer"))
    db.session.commit()
    assert finder(client, outsider).status_code == 200


def test_deactivation_ends_every_session_at_once(client, world):
    headers = headers_for(world.viewer, world.hq)
    assert client.get("/api/auth/me", headers=headers).status_code == 200
    world.viewer.is_active = False
    db.session.commit()
    assert client.get("/api/auth/me", headers=headers).status_code == 401
    assert finder(client, headers).status_code == 401


def test_bulk_deactivation_is_seen_too(client, world):
    headers = headers_for(world.editor, world.hq)
    assert finder(client, headers).status_code == 200
    db.session.execute(sa.update(User).where(User.username == "editor").values(is_active=False))
    db.session.commit()
    assert finder(client, headers).status_code == 401


def test_core_statement_on_the_memberships_table_is_seen_too(client, world):
    headers = headers_for(world.viewer, world.hq)
    assert finder(client, headers).status_code == 200
    memberships = SiteMembership.__table__
    db.session.execute(sa.delete(memberships).where(memberships.c.user_id == world.viewer.id))
    db.session.commit()
    assert finder(client, headers).status_code == 403


def test_site_rename_reaches_cached_principals(client, world):
    headers = headers_for(world.viewer)
    assert client.get("/api/sites", headers=headers).get_json()["items"][0]["name"] == "Headquarters"
    world.hq.name = "Head Office"
    db.session.commit()
    assert client.get("/api/sites", headers=headers).get_json()["items"][0]["name"] == "Head Office"


def test_a_finder_write_keeps_principals_cached(client, app, world):
    headers = headers_for(world.editor, world.hq)
    client.get("/api/auth/me", headers=headers)
    key = principal_cache.key_for_user(world.editor.id)
    before = app.extensions["ims_cache"].get(key)
    assert client.post("/api/interactions", json=interaction_body(), headers=headers).status_code == 201
    assert app.extensions["ims_cache"].get(key) == before is not None


def test_cached_principal_carries_every_user_column_with_its_type(client, app, world):
    db.session.execute(sa.update(User).where(User.id == world.editor.id).values(last_login_at=sa.func.now()))
    db.session.commit()
    headers = headers_for(world.editor, world.hq)
    client.get("/api/auth/me", headers=headers)  # caches the rows
    raw = app.extensions["ims_cache"].get(principal_cache.key_for_user(world.editor.id))
    rows = principal_cache.decode(raw, frozenset(orjson.loads(raw)[0]))
    columns = {c.name for c in User.__table__.c} - {"password_hash"}
    assert columns <= rows[0].keys()
    assert rows[0]["last_login_at"] == db.session.get(User, world.editor.id).last_login_at
    assert "password_hash" not in rows[0]


def test_rows_cached_by_a_release_with_other_user_columns_are_read_afresh(client, app, world):
    headers = headers_for(world.editor, world.hq)
    client.get("/api/auth/me", headers=headers)
    key = principal_cache.key_for_user(world.editor.id)
    cache = app.extensions["ims_cache"]
    older = [{k: v for k, v in row.items() if k != "display_name"} for row in orjson.loads(cache.get(key))]
    cache.set(key, orjson.dumps(older), 300)
    assert client.get("/api/auth/me", headers=headers).get_json()["display_name"] == "Editor"
    assert "display_name" in orjson.loads(cache.get(key))[0]


def test_a_change_during_a_redis_outage_is_published_when_redis_is_back(client, app, world):
    healthy = app.extensions["ims_cache"]
    headers = headers_for(world.editor, world.hq)
    assert finder(client, headers).status_code == 200  # principal cached
    app.extensions["ims_cache"] = RedisCache("redis://127.0.0.1:1/0", "dead:")  # nothing listens on port 1
    world.editor.is_active = False
    db.session.commit()
    app.extensions["ims_cache"] = healthy  # back, still holding the active principal
    assert finder(client, headers).status_code == 401


def test_a_read_that_raced_a_change_does_not_cache_the_old_rows(app, world):
    cache = app.extensions["ims_cache"]
    key = principal_cache.key_for_user(world.editor.id)
    seen = cache.get(key)
    old_rows = [dict(r) for r in db.session.execute(sa.select(User.id, User.is_active)
                                                     .where(User.id == world.editor.id)).mappings()]
    world.editor.is_active = False
    db.session.commit()  # tombstones the key
    principal_cache.store(cache, key, seen, old_rows)
    assert principal_cache.is_tombstone(cache.get(key))


def test_unrelated_site_update_does_not_drop_principals(client, app, world):
    headers = headers_for(world.editor, world.hq)
    client.get("/api/auth/me", headers=headers)
    key = principal_cache.key_for_user(world.editor.id)
    db.session.execute(sa.update(Site).where(Site.id == world.hq.id).values(data_version=Site.data_version + 1))
    db.session.commit()
    assert principal_cache.decode(app.extensions["ims_cache"].get(key), principal._ROW_COLUMNS) is not None


def test_a_signed_out_token_is_refused_from_the_cached_principal_alone(client, app, world):
    token, _ = tokens.issue_local_token(world.editor.id)
    headers, other = bearer(token, world.hq), headers_for(world.editor, world.hq)
    assert finder(client, headers).status_code == 200
    assert client.post("/api/auth/logout", headers=headers).status_code == 204
    assert finder(client, other).status_code == 200  # the principal cached afresh, with the sign-out
    counting = CountingCache(app.extensions["ims_cache"])
    app.extensions["ims_cache"] = counting
    db.session.remove()
    with DatabaseActivity(db.engine) as activity:
        refused = finder(client, headers)
    assert refused.status_code == 401 and "signed out" in refused.get_json()["error"]["message"]
    assert activity.statements == [] and counting.calls == ["get_many"]


def test_a_sign_out_during_a_redis_outage_succeeds_and_holds_when_redis_is_back(client, app, world):
    healthy = app.extensions["ims_cache"]
    headers = headers_for(world.editor, world.hq)
    assert finder(client, headers).status_code == 200  # principal cached
    app.extensions["ims_cache"] = RedisCache("redis://127.0.0.1:1/0", "dead:")  # nothing listens on port 1
    assert client.post("/api/auth/logout", headers=headers).status_code == 204
    assert finder(client, headers).status_code == 401  # read from the database
    app.extensions["ims_cache"] = healthy  # back, still holding the principal cached before
    assert finder(client, headers).status_code == 401
    assert finder(client, headers_for(world.editor, world.hq)).status_code == 200
