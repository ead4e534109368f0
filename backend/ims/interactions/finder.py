"""The Finder: one page of a site's interactions, answered from the cache while the site is unchanged."""
from __future__ import annotations

from typing import Callable, NamedTuple

import orjson
from flask import current_app

from .. import user_limits
from . import finder_cache, queries
from .queries import FinderQuery


class FinderPage(NamedTuple):
    body: bytes  # the page as JSON (InteractionPageSchema)
    cached: bool  # served from the cache (X-Cache: HIT)


def cached_answer(site_id: int, user_id: int, kind: str, compute: Callable[[], dict]) -> FinderPage:
    """The cached answer of this request's query when it is fresh; otherwise `compute()`, within the
    user's share of concurrent searches, cached under the generation read before it was computed (a
    write meanwhile makes it stale at once). `kind` keeps Finder pages and other answers apart."""
    found = finder_cache.lookup(site_id, user_id, kind)
    if found.body is not None:
        return FinderPage(found.body, cached=True)
    with user_limits.acquire("finder", user_id, current_app.config["FINDER_CONCURRENT_PER_USER"],
                             "Too many searches of yours are running at once; try again in a moment."):
        answer = compute()
    body = orjson.dumps(answer)
    finder_cache.put(found.key, found.generation, body)
    return FinderPage(body, cached=False)


def find_page(site_id: int, user_id: int, query: FinderQuery) -> FinderPage:
    """A Finder page, from the cache while the site is unchanged."""
    config = current_app.config
    return cached_answer(site_id, user_id, "finder", lambda: queries.find(
        site_id, query, cap=config["FINDER_COUNT_CAP"], search_cap=config["FINDER_SEARCH_COUNT_CAP"],
        count_budget_ms=config["FINDER_COUNT_BUDGET_MS"],
        statement_timeout_ms=config["FINDER_STATEMENT_TIMEOUT_MS"]))
