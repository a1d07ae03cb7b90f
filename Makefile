# Two commands do all set-up: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint install clean bench constraints system-packages system-packages-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Exact versions from constraints.txt: what the tests and the benchmarks ran on.
$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $(VENV)/.installed $@

# After a dependency change in pyproject.toml: install it, then write the versions down again.
constraints: $(VENV)/.installed-test
	{ sed -n '/^#/p' constraints.txt; $(BIN)/pip list --format=freeze --exclude-editable | grep -v '^coverwatch'; } > constraints.new
	mv constraints.new constraints.txt

install: $(VENV)/.installed

# Debian packages (Tesseract; for the tests also Chromium): installed as root, else the command
# to run is printed. Listed first, so a missing one stops before the venv is built.
system-packages:
	bash scripts/system-packages.sh

system-packages-test:
	bash scripts/system-packages.sh --test

demo: system-packages $(VENV)/.installed
	$(BIN)/coverwatch demo

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

test: system-packages-test lint
	$(BIN)/pytest

bench: $(VENV)/.installed-test
	$(BIN)/python bench/bench_evaluate.py
	OMP_THREAD_LIMIT=1 $(BIN)/python bench/bench_parse.py

clean:
	rm -rf $(VENV) coverwatch-data
