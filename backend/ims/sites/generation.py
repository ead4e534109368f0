"""Each site's Finder cache generation: `sites.data_version` in PostgreSQL, mirrored in Redis.

Every interaction write raises the site's data_version in its own transaction (`bump`) and,
after the commit, the Redis copy (never lowering it: see `cache.set_max`). Readers take the
generation from Redis in the same round trip as their page, and fall back to PostgreSQL
when Redis has none (then copy it there). A write whose copy could not reach Redis is
replayed by `cache_sync` before this process reads the cache again.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from .. import cache_sync
from ..cache import Cache
from ..extensions import db
from .models import Site

# Long enough to outlive every page cached under it; a lost key only costs one database read.
TTL_SECONDS = 24 * 3600


def key(site_id: int) -> str:
    return f"{{site:{site_id}}}:generation"


def parse(raw: bytes | None) -> int | None:
    return int(raw) if raw is not None and raw.isdigit() else None


def _publication(site_id: int, version: int):
    def publication(cache: Cache) -> None:
        cache.set_max(key(site_id), version, TTL_SECONDS, strict=True)

    return cache_sync.keyed(publication, ("generation", site_id), version)


def current(site_id: int, cached: bytes | None) -> int:
    """The site's generation: the cached copy, else the database's (copied to the cache)."""
    version = parse(cached)
    if version is None:
        version = db.session.execute(_stored(site_id)).scalar_one()
        current_app.extensions["ims_cache"].set_max(key(site_id), version, TTL_SECONDS)
    return version


def reached(site_id: int, version: int) -> bool:
    """Whether the database the session reads (a replica, in `read_replica.read`) holds the site at
    `version` or later: then it shows every write that version counts."""
    return db.session.execute(_stored(site_id)).scalar_one() >= version


def stored(site_id: int) -> int | None:
    """The site's generation as the database holds it (None: no such site)."""
    return db.session.execute(_stored(site_id)).scalar_one_or_none()


def _stored(site_id: int) -> sa.Select:
    return sa.select(Site.data_version).where(Site.id == site_id)


def bump(site_id: int) -> None:
    """Make every cached Finder page of the site stale, in the caller's transaction."""
    version = db.session.execute(
        sa.update(Site).where(Site.id == site_id).values(data_version=Site.data_version + 1)
        .returning(Site.data_version)
    ).scalar_one()
    cache_sync.note(db.session, _publication(site_id, version))
