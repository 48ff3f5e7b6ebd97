# kx: `make run` serves everything at http://127.0.0.1:8000; `make test` runs every test.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.kx-installed

.PHONY: run test unit integration lint install demo bench clean translations

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

# Welsh catalogues: extract each service's and shared's messages into <dir>/translations/messages.pot,
# merge them into cy/LC_MESSAGES/messages.po (new messages arrive with an empty msgstr, which
# tests/test_translations.py rejects until translated), and compile the .mo files that are committed.
CATALOGUES := shared services/registration services/notifications services/learning services/expenses
translations: install
	@for dir in $(CATALOGUES); do \
	  $(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -k N_ --no-location --no-wrap --sort-output \
	    --ignore-dirs='tests migrations .* _*' -o $$dir/translations/messages.pot $$dir || exit 1; \
	  if [ -f $$dir/translations/cy/LC_MESSAGES/messages.po ]; then \
	    $(BIN)/pybabel -q update --no-fuzzy-matching --ignore-obsolete --no-wrap -i $$dir/translations/messages.pot -d $$dir/translations -l cy || exit 1; \
	  else \
	    $(BIN)/pybabel -q init --no-wrap -i $$dir/translations/messages.pot -d $$dir/translations -l cy || exit 1; \
	  fi; \
	  $(BIN)/pybabel -q compile -d $$dir/translations -l cy || exit 1; \
	done
