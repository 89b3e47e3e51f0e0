# LeadHub developer commands. `make run` and `make test` are all a new machine needs.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# The suites run in parallel, one pytest-xdist worker per core and at most four (each
# worker migrates its own test database and builds its own world, so more rarely pays).
# worksteal hands each worker a contiguous run of tests, so a file's module fixtures are
# built once, and lets a worker that runs dry take over half of another's queue.
# TEST_WORKERS=0 runs a suite in one process.
TEST_WORKERS ?= auto
PYTEST := $(PY) -m pytest -q --numprocesses $(TEST_WORKERS) --maxprocesses 4 --dist worksteal

.PHONY: run test test-postgres test-browser lint format bench seed worker clean ci

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || "$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	@mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@$(PY) manage.py demo_signins
	@echo "Starting the background worker, the scheduler and the web server on http://$(HOST):$(PORT)/ (Ctrl-C stops all three)"
	@trap 'kill 0' INT TERM EXIT; \
	  $(PY) manage.py db_worker & \
	  $(PY) manage.py run_scheduled --loop --interval 60 & \
	  $(PY) manage.py runserver $(HOST):$(PORT)

worker: $(STAMP)
	$(PY) manage.py db_worker

seed: $(STAMP)
	$(PY) manage.py seed_demo

test: $(STAMP)
	$(PYTEST)

test-postgres: $(STAMP)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/leadhub} $(PYTEST)

test-browser: $(STAMP)
	$(PYTEST) -m browser

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy leadhub

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

bench: $(STAMP)
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) var/leadhub.sqlite3
