"""A stolen token guessing its owner's password through the password change: the current password is
checked by POST /api/account/password, so an attacker holding only a token sends a dozen guesses at
once. That check must count like a sign-in: at most five checked, the rest refused with 423, and the
right password after them refused too (with the sign-in form, from the thief's address, locked alike)."""
from __future__ import annotations

import requests

from ims.audit import AuditEvent
from ims.extensions import db
from tests.builders import PASSWORD, headers_for, make_user
from tests.servers import released_together

GUESSES = 12
THIEF = "203.0.113.99"
NEW = "the-thief-s-own-passphrase"


def test_a_stolen_token_gets_five_guesses_at_the_current_password(serve_behind_the_alb, world, slow_hashing,
                                                                  figures):
    victim = make_user("victim", {world.hq: "viewer"})
    stolen = {**headers_for(victim), "X-Forwarded-For": f"10.0.0.1, {THIEF}"}
    with serve_behind_the_alb(**slow_hashing) as server:
        def change(current: str):
            return lambda: requests.post(f"{server.url}/api/account/password", headers=stolen, timeout=60,
                                         json={"current_password": current, "new_password": NEW})

        answers = released_together([change(f"guess-{n:02d}") for n in range(GUESSES - 1)] + [change(PASSWORD)])
        statuses = [a.status_code for a in answers]
        checked = [s for s in statuses if s in (204, 422)]
        after = change(PASSWORD)()
        sign_in = requests.post(f"{server.url}/api/auth/login", json={"username": "victim", "password": PASSWORD},
                                headers={"X-Forwarded-For": THIEF}, timeout=60).status_code
    db.session.remove()
    failed = db.session.execute(db.select(AuditEvent).filter_by(action="login_failed", user_id=victim.id)).scalars()
    reasons = [e.changes["reason"] for e in failed]
    figures.update(simultaneous_guesses=GUESSES, answered_422_or_204=len(checked), refused_423=statuses.count(423),
                   right_password_after=after.status_code, sign_in_after=sign_in, audited_failures=len(reasons))
    assert len(checked) <= 5 and len(reasons) <= 5, statuses  # bc61837: every guess checked, none counted
    assert statuses.count(423) == GUESSES - len(checked), statuses
    assert all(int(a.headers["Retry-After"]) > 0 for a in answers if a.status_code == 423)
    if 204 in statuses:
        # the right password was among the five checked (the guesses race; inherent to five tries): the
        # password changed, which ends every session of the account, the stolen one included
        assert after.status_code == 401, after.text
    else:
        assert after.status_code == 423 and 0 < int(after.headers["Retry-After"]) <= 900, after.text
    assert sign_in == 423
    assert reasons and set(reasons) == {"wrong_current_password"}
