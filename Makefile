# Fazhi: two commands. `make run` sets up everything and serves; `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite runs again on PostgreSQL when this one answers.
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: run setup venv assets migrate demo test test-sqlite test-postgres lint format bench bench-indicators clean

run: setup migrate demo
	$(PY) manage.py runserver $(HOST):$(PORT)

setup: venv assets

venv: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

assets: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

migrate: venv
	$(PY) manage.py migrate --noinput

# Loads the demo city when the database is empty, then makes sure the demo accounts
# exist and prints them. Running it twice duplicates nothing.
demo: venv
	$(PY) manage.py load_demo --if-empty
	$(PY) manage.py demo_accounts

test: setup lint test-sqlite test-postgres

lint: venv
	$(VENV)/bin/ruff check .

test-sqlite: setup
	env -u DATABASE_URL $(VENV)/bin/pytest

test-postgres: setup
	@if $(PY) -c "import sys, psycopg; psycopg.connect(sys.argv[1], connect_timeout=3).close()" \
	      "$(TEST_DATABASE_URL)" 2>/dev/null; then \
	  echo "== PostgreSQL: $(TEST_DATABASE_URL)"; \
	  DATABASE_URL="$(TEST_DATABASE_URL)" $(VENV)/bin/pytest --create-db; \
	else \
	  echo "== PostgreSQL not reachable at $(TEST_DATABASE_URL): PostgreSQL run skipped"; \
	fi

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The indicators on a synthetic province (PostgreSQL only; see benchmarks/README.md).
BENCH_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/bench_fazhi
bench-indicators: setup
	createdb -h 127.0.0.1 -U postgres bench_fazhi 2>/dev/null || true
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py migrate --noinput
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) benchmarks/bench_indicators.py --build $(BENCH_ARGS)

bench: setup
	$(VENV)/bin/pytest benchmarks --benchmark-only --benchmark-columns=min,median,mean,max,rounds

clean:
	rm -rf $(VENV) node_modules var/staticfiles
