"""Password guessing spread over many client addresses at once: twenty wrong passwords and the right one,
released together from twenty-one addresses through the load balancer, with Argon2 slow enough that
they overlap. However many addresses and however simultaneous, an account gets five password checks
per lockout window from addresses it has never signed in from, and the right password after the
fifth failure is refused too."""
from __future__ import annotations

import requests

from ims.audit import AuditEvent
from ims.extensions import db
from tests.builders import PASSWORD, make_user
from tests.servers import released_together

ADDRESSES = 21


def attempt(url: str, password: str, address: str):
    """A sign-in as the load balancer forwards it: whatever the client wrote, then the address it saw."""
    return lambda: requests.post(f"{url}/api/auth/login", json={"username": "victim", "password": password},
                                 headers={"X-Forwarded-For": f"10.0.0.1, {address}"}, timeout=60).status_code


def test_twenty_one_addresses_at_once_get_five_password_checks(serve_behind_the_alb, world, slow_hashing,
                                                                figures):
    make_user("victim", {world.hq: "admin"})
    passwords = [f"wrong-guess-{n:02d}" for n in range(ADDRESSES - 1)] + [PASSWORD]
    addresses = [f"198.18.{n}.{n + 1}" for n in range(ADDRESSES)]
    with serve_behind_the_alb(**slow_hashing) as server:
        statuses = released_together([attempt(server.url, p, a) for p, a in zip(passwords, addresses)])
        checked = [s for s in statuses if s in (200, 401)]
        after = {where: attempt(server.url, PASSWORD, address)() for where, address in
                 (("attacking address", addresses[0]), ("new address", "198.18.99.1"))}
    db.session.remove()
    audited = db.session.execute(db.select(AuditEvent.action).where(AuditEvent.action.in_(["login", "login_failed"])))
    verdicts = audited.scalars().all()  # one per password checked
    figures.update(addresses=ADDRESSES, released_together=len(statuses), passwords_checked=len(verdicts),
                   answered_401_or_200=len(checked), refused_423=statuses.count(423), right_password_after=after)
    assert len(checked) <= 5 and len(verdicts) <= 5, statuses  # bc61837: 18 answered 401 or 200
    assert set(statuses) <= {200, 401, 423} and statuses.count(423) == ADDRESSES - len(checked), statuses
    assert after == {"attacking address": 423, "new address": 423}
