# Sourced by run and run-smoke: the harness's own virtualenv, installed from the pinned lock.
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH_VENV="$HERE/.venv"
if [ ! -f "$BENCH_VENV/.installed" ] || [ "$HERE/requirements.lock" -nt "$BENCH_VENV/.installed" ]; then
  "${PYTHON:-python3}" -m venv "$BENCH_VENV"
  "$BENCH_VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$HERE/requirements.lock"
  touch "$BENCH_VENV/.installed"
fi
