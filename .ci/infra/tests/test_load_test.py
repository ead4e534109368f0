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
