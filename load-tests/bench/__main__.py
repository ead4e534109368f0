"""Run the benchmark: database, data, API under gunicorn, scenarios, results.

    python -m bench --rows 1000000 --duration 20 --out results --results-md RESULTS.md
"""
from __future__ import annotations

import argparse
import asyncio
import os
import platform
import signal
import subprocess
import sys
import time
import traceback
from datetime import datetime, timezone

from . import (crowd, database, dataset, floor, growth, imports, insights, k6run, plans, profiling, quiet, replica,
               report, scenarios, worstcase)
from .pgcluster import ProductionLikePostgres
from .server import ApiServer, login

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BACKEND = os.path.join(os.path.dirname(HERE), "backend")
SCENARIOS = ("finder_cached", "floor", "search_uncached", "filter_sort_deep", "finder_worst_case", "writes",
             "insights_uncached", "mixed_users", "capacity", "export_100k", "sql_baseline", "k6_guide",
             "finder_replica", "import_100k")
SCENARIO_MODULES = (scenarios, crowd, worstcase, insights, k6run, replica, imports)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def machine_facts(rows: int, duration: float) -> dict:
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
                 platform.processor())
    memory_kb = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True,
                            timeout=10).stdout.strip() or "unknown"
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "commit": commit, "rows": rows,
        "duration_s": duration, "cpu_count": os.cpu_count(), "cpu_model": model,
        "memory_gb": round(memory_kb / 2**20, 1), "load_average": ", ".join(f"{x:.1f}" for x in os.getloadavg()),
        "python": platform.python_version(),
    }


def redis_cleanup(url: str, prefix: str) -> int:
    code = ("import redis, sys; r = redis.Redis.from_url(sys.argv[1]); n = 0\n"
            "for k in r.scan_iter(match=sys.argv[2] + '*', count=1000): n += r.delete(k)\nprint(n)")
    out = subprocess.run([os.path.join(BACKEND, ".venv/bin/python"), "-c", code, url, prefix],
                         capture_output=True, text=True, timeout=120)
    return int(out.stdout.strip() or 0)


def prepare_database(args, env: dict) -> dict | None:
    """Create, migrate and load the benchmark database; returns load timings (None when reused)."""
    dsn = database.dsn_for(args.db)
    if args.reuse_db and database.exists_with_rows(args.db, args.rows):
        log(f"reusing database {args.db} with {args.rows:,} rows; applying new migrations")
        database.migrate(BACKEND, env)
        return None
    log(f"creating database {args.db}")
    database.recreate(args.db)
    database.migrate(BACKEND, env)
    database.create_sites_and_users(dsn, database.password_hash(BACKEND))
    log(f"loading {args.rows:,} interactions over {dataset.SITES} sites")
    return dataset.load(dsn, args.rows, _editors(dsn), log)


def _editors(dsn: str) -> dict[int, int]:
    import psycopg

    with psycopg.connect(dsn) as conn:
        rows = conn.execute("SELECT default_site_id, id FROM users WHERE username LIKE 'bench-editor-%'").fetchall()
    return dict(rows)


def run(args) -> int:
    os.makedirs(args.out, exist_ok=True)
    results = {"meta": machine_facts(args.rows, args.duration), "load": None, "scenarios": {}, "failures": {}}
    results["meta"]["forced_at"] = getattr(args, "forced_at", None)
    cluster = None
    if args.postgres == "production":
        cluster = ProductionLikePostgres()
        log(f"starting a PostgreSQL cluster with production's settings ({cluster.facts['instance_class']}) "
            f"on port {cluster.port}")
        cluster.start()
        os.environ["BENCH_PG_ADMIN_DSN"] = cluster.admin_dsn
        results["meta"]["postgres"] = {"cluster": "production-like", **cluster.facts}
    else:
        results["meta"]["postgres"] = {"cluster": "shared", "admin_dsn": database.admin_dsn()}
    try:
        return _run(args, results, cluster)
    finally:
        if cluster:
            cluster.stop()
            log("stopped the PostgreSQL cluster")


