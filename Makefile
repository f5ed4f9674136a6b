# Balint Course Kit: the two commands a course leader or learner needs.
#   make serve   set up a local virtual environment and start the course site
#   make test    set up everything the tests need and run every test
#   make lock    regenerate the locks (requirements*.lock) from pyproject.toml, UPGRADE=1 for newer versions
# (Content authors: make schemas regenerates data/schemas/ after a model changes; see below.)
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8866
OPEN ?= 1
# `make test PYTEST_ARGS=tests/test_lint.py` runs some tests only (after the same set-up)
PYTEST_ARGS ?=

.PHONY: serve test setup setup-test lock chromium node npm plotly-js postgresql bench clean schemas catalogs

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# The exact versions the kit is tested with, locked from pyproject.toml's ranges by `make lock`:
# requirements.lock for the site, requirements-test.lock for the site and its test tools (the same
# versions, plus the tools). Each names every package with the hashes of its files, so pip installs
# exactly these or stops; pip alone installs them. Then the kit itself, editable, with no
# dependencies of its own (they all came from the lock).
LOCK := requirements.lock
TEST_LOCK := requirements-test.lock

$(VENV)/.installed: pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/python -m pip install -q --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(TEST_LOCK) $(VENV)/.installed
	$(BIN)/python -m pip install -q --require-hashes -r $(TEST_LOCK)
	touch $@

# uv resolves the locks for every platform (Linux, macOS, Windows) and every Python that
# pyproject.toml's requires-python admits (3.10 and newer; the tests run on 3.11), keeping the
# versions already locked unless UPGRADE=1 (then the newest that pyproject.toml's ranges allow).
# The site's lock takes its versions from the test lock, so both install the same. uv itself comes
# pinned from PyPI into the venv; it is needed only here, not to install.
UV_VERSION := 0.13.8
UV_COMPILE = $(BIN)/uv pip compile -q pyproject.toml --universal --python-version 3.10 --generate-hashes \
	--custom-compile-command "make lock"
lock: | $(BIN)/python
	$(BIN)/python -m pip install -q uv==$(UV_VERSION)
	$(UV_COMPILE) --extra test $(if $(filter 1,$(UPGRADE)),--upgrade) -o $(TEST_LOCK)
	$(UV_COMPILE) -c $(TEST_LOCK) -o $(LOCK)

setup: $(VENV)/.installed
setup-test: $(VENV)/.installed-test chromium node npm postgresql

# Debian's chromium drives the browser tests (playwright's own browser download cannot work
# offline); the fonts let screenshots show Latin and CJK text (the course will be translated);
# nginx (light) runs the shipped reverse-proxy front in tests/site/test_proxy.py, on loopback.
DEBIAN_PACKAGES := chromium fonts-dejavu-core fonts-noto-cjk nginx-light
chromium:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing (needs root)..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# Node runs the unit tests of the browser-side timer (tests/js/, with node's own test runner).
node:
	@command -v node >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs >/dev/null; }

# Node packages, from the npm registry at the versions package.json pins and
# package-lock.json locks, into node_modules/ with `npm ci`: plotly.js-basic-dist-min (the plotly.js the site serves,
# kitserver/plotly_bundle.py), configurable-http-proxy (the proxy of
# the JupyterHub tests, tests/hub/), axe-core (tests/site/test_accessibility.py), ESLint with
# its recommended rules and the browser's and node's globals (tests/test_lint.py) and yaml-language-server
# (the engine of VS Code's YAML extension, tests/test_schemas_editor.py). Run when
# node_modules/ lacks one of them or the package files changed. npm from Debian if missing.
NPM_STAMP := node_modules/.balint-kit-npm
PLOTLY_BASIC := node_modules/plotly.js-basic-dist-min/plotly-basic.min.js
npm: node
	@if [ ! -x node_modules/.bin/configurable-http-proxy ] || [ ! -f node_modules/axe-core/axe.min.js ] || [ ! -f $(PLOTLY_BASIC) ] \
	    || [ ! -x node_modules/.bin/eslint ] || [ ! -x node_modules/.bin/yaml-language-server ] \
	    || [ package.json -nt $(NPM_STAMP) ] || [ package-lock.json -nt $(NPM_STAMP) ]; then \
	  command -v npm >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }; \
	  echo "npm ci (plotly.js's basic bundle, configurable-http-proxy, axe-core, eslint and yaml-language-server)"; \
	  npm ci --no-audit --no-fund --loglevel=error && test -x node_modules/.bin/configurable-http-proxy && touch $(NPM_STAMP); \
	fi

