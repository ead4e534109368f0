"""latest.json, the table in RESULTS.md (between its markers) and the latency chart."""
from __future__ import annotations

import json
import os
import re

TABLE_START, TABLE_END = "<!-- bench:table:start -->", "<!-- bench:table:end -->"
ORDER = ("floor", "finder_cached", "search_uncached", "filter_sort_deep_p1", "filter_sort_deep_p10",
         "filter_sort_deep_p40", "finder_worst_case", "finder_worst_case_2", "writes", "insights_uncached", "mixed_users", "mixed_users_login", "export_100k",
         "sql_baseline_search", "sql_baseline_filter_p1", "sql_baseline_filter_p10", "sql_baseline_filter_p40",
         "k6_50vus", "k6_100vus")
WORST_CASE = ("finder_worst_case", "finder_worst_case_2")  # bench/worstcase.py: its two corpora
K6_TARGET = "k6 thresholds: p95 < 500 ms, errors < 1 % (aim p95 < 150 ms)"


def verdicts(results: dict) -> dict[str, tuple[str, bool | None]]:
    """Each scenario's target from the issue, and whether this run met it (None: no target)."""
    s = results["scenarios"]

    def get(name, key):
        return (s.get(name) or {}).get(key)

    def le(value, limit):
        return value is not None and value <= limit

    floor_rps = get("floor", "rps") or 0
    out = {
        "finder_cached": ("≥ 1,000 req/s and ≥ 70 % of `floor`, p95 ≤ 20 ms",
                          (get("finder_cached", "rps") or 0) >= max(1000, 0.7 * floor_rps)
                          and le(get("finder_cached", "p95_ms"), 20)),
        "search_uncached": ("p95 ≤ 80 ms", le(get("search_uncached", "p95_ms"), 80)),
        "filter_sort_deep_p40": ("p95 ≤ 80 ms", le(get("filter_sort_deep_p40", "p95_ms"), 80)),
        "writes": ("p95 ≤ 50 ms", le(get("writes", "p95_ms"), 50)),
        "insights_uncached": ("p95 ≤ 300 ms", le(get("insights_uncached", "p95_ms"), 300)),
        "mixed_users": ("p95 ≤ 100 ms, p99 ≤ 250 ms, 0 errors",
                        le(get("mixed_users", "p95_ms"), 100) and le(get("mixed_users", "p99_ms"), 250)
                        and get("mixed_users", "errors") == 0),
        "export_100k": ("≥ 50,000 rows/s, RSS growth < 100 MB",
                        (get("export_100k", "rows_per_s") or 0) >= 50000
                        and (get("export_100k", "rss_growth_mb") or 1e9) < 100),
    }
    for name in WORST_CASE:  # each corpus on its own
        worst = s.get(name)
        if worst:
            out[name] = ("0 timeouts, p99 ≤ 300 ms, max ≤ 1 s",
                         worst.get("timeouts") == 0 and le(worst.get("p99_ms"), 300) and le(worst.get("max_ms"), 1000))
    for name, r in s.items():
        if name.startswith("k6_"):
            out[name] = (K6_TARGET, bool(r.get("thresholds_passed")))
    pairs = [("search_uncached", "sql_baseline_search")] + [
        (f"filter_sort_deep_p{p}", f"sql_baseline_filter_p{p}") for p in (1, 10, 40)]
    for api, sql in pairs:
        api_p50, sql_p50 = get(api, "p50_ms"), get(sql, "p50_ms")
        if api_p50 is not None and sql_p50 is not None:
            limit = 1.5 * sql_p50 + 5
            out[sql] = (f"{api} p50 ≤ 1.5 × {sql_p50:.1f} + 5 = {limit:.1f} ms", api_p50 <= limit)
    load = results.get("load") or {}
    if load.get("copy_s") is not None:
        out["load"] = ("< 120 s", load["copy_s"] + load.get("index_s", 0) + load.get("analyze_s", 0) < 120)
    return out


def _fmt(value, digits=1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}"


