"""The Finder: one page of a site's interactions, answered from the cache while the site is unchanged."""
from __future__ import annotations

from typing import NamedTuple

import orjson
from flask import current_app

from .. import user_limits
from . import finder_cache, queries
from .queries import FinderQuery


class FinderPage(NamedTuple):
    body: bytes  # the page as JSON (InteractionPageSchema)
    cached: bool  # served from the cache (X-Cache: HIT)


def find_page(site_id: int, user_id: int, query: FinderQuery) -> FinderPage:
    """The cached page when it is fresh; otherwise the page from the database, within the user's
    share of concurrent searches, cached under the generation read before it was computed (a write
    meanwhile makes it stale at once)."""
    found = finder_cache.lookup(site_id, user_id)
    if found.body is not None:
        return FinderPage(found.body, cached=True)
    config = current_app.config
    with user_limits.acquire("finder", user_id, config["FINDER_CONCURRENT_PER_USER"],
                             "Too many searches of yours are running at once; try again in a moment."):
        page = queries.find(site_id, query, cap=config["FINDER_COUNT_CAP"],
                            search_cap=config["FINDER_SEARCH_COUNT_CAP"],
                            count_budget_ms=config["FINDER_COUNT_BUDGET_MS"])
    body = orjson.dumps(page)
    finder_cache.put(found.key, found.generation, body)
    return FinderPage(body, cached=False)
