"""latest.json, the table in RESULTS.md (between its markers) and the latency chart."""
from __future__ import annotations

import json
import os
import re

TABLE_START, TABLE_END = "<!-- bench:table:start -->", "<!-- bench:table:end -->"
ORDER = ("floor", "finder_cached", "search_uncached", "finder_primary", "finder_replica", "filter_sort_deep_p1",
         "filter_sort_deep_p10", "filter_sort_deep_p40", "finder_worst_case", "finder_worst_case_2", "writes",
         "insights_uncached", "mixed_users", "mixed_users_first_minute", "mixed_users_steady", "mixed_users_login",
         "capacity", "export_100k", "import_100k",
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
        "finder_cached": ("≥ 85 % of `floor`, p95 ≤ 20 ms",
                          (get("finder_cached", "rps") or 0) >= 0.85 * floor_rps
                          and le(get("finder_cached", "p95_ms"), 20)),
        "search_uncached": ("p95 ≤ 50 ms", le(get("search_uncached", "p95_ms"), 50)),
        "filter_sort_deep_p40": ("p95 ≤ 80 ms", le(get("filter_sort_deep_p40", "p95_ms"), 80)),
        "writes": ("p95 ≤ 50 ms", le(get("writes", "p95_ms"), 50)),
        "insights_uncached": ("p95 ≤ 300 ms", le(get("insights_uncached", "p95_ms"), 300)),
        "mixed_users_steady": ("p95 ≤ 100 ms, p99 ≤ 250 ms, 0 errors",
                               le(get("mixed_users_steady", "p95_ms"), 100)
                               and le(get("mixed_users_steady", "p99_ms"), 250)
                               and get("mixed_users_steady", "errors") == 0),
        "mixed_users_first_minute": ("p95 ≤ 250 ms after a restart, 0 errors",
                                     le(get("mixed_users_first_minute", "p95_ms"), 250)
                                     and get("mixed_users_first_minute", "errors") == 0),
        "capacity": ("≥ 50 req/s with p95 ≤ 100 ms", (get("capacity", "highest_rate") or 0) >= 50),
        "import_100k": ("100,000 rows in ≤ 30 s while the Finder answers (p95 during the import reported)",
                        le(get("import_100k", "import_s"), 30) and get("import_100k", "errors") == 0),
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
    # a search's API against its SQL: within half again and 5 ms; a filtered page's: within 3 ms
    pairs = [("search_uncached", "sql_baseline_search", 1.5, 5)] + [
        (f"filter_sort_deep_p{p}", f"sql_baseline_filter_p{p}", 1.0, 3) for p in (1, 10, 40)]
    for api, sql, times, plus in pairs:
        api_p50, sql_p50 = get(api, "p50_ms"), get(sql, "p50_ms")
        if api_p50 is not None and sql_p50 is not None:
            limit = times * sql_p50 + plus
            bound = f"{sql_p50:.1f} + {plus}" if times == 1 else f"{times} × {sql_p50:.1f} + {plus}"
            out[sql] = (f"{api} p50 ≤ {bound} = {limit:.1f} ms", api_p50 <= limit)
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
        elif name == "import_100k":
            other = (f"{_fmt(r.get('imported'))} rows in {_fmt(r.get('import_s'))} s (upload {_fmt(r.get('upload_s'))} s), "
                     f"{_fmt(r.get('rows_per_s'))} rows/s; latencies: the Finder meanwhile")
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
            other = (f"{r.get('users')} users, {_fmt(r.get('duration_s'))} s after a restart "
                     f"(ready in {_fmt(r.get('restart_s'))} s), {r.get('version_conflicts')} version conflicts")
        elif name.startswith("mixed_users_") and "from_s" in r:
            other = f"requests scheduled {_fmt(r['from_s'])}–{_fmt(r['to_s'])} s"
        elif name == "capacity":
            other = (f"highest rate with p95 ≤ {_fmt(r.get('p95_limit_ms'), 0)} ms: {_fmt(r.get('highest_rate'))} req/s "
                     f"(its step's numbers; {_fmt(r.get('step_s'))} s per step, see below)")
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
        if postgres.get("auto_explain_ms"):
            lines += ["", f"**auto_explain on** (plans of statements over {postgres['auto_explain_ms']} ms in "
                      "postgres.log): every statement was instrumented, so these latencies compare with nothing."]
        slow = postgres.get("slow_statements") or {}
        if slow:
            lines += ["", f"Statements over production's `log_min_duration_statement` during the scenarios: "
                      f"{slow.get('count', 0)}" + ("; slowest:" if slow.get("slowest") else "."), ""]
            lines += [f"- {_fmt(q['ms'])} ms: `{q['statement'][:200].replace('`', '')}`"
                      for q in slow.get("slowest", [])]
    elif postgres:
        lines += ["", "PostgreSQL: the shared test server with its own settings."]
    lines += crowd_sections(s)
    classes = (s.get("search_uncached") or {}).get("by_class") or {}
    if classes:
        lines += ["", "`search_uncached` by kind of search: " + "; ".join(
            f"{k} p50 {_fmt(v['p50_ms'])} / p95 {_fmt(v['p95_ms'])} ms" for k, v in classes.items())]
    replica = s.get("finder_replica") or {}
    if replica.get("replica"):
        primary = s.get("finder_primary") or {}
        lines += ["", f"`finder_replica`: `search_uncached`'s searches with DB_READ_HOST on {replica['replica']}, "
                  f"p50 {_fmt(replica['p50_ms'])} / p95 {_fmt(replica['p95_ms'])} ms, beside `finder_primary` (the "
                  f"same on the primary alone, just before) p50 {_fmt(primary.get('p50_ms'))} / p95 "
                  f"{_fmt(primary.get('p95_ms'))} ms; the API held {replica.get('replica_read_connections')} read "
                  "connections on the replica at the end."]
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


def crowd_sections(s: dict) -> list[str]:
    """mixed_users per phase and action, where its server time went, and the capacity steps."""
    lines = []
    phases = [(label, s.get(name)) for label, name in (("first minute", "mixed_users_first_minute"),
                                                        ("steady state", "mixed_users_steady")) if s.get(name)]
    if phases:
        lines += ["", "`mixed_users` by action (open loop, timed from the scheduled send):", "",
                  "| phase | action | requests | errors | p50 ms | p95 ms | p99 ms | max ms |",
                  "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for label, r in phases:
            for action, a in [("all", r), *r.get("by_action", {}).items()]:
                lines.append(f"| {label} | {action} | {_fmt(a['requests'])} | {_fmt(a['errors'])} | {_fmt(a['p50_ms'])} | "
                             f"{_fmt(a['p95_ms'])} | {_fmt(a['p99_ms'])} | {_fmt(a['max_ms'])} |")
    mixed = s.get("mixed_users") or {}
    split = mixed.get("server_time") or {}
    if split:
        lines += ["", "Where `mixed_users`' time went (sums over the phase's requests; queue = the client's latency "
                  "minus the app's own, Python = the app's minus PostgreSQL's execution time from "
                  "`pg_stat_statements`):", "",
                  "| phase | client s | queue before the app s | app s | Python s | PostgreSQL execution s | PostgreSQL share of the app |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for key, label in (("first", "first minute"), ("steady", "steady state")):
            t = split.get(key)
            if t:
                share = f"{100 * t['db_share']:.0f} %" if t.get("db_share") is not None else "–"
                lines.append(f"| {label} | {_fmt(t['client_ms'] / 1000)} | {_fmt(t['queue_ms'] / 1000)} | "
                             f"{_fmt(t['app_ms'] / 1000)} | {_fmt((t.get('python_ms') or 0) / 1000) if 'python_ms' in t else '–'} | "
                             f"{_fmt(t['db_ms'] / 1000) if 'db_ms' in t else '–'} | {share} |")
        if mixed.get("statements_note"):
            lines += ["", f"`pg_stat_statements` not available: {mixed['statements_note']}"]
        top = (split.get("steady") or {}).get("statements") or []
        if top:
            lines += ["", "Top statements of the steady state by PostgreSQL's total time:", ""]
            lines += [f"- {_fmt(q['total_ms'])} ms in {_fmt(q['calls'])} calls ({_fmt(q['mean_ms'], 2)} ms each): "
                      f"`{q['statement'][:160].replace('`', '')}`" for q in top[:6]]
    if mixed.get("profile"):
        lines += ["", "py-spy over the workers in the steady state, busy samples by innermost recognised frame: "
                  + "; ".join(f"{name} {100 * share:.0f} %" for name, share in mixed["profile"].items() if share >= 0.01)]
    steps = (s.get("capacity") or {}).get("steps") or []
    if steps:
        lines += ["", "`capacity`: the `mixed_users` mix at rising open-loop rates (stops at the first step over "
                  "p95 100 ms):", "", "| rate req/s | requests | errors | p50 ms | p95 ms | p99 ms | within |",
                  "| ---: | ---: | ---: | ---: | ---: | ---: | :---: |"]
        lines += [f"| {_fmt(st['rate'])} | {_fmt(st['requests'])} | {_fmt(st['errors'])} | {_fmt(st['p50_ms'])} | "
                  f"{_fmt(st['p95_ms'])} | {_fmt(st['p99_ms'])} | {'yes' if st['passed'] else '**no**'} |" for st in steps]
    return lines


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
