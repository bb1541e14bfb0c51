# Flipchart's daily commands. `make run` serves the demo; `make test` runs everything.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE := flipchart.settings

.PHONY: setup run demo test lint format system-deps bench clean

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e . --config-settings editable_mode=compat
	touch $(STAMP)

setup: $(STAMP) ## venv, dependencies, migrations (idempotent)
	$(BIN)/flipchart migrate --noinput -v 0

run: setup ## serve the demo school at http://127.0.0.1:8000
	$(BIN)/flipchart demo
	$(BIN)/flipchart serve --host 127.0.0.1 --port 8000

demo: setup
	$(BIN)/flipchart demo

system-deps: ## Debian packages the tests need (installed only when missing, as root)
	@scripts/system-deps.sh

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: setup system-deps lint ## ruff, then the whole pytest suite
	$(BIN)/pytest $(PYTEST_ARGS)

bench: setup
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) data/test-*.sqlite3*
