# Lotsenhaus – two commands for a fresh Debian machine: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
LH := $(BIN)/lotsenhaus
PYTEST_ARGS ?=
# Tests run in parallel, one process per core (pytest-xdist); each process has its own test database.
JOBS ?= auto
# pytest exits with 5 when it collected no test; say so instead of failing a run that selected none.
PYTEST = run_pytest() { $(BIN)/pytest -n $(JOBS) "$$@" $(PYTEST_ARGS); rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest: no tests collected"; rc=0; fi; return $$rc; }; run_pytest

.PHONY: test-scale-out lock dist package-test demo test test-postgres test-browser test-fuzz bench-load lint format setup assets messages db clean

demo: setup db
	$(LH) demo

test: setup
	@$(PYTEST) -m "not browser"

# The inner loop: the suite without the tests that start extra processes or a browser, on every core.
test-fast: setup
	@$(PYTEST) -m "not browser and not slow"

# The same suite on PostgreSQL; DATABASE_URL must point at a server (see .ci/run).
test-postgres: setup
	@case "$$DATABASE_URL" in postgres*) ;; *) echo "Set DATABASE_URL=postgres://…"; exit 2;; esac
	@$(PYTEST) -m "not browser"

# Accessibility of every page in headless Chromium with axe-core (needs Debian's chromium).
test-browser: setup
	@$(PYTEST) -m browser

# Two web nodes and two workers on one PostgreSQL (DATABASE_URL) and a SeaweedFS object store (docs/operations.md).
test-scale-out: setup
	@case "$$DATABASE_URL" in postgres*) ;; *) echo "Set DATABASE_URL=postgres://…"; exit 2;; esac
	@$(BIN)/python scripts/scale_out.py

test-fuzz: setup
	@$(BIN)/python scripts/fuzz_api.py

# Load test against PostgreSQL (DATABASE_URL); LOAD_ARGS="--startups 5000 --needs 1000 --seconds 20" for a short run.
LOAD_ARGS ?=
bench-load: setup
	@case "$$DATABASE_URL" in postgres*) ;; *) echo "Set DATABASE_URL=postgres://…"; exit 2;; esac
	@$(BIN)/python -c "import locust" 2>/dev/null || $(BIN)/pip install --quiet --require-hashes -r requirements/load.lock
	@$(BIN)/python bench/load.py $(LOAD_ARGS)

# The release package: an sdist and a wheel in dist/ with compiled catalogues and the vendored front-end assets.
dist: setup
	rm -rf dist build
	$(BIN)/python scripts/vendor_assets.py
	$(BIN)/python -m build --outdir dist .

# Install the wheel into a fresh virtual environment outside the checkout and exercise it (docs/operations.md).
package-test: dist
	$(BIN)/python scripts/package_smoke.py dist

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy lotsenhaus tests conftest.py
	$(BIN)/lint-imports --no-cache

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

setup: $(VENV)/.installed node_modules/.installed messages assets

# Every dependency, transitive ones included, comes from the lock with its hashes; the project itself without.
$(VENV)/.installed: pyproject.toml requirements/dev.lock
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 or newer is needed (apt-get install python3 python3-venv)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

# After changing a pin in pyproject.toml: resolve again and write the three locks (with hashes) in requirements/.
LOCK = $(BIN)/uv pip compile pyproject.toml --quiet --generate-hashes --python-version 3.11 --index-url https://pypi.org/simple
lock: $(VENV)/.installed
	$(LOCK) -o requirements/runtime.lock
	$(LOCK) --extra dev -o requirements/dev.lock
	$(LOCK) --extra dev --extra load -o requirements/load.lock

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed (apt-get install npm)."; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Message catalogues are compiled with Babel, so no system gettext is needed.
messages: $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d lotsenhaus/locale -D django
	$(BIN)/pybabel compile -d lotsenhaus/locale_overrides -D django

assets: $(VENV)/.installed node_modules/.installed
	$(LH) collectstatic --noinput --verbosity 0

db: $(VENV)/.installed
	$(LH) migrate --noinput
	$(LH) createcachetable

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .mypy_cache .ruff_cache
