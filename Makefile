# The two front-door commands: `make demo` and `make test`. Both create the virtual environment themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The other Pythons the connector admits: `make test` runs the unit tests on each one this machine has, each in its
# own virtual environment (.venv-3.10, ...), and the whole suite on $(PYTHON) in $(VENV).
OTHER_PYTHONS := 3.10 3.12 3.13

.PHONY: venv test lint unit unit-pythons integration demo bench clean
LINTED := source_brightpearl sandbox unit_tests integration_tests bench demo conftest.py

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

test: lint unit-pythons
	$(BIN)/python -m pytest -q

# For each version: `pythonX.Y` on PATH if it runs (a pyenv shim may not), else pyenv's install under $(HOME).
unit-pythons:
	@for version in $(OTHER_PYTHONS); do \
	  interpreter=""; \
	  for candidate in "$$(command -v python$$version 2>/dev/null)" $(HOME)/.pyenv/versions/$$version.*/bin/python; do \
	    if [ -x "$$candidate" ] && "$$candidate" -c "import sys; sys.exit(sys.version[:len('$$version') + 1] != '$$version.')" 2>/dev/null; then \
	      interpreter="$$candidate"; break; \
	    fi; \
	  done; \
	  if [ -z "$$interpreter" ]; then \
	    echo "Python $$version: not on this machine (no working python$$version on PATH, none under ~/.pyenv/versions); its unit tests are skipped."; \
	    continue; \
	  fi; \
	  env=.venv-$$version; \
	  if [ ! -f $$env/.installed ] || [ pyproject.toml -nt $$env/.installed ]; then \
	    echo "Python $$version: installing the connector and its unit-test tools in $$env ($$interpreter)"; \
	    (test -x $$env/bin/python || "$$interpreter" -m venv $$env) && \
	    $$env/bin/python -m pip install --quiet --upgrade pip && \
	    $$env/bin/python -m pip install --quiet -e '.[unit]' && touch $$env/.installed || exit 1; \
	  fi; \
	  echo "Python $$version: unit tests"; \
	  $$env/bin/python -m pytest -q -p no:cacheprovider unit_tests || exit 1; \
	done

# Lint, format and type gates (ruff and mypy, configured in pyproject.toml).
lint: venv
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy

unit: venv
	$(BIN)/python -m pytest -q unit_tests

integration: venv
	$(BIN)/python -m pytest -q integration_tests

demo: venv
	$(BIN)/python -m demo

bench: venv
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) $(addprefix .venv-,$(OTHER_PYTHONS)) .pytest_cache build dist *.egg-info
