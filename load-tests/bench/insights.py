"""The insights scenario: a site's aggregates for the Finder's query shapes, cache bypassed."""
from __future__ import annotations

import random

from .dataset import SITES, TYPES, Vocabulary
from .loadgen import Recorder, call, closed_loop, session
from .scenarios import class_summaries, timed_by_class

ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata")


def insights_params(rng: random.Random, vocab: Vocabulary) -> tuple[str, dict]:
    """(class, parameters): the whole site, types, a year, a lead, a search word, as the page sends them."""
    year = rng.randint(2021, 2024)
    shapes = (("all", {}), ("types", {"type": rng.sample(TYPES, 2)}),
              ("year", {"start_from": f"{year}-01-01", "start_to": f"{year}-12-31"}),
              ("lead", {"lead": rng.choice(vocab.leads)}),
              ("search", {"search": rng.choice(vocab.medium_words())}))
    kind, params = rng.choice(shapes)
    return kind, {**params, "tz": rng.choice(ZONES), "interval": rng.choice(("week", "month"))}


async def insights_uncached(ctx, connections: int = 2) -> dict:
    rng, vocab = random.Random(ctx.seed + 24), Vocabulary()
    by_class: dict[str, Recorder] = {}
    async with session(connections) as http:
        def action(index):
            kind, params = insights_params(rng, vocab)
            url = ctx.url("/api/insights", params)
            headers = ctx.headers(rng.randint(1, SITES), **{"Cache-Control": "no-cache"})
            return timed_by_class(by_class, kind, lambda: call(http, "GET", url, headers=headers))

        summary = (await closed_loop(action, connections, ctx.duration_s)).summary()
    return {"insights_uncached": {**summary, "connections": connections, "by_class": class_summaries(by_class)}}
