"""load-tests/find-interactions.js: parses as the ES module k6 runs, and declares the guide's thresholds."""
import re
import shutil
import subprocess

import pytest

from conftest import ROOT

SCRIPT = ROOT / "load-tests" / "find-interactions.js"


@pytest.fixture(scope="module")
def text() -> str:
    return SCRIPT.read_text(encoding="utf-8")


def test_k6_script_parses_as_an_es_module(text):
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to check the k6 script (Node 20 is part of the project's tool set)")
    result = subprocess.run([node, "--check", "--input-type=module"], input=text, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_thresholds_of_the_guide_are_declared(text):
    assert re.search(r"http_req_duration:\s*\[\s*'p\(95\)<500'\s*\]", text)
    assert re.search(r"http_req_failed:\s*\[\s*'rate<0\.01'\s*\]", text)


def test_logs_in_and_exercises_the_finder_and_records(text):
    assert "__ENV.API_URL" in text and "__ENV.USERNAME" in text and "__ENV.PASSWORD" in text
    assert "/api/auth/login" in text and "access_token" in text
    assert "Authorization: `Bearer ${data.token}`" in text
    assert "/api/interactions?" in text and "/api/interactions/${id}" in text
    for parameter in ("search", "type", "lead", "location", "start_from", "start_to", "sort", "page", "page_size"):
        assert f"'{parameter}'" in text, parameter
    assert "k6 run -e API_URL=http://localhost:8000 load-tests/find-interactions.js" in text


def _bench_module(name: str):
    """A standard-library module of the benchmark harness, loaded from its file."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "load-tests" / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_full_run_starts_only_on_a_quiet_machine_unless_forced():
    quiet = _bench_module("quiet")
    assert quiet.refusal(0.4, force=False) is None and quiet.refusal(1.0, force=False) is None
    why = quiet.refusal(3.2, force=False)
    assert why and "3.20" in why and "FORCE=1 make bench" in why
    assert quiet.refusal(3.2, force=True) is None
    assert quiet.forced_at(3.2, force=True) == 3.2 and quiet.forced_at(0.5, force=True) is None
    # `make bench` passes FORCE through, and the harness asks before a run that regenerates RESULTS.md
    assert '[ -n "${FORCE:-}" ] && args+=(--force)' in (ROOT / "load-tests" / "run").read_text()
    main = (ROOT / "load-tests" / "bench" / "__main__.py").read_text()
    assert "quiet.refusal(load, args.force)" in main and "if args.results_md:" in main


def test_a_forced_run_says_so_in_its_table():
    report = _bench_module("report")
    meta = {"date": "2026-12-06 12:00 UTC", "commit": "abc1234", "rows": 10, "duration_s": 1.0, "cpu_count": 2,
            "cpu_model": "test", "memory_gb": 1.0, "load_average": "3.2, 2.0, 1.0", "gunicorn": "gthread"}
    forced = report.table({"meta": {**meta, "forced_at": 3.2}, "scenarios": {}, "failures": {}, "load": None})
    quiet_run = report.table({"meta": {**meta, "forced_at": None}, "scenarios": {}, "failures": {}, "load": None})
    assert "forced at a load average of 3.2: not comparable" in forced.splitlines()[0]
    assert "forced" not in quiet_run.splitlines()[0]
