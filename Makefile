# rosbill — the front door. `make demo` shows the system working; `make test` runs the tests.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.rosbill-installed
CONFIG ?= config/billing.yaml
ROUTER ?=

.PHONY: install build lint check schema test test-fast golden demo fleet-demo simulate deploy bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

build: install
	$(BIN)/rosbill build --config $(CONFIG)

lint: install
	$(BIN)/rosbill lint --config $(CONFIG)

# The code's own checks (CI runs them too): ruff's lint rules, ruff's formatting, mypy (settings in pyproject.toml).
check: install
	$(BIN)/ruff check generator emulator tests bench
	$(BIN)/ruff format --check generator emulator tests bench
	$(BIN)/mypy

# Regenerate the JSON Schema of the config that editors read (tests/test_cli_schema.py checks it is current).
schema: install
	$(BIN)/rosbill schema --output schema/billing.schema.json

test: install
	$(BIN)/python -m pytest -n auto --dist worksteal

test-fast: install
	$(BIN)/python -m pytest -n auto --dist worksteal -m "not slow"

golden: install
	ROSBILL_UPDATE_GOLDEN=1 $(BIN)/python -m pytest tests/test_golden.py

# The whole system with no hardware: build config/billing.yaml, serve an emulated router on loopback (api-ssl),
# deploy to it over the API as to a real one, run it through the month end and print the mails it sent.
demo: build
	$(BIN)/rosbill demo --config $(CONFIG)

# ansible-playbook with the rosbill.routeros collection converges several emulated routers on loopback (ROUTERS=n,
# default 4), twice (the second run writes nothing), then dry-runs a changed schedule with --check --diff (docs/fleet.md)
fleet-demo: install
	$(BIN)/python tests/ansible/fleet_demo.py $(if $(ROUTERS),--routers $(ROUTERS))

# make deploy [ROUTER=core1] [ARGS=--dry-run|--yes]; password from ROSBILL_PASSWORD_<ROUTER> or ROSBILL_PASSWORD,
# else a prompt. Exit codes: 0 ok, 1 changes pending (dry run), 2 usage, 5 deploy failed (backup restored).
# ROUTER may be left out when the config has one router; with several, `build --one` lists them (exit 2) before
# anything is built.
deploy: install
	$(BIN)/rosbill build --one --config $(CONFIG) $(if $(ROUTER),--router $(ROUTER))
	$(BIN)/rosbill deploy --config $(CONFIG) $(if $(ROUTER),--router $(ROUTER)) $(ARGS)

# a month (or MONTHS=n) of warnings and bills on an emulated router, without deploying anything
simulate: install
	$(BIN)/rosbill simulate --config $(CONFIG) --months $(or $(MONTHS),1)

bench: install
	$(BIN)/python bench/interp_bench.py
	$(BIN)/python bench/sim_bench.py
	$(BIN)/python bench/deploy_bench.py
	$(BIN)/python bench/monthend_bench.py --users 1000

clean:
	rm -rf build .pytest_cache .hypothesis
