# Saate: two commands for a fresh Debian machine with Python 3.11.
#   make run   install from the lock, compile catalogues, migrate SQLite, seed demo data, serve
#   make test  install what the tests need (Python from the lock; Chromium, PostgreSQL, Redis,
#              nginx, systemd-analyze, gettext, axe-core), lint, check the catalogues and run
#              every test
# Also: make lock (upgrade the locked dependency set), make audit (known vulnerabilities),
#       make translations / translate-status / translate-check (for translators),
#       make screenshots (the client's pages at 360 px into docs/screenshots/, listed in README),
#       make bench (each page's throughput under gunicorn against hello world: docs/PERFORMANCE.md).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
# Every install comes from these, with hashes; pyproject.toml holds the ranges.
LOCK := requirements.txt
TEST_LOCK := requirements-test.txt
PIP_INSTALL := $(BIN)/python -m pip install --quiet --require-hashes --no-deps
# The app refuses to start without SAATE_ENV: development settings only where asked for.
DEV_FLASK := SAATE_ENV=development $(BIN)/flask --app wsgi
SYSTEM_PACKAGES_FOR_TESTS := chromium postgresql redis-server nginx openssl systemd gettext npm

.PHONY: run test install install-test system-packages catalogues lint translate-check \
        translate-status translations lock audit clean screenshots bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(LOCK) | $(BIN)/python
	$(PIP_INSTALL) -r $(LOCK)
	touch $@

$(VENV)/.installed-test: $(TEST_LOCK) | $(BIN)/python
	$(PIP_INSTALL) -r $(TEST_LOCK)
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

catalogues: install
	$(DEV_FLASK) translate compile

# Links the app makes (status links, the printed demo sign-in) name the port served.
RUN_BASE_URL = $(or $(SAATE_BASE_URL),http://127.0.0.1:$(PORT))

run: catalogues
	$(DEV_FLASK) db upgrade
	SAATE_BASE_URL=$(RUN_BASE_URL) $(DEV_FLASK) demo seed
	@echo "Saate is at http://127.0.0.1:$(PORT)/  (Ctrl+C stops it)"
	SAATE_BASE_URL=$(RUN_BASE_URL) $(DEV_FLASK) run --host 127.0.0.1 --port $(PORT)

# Installs the Debian packages listed in $$missing with apt-get when run as root; else says which.
INSTALL_MISSING = if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Needed, as Debian packages: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

# Debian packages the tests drive for real.
system-packages:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	command -v openssl >/dev/null 2>&1 || missing="$$missing openssl"; \
	command -v systemd-analyze >/dev/null 2>&1 || missing="$$missing systemd"; \
	command -v msgfmt >/dev/null 2>&1 || missing="$$missing gettext"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	$(INSTALL_MISSING)

tests/browser/node_modules/axe-core/axe.min.js: tests/browser/package-lock.json | system-packages
	npm ci --prefix tests/browser --no-audit --no-fund --silent

lint: install-test
	$(BIN)/ruff check .

# The translators' commands: rebuild the template and catalogues, see what is missing, check.
translations: install
	$(DEV_FLASK) translate extract
	$(DEV_FLASK) translate update
	$(DEV_FLASK) translate compile

translate-status: install
	$(DEV_FLASK) translate status $(if $(LIST),--list)

translate-check: install system-packages
	$(DEV_FLASK) translate check

test: system-packages install-test tests/browser/node_modules/axe-core/axe.min.js lint translate-check
	SAATE_ENV=testing $(BIN)/python -m pytest

# The client's journey at 360 px in Finnish, one PNG per page, for reviewers (README lists them).
screenshots: system-packages install-test
	SAATE_ENV=testing $(BIN)/python -m tests.browser.screenshots

# Upgrade every locked dependency within the ranges in pyproject.toml, in one command.
lock: install-test
	$(BIN)/uv pip compile pyproject.toml --upgrade --generate-hashes --python-version 3.11 \
	  --no-header --quiet -o $(LOCK)
	$(BIN)/uv pip compile pyproject.toml --extra test --constraint $(LOCK) --upgrade \
	  --generate-hashes --python-version 3.11 --no-header --quiet -o $(TEST_LOCK)
	@echo "Locked: $(LOCK) and $(TEST_LOCK). Run make test, then commit both."

# Known vulnerabilities in the locked set. Needs the vulnerability services (internet access);
# not part of make test, where they cannot be reached.
audit: install-test
	$(BIN)/python .ci/audit.py $(LOCK) $(TEST_LOCK)

clean:
	rm -rf $(VENV) tests/browser/node_modules .pytest_cache .ruff_cache
	find translations -name '*.mo' -delete

# Page throughput as production serves it (docs/PERFORMANCE.md); BENCH_ARGS e.g. --cases 1000000.
bench: install-test catalogues
	@missing=""; \
	command -v wrk >/dev/null 2>&1 || missing="$$missing wrk"; \
	ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing="$$missing postgresql"; \
	$(INSTALL_MISSING)
	$(BIN)/python bench/pages.py $(BENCH_ARGS)
