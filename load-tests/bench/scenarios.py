"""The benchmark scenarios of issue 7, each returning {name: summary} with requests, errors and percentiles."""
from __future__ import annotations

import asyncio
import json
import random
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import psycopg

from . import sqlbase
from .dataset import SITES, TYPES, Vocabulary
from .loadgen import Recorder, call, closed_loop, session, timed

TWO_FIELD_SORTS = ("type,-start_datetime", "-start_datetime,title", "lead,-start_datetime", "title,start_datetime")


@dataclass
class Context:
    base_url: str
    token: str                  # bench-admin: admin in every site
    mixed_users: list[str]
    password: str
    duration_s: float
    dsn: str
    rows: int
    server: object
    seed: int = 5
    k6_vus: tuple = (50, 100)
    k6_duration: str = "60s"
    k6_ramp: str = "15s"
    k6_username: str = "bench-editor-01"
    cluster: object = None      # the private production-like cluster, when the bench runs on one
    # the crowd (bench/crowd.py): mixed_users' length and first phase, a restart before it, capacity steps
    mixed_duration_s: float = 180.0
    mixed_first_s: float = 60.0
    mixed_restart: bool = True
    capacity_rates: tuple = (25, 50, 75, 100, 150)
    capacity_step_s: float = 15.0
    out_dir: str = ""
    profile: bool = True

    def headers(self, site: int, **extra) -> dict:
        return {"Authorization": f"Bearer {self.token}", "X-Site-ID": str(site), **extra}

    def url(self, path: str, params: dict | list | None = None) -> str:
        return self.base_url + path + ("?" + urlencode(params, doseq=True) if params else "")


def search_terms(rng: random.Random, count: int = 400) -> list[tuple[str, str]]:
    """(class, search) pairs: one and two words, common, medium and rare, in fixed proportions."""
    vocab = Vocabulary()
    common, medium, rare = vocab.common_words(), vocab.medium_words(), vocab.rare_words()
    shapes = (("common", lambda: rng.choice(common)), ("medium", lambda: rng.choice(medium)),
              ("rare", lambda: rng.choice(rare)),
              ("common+common", lambda: f"{rng.choice(common)} {rng.choice(common)}"),
              ("common+rare", lambda: f"{rng.choice(common)} {rng.choice(rare)}"),
              ("medium+common", lambda: f"{rng.choice(medium)} {rng.choice(common)}"))
    terms = []
    for i in range(count):
        kind, make = shapes[i % len(shapes)]
        terms.append((kind, make()))
    return terms


def filter_params(rng: random.Random, page: int) -> dict:
    year = rng.randint(2021, 2024)
    return {"type": rng.sample(TYPES, 2), "start_from": f"{year}-{rng.randint(1, 12):02d}-01",
            "start_to": f"{year + 1}-{rng.randint(1, 12):02d}-28", "sort": rng.choice(TWO_FIELD_SORTS),
            "page": page, "page_size": 25}


async def finder_cached(ctx: Context) -> dict:
    async with session(16) as http:
        for site in range(1, SITES + 1):  # warm: one MISS per site
            await call(http, "GET", ctx.url("/api/interactions"), headers=ctx.headers(site))
        misses = 0

        def action(index):
            async def go():
                nonlocal misses
                site = index % SITES + 1
                _, _, headers = await call(http, "GET", ctx.url("/api/interactions"), headers=ctx.headers(site))
                misses += headers.get("X-Cache") != "HIT"
            return go

        summary = (await closed_loop(action, 16, ctx.duration_s)).summary()
    return {"finder_cached": {**summary, "connections": 16, "cache_misses": misses}}


async def search_uncached(ctx: Context, connections: int = 2) -> dict:
    rng = random.Random(ctx.seed)
    terms = search_terms(rng)
    by_class: dict[str, Recorder] = {}
    async with session(connections) as http:
        counter = iter(range(10**9))

        def action(index):
            kind, term = terms[next(counter) % len(terms)]
            site = rng.randint(1, SITES)
            url = ctx.url("/api/interactions", {"search": term, "sort": "-start_datetime", "page": 1})
            headers = ctx.headers(site, **{"Cache-Control": "no-cache"})
            return timed_by_class(by_class, kind, lambda: call(http, "GET", url, headers=headers))

        summary = (await closed_loop(action, connections, ctx.duration_s)).summary()
    return {"search_uncached": {**summary, "connections": connections, "by_class": class_summaries(by_class)}}


def timed_by_class(by_class: dict[str, Recorder], kind: str, send):
    """The request `send()` as a loop's action, its latency also recorded under its class."""
    async def go():
        begin = time.perf_counter()
        try:
            await send()
        finally:
            by_class.setdefault(kind, Recorder()).ok((time.perf_counter() - begin) * 1000)
    return go


def class_summaries(by_class: dict[str, Recorder]) -> dict:
    return {k: {"requests": len(r.latencies_ms), **{p: r.summary()[p] for p in ("p50_ms", "p95_ms")}}
            for k, r in sorted(by_class.items())}


