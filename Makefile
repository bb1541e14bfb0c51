# Flipchart's daily commands. `make run` serves the demo; `make test` runs everything.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE := flipchart.settings

.PHONY: setup run demo test test-postgres test-scale lint format system-deps bench bench-quick clean

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

# The suite again on the scaled stack: PostgreSQL + Redis (throwaway servers on loopback unless
# DATABASE_URL / REDIS_URL name yours). Browser tests run in `make test` only.
test-postgres: setup system-deps ## the suite on PostgreSQL + Redis (not the browser tests)
	scripts/with-services.sh $(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

test-scale: setup system-deps ## only the multi-process tests (tests/scale)
	$(BIN)/pytest tests/scale $(PYTEST_ARGS)

bench: setup system-deps ## every benchmark at full size (about 90 minutes); see docs/benchmarks.md
	$(BIN)/python bench/run_all.py

bench-quick: setup system-deps ## every benchmark, small and short (a few minutes)
	$(BIN)/python bench/run_all.py --quick

clean:
	rm -rf $(VENV) data/test-*.sqlite3*
