"""One unit of work per use case: the use case's function commits once, when it returns.

    @transaction
    def create(site_id, principal, data) -> dict:
        ...                      # add, flush, audit, bump the site's generation
        return fetch_one(...)    # the answer is built before the commit

The commit is the last thing that can fail: a write either committed and answers, or did not and
raises, so a client that retries after an error never duplicates a record. (With a read replica the
writer's WAL position is noted after the commit, by `read_your_writes` on a connection of its own;
that never fails the use case.) Anything raised inside rolls the whole unit back. A use case called from another joins the caller's unit (only
the outermost commits), so `restore` can reuse `update` and still commit once.

A step that must be kept even when the use case then fails (a failed sign-in's count) is its own
unit of work: a separate `@transaction` function called before the use case raises.
"""
from __future__ import annotations

import functools
from typing import Callable, ParamSpec, TypeVar

from . import read_your_writes
from .extensions import db

P = ParamSpec("P")
R = TypeVar("R")

_DEPTH = "ims_unit_of_work_depth"


def transaction(use_case: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(use_case)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        session = db.session()
        depth = session.info.get(_DEPTH, 0)
        session.info[_DEPTH] = depth + 1
        try:
            result = use_case(*args, **kwargs)
            if depth == 0:
                session.commit()
                read_your_writes.note_commit()  # where the writer's next reads must have replayed to
            return result
        except BaseException:
            if depth == 0:
                session.rollback()
            raise
        finally:
            session.info[_DEPTH] = depth

    return run


def in_unit_of_work() -> bool:
    """True inside a `@transaction` use case (for helpers that must not commit on their own)."""
    return db.session().info.get(_DEPTH, 0) > 0
