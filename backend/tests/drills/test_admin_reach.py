"""Any admin reaches any account: the admin of a site of their own tries every address in the system,
enrols the people it finds without their consent, then uses the powers over their whole account
(read their sign-in trail with its addresses, clear their lockout, send them reset links) without a
trace in the sites those people really belong to. An admin must reach only what they answer for."""
from __future__ import annotations

import pytest

from ims.extensions import db
from ims.notifications.outbox import OutboxEmail
from ims.sites.models import SiteMembership
from tests.builders import headers_for, login, mails_to, make_site, make_user

MEMBERS = "/api/site/members"
AUDIT = "/api/site/audit"


@pytest.fixture
def rogue(world):
    """The admin of a small site of their own; the victim is an editor at headquarters."""
    world.rogue_site = make_site("Rogue Office")
    world.rogue = make_user("rogue", {world.rogue_site: "admin"})
    world.h = headers_for(world.rogue, world.rogue_site)
    world.victim = make_user("victim", {world.hq: "editor"}, email="victim@example.com")
    return world


def memberships_of(user_id: int) -> set[int]:
    db.session.rollback()  # a fresh transaction sees what the requests committed
    return set(db.session.execute(db.select(SiteMembership.site_id).filter_by(user_id=user_id)).scalars())


def subjects_mailed_to(address: str) -> list[str]:
    db.session.rollback()
    return list(db.session.execute(db.select(OutboxEmail.subject).filter_by(recipient=address)).scalars())


def shape(answer) -> tuple:
    """What an answer tells apart: status, keys, and every value but the invitation's own id, address and times."""
    body = answer.get_json()
    return answer.status_code, sorted(body), body.get("role"), body.get("invited_by")


def test_adding_an_account_only_invites_it_and_answers_as_for_an_unknown_address(client, rogue, sendgrid, figures):
    known = client.post(MEMBERS, json={"user": "victim@example.com", "role": "viewer"}, headers=rogue.h)
    unknown = client.post(MEMBERS, json={"user": "nobody-here@example.com", "role": "viewer"}, headers=rogue.h)
    assert memberships_of(rogue.victim.id) == {rogue.hq.id}  # not enrolled without consent
    assert known.status_code == 202 and shape(known) == shape(unknown)
    assert "user_id" not in known.get_json() and "Victim" not in known.get_data(as_text=True)
    [mail] = mails_to(sendgrid, "victim@example.com")
    assert "Rogue Office" in mail["subject"]  # the person decides, by accepting or not
    listed = client.get(MEMBERS, query_string={"search": "victim"}, headers=rogue.h).get_json()
    assert listed["items"] == []
    figures.update(known_address=known.status_code, unknown_address=unknown.status_code, enrolled=0)


def test_powers_over_an_account_need_an_admin_of_every_site_of_the_person(client, rogue, figures):
    """The victim did join the rogue site (accepted an invitation): the rogue admin may manage that
    membership, but not the account the victim also uses at headquarters."""
    db.session.add(SiteMembership(user_id=rogue.victim.id, site_id=rogue.rogue_site.id, role="viewer"))
    db.session.commit()
    for _ in range(5):
        login(client, "victim", "wrong-password", environ_base={"REMOTE_ADDR": "198.51.100.7"})
    refused = {}
    for action in ("unlock", "reset-link", "deactivate", "reactivate"):
        answer = client.post(f"{MEMBERS}/{rogue.victim.id}/{action}", headers=rogue.h)
        refused[action] = answer.status_code
        assert answer.status_code == 403, (action, answer.get_json())
        assert "sites you do not administer" in answer.get_json()["error"]["message"]
    assert client.get(f"{MEMBERS}/{rogue.victim.id}", headers=rogue.h).get_json()["locked"]  # still locked
    assert "Reset your password" not in subjects_mailed_to("victim@example.com")
    log = client.get(AUDIT, headers=rogue.h).get_json()["items"]
    export = client.get(f"{AUDIT}/export", headers=rogue.h).get_data(as_text=True)
    assert [e for e in log if e["user"] and e["user"]["id"] == rogue.victim.id] == []
    assert "198.51.100.7" not in str(log) and "198.51.100.7" not in export
    figures.update(refused=refused, victim_events_in_rogue_log=0)


def test_what_an_admin_does_to_an_account_shows_in_each_site_of_the_person(client, world, sendgrid, figures):
    both = make_user("both", {world.hq: "viewer", world.field: "editor"})
    field_only_admin = make_user("fieldboss", {world.field: "admin"})
    for _ in range(5):
        login(client, "both", "wrong-password")
    acting = headers_for(world.admin, world.hq)  # admin of both sites
    assert client.post(f"{MEMBERS}/{both.id}/unlock", headers=acting).status_code == 200
    assert client.post(f"{MEMBERS}/{both.id}/reset-link", headers=acting).status_code == 204
    seen = {}
    for reader, site in ((world.admin, world.hq), (field_only_admin, world.field)):
        log = client.get(AUDIT, query_string={"action": ["unlock", "reset_link"]},
                         headers=headers_for(reader, site)).get_json()["items"]
        seen[site.name] = sorted(e["action"] for e in log if e["entity_id"] == both.id)
    assert seen == {"Headquarters": ["reset_link", "unlock"], "Field Office": ["reset_link", "unlock"]}
    figures.update(seen=seen)
