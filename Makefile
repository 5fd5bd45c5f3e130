# coopdash: the two commands of the README are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run setup test lint format messages data map clean

run: setup  ## Set up, load all seed data on SQLite and serve at http://127.0.0.1:8000
	$(BIN)/python manage.py runserver $(HOST)

setup: $(VENV)/.installed
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py loaddata fixtures/*.json

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

test: $(VENV)/.installed  ## Run the whole test suite (SQLite; DATABASE_URL=postgres://… for PostgreSQL)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(VENV)/.installed  ## Refresh the Korean translation catalogue after changing strings
	$(BIN)/python manage.py makemessages -l ko --no-obsolete --no-location -i .venv -i node_modules
	$(BIN)/python manage.py compilemessages -l ko -i .venv -i node_modules

map: $(VENV)/.installed  ## Regenerate map geometry and the country fixture from npm's world-atlas
	npm install --no-audit --no-fund
	$(BIN)/python manage.py build_map
	$(BIN)/python manage.py build_countries

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
