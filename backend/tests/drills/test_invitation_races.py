"""One invitation link, many hands at once: the same link accepted by a dozen requests released together
(a dozen admins from one link), a revoke released together with an accept, and an invited Auth0 person's
first requests arriving together. Accepting consumes the invitation once: one account, one membership,
and a revoke either wins (the accept gets 400 and makes nothing) or answers 404 (the account exists),
never 204 with an account made."""
from __future__ import annotations

import hashlib
import secrets
import time
from datetime import timedelta

import pytest
import requests

from ims.auth.models import User
from ims.extensions import db
from ims.sites.models import Invitation, SiteMembership
from ims.timeutil import utcnow
from tests.builders import PASSWORD, bearer, headers_for
from tests.servers import ServedApp, released_together

ACCEPTS = 12
ROUNDS = 6
# Each accept lingers this long inside its unit of work, as on a loaded database, so requests released
# together are all inside it at once (this widens the race; it waits for nothing).
LINGER_SECONDS = 0.2


@pytest.fixture
def lingering_accept(monkeypatch):
    accept = Invitation.accept

    def slowly(self, user):
        time.sleep(LINGER_SECONDS)
        accept(self, user)

    monkeypatch.setattr(Invitation, "accept", slowly)


def pending_invitation(site_id: int, email: str, by_id: int, role: str = "admin") -> tuple[int, str]:
    """A pending invitation as `invite` stores it; its id and the token its mail would carry."""
    token = secrets.token_urlsafe(32)
    invitation = Invitation(site_id=site_id, email=email, role=role, invited_by=by_id, created_at=utcnow(),
                            token_hash=hashlib.sha256(token.encode()).hexdigest(),
                            expires_at=utcnow() + timedelta(days=1))
    db.session.add(invitation)
    db.session.commit()
    return invitation.id, token


def accounts_of(email: str) -> list[User]:
    db.session.remove()  # a fresh transaction sees what the server committed
    return db.session.execute(db.select(User).where(db.func.lower(User.email) == email)).scalars().all()


def memberships_in(site_id: int, users) -> int:
    return db.session.execute(db.select(db.func.count()).select_from(SiteMembership).where(
        SiteMembership.site_id == site_id, SiteMembership.user_id.in_([u.id for u in users]))).scalar_one()


def accept_call(url: str, token: str, username: str):
    body = {"token": token, "username": username, "display_name": "Mallory", "password": PASSWORD}
    return lambda: requests.post(f"{url}/api/invitations/accept", json=body, timeout=60).status_code


def test_one_link_accepted_by_a_dozen_requests_at_once_makes_one_account(app, world, lingering_accept, figures):
    hq = world.hq.id
    _id, token = pending_invitation(hq, "dana@example.org", world.admin.id)
    with ServedApp(app) as server:
        statuses = released_together([accept_call(server.url, token, f"mallory{n}") for n in range(ACCEPTS)])
    assert sorted(statuses) == [201] + [400] * (ACCEPTS - 1), statuses
    accounts = accounts_of("dana@example.org")
    assert len(accounts) == 1, [a.username for a in accounts]
    assert memberships_in(hq, accounts) == 1
    figures.update(simultaneous_accepts=ACCEPTS, created_201=statuses.count(201), refused_400=statuses.count(400),
                   accounts=len(accounts))


def test_a_revoke_racing_an_accept_never_answers_204_while_an_account_is_made(app, world, lingering_accept,
                                                                               figures):
    outcomes, hq, admin = [], world.hq.id, world.admin.id
    revoker = headers_for(world.admin, world.hq)
    with ServedApp(app) as server:
        for n in range(ROUNDS):
            email = f"guest{n}@example.org"
            invitation_id, token = pending_invitation(hq, email, admin)
            revoke = lambda: requests.delete(f"{server.url}/api/site/invitations/{invitation_id}",  # noqa: E731
                                             headers=revoker, timeout=60).status_code
            # the accept first among equals: it reaches its lock as soon as it can
            accepted, revoked = released_together([accept_call(server.url, token, f"guest{n}"), revoke])
            made = len(accounts_of(email))
            outcomes.append((revoked, accepted, made))
    for revoked, accepted, made in outcomes:
        assert (revoked, accepted, made) in {(204, 400, 0), (404, 201, 1)}, outcomes
    figures.update(rounds=ROUNDS, revoke_won=sum(o[0] == 204 for o in outcomes),
                   accept_won=sum(o[1] == 201 for o in outcomes), inconsistent=0)


