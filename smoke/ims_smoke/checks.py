"""The checks, in the order a user meets the system: both services answer, the smoke account signs in,
and one interaction is created, read, found by the Finder and deleted in the smoke site (deleted even
when a check between fails, so a failed run leaves nothing behind)."""
from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

from .http import Answer, Client
from .settings import Settings

OK, FAIL, SKIP = "ok", "FAIL", "skip"
ASSET_SCRIPT = re.compile(r'<script[^>]+src="(/assets/[^"]+\.js)"')


@dataclass(frozen=True)
class Check:
    name: str
    outcome: str  # OK, FAIL, or SKIP (not run because a check it needs failed)
    detail: str


class Failed(Exception):
    """A check's expectation not met; the message says what came instead."""


def expect(answer: Answer, status: int, what: str) -> Answer:
    if answer.status != status:
        raise Failed(f"{what}: {answer.describe()}, expected {status}")
    return answer


class SmokeRun:
    def __init__(self, settings: Settings, client: Client):
        self.settings = settings
        self.client = client
        self.checks: list[Check] = []
        self.marker = f"smoke{uuid.uuid4().hex[:12]}"  # one word the Finder's search finds only this run's row
        self.token = ""
        self.site_id = 0
        self.interaction_id = 0
        self.index_html = ""  # the SPA's index, whose script the assets check fetches

    def run(self) -> list[Check]:
        self._check("api health", self.api_health)
        self._check("api readiness", self.api_readiness)
        if self._check("frontend index", self.frontend_index):
            self._check("frontend assets", self.frontend_assets)
        else:
            self._skip("frontend assets", because="frontend index")
        if not self._check("sign in", self.sign_in):
            self._skip("create", "read", "search", "delete", "sign out", because="sign in")
            return self.checks
        if self._check("create", self.create):
            try:
                self._check("read", self.read)
                self._check("search", self.search)
            finally:
                self._check("delete", self.delete)
        else:
            self._skip("read", "search", "delete", because="create")
        self._check("sign out", self.sign_out)
        return self.checks

    # ------------------------------------------------------------ bookkeeping

    def _check(self, name: str, step: Callable[[], str]) -> bool:
        try:
            self.checks.append(Check(name, OK, step()))
        except Failed as exc:
            self.checks.append(Check(name, FAIL, str(exc)))
        except Exception as exc:  # a surprise answer (a body of the wrong shape) fails the check, not the run
            self.checks.append(Check(name, FAIL, f"{type(exc).__name__}: {exc}"))
        return self.checks[-1].outcome == OK

    def _skip(self, *names: str, because: str) -> None:
        self.checks.extend(Check(name, SKIP, f"not run: {because} failed") for name in names)

    def _api(self, method: str, path: str, body: dict | None = None) -> Answer:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        if self.site_id:
            headers["X-Site-ID"] = str(self.site_id)
        return self.client.request(method, f"{self.settings.base_url}{path}", body=body, headers=headers)

    # ------------------------------------------------------------ the services answer

    def api_health(self) -> str:
        answer = expect(self._api("GET", "/api/health"), 200, "GET /api/health")
        body = answer.json()
        if body.get("status") != "ok":
            raise Failed(f"GET /api/health: status {body.get('status')!r}")
        return f"version {body.get('version', '?')}"

    def api_readiness(self) -> str:
        # what the load balancer asks: the API's own database role, its grants and the schema's revision
        expect(self._api("GET", "/api/health/ready"), 200, "GET /api/health/ready")
        answer = self._api("GET", "/api/health/db")
        database = answer.json().get("database") or {}
        if answer.status != 200 or database.get("status") != "ok":
            raise Failed(f"GET /api/health/db: {answer.describe()}, database {database.get('status', '?')}")
        return f"database ok, cache {(answer.json().get('cache') or {}).get('status', '?')}"

    def frontend_index(self) -> str:
        url = f"{self.settings.frontend_url}/"
        answer = expect(self.client.request("GET", url), 200, f"GET {url}")
        if not answer.headers.get("content-type", "").startswith("text/html") or b'id="root"' not in answer.body:
            raise Failed(f"GET {url}: not the SPA's index.html")
        config = self.client.request("GET", f"{self.settings.frontend_url}/config.js")
        expect(config, 200, "GET /config.js")
        self.index_html = answer.body.decode("utf-8", "replace")
        return "index.html and config.js"

    def frontend_assets(self) -> str:
        found = ASSET_SCRIPT.search(self.index_html)
        if not found:
            raise Failed("the index names no /assets/ script: not a built SPA")
        expect(self.client.request("GET", f"{self.settings.frontend_url}{found[1]}"), 200, f"GET {found[1]}")
        return found[1]

    # ------------------------------------------------------------ the smoke account's round trip

    def sign_in(self) -> str:
        answer = self.client.request("POST", f"{self.settings.base_url}/api/auth/login",
                                     body={"username": self.settings.username, "password": self.settings.password})
        expect(answer, 200, f"POST /api/auth/login as {self.settings.username}")
        body = answer.json()
        self.token = body["access_token"]
        sites = {site["name"]: site["id"] for site in body["user"]["sites"]}
        if self.settings.site not in sites:
            raise Failed(f"{self.settings.username} is not a member of the site {self.settings.site!r}")
        self.site_id = sites[self.settings.site]
        return f"{self.settings.username} in {self.settings.site!r} (site {self.site_id})"

    def create(self) -> str:
        start = datetime.now(timezone.utc).replace(microsecond=0)
        answer = self._api("POST", "/api/interactions", {
            "title": f"Smoke test {self.marker}", "type": "Other", "lead": "Smoke test",
            "start_datetime": start.isoformat(), "end_datetime": (start + timedelta(minutes=30)).isoformat(),
            "timezone": "UTC", "description": "Written and deleted by the post-deploy smoke test.",
        })
        self.interaction_id = expect(answer, 201, "POST /api/interactions").json()["id"]
        return f"interaction {self.interaction_id}"

    def read(self) -> str:
        path = f"/api/interactions/{self.interaction_id}"
        title = expect(self._api("GET", path), 200, f"GET {path}").json().get("title", "")
        if self.marker not in title:
            raise Failed(f"GET {path}: title {title!r}")
        return f"interaction {self.interaction_id}"

    def search(self) -> str:
        answer = expect(self._api("GET", f"/api/interactions?search={quote(self.marker)}"), 200, "the Finder")
        found = [item["id"] for item in answer.json().get("items", [])]
        if found != [self.interaction_id]:
            raise Failed(f"searching {self.marker!r} found {found}, expected [{self.interaction_id}]")
        return f"{self.marker!r} found interaction {self.interaction_id}"

    def delete(self) -> str:
        path = f"/api/interactions/{self.interaction_id}"
        expect(self._api("DELETE", path), 204, f"DELETE {path}")
        expect(self._api("GET", path), 404, f"GET {path} after the delete")
        return f"interaction {self.interaction_id}, then 404"

    def sign_out(self) -> str:
        expect(self._api("POST", "/api/auth/logout"), 204, "POST /api/auth/logout")
        return "token revoked"
