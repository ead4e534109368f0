"""The insights of a site for a query: from the cache while the site is unchanged, else from SQL."""
from __future__ import annotations

from datetime import datetime

from ..errors import ServiceUnavailable
from ..extensions import db
from ..interactions.finder import FinderPage, cached_answer
from ..timeutil import utcnow
from . import queries
from .queries import InsightsQuery


def _this_minute() -> datetime:
    return utcnow().replace(second=0, microsecond=0)


def _kind(now: datetime) -> str:
    # the coming week starts now: an answer is cached for the minute it was computed in
    return f"insights:{now:%Y%m%dT%H%M}"


def cache_kind() -> str:
    return _kind(_this_minute())


def insights(site_id: int, user_id: int, query: InsightsQuery) -> FinderPage:
    if db.session.get_bind().dialect.name != "postgresql":  # GROUPING SETS, zones: PostgreSQL's
        raise ServiceUnavailable("Insights need PostgreSQL; the embedded SQLite database cannot answer them.",
                                 details={"database": "sqlite"})
    now = _this_minute()
    return cached_answer(site_id, user_id, _kind(now), lambda: queries.insights(site_id, query, now))
