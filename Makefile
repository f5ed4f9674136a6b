# Balint Course Kit: the two commands a course leader or learner needs.
#   make serve   set up a local virtual environment and start the course site
#   make test    set up everything the tests need and run every test
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8866
OPEN ?= 1

.PHONY: serve test setup setup-test chromium node bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

setup: $(VENV)/.installed
setup-test: $(VENV)/.installed-test chromium node

# Debian's chromium drives the browser tests (playwright's own browser download cannot work
# offline); the fonts let screenshots show Latin and CJK text (the course will be translated).
DEBIAN_PACKAGES := chromium fonts-dejavu-core fonts-noto-cjk
chromium:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing (needs root)..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# Node runs the unit tests of the browser-side timer (tests/js/, with node's own test runner).
node:
	@command -v node >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs >/dev/null; }

serve: setup
	@echo ""
	@echo "  The Balint Course Kit is starting at  http://127.0.0.1:$(PORT)/"
	@echo "  (stop it with Ctrl+C)"
	@echo ""
	$(BIN)/python -m widgets.site course --port=$(PORT) $(if $(filter 1,$(OPEN)),,--no-browser)

test: setup-test
	node --test tests/js/*.test.mjs
	$(BIN)/python -m pytest

bench: setup-test
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) artifacts .pytest_cache
