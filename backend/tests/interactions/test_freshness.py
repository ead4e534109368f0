"""Derived columns right whoever writes: the database marks a row written without this release's keys
stale, and the Finder computes it again before reading its site (the previous release's own API
on this schema: test_expand_contract.py)."""
from __future__ import annotations

import psycopg2

from ims.extensions import db
from ims.interactions import freshness
from ims.interactions.search_keys import derived_columns
from tests.builders import make_interaction


def digest_of(interaction_id: int):
    return db.session.execute(db.text("SELECT keys_digest FROM interactions WHERE id = :id"),
                              {"id": interaction_id}).scalar_one()


def test_only_writes_without_fresh_keys_are_marked_stale(world):
    row = make_interaction(world.hq, world.editor, title="Réunion à Málaga", lead="Zoë Ødegård",
                           location="Straße 1", notes="ﬁnal ²")
    assert digest_of(row.id) is not None  # the app's digest and the trigger's agree, accents and all
    db.session.execute(db.text("UPDATE interactions SET start_datetime = start_datetime + interval '1 hour' "
                               "WHERE id = :id"), {"id": row.id})
    assert digest_of(row.id) is not None  # no source field changed: the keys still hold
    db.session.execute(db.text("UPDATE interactions SET lead = 'Émile' WHERE id = :id"), {"id": row.id})
    assert digest_of(row.id) is None  # what a release that computes no keys does
    db.session.commit()

    assert freshness.refresh_site(world.hq.id) == 1
    refreshed = db.session.execute(db.text("SELECT lead_key, keys_digest, version FROM interactions WHERE id = :id"),
                                   {"id": row.id}).one()
    assert refreshed.lead_key == "emile" and refreshed.keys_digest is not None
    assert refreshed.version == 1  # no one's edit: the optimistic lock is untouched
    assert freshness.refresh_site(world.hq.id) == 0


def test_a_row_changed_while_it_is_refreshed_stays_stale(world, database_url, monkeypatch):
    row = make_interaction(world.hq, world.editor, lead="Ana")
    db.session.execute(db.text("UPDATE interactions SET lead = 'Ána' WHERE id = :id"), {"id": row.id})
    db.session.commit()

    def computed_then_overtaken(values):
        # the previous release writes the row after its fields were read for the refresh
        with psycopg2.connect(database_url) as other, other.cursor() as cursor:
            cursor.execute("UPDATE interactions SET lead = 'Bruno' WHERE id = %s", (row.id,))
        other.close()
        return derived_columns(values)

    monkeypatch.setattr(freshness, "derived_columns", computed_then_overtaken)
    assert freshness.refresh_site(world.hq.id) == 1
    assert digest_of(row.id) is None  # keys of "Ána" do not pass for "Bruno": still stale
    monkeypatch.undo()
    freshness.refresh_site(world.hq.id)
    assert db.session.execute(db.text("SELECT lead_key FROM interactions WHERE id = :id"),
                              {"id": row.id}).scalar_one() == "bruno"
