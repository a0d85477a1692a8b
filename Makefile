# supportbot: `make help` lists the targets.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

# Offline is the rule: no telemetry, no model downloads.
export RASA_TELEMETRY_ENABLED := false
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

# `uv` on PATH if it works (a pyenv shim may not), else the module installed by `make install`.
UV := $(shell uv --version >/dev/null 2>&1 && echo uv || echo python3 -m uv)
VENV := .venv
RASA_VENV := .venv-rasa
# torch's CPU build lies here (pyproject.toml's pytorch-cpu-local index).
WHEELS := /opt/wheels
PYTEST_ARGS ?=
RUN_ARGS ?=

# A stamp whose environment was deleted or broken does not count.
$(shell test -x $(VENV)/bin/pytest || rm -f $(VENV)/.stamp)
$(shell test -x $(RASA_VENV)/bin/rasa || rm -f $(RASA_VENV)/.stamp)

.PHONY: help install uv lock check format model test run

help: ## list the targets
	@echo "usage: make TARGET"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'
	@echo "variables: PYTEST_ARGS='...' for make test, RUN_ARGS='...' for make run"

install: $(VENV)/.stamp $(RASA_VENV)/.stamp ## install uv, .venv and .venv-rasa (only what changed)

uv:
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv

$(VENV)/.stamp: pyproject.toml uv.lock | uv
	$(UV) sync --all-groups --frozen
	touch $@

$(RASA_VENV)/.stamp: bot/rasa.lock | uv
	test -x $(RASA_VENV)/bin/python || $(UV) venv -p python3.11 $(RASA_VENV)
	VIRTUAL_ENV=$(RASA_VENV) $(UV) pip sync --find-links $(WHEELS) bot/rasa.lock
	touch $@

lock: | uv ## regenerate uv.lock and bot/rasa.lock
	$(UV) lock
	$(UV) pip compile -p 3.11 --find-links $(WHEELS) --override bot/overrides.txt -c bot/constraints.txt \
		bot/rasa.in -o bot/rasa.lock

check: install ## ruff check, ruff format --check, mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: install ## ruff format and ruff check --fix
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

model: install ## train the Rasa model unless models/<input-hash>.tar.gz exists
	$(VENV)/bin/python bot/model_cache.py

test: install check model ## install, check, train if needed, then run every test
	$(VENV)/bin/pytest $(PYTEST_ARGS) || { code=$$?; \
		if [ $$code -eq 5 ]; then echo "pytest collected no tests: that is a failure" >&2; fi; \
		exit $$code; }

run: install model ## run backend, Rasa and action server (Ctrl-C stops all)
	$(VENV)/bin/supportbot run $(RUN_ARGS)
