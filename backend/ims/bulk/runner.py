"""A bulk action's work, one batch of records per transaction: lock the batch's rows, leave alone the
ones changed since the selection, write the rest with a history event each, count, bump the site's
generation, commit. Two actions reaching the same record queue on its row lock (rows are locked in id
order, so they never deadlock); the second then sees the first's write and reports a conflict.

The same code runs inline for a small action and in the background (`ims/background.py`) for a large one,
and again for a job whose process ended half-way (a resume): it starts after the targets already counted,
and each batch, under the job's row lock, passes over any record the job already has an item for.
"""
from __future__ import annotations

import logging
from datetime import datetime

import sqlalchemy as sa

from .. import audit
from ..extensions import db
from ..interactions import queries, trash
from ..interactions.fields import EDITABLE_FIELDS
from ..interactions.models import Interaction
from ..interactions.queries import FinderQuery
from ..interactions.search_keys import derived_columns
from ..interactions.service import jsonable
from ..sites import generation
from ..timeutil import as_utc, utcnow
from ..unit_of_work import transaction
from .models import BulkItem, BulkJob

log = logging.getLogger(__name__)

BATCH_SIZE = 500
AUDIT_ACTIONS = {"change": "bulk_change", "delete": "bulk_delete", "undo": "bulk_undo"}


def _batch_note(job_id: int) -> dict:
    """What each record's own event carries: the audit log lists the action once, not per record."""
    return {"batch": {"kind": "bulk", "id": job_id}}


def _locked_rows(site_id: int, ids: list[int], query: FinderQuery | None) -> dict[int, object]:
    """The batch's rows that still exist (and still match the query), locked in id order; after waiting
    for a lock, PostgreSQL reads the row again and checks the filters on its newest version."""
    columns = (Interaction.id, Interaction.version, Interaction.updated_at,
               *(getattr(Interaction, name) for name in EDITABLE_FIELDS))
    select = queries.in_site(site_id, *columns).where(Interaction.id.in_(ids))
    if query is not None:
        select = queries.apply_filters(select, query)
    return {row.id: row for row in db.session.execute(select.order_by(Interaction.id).with_for_update())}


def _current(row, version: int | None, as_of: datetime | None) -> bool:
    """Whether the record is as it was when selected: the row's version, or not written after `as_of`."""
    if version is not None:
        return row.version == version
    return as_utc(row.updated_at) <= as_of


def _change(job: BulkJob, rows: list, outcomes: dict[int, str]) -> None:
    table = Interaction.__table__
    now, writes = utcnow(), []
    for row in rows:
        values = {name: getattr(row, name) for name in EDITABLE_FIELDS}
        changes = {name: {"from": jsonable(values[name]), "to": new}
                   for name, new in job.changes.items() if (values[name] or "") != new}
        if not changes:
            outcomes[row.id] = "unchanged"
            continue
        values.update({name: change["to"] for name, change in changes.items()})
        writes.append({"b_id": row.id, "b_version": row.version,
                       **{f"v_{name}": values[name] for name in job.changes}, **derived_columns(values)})
        audit.record("update", user_id=job.user_id, site_id=job.site_id, entity_type="interaction",
                     entity_id=row.id, changes={**changes, **_batch_note(job.id)})
        outcomes[row.id] = "changed"
    if writes:
        derived = [name for name in writes[0] if not name.startswith(("b_", "v_"))]
        statement = (sa.update(table)
                     .where(table.c.site_id == job.site_id, table.c.id == sa.bindparam("b_id"),
                            table.c.version == sa.bindparam("b_version"))
                     .values(**{name: sa.bindparam(f"v_{name}") for name in job.changes},
                             **{name: sa.bindparam(name) for name in derived},
                             updated_at=now, updated_by=job.user_id, version=table.c.version + 1))
        db.session.execute(statement, writes)  # the rows are locked: each statement matches its row


def _delete(job: BulkJob, rows: list, outcomes: dict[int, str]) -> None:
    now = utcnow()
    for row in rows:
        snapshot = {name: jsonable(getattr(row, name)) for name in EDITABLE_FIELDS}
        trash.move_to_deleted(job.site_id, row.id, job.user_id, now)
        audit.record("delete", user_id=job.user_id, site_id=job.site_id, entity_type="interaction",
                     entity_id=row.id, changes={**snapshot, **_batch_note(job.id)})
        outcomes[row.id] = "changed"


def _undo(job: BulkJob, ids: list[int], outcomes: dict[int, str]) -> None:
    """Put back what the undone action deleted and nobody has restored or purged since."""
    source = db.session.get(BulkJob, job.undo_of)
    bin_ = trash.deleted_interactions
    found = db.session.execute(
        sa.select(bin_.c.id).where(bin_.c.site_id == job.site_id, bin_.c.id.in_(ids),
                                   bin_.c.deleted_by == source.user_id, bin_.c.deleted_at >= source.created_at)
        .order_by(bin_.c.id).with_for_update()).scalars().all()
    for interaction_id in found:
        trash.move_back(job.site_id, interaction_id)
        audit.record("undelete", user_id=job.user_id, site_id=job.site_id, entity_type="interaction",
                     entity_id=interaction_id, changes=_batch_note(job.id))
        outcomes[interaction_id] = "changed"


