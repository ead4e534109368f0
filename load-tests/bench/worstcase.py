"""`finder_worst_case`: Finder queries drawn from a generated corpus of the shapes that used to be slow.

The corpus is generated (seeded), not hand-picked. Each query combines, at random:

- search words of one, two or three characters, cut from words of the data set (so they match
  inside words), from random letters and digits (mostly rare), or words that match nothing or
  nearly everything, alone or with a whole word;
- lead / location / title substrings of one to three characters (same sources);
- 0–3 types and a date range from one week to several years, or none;
- any sort the API accepts, one or two keys, either direction;
- page 1, a near page, or a deep one (up to ~100,000 rows in, or 5,000 for a search, the API's
  window), 10–100 rows a page.

Every request bypasses the Finder cache. A 503 (the statement timeout) or a client timeout counts
as a timeout; the slowest queries are kept for the analysis.
"""
from __future__ import annotations

import random
import string
import time

from .dataset import CITIES, FIRST, LAST, ORGS, PLACES, SITES, TOPICS, TYPES, Vocabulary
from .loadgen import Recorder, closed_loop, session

SORTABLE = ("id", "title", "type", "lead", "start_datetime", "end_datetime", "timezone", "location",
            "description", "notes", "created_at", "updated_at", "version")
ALPHABET = string.ascii_lowercase + string.digits
SEARCH_WINDOW = 5_000  # ims.interactions.schemas.SEARCH_WINDOW
NOTHING = ("zzqx", "qqq", "xj", "q9", "0zq", "ñq")
EVERYTHING = ("e", "a", "the", "re", " ", "n")


def _slice(rng: random.Random, words: list[str], size: int) -> str:
    word = rng.choice([w for w in words if len(w) >= size] or words)
    start = rng.randint(0, max(0, len(word) - size))
    return word[start:start + size]


def _fragment(rng: random.Random, words: list[str]) -> str:
    """One to three characters: inside a real word, random (often rare), or matching nothing/everything."""
    size = rng.choice((1, 2, 2, 3, 3))
    source = rng.random()
    if source < 0.55:
        return _slice(rng, words, size)
    if source < 0.8:
        return "".join(rng.choice(ALPHABET) for _ in range(size))
    return rng.choice(NOTHING if rng.random() < 0.5 else EVERYTHING).strip() or "e"


def corpus(seed: int = 17, count: int = 600) -> list[dict]:
    rng = random.Random(seed)
    vocab = Vocabulary()
    text_words = sorted({w.strip(".,").lower() for s in vocab.sentences[:500] for w in s.split()})
    lead_words = [w.lower() for w in FIRST + LAST]
    location_words = [w.lower() for w in CITIES] + [w for p in PLACES for w in p.split()]
    title_words = [w for t in TOPICS for w in t.split()] + [w.lower() for w in ORGS] + [t.lower() for t in TYPES]
    queries = []
    for _ in range(count):
        params: dict = {}
        if rng.random() < 0.6:
            words = [_fragment(rng, text_words) for _ in range(rng.choice((1, 1, 2)))]
            if rng.random() < 0.3:
                words.append(rng.choice(vocab.common_words() + vocab.medium_words() + vocab.rare_words()))
            params["search"] = " ".join(words)
        for name, words, share in (("lead", lead_words, 0.3), ("location", location_words, 0.3),
                                   ("title", title_words, 0.25)):
            if rng.random() < share:
                params[name] = _fragment(rng, words)
        if rng.random() < 0.35:
            params["type"] = rng.sample(TYPES, rng.randint(1, 3))
        if rng.random() < 0.35:
            year = rng.randint(2021, 2025)
            month = rng.randint(1, 12)
            span = rng.choice(("week", "months", "years"))
            params["start_from"] = f"{year}-{month:02d}-01"
            params["start_to"] = (f"{year}-{month:02d}-07" if span == "week" else
                                  f"{year}-{min(12, month + 3):02d}-28" if span == "months" else
                                  f"{min(2026, year + 3)}-{month:02d}-28")
        keys = rng.sample(SORTABLE, rng.choice((1, 1, 2)))
        params["sort"] = ",".join(("-" if rng.random() < 0.5 else "") + key for key in keys)
        page_size = rng.choice((10, 25, 25, 50, 100))
        depth = rng.random()
        params["page"] = 1 if depth < 0.5 else rng.randint(2, 10) if depth < 0.8 else rng.randint(
            11, max(12, 100_000 // page_size))
        if "search" in params:  # the API pages a search through its first SEARCH_WINDOW matches
            params["page"] = min(params["page"], SEARCH_WINDOW // page_size)
        params["page_size"] = page_size
        queries.append(params)
    return queries


async def finder_worst_case(ctx, connections: int = 2) -> dict:
    queries = corpus()
    rng = random.Random(ctx.seed)
    recorder, timeouts, slowest = Recorder(), 0, []
    counter = iter(range(10**9))
    async with session(connections) as http:
        def action(index):
            params = queries[next(counter) % len(queries)]
            site = rng.randint(1, SITES)
            url = ctx.url("/api/interactions", params)

            async def go():
                nonlocal timeouts
                begin = time.perf_counter()
                try:
                    async with http.get(url, headers=ctx.headers(site, **{"Cache-Control": "no-cache"})) as response:
                        await response.read()
                        status = response.status
                except TimeoutError:
                    status = 0
                elapsed = (time.perf_counter() - begin) * 1000
                slowest.append((elapsed, status, params))
                slowest.sort(key=lambda item: -item[0])
                del slowest[10:]
                if status in (0, 503, 504):
                    timeouts += 1
                if status != 200:
                    raise RuntimeError(f"HTTP {status} for {params}")
            return go

        summary = (await closed_loop(action, connections, ctx.duration_s * 2, recorder=recorder)).summary()
    return {"finder_worst_case": {**summary, "connections": connections, "timeouts": timeouts,
                                  "corpus_size": len(queries),
                                  "slowest": [{"ms": round(ms, 1), "status": status, "params": params}
                                              for ms, status, params in slowest]}}
