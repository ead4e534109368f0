"""The insights' aggregates in SQL over exactly the rows the Finder's query matches.

One scan of the matches, grouped four ways at once (GROUPING SETS): per period and type, per lead,
per location, per weekday and hour. The scan reads the covering date index of the site
(start_datetime with type, lead_key and location_key), so it stays index-only without a search.
Leads and locations are grouped by their folded keys, which the Finder's exact filters (`lead_is`,
`location_is`) match: a bar's link shows exactly the bar's records.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from ..extensions import db
from ..interactions import freshness
from ..interactions.models import Interaction, local_start
from ..interactions.queries import FinderQuery, apply_filters, in_site
from ..timeutil import iso_z

UPCOMING_DAYS = 7
UPCOMING_LIMIT = 50
ONE_TICK = timedelta(microseconds=1)  # the Finder's datetime start_to is inclusive; PostgreSQL's resolution


@dataclass(frozen=True)
class InsightsQuery:
    finder: FinderQuery  # the search and filters, as the Finder loads them
    interval: str = "week"  # "week" or "month"
    top: int = 10  # how many leads and locations


# Enough for the four hash tables of a site's groups (a few MB at 1M rows); without it the planner sorts
# on disk instead. For this transaction only.
AGGREGATE_WORK_MEM = "32MB"


def _groups(site_id: int, query: InsightsQuery) -> list:
    finder = query.finder
    # OFFSET 0 keeps the subquery whole, so each row's wall-clock time in `tz` (the costly part) is
    # computed once, not once per grouping
    rows = apply_filters(in_site(site_id, local_start(finder.tz).label("local"), Interaction.type,
                                 Interaction.lead_key.label("lead"), Interaction.location_key.label("location")),
                         finder).offset(0).subquery("rows")
    matches = sa.select(
        sa.func.date_trunc(query.interval, rows.c.local).label("period"), rows.c.type, rows.c.lead, rows.c.location,
        sa.cast(sa.func.date_part("isodow", rows.c.local), sa.Integer).label("weekday"),
        sa.cast(sa.func.date_part("hour", rows.c.local), sa.Integer).label("hour")).subquery("matches")
    m = matches.c
    sets = sa.func.grouping_sets(sa.tuple_(m.period, m.type), sa.tuple_(m.lead), sa.tuple_(m.location),
                                 sa.tuple_(m.weekday, m.hour))
    # grouping(): a bit per column left out of the row's set, so each row says which set it counts
    kind = sa.func.grouping(m.period, m.lead, m.location, m.weekday).label("kind")
    statement = sa.select(kind, m.period, m.type, m.lead, m.location, m.weekday, m.hour,
                          sa.func.count().label("count")).group_by(sets)
    db.session.execute(sa.select(sa.func.set_config("work_mem", AGGREGATE_WORK_MEM, True)))
    return db.session.execute(statement).all()


PERIOD_SET, LEAD_SET, LOCATION_SET, HOUR_SET = 0b0111, 0b1011, 0b1101, 0b1110


def _next_start(day: date, interval: str) -> date:
    if interval == "week":
        return day + timedelta(days=7)
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


def finder_window(finder: FinderQuery, start: datetime, end: datetime) -> dict | None:
    """The Finder's start_from/start_to for [start, end) within the query's own bounds, in the viewer's
    zone (start_to inclusive, as the Finder reads a datetime); None when nothing is left."""
    given = finder.given()
    if "start_from" in given:
        start = max(start, given["start_from"].moment)
    if "start_to" in given:
        bound = given["start_to"]
        end = min(end, bound.moment if bound.exclusive else bound.moment + ONE_TICK)
    if end <= start:
        return None
    zone = ZoneInfo(finder.tz)
    return {"start_from": start.astimezone(zone).isoformat(), "start_to": (end - ONE_TICK).astimezone(zone).isoformat()}


def _periods(rows: list, query: InsightsQuery) -> list[dict]:
    zone, by_start = ZoneInfo(query.finder.tz), {}
    for row in rows:
        counts = by_start.setdefault(row.period.date(), {})
        counts[row.type] = row.count
    periods = []
    for day in sorted(by_start):
        start, end = _local_midnight(day, zone), _local_midnight(_next_start(day, query.interval), zone)
        periods.append({"start": day.isoformat(), **finder_window(query.finder, start, end),
                        "counts": by_start[day], "total": sum(by_start[day].values())})
    return periods


def _busiest(site_id: int, rows: list, column: str, top: int) -> list[dict]:
    """The `top` keys by count (ties by key), each named by the text of one of its rows."""
    ranked = sorted(((row.count, getattr(row, column)) for row in rows if getattr(row, column)),
                    key=lambda pair: (-pair[0], pair[1]))[:top]
    if not ranked:
        return []
    key_column, text_column = getattr(Interaction, f"{column}_key"), getattr(Interaction, column)
    keys = sa.values(sa.column("key", key_column.type), name="keys").data([(key,) for _, key in ranked])
    # one index probe a key on (site_id, <column>_key), in one statement
    text = in_site(site_id, text_column.label("text")).where(key_column == keys.c.key).limit(1).lateral("named")
    names = dict(db.session.execute(sa.select(keys.c.key, text.c.text).select_from(keys.join(text, sa.true()))).all())
    return [{"name": names[key], "count": count} for count, key in ranked]


def _upcoming(site_id: int, query: InsightsQuery, now: datetime) -> dict:
    window = finder_window(query.finder, now, now + timedelta(days=UPCOMING_DAYS))
    if window is None:
        return {"start_from": None, "start_to": None, "total": 0, "items": []}
    columns = (Interaction.id, Interaction.title, Interaction.type, Interaction.lead, Interaction.location,
               Interaction.start_datetime, Interaction.timezone, sa.func.count().over().label("total"))
    rows = db.session.execute(
        apply_filters(in_site(site_id, *columns), query.finder)
        .where(Interaction.start_datetime >= now, Interaction.start_datetime < now + timedelta(days=UPCOMING_DAYS))
        .order_by(Interaction.start_datetime, Interaction.id).limit(UPCOMING_LIMIT)).all()
    items = [{"id": r.id, "title": r.title, "type": r.type, "lead": r.lead, "location": r.location or "",
              "start_datetime": iso_z(r.start_datetime), "timezone": r.timezone} for r in rows]
    return {**window, "total": rows[0].total if rows else 0, "items": items}


def insights(site_id: int, query: InsightsQuery, now: datetime) -> dict:
    freshness.refresh_site(site_id)  # keys the previous release left stale, before grouping by them
    rows = _groups(site_id, query)
    of = {kind: [row for row in rows if row.kind == kind] for kind in (PERIOD_SET, LEAD_SET, LOCATION_SET, HOUR_SET)}
    periods = _periods(of[PERIOD_SET], query)
    return {
        "tz": query.finder.tz, "interval": query.interval, "total": sum(p["total"] for p in periods),
        "periods": periods,
        "leads": _busiest(site_id, of[LEAD_SET], "lead", query.top),
        "locations": _busiest(site_id, of[LOCATION_SET], "location", query.top),
        "heatmap": [{"weekday": r.weekday, "hour": r.hour, "count": r.count}
                    for r in sorted(of[HOUR_SET], key=lambda r: (r.weekday, r.hour))],
        "upcoming": _upcoming(site_id, query, now),
    }