def _run(args, results: dict, cluster: ProductionLikePostgres | None = None) -> int:
    dsn = database.dsn_for(args.db)
    database_url = dsn.replace("postgresql://", "postgresql+psycopg2://")
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    prefix = f"ims-bench:{os.getpid()}:"
    env = {**os.environ, "DATABASE_URL": database_url, "APP_ENV": "development"}
    server = None
    try:
        started = time.monotonic()
        results["load"] = prepare_database(args, env)
        results["meta"]["prepare_s"] = round(time.monotonic() - started, 1)
        server = ApiServer(BACKEND, database_url, redis_url, prefix, args.port, os.path.join(args.out, "server.log"))
        results["meta"]["gunicorn"] = _gunicorn_facts(server)
        log(f"starting the API: {results['meta']['gunicorn']}")
        server.start()
        ctx = scenarios.Context(base_url=server.base_url, token=login(server.base_url, "bench-admin",
                                                                        database.PASSWORD),
                                mixed_users=[f"bench-user-{i:03d}" for i in range(min(args.users, database.MIXED_USERS))],
                                password=database.PASSWORD, duration_s=args.duration, dsn=dsn, rows=args.rows,
                                server=server, k6_vus=args.k6_vus, k6_duration=args.k6_duration,
                                k6_ramp=args.k6_ramp, cluster=cluster, mixed_duration_s=args.mixed_duration,
                                mixed_first_s=args.mixed_first, mixed_restart=args.mixed_restart,
                                capacity_rates=tuple(args.capacity_rates), capacity_step_s=args.capacity_step,
                                out_dir=args.out)
        for name in args.scenarios:
            log(f"scenario {name}")
            # mixed_users restarts the server and profiles its own steady state
            spies = profiling.start(server, name, args) if args.profile and name != "mixed_users" else []
            try:
                function = floor.scenario if name == "floor" else next(
                    getattr(m, name) for m in SCENARIO_MODULES if hasattr(m, name))
                outcome = function(ctx)
                if asyncio.iscoroutine(outcome):
                    outcome = asyncio.run(outcome)
                results["scenarios"].update(outcome)
                for key, summary in outcome.items():
                    log(f"  {key}: {summary['requests']} requests, {summary['errors']} errors, "
                        f"p50 {summary['p50_ms']} p95 {summary['p95_ms']} p99 {summary['p99_ms']} ms, "
                        f"{summary['rps']} req/s")
            except Exception as exc:  # noqa: BLE001 - reported, and the run fails at the end
                traceback.print_exc()
                results["failures"][name] = f"{type(exc).__name__}: {exc}"
            finally:
                profiling.finish(spies)
        if args.plans:
            log("plans of the former worst query shapes")
            try:
                results["plans"] = plans.explain_all(dsn)
            except Exception as exc:  # noqa: BLE001 - reported, and the run fails at the end
                traceback.print_exc()
                results["failures"]["plans"] = f"{type(exc).__name__}: {exc}"
    finally:
        if server:
            server.stop()
        if cluster:
            results["meta"]["postgres"]["slow_statements"] = cluster.slow_statements(
                os.path.join(args.out, "postgres.log"))
        removed = redis_cleanup(redis_url, prefix)
        log(f"removed {removed} Redis keys under {prefix}")
        if not args.keep_db or args.postgres == "production":
            database.drop(args.db)
            log(f"dropped database {args.db}")
    report.write_json(os.path.join(args.out, "latest.json"), results)
    if results["scenarios"]:
        print(report.table(results))
        write_results(args, results)
    if results["failures"]:
        log(f"failed scenarios: {results['failures']}")
        return 1
    return 0


