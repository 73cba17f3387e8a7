# Two commands matter: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
DATA   ?= ../shared/data

.PHONY: run test lint typecheck check eval bench gate lock clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/precis run

# Four test processes on a 2-core machine: the suite waits (for processes, sockets, a database) about half
# the time, so more processes than cores keep both busy (quiet, 2 cores: 88-89 s with 4, 92-105 s with 2).
# The suite starts many interpreters (workers, bot processes, analysis workers): they keep compiled
# bytecode even where the environment turns that off, or each one compiles every module again.
test: $(STAMP)
	env -u PYTHONDONTWRITEBYTECODE $(PY) -m pytest -n 4 --dist worksteal

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy

check: lint typecheck test

eval: $(STAMP)
	$(PY) -m bench.suite eval --data $(DATA)

bench: $(STAMP)
	$(PY) -m bench.suite bench --data $(DATA)

gate: $(STAMP)
	$(PY) -m bench.gate --data $(DATA)

# Re-pin every dependency (needs uv: pip install uv).
lock:
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