# PostgreSQL for the class poll's tests (tests/test_poll.py, tests/site/test_poll_http.py): Debian's
# server, installed if missing. `make test` starts a private one for the run: a fresh data folder
# under /tmp (initdb run as the postgres user, since it refuses root), a free port on 127.0.0.1,
# password login with a random password, a database balint_kit_test; BALINT_KIT_TEST_PG_URL tells
# pytest where it is. It is stopped and its folder removed when pytest ends, also on failure or
# Ctrl+C. If BALINT_KIT_TEST_PG_URL is already set, that database is used and none is started.
postgresql:
	@if [ -z "$$BALINT_KIT_TEST_PG_URL" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  echo "Installing Debian's postgresql (needs root)..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	fi

define WITH_POSTGRES
set -e; \
if [ -n "$$BALINT_KIT_TEST_PG_URL" ]; then echo "PostgreSQL for the tests: BALINT_KIT_TEST_PG_URL as given"; else \
  pgbin=$$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1); \
  pgdir=$$(mktemp -d /tmp/balint-kit-pg.XXXXXX); \
  as_pg=""; if [ "$$(id -u)" = 0 ]; then chown postgres: "$$pgdir"; as_pg="runuser -u postgres --"; fi; \
  stop_pg() { $$as_pg "$$pgbin/pg_ctl" -D "$$pgdir/data" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$$pgdir"; }; \
  trap stop_pg EXIT; trap 'exit 130' INT TERM; \
  pw=$$($(BIN)/python -c 'import secrets; print(secrets.token_hex(16))'); \
  port=$$($(BIN)/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'); \
  (umask 077; printf '%s\n' "$$pw" > "$$pgdir/pw"); [ -z "$$as_pg" ] || chown postgres: "$$pgdir/pw"; \
  $$as_pg "$$pgbin/initdb" -D "$$pgdir/data" -U postgres -A scram-sha-256 --pwfile="$$pgdir/pw" -E UTF8 --no-locale \
    >"$$pgdir/initdb.log" 2>&1 || { cat "$$pgdir/initdb.log"; exit 1; }; \
  rm -f "$$pgdir/pw"; \
  $$as_pg "$$pgbin/pg_ctl" -D "$$pgdir/data" -l "$$pgdir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $$port -c unix_socket_directories=$$pgdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { cat "$$pgdir/server.log"; exit 1; }; \
  PGPASSWORD="$$pw" "$$pgbin/createdb" -h 127.0.0.1 -p "$$port" -U postgres balint_kit_test; \
  export BALINT_KIT_TEST_PG_URL="postgresql://postgres:$$pw@127.0.0.1:$$port/balint_kit_test"; \
  echo "PostgreSQL for the tests: 127.0.0.1:$$port, data in $$pgdir (stopped and removed after the tests)"; \
fi;
endef

# plotly.js's basic bundle for `make serve` (1.2 MB, draws every chart of the kit), with npm if it
# is there; without npm the site serves plotly.py's full bundle (4.8 MB) and its log says so.
plotly-js:
	@if [ ! -f $(PLOTLY_BASIC) ]; then \
	  if command -v npm >/dev/null 2>&1; then \
	    echo "npm ci (plotly.js's basic bundle for the site)"; \
	    npm ci --no-audit --no-fund --loglevel=error || echo "npm ci failed: the site serves plotly.py's full plotly.js bundle"; \
	  else echo "npm is not installed: the site serves plotly.py's full plotly.js bundle (4.8 MB instead of 1.2 MB)"; fi; \
	fi

serve: setup plotly-js
	@echo ""
	@echo "  The Balint Course Kit is starting at  http://127.0.0.1:$(PORT)/"
	@echo "  (stop it with Ctrl+C)"
	@echo ""
	$(BIN)/python -m kitserver course --port=$(PORT) $(if $(filter 1,$(OPEN)),,--no-browser)

test: setup-test
	node --test tests/js/*.test.mjs
	@$(WITH_POSTGRES) echo "$(BIN)/python -m pytest $(PYTEST_ARGS)"; $(BIN)/python -m pytest $(PYTEST_ARGS)

# The JSON Schemas of the data files (data/schemas/, for authors' editors) from the models in
# widgets/content/, and the schema line at the top of every data file: run after changing a model
# or adding a data file. tests/test_schemas.py fails (so `make test` fails) while they are out of step.
schemas: setup
	$(BIN)/python -m widgets.schemas

# The translation catalogs (docs/translators.md): the English templates i18n/templates/<area>.pot
# from the data files, then every language folder's catalogs i18n/<lang>/<area>.po merged with them
# (new texts empty, changed English fuzzy). To add a language: mkdir i18n/<lang>, then make catalogs.
# tests/test_i18n.py fails while the templates are out of step with the data.
catalogs: setup
	$(BIN)/python -m widgets.content.i18n extract
	@for d in i18n/*/; do lang=$$(basename $$d); [ $$lang = templates ] || $(BIN)/python -m widgets.content.i18n update $$lang || exit 1; done

bench: setup-test
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) artifacts .pytest_cache
