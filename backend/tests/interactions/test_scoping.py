"""Site isolation checked on the SQL the API sends: during every test, a statement on `interactions` or
`deleted_interactions` sent while serving a request must bind the request's site (tests/sql_scoping.py,
installed for every test by conftest.py). These tests show that check refusing what it must refuse."""
from __future__ import annotations

from types import SimpleNamespace

import sqlalchemy as sa
from flask import g
from sqlalchemy.dialects import postgresql, sqlite

from ims.extensions import db
from ims.interactions import queries
from ims.interactions.trash import deleted_interactions
from ims.interactions.export import copy_writer
from ims.interactions.fields import INTERACTION_TYPES
from ims.interactions.models import Interaction
from ims.interactions.schemas import ExportQuerySchema
from tests.sql_scoping import check

TABLE = Interaction.__table__


def _sent(statement, dialect=postgresql.psycopg2.dialect()) -> tuple[str, object]:
    compiled = statement.compile(dialect=dialect)
    if dialect.paramstyle == "qmark":
        return str(compiled), tuple(compiled.params[name] for name in compiled.positiontup)
    return str(compiled), compiled.params


def test_a_statement_by_id_alone_is_refused():
    problem = check(*_sent(sa.select(TABLE).where(TABLE.c.id == 5)), site_id=7)
    assert problem == "no predicate binding site_id to 7 for ['interactions']"
    assert check(*_sent(sa.update(deleted_interactions).where(deleted_interactions.c.id == 5).values(title="x")),
                 site_id=7) == "no predicate binding site_id to 7 for ['deleted_interactions']"


def test_a_predicate_bound_to_another_site_is_refused():
    assert check(*_sent(sa.select(TABLE).where(TABLE.c.site_id == 8, TABLE.c.id == 5)), site_id=7)
    assert check(*_sent(sa.select(TABLE).where(TABLE.c.site_id == 8), sqlite.dialect()), site_id=7)
    inserted = sa.insert(TABLE).values(site_id=8, title="x")
    assert check(*_sent(inserted), site_id=7) == "no predicate binding site_id to 7 for ['interactions']"


def test_a_statement_outside_a_site_is_refused():
    assert check(*_sent(sa.select(sa.func.count()).select_from(TABLE)), site_id=None) == (
        "touches ['interactions'] while serving a request that entered no site")


def test_statements_bound_to_the_site_pass():
    assert check(*_sent(sa.select(TABLE).where(TABLE.c.site_id == 7, TABLE.c.id == 5)), site_id=7) is None
    assert check(*_sent(sa.select(TABLE.c.id).where(TABLE.c.site_id == 7), sqlite.dialect()), site_id=7) is None
    assert check(*_sent(sa.insert(TABLE).values(site_id=7, title="x")), site_id=7) is None
    moved = sa.insert(deleted_interactions).from_select(
        ["id", "site_id"], sa.select(TABLE.c.id, TABLE.c.site_id).where(TABLE.c.site_id == 7, TABLE.c.id == 5))
    assert check(*_sent(moved), site_id=7) is None
    assert check(*_sent(sa.select(sa.func.count()).select_from(sa.table("users"))), site_id=None) is None


def test_a_request_that_sends_an_unscoped_statement_fails_its_test(app, _site_scoped_sql):
    with app.test_request_context("/api/interactions"):
        g.site = SimpleNamespace(site_id=7)
        db.session.execute(sa.select(TABLE.c.id).where(TABLE.c.site_id == 7))
        assert _site_scoped_sql.unscoped == []
        db.session.execute(sa.select(TABLE.c.id).where(TABLE.c.id == 5))
    assert len(_site_scoped_sql.unscoped) == 1
    assert _site_scoped_sql.unscoped[0].startswith("no predicate binding site_id to 7 for ['interactions']")
    _site_scoped_sql.unscoped.clear()  # seen: this test's own statement must not fail it


def test_statements_outside_a_request_are_not_the_apis(app, _site_scoped_sql):
    """Fixtures, migrations and the purge job work across sites on purpose; only requests are checked."""
    db.session.execute(sa.select(TABLE.c.id).where(TABLE.c.id == 5))
    assert _site_scoped_sql.unscoped == []


def test_the_exports_copy_statement_is_bound_to_the_site(app):
    """COPY runs on the raw connection, out of the watch's sight: its statement is checked here, with
    every filter given."""
    query = ExportQuerySchema().load({"search": "budget review", "type": [INTERACTION_TYPES[0]], "lead": "ana",
                                      "location": "hall", "title": "q", "start_from": "2026-01-01",
                                      "start_to": "2026-12-31", "sort": "title,-lead"})
    select = copy_writer.cells_select(queries.matching(7, query))
    compiled = select.compile(dialect=postgresql.psycopg2.dialect(), compile_kwargs={"render_postcompile": True})
    assert check(str(compiled), compiled.params, site_id=7) is None
    assert check(str(compiled), compiled.params, site_id=8) == "no predicate binding site_id to 8 for ['interactions']"
