"""Bulk actions: resolve the selection (selected rows, or every record the Finder's own query matches),
record the job, run it inline when small or in the background when large, report, and undo a delete.

The conflict rule: a selected row carries the version it was selected at; "all matching" carries the
`as_of` the server gave when the selection was made (POST /api/bulk/selection), and a record written
after it (`updated_at > as_of`, both from the API's clock) is left alone. Either way the check is made on
the locked row, batch by batch, so an edit made at any moment before the batch reaches the record is
reported and kept, never overwritten.

A job whose process ended half-way (a deploy, an OOM kill) stays `running` with a heartbeat that no longer
moves; after `background.STALE_SECONDS` of silence it is reported stalled. A resume takes it up again, as it does a job
that failed: the records it has not reached, each once, with the same check and, for "all matching", the
same query (read again from the parameters the action was sent).
"""
from __future__ import annotations

import json

import sqlalchemy as sa
from marshmallow import ValidationError

from .. import background
from ..auth.principal import Principal
from ..errors import Conflict, Forbidden, UnprocessableEntity, get_or_404
from ..extensions import db
from ..interactions import freshness, queries
from ..interactions.models import Interaction
from ..interactions.queries import FinderQuery
from ..timeutil import iso_z, utcnow
from ..unit_of_work import transaction
from . import runner
from .models import BulkItem, BulkJob
from .schemas import LISTED_CONFLICTS, MAX_RECORDS, SYNC_LIMIT, SelectionQuerySchema

NO_JOB = "No such bulk action in this site."
NO_QUERY = ("This action cannot be resumed: the Finder query it was started with is not kept. "
            "Select the records again and run a new action.")


def _criteria(query: FinderQuery) -> dict:
    """The query as the audit event records it: the Finder's filters without the sort, plain JSON."""
    return json.loads(json.dumps({k: v for k, v in query.filters().items() if k != "sort"}, default=str))


def _matching_ids(site_id: int, query: FinderQuery, limit: int) -> list[int]:
    """The ids of the records the Finder's query matches, by the Finder's own filters, at most `limit`."""
    freshness.refresh_site(site_id)
    select = queries.apply_filters(queries.in_site(site_id, Interaction.id), query)
    return db.session.execute(select.order_by(Interaction.id).limit(limit)).scalars().all()


@transaction
def selection(site_id: int, query: FinderQuery) -> dict:
    """How many records "all matching" means now, and the moment to send back with the action."""
    as_of = utcnow()
    total = len(_matching_ids(site_id, query, MAX_RECORDS + 1))
    return {"total": total, "over_limit": total > MAX_RECORDS, "limit": MAX_RECORDS, "as_of": iso_z(as_of)}


@transaction
def _create(site_id: int, user_id: int, data: dict) -> int:
    if "query" in data:
        ids = _matching_ids(site_id, data["query"], MAX_RECORDS + 1)
        targets = [[i, None] for i in ids]
        criteria = {"query": _criteria(data["query"]), "as_of": iso_z(data["as_of"])}
    else:
        versions = {row["id"]: row["version"] for row in data["ids"]}
        targets = [[i, versions[i]] for i in sorted(versions)]
        criteria = {"selected_rows": len(targets)}
    if len(targets) > MAX_RECORDS:
        raise UnprocessableEntity(f"One action reaches at most {MAX_RECORDS:,} records: narrow the search.",
                                  details={"query": [f"More than {MAX_RECORDS:,} records match."]})
    job = BulkJob(site_id=site_id, user_id=user_id, action=data["action"], changes=data.get("changes", {}),
                  criteria=criteria, targets=targets, as_of=data.get("as_of"), query_params=data.get("query_params"),
                  total=len(targets))
    db.session.add(job)
    db.session.flush()
    return job.id


def _go(site_id: int, user_id: int, job_id: int, total: int, query: FinderQuery | None,
        role: str | None = None) -> tuple[dict, int]:
    """Run the job's `total` records still to do: inline up to SYNC_LIMIT (200 and the report), else in the
    background (202 at once). The report is the one `user_id` (with `role`) reads."""
    if total <= SYNC_LIMIT:
        runner.run(job_id, query)
        return report(site_id, job_id, user_id, role), 200
    # on the person's behalf: their next reads wait for a replica that has replayed these writes
    background.start("bulk", runner.run, job_id, query, on_behalf_of=user_id)
    return report(site_id, job_id, user_id, role), 202


def start(site_id: int, principal: Principal, data: dict) -> tuple[dict, int]:
    """Record the job, then run it: the report when done (small), or at once with status running (large)."""
    job_id = _create(site_id, principal.user_id, data)
    return _go(site_id, principal.user_id, job_id, len(data["ids"]) if "ids" in data else _total(job_id),
               data.get("query"))


@transaction
def _total(job_id: int) -> int:
    return db.session.get(BulkJob, job_id).total


def _job(site_id: int, job_id: int, *, lock: bool = False) -> BulkJob:
    select = sa.select(BulkJob).where(BulkJob.site_id == site_id, BulkJob.id == job_id)
    return get_or_404(db.session.execute(select.with_for_update() if lock else select).scalar_one_or_none(), NO_JOB)


