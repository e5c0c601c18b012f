# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-browser lint typecheck migrations-check pytest install clean audit

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy quizsite lessons

migrations-check: $(STAMP)
	DJANGO_SETTINGS_MODULE=quizsite.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

pytest: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck migrations-check pytest

test-browser: $(STAMP)
	$(BIN)/pytest -m browser $(PYTEST_ARGS)

# Benchmark (not a test): gradebook and item analysis timings on PostgreSQL, in a scratch database it drops.
.PHONY: bench
bench: $(STAMP)
	DATABASE_URL="$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}" $(BIN)/python tests/perf/perf_classroom.py

# Dependency audit (not a test: it asks the package index and the vulnerability database): pinned versions
# against the newest releases, then pip-audit, which says NOT CHECKED when its database cannot be reached.
audit: $(STAMP)
	$(BIN)/python tests/tools/audit.py

clean:
	rm -rf $(VENV) *.egg-info staticfiles .pytest_cache .mypy_cache .ruff_cache
