"""`finder_worst_case`: Finder queries drawn from two generated corpora of the shapes that used to be slow.

Both corpora are generated (seeded), not hand-picked. The second, `corpus_drawn_differently`, is drawn
another way (see there) so that tuning for one is checked by the other. Each query of the first
combines, at random:

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

import datetime
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


# Letters as people type them with their accents: the Finder folds them (search_keys.fold), so "mü"
# searches "mu" and "é" searches "e"; the data set's own words carry none.
ACCENTED = {"a": "áàäâ", "e": "éèëê", "i": "íî", "o": "óöô", "u": "üúû", "n": "ñ", "c": "ç", "s": "ś", "z": "ž"}
PAGE_SIZE_2 = 100


def _accented(rng: random.Random, word: str) -> str:
    """The word with one or two of its letters accented (when it has letters that take one)."""
    letters = list(word)
    spots = [i for i, ch in enumerate(letters) if ch in ACCENTED]
    for i in rng.sample(spots, min(len(spots), rng.choice((1, 2)))):
        letters[i] = rng.choice(ACCENTED[letters[i]])
    return "".join(letters)


def _word_2(rng: random.Random, words: list[str]) -> str:
    """A search word of corpus 2: accented fragments ("mü"), one letter, two letters, a name's start."""
    kind = rng.random()
    if kind < 0.35:
        return _accented(rng, _slice(rng, words, rng.choice((1, 2, 2, 3))))
    if kind < 0.6:
        return rng.choice(ALPHABET + "éüñöá")
    if kind < 0.8:
        return _slice(rng, words, 2)
    return _slice(rng, words, rng.choice((3, 4)))


def corpus_drawn_differently(seed: int = 29, count: int = 300) -> list[dict]:
    """A second worst-case corpus, drawn unlike `corpus`: nearly every query searches, with accented
    words ("mü ann"), one-letter words and pairs of short words; rare filters (a whole name, a
    single type, a day or a week); every sort key in both directions in turn, alone or before a
    second key; always page_size 100; and pages from the first to the last the API serves (the
    search window's last page, or page 1,000 of a site's 100,000 rows)."""
    rng = random.Random(seed)
    vocab = Vocabulary()
    text_words = sorted({w.strip(".,").lower() for s in vocab.sentences[:500] for w in s.split()})
    names = [w.lower() for w in FIRST + LAST]
    sorts = [("-" if descending else "") + key for key in SORTABLE for descending in (False, True)]
    queries = []
    for index in range(count):
        params: dict = {}
        if rng.random() < 0.85:
            words = [_word_2(rng, text_words + names) for _ in range(rng.choice((1, 2, 2, 3)))]
            params["search"] = " ".join(words)
        rare = rng.random()
        if rare < 0.15:
            params["lead"] = f"{rng.choice(FIRST)} {rng.choice(LAST)}".lower()
        elif rare < 0.3:
            params["location"] = _accented(rng, rng.choice(CITIES).lower())
        elif rare < 0.45:
            params["title"] = _slice(rng, [w.lower() for w in TOPICS + ORGS], 2)
        elif rare < 0.55:
            params["lead"] = rng.choice(NOTHING)
        if rng.random() < 0.25:
            params["type"] = [rng.choice(TYPES)]
        if rng.random() < 0.25:
            day = rng.randint(0, 5 * 365 - 8)
            first = datetime.date(2021, 1, 1) + datetime.timedelta(days=day)
            params["start_from"] = first.isoformat()
            params["start_to"] = (first + datetime.timedelta(days=rng.choice((0, 6)))).isoformat()
        sort = sorts[index % len(sorts)]  # every key, both directions, in turn
        if rng.random() < 0.3:
            sort += "," + rng.choice([s for s in sorts if s.lstrip("-") != sort.lstrip("-")])
        params["sort"] = sort
        last = (SEARCH_WINDOW if "search" in params else 100_000) // PAGE_SIZE_2
        depth = rng.random()
        params["page"] = 1 if depth < 0.25 else last if depth < 0.5 else rng.randint(2, last)
        params["page_size"] = PAGE_SIZE_2
        queries.append(params)
    return queries


CORPORA = {"finder_worst_case": (corpus, 2), "finder_worst_case_2": (corpus_drawn_differently, 1)}


async def finder_worst_case(ctx) -> dict:
    """Both corpora in turn, each reported on its own: the bench's (two connections) and the one drawn
    differently (one connection)."""
    results = {}
    for name, (generate, connections) in CORPORA.items():
        results.update(await _replay(ctx, name, generate(), connections))
    return results


async def _replay(ctx, name: str, queries: list[dict], connections: int) -> dict:
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
    return {name: {**summary, "connections": connections, "timeouts": timeouts,
                                  "corpus_size": len(queries),
                                  "slowest": [{"ms": round(ms, 1), "status": status, "params": params}
                                              for ms, status, params in slowest]}}
