"""The Finder cache: hits, per-site isolation, invalidation on every write, Redis outages."""
import logging

from ims.cache import RedisCache
from tests.builders import headers_for, interaction_body, make_interaction


def get(client, user, site, **params):
    return client.get("/api/interactions", query_string=params, headers=headers_for(user, site))


def test_second_identical_query_is_a_hit_with_the_same_body(client, world):
    make_interaction(world.hq, world.editor, title="Cached row")
    first = get(client, world.editor, world.hq, search="cached")
    second = get(client, world.editor, world.hq, search="cached")
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("MISS", "HIT")
    assert first.get_json() == second.get_json()


def test_normalised_query_shares_the_entry(client, world):
    make_interaction(world.hq, world.editor, title="Cached row")
    get(client, world.editor, world.hq, search="Cached  Row", type=["Visit", "Call"])
    again = get(client, world.editor, world.hq, search="cached row", type=["Call", "Visit"])
    assert again.headers["X-Cache"] == "HIT"


def test_an_exact_filter_shares_the_entry_across_case_and_accents_only(client, world):
    make_interaction(world.hq, world.editor, title="Cached row", lead="Ána López")
    assert get(client, world.editor, world.hq, lead_is="Ána López").headers["X-Cache"] == "MISS"
    again = get(client, world.editor, world.hq, lead_is="ANA LOPEZ")
    assert again.headers["X-Cache"] == "HIT" and again.get_json()["total"] == 1
    for other in ({"lead_is": "ana lopez jr"}, {"lead": "ana lopez"}, {"location_is": "ana lopez"}):
        assert get(client, world.editor, world.hq, **other).headers["X-Cache"] == "MISS", other


def test_no_cache_header_bypasses_the_read(client, world):
    get(client, world.editor, world.hq)
    response = client.get("/api/interactions", headers={**headers_for(world.editor, world.hq),
                                                         "Cache-Control": "no-cache"})
    assert response.headers["X-Cache"] == "MISS"


def test_same_query_in_two_sites_never_shares_an_entry(client, world):
    make_interaction(world.hq, world.admin, title="HQ only")
    make_interaction(world.field, world.admin, title="Field only")
    hq = get(client, world.admin, world.hq)
    field = get(client, world.admin, world.field)
    assert field.headers["X-Cache"] == "MISS"
    assert [i["title"] for i in hq.get_json()["items"]] == ["HQ only"]
    assert [i["title"] for i in field.get_json()["items"]] == ["Field only"]
    assert [i["title"] for i in get(client, world.admin, world.field).get_json()["items"]] == ["Field only"]


def test_create_update_delete_each_make_cached_pages_stale(client, world):
    headers = headers_for(world.editor, world.hq)
    assert get(client, world.editor, world.hq).get_json()["total"] == 0
    created = client.post("/api/interactions", json=interaction_body(title="New one"), headers=headers).get_json()
    after_create = get(client, world.editor, world.hq)
    assert after_create.headers["X-Cache"] == "MISS" and after_create.get_json()["total"] == 1
    assert get(client, world.editor, world.hq).headers["X-Cache"] == "HIT"

    client.put(f"/api/interactions/{created['id']}", json=interaction_body(title="Renamed", version=1), headers=headers)
    after_update = get(client, world.editor, world.hq)
    assert after_update.headers["X-Cache"] == "MISS"
    assert after_update.get_json()["items"][0]["title"] == "Renamed"

    client.delete(f"/api/interactions/{created['id']}", headers=headers)
    after_delete = get(client, world.editor, world.hq)
    assert after_delete.headers["X-Cache"] == "MISS" and after_delete.get_json()["total"] == 0


def test_a_write_in_one_site_keeps_the_other_sites_cache(client, world):
    get(client, world.admin, world.field)
    client.post("/api/interactions", json=interaction_body(), headers=headers_for(world.editor, world.hq))
    assert get(client, world.admin, world.field).headers["X-Cache"] == "HIT"


