# Intervista: `make run` serves the app on the embedded default; `make test` runs lint, types, tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements.stamp
DEV_STAMP := $(VENV)/.requirements-dev.stamp
PYTEST_ARGS ?=
# Test files spread over the cores (at most 4 workers; one file's tests stay together).
PYTEST_WORKERS ?= -n auto --maxprocesses=4 --dist loadfile

.PHONY: run test lint format bench clean-data

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(DEV_STAMP): requirements-dev.txt $(STAMP)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(STAMP)
	$(PY) -m core init-db
	$(PY) -m core seed-demo --if-empty
	$(PY) -m core models pull --first-start >/dev/null
	FORWARDED_ALLOW_IPS="$$($(PY) -m core.staff.proxies)" \
	$(PY) -m streamlit run server.py --server.address 127.0.0.1 --server.port 8501

test: $(DEV_STAMP)
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(PY) -m pytest $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	$(PY) -m ruff check .

format: $(DEV_STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

clean-data:
	rm -rf data/app.db data/app.db-wal data/app.db-shm data/recordings data/snapshots data/resumes data/audio