async def filter_sort_deep(ctx: Context, connections: int = 2) -> dict:
    results = {}
    async with session(connections) as http:
        for page in (1, 10, 40):
            rng = random.Random(ctx.seed + page)

            def action(index):
                site = rng.randint(1, SITES)
                url = ctx.url("/api/interactions", filter_params(rng, page))
                return lambda: call(http, "GET", url, headers=ctx.headers(site, **{"Cache-Control": "no-cache"}))

            summary = (await closed_loop(action, connections, ctx.duration_s)).summary()
            results[f"filter_sort_deep_p{page}"] = {**summary, "connections": connections}
    return results


def interaction_body(rng: random.Random, **extra) -> dict:
    day = rng.randint(1, 28)
    return {"title": f"Benchmark follow-up {rng.randint(1, 10**6)}", "type": rng.choice(TYPES),
            "lead": "Bench Writer", "start_datetime": f"2026-03-{day:02d}T09:00:00+01:00",
            "end_datetime": f"2026-03-{day:02d}T10:30:00+01:00", "timezone": "Europe/Berlin",
            "location": "Berlin head office", "description": "Created by the benchmark's write scenario.",
            "notes": "Deleted again a moment later.", **extra}


async def writes(ctx: Context, connections: int = 4) -> dict:
    """Each loop: create, update with the right version, delete; every request timed on its own."""
    recorder = Recorder()
    rng = random.Random(ctx.seed)
    deadline = time.perf_counter() + ctx.duration_s
    async with session(connections) as http:
        async def worker(index):
            for _ in range(100_000):
                if time.perf_counter() >= deadline:
                    return
                site = rng.randint(1, SITES)
                headers = ctx.headers(site)
                created = {}

                async def create():
                    _, body, _ = await call(http, "POST", ctx.url("/api/interactions"), headers=headers,
                                            json=interaction_body(rng), expect=(201,))
                    created.update(json.loads(body))

                async def update():
                    await call(http, "PUT", ctx.url(f"/api/interactions/{created['id']}"), headers=headers,
                               json=interaction_body(rng, version=created["version"]))

                async def delete():
                    await call(http, "DELETE", ctx.url(f"/api/interactions/{created['id']}"), headers=headers,
                               expect=(204,))

                for step in (create, update, delete):
                    await timed(recorder, step)
                    if recorder.errors and not created:
                        break

        recorder.started = time.perf_counter()
        await asyncio.wait_for(asyncio.gather(*(worker(i) for i in range(connections))), ctx.duration_s + 60)
        recorder.finished = time.perf_counter()
    return {"writes": {**recorder.summary(), "connections": connections}}


def export_100k(ctx: Context, runs: int = 3) -> dict:
    """CSV export of one whole site (N/10 rows): rows/s, and the server's RSS growth while streaming."""
    import urllib.request

    recorder, rates, growth = Recorder(), [], []
    recorder.started = time.perf_counter()
    for _ in range(runs):
        baseline = ctx.server.rss_bytes()
        peak, stop = [baseline], threading.Event()

        def sample():
            while not stop.wait(0.02):
                peak[0] = max(peak[0], ctx.server.rss_bytes())

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        begin = time.perf_counter()
        lines = 0
        try:
            request = urllib.request.Request(ctx.url("/api/interactions/export", {"sort": "-start_datetime"}),
                                             headers=ctx.headers(1))
            with urllib.request.urlopen(request, timeout=300) as response:
                while chunk := response.read(1 << 20):
                    lines += chunk.count(b"\r\n")
        except OSError as exc:
            recorder.fail((time.perf_counter() - begin) * 1000, str(exc))
        else:
            elapsed = time.perf_counter() - begin
            recorder.ok(elapsed * 1000)
            rates.append((lines - 1) / elapsed)
        finally:
            stop.set()
            sampler.join(timeout=5)
        growth.append((peak[0] - baseline) / 2**20)
    recorder.finished = time.perf_counter()
    return {"export_100k": {**recorder.summary(), "rows": ctx.rows // SITES,
                            "rows_per_s": round(sorted(rates)[len(rates) // 2]) if rates else None,
                            "rss_growth_mb": round(max(growth), 1) if growth else None}}


async def sql_baseline(ctx: Context, connections: int = 2) -> dict:
    """The search_uncached and filter_sort_deep queries straight through psycopg: count + page."""
    results = {}
    # prepare_threshold=None: plan each query with its values, as the API's driver (psycopg2) does
    conns = [await psycopg.AsyncConnection.connect(ctx.dsn, autocommit=True, prepare_threshold=None)
             for _ in range(connections)]
    try:
        rng = random.Random(ctx.seed)
        terms = search_terms(rng)
        counter = iter(range(10**9))

        def search_action(index):
            _, term = terms[next(counter) % len(terms)]
            site = rng.randint(1, SITES)
            return lambda: sqlbase.search(conns[index], site, term)

        results["sql_baseline_search"] = (await closed_loop(search_action, connections, ctx.duration_s)).summary()
        for page in (1, 10, 40):
            frng = random.Random(ctx.seed + page)

            def filter_action(index):
                site = frng.randint(1, SITES)
                return lambda: sqlbase.filtered(conns[index], site, filter_params(frng, page))

            results[f"sql_baseline_filter_p{page}"] = (
                await closed_loop(filter_action, connections, ctx.duration_s)).summary()
    finally:
        for conn in conns:
            await conn.close()
    return results
