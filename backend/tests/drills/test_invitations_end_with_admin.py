"""An admin's pending invitations outlive their rights: an admin about to be demoted, removed or
deactivated sends invitations (to themselves at another address, or to a friend, as admin), and the
links still work afterwards, so the removed admin comes back. Their pending invitations must end with
their rights, in the same unit of work, even when the invitation and the demotion arrive together."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from ims.audit import AuditEvent
from ims.auth.models import User
from ims.extensions import db
from ims.sites.models import Invitation, SiteMembership
from tests.builders import PASSWORD, headers_for, mails_to, make_user, text_of
from tests.servers import ServedApp, requests_released_together

MEMBERS = "/api/site/members"
INVITATIONS = "/api/site/invitations"
ROUNDS = 4
TAKE_RIGHTS = {  # how the other admin ends the inviter's rights at headquarters
    "demoted": ("patch", "", {"role": "editor"}),
    "removed": ("delete", "", None),
    "deactivated": ("post", "/deactivate", None),
}


def invite(client, admin, site, email: str, sendgrid) -> str:
    sent = client.post(INVITATIONS, json={"email": email, "role": "admin"}, headers=headers_for(admin, site))
    assert sent.status_code == 201, sent.get_json()
    return text_of(mails_to(sendgrid, email)[-1]).split("#token=")[1].split()[0]


@pytest.mark.parametrize("how", TAKE_RIGHTS)
def test_an_admins_links_stop_working_when_their_rights_end(client, world, sendgrid, how, figures):
    inviter = make_user("inviter", {world.hq: "admin", world.field: "admin"})
    here = invite(client, inviter, world.hq, "comeback@example.org", sendgrid)
    elsewhere = invite(client, inviter, world.field, "friend@example.org", sendgrid)
    method, suffix, body = TAKE_RIGHTS[how]
    ended = getattr(client, method)(f"{MEMBERS}/{inviter.id}{suffix}", json=body,
                                    headers=headers_for(world.admin, world.hq))
    assert ended.status_code < 300, ended.get_json()
    lookup = client.post("/api/invitations/lookup", json={"token": here})
    accept = client.post("/api/invitations/accept", json={"token": here, "username": "comeback",
                                                           "display_name": "Back", "password": PASSWORD})
    assert lookup.status_code == accept.status_code == 400, (lookup.get_json(), accept.get_json())
    # Deactivation ends the account everywhere; a demotion or removal only where it happened.
    other_site = client.post("/api/invitations/lookup", json={"token": elsewhere}).status_code
    assert other_site == (400 if how == "deactivated" else 200)
    db.session.rollback()
    revoked = db.session.execute(sa.select(AuditEvent).filter_by(action="invite_revoke")).scalars().all()
    assert {(e.site_id, e.user_id, e.changes["reason"]) for e in revoked} >= {
        (world.hq.id, world.admin.id, "inviter_lost_admin")}
    assert db.session.execute(sa.select(User).filter_by(username="comeback")).first() is None
    figures.update(how=how, lookup=lookup.status_code, accept=accept.status_code, other_site=other_site)


def pending_from_non_admins(site_id: int) -> int:
    """Pending invitations of the site whose sender is no longer one of its active admins."""
    db.session.remove()
    admins = (sa.select(SiteMembership.user_id).join(User, User.id == SiteMembership.user_id)
              .where(SiteMembership.site_id == site_id, SiteMembership.role == "admin", User.is_active.is_(True)))
    count = db.session.execute(sa.select(sa.func.count()).select_from(Invitation).where(
        Invitation.site_id == site_id, Invitation.pending(), Invitation.invited_by.not_in(admins))).scalar_one()
    db.session.remove()
    return count


def test_an_invitation_sent_as_the_rights_end_does_not_outlive_them(app, world, figures):
    outcomes = []
    with ServedApp(app) as server:
        for n in range(ROUNDS):
            inviter = make_user(f"inviter{n}", {world.hq: "admin"})
            comeback = {"email": f"back{n}@example.org", "role": "admin"}
            answers = requests_released_together(server.url, [
                ("POST", INVITATIONS, headers_for(inviter, world.hq), comeback),
                ("PATCH", f"{MEMBERS}/{inviter.id}", headers_for(world.admin, world.hq), {"role": "viewer"}),
            ])
            outcomes.append([a.status_code for a in answers])
            assert answers[1].status_code == 200, answers[1].text[:200]
            assert answers[0].status_code in (201, 403), answers[0].text[:200]
            assert pending_from_non_admins(world.hq.id) == 0, (n, outcomes[-1])
    figures.update(rounds=ROUNDS, invite_then_demote=outcomes)
