"""CSV export of a Finder query: streamed, spreadsheet-friendly and safe to open.

One ordered column list (columns) feeds two writers that write the same bytes: PostgreSQL's COPY
(copy_writer) and Python's csv module (python_writer, for SQLite). `stream` picks one by dialect."""
from __future__ import annotations

import itertools
import re
from typing import Callable, Iterator, NamedTuple

from flask import current_app

from ... import csvfile, read_replica, user_limits
from ...extensions import db
from ...timeutil import utcnow
from .. import queries
from . import copy_writer, python_writer
from .columns import COLUMNS, EXPORT_COLUMNS
from .trail import RowCounter, audited

__all__ = ["COLUMNS", "EXPORT_COLUMNS", "Download", "RowCounter", "audited", "download", "filename_for", "header",
           "stream"]


class Download(NamedTuple):
    chunks: Iterator[bytes]
    filename: str
    release: Callable[[], None]  # gives the user's export slot back; safe to call more than once


def download(site_id: int, site_name: str, user_id: int, query: queries.FinderQuery) -> Download:
    """The audited CSV file of a Finder query, within the user's share of concurrent exports. The
    share is given back when the last chunk has been sent, or by `release` when the client goes first
    (even before the body starts)."""
    slot = user_limits.acquire("export", user_id, current_app.config["EXPORT_CONCURRENT_PER_USER"],
                               "You have exports running already; wait for one to finish.")
    try:
        rows, _ = read_replica.read(user_id, lambda: stream(site_id, query))
        chunks = audited(rows, user_id=user_id, site_id=site_id, query=query.filters())
    except BaseException:
        slot.release()
        raise
    return Download(user_limits.released_after(chunks, slot), filename_for(site_name), slot.release)


def header() -> bytes:
    """The file's start: a byte-order mark, then the header record."""
    return csvfile.header(COLUMNS)


def stream(site_id: int, query):
    """The CSV file of every row of the site matching `query`, in its sort order, as an iterator of
    byte chunks. The statement is built now (a bad query fails before the response starts); rows are
    read as the chunks are taken, on the read replica when `read_replica.read` chose it for this one."""
    select = queries.matching(site_id, query)
    if db.session.get_bind().dialect.name != "postgresql":
        return itertools.chain([header()], python_writer.chunks(select))
    return itertools.chain([header()], copy_writer.chunks(select, read_replica.routed()))


def filename_for(site_name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", site_name.lower()).strip("-") or "site"
    return f"interactions-{slug}-{utcnow().date().isoformat()}.csv"
