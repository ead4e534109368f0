"""The Finder: one page of a site's interactions, answered from the cache while the site is unchanged.

A page is compressed once, when it is computed, and cached compressed: a hit sends the stored bytes as
they are to a client that accepts gzip (every browser), so no hit compresses or serialises anything.
"""
from __future__ import annotations

import gzip
from typing import Callable, NamedTuple

import orjson
from flask import Response, current_app, request

from .. import read_replica, user_limits
from ..sites import generation
from . import finder_cache, queries
from .queries import FinderQuery

GZIP_LEVEL = 6  # what the API's compression uses for every other answer


class FinderPage(NamedTuple):
    gzipped: bytes  # the page as JSON (InteractionPageSchema), gzip-compressed as stored in the cache
    cached: bool  # served from the cache (X-Cache: HIT)

    @property
    def body(self) -> bytes:
        """The page as JSON."""
        return gzip.decompress(self.gzipped)


def response(page: FinderPage) -> Response:
    """The page as stored (gzip) when the client accepts it, otherwise as plain JSON."""
    headers = {"X-Cache": "HIT" if page.cached else "MISS", "Vary": "Accept-Encoding"}
    if request.accept_encodings["gzip"]:  # a quality above 0, named or by "*"
        return Response(page.gzipped, mimetype="application/json", headers={**headers, "Content-Encoding": "gzip"})
    return Response(page.body, mimetype="application/json", headers=headers)


def cached_answer(site_id: int, user_id: int, kind: str, compute: Callable[[], dict]) -> FinderPage:
    """The cached answer of this request's query when it is fresh; otherwise `compute()`, within the
    user's share of concurrent searches, on the read replica when the user may read there
    (`read_replica`), cached under the generation read before it was computed (a write meanwhile makes
    it stale at once). An answer from a replica that has not replayed that generation yet is not
    cached at all. `kind` keeps Finder pages and other answers apart."""
    found = finder_cache.lookup(site_id, user_id, kind)
    if found.body is not None:
        return FinderPage(found.body, cached=True)
    with user_limits.acquire("finder", user_id, current_app.config["FINDER_CONCURRENT_PER_USER"],
                             "Too many searches of yours are running at once; try again in a moment."):
        answer, cacheable = read_replica.read(user_id, compute,
                                              reached=lambda: generation.reached(site_id, found.generation))
    body = gzip.compress(orjson.dumps(answer), GZIP_LEVEL, mtime=0)
    if cacheable:
        finder_cache.put(found.key, found.generation, body)
    return FinderPage(body, cached=False)


def find_page(site_id: int, user_id: int, query: FinderQuery) -> FinderPage:
    """A Finder page, from the cache while the site is unchanged."""
    config = current_app.config
    return cached_answer(site_id, user_id, "finder", lambda: queries.find(
        site_id, query, cap=config["FINDER_COUNT_CAP"], search_cap=config["FINDER_SEARCH_COUNT_CAP"],
        count_budget_ms=config["FINDER_COUNT_BUDGET_MS"],
        statement_timeout_ms=config["FINDER_STATEMENT_TIMEOUT_MS"]))
