# CCHC Portal — `make run` serves the portal, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test venv messages check clean

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

venv: $(VENV)/.installed

## Serve the portal at http://127.0.0.1:8000/ with a Celery worker and beat (Ctrl-C stops all).
run: venv
	./scripts/run.sh

## Check the walls between the apps (.importlinter), then run the whole test suite
## (PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set) in one process per CPU, at most
## four (pytest-xdist, a test file to a process; docs/testing.md). TEST_WORKERS=0 runs it
## in this process alone.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); [ "$$n" -gt 4 ] && n=4; echo $$n)
test: venv
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder $(PYTEST_ARGS)

## Extract and compile the Vietnamese translations.
messages: venv
	DEBUG=1 $(BIN)/python manage.py messages
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv

check: venv
	DEBUG=1 $(BIN)/python manage.py check
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf var/cache var/broker var/test-media var/test-artifacts

## Back up the database (pg_dump) and MEDIA_ROOT into var/backups/<timestamp>/ (PostgreSQL only).
backup:
	./scripts/backup.sh

## Restore a backup (latest under var/backups, or BACKUP=var/backups/<timestamp>); YES=1 skips the question.
restore:
	./scripts/restore.sh $(if $(YES),--yes) $(BACKUP)

## City-scale benchmarks (synthetic data in BENCH_DATABASE_URL, default .../cchc_bench): one table.
bench: venv
	$(BIN)/python -m bench.run $(BENCH_ARGS)

## Load test: gunicorn on 127.0.0.1 and wrk at rising concurrency, each page beside a trivial view.
load: venv
	command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	$(BIN)/python -m bench.load $(LOAD_ARGS)

.PHONY: backup restore bench load
