"""Changes owed to the cache while Redis is unreachable: one per site or user, replayed before
the cache is trusted again (and in the background, for the other processes), and never a stale
page in between."""
from ims.auth import principal_cache
from ims.cache import RedisCache
from ims.extensions import db
from tests.builders import headers_for, interaction_body
from tests.servers import bounded_until

DEAD = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def test_an_outage_owes_one_publication_per_site_however_many_writes(client, app, world):
    healthy = app.extensions["ims_cache"]
    headers = headers_for(world.editor, world.hq)
    assert client.get("/api/interactions", headers=headers).status_code == 200
    app.extensions["ims_cache"] = RedisCache(DEAD, "dead:")
    for n in range(5):
        assert client.post("/api/interactions", json=interaction_body(title=f"during {n}"),
                           headers=headers).status_code == 201
    pending = app.extensions["ims_cache_pending"]
    assert len(pending._items) == 1
    app.extensions["ims_cache"] = healthy
    assert client.get("/api/interactions", headers=headers).get_json()["total"] == 5

    def replayed():  # readers retry once a second
        return client.get("/api/interactions", headers=headers).status_code == 200 and not pending

    assert bounded_until(replayed, attempts=40), "the owed publication was not replayed"
    assert client.get("/api/interactions", headers=headers).headers["X-Cache"] == "HIT"


def test_what_is_owed_is_replayed_in_the_background_without_a_request(client, app, world):
    healthy = app.extensions["ims_cache"]
    assert client.get("/api/auth/me", headers=headers_for(world.editor)).status_code == 200
    key = principal_cache.key_for_user(world.editor.id)
    assert healthy.get(key) and not principal_cache.is_tombstone(healthy.get(key))  # cached
    app.extensions["ims_cache"] = RedisCache(DEAD, "dead:")
    world.editor.is_active = False
    db.session.commit()
    pending = app.extensions["ims_cache_pending"]
    assert pending
    app.extensions["ims_cache"] = healthy  # back; nothing reads the cache from now on
    assert bounded_until(lambda: not pending, attempts=40), "the owed tombstone waited for a request"
    assert principal_cache.is_tombstone(healthy.get(key))