def table(results: dict) -> str:
    s, checks, meta = results["scenarios"], verdicts(results), results["meta"]
    load = results.get("load") or {}
    lines = [
        f"Run of {meta['date']} · commit `{meta['commit']}` · {meta['rows']:,} interactions · "
        f"{meta['duration_s']} s per scenario · {meta['cpu_count']} cores ({meta['cpu_model']}), "
        f"{meta['memory_gb']} GB RAM · load average at start {meta['load_average']} · "
        f"gunicorn {meta['gunicorn']}"
        + (f" · **forced at a load average of {meta['forced_at']}: not comparable with a quiet run**"
           if meta.get("forced_at") else ""),
        "",
        "| scenario | requests | errors | p50 ms | p95 ms | p99 ms | req/s | other | target | met |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | :---: |",
    ]
    for name in ORDER + tuple(sorted(n for n in s if n.startswith("k6_") and n not in ORDER)):
        r = s.get(name)
        if not r:
            continue
        other = ""
        if name == "export_100k":
            other = f"{_fmt(r.get('rows_per_s'))} rows/s, RSS +{_fmt(r.get('rss_growth_mb'))} MB"
        elif name == "finder_cached":
            other = f"{r.get('connections')} connections, {r.get('cache_misses')} misses"
            if (s.get("floor") or {}).get("rps"):
                other += f", {100 * r['rps'] / s['floor']['rps']:.0f} % of `floor`"
        elif name == "floor":
            other = f"{r.get('connections')} connections, token check + one Redis GET of {r.get('page_bytes')} B"
        elif name in WORST_CASE:
            other = (f"{r.get('timeouts')} timeouts, max {_fmt(r.get('max_ms'))} ms, corpus of "
                     f"{r.get('corpus_size')} queries, {r.get('connections')} connection"
                     + ("" if r.get("connections") == 1 else "s"))
        elif name.startswith("k6_"):
            other = (f"{r.get('vus')} VUs × {r.get('duration')}, max {_fmt(r.get('max_ms'))} ms, "
                     f"finder p95 {_fmt(r.get('finder_p95_ms'))} ms, {100 * (r.get('error_rate') or 0):.2f} % failed")
        elif name == "mixed_users":
            other = f"{r.get('users')} users, {r.get('version_conflicts')} version conflicts"
        elif "connections" in r:
            other = f"{r['connections']} connections"
        target, met = checks.get(name, ("", None))
        mark = "" if met is None else ("yes" if met else "**no**")
        lines.append(f"| `{name}` | {_fmt(r['requests'])} | {_fmt(r['errors'])} | {_fmt(r['p50_ms'])} | "
                     f"{_fmt(r['p95_ms'])} | {_fmt(r['p99_ms'])} | {_fmt(r['rps'])} | {other} | {target} | {mark} |")
    if load:
        target, met = checks.get("load", ("", None))
        lines.append(f"| loading {meta['rows']:,} rows | | | | | | | COPY {load['copy_s']:.1f} s + indexes "
                     f"{load['index_s']:.1f} s + ANALYZE {load['analyze_s']:.1f} s = {load['total_s']:.1f} s | "
                     f"{target} | {'' if met is None else ('yes' if met else '**no**')} |")
    postgres = meta.get("postgres") or {}
    if postgres.get("cluster") == "production-like":
        settings = postgres["settings"]
        lines += ["", f"PostgreSQL: a private cluster with production's settings ({postgres['instance_class']}: "
                  + ", ".join(f"`{k}={settings[k]}`" for k in ("shared_buffers", "effective_cache_size",
                                                                   "work_mem", "random_page_cost"))
                  + "; parameter group: " + ", ".join(f"`{k}={v}`" for k, v in postgres["parameter_group"].items())
                  + (f"; skipped (RDS only): {', '.join(postgres['skipped'])}" if postgres.get("skipped") else "")
                  + "). Source: terraform/modules/database/main.tf and environments/prod.tfvars."]
        slow = postgres.get("slow_statements") or {}
        if slow:
            lines += ["", f"Statements over production's `log_min_duration_statement` during the scenarios: "
                      f"{slow.get('count', 0)}" + ("; slowest:" if slow.get("slowest") else "."), ""]
            lines += [f"- {_fmt(q['ms'])} ms: `{q['statement'][:200].replace('`', '')}`"
                      for q in slow.get("slowest", [])]
    elif postgres:
        lines += ["", "PostgreSQL: the shared test server with its own settings."]
    classes = (s.get("search_uncached") or {}).get("by_class") or {}
    if classes:
        lines += ["", "`search_uncached` by kind of search: " + "; ".join(
            f"{k} p50 {_fmt(v['p50_ms'])} / p95 {_fmt(v['p95_ms'])} ms" for k, v in classes.items())]
    for name in WORST_CASE:
        worst = s.get(name) or {}
        if worst.get("slowest"):
            lines += ["", f"`{name}`, slowest queries of the run:", ""]
            lines += [f"- {_fmt(q['ms'])} ms (HTTP {q['status']}): `{_query(q['params'])}`" for q in worst["slowest"][:5]]
    if results.get("plans"):
        lines += ["", "<details><summary>Plans of the former worst query shapes (site 3, EXPLAIN ANALYZE, "
                  "warm)</summary>", "", results["plans"], "</details>"]
    for name in sorted((n for n in s if n.startswith("k6_")), key=lambda n: int(n[3:-3])):
        if (s.get(name) or {}).get("summary_text"):
            lines += ["", f"k6's summary, `{name}`:", "", "```", s[name]["summary_text"], "```"]
    return "\n".join(lines)


def _query(params: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(params, doseq=True)


def write_results_md(path: str, results: dict, chart_name: str) -> None:
    text = open(path).read() if os.path.exists(path) else (
        "# Benchmark results\n\n" + TABLE_START + "\n" + TABLE_END + "\n")
    block = f"{TABLE_START}\n{table(results)}\n\n![latency per scenario]({chart_name})\n{TABLE_END}"
    text = re.sub(re.escape(TABLE_START) + ".*?" + re.escape(TABLE_END), lambda _: block, text, flags=re.S)
    with open(path, "w") as handle:
        handle.write(text)


def write_json(path: str, results: dict) -> None:
    with open(path, "w") as handle:
        json.dump(results, handle, indent=2, sort_keys=False)
        handle.write("\n")


def chart(path: str, results: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [n for n in ORDER if n in results["scenarios"] and results["scenarios"][n].get("p50_ms") is not None
             and n != "export_100k"]
    fig, ax = plt.subplots(figsize=(11, 5))
    width = 0.27
    for offset, key, colour in ((-width, "p50_ms", "#4c78a8"), (0, "p95_ms", "#f58518"), (width, "p99_ms", "#e45756")):
        values = [max(results["scenarios"][n][key] or 0.01, 0.01) for n in names]
        ax.bar([i + offset for i in range(len(names))], values, width, label=key.replace("_ms", ""), color=colour)
    ax.set_yscale("log")
    ax.set_ylabel("latency (ms, log scale)")
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=35, ha="right", fontsize=8)
    ax.axhline(80, color="grey", linestyle=":", linewidth=1)
    ax.axhline(100, color="grey", linestyle="--", linewidth=1)
    meta = results["meta"]
    ax.set_title(f"IMS API latency at {meta['rows']:,} interactions ({meta['date']}, {meta['commit']})")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
