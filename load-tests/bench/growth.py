"""The growth curve: every full run is kept by its size (runs/rows-N.json); a table and a chart of each
scenario against N, and the issue's rule for the largest size: reads within 1.5× of 1,000,000 rows."""
from __future__ import annotations

import glob
import json
import os
import re

REFERENCE_ROWS = 1_000_000  # the size RESULTS.md's main table describes
START, END = "<!-- bench:growth:start -->", "<!-- bench:growth:end -->"
WITHIN = 1.5  # the largest size's p95 against the reference size's, for the reads below
READS = ("search_uncached", "filter_sort_deep_p1", "filter_sort_deep_p10", "filter_sort_deep_p40",
         "finder_worst_case", "finder_worst_case_2", "k6_50vus", "k6_100vus")
LATENCIES = ("finder_cached", "floor", *READS[:6], "insights_uncached", "writes", "mixed_users_first_minute",
             "mixed_users_steady", "k6_50vus", "k6_100vus", "sql_baseline_search", "sql_baseline_filter_p1",
             "sql_baseline_filter_p40")
CHARTED = ("finder_cached", "search_uncached", "filter_sort_deep_p10", "finder_worst_case", "finder_worst_case_2",
           "mixed_users_steady", "k6_50vus", "writes")


def run_path(out_dir: str, rows: int) -> str:
    return os.path.join(out_dir, "runs", f"rows-{rows}.json")


def load_runs(out_dir: str) -> dict[int, dict]:
    """The latest full run of each size, by rows."""
    runs = {}
    for path in glob.glob(os.path.join(out_dir, "runs", "rows-*.json")):
        match = re.search(r"rows-(\d+)\.json$", path)
        if match:
            with open(path) as handle:
                runs[int(match.group(1))] = json.load(handle)
    return dict(sorted(runs.items()))


