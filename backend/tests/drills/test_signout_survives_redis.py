"""A sign-out that Redis forgets: tokens ended by a sign-out, "sign out everywhere", a password reset
and a deactivation, replayed while the cache is stopped, after FLUSHALL, after a restart, and after a
member filled it to its maxmemory with Finder pages until it evicted keys; and a sign-out made while
Redis is down, replayed once Redis is back with the principal it cached before, to the API process
that made it and to another. Each must stay refused (401): the endings are kept in PostgreSQL, and
Redis only caches them.

The API is served over a socket against its own redis-server (24 MB, allkeys-lru, as a full cache
node evicts), stopped, flushed and restarted here; PostgreSQL is the test database.
"""
from __future__ import annotations

import secrets
import time

import pytest
import redis
import requests

from ims import create_app
from ims.auth import principal_cache
from tests.builders import API_KEY, PASSWORD, make_interaction, make_user, mailed_reset_token
from tests.conftest import settings_for
from tests.local_http import LocalServer
from tests.servers import ServedApp, ThrowawayRedis, _running, bounded_until

SMALL_CACHE = ("--maxmemory", "24mb", "--maxmemory-policy", "allkeys-lru")
ENDINGS = ("sign-out", "sign-out everywhere", "password reset", "deactivation")
MAX_PAGES = 400  # ~0.5 MB each as stored: far more than 24 MB, so a cache that never evicts fails the drill
WORDS = " ".join(f"w{n}" for n in range(1000))[:5000]  # every row matches `search=w<n>`: full pages


class Stack:
    """The API on a socket with its own Redis, a SendGrid stand-in, and the people of `world`."""

    def __init__(self, database_url: str, cache: ThrowawayRedis, mail: LocalServer, world):
        self.redis, self.mail, self.world = cache, mail, world
        self.app = create_app(settings_for(database_url, REDIS_URL=cache.url, RATELIMIT_STORAGE_URI=cache.url,
                                           SENDGRID_API_KEY=API_KEY, SENDGRID_API_HOST=mail.url))
        self.url = ""

    def call(self, method: str, path: str, token: str, **kwargs) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}", "X-Site-ID": str(self.world.hq.id)}
        return requests.request(method, self.url + path, headers=headers, timeout=10, **kwargs)

    def sign_in(self, username: str, password: str = PASSWORD) -> str:
        answer = requests.post(self.url + "/api/auth/login", json={"username": username, "password": password},
                               timeout=10)
        assert answer.status_code == 200, answer.text
        return answer.json()["access_token"]

    def finder(self, token: str, **params) -> int:
        return self.call("GET", "/api/interactions", token, params=params).status_code

    def principal_cached(self, user_id: int) -> bytes | None:
        key = self.app.config["REDIS_KEY_PREFIX"] + principal_cache.key_for_user(user_id)
        return redis.Redis(port=self.redis.port).get(key)

    def end(self, ending: str, user, token: str) -> None:
        """End `token`'s session the way `ending` does, through the API."""
        if ending == "sign-out":
            answer = self.call("POST", "/api/auth/logout", token)
        elif ending == "sign-out everywhere":
            answer = self.call("POST", "/api/auth/logout-all", self.sign_in(user.username))
        elif ending == "password reset":
            assert requests.post(self.url + "/api/auth/password-reset", json={"email": user.email},
                                 timeout=10).status_code == 202
            answer = requests.post(self.url + "/api/auth/password-reset/confirm", timeout=10, json={
                "token": mailed_reset_token(self.mail), "password": "a-brand-new-password-42"})
        else:
            answer = self.call("POST", f"/api/site/members/{user.id}/deactivate", self.sign_in("admin"))
        assert answer.status_code in (200, 204), (ending, answer.status_code, answer.text[:200])


def served_stack(database_url, world, cache: ThrowawayRedis):
    with LocalServer() as mail:
        mail.answer = lambda request: (202, {})
        stack = Stack(database_url, cache, mail, world)
        with ServedApp(stack.app) as served:
            stack.url = served.url
            yield stack


@pytest.fixture
def small_cache():
    yield from _running(ThrowawayRedis(*SMALL_CACHE))


@pytest.fixture
def stack(database_url, world, small_cache):
    yield from served_stack(database_url, world, small_cache)


def victims(stack) -> dict[str, tuple]:
    """One person per ending, signed in, their principal and a Finder page cached by a first request."""
    people = {}
    for n, ending in enumerate(ENDINGS):
        user = make_user(f"victim{n}", {stack.world.hq: "editor"})
        token = stack.sign_in(user.username)
        assert stack.finder(token) == 200
        people[ending] = (user, token)
    return people


def evicted_keys(stack) -> int:
    return int(redis.Redis(port=stack.redis.port).info("stats")["evicted_keys"])