def test_redis_down_answers_from_the_database_and_logs_a_warning(client, app, world, caplog):
    make_interaction(world.hq, world.editor, title="Still here")
    app.extensions["ims_cache"] = RedisCache("redis://127.0.0.1:1/0", "dead:")  # nothing listens on port 1
    headers = headers_for(world.editor, world.hq)
    with caplog.at_level(logging.WARNING, logger="ims.cache"):
        responses = [client.get("/api/interactions", headers=headers) for _ in range(3)]
        created = client.post("/api/interactions", json=interaction_body(title="Written during outage"),
                              headers=headers)
        after = client.get("/api/interactions", headers=headers)
    assert all(r.status_code == 200 and r.headers["X-Cache"] == "MISS" for r in responses)
    assert responses[0].get_json()["items"][0]["title"] == "Still here"
    assert created.status_code == 201
    assert {i["title"] for i in after.get_json()["items"]} == {"Still here", "Written during outage"}
    assert any("redis unavailable" in r.getMessage() for r in caplog.records)


def test_write_during_outage_is_not_hidden_by_pages_cached_before_it(client, app, world):
    """Invalidation lives in the database (sites.data_version), so it survives a Redis outage; and while
    the change is still owed to Redis (ims/cache_sync.py) reads bypass the cache."""
    healthy = app.extensions["ims_cache"]
    headers = headers_for(world.editor, world.hq)
    assert client.get("/api/interactions", headers=headers).get_json()["total"] == 0  # cached: empty
    assert client.get("/api/interactions", headers=headers).headers["X-Cache"] == "HIT"
    app.extensions["ims_cache"] = RedisCache("redis://127.0.0.1:1/0", "dead:")
    assert client.post("/api/interactions", json=interaction_body(), headers=headers).status_code == 201
    app.extensions["ims_cache"] = healthy  # Redis is back, still holding the old page
    response = client.get("/api/interactions", headers=headers)
    assert response.headers["X-Cache"] == "MISS" and response.get_json()["total"] == 1


def test_a_hit_sends_the_stored_compressed_bytes_as_they_are(app, client, world):
    """A page is compressed once, when computed: a hit to a client that accepts gzip is the cached entry
    byte for byte, and a client that does not gets the same JSON uncompressed."""
    import gzip

    from ims.interactions import finder_cache

    make_interaction(world.hq, world.editor, title="Stored compressed")
    headers = {**headers_for(world.editor, world.hq), "Accept-Encoding": "gzip, deflate, br"}
    miss = client.get("/api/interactions", query_string={"search": "stored"}, headers=headers)
    hit = client.get("/api/interactions", query_string={"search": "stored"}, headers=headers)
    assert (miss.headers["X-Cache"], hit.headers["X-Cache"]) == ("MISS", "HIT")
    with app.test_request_context("/api/interactions", query_string={"search": "stored"}):
        entry = app.extensions["ims_cache"].get(finder_cache.key_for(world.hq.id))
    for response in (miss, hit):
        assert response.headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response.headers["Vary"]
        assert response.get_data() == entry.partition(b"\n")[2]
    plain = client.get("/api/interactions", query_string={"search": "stored"}, headers=headers_for(world.editor, world.hq))
    assert plain.headers["X-Cache"] == "HIT" and "Content-Encoding" not in plain.headers
    assert plain.get_data() == gzip.decompress(hit.get_data())
    assert [item["title"] for item in plain.get_json()["items"]] == ["Stored compressed"]
    refused = client.get("/api/interactions", query_string={"search": "stored"},
                         headers={**headers_for(world.editor, world.hq), "Accept-Encoding": "gzip;q=0, br"})
    assert "Content-Encoding" not in refused.headers or refused.headers["Content-Encoding"] == "br"
    assert refused.headers["X-Cache"] == "HIT"
