# Two commands do everything on a fresh machine with Python 3.11 and make:
#   make run   - set up and serve the site on http://127.0.0.1:8000
#   make test  - set up and run the whole test suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/partnership

# Test runs use throwaway settings; the server run uses DEBUG for local work.
TEST_ENV := DEBUG=0 PLAIN_HTTP=1 SECRET_KEY=test-only-secret-key MANIFEST_STATIC=0 ALLOWED_HOSTS=testserver,localhost,127.0.0.1

.PHONY: run test test-postgres lint browser fuzz bench soak soak-fault backup install migrate seed clean

$(STAMP): requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

# Local development settings for bare `manage.py` commands; never used when the variables are set.
.env:
	printf 'DEBUG=1\nSECRET_KEY=%s\n' "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env

migrate: $(STAMP) .env
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py setup_roles
	DEBUG=1 $(PY) manage.py recompute_figures

seed: migrate
	DEBUG=1 $(PY) manage.py seed
	DEBUG=1 $(PY) manage.py seed --demo

run: seed
	DEBUG=1 $(PY) manage.py ensure_admin
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	$(TEST_ENV) $(PY) -m pytest -m "not browser" -q $(PYTEST_ARGS)

test-postgres: $(STAMP)
	$(TEST_ENV) DATABASE_URL=$(PG_URL) $(PY) -m pytest -m "not browser" -q $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run

browser: $(STAMP)
	$(TEST_ENV) DJANGO_ALLOW_ASYNC_UNSAFE=1 $(PY) -m pytest -m browser -q $(PYTEST_ARGS)

fuzz: $(STAMP)
	$(TEST_ENV) bash tests/fuzz/run.sh

# PostgreSQL from PG_URL (the bench makes and drops its own <name>_bench database); BENCH_DB=sqlite for SQLite.
bench: $(STAMP)
	cd tests/bench && PG_URL=$(PG_URL) ../../$(PY) run.py

# The soak makes and drops <name>_soak_bench; soak-fault stops and starts PostgreSQL mid-run (see tests/bench/fault.py).
soak: $(STAMP)
	PG_URL=$(PG_URL) bash tests/bench/soak.sh

soak-fault: $(STAMP)
	SOAK_FAULT=1 PG_URL=$(PG_URL) bash tests/bench/soak.sh

backup: $(STAMP)
	DEBUG=1 $(PY) manage.py backup

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
