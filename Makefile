# The two commands of the README: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.requirements-installed

.PHONY: run test install lint messages check-messages bench soak clean audit lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): requirements.txt requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt -c requirements.lock
	touch $(STAMP)

install: $(STAMP)
	@mkdir -p var/media var/staticfiles

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  Sozialplanungsplattform: http://$(HOST):$(PORT)/"
	@echo "  Demo logins (password Demo-Passwort-2026):"
	@echo "    admin@demo.sozialplanung.de          platform staff"
	@echo "    moderation@demo.sozialplanung.de     moderator, Thüringer Präventionsketten"
	@echo "    planerin.jena@demo.sozialplanung.de  member, Stadt Jena"
	@echo "    planer.gera@demo.sozialplanung.de    member, Stadt Gera"
	@echo "    neu@demo.sozialplanung.de            pending approval"
	@echo ""
	$(BIN)/uvicorn portal.asgi:application --app-dir platform --host $(HOST) --port $(PORT)

test: install
	@if [ ! -x /usr/bin/chromium ] && [ -z "$$CI" ]; then \
		echo "NOTE: Chromium not found - the browser tests will be skipped (install: apt-get install -y chromium)."; fi
	$(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS)
	@# The browser journeys run in their own process: Playwright's event loop must not
	@# share a process with the asyncio-based websocket tests.
	$(BIN)/python -m pytest -m browser $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

# Extract new strings into each app's locale/de and the project's locale/ (needs GNU gettext).
messages: install
	$(BIN)/python manage.py makemessages -l de --ignore=.venv --ignore=var --ignore=bench --ignore=tests --no-obsolete
	$(BIN)/python manage.py makemessages -d djangojs -l de --ignore=.venv --ignore=var --ignore=static/vendor --no-obsolete
	$(BIN)/python manage.py compile_translations

check-messages: install
	$(BIN)/python manage.py check_translations

bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# 50 members for 10 minutes on the seeded bench database (docs/operations.md); not part of test.
soak: install
	$(BIN)/python bench/soak.py $(SOAK_ARGS)

clean:
	rm -rf var/test-db.sqlite3* test-artifacts

# Known-vulnerability check of the pinned lock. --strict makes it fail (never pass silently)
# when a package could not be checked, e.g. without access to the vulnerability service.
audit:
	@test -x .venv-audit/bin/pip-audit || ($(PYTHON) -m venv .venv-audit && .venv-audit/bin/pip install --quiet pip-audit==2.10.1)
	.venv-audit/bin/pip-audit --strict --no-deps --disable-pip -r requirements.lock
