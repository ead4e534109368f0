"""Invitations as a hostile admin uses them: a burst of invitation e-mails to any addresses, sent together
so no count sees the others; a display name that carries a new line and a link of its own into the
mail; and a site rename used to probe which names other sites carry. Each admin and each site has an
hourly budget of invitations (429 with Retry-After beyond it), names reach the mail as one inert line,
and a rename's answer is the same whether or not a site the admin does not belong to has the name."""
from __future__ import annotations

import re

import requests

from ims.extensions import db
from ims.notifications.outbox import OutboxEmail
from ims.sites.models import Invitation
from tests.builders import headers_for, mails_to, make_site, make_user, text_of
from tests.servers import ServedApp, released_together

BURST = 8


def invite_call(url: str, headers: dict, email: str):
    return lambda: requests.post(f"{url}/api/site/invitations", json={"email": email, "role": "admin"},
                                 headers=headers, timeout=60)


def stored(model, **where) -> int:
    db.session.remove()  # a fresh transaction sees what the server committed
    return db.session.execute(db.select(db.func.count()).select_from(model).filter_by(**where)).scalar_one()


def test_invitations_sent_together_beyond_the_admins_hourly_budget_are_refused(app, world, monkeypatch, figures):
    monkeypatch.setitem(app.config, "INVITATIONS_PER_ADMIN_PER_HOUR", 3)
    admin = world.admin.id
    hq, field = headers_for(world.admin, world.hq), headers_for(world.admin, world.field)
    with ServedApp(app) as server:
        responses = released_together([invite_call(server.url, hq, f"target{n}@example.net") for n in range(BURST)])
        elsewhere = invite_call(server.url, field, "another@example.net")()  # the budget is the admin's, everywhere
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] * 3 + [429] * (BURST - 3), statuses
    for refused in [r for r in responses if r.status_code == 429] + [elsewhere]:
        assert refused.status_code == 429 and refused.json()["error"]["code"] == "rate_limited", refused.text
        assert 0 < int(refused.headers["Retry-After"]) <= 3600
    assert stored(Invitation, invited_by=admin) == 3 and stored(OutboxEmail) == 3
    figures.update(sent_together=BURST, accepted_201=statuses.count(201), refused_429=statuses.count(429),
                   retry_after=int(elsewhere.headers["Retry-After"]), mails_queued=3)


def test_a_sites_budget_holds_however_many_of_its_admins_send(app, world, monkeypatch, figures):
    monkeypatch.setitem(app.config, "INVITATIONS_PER_SITE_PER_HOUR", 4)
    admins = [world.admin] + [make_user(f"coadmin{n}", {world.hq: "admin"}) for n in range(2)]
    senders = [(headers_for(admin, world.hq), f"t{a}-{n}@example.net") for a, admin in enumerate(admins) for n in range(3)]
    site = world.hq.id
    with ServedApp(app) as server:
        responses = released_together([invite_call(server.url, headers, email) for headers, email in senders])
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] * 4 + [429] * (len(senders) - 4), statuses
    assert stored(Invitation, site_id=site) == 4
    figures.update(admins=len(admins), sent_together=len(senders), accepted_201=4, refused_429=len(senders) - 4)


HOSTILE_NAME = "Admin\n\nYour account is suspended. Restore it at https://evil.example/restore\r\nThe IT team"


def test_a_display_name_with_a_new_line_and_a_link_reaches_the_mail_as_one_inert_line(client, world, sendgrid,
                                                                                      figures):
    world.admin.display_name = HOSTILE_NAME
    db.session.commit()
    response = client.post("/api/site/invitations", json={"email": "victim@example.net", "role": "viewer"},
                           headers=headers_for(world.admin, world.hq))
    assert response.status_code == 201, response.text
    [mail] = mails_to(sendgrid, "victim@example.net")
    text = text_of(mail)
    assert "evil.example" not in text and "https://evil" not in text, text
    assert re.findall(r"\w+://\S+", text) == [re.search(r"\S+/accept-invitation#token=\S+", text).group(0)], text
    [line] = [line for line in text.splitlines() if "invites you to join" in line]
    assert line.startswith("Admin Your account is suspended.") and "The IT team" not in text.replace(line, ""), text
    assert "\n" not in mail["subject"] and "\r" not in mail["subject"]
    figures.update(name_lines=HOSTILE_NAME.count("\n") + 1, mail_line=line[:80])


def test_a_rename_tells_an_admin_nothing_about_sites_they_do_not_belong_to(client, world, figures):
    make_site("Secret Lab")  # a site the admin below has never heard of
    admin = make_user("hqadmin", {world.hq: "admin"})
    headers = headers_for(admin, world.hq)

    def rename(name):
        response = client.put("/api/site/settings", json={"name": name, "default_timezone": None}, headers=headers)
        return response.status_code, sorted(response.get_json())

    taken_elsewhere = [rename(name) for name in ("Secret Lab", "secret lab", "Field Office")]
    free = [rename(name) for name in ("Never Used Name", "another unused name", "Third")]
    assert taken_elsewhere == free == [(200, ["default_timezone", "id", "name"])] * 3, (taken_elsewhere, free)
    # A clash with the admin's own sites is still refused: they already see those names.
    both = headers_for(world.admin, world.hq)
    own = client.put("/api/site/settings", json={"name": "field office", "default_timezone": None}, headers=both)
    assert own.status_code == 409, own.text
    figures.update(names_of_other_sites_probed=3, answers_equal_to_free_names=True, own_site_clash=own.status_code)
