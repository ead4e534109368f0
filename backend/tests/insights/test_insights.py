"""Every insights aggregate against a count made here in Python over the rows the test created, and
every chart element's Finder link against the Finder's own total."""
from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from ims.interactions.fields import INTERACTION_TYPES
from ims.timeutil import utcnow
from tests.builders import headers_for, interaction_body, make_interaction

ZONE = "America/Los_Angeles"  # DST begins inside the data: weeks and hours must follow the wall clock
LEADS = ("Anna Berg", "Anna Bergmann", "Bo Chen", "Carla Díaz", "Dev Patel")
LOCATIONS = ("Board room", "Lab", "", "Harbour office")


@pytest.fixture
def rows(world):
    """120 interactions of headquarters over Feb–Apr 2026 at any hour, one on a week's first instant, 8 in the coming week and a
    field-office row that must never count."""
    rng, made = random.Random(24), []
    start = datetime(2026, 2, 1, tzinfo=timezone.utc)
    for n in range(120):
        made.append(make_interaction(
            world.hq, world.editor, title=f"Row {n} {'budget' if n % 3 == 0 else 'plan'}",
            type=rng.choice(INTERACTION_TYPES), lead=rng.choice(LEADS), location=rng.choice(LOCATIONS),
            start_datetime=start + timedelta(minutes=rng.randrange(0, 89 * 24 * 60))))
    # exactly at local midnight of a Monday: in its own week, and in no link of the week before
    made.append(make_interaction(world.hq, world.editor, title="Row on the boundary", type="Meeting", lead="Bo Chen",
                                 start_datetime=datetime(2026, 3, 9, tzinfo=ZoneInfo(ZONE))))
    now = utcnow()
    for hours in (-2, 1, 30, 100, 160, 167, 169, 300):  # 5 within [now, now + 7 days)
        made.append(make_interaction(world.hq, world.editor, title=f"Soon {hours}", type="Call", lead="Bo Chen",
                                     start_datetime=now + timedelta(hours=hours)))
    make_interaction(world.field, world.field_editor, title="Row field budget", type="Call", lead="Anna Berg",
                     start_datetime=start + timedelta(days=3))
    return made


def get(client, world, **params):
    response = client.get("/api/insights", query_string={"tz": ZONE, **params},
                          headers=headers_for(world.viewer, world.hq))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def finder_total(client, world, **params) -> int:
    response = client.get("/api/interactions", query_string=params, headers=headers_for(world.viewer, world.hq))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["total"]


def period_window(period):
    return {"start_from": period["start_from"], "start_to": period["start_to"]}


def local(row):
    return row.start_datetime.astimezone(ZoneInfo(ZONE))


def period_start(row, interval):
    day = local(row).date()
    return day - timedelta(days=day.weekday()) if interval == "week" else date(day.year, day.month, 1)


@pytest.mark.parametrize("interval", ["week", "month"])
def test_periods_by_type_match_a_count_made_here(client, world, rows, interval):
    answer = get(client, world, interval=interval)
    want = Counter((period_start(r, interval).isoformat(), r.type) for r in rows)
    got = Counter({(p["start"], kind): n for p in answer["periods"] for kind, n in p["counts"].items()})
    assert got == want
    assert answer["total"] == len(rows)
    assert [p["start"] for p in answer["periods"]] == sorted(p["start"] for p in answer["periods"])


def test_busiest_leads_and_locations_match_a_count_made_here(client, world, rows):
    answer = get(client, world, top=3)
    leads = Counter(r.lead for r in rows)
    assert [(x["name"], x["count"]) for x in answer["leads"]] == sorted(leads.items(), key=lambda p: (-p[1], p[0].lower()))[:3]
    locations = Counter(r.location for r in rows if r.location)
    assert {x["name"]: x["count"] for x in get(client, world)["locations"]} == locations


def test_weekday_hour_heat_map_is_in_the_viewers_zone(client, world, rows):
    answer = get(client, world)
    want = Counter((local(r).isoweekday(), local(r).hour) for r in rows)
    assert {(c["weekday"], c["hour"]): c["count"] for c in answer["heatmap"]} == want
    in_utc = get(client, world, tz="UTC")["heatmap"]
    assert {(c["weekday"], c["hour"]): c["count"] for c in in_utc} != want


def test_the_coming_week_lists_what_starts_in_the_next_seven_days(client, world, rows):
    now = utcnow().replace(second=0, microsecond=0)
    want = sorted((r for r in rows if now <= r.start_datetime < now + timedelta(days=7)),
                  key=lambda r: r.start_datetime)
    upcoming = get(client, world)["upcoming"]
    assert [i["title"] for i in upcoming["items"]] == [r.title for r in want] and upcoming["total"] == 5
    assert finder_total(client, world, start_from=upcoming["start_from"], start_to=upcoming["start_to"]) == 5


def test_filters_and_search_narrow_every_aggregate_as_the_finder_does(client, world, rows):
    params = {"search": "budget", "type": ["Meeting", "Call", "Visit"], "start_from": "2026-02-10",
              "start_to": "2026-03-20"}
    answer = get(client, world, **params)
    lo, hi = datetime(2026, 2, 10, tzinfo=timezone.utc), datetime(2026, 3, 21, tzinfo=timezone.utc)
    kept = [r for r in rows if "budget" in r.title and r.type in params["type"] and lo <= r.start_datetime < hi]
    assert answer["total"] == len(kept) == finder_total(client, world, **params) > 0
    assert sum(c["count"] for c in answer["heatmap"]) == len(kept)
    assert {x["name"]: x["count"] for x in answer["leads"]} == dict(Counter(r.lead for r in kept))
    for period in answer["periods"]:  # a bar's link never reaches past the filter's own dates
        assert lo <= datetime.fromisoformat(period["start_from"]) < datetime.fromisoformat(period["start_to"]) < hi
        assert finder_total(client, world, **{**params, **period_window(period)}) == period["total"]


