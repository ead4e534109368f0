"""Targeted lockout: from four addresses an attacker spends an admin's sign-in budget, and does it again
as soon as it is lifted. The lock must hold against the attacker's addresses and any other new one,
while the admin still signs in from an address that signed in to the account before, and through a
password reset link (mailed, opened, new password) from anywhere: every time, not just once."""
from __future__ import annotations

import requests

from tests.builders import PASSWORD, mailed_reset_token

ATTACKERS = ["203.0.113.21", "203.0.113.22", "203.0.113.23", "203.0.113.24"]
OFFICE, HOTEL, STRANGER = "198.51.100.7", "192.0.2.50", "198.18.7.7"
ROUNDS = 2  # the attack repeated: a lock lifted is a lock set again


def test_four_addresses_cannot_keep_an_admin_out(app, world, sendgrid, serve_behind_the_alb, figures):
    with serve_behind_the_alb(SENDGRID_API_KEY=app.config["SENDGRID_API_KEY"],
                              SENDGRID_API_HOST=sendgrid.url) as server:
        def post(path: str, body: dict, address: str) -> int:
            return requests.post(f"{server.url}{path}", json=body, timeout=30,
                                 headers={"X-Forwarded-For": f"10.1.1.1, {address}"}).status_code

        def sign_in(password: str, address: str) -> int:
            return post("/api/auth/login", {"username": "admin", "password": password}, address)

        password = PASSWORD
        assert sign_in(password, OFFICE) == 200  # where the admin usually works
        rounds = []
        for round_ in range(1, ROUNDS + 1):
            attack = [sign_in(f"wrong-{round_}-{n}", ATTACKERS[n % len(ATTACKERS)]) for n in range(20)]
            seen = {"attack": attack, "stranger": sign_in(password, STRANGER), "office": sign_in(password, OFFICE)}
            post("/api/auth/password-reset", {"email": "admin@example.com"}, HOTEL)
            new_password = f"a-new-passphrase-{round_}"
            seen["reset"] = post("/api/auth/password-reset/confirm",
                                 {"token": mailed_reset_token(sendgrid, round_), "password": new_password}, HOTEL)
            password = new_password
            seen["hotel"], seen["office_again"] = sign_in(password, HOTEL), sign_in(password, OFFICE)
            rounds.append(seen)
    figures.update(attacker_addresses=len(ATTACKERS), rounds=ROUNDS,
                   statuses=[{k: v if k != "attack" else f"{v.count(401)}x401 {v.count(423)}x423"
                              for k, v in seen.items()} for seen in rounds])
    for seen in rounds:
        assert seen["office"] == 200, seen  # bc61837: 423, the owner is locked out everywhere
        assert seen["attack"] == [401] * 4 + [423] * 16, seen  # five checks, from all four addresses together
        assert seen["stranger"] == 423, seen  # a new address, even with the right password
        assert (seen["reset"], seen["hotel"], seen["office_again"]) == (204, 200, 200), seen
