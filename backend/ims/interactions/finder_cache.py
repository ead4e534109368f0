"""Cached Finder pages: key = site + the normalised query; value = the site's generation + the page.

Any write in a site raises its generation (see `sites.generation`), so all of that site's
cached pages go stale at once, and a key can never name another site. The page and its
site's generation share a hash tag, so they sit in one Redis Cluster slot; with the
deny-list entry and the principal they are read in one round trip (`prefetch_keys`).
"""
from __future__ import annotations

import hashlib
import json

from flask import current_app, request
from marshmallow import RAISE, ValidationError
from webargs.flaskparser import parser
from werkzeug.exceptions import HTTPException

from ..sites import generation
from ..sites.context import requested_site_id


def _normalised(params: dict) -> str:
    def plain(value):
        if isinstance(value, tuple) and len(value) == 2 and hasattr(value[0], "isoformat"):
            return [value[0].isoformat(), value[1]]
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        return value

    canonical = {k: plain(sorted(set(v)) if k == "type" else v) for k, v in params.items() if v not in (None, "", [])}
    if "search" in canonical:
        canonical["search"] = " ".join(canonical["search"].lower().split())
    return json.dumps(canonical, sort_keys=True, separators=(",", ":"))


def key_for(site_id: int, params: dict) -> str:
    digest = hashlib.sha256(_normalised(params).encode()).hexdigest()[:32]
    return f"{{site:{site_id}}}:finder:{digest}"


def prefetch_keys(schema) -> list[str]:
    """The generation and page keys of this request, when its site is named (the SPA always names it)."""
    site_id = requested_site_id()
    if site_id is None or bypass_requested():
        return []
    try:
        params = parser.parse(schema, request, location="query", unknown=RAISE)
    except (HTTPException, ValidationError):  # reported by the route's own parsing
        return []
    return [generation.key(site_id), key_for(site_id, params)]


def bypass_requested() -> bool:
    return "no-cache" in request.headers.get("Cache-Control", "").lower()


def page_of(entry: bytes | None, site_generation: int) -> bytes | None:
    """The cached body when it was stored at this generation."""
    if entry is None:
        return None
    stamp, _, body = entry.partition(b"\n")
    return body if stamp == str(site_generation).encode() else None


def put(key: str, site_generation: int, body: bytes) -> None:
    entry = str(site_generation).encode() + b"\n" + body
    current_app.extensions["ims_cache"].set(key, entry, current_app.config["CACHE_TTL_SECONDS"])
