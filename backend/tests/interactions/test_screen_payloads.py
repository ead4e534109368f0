"""What the SPA's screens read from the API beyond the Finder query's own rules."""
from datetime import datetime, timezone

from tests.builders import headers_for, make_interaction


def test_finder_rows_carry_description_and_notes_for_their_columns(client, world):
    make_interaction(world.hq, world.editor, title="Long texts", description="Agenda: budget and hiring",
                     notes="Minutes follow", start_datetime=datetime(2026, 4, 1, 9, tzinfo=timezone.utc))
    response = client.get("/api/interactions", query_string={"search": "Long texts"},
                          headers=headers_for(world.editor, world.hq))
    assert response.status_code == 200
    [item] = response.get_json()["items"]
    assert (item["description"], item["notes"]) == ("Agenda: budget and hiring", "Minutes follow")

