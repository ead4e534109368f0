"""E-mail change as a takeover: with a stolen bearer token an attacker set the account's e-mail address to
their own (no password, no confirmation), then asked for a reset link, which went to them: the stolen
session became the account for good. Now the address changes only with the current password and only
when the link mailed to the new address is opened, once, while the old address is told each time."""
from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import requests

from ims.audit import AuditEvent
from ims.auth.models import User
from ims.extensions import db
from ims.notifications.outbox import OutboxEmail
from tests.builders import PASSWORD, headers_for, mails_to, make_user, request_reset, text_of
from tests.servers import ServedApp

OWNER = "owner@example.com"
ATTACKER = "attacker@example.org"
RACERS = 20


def stored_email(user_id: int) -> str:
    db.session.remove()
    return db.session.get(User, user_id).email


def ask_for_change(client, headers, password=PASSWORD, new_email=ATTACKER):
    return client.post("/api/account/email", json={"current_password": password, "new_email": new_email},
                       headers=headers)


def link_token(mail: dict) -> str:
    return re.search(r"/confirm-email#token=(\S+)", text_of(mail)).group(1)


def subjects(sendgrid, address: str, count: int) -> list[str]:
    return [mail["subject"] for mail in mails_to(sendgrid, address, count)]


def queued_subjects(address: str) -> list[str]:
    """Every message stored for `address` (sent or not): what it was sent, or will be, and nothing else."""
    db.session.remove()
    return db.session.execute(db.select(OutboxEmail.subject).where(OutboxEmail.recipient == address)
                              .order_by(OutboxEmail.id)).scalars().all()


def test_a_stolen_token_alone_cannot_change_the_e_mail(client, world, sendgrid, figures):
    owner = make_user("owner", {world.hq: "editor"})
    stolen = headers_for(owner)
    tries = [client.patch("/api/account", json={"email": ATTACKER}, headers=stolen),
             client.post("/api/account/email", json={"new_email": ATTACKER}, headers=stolen)]
    tries += [ask_for_change(client, stolen, password=guess) for guess in ("password", "owner", "123456")]
    assert stored_email(owner.id) == OWNER, [t.status_code for t in tries]
    assert all(t.status_code == 422 for t in tries), [t.status_code for t in tries]
    # The reset flow still answers only to the owner's mailbox.
    assert request_reset(client, ATTACKER).status_code == 202
    assert request_reset(client, OWNER).status_code == 202
    assert subjects(sendgrid, OWNER, 1) == ["Reset your password"]
    assert queued_subjects(ATTACKER) == []
    figures.update(attempts_without_password=len(tries), changed=0)


def test_with_the_password_nothing_changes_until_the_new_mailbox_opens_the_link(client, world, sendgrid, figures):
    owner = make_user("owner", {world.hq: "editor"})
    h = headers_for(owner)
    asked = ask_for_change(client, h)
    assert asked.status_code == 202, asked.get_data(as_text=True)
    assert stored_email(owner.id) == OWNER
    assert client.get("/api/auth/me", headers=h).get_json()["email"] == OWNER
    [notice] = mails_to(sendgrid, OWNER)  # the old address hears of the request at once
    assert notice["subject"] == "A change of your e-mail address was requested" and ATTACKER in text_of(notice)
    [link] = mails_to(sendgrid, ATTACKER)
    assert "/confirm-email#token=" in text_of(link) and "?token=" not in text_of(link)
    confirmed = client.post("/api/account/email/confirm", json={"token": link_token(link)})
    assert confirmed.status_code == 200 and stored_email(owner.id) == ATTACKER
    assert subjects(sendgrid, OWNER, 2)[1] == "Your e-mail address was changed"
    again = client.post("/api/account/email/confirm", json={"token": link_token(link)})
    assert again.status_code == 400  # single use
    figures.update(notices_to_old_address=2, applied_after_link=1)


def test_a_reset_after_an_unconfirmed_change_still_mails_the_old_address(client, world, sendgrid):
    owner = make_user("owner", {world.hq: "editor"})
    assert ask_for_change(client, headers_for(owner)).status_code == 202
    assert request_reset(client, ATTACKER).status_code == 202
    assert request_reset(client, OWNER).status_code == 202
    assert subjects(sendgrid, OWNER, 2) == ["A change of your e-mail address was requested", "Reset your password"]
    assert subjects(sendgrid, ATTACKER, 1) == ["Confirm your new e-mail address"]
    assert queued_subjects(ATTACKER) == ["Confirm your new e-mail address"]  # and no reset link


def test_racing_confirmations_of_one_link_apply_it_once(app, world, sendgrid, figures):
    owner = make_user("owner", {world.hq: "editor"})
    h = headers_for(owner)
    with ServedApp(app) as server:
        asked = requests.post(f"{server.url}/api/account/email", headers=h, timeout=30,
                              json={"current_password": PASSWORD, "new_email": ATTACKER})
        assert asked.status_code == 202, asked.text
        token = link_token(mails_to(sendgrid, ATTACKER)[0])
        barrier = threading.Barrier(RACERS)

        def confirm(_n: int) -> int:
            with requests.Session() as session:
                barrier.wait(timeout=30)
                return session.post(f"{server.url}/api/account/email/confirm", json={"token": token},
                                    timeout=60).status_code

        with ThreadPoolExecutor(RACERS) as pool:
            statuses = list(pool.map(confirm, range(RACERS)))
    assert sorted(statuses) == [200] + [400] * (RACERS - 1), statuses
    db.session.remove()
    applied = db.session.execute(db.select(AuditEvent).filter_by(action="email_changed")).scalars().all()
    assert len(applied) == 1 and stored_email(owner.id) == ATTACKER
    assert subjects(sendgrid, OWNER, 2)[1] == "Your e-mail address was changed"
    assert queued_subjects(OWNER).count("Your e-mail address was changed") == 1
    figures.update(racing_confirms=RACERS, applied=1, refused_400=RACERS - 1)
