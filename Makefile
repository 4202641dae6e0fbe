# The few commands everyone runs. `make run` and `make test` work on a machine with only
# Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run install migrate sample-data test lint migrations-check bench clean

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
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py loaddata taxonomies sample_practices

run: sample-data
	@echo "Serving on http://127.0.0.1:8000/ (admin: http://127.0.0.1:8000/admin/)"
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

migrations-check: install
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run

bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles test-artifacts