def _left_alone(site_id: int, job_id: int) -> list[dict]:
    rows = db.session.execute(
        sa.select(BulkItem.interaction_id, Interaction.title)
        .outerjoin(Interaction, sa.and_(Interaction.site_id == site_id, Interaction.id == BulkItem.interaction_id))
        .where(BulkItem.job_id == job_id, BulkItem.outcome == "conflict")
        .order_by(BulkItem.interaction_id).limit(LISTED_CONFLICTS)).all()
    return [{"id": row.interaction_id, "title": row.title} for row in rows]


def _stalled(job: BulkJob) -> bool:
    """Running, but silent (its last batch's count, or its start; a job without a heartbeat, from before
    there was one, by its creation): its process ended."""
    return job.status == "running" and background.stopped_since(job.heartbeat_at or job.created_at)


def _keeps_its_query(job: BulkJob) -> bool:
    """Whether a resume can re-apply the job's selection: selected rows and an undo need no query; "all
    matching" (an `as_of`) needs the Finder parameters it was sent."""
    return job.as_of is None or job.query_params is not None


def _may_act(job: BulkJob, user_id: int | None, role: str | None) -> bool:
    """Who may undo or resume a job: the person who started it, and the site's admins."""
    return role == "admin" or job.user_id == user_id


@transaction
def report(site_id: int, job_id: int, user_id: int | None = None, role: str | None = None) -> dict:
    """A job's progress and report as `user_id` (with `role` in the site) reads it: Undo and Resume are
    offered to those who may use them."""
    job = _job(site_id, job_id)
    stalled = _stalled(job)
    may_act = _may_act(job, user_id, role)
    return {
        "id": job.id, "action": job.action, "status": job.status, "changes": job.changes, "criteria": job.criteria,
        **{name: getattr(job, name) for name in ("total", "processed", "changed", "unchanged", "conflicts", "failed",
                                                  "undo_of", "undone_by")},
        "left_alone": _left_alone(site_id, job.id),
        "can_undo": may_act and job.action == "delete" and job.status == "done" and job.undone_by is None
        and job.changed > 0,
        "stalled": stalled,
        "can_resume": may_act and (stalled or job.status == "failed") and _keeps_its_query(job),
        "created_at": iso_z(job.created_at), "finished_at": iso_z(job.finished_at),
    }


@transaction
def _create_undo(site_id: int, principal: Principal, role: str, job_id: int) -> tuple[int, int]:
    """The undo's own job, over exactly the records the delete moved; the delete is marked undone under
    its row lock, so two Undos at once make one job."""
    source = _job(site_id, job_id, lock=True)
    if source.action != "delete":
        raise Conflict("Only a bulk delete can be undone.")
    if not _may_act(source, principal.user_id, role):
        raise Forbidden("Only administrators can undo what someone else deleted.")
    if source.status != "done":
        raise Conflict("This delete is still running; undo it when it is done.")
    if source.undone_by is not None:
        raise Conflict("This delete was already undone.")
    ids = db.session.execute(sa.select(BulkItem.interaction_id).where(
        BulkItem.job_id == source.id, BulkItem.outcome == "changed").order_by(BulkItem.interaction_id)).scalars().all()
    undo = BulkJob(site_id=site_id, user_id=principal.user_id, action="undo", changes={},
                   criteria={"undo_of": source.id}, targets=[[i, None] for i in ids], total=len(ids),
                   undo_of=source.id)
    db.session.add(undo)
    db.session.flush()
    source.undone_by = undo.id
    return undo.id, len(ids)


def undo(site_id: int, principal: Principal, role: str, job_id: int) -> tuple[dict, int]:
    """Put back exactly the records a bulk delete moved (editors: their own; admins: any), as one action."""
    undo_id, total = _create_undo(site_id, principal, role, job_id)
    return _go(site_id, principal.user_id, undo_id, total, None)


def _finder_query(job: BulkJob) -> FinderQuery | None:
    """The query an "all matching" job re-applies to each batch's locked rows, read again from the parameters
    it was sent (by the Finder's schema, as then); None for selected rows and an undo."""
    if job.as_of is None:
        return None
    if not _keeps_its_query(job):
        raise Conflict(NO_QUERY)
    try:
        return SelectionQuerySchema().load(job.query_params)
    except ValidationError as exc:  # the Finder's parameters changed since the job was started
        raise Conflict(NO_QUERY) from exc


@transaction
def _claim(site_id: int, principal: Principal, role: str, job_id: int) -> tuple[int, FinderQuery | None]:
    """Take a stopped job up again under its row lock: of two resumes at once, the second finds it running
    with a fresh heartbeat (409). The number of records left, and the query to re-apply."""
    job = _job(site_id, job_id, lock=True)
    if not _may_act(job, principal.user_id, role):
        raise Forbidden("Only administrators can resume what someone else started.")
    if job.status == "done":
        raise Conflict("This action is done: there is nothing left to resume.")
    if job.status == "running" and not _stalled(job):
        raise Conflict("This action is already running.")
    query = _finder_query(job)
    job.status, job.heartbeat_at, job.finished_at = "running", utcnow(), None
    return job.total - job.processed, query


def resume(site_id: int, principal: Principal, role: str, job_id: int) -> tuple[dict, int]:
    """Finish a bulk action that stopped half-way (editors: their own; admins: any): only the records it has
    not reached, each checked as the first run would have; one audit event for the whole action."""
    left, query = _claim(site_id, principal, role, job_id)
    return _go(site_id, principal.user_id, job_id, left, query, role)
