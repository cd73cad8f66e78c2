# All set-up happens here: a virtual environment in .venv with the pinned versions.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: run chat test test-fast bench lint clean

$(BIN)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $@

run: $(BIN)/.installed
	$(BIN)/ideenlabor run

# Talk to the bot in this terminal, without a token: make chat ARGS="--user 12345 --lang en"
chat: $(BIN)/.installed
	$(BIN)/ideenlabor chat $(ARGS)

test: $(BIN)/.installed
	$(BIN)/python -m pytest

# The in-process tier: every test but those marked `process` (the bot as a subprocess, the
# HTTP emulator, SMTP and webhook servers); see README, "Development". None of these listens on
# a port or starts a process (conftest.py fails one that does), so two workers can share the
# machine; `make test` stays in one process for the timing of the process tests.
test-fast: $(BIN)/.installed
	$(BIN)/python -m pytest -m "not process" -n 2

bench: $(BIN)/.installed
	$(BIN)/python bench/browse.py
	$(BIN)/python bench/comments.py
	$(BIN)/python bench/broadcast.py
	$(BIN)/python bench/search.py

$(BIN)/.linters: $(BIN)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $@

# The gate CI runs before the tests (.ci/run); .pre-commit-config.yaml runs the same tools.
CODE = bot handlers storage messages scripts tests bench
lint: $(BIN)/.linters
	$(BIN)/ruff check $(CODE)
	$(BIN)/ruff format --check $(CODE)
	$(BIN)/mypy $(CODE)
	$(BIN)/lint-imports --no-logo  # the layers and no import cycles (.importlinter)

clean:
	rm -rf $(VENV)