def test_every_chart_element_links_to_the_finder_with_exactly_its_records(client, world, rows):
    answer = get(client, world, interval="week")
    for period in answer["periods"]:
        assert finder_total(client, world, **period_window(period)) == period["total"], period["start"]
        for kind, count in period["counts"].items():
            assert finder_total(client, world, type=kind, start_from=period["start_from"],
                                start_to=period["start_to"]) == count, (period["start"], kind)
    for cell in answer["heatmap"]:
        assert finder_total(client, world, weekday=cell["weekday"], hour=cell["hour"], tz=ZONE) == cell["count"]
    for location in answer["locations"]:
        assert finder_total(client, world, location_is=location["name"]) == location["count"]
    for lead in answer["leads"]:
        assert finder_total(client, world, lead_is=lead["name"]) == lead["count"]
    # what the exact filter is for: the substring filter's "Anna Berg" also finds "Anna Bergmann"
    [anna] = [lead for lead in answer["leads"] if lead["name"] == "Anna Berg"]
    assert finder_total(client, world, lead="Anna Berg") > anna["count"]


def test_a_busiest_bar_links_to_exactly_its_records_when_names_contain_one_another(client, world):
    """Ana / Anabel / Diana and their case and accent variants; Lab / Lab 2 / Collab; a namesake in another
    site. Each bar's count is the Finder's total, the export's rows and the bulk selection's count under the
    bar's link, and the insights of that link count the bar alone."""
    made = [("Ana", "Lab"), ("ána", "lab"), ("ANA", "Lab 2"), ("Anabel", "Lab 2"), ("Anabel", "Collab"),
            ("Diana", "Collab"), ("Diana", "Collab"), ("Diana", "")]
    for n, (lead, location) in enumerate(made):
        make_interaction(world.hq, world.editor, title=f"Namesake {n}", lead=lead, location=location,
                         start_datetime=datetime(2026, 3, 2 + n, 10, tzinfo=timezone.utc))
    make_interaction(world.field, world.field_editor, title="Namesake abroad", lead="Ana", location="Lab")
    answer = get(client, world)
    assert {x["name"].lower(): x["count"] for x in answer["leads"]} == {"ana": 3, "anabel": 2, "diana": 3}
    assert {x["name"].lower(): x["count"] for x in answer["locations"]} == {"lab": 2, "lab 2": 2, "collab": 3}
    headers = headers_for(world.editor, world.hq)
    for param, bars in (("lead_is", answer["leads"]), ("location_is", answer["locations"])):
        for bar in bars:
            link = {param: bar["name"]}
            assert finder_total(client, world, **link) == bar["count"], link
            exported = client.get("/api/interactions/export", query_string=link, headers=headers)
            assert exported.get_data(as_text=True).count("Namesake") == bar["count"], link
            selection = client.post("/api/bulk/selection", json={"query": link}, headers=headers).get_json()
            assert selection["total"] == bar["count"], link
            assert get(client, world, **link)["total"] == bar["count"], link
    assert finder_total(client, world, lead="Ana") == 8  # the substring link's: Ana, Anabel and Diana


def test_a_write_makes_the_cached_answer_stale(client, world, rows):
    headers = headers_for(world.editor, world.hq)
    first = client.get("/api/insights", query_string={"tz": ZONE}, headers=headers)
    again = client.get("/api/insights", query_string={"tz": ZONE}, headers=headers)
    assert (first.headers["X-Cache"], again.headers["X-Cache"]) == ("MISS", "HIT")
    assert client.post("/api/interactions", json=interaction_body(), headers=headers).status_code == 201
    after = client.get("/api/insights", query_string={"tz": ZONE}, headers=headers)
    assert after.headers["X-Cache"] == "MISS" and after.get_json()["total"] == first.get_json()["total"] + 1


def test_the_finder_and_insights_never_share_a_cache_entry(client, world, rows):
    headers = headers_for(world.editor, world.hq)
    assert client.get("/api/interactions", headers=headers).headers["X-Cache"] == "MISS"
    assert client.get("/api/insights", headers=headers).headers["X-Cache"] == "MISS"


@pytest.mark.parametrize("role", ["viewer", "editor", "admin"])
def test_every_member_role_may_read(client, world, rows, role):
    response = client.get("/api/insights", headers=headers_for(getattr(world, role), world.hq))
    assert response.status_code == 200 and response.get_json()["total"] == len(rows)


def test_another_sites_rows_never_count_and_its_insights_are_forbidden(client, world, rows):
    mine = client.get("/api/insights", query_string={"search": "field"}, headers=headers_for(world.admin, world.hq))
    assert mine.get_json()["total"] == 0
    assert client.get("/api/insights", headers=headers_for(world.viewer, world.field)).status_code == 403
    assert client.get("/api/insights").status_code == 401


@pytest.mark.parametrize("params, field", [({"tz": "Mars/Olympus"}, "tz"), ({"interval": "day"}, "interval"),
                                           ({"top": "0"}, "top"), ({"weekday": "8"}, "weekday"),
                                           ({"hour": "24"}, "hour"), ({"page": "2"}, "page"),
                                           ({"lead_is": "x" * 101}, "lead_is"),
                                           ({"location_is": "x" * 201}, "location_is")])
def test_bad_input_is_a_400_in_the_envelope(client, world, params, field):
    response = client.get("/api/insights", query_string=params, headers=headers_for(world.viewer, world.hq))
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] and error["message"] and field in str(error["details"])
