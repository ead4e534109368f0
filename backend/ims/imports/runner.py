"""The run of an import, in the background: the valid rows in batches, each batch its own transaction
(the records, their rows in import_rows, a create event each, the site's new generation, the progress),
so a run stopped half-way leaves whole batches in and a re-run passes over the rows already recorded."""
from __future__ import annotations

import logging

import sqlalchemy as sa

from .. import audit
from ..extensions import db
from ..sites import generation
from ..timeutil import utcnow
from ..unit_of_work import transaction
from . import parsing, rows, writer
from .models import Import, ImportRow

log = logging.getLogger(__name__)
ROW_CHUNK = 1000  # outcome rows per statement


def _load(site_id: int, import_id: int) -> Import:
    return db.session.execute(sa.select(Import).where(Import.site_id == site_id, Import.id == import_id)).scalar_one()


def run(site_id: int, import_id: int, user_id: int, batch_rows: int) -> None:
    try:
        _run(site_id, import_id, user_id, batch_rows)
    except Exception as exc:  # each step rolled its own transaction back
        log.exception("import %s stopped", import_id)
        _fail(site_id, import_id, exc)


def batch_marker(imp: Import) -> dict:
    """What each record's create event says of its origin; `batch` keeps it out of the audit log's list."""
    return {"source": "import", "import_id": imp.id, "filename": imp.filename,
            "batch": {"kind": "import", "id": imp.id}}


def _run(site_id: int, import_id: int, user_id: int, batch_rows: int) -> None:
    todo, left, total, marker = plan(site_id, import_id)
    for offset in range(0, len(todo), batch_rows):
        import_batch(site_id, import_id, user_id, marker, todo[offset:offset + batch_rows])
    finish(site_id, import_id, user_id, left, total)


@transaction
def plan(site_id: int, import_id: int) -> tuple[list[tuple[int, dict]], list[tuple[int, str | None]], int, dict]:
    """Every row checked once: those still to import as (row, stored) (valid, wanted (a duplicate only when
    duplicates are imported) and not recorded by an earlier run), the others not yet recorded as (row,
    reason; None for a duplicate skipped), the number of rows; the progress starts from what is in.
    Only these are kept for the run, not the file's cells."""
    imp = _load(site_id, import_id)
    table = parsing.read(imp.content, imp.filename, imp.sheet)
    checked = rows.check(table, imp.mapping, rows.column_orders(table, imp.mapping, imp.date_orders), imp.timezone,
                         shown=False)
    del table
    rows.mark_duplicates(site_id, checked)
    decided = dict(db.session.execute(sa.select(ImportRow.row, ImportRow.outcome)
                                      .where(ImportRow.import_id == import_id)).all())
    todo, left = [], []
    for row in checked:
        if row.row in decided:
            continue
        if row.stored and (not row.duplicate or imp.duplicates == "import"):
            todo.append((row.row, row.stored))
        else:
            left.append((row.row, rows.reason(row.errors) if row.errors else None))
    already = sum(1 for outcome in decided.values() if outcome == "imported")
    imp.progress_done, imp.progress_total, imp.heartbeat_at = already, already + len(todo), utcnow()
    return todo, left, len(checked), batch_marker(imp)


@transaction
def import_batch(site_id: int, import_id: int, user_id: int, marker: dict, batch: list[tuple[int, dict]]) -> None:
    """One batch, all or nothing: its records (derived columns computed as the model computes them), their
    rows, a create event each with the record's first version, a new generation, the progress."""
    now = utcnow()
    writer.write(site_id, import_id, user_id, marker, batch, now)
    generation.bump(site_id)
    db.session.execute(sa.update(Import).where(Import.site_id == site_id, Import.id == import_id)
                       .values(progress_done=Import.progress_done + len(batch), heartbeat_at=now))


@transaction
def finish(site_id: int, import_id: int, user_id: int, left: list[tuple[int, str | None]], total: int) -> None:
    """The rows not imported (invalid: failed with the reason; duplicates skipped), the counts, the one
    site-level event of the import."""
    imp = db.session.execute(sa.select(Import).where(Import.site_id == site_id, Import.id == import_id)
                             .with_for_update()).scalar_one()
    decided = set(db.session.execute(sa.select(ImportRow.row).where(ImportRow.import_id == import_id)).scalars())
    outcomes = [{"import_id": import_id, "row": number, "interaction_id": None,
                 "outcome": "failed" if reason else "skipped",
                 "reason": reason or "A duplicate of an existing record or row."}
                for number, reason in left if number not in decided]
    for offset in range(0, len(outcomes), ROW_CHUNK):
        db.session.execute(sa.insert(ImportRow.__table__), outcomes[offset:offset + ROW_CHUNK])
    tally = dict(db.session.execute(sa.select(ImportRow.outcome, sa.func.count()).where(
        ImportRow.import_id == import_id).group_by(ImportRow.outcome)).all())
    result = {"imported": tally.get("imported", 0), "skipped": tally.get("skipped", 0),
              "failed": tally.get("failed", 0)}
    imp.counts = {**(imp.counts or {}), **result}
    imp.status, imp.finished_at, imp.error = "done", utcnow(), None
    imp.progress_done = imp.progress_total = result["imported"]
    audit.record("import", user_id=user_id, site_id=site_id, entity_type="import", entity_id=import_id,
                 changes={"filename": imp.filename, "rows": total, **result})


@transaction
def _fail(site_id: int, import_id: int, exc: Exception) -> None:
    imp = _load(site_id, import_id)
    imp.status = "failed"
    imp.error = (f"The import stopped after {imp.progress_done:,} of {imp.progress_total:,} rows "
                 f"({type(exc).__name__}); the rows imported so far are kept: run it again to import the rest.")