def _running(job_id: int) -> BulkJob | None:
    """The job under its row lock, so its batches go one at a time whoever runs them; None once it ended
    (a resume finished it while a runner thought stopped was still going)."""
    job = db.session.get(BulkJob, job_id, with_for_update=True, populate_existing=True)
    return job if job.status == "running" else None


def _not_reached(job_id: int, targets: list) -> list:
    """The targets the job has no item for yet: a record is counted once, however often a batch is run."""
    reached = set(db.session.execute(sa.select(BulkItem.interaction_id).where(
        BulkItem.job_id == job_id, BulkItem.interaction_id.in_([target[0] for target in targets]))).scalars())
    return [target for target in targets if target[0] not in reached]


@transaction
def run_batch(job_id: int, targets: list, query: FinderQuery | None) -> None:
    job = _running(job_id)
    targets = _not_reached(job_id, targets) if job else []
    if not targets:
        return
    ids = [target[0] for target in targets]
    outcomes: dict[int, str] = {}
    if job.action == "undo":
        _undo(job, ids, outcomes)
    else:
        rows = _locked_rows(job.site_id, ids, query)
        current = [rows[i] for i, version in targets if i in rows and _current(rows[i], version, job.as_of)]
        (_change if job.action == "change" else _delete)(job, current, outcomes)
    for interaction_id in ids:
        outcomes.setdefault(interaction_id, "conflict")  # changed, deleted, or no longer matching
    _count(job, outcomes)
    if any(outcome == "changed" for outcome in outcomes.values()):
        generation.bump(job.site_id)


def _count(job: BulkJob, outcomes: dict[int, str]) -> None:
    """The batch's items and the job's counters, in the batch's transaction; the heartbeat with them."""
    job.heartbeat_at = utcnow()
    if not outcomes:
        return
    db.session.execute(sa.insert(BulkItem), [{"job_id": job.id, "interaction_id": i, "outcome": outcome}
                                             for i, outcome in outcomes.items()])
    tally = {name: sum(1 for outcome in outcomes.values() if outcome == name)
             for name in ("changed", "unchanged", "conflict", "failed")}
    job.processed += len(outcomes)
    job.changed += tally["changed"]
    job.unchanged += tally["unchanged"]
    job.conflicts += tally["conflict"]
    job.failed += tally["failed"]


@transaction
def _fail_batch(job_id: int, targets: list) -> None:
    job = _running(job_id)
    if job:
        _count(job, {target[0]: "failed" for target in _not_reached(job_id, targets)})


@transaction
def finish(job_id: int, status: str = "done") -> None:
    """The job's end and the site's one audit event for the whole action: once, however many runs it took."""
    job = _running(job_id)
    if job is None:
        return
    job.status, job.finished_at = status, utcnow()
    audit.record(AUDIT_ACTIONS[job.action], user_id=job.user_id, site_id=job.site_id, entity_type="bulk",
                 entity_id=job.id, changes={
                     "count": job.changed, "selected": job.total, "conflicts": job.conflicts, "failed": job.failed,
                     "criteria": job.criteria, "set": job.changes,
                     **({"undo_of": job.undo_of} if job.undo_of else {})})


@transaction
def _targets_left(job_id: int) -> list:
    """The targets after those counted (batches commit in the order of `targets`, each its items with the
    counters), and the heartbeat that says the job runs."""
    job = db.session.get(BulkJob, job_id)
    job.heartbeat_at = utcnow()
    return job.targets[job.processed:]


@transaction
def _stopped(job_id: int) -> None:
    job = _running(job_id)
    if job:
        job.status, job.finished_at = "failed", utcnow()


def run(job_id: int, query: FinderQuery | None = None) -> None:
    """Every batch of the job not done yet, then its end. A batch that fails is counted as failed and the
    rest go on; should the job itself fail past that, its row says so instead of running for ever (and a
    resume takes it up again)."""
    try:
        targets = _targets_left(job_id)
        for start in range(0, len(targets), BATCH_SIZE):
            batch = targets[start:start + BATCH_SIZE]
            try:
                run_batch(job_id, batch, query)
            except Exception:  # a database error in one batch: the batch rolled back, its records were not touched
                log.exception("bulk job %s: a batch failed", job_id)
                _fail_batch(job_id, batch)
        finish(job_id)
    except Exception:
        log.exception("bulk job %s stopped", job_id)
        _stopped(job_id)
        raise
