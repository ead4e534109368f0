"""20 clients save the same interaction at once with the version they read, over real sockets:
one wins per version, the rest get 409, and the stored record is exactly one submitted body."""
from __future__ import annotations

import threading

import requests

from tests.builders import headers_for, make_interaction
from tests.servers import ServedApp

CLIENTS = 20
ROUNDS = 3
ZONES = ("Europe/Berlin", "Asia/Tokyo", "America/Chicago", "UTC")
TYPES = ("Meeting", "Call", "Visit", "Training")


def body_of(round_no: int, n: int) -> dict:
    """Every field differs between clients, so any mix of two submissions would show."""
    return {
        "title": f"Round {round_no} client {n}", "type": TYPES[n % 4], "lead": f"Lead {n}",
        "start_datetime": f"2026-04-{n + 1:02d}T08:00:00Z", "end_datetime": f"2026-04-{n + 1:02d}T09:{n:02d}:00Z",
        "timezone": ZONES[n % 4], "location": f"Room {n}", "description": f"Description {round_no}/{n}",
        "notes": f"Notes {round_no}/{n} " + "x" * n,
    }


def test_one_save_wins_per_version_and_nothing_is_mixed(app, world, figures):
    item = make_interaction(world.hq, world.editor).id
    headers = headers_for(world.editor, world.hq)
    statuses = []
    with ServedApp(app) as served:
        url = f"{served.url}/api/interactions/{item}"
        for round_no in range(ROUNDS):
            version = requests.get(url, headers=headers, timeout=10).json()["version"]
            barrier = threading.Barrier(CLIENTS, timeout=30)
            results: list[tuple[int, int]] = []

            def save(n: int):
                barrier.wait()
                response = requests.put(url, json={**body_of(round_no, n), "version": version}, headers=headers,
                                        timeout=30)
                results.append((n, response.status_code))

            threads = [threading.Thread(target=save, args=(n,)) for n in range(CLIENTS)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
            winners = [n for n, status in results if status == 200]
            assert len(results) == CLIENTS and len(winners) == 1, results
            assert sorted(status for _, status in results) == [200] + [409] * (CLIENTS - 1)
            stored = requests.get(url, headers=headers, timeout=10).json()
            submitted = body_of(round_no, winners[0])
            assert {k: stored[k] for k in submitted} == submitted
            assert stored["version"] == version + 1
            statuses += [status for _, status in results]
    figures.update(clients=CLIENTS, rounds=ROUNDS, saves=len(statuses), won=statuses.count(200),
                   conflicts_409=statuses.count(409), mixed_records=0)
