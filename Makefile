# The few commands everyone runs. `make run` and `make test` work on a machine with only
# Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run install migrate sample-data chromium test screenshots lint migrations-check bench mutation clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

migrate: install
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py migrate --noinput

sample-data: migrate
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py load_samples
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py tagging train

run: sample-data
	@echo "Serving on http://127.0.0.1:8000/ (admin: http://127.0.0.1:8000/admin/)"
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py runserver 127.0.0.1:8000

# The browser tests drive Debian's Chromium (never a downloaded browser).
chromium:
	@test -x /usr/bin/chromium || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "The browser tests need Debian's chromium: sudo apt-get install chromium"; exit 1; fi; }

test: install chromium
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The README's pictures, taken by the browser test that also checks they are drawn.
screenshots: install chromium
	README_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/python -m pytest -q \
		tests/browser/test_browser.py -k test_screenshots_for_the_readme

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

migrations-check: install
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run

# The previous design for bench/compare.py: the commit before fresh workers were warmed and
# writes were applied from the change log.
BENCH_BASELINE ?= 0bd6c40

# BENCH_MILLION=1 adds 1,000,000 practices to the growth table (about 20 minutes to generate
# the first time, and about 6 GB of disk).
bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	$(BIN)/python bench/compare.py --baseline $(BENCH_BASELINE)
	$(BIN)/python bench/growth.py $(if $(BENCH_MILLION),--million)

# Mutation testing of the write paths (intake, curation, versions; see pyproject's
# [tool.mutmut]): slow, so not in CI. Survivors and why: docs/mutation-testing.md.
mutation: install
	$(BIN)/mutmut run --max-children 2 || true
	$(BIN)/mutmut results

clean:
	rm -rf $(VENV) staticfiles test-artifacts mutants
