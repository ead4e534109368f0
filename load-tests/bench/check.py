"""The smoke run's assertion: the harness worked (every scenario produced numbers, files exist). Never speed."""
from __future__ import annotations

import json
import os
import sys

from . import growth

EXPECTED = ("finder_cached", "floor", "search_uncached", "filter_sort_deep_p1", "filter_sort_deep_p10",
            "filter_sort_deep_p40", "writes", "insights_uncached", "mixed_users", "mixed_users_first_minute",
            "mixed_users_steady", "mixed_users_login", "capacity", "export_100k",
            "sql_baseline_search", "sql_baseline_filter_p1", "sql_baseline_filter_p10", "sql_baseline_filter_p40",
            "finder_worst_case", "finder_worst_case_2", "k6_2vus", "finder_primary", "finder_replica", "import_100k")


def problems(out_dir: str) -> list[str]:
    found = []
    for name in ("latest.json", "latency.png", "RESULTS.md"):
        path = os.path.join(out_dir, name)
        if not os.path.exists(path) or os.path.getsize(path) == 0:
            found.append(f"{name} was not written")
    try:
        results = json.load(open(os.path.join(out_dir, "latest.json")))
    except (OSError, ValueError) as exc:
        return found + [f"latest.json unreadable: {exc}"]
    if results.get("failures"):
        found.append(f"scenarios failed: {results['failures']}")
    for name in EXPECTED:
        summary = results.get("scenarios", {}).get(name)
        if not summary:
            found.append(f"{name}: no result")
            continue
        if not summary.get("requests"):
            found.append(f"{name}: no requests were made")
        elif summary["errors"] >= summary["requests"]:
            found.append(f"{name}: every request failed ({summary.get('error_samples')})")
        for key in ("p50_ms", "p95_ms", "p99_ms", "rps"):
            if not isinstance(summary.get(key), (int, float)):
                found.append(f"{name}: {key} missing")
    scenarios = results.get("scenarios", {})
    if not (scenarios.get("mixed_users_steady") or {}).get("by_action"):
        found.append("mixed_users_steady: no percentiles per action")
    if set((scenarios.get("mixed_users") or {}).get("server_time") or {}) != {"first", "steady"}:
        found.append("mixed_users: server time of a phase missing")
    if not (scenarios.get("capacity") or {}).get("steps"):
        found.append("capacity: no steps")
    export = results.get("scenarios", {}).get("export_100k") or {}
    if not export.get("rows_per_s") or export.get("rss_growth_mb") is None:
        found.append("export_100k: rows/s or RSS growth missing")
    imported = results.get("scenarios", {}).get("import_100k") or {}
    if not imported.get("import_s") or imported.get("imported") != imported.get("rows"):
        found.append("import_100k: import time missing or not every row imported")
    k6 = results.get("scenarios", {}).get("k6_2vus") or {}
    if "http_req_duration" not in (k6.get("summary_text") or ""):
        found.append("k6_2vus: k6's summary missing")
    text = open(os.path.join(out_dir, "RESULTS.md")).read()
    if "| `finder_cached` |" not in text:
        found.append("RESULTS.md has no table")
    runs = growth.load_runs(out_dir)
    if results.get("meta", {}).get("rows") not in runs:
        found.append("the run was not kept by its size under runs/")
    if growth.START not in text or "| `search_uncached` | p50 / p95 ms |" not in text:
        found.append("RESULTS.md has no growth table")
    if not os.path.exists(os.path.join(out_dir, "growth.png")):
        found.append("growth.png was not written")
    return found


if __name__ == "__main__":
    issues = problems(sys.argv[1])
    for issue in issues:
        print(f"bench smoke: {issue}", file=sys.stderr)
    print("bench smoke: the harness works" if not issues else "bench smoke: FAILED")
    sys.exit(1 if issues else 0)