def _fmt(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"


def _ratio(runs: dict[int, dict], name: str, key: str) -> tuple[float | None, int | None]:
    """The largest size's value over the reference size's."""
    largest = max(runs) if runs else None
    if largest is None or largest <= REFERENCE_ROWS or REFERENCE_ROWS not in runs:
        return None, largest
    base = (runs[REFERENCE_ROWS]["scenarios"].get(name) or {}).get(key)
    top = (runs[largest]["scenarios"].get(name) or {}).get(key)
    return (top / base if base and top is not None else None), largest


def rows_of_table(runs: dict[int, dict]) -> list[tuple[str, str, list[str], str, str]]:
    """(scenario, measure, one cell per size, largest ÷ reference, verdict) for the table."""
    out = []

    def cells(pick):
        return [pick(run) for run in runs.values()]

    for name in LATENCIES:
        keys = ("p50_ms", "p95_ms", "p99_ms", "max_ms") if name.startswith("finder_worst_case") else ("p50_ms", "p95_ms")
        measure = " / ".join(k[:-3] for k in keys) + " ms"

        def pick(run, name=name, keys=keys):
            r = run["scenarios"].get(name)
            return " / ".join(_fmt(r.get(k)) for k in keys) if r else "–"

        ratio, largest = _ratio(runs, name, "p95_ms")
        verdict = ""
        if name in READS and ratio is not None:
            verdict = "yes" if ratio <= WITHIN else "**no**"
        if name == "mixed_users_steady" and largest and largest > REFERENCE_ROWS:
            p95 = (runs[largest]["scenarios"].get(name) or {}).get("p95_ms")
            verdict = "" if p95 is None else ("yes" if p95 <= 100 else "**no**")
        out.append((name, measure, cells(pick), "–" if ratio is None else f"×{ratio:.2f} (p95)", verdict))
    for name, key, measure in (("capacity", "highest_rate", "highest rate with p95 ≤ 100 ms, req/s"),
                               ("finder_cached", "rps", "req/s"), ("export_100k", "rows_per_s", "rows (a site), rows/s"),
                               ("import_100k", "rows_per_s", "rows, rows/s")):
        def pick(run, name=name, key=key):
            r = run["scenarios"].get(name) or {}
            rows = r.get("imported", r.get("rows"))
            if name == "capacity" and r.get(key) is None and r.get("steps"):
                return f"< {r['steps'][0]['rate']}"  # over the target from the lowest step on
            return (f"{rows:,} at " if name in ("export_100k", "import_100k") and rows else "") + _fmt(r.get(key))

        ratio, _ = _ratio(runs, name, key)
        out.append((name, measure, cells(pick), "–" if ratio is None else f"×{ratio:.2f}", ""))
    loads = [(run.get("load") or {}).get("total_s") for run in runs.values()]
    base = (runs.get(REFERENCE_ROWS, {}).get("load") or {}).get("total_s")
    out.append(("loading", "COPY + indexes + ANALYZE, s", [_fmt(v) for v in loads],
                f"×{loads[-1] / base:.2f}" if base and loads and loads[-1] and max(runs) > REFERENCE_ROWS else "–", ""))
    return out


def table(runs: dict[int, dict]) -> str:
    sizes = list(runs)
    lines = ["Runs: " + "; ".join(
        f"{rows:,} rows on {run['meta']['date']}, commit `{run['meta']['commit']}`, load average at start "
        f"{run['meta']['load_average']}" + (" (**forced**)" if run["meta"].get("forced_at") else "")
        for rows, run in runs.items()), "",
        "| scenario | measure | " + " | ".join(f"{n:,}" for n in sizes) + " | largest ÷ 1,000,000 | "
        f"target at the largest: reads p95 ≤ {WITHIN} × 1M, crowd p95 ≤ 100 ms |",
        "| --- | --- | " + " | ".join("---:" for _ in sizes) + " | ---: | :---: |"]
    for name, measure, values, ratio, verdict in rows_of_table(runs):
        lines.append(f"| `{name}` | {measure} | " + " | ".join(values) + f" | {ratio} | {verdict} |")
    return "\n".join(lines)


def chart(path: str, runs: dict[int, dict]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = list(runs)
    fig, (latency, loading) = plt.subplots(1, 2, figsize=(12, 5), gridspec_kw={"width_ratios": [3, 1]})
    for name in CHARTED:
        colour = None
        for key, style in (("p95_ms", "-"), ("p50_ms", ":")):
            values = [(run["scenarios"].get(name) or {}).get(key) for run in runs.values()]
            points = [(n, v) for n, v in zip(sizes, values) if v]
            if points:
                line, = latency.plot(*zip(*points), style, marker="o", color=colour,
                                     label=name if key == "p95_ms" else None)
                colour = line.get_color()
    latency.set_xscale("log")
    latency.set_yscale("log")
    latency.set_xlabel("interactions (10 sites)")
    latency.set_ylabel("ms (p95 solid, p50 dotted; log scale)")
    latency.axhline(100, color="grey", linestyle="--", linewidth=1)
    latency.legend(fontsize=7, ncol=2)
    latency.set_title("latency against the table's size")
    totals = [(n, (run.get("load") or {}).get("total_s")) for n, run in runs.items()]
    totals = [(n, v) for n, v in totals if v]
    if totals:
        loading.plot(*zip(*totals), marker="o", color="#4c78a8")
    loading.set_xlabel("interactions (linear)")
    loading.set_ylabel("s")
    loading.set_title("loading (COPY, indexes, ANALYZE)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_section(results_md: str, runs: dict[int, dict], chart_name: str) -> None:
    """Replace the text between the growth markers (appended at the end when they are missing)."""
    text = open(results_md).read()
    block = f"{START}\n{table(runs)}\n\n![latency and loading against N]({chart_name})\n{END}"
    if START in text and END in text:
        text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    with open(results_md, "w") as handle:
        handle.write(text)
