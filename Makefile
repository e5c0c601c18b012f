# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test test-browser lint typecheck migrations-check pytest install clean audit

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

# Serving as in production: production settings (SECRET_KEY and DATABASE_URL from the environment; over
# plain HTTP without a proxy in front, SECURE_SSL_REDIRECT=false), static files collected and compressed,
# gunicorn with quizsite/gunicorn_conf.py.
serve: $(STAMP)
	DJANGO_SETTINGS_MODULE=quizsite.settings.production $(BIN)/python manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=quizsite.settings.production $(BIN)/python manage.py collectstatic --noinput -v0
	DJANGO_SETTINGS_MODULE=quizsite.settings.production $(BIN)/gunicorn -c quizsite/gunicorn_conf.py quizsite.wsgi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy quizsite lessons

migrations-check: $(STAMP)
	DJANGO_SETTINGS_MODULE=quizsite.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

# Bytecode is written even where the environment sets PYTHONDONTWRITEBYTECODE: without it pytest rewrites the
# asserts of every test module again in every worker on every run (some 6 CPU-seconds each).
pytest: $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck migrations-check pytest

test-browser: $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -m browser $(PYTEST_ARGS)

# Benchmark (not a test): gradebook and item analysis timings on PostgreSQL, in a scratch database it drops.
.PHONY: bench
bench: $(STAMP)
	DATABASE_URL="$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}" $(BIN)/python tests/perf/perf_classroom.py

# Benchmark (not a test): the site under gunicorn on PostgreSQL against a one-SELECT Django view, then class
# days and the lost-answer check (tests/perf/bench_load.py; BENCH_ARGS="--chaos --restart-postgres" adds the kill -9
# and PostgreSQL restart run). Figures as JSON in tests/artifacts/bench_load.json.
.PHONY: bench-load
bench-load: $(STAMP)
	DATABASE_URL="$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}" $(BIN)/python tests/perf/bench_load.py $(BENCH_ARGS)

# Benchmark (not a test): a burst of 200 logins, as CPU time of the password checks, per hasher.
.PHONY: bench-logins
bench-logins: $(STAMP)
	$(BIN)/python tests/perf/perf_logins.py

# Dependency audit (not a test: it asks the package index and the vulnerability database): pinned versions
# against the newest releases, then pip-audit, which says NOT CHECKED when its database cannot be reached.
audit: $(STAMP)
	$(BIN)/python tests/tools/audit.py

clean:
	rm -rf $(VENV) *.egg-info staticfiles .pytest_cache .mypy_cache .ruff_cache
