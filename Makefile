# Parley: `make run` serves the API with the dataset loaded; `make test` runs the whole suite.
# Both set themselves up on a fresh clone: a virtualenv in .venv, the package and its test tools.
# `make serve` is the production server (README, "Production"): gunicorn with debug off.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# where `make run` serves: `make run PORT=8001` when 8000 is taken, HOST=0.0.0.0 to serve the LAN
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test install migrate load merge merge-dry-run export check lint format clean

# debug is off unless asked for: the development targets ask
run check merge merge-dry-run export: export DJANGO_DEBUG = true

run: migrate load
	$(MANAGE) collectstatic --noinput --verbosity 0
	@echo ""
	@echo "Parley is serving on http://$(HOST):$(PORT)/ (API /api/v1/, docs /api/docs/, admin /admin/)."
	@echo "To create an admin user: DJANGO_DEBUG=true $(BIN)/python manage.py createsuperuser"
	@echo ""
	$(MANAGE) runserver $(HOST):$(PORT)

serve: export DJANGO_DEBUG = false
serve: migrate load
	$(MANAGE) collectstatic --noinput --verbosity 0
	PORT=$(or $(PORT),8000) $(BIN)/gunicorn --config gunicorn.conf.py

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

# Fill an empty database with the dataset (checked as it loads: a release that breaks a rule is
# refused). After that the database is the record: a newer release in fixtures/ is only
# reported here, and merged by `make merge`. A start reads no records, so that it takes seconds
# on a database of a million statements; `make check` runs the whole check.
load: migrate
	$(MANAGE) load_dataset --if-empty

# Merge the release in fixtures/ into the database; stops on conflicts with editors' work.
merge: migrate
	$(MANAGE) load_dataset

merge-dry-run: migrate
	$(MANAGE) load_dataset --dry-run

# Write the database out as a release into fixtures/, to review with `git diff` and commit.
export: migrate
	$(MANAGE) export_dataset

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
