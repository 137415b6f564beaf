# Parley: `make run` serves the API with the dataset loaded; `make test` runs the whole suite.
# Both set themselves up on a fresh clone: a virtualenv in .venv, the package and its test tools.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# where `make run` serves: `make run PORT=8001` when 8000 is taken, HOST=0.0.0.0 to serve the LAN
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate load check lint format clean

run: migrate load
	$(MANAGE) collectstatic --noinput --verbosity 0
	@echo ""
	@echo "Parley is serving on http://$(HOST):$(PORT)/ (API /api/v1/, docs /api/docs/, admin /admin/)."
	@echo "To create an admin user: $(BIN)/python manage.py createsuperuser"
	@echo ""
	$(MANAGE) runserver $(HOST):$(PORT)

test: install
	$(BIN)/pytest

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

migrate: install
	$(MANAGE) migrate --noinput

load: migrate
	$(MANAGE) load_dataset
	$(MANAGE) check_dataset

check: install
	$(MANAGE) build_sources --check
	$(MANAGE) locate_excerpts --check
	$(MANAGE) check_dataset

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles parley.sqlite3 .pytest_cache
