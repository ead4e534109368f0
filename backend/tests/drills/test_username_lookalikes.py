"""Usernames that look like e-mails: a hostile member names their account after a colleague's e-mail
address; when an admin then adds the colleague by that address, the lookup prefers the username and the
hostile account receives the role meant for the colleague. A lookup by e-mail must match e-mail only,
and no way of making an account may take an e-mail address (or anything with "@") as its username."""
from __future__ import annotations

import re

import pytest

from ims.auth.models import User
from ims.extensions import db
from ims.notifications.outbox import OutboxEmail
from ims.sites.models import SiteMembership
from tests.auth0_tenant import SUB, USERINFO_PATH
from tests.builders import PASSWORD, bearer, headers_for, mails_to, make_site, make_user

COLLEAGUE = "colleague@example.com"


def test_an_account_named_like_a_colleagues_address_never_receives_the_colleagues_role(client, world, sendgrid,
                                                                                         figures):
    # Made before usernames were checked, so it is still in the table: the rule does not rely on its absence.
    hostile = User(username=COLLEAGUE, email="mallory@attacker.example", display_name="Colleague")
    db.session.add(hostile)
    db.session.commit()
    added = client.post("/api/site/members", json={"user": COLLEAGUE, "role": "admin"},
                        headers=headers_for(world.admin, world.hq))
    assert added.status_code < 300, added.get_json()
    db.session.rollback()
    assert db.session.execute(db.select(SiteMembership).filter_by(user_id=hostile.id)).first() is None
    assert mails_to(sendgrid, COLLEAGUE)  # the invitation goes to the address the admin typed
    assert db.session.execute(db.select(OutboxEmail).filter_by(recipient=hostile.email)).first() is None
    figures.update(hostile_memberships=0, invited=COLLEAGUE)


def test_accepting_an_invitation_refuses_an_email_as_username(client, world, sendgrid):
    sent = client.post("/api/site/invitations", json={"email": "dana@example.org", "role": "editor"},
                       headers=headers_for(world.admin, world.hq))
    assert sent.status_code == 201
    token = mails_to(sendgrid, "dana@example.org")[0]["content"][0]["value"].split("#token=")[1].split()[0]
    for name in (COLLEAGUE, "dana@corp", "@dana"):
        refused = client.post("/api/invitations/accept", json={"token": token, "username": name,
                                                                "display_name": "Dana", "password": PASSWORD})
        assert refused.status_code == 422, (name, refused.get_json())
        assert "e-mail" in refused.get_json()["error"]["details"]["username"][0]
    db.session.rollback()
    assert db.session.execute(db.select(User).where(User.username.contains("@"))).first() is None


def test_the_command_line_refuses_an_email_as_username(app, world):
    result = app.test_cli_runner().invoke(args=["create-user", COLLEAGUE, "--email", "mallory@attacker.example",
                                                "--password", "a-long-enough-pw", "--site", "Headquarters",
                                                "--role", "admin"])
    assert result.exit_code != 0 and "e-mail" in result.output, result.output
    db.session.rollback()
    assert db.session.execute(db.select(User).filter_by(username=COLLEAGUE)).first() is None


@pytest.mark.parametrize("address", ["first.last+ims@example.org", "o'brien@example.org", "a@example.org"])
def test_a_first_auth0_sign_in_derives_a_username_that_follows_the_rule(auth0, key, tenant, address):
    from ims.auth.principal import load_principal
    from ims.sites.invitations import invite

    hq = make_site("Headquarters")
    invite(hq.id, load_principal(user_id=make_user("site-admin", {hq: "admin"}).id), address, "editor")
    tenant.userinfo_answer = lambda request: (200, {"sub": SUB, "email": address, "email_verified": True})
    me = auth0.get("/api/auth/me", headers=bearer(key.sign()))
    assert me.status_code == 200 and len(tenant.requests_to(USERINFO_PATH)) == 1, me.get_json()
    username = me.get_json()["username"]
    assert re.fullmatch(r"[a-z0-9._-]{2,150}", username), username  # no "@", nothing else either
