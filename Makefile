# Saate: two commands for a fresh Debian machine with Python 3.11.
#   make run   install, compile catalogues, migrate SQLite, seed demo data, serve
#   make test  install what the tests need (Python, Chromium, PostgreSQL, gettext, axe-core),
#              lint, check the catalogues and run every test

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app wsgi
SYSTEM_PACKAGES_FOR_TESTS := chromium postgresql gettext npm

.PHONY: run test install install-test system-packages catalogues lint translate-check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

catalogues: install
	$(FLASK) translate compile

run: catalogues
	$(FLASK) db upgrade
	$(FLASK) demo seed
	@echo "Saate is at http://127.0.0.1:$(PORT)/  (Ctrl+C stops it)"
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# Debian packages the tests drive for real; installed with apt-get when run as root.
system-packages:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v msgfmt >/dev/null 2>&1 || missing="$$missing gettext"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "The tests need these Debian packages: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

tests/browser/node_modules/axe-core/axe.min.js: tests/browser/package-lock.json | system-packages
	npm ci --prefix tests/browser --no-audit --no-fund --silent

lint: install-test
	$(BIN)/ruff check .

# The translators' own check: stale messages.pot, missing or fuzzy messages, broken placeholders or markup.
translate-check: install system-packages
	$(FLASK) translate check

test: system-packages install-test tests/browser/node_modules/axe-core/axe.min.js lint translate-check
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) tests/browser/node_modules .pytest_cache .ruff_cache
	find translations -name '*.mo' -delete
