# One-word entry points. `make demo` and `make test` are all a new machine needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_ORDERS ?= 20000
DEMO_SHOPS ?= 4
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?= -n 2

.PHONY: install demo serve test migrate seed bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo --orders $(DEMO_ORDERS) --shops $(DEMO_SHOPS)

# Installs, migrates a SQLite database, loads the demo data and serves http://127.0.0.1:8000
# Beside the server: the simulator plays the platform (log in var/simulate.log) and the task worker
# runs background exports (log in var/worker.log). `manage.py run_demo` starts each in a process group
# of its own and, on Ctrl+C, stops the groups whole: no worker, simulator or autoreloaded server is left.
demo: seed
	$(BIN)/python manage.py run_demo --addr $(HOST):$(PORT)

# Lint and format check (ruff), then the whole suite; DATABASE_URL=postgres://... runs it on PostgreSQL.
# The browser tests (tests/e2e) drive Debian's chromium: installed here when missing and run as root,
# otherwise they are skipped with the reason. Playwright never downloads a browser of its own.
test: install
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Note: /usr/bin/chromium is missing and this is not root; the browser tests will be skipped."; \
	  fi; \
	fi
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf var/ .pytest_cache