def fill_until_evicting(stack, figures) -> None:
    """A member asks for distinct full Finder pages (~0.5 MB each as stored) until Redis has evicted keys,
    then as many again: the cache is then full of the member's pages, its oldest entries gone."""
    for _ in range(100):  # pages are cached gzipped: random notes keep a page of 100 rows near 0.5 MB
        make_interaction(stack.world.hq, title="Filler", description=WORDS, notes=secrets.token_urlsafe(3750))
    member = stack.sign_in("viewer")
    pages = 0
    while pages < MAX_PAGES and evicted_keys(stack) == 0:
        assert stack.finder(member, search=f"w{pages}", page_size=100) == 200
        pages += 1
    for extra in range(pages):
        assert stack.finder(member, search=f"w{pages + extra}", page_size=100) == 200
    memory = redis.Redis(port=stack.redis.port).info("memory")
    figures.update(pages_until_eviction=pages, pages=2 * pages, evicted_keys=evicted_keys(stack),
                   used_memory_mb=round(memory["used_memory"] / 2**20, 1))
    assert evicted_keys(stack) > 0, f"no eviction after {pages} pages"


def stop(stack, figures) -> None:
    stack.redis.stop()


def flush(stack, figures) -> None:
    redis.Redis(port=stack.redis.port).flushall()


def restart(stack, figures) -> None:
    stack.redis.stop()
    stack.redis.start()


FAULTS = {"stopped": stop, "flushed": flush, "restarted": restart, "evicted": fill_until_evicting}


@pytest.mark.parametrize("fault", FAULTS)
def test_ended_sessions_stay_refused_whatever_redis_forgets(stack, fault, figures):
    people = victims(stack)
    bystander = stack.sign_in("editor")
    for ending, (user, token) in people.items():
        stack.end(ending, user, token)
    assert {ending: stack.finder(token) for ending, (_, token) in people.items()} == dict.fromkeys(ENDINGS, 401)

    FAULTS[fault](stack, figures)

    replayed = {ending: stack.finder(token) for ending, (_, token) in people.items()}
    assert replayed == dict.fromkeys(ENDINGS, 401), replayed
    assert stack.finder(bystander) == 200  # the check refuses the ended sessions only
    figures.update(fault=fault, endings=len(ENDINGS), refused=list(replayed.values()).count(401), bystander=200)


@pytest.fixture
def persistent_cache():
    """A Redis that keeps its data through a restart, as a promoted replica or a partition does."""
    yield from _running(ThrowawayRedis("--appendonly", "yes"))


@pytest.fixture
def persistent_stack(database_url, world, persistent_cache):
    yield from served_stack(database_url, world, persistent_cache)


@pytest.mark.parametrize("ending", ["sign-out", "sign-out everywhere"])
def test_an_ending_during_a_redis_outage_holds_when_redis_returns_with_its_old_data(persistent_stack, ending,
                                                                                     figures):
    stack = persistent_stack
    user, token = victims(stack)[ending]
    bystander = stack.sign_in("editor")
    assert stack.finder(bystander) == 200
    cached_before = stack.principal_cached(user.id)
    assert cached_before and not principal_cache.is_tombstone(cached_before)

    stack.redis.stop()
    stack.end(ending, user, token)  # the database holds the truth: no Redis needed to sign out
    assert stack.finder(token) == 401
    assert stack.finder(bystander) == 200

    stack.redis.start()
    assert stack.principal_cached(user.id) == cached_before  # the principal cached before, back with Redis
    assert stack.finder(token) == 401
    assert stack.finder(bystander) == 200
    figures.update(ending=ending, during_outage=401, after_restart_with_old_data=401, bystander=200)


@pytest.mark.parametrize("ending", ["sign-out", "sign-out everywhere"])
def test_another_process_refuses_the_ended_token_once_redis_is_back_with_its_old_data(database_url, persistent_stack,
                                                                                    ending, figures):
    """Two API processes: the one that ended the session during the outage owes Redis the tombstone
    and replays it by itself once Redis is back, though it serves no request; the other refuses."""
    stack = persistent_stack
    other = Stack(database_url, stack.redis, stack.mail, stack.world)
    with ServedApp(other.app) as served:
        other.url = served.url
        user, token = victims(other)[ending]
        cached_before = stack.principal_cached(user.id)
        assert cached_before and not principal_cache.is_tombstone(cached_before)

        stack.redis.stop()
        stack.end(ending, user, token)
        assert other.finder(token) == 401  # Redis down: read from the database

        stack.redis.start()
        restarted = time.monotonic()
        assert stack.principal_cached(user.id) == cached_before  # back with its old data
        at_once = other.finder(token)  # until the tombstone lands (a moment) the old principal answers
        replayed = bounded_until(lambda: stack.principal_cached(user.id) != cached_before, attempts=50)
        assert replayed, "the process that ended the session never told Redis"
        replayed_after = time.monotonic() - restarted
        assert principal_cache.is_tombstone(stack.principal_cached(user.id))
        assert other.finder(token) == 401
    figures.update(ending=ending, processes=2, other_process_at_restart=at_once,
                   tombstone_replayed_after_s=round(replayed_after, 2), other_process_after_replay=401)