def write_results(args, results: dict) -> None:
    """The chart, and with --results-md the run kept by its size, the main table and the growth section.

    The main table and latency.png describe the latest full run of 1,000,000 rows when there is one: a full
    run of another size (`N=3000000 make bench`) adds its column to the growth table without replacing them;
    a run of some scenarios (SCENARIOS=) writes the main table from itself and leaves the growth alone."""
    main_results, full = results, set(args.scenarios) == set(SCENARIOS)
    if args.results_md and (results["meta"].get("postgres") or {}).get("auto_explain_ms"):
        log("auto_explain instrumented every statement: RESULTS.md, its charts and runs/ left alone; the plans "
            "are in " + os.path.join(args.out, "postgres.log"))
        return
    if args.results_md and full:  # a run of some scenarios only stays out of the growth curve
        os.makedirs(os.path.join(args.out, "runs"), exist_ok=True)
        report.write_json(growth.run_path(args.out, args.rows), results)
        runs = growth.load_runs(args.out)
        main_results = runs.get(growth.REFERENCE_ROWS, results)
    report.chart(os.path.join(args.out, "latency.png"), main_results)
    if args.results_md:
        here = os.path.dirname(args.results_md)
        report.write_results_md(args.results_md, main_results,
                                os.path.relpath(os.path.join(args.out, "latency.png"), here))
        if full:
            growth.chart(os.path.join(args.out, "growth.png"), runs)
            growth.write_section(args.results_md, runs, os.path.relpath(os.path.join(args.out, "growth.png"), here))


def _gunicorn_facts(server: ApiServer) -> str:
    code = ("import runpy; c = runpy.run_path('gunicorn.conf.py'); "
            "print(c['worker_class'], c['workers'], 'workers', c['threads'], 'threads')")
    out = subprocess.run([os.path.join(BACKEND, ".venv/bin/python"), "-c", code], cwd=BACKEND, env=server.env,
                         capture_output=True, text=True, timeout=30)
    return out.stdout.strip() or "unknown"


def main(argv=None) -> int:
    # a TERM (e.g. from `timeout`) unwinds like an error: the server is stopped, keys and database removed
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(prog="bench", description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per scenario")
    parser.add_argument("--out", default=os.path.join(HERE, "results"))
    parser.add_argument("--results-md", default=None, help="RESULTS.md whose table is regenerated")
    parser.add_argument("--db", default="ims_bench")
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--keep-db", action="store_true", help="leave the database for EXPLAIN work")
    parser.add_argument("--reuse-db", action="store_true", help="skip loading when the database has --rows rows")
    parser.add_argument("--users", type=int, default=100, help="simulated users in mixed_users (at most 100)")
    parser.add_argument("--profile", action="store_true",
                        help="py-spy every gunicorn worker during each scenario (collapsed stacks in --out)")
    parser.add_argument("--mixed-duration", type=float, default=180.0,
                        help="seconds of mixed_users: its first phase, then the steady state")
    parser.add_argument("--mixed-first", type=float, default=60.0,
                        help="seconds of mixed_users reported as the first minute after the restart")
    parser.add_argument("--no-mixed-restart", dest="mixed_restart", action="store_false",
                        help="run mixed_users on the warm server instead of restarting it first (a deploy)")
    parser.add_argument("--capacity-rates", default="25,50,75,100,150",
                        help="open-loop rates (req/s) of the capacity steps, in rising order")
    parser.add_argument("--capacity-step", type=float, default=15.0, help="seconds per capacity step")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--postgres", choices=("shared", "production"), default="shared",
                        help="the shared server of BENCH_PG_ADMIN_DSN, or a private cluster with production's "
                             "settings from Terraform (bench/pgcluster.py)")
    parser.add_argument("--no-plans", dest="plans", action="store_false",
                        help="skip EXPLAIN ANALYZE of the former worst query shapes (bench/plans.py)")
    parser.add_argument("--k6-vus", default="50,100", help="virtual users of each k6 run, comma-separated")
    parser.add_argument("--k6-duration", default="60s", help="k6's steady stage at each number of users")
    parser.add_argument("--k6-ramp", default="15s", help="k6's ramp-up (ramp-down: two thirds of it)")
    parser.add_argument("--force", action="store_true",
                        help=f"with --results-md: run even above a load average of {quiet.LIMIT} (the table says so)")
    args = parser.parse_args(argv)
    args.scenarios = [s for s in args.scenarios.split(",") if s]
    args.k6_vus = [int(v) for v in args.k6_vus.split(",") if v]
    args.capacity_rates = sorted(int(float(v)) if float(v).is_integer() else float(v)
                                 for v in args.capacity_rates.split(",") if v)
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    if args.results_md:  # a full run, whose table others compare with
        load = os.getloadavg()[0]
        why = quiet.refusal(load, args.force)
        if why:
            print(f"bench: {why}", file=sys.stderr)
            return 2
        args.forced_at = quiet.forced_at(load, args.force)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
