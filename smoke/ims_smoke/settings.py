"""The smoke test's settings, read from the environment: where to go, as whom, and the thresholds."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_USERNAME = "smoke-test"
DEFAULT_SITE = "Smoke test"
DEFAULT_P95_MS = 1000.0
DEFAULT_TIMEOUT_SECONDS = 10.0


class SettingsError(ValueError):
    """A setting is missing or unusable; the message names every one."""


@dataclass(frozen=True)
class Settings:
    base_url: str  # BASE_URL: the API's origin, e.g. https://api.interactions.example.com
    frontend_url: str  # FRONTEND_URL: the SPA's origin; the API's when unset (locally the API serves the SPA)
    username: str  # SMOKE_USERNAME
    password: str  # SMOKE_PASSWORD
    site: str  # SMOKE_SITE: the site the smoke account writes in, and the only one it should belong to
    p95_ms: float  # SMOKE_P95_MS: the 95th percentile of every request's time must not exceed it
    timeout_seconds: float  # SMOKE_TIMEOUT_SECONDS: one request taking longer fails its check


def _number(env: Mapping[str, str], name: str, default: float, problems: list[str]) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if value < 0:
        problems.append(f"{name} must be a number of at least 0 (got {raw!r})")
    return value


def from_environment(env: Mapping[str, str]) -> Settings:
    problems: list[str] = []
    base_url = env.get("BASE_URL", "").strip().rstrip("/")
    if not base_url.startswith(("http://", "https://")):
        problems.append("BASE_URL must be the API's http(s):// origin")
    password = env.get("SMOKE_PASSWORD", "")
    if not password:
        problems.append("SMOKE_PASSWORD must be the smoke account's password")
    settings = Settings(
        base_url=base_url,
        frontend_url=(env.get("FRONTEND_URL", "").strip() or base_url).rstrip("/"),
        username=env.get("SMOKE_USERNAME", "").strip() or DEFAULT_USERNAME,
        password=password,
        site=env.get("SMOKE_SITE", "").strip() or DEFAULT_SITE,
        p95_ms=_number(env, "SMOKE_P95_MS", DEFAULT_P95_MS, problems),
        timeout_seconds=_number(env, "SMOKE_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS, problems),
    )
    if problems:
        raise SettingsError("; ".join(problems))
    return settings
