"""One simulated Finder user of the mixed scenario: a small state machine over realistic actions."""
from __future__ import annotations

import json
import random

from .dataset import TYPES, Vocabulary
from .loadgen import ActionFailed, call

VOCAB = Vocabulary()
WORDS = VOCAB.common_words() + VOCAB.medium_words() + VOCAB.rare_words(10)


class SimulatedUser:
    def __init__(self, ctx, http, username: str, seed: int):
        self.ctx, self.http, self.username = ctx, http, username
        self.rng = random.Random(seed)
        self.token = ""
        self.query: dict = {}
        self.ids: list[int] = []
        self.opened: dict | None = None
        self.conflicts = 0
        self.actions: dict[str, int] = {}

    def headers(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"}

    async def login(self) -> None:
        _, body, _ = await call(self.http, "POST", self.ctx.url("/api/auth/login"),
                                json={"username": self.username, "password": self.ctx.password})
        self.token = json.loads(body)["access_token"]

    async def next_action(self) -> str:
        """One action chosen from the user's state; returns its name (a failure carries it too)."""
        name = self._choose()
        self.actions[name] = self.actions.get(name, 0) + 1
        try:
            await getattr(self, name)()
        except Exception as exc:
            raise ActionFailed(name, exc) from exc
        return name

    def _choose(self) -> str:
        roll = self.rng.random()
        if self.opened and roll < 0.10:
            name = "edit"
        elif self.ids and roll < 0.35:
            name = "open"
        elif self.query and roll < 0.50:
            name = "next_page"
        elif roll < 0.75:
            name = "search"
        else:
            name = "filter"
        return name

    async def _find(self) -> None:
        _, body, _ = await call(self.http, "GET", self.ctx.url("/api/interactions", self.query), headers=self.headers())
        self.ids = [item["id"] for item in json.loads(body)["items"]] or self.ids

    async def search(self) -> None:
        words = self.rng.sample(WORDS, self.rng.choice((1, 1, 2)))
        self.query = {"search": " ".join(words), "page": 1}
        await self._find()

    async def filter(self) -> None:
        year = self.rng.randint(2021, 2025)
        self.query = {"type": self.rng.sample(TYPES, self.rng.randint(1, 3)), "start_from": f"{year}-01-01",
                      "start_to": f"{year}-12-31", "sort": self.rng.choice(("-start_datetime", "title", "lead")),
                      "page": 1}
        await self._find()

    async def next_page(self) -> None:
        self.query = {**self.query, "page": min(40, self.query.get("page", 1) + 1)}
        await self._find()

    async def open(self) -> None:
        record_id = self.rng.choice(self.ids)
        _, body, _ = await call(self.http, "GET", self.ctx.url(f"/api/interactions/{record_id}"),
                                headers=self.headers(), expect=(200, 404))
        self.opened = json.loads(body) if body and b'"id"' in body[:20] else None

    async def edit(self) -> None:
        record = self.opened
        fields = ("title", "type", "lead", "start_datetime", "end_datetime", "timezone", "location",
                  "description", "notes")
        body = {name: record[name] for name in fields}
        body["notes"] = (record["notes"] + " Followed up.")[-4000:]
        status, response, _ = await call(self.http, "PUT", self.ctx.url(f"/api/interactions/{record['id']}"),
                                         headers=self.headers(), json={**body, "version": record["version"]},
                                         expect=(200, 409, 404))
        if status == 409:
            self.conflicts += 1  # another user saved first: the API's answer is correct, not an error
        self.opened = json.loads(response) if status == 200 else None
