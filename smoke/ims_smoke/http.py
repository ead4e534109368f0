"""A small HTTP client that never raises on a status and times every request it makes."""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Answer:
    status: int  # 0 when no HTTP answer came (refused, timed out, TLS error)
    headers: dict[str, str]
    body: bytes
    error: str = ""  # why there was no answer

    def json(self) -> dict:
        try:
            value = json.loads(self.body)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def describe(self) -> str:
        return self.error if self.status == 0 else f"HTTP {self.status}"


@dataclass
class Client:
    timeout_seconds: float
    timings: list[tuple[str, float]] = field(default_factory=list)  # (request, ms), answered or not

    def request(self, method: str, url: str, *, body: dict | None = None,
                headers: dict[str, str] | None = None) -> Answer:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method, headers={
            "Accept": "application/json, text/html;q=0.9, */*;q=0.1", "User-Agent": "ims-smoke",
            **({"Content-Type": "application/json"} if data is not None else {}), **(headers or {})})
        started = time.perf_counter()
        try:
            # Only the URLs of the settings are opened (http or https, checked there).
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:  # nosec B310
                answer = Answer(response.status, _lowered(response.headers), response.read())
        except urllib.error.HTTPError as exc:
            answer = Answer(exc.code, _lowered(exc.headers), exc.read())
        except (OSError, ValueError) as exc:  # refused, reset, timed out, bad TLS, bad URL
            reason = getattr(exc, "reason", exc)
            answer = Answer(0, {}, b"", f"no answer ({reason})")
        self.timings.append((f"{method} {urllib.parse.urlsplit(url).path}", (time.perf_counter() - started) * 1000))
        return answer


def _lowered(headers) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()} if headers else {}
