# kx: `make run` serves everything at http://127.0.0.1:8000; `make test` runs every test.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.kx-installed

.PHONY: run test unit integration lint install demo bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

run: install
	KX_DEMO=$${KX_DEMO:-1} $(BIN)/kx run

test: install
	$(BIN)/python -m pytest

unit: install
	$(BIN)/python -m pytest -m "not integration"

integration: install
	$(BIN)/python -m pytest -m integration

lint: install
	$(BIN)/ruff check .

# Every benchmarks/*.py script (those starting with _ are helpers), each with its defaults; results
# in benchmarks/results/. Goes on after a failing one and fails at the end naming it.
bench: install
	@failed=""; for script in benchmarks/[!_]*.py; do \
		echo "== $$script"; $(BIN)/python $$script || failed="$$failed $$script"; \
	done; test -z "$$failed" || { echo "failed:$$failed"; exit 1; }

clean:
	rm -rf var .pytest_cache .ruff_cache
