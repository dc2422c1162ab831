# Developer tasks. `make help` lists them.

# bash with pipefail, so `pytest | tee` fails when pytest fails.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
# Marks a finished install; pip runs again only when pyproject.toml is newer than this.
STAMP := $(VENV)/.installed
PORT ?= 8000
PYTEST_ARGS ?=
# Output goes through tee (for the summary at the end), so keep pytest's colours on a terminal.
PYTEST = $(PY) -m pytest $$([ -t 1 ] && echo --color=yes) $(PYTEST_ARGS)
REQUIRE_POSTGRES ?= 0
# The second (PostgreSQL) run leaves out what does not depend on the database: the browser tests
# and the tests marked `once` (property tests), which the SQLite run has already run.
ONCE_ONLY = --ignore=tests/browser -m "not once"

# Interpreters to try, best first; the first one that is at least 3.12 builds the venv. Names that
# do not exist or pyenv shims for versions not selected simply fail the version check.
PYTHON_CANDIDATES = python3.13 python3.12 \
	$$(ls -d /root/.pyenv/versions/3.1[23]*/bin/python3 2>/dev/null) \
	$$(pyenv which python3 2>/dev/null) python3
IS_312 = -c 'import sys; sys.exit(sys.version_info < (3, 12))'

.PHONY: help venv run serve test bench lint fmt clean

help:
	@echo "make run     migrate, load demo data and serve http://127.0.0.1:$(PORT) (PORT=...)"
	@echo "make serve   the production way: gunicorn, DEBUG off, settings from the environment"
	@echo "make test    pytest on SQLite, then on a throwaway PostgreSQL (PYTEST_ARGS=...)"
	@echo "make bench   pages at three data sizes and under load, on a throwaway PostgreSQL"
	@echo "make lint    ruff check and ruff format --check"
	@echo "make fmt     sort imports and format the code with ruff"
	@echo "make clean   remove .venv, db.sqlite3, media/ and staticfiles/"

venv: $(STAMP)

$(STAMP): pyproject.toml
	@if ! [ -x $(PY) ] || ! $(PY) $(IS_312) 2>/dev/null; then \
		python=; \
		for candidate in $(PYTHON_CANDIDATES); do \
			if "$$candidate" $(IS_312) 2>/dev/null; then python=$$candidate; break; fi; \
		done; \
		if [ -z "$$python" ]; then \
			echo "Python 3.12 or newer is required and none was found" \
				"(tried python3.13, python3.12, pyenv, python3)." >&2; \
			echo "Install one, e.g. 'pyenv install 3.12', and run make again." >&2; \
			exit 1; \
		fi; \
		echo "Creating $(VENV) with $$python ($$("$$python" --version))"; \
		rm -rf $(VENV); \
		"$$python" -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

# DEBUG is off unless set (fail closed); everything `make run` starts turns it on explicitly.
run: export DEBUG := 1
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: $(STAMP)
	$(PY) manage.py migrate
	$(PY) manage.py load_demo
	@# The task worker (e-mail, schedule) runs beside the server and stops with it.
	$(PY) manage.py run_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT; \
		$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The production way, to try locally: every setting comes from the environment (DATABASE_URL,
# SECRET_KEY, ALLOWED_HOSTS, ...); the settings refuse to start and say why when one is missing.
serve: $(STAMP)
	DEBUG=0 $(PY) manage.py check --deploy --fail-level ERROR
	DEBUG=0 $(PY) manage.py migrate --no-input
	DEBUG=0 $(PY) manage.py collectstatic --no-input --verbosity 0
	DEBUG=0 $(VENV)/bin/gunicorn -c config/gunicorn.py

# Both databases always run, so one failure does not hide the other; the exit status is non-zero
# if either failed. The summary lines are repeated at the end because the PostgreSQL run pushes
# the SQLite one off the screen.
test: $(STAMP)
	@.ci/system-deps
	@logs=$$(mktemp -d); trap 'rm -rf "$$logs"' EXIT; status=0; \
	echo "==> pytest on SQLite"; \
	DATABASE_URL=sqlite:///db.sqlite3 $(PYTEST) 2>&1 | tee "$$logs/sqlite" \
		|| status=1; \
	if .ci/with-postgres --check >/dev/null 2>&1; then \
		echo "==> pytest on PostgreSQL ($$(.ci/with-postgres --check))"; \
		.ci/with-postgres $(PYTEST) $(ONCE_ONLY) 2>&1 | tee "$$logs/postgres" \
			|| status=1; \
		postgres_summary=$$(tail -n 1 "$$logs/postgres"); \
	elif [ "$(REQUIRE_POSTGRES)" = 1 ]; then \
		.ci/with-postgres --check || true; \
		postgres_summary="FAILED: PostgreSQL is not installed and REQUIRE_POSTGRES=1"; \
		status=1; \
	else \
		postgres_summary="skipped: PostgreSQL is not installed (REQUIRE_POSTGRES=1 makes this fail)"; \
	fi; \
	echo; \
	echo "SQLite:     $$(tail -n 1 "$$logs/sqlite")"; \
	echo "PostgreSQL: $$postgres_summary"; \
	exit $$status

# Generates 10 thousand to 1 million events on a throwaway PostgreSQL (overwritten), times every
# page type and loads the period page under gunicorn; prints a table and writes
# bench/results/latest.json. BENCH_ARGS=--sizes 10000,100000 for a shorter run.
BENCH_ARGS ?=
bench: $(STAMP)
	@.ci/with-postgres $(PY) bench/run.py $(BENCH_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: $(STAMP)
	$(VENV)/bin/ruff check --select I --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles
