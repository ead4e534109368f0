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


@pytest.mark.parametrize("path", ["/api/site/members", "/api/site/invitations"])
def test_an_invitation_whose_answer_fails_is_neither_kept_nor_mailed(client, world, admin_headers, monkeypatch,
                                                                      path):
    field = "user" if path.endswith("members") else "email"
    monkeypatch.setattr(invitations, "invitation_dict", _fail)
    response = client.post(path, json={field: "dana@example.org", "role": "editor"}, headers=admin_headers)
    assert response.status_code == 500
    assert _count(Invitation) == 0
    assert _count(OutboxEmail) == 0
    assert _count(AuditEvent, action="invite") == 0


def test_a_demotion_whose_answer_fails_keeps_the_role_and_the_invitations(client, world, admin_headers,
                                                                          monkeypatch):
    second = make_user("second", {world.hq: "admin"})
    invited = client.post("/api/site/invitations", json={"email": "dana@example.org", "role": "editor"},
                          headers=headers_for(second, world.hq))
    assert invited.status_code == 201
    monkeypatch.setattr(members, "get_member", _fail)
    response = client.patch(f"/api/site/members/{second.id}", json={"role": "viewer"}, headers=admin_headers)
    assert response.status_code == 500
    assert _count(SiteMembership, user_id=second.id, role="admin") == 1
    assert _count(Invitation, revoked_at=None) == 1
    assert _count(AuditEvent, action="invite_revoke") == 0
