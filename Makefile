# The two front-door commands: `make demo` and `make test`. Both create the virtual environment themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv test lint unit integration demo bench clean
LINTED := source_brightpearl sandbox unit_tests integration_tests bench demo conftest.py

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

test: lint
	$(BIN)/python -m pytest -q

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
	rm -rf $(VENV) .pytest_cache build dist *.egg-info
