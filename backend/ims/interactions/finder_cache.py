"""Cached Finder pages: key = site + the site's data_version + the normalised query.

Any write in a site bumps its data_version (in the write's own transaction), so all
of that site's cached pages go stale at once, and a key can never name another site.
"""
from __future__ import annotations

import hashlib
import json

from flask import current_app, request


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


def key_for(site_id: int, data_version: int, params: dict) -> str:
    digest = hashlib.sha256(_normalised(params).encode()).hexdigest()[:32]
    return f"finder:{site_id}:{data_version}:{digest}"


def bypass_requested() -> bool:
    return "no-cache" in request.headers.get("Cache-Control", "").lower()


def get(key: str) -> bytes | None:
    return current_app.extensions["ims_cache"].get(key)


def put(key: str, body: bytes) -> None:
    current_app.extensions["ims_cache"].set(key, body, current_app.config["CACHE_TTL_SECONDS"])
