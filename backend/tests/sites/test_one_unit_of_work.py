"""A site administration write answers from inside its unit of work: when building the answer
fails, nothing was committed (nor mailed), so a client that retries never doubles the write."""
from __future__ import annotations

import pytest

from ims.audit import AuditEvent
from ims.extensions import db
from ims.notifications.outbox import OutboxEmail
from ims.sites import invitations, members
from ims.sites.models import Invitation, SiteMembership
from tests.builders import headers_for, make_user


def _fail(*_args, **_kwargs):
    raise RuntimeError("the answer could not be built")


def _count(model, **where) -> int:
    db.session.rollback()  # a fresh transaction sees what the request committed
    return db.session.execute(db.select(db.func.count()).select_from(model).filter_by(**where)).scalar_one()


@pytest.fixture
def admin_headers(world):
    return headers_for(world.admin, world.hq)


def test_a_member_whose_answer_fails_is_not_added(client, world, admin_headers, monkeypatch):
    newbie = make_user("newbie", {})
    monkeypatch.setattr(members, "get_member", _fail)
    response = client.post("/api/site/members", json={"user": "newbie", "role": "editor"}, headers=admin_headers)
    assert response.status_code == 500
    assert _count(SiteMembership, user_id=newbie.id) == 0
    assert _count(AuditEvent, action="member_add") == 0


def test_an_invitation_whose_answer_fails_is_neither_kept_nor_mailed(client, world, admin_headers, monkeypatch):
    monkeypatch.setattr(invitations, "invitation_dict", _fail)
    response = client.post("/api/site/invitations", json={"email": "dana@example.org", "role": "editor"},
                           headers=admin_headers)
    assert response.status_code == 500
    assert _count(Invitation) == 0
    assert _count(OutboxEmail) == 0
    assert _count(AuditEvent, action="invite") == 0
