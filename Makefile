# Interaction Management System: the two commands (`make run`, `make test`) and their parts.
# Every target installs what it needs, so each works on a fresh clone.

SHELL := /bin/bash
PYTHON ?= python3
VENV := backend/.venv
VPY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app ims
PORT ?= 8000

.PHONY: help run test backend-install frontend-install frontend-build \
        test-backend test-deploy-tool test-infra test-frontend test-e2e test-bench-smoke bench lighthouse check-services

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | column -t -s $$'\t'

# ---------------------------------------------------------------- set-up

$(VENV)/.installed: backend/pyproject.toml backend/requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install --quiet --upgrade pip
	$(VPY) -m pip install --quiet -c backend/requirements.lock -e 'backend[test]'
	touch $@

backend-install: $(VENV)/.installed  ## create backend/.venv and install the API with its test tools

# --ignore-scripts: no dependency runs code at install time (none needs to: esbuild and
# Rollup bring their binaries as optional packages).
frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && npm ci --ignore-scripts --no-audit --no-fund

frontend-install: frontend/node_modules/.package-lock.json

frontend-build: frontend-install  ## build the SPA into frontend/dist
	cd frontend && npm run build

# ---------------------------------------------------------------- run

run: backend-install frontend-build  ## set up and serve the product on http://localhost:8000 (SQLite, local login)
	cd backend && ../$(FLASK) db upgrade
	cd backend && ../$(FLASK) seed-demo
	@echo
	@echo "  Interaction Management System: http://localhost:$(PORT)"
	@echo "  Demo logins (password 'demo-password'): admin, editor, viewer"
	@echo
	@# One process: the embedded cache (token deny-list, Finder pages) lives in its memory.
	cd backend && exec .venv/bin/gunicorn --bind 0.0.0.0:$(PORT) --workers 1 --threads 8 'ims:create_app()'

# ---------------------------------------------------------------- tests

test: test-backend test-deploy-tool test-infra test-frontend test-e2e test-smoke test-bench-smoke  ## set up and run every test

check-services:
	@pg_isready -h 127.0.0.1 -p 5432 -q || { echo "PostgreSQL is not running on 127.0.0.1:5432 — start it (see README, 'Tests')"; exit 1; }
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { echo "Redis is not running on 127.0.0.1:6379 — start it (see README, 'Tests')"; exit 1; }

test-backend: backend-install check-services  ## API tests against PostgreSQL and Redis (a throwaway database per run)
	cd backend && .venv/bin/python -m pytest -q

test-deploy-tool:  ## the blue-green deploy tool under ecs/, against moto
	$(MAKE) -C ecs test

test-infra:  ## static checks of Terraform, Dockerfiles, workflows, compose, task definition, dashboard
	bash .ci/infra/run

test-frontend: frontend-install  ## lint, type-check and unit-test the SPA
	cd frontend && npm run lint && npm run typecheck && npm test

test-e2e: backend-install frontend-build check-services  ## browser tests: built SPA + real API on PostgreSQL/Redis in Chromium
	bash frontend/e2e/run

.PHONY: test-smoke smoke

test-smoke: backend-install frontend-build check-services  ## the post-deploy smoke test against the local stack (API + SPA, throwaway database)
	bash smoke/run-local

# Standard library only: runs from a checkout with nothing installed (a deploy runner, a laptop).
smoke:  ## smoke-test a deployment: make smoke BASE_URL=https://<api-host> [FRONTEND_URL=…]; SMOKE_* settings in smoke/README.md
	@[ -n "$(BASE_URL)" ] || { echo "usage: make smoke BASE_URL=https://<api-host> [FRONTEND_URL=https://<frontend-host>]" >&2; exit 2; }
	@PYTHONPATH=smoke $(PYTHON) -m ims_smoke

# The benchmark measures the server, not the per-user bounds on expensive work (backend/ims/user_limits.py):
# its few simulated users send far more uncached searches and exports than a person would.
BENCH_ENV = FINDER_BYPASS_PER_MINUTE=1000000 FINDER_CONCURRENT_PER_USER=1000 EXPORT_CONCURRENT_PER_USER=1000

test-bench-smoke: backend-install check-services  ## a few-second run of the benchmark harness on ~10,000 rows
	$(BENCH_ENV) bash load-tests/run-smoke

bench: backend-install check-services  ## the 1,000,000-row benchmark (N=, DURATION= to override)
	$(BENCH_ENV) bash load-tests/run

lighthouse: backend-install frontend-build  ## Lighthouse scores of sign-in and the Finder, as make run and production's nginx serve them
	bash load-tests/lighthouse/run
