# rosbill — the front door. `make demo` shows the system working; `make test` runs the tests.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.rosbill-installed
CONFIG ?= config/billing.yaml
ROUTER ?=

.PHONY: install build lint test test-fast golden demo simulate deploy bench clean

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

test: install
	$(BIN)/python -m pytest

test-fast: install
	$(BIN)/python -m pytest -m "not slow"

golden: install
	ROSBILL_UPDATE_GOLDEN=1 $(BIN)/python -m pytest tests/test_golden.py

demo: build
	@for f in build/*/*.rsc; do echo "===== $$f"; cat "$$f"; done

clean:
	rm -rf build .pytest_cache .hypothesis
