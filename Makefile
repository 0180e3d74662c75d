# make run  : create .venv, install (with CPU PyTorch, pinned, for the exercises), start a quiz session
# make lint : ruff and mypy (configured in pyproject.toml)
# make test : create .venv, install with test extras (and CPU PyTorch, pinned), lint, run the suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --disable-pip-version-check -q -c constraints.txt

.PHONY: run lint test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml setup.py constraints.txt
	$(PIP) -e .
	@touch $@

$(VENV)/.installed-run: $(VENV)/.installed
	$(PIP) -e '.[torch]'
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) -e '.[test,torch]'
	@touch $@

run: $(VENV)/.installed-run
	@echo "quiz is installed in $(VENV): next time run $(BIN)/quiz (or: . $(BIN)/activate, then quiz)"
	$(BIN)/quiz start

lint: $(VENV)/.installed-test
	$(BIN)/ruff check bigmodel_quiz tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest -q

bench: $(VENV)/.installed-test
	for b in bench/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) build dist *.egg-info