def test_two_links_accepted_at_once_with_one_username_make_one_account_and_a_clear_422(app, world,
                                                                                      lingering_accept, figures):
    """Two people invited to the site choose the same username at the same moment: the name is checked
    free by both, and the database's unique constraint decides; the loser is told, never a 500."""
    tokens = [pending_invitation(world.hq.id, f"twin{n}@example.org", world.admin.id)[1] for n in range(2)]
    with ServedApp(app) as server:
        statuses = released_together([accept_call(server.url, token, "twin") for token in tokens])
    assert sorted(statuses) == [201, 422], statuses
    assert [len(accounts_of(f"twin{n}@example.org")) for n in range(2)].count(1) == 1
    figures.update(simultaneous_accepts=2, statuses=sorted(statuses))


def profile(email: str):
    return lambda request: (200, {"sub": "unused", "email": email, "email_verified": True})


def test_simultaneous_first_requests_of_an_invited_auth0_person_bind_one_account(
        auth0_app, auth0, key, tenant, world, lingering_accept, figures):
    hq = world.hq.id
    pending_invitation(hq, "dana@example.org", world.admin.id, role="editor")
    tenant.userinfo_answer = profile("dana@example.org")
    token = key.sign()
    with ServedApp(auth0_app) as server:
        me = lambda: requests.get(f"{server.url}/api/auth/me", headers=bearer(token), timeout=60)  # noqa: E731
        responses = released_together([me] * 8)
    statuses = [r.status_code for r in responses]
    assert statuses == [200] * 8, [r.text[:200] for r in responses]
    accounts = accounts_of("dana@example.org")
    assert len(accounts) == 1 and memberships_in(hq, accounts) == 1
    figures.update(simultaneous_first_requests=8, ok_200=statuses.count(200), accounts=len(accounts))


def test_a_revoke_racing_an_auth0_binding_is_consistent(app, auth0_app, auth0, key, tenant, world,
                                                        lingering_accept, figures):
    outcomes, hq, admin = [], world.hq.id, world.admin.id
    revoker = headers_for(world.admin, world.hq)
    with ServedApp(app) as local, ServedApp(auth0_app) as external:
        for n in range(ROUNDS):
            email = f"guest{n}@example.org"
            invitation_id, _token = pending_invitation(hq, email, admin, role="editor")
            tenant.userinfo_answer = profile(email)
            token = key.sign(sub=f"auth0|guest{n}")
            me = lambda: requests.get(f"{external.url}/api/auth/me", headers=bearer(token),  # noqa: E731
                                      timeout=60).status_code
            # The binding asks the identity provider first; the revoke starts a little later each round,
            # so the rounds sweep it across the binding's unit of work.
            offset = n * LINGER_SECONDS / (ROUNDS - 1)

            def revoke():
                time.sleep(offset)
                return requests.delete(f"{local.url}/api/site/invitations/{invitation_id}", headers=revoker,
                                       timeout=60).status_code

            signed_in, revoked = released_together([me, revoke])
            outcomes.append((revoked, signed_in, len(accounts_of(email))))
    for outcome in outcomes:
        assert outcome in {(204, 403, 0), (404, 200, 1)}, outcomes
    figures.update(rounds=ROUNDS, revoke_won=sum(o[0] == 204 for o in outcomes),
                   binding_won=sum(o[1] == 200 for o in outcomes), inconsistent=0)
