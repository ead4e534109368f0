"""Zero admins: a site's two admins turn on each other at the same moment, over real sockets against a
real server on PostgreSQL. Deactivating each other, or one demoting (or removing) while the other
deactivates, released together behind a barrier, must leave the site with an active admin every time:
one request wins, the other is refused with a clear 4xx (it was judged after the first, not before)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from ims.auth.models import User
from ims.extensions import db
from ims.sites.models import SiteMembership
from tests.builders import headers_for, make_site, make_user
from tests.servers import ServedApp, requests_released_together

ROUNDS = 4
MEMBERS = "/api/site/members"
# What each admin does to the other: (method, path template, body)
MOVES = {
    "deactivate": ("POST", MEMBERS + "/{target}/deactivate", None),
    "demote": ("PATCH", MEMBERS + "/{target}", {"role": "viewer"}),
    "remove": ("DELETE", MEMBERS + "/{target}", None),
}
# A refused loser: judged after the winner, it is no longer an admin (403), no longer active (401, at
# sign-in), or would leave no admin behind (409).
REFUSED = {401, 403, 409}


def active_admins(site_id: int) -> int:
    db.session.remove()  # a fresh transaction sees what the requests committed
    count = db.session.execute(
        sa.select(sa.func.count()).select_from(SiteMembership).join(User, User.id == SiteMembership.user_id)
        .where(SiteMembership.site_id == site_id, SiteMembership.role == "admin", User.is_active.is_(True))
    ).scalar_one()
    db.session.remove()
    return count


def call(move: str, actor, target, site) -> tuple:
    method, path, body = MOVES[move]
    return method, path.format(target=target.id), headers_for(actor, site), body


@pytest.mark.parametrize("first, second", [("deactivate", "deactivate"), ("demote", "deactivate"),
                                           ("remove", "deactivate")])
def test_two_admins_acting_on_each_other_at_once_leave_an_active_admin(app, first, second, figures):
    outcomes = []
    with ServedApp(app) as server:
        for n in range(ROUNDS):
            site = make_site(f"Lab {n}")
            alice = make_user(f"alice{n}", {site: "admin"})
            bob = make_user(f"bob{n}", {site: "admin"})
            make_user(f"vera{n}", {site: "viewer"})
            answers = requests_released_together(server.url, [call(first, alice, bob, site), call(second, bob, alice, site)])
            statuses = sorted(a.status_code for a in answers)
            outcomes.append(statuses)
            assert active_admins(site.id) >= 1, (n, statuses)
            won = [a for a in answers if a.status_code < 300]
            lost = [a for a in answers if a.status_code >= 300]
            assert len(won) == 1 and len(lost) == 1, (n, [a.text[:200] for a in answers])
            assert lost[0].status_code in REFUSED and lost[0].json()["error"]["message"], lost[0].text[:200]
    figures.update(rounds=ROUNDS, moves=f"{first} vs {second}", statuses=outcomes)

