"""The Finder's query parameters load into one named, frozen type that every query function reads."""
from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timezone

import pytest

from ims.interactions.queries import FinderQuery, SortKey, TimeBound
from ims.interactions.schemas import ExportQuerySchema, FinderQuerySchema


def test_the_finder_schema_loads_a_frozen_query():
    query = FinderQuerySchema().load({"search": "budget", "type": ["Visit", "Call"], "lead": "ana",
                                      "start_from": "2026-03-01", "start_to": "2026-03-01",
                                      "sort": "-title,lead", "page": "2", "page_size": "50"})
    midnight = datetime(2026, 3, 1, tzinfo=timezone.utc)
    assert query == FinderQuery(search="budget", filter_values={
                                    "type": ("Visit", "Call"), "lead": "ana", "start_from": TimeBound(midnight, False),
                                    "start_to": TimeBound(datetime(2026, 3, 2, tzinfo=timezone.utc), True)},
                                sort=(SortKey("title", True), SortKey("lead", False)), page=2, page_size=50)
    with pytest.raises(dataclasses.FrozenInstanceError):
        query.page = 3  # type: ignore[misc]
    assert hash(query) == hash(dataclasses.replace(query))


def test_defaults_and_an_export_query_without_paging():
    assert FinderQuerySchema().load({}) == FinderQuery() == ExportQuerySchema().load({})
    assert FinderQuery().sort == (SortKey("start_datetime", True),) and FinderQuery().page_size == 25


def test_filters_name_what_was_asked_as_the_api_does():
    query = ExportQuerySchema().load({"search": "budget", "type": ["Call"], "start_from": "2026-03-01"})
    assert json.loads(json.dumps(query.filters(), default=str)) == {
        "search": "budget", "type": ["Call"], "start_from": ["2026-03-01 00:00:00+00:00", False],
        "sort": [["start_datetime", True]]}
