# Clusterwork — the two commands: `make demo` and `make test`.
# Django 6 needs Python >= 3.12: use the newest of python3.12/3.13 found on PATH or under
# pyenv; fall back to python3.11 (then pip picks Django 5.2 LTS, which the code also supports).
SHELL := /bin/bash
PYTHON ?= $(shell for p in python3.12 python3.13; do \
	  if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys' >/dev/null 2>&1; then echo $$p; exit 0; fi; done; \
	  for d in $$HOME/.pyenv/versions/3.12* $$HOME/.pyenv/versions/3.13*; do \
	  if [ -x $$d/bin/python3 ]; then echo $$d/bin/python3; exit 0; fi; done; \
	  echo python3.11)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
CW := $(BIN)/clusterwork

.PHONY: demo test lint install install-test browser pg-client migrate serve-worker format clean-db bench help

help:
	@echo "make demo   — set up and serve the demo on http://127.0.0.1:$(PORT) (SQLite)"
	@echo "make test   — set up and run the whole test suite (DATABASE_URL=postgres://… for PostgreSQL)"
	@echo "make lint   — ruff, the import layers (import-linter), migrations check, OpenAPI drift check"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# The browser test drives Debian's chromium through Playwright (Playwright's own browser
# download cannot reach its servers here), so install the distribution package when missing.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests…"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) ; \
	  else \
	    echo "chromium is missing: install it (e.g. sudo apt-get install chromium) for the browser tests"; \
	  fi; \
	fi

# Backups of a PostgreSQL database use pg_dump/pg_restore (`clusterwork backup`/`restore`).
pg-client:
	@if ! command -v pg_dump >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's postgresql-client for the backup tests…"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client >/dev/null) ; \
	  else \
	    echo "pg_dump is missing: install it (e.g. sudo apt-get install postgresql-client) for PostgreSQL backups"; \
	  fi; \
	fi

migrate: install
	$(CW) migrate --no-input -v 0

demo: install migrate
	$(CW) load-demo
	@echo "Serving http://127.0.0.1:$(PORT)/ — a background task worker runs beside it (Ctrl-C stops both)."
	@trap 'kill $$worker 2>/dev/null' EXIT; \
	  $(CW) db_worker --queue-name '*' >var/worker.log 2>&1 & worker=$$!; \
	  $(CW) runserver 127.0.0.1:$(PORT)

# Both cores: pytest-xdist, one test file per worker at a time (module fixtures stay whole).
TEST_WORKERS ?= auto
test: install-test browser pg-client
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports --no-cache
	$(CW) makemigrations --check --dry-run
	$(CW) export-openapi --check

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format src tests benchmarks
