# Two entry points: `make demo` (install and open the TUI on the offline demo)
# and `make test` (install and run the whole test suite).
PY ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: demo test lint install

$(BIN)/zoomtui: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(BIN)/zoomtui

install: $(BIN)/zoomtui

demo: install
	$(BIN)/zoomtui --demo

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
