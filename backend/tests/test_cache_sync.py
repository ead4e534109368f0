"""Changes owed to the cache while Redis is unreachable: one per site or user, replayed before
the cache is trusted again, and never a stale page in between."""
from ims.cache import RedisCache
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
