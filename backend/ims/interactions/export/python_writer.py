"""The portable CSV writer: rows read through SQLAlchemy and written by Python's csv module, for any
database (SQLite, the `make run` default); PostgreSQL has the faster copy_writer."""
from __future__ import annotations

import sqlalchemy as sa

from ... import csvfile
from ...extensions import db
from .columns import EXPORT_COLUMNS

BATCH = csvfile.BATCH  # rows per chunk
READ_BATCH = 1000  # rows per fetch from the server-side cursor


def cells(row) -> list:
    return [column.python_cell(row) for column in EXPORT_COLUMNS]


def chunks(select: sa.Select):
    """The records of every row of `select`, streamed from a server-side cursor and yielded in batches, so
    memory stays flat."""
    result = db.session.execute(select.execution_options(stream_results=True, yield_per=READ_BATCH))
    yield from csvfile.records(cells(row) for row in result)
