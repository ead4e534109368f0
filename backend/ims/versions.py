"""Optimistic concurrency over HTTP: a record's version goes out as its ETag and comes back in If-Match
(or as `version` in the body), so a write built on an older version is refused (409 version_conflict)."""
from __future__ import annotations

import re

from flask import request

VERSION = re.compile(r"[0-9]{1,9}")


def etag(version: int) -> str:
    return f'"{version}"'


def if_match_version() -> int | None:
    """The version the request's If-Match names, or None without a usable one."""
    raw = request.headers.get("If-Match", "").strip()
    raw = raw[2:] if raw.startswith("W/") else raw
    raw = raw.strip('"')
    return int(raw) if VERSION.fullmatch(raw) else None  # ASCII only: isdigit() also accepts "²" and "١"
