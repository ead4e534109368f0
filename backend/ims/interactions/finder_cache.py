"""Cached Finder pages: key = site + the normalised query; value = the site's generation + the page.

Any write in a site raises its generation (see `sites.generation`), so all of that site's
cached pages go stale at once, and a key can never name another site. The page and its
site's generation share a hash tag, so they sit in one Redis Cluster slot; with the
principal (which carries the user's sign-outs) they are read in one round trip (`prefetch_keys`).
"""
from __future__ import annotations

import hashlib
import json
from typing import Mapping, NamedTuple

from flask import current_app, g, request
from werkzeug.datastructures import MultiDict

from .. import cache_sync, user_limits
from ..sites import generation
from ..sites.context import requested_site_id
from .fields import EXACT, FILTERS, Filter
from .filters import exact_key


def normalised_query(args: MultiDict, filters: Mapping[str, Filter] = FILTERS) -> str:
    """The query string as the Finder reads it: parameter order, empty values, the case and spacing of
    search words, the order of an any-of filter's values and the case and accents of an exact filter's
    value (fields.FILTERS) do not change the answer, so not the key. Built from the raw arguments, so it
    can be read with the principal before the route runs."""
    canonical = {}
    for name in sorted(args):
        values = [value for value in args.getlist(name) if value != ""]
        if name == "search":
            values = [" ".join(value.lower().split()) for value in values]
        elif name in filters and filters[name].kind == "any_of":
            values = sorted(set(values))
        elif name in filters and filters[name].kind == EXACT:
            values = [exact_key(filters[name], value) for value in values]
        if values:
            canonical[name] = values
    return json.dumps(canonical, separators=(",", ":"))


STORED_AS = "gz"  # pages are stored gzip-compressed (finder.py); a release storing them otherwise keys them apart


def key_for(site_id: int, kind: str = "finder") -> str:
    """`kind` names what is cached for the query (Finder pages, insights, …): never the same entry."""
    digest = hashlib.sha256(normalised_query(request.args).encode()).hexdigest()[:32]
    return f"{{site:{site_id}}}:{kind}:{STORED_AS}:{digest}"


def prefetch_keys(kind: str = "finder") -> list[str]:
    """The generation and page keys of this request, when its site is named (the SPA always names it);
    only the generation when the request asks to bypass the cache."""
    site_id = requested_site_id()
    if site_id is None:
        return []
    return [generation.key(site_id)] if bypass_requested() else [generation.key(site_id), key_for(site_id, kind)]


def bypass_requested() -> bool:
    return "no-cache" in request.headers.get("Cache-Control", "").lower()


class Lookup(NamedTuple):
    key: str
    generation: int  # the site's generation read before computing: what a page computed now is stamped with
    body: bytes | None  # the cached page, when fresh and not bypassed


def lookup(site_id: int, user_id: int, kind: str = "finder") -> Lookup:
    """This request's page in the cache (prefetched with the principal when the site was named), and
    what to store a computed page under. `Cache-Control: no-cache` skips the read, within the
    user's allowance."""
    key, generation_key = key_for(site_id, kind), generation.key(site_id)
    bypass = bypass_requested() and user_limits.may_bypass_cache(user_id)
    wanted = [generation_key] if bypass else [generation_key, key]
    prefetched = g.get("prefetched") or {}
    if all(name in prefetched for name in wanted):
        values = [prefetched[name] for name in wanted]
    else:  # no X-Site-ID, or a bypass beyond the allowance: one round trip here instead
        values = cache_sync.cache_for_reading().get_many(wanted)
    site_generation = generation.current(site_id, values[0])
    return Lookup(key, site_generation, None if bypass else page_of(values[1], site_generation))


def page_of(entry: bytes | None, site_generation: int) -> bytes | None:
    """The cached body when it was stored at this generation."""
    if entry is None:
        return None
    stamp, _, body = entry.partition(b"\n")
    return body if stamp == str(site_generation).encode() else None


def put(key: str, site_generation: int, body: bytes) -> None:
    entry = str(site_generation).encode() + b"\n" + body
    current_app.extensions["ims_cache"].set(key, entry, current_app.config["CACHE_TTL_SECONDS"])
