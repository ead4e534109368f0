"""`python -m ims_smoke` (or `make smoke BASE_URL=…`): run the checks, print the report, exit 1 on a
failed threshold, 2 on unusable settings."""
from __future__ import annotations

import os
import sys

from .checks import SmokeRun
from .http import Client
from .report import latency_check, passed, render
from .settings import SettingsError, from_environment


def main() -> int:
    try:
        settings = from_environment(os.environ)
    except SettingsError as exc:
        print(f"smoke test not run: {exc}", file=sys.stderr)
        return 2
    client = Client(settings.timeout_seconds)
    checks = SmokeRun(settings, client).run()
    checks.append(latency_check(client.timings, settings.p95_ms))
    frontend = "" if settings.frontend_url == settings.base_url else f" (frontend {settings.frontend_url})"
    print(render(f"smoke test of {settings.base_url}{frontend}", checks), flush=True)
    return 0 if passed(checks) else 1


if __name__ == "__main__":
    sys.exit(main())
