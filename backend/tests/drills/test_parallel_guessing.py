"""Password guessing the way an attacker does it: every guess sent at once, over real sockets, against a
real server on PostgreSQL, with Argon2 slow enough that the guesses overlap. Five failures must lock
however many arrive together, and a right guess among them must not reset what the others counted."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.builders import PASSWORD, make_user
from tests.servers import ServedApp

GUESSES = 24


def burst(url: str, username: str, passwords: list[str]) -> list[int]:
    """Every password in its own connection, released together by a barrier; the statuses in order."""
    barrier = threading.Barrier(len(passwords))

    def attempt(password: str) -> int:
        with requests.Session() as session:
            barrier.wait(timeout=30)
            return session.post(f"{url}/api/auth/login", json={"username": username, "password": password},
                                timeout=60).status_code

    with ThreadPoolExecutor(len(passwords)) as pool:
        return list(pool.map(attempt, passwords))


@pytest.mark.parametrize("username", ["victim", "no-such-user"])
def test_two_dozen_simultaneous_guesses_lock_after_five(app, world, slow_hashing, username, figures):
    make_user("victim", {world.hq: "viewer"})
    guesses = [f"wrong-guess-{n:02d}" for n in range(GUESSES - 1)] + [PASSWORD]
    with ServedApp(app) as server:
        statuses = burst(server.url, username, guesses)
        evaluated = [s for s in statuses if s in (200, 401)]
        # The attempts beyond the budget are refused without their password being checked.
        assert len(evaluated) <= 5, statuses
        assert set(statuses) <= {200, 401, 423}, statuses
        assert statuses.count(423) >= GUESSES - 5
        # The lock holds afterwards, for the right password too: no in-flight success undid the count.
        after = requests.post(f"{server.url}/api/auth/login", json={"username": username, "password": PASSWORD},
                              timeout=60)
        assert after.status_code == 423, after.text
        assert 0 < int(after.headers["Retry-After"]) <= 900
    figures.update(simultaneous_guesses=GUESSES, passwords_checked=len(evaluated),
                   refused_423=statuses.count(423), right_password_after=after.status_code)


def test_a_right_guess_among_the_burst_does_not_reset_the_count(app, world, slow_hashing, figures):
    """11 wrong and 1 right, together: the wrong ones must still lock the account."""
    make_user("victim", {world.hq: "viewer"})
    guesses = [f"wrong-guess-{n:02d}" for n in range(11)] + [PASSWORD]
    with ServedApp(app) as server:
        statuses = burst(server.url, "victim", guesses)
        after = requests.post(f"{server.url}/api/auth/login", json={"username": "victim", "password": PASSWORD},
                              timeout=60)
    assert statuses.count(401) + statuses.count(200) <= 5, statuses
    assert after.status_code == 423, (statuses, after.text)
    figures.update(guesses=len(guesses), statuses={str(s): statuses.count(s) for s in set(statuses)})
