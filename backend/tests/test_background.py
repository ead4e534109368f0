"""Background work: it runs with the app's context and its own session, a failure stays in the
thread, and waiting for idle sees every piece still running."""
from __future__ import annotations

import threading

import sqlalchemy as sa
from flask import current_app

from ims import background
from ims.extensions import db
from ims.sites.models import Site


def test_work_runs_in_the_apps_context_and_writes_through_its_own_session(app):
    seen = {}

    def work(name: str) -> None:
        seen["app"] = current_app.name
        db.session.add(Site(name=name))
        db.session.commit()

    with app.test_request_context():
        background.start("test", work, "made in the background")
    assert background.wait_idle(10)
    assert seen["app"] == app.name
    with app.app_context():
        assert db.session.execute(sa.select(Site.name)).scalars().all() == ["made in the background"]


def test_a_failure_stays_in_its_thread_and_later_work_still_runs(app):
    ran = []

    def failing() -> None:
        raise RuntimeError("the work failed")

    with app.test_request_context():
        background.start("failing", failing)
        background.start("after", lambda: ran.append(True))
    assert background.wait_idle(10)
    assert ran == [True]


def test_waiting_for_idle_waits_for_work_still_running(app):
    release = threading.Event()
    with app.test_request_context():
        background.start("slow", release.wait, 10)
    assert background.wait_idle(0.2) is False
    release.set()
    assert background.wait_idle(10) is True


def test_work_started_for_a_person_writes_as_that_person_and_other_work_as_nobody(app):
    """Its commits are then noted for that person's reads (read_your_writes, drilled with a replica in
    test_read_replica); work started without one is nobody's, even when a request started it."""
    from ims import read_your_writes

    seen = {}

    def work(label: str) -> None:
        seen[label] = read_your_writes.writer()

    with app.test_request_context():
        background.start("for-someone", work, "for someone", on_behalf_of=42)
        background.start("for-nobody", work, "for nobody")
    assert background.wait_idle(10)
    assert seen == {"for someone": 42, "for nobody": None}
