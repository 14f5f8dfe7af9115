# The two commands of the README: `make run` and `make test`. Everything else is a helper they use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test install install-dev migrate demo lint format check worker beat serve clean bench bench-board loadtest

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo

## make run: the embedded default (SQLite, in-process solve), demo data and users, on http://127.0.0.1:8000
run: demo
	@echo "RentalOps on http://$(HOST):$(PORT)/  (demo users: sales, planner, coordinator, admin; password rentalops-demo)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## make test: the whole suite; uses PostgreSQL, Redis and a real Celery worker where they are reachable
test: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m tests.stack $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## The full stack, started directly (see README): a worker and gunicorn against DATABASE_URL and REDIS_URL
worker: install
	$(BIN)/celery -A rentalops worker --loglevel=info --concurrency=1

beat: install
	$(BIN)/celery -A rentalops beat --loglevel=info --schedule var/celerybeat-schedule

serve: install
	$(BIN)/python manage.py collectstatic --noinput
	$(BIN)/gunicorn rentalops.wsgi --bind $(HOST):$(PORT) --workers 3 --access-logfile -

bench: install
	$(BIN)/python -m allocation.bench

## The planner's pages on the demo seeded with 120 and 300 jobs (docs/benchmarks.md, "Board")
bench-board: install
	$(BIN)/python -m allocation.bench.board

## The load test of docs/benchmarks.md ("Load"): its own database, a worker, gunicorn, locust headless
LOAD_USERS ?= 20 50
LOAD_SECONDS ?= 60
loadtest: install-dev
	$(BIN)/python -m loadtest.run --users $(LOAD_USERS) --run-time $(LOAD_SECONDS)

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
