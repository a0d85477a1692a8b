# supportbot: `make help` lists the targets.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

# Offline is the rule: no telemetry, no model downloads.
export RASA_TELEMETRY_ENABLED := false
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

# `uv` on PATH if it works (a pyenv shim may not), else one installed into .venv-tools: setup
# never installs into an interpreter the project did not create. Every `uv pip` call names its
# target with --python (`python -m uv pip` would otherwise target the interpreter uv runs in).
TOOLS_VENV := .venv-tools
UV := $(shell uv --version >/dev/null 2>&1 && echo uv || echo $(TOOLS_VENV)/bin/uv)
VENV := .venv
RASA_VENV := .venv-rasa
# Full output of installs; the terminal gets one line per step (errors print the log's tail).
LOGS := var/logs
INSTALL_LOG := $(LOGS)/install.log
quietly = mkdir -p $(LOGS); echo "install: $(1) (log: $(INSTALL_LOG))"; \
	{ $(2); } >>$(INSTALL_LOG) 2>&1 || { tail -n 40 $(INSTALL_LOG) >&2; \
	echo "install: FAILED: $(1); the whole log is $(INSTALL_LOG)" >&2; exit 1; }
# torch's CPU build lies here (pyproject.toml's pytorch-cpu-local index).
WHEELS := /opt/wheels
PYTEST_ARGS ?=
# Two processes (pytest-xdist): tests/conftest.py keeps a file's tests, and everything that loads
# the real Rasa model, in one worker each; tests/workers.py gives each its own databases.
PYTEST_WORKERS ?= 2
RUN_ARGS ?=

# A stamp whose environment was deleted or broken does not count.
$(shell test -x $(VENV)/bin/pytest || rm -f $(VENV)/.stamp)
$(shell test -x $(RASA_VENV)/bin/rasa || rm -f $(RASA_VENV)/.stamp)

.PHONY: help install uv lock check format model test run

help: ## list the targets
	@echo "usage: make TARGET"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'
	@echo "variables: PYTEST_ARGS='...' and PYTEST_WORKERS=2 (0: one process) for make test,"
	@echo "           RUN_ARGS='...' for make run"

install: $(VENV)/.stamp $(RASA_VENV)/.stamp ## install uv, .venv and .venv-rasa (only what changed)

uv:
	@$(UV) --version >/dev/null 2>&1 || { $(call quietly,uv into $(TOOLS_VENV),\
		python3 -m venv $(TOOLS_VENV) && $(TOOLS_VENV)/bin/python -m pip install uv); }

$(VENV)/.stamp: pyproject.toml uv.lock | uv
	@$(call quietly,$(VENV) (backend and tests: minutes the first time),\
		UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --all-groups --frozen --python python3.11)
	@touch $@

$(RASA_VENV)/.stamp: bot/rasa.lock | uv
	@$(call quietly,$(RASA_VENV) (Rasa: minutes the first time),\
		{ test -x $(RASA_VENV)/bin/python || $(UV) venv --python python3.11 $(RASA_VENV); } && \
		$(UV) pip sync --python $(RASA_VENV)/bin/python --find-links $(WHEELS) bot/rasa.lock)
	@touch $@

lock: | uv ## regenerate uv.lock and bot/rasa.lock
	$(UV) lock
	$(UV) pip compile --python-version 3.11 --find-links $(WHEELS) --override bot/overrides.txt \
		-c bot/constraints.txt bot/rasa.in -o bot/rasa.lock

check: install ## ruff check, ruff format --check, mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: install ## ruff format and ruff check --fix
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

model: install ## train the Rasa model unless models/<input-hash>.tar.gz exists
	@$(VENV)/bin/python bot/model_cache.py

test: install check model ## install, check, train if needed, then run every test
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS) || { code=$$?; \
		if [ $$code -eq 5 ]; then echo "pytest collected no tests: that is a failure" >&2; fi; \
		exit $$code; }

run: install model ## run backend, Rasa and action server (Ctrl-C stops all)
	@$(VENV)/bin/supportbot run $(RUN_ARGS)
