# The front door. Every target bootstraps .venv on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench bytecode clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@$(MAKE) --no-print-directory bytecode
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/localitymap rollup --scheme icn6

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

# pip compiles installed packages, but an editable install runs src/ from source; compiling it
# here keeps start-up honest even where PYTHONDONTWRITEBYTECODE is set.
bytecode:
	@$(BIN)/python -m compileall -q src

# bench_national generates synthetic national inputs at run time (~15 minutes on 2 cores);
# BENCH_QUICK=1 runs it at a fifth of the size.
bench: $(STAMP) bytecode
	$(BIN)/python benchmarks/bench_startup.py
	$(BIN)/python benchmarks/bench_assign.py
	$(BIN)/python benchmarks/bench_national.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache .hypothesis
