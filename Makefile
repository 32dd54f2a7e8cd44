# The README's two commands: `make run` and `make test`. Both are idempotent.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYENV_ROOT ?= $(shell pyenv root 2>/dev/null || echo $(HOME)/.pyenv)
PYTHON310 ?= $(firstword $(wildcard $(PYENV_ROOT)/versions/3.10.*/bin/python3.10) $(shell command -v python3.10 2>/dev/null))
VENV := .venv
BOT := $(VENV)/bin/bot
INSTALLED := $(VENV)/.installed
# Browser tests: Debian's Chromium (never a downloaded browser) and axe-core from npm.
CHROMIUM := /usr/bin/chromium
NODE_INSTALLED := node_modules/.installed
# Welsh radical forms for the safety net (bot/safety/welsh.py): FreeDict's Welsh-English headwords.
WELSH_DICTIONARY := /usr/share/dictd/freedict-cym-eng.index
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help install test-deps services run test lint bench train clean

help:
	@echo "make run    install, train if needed, start the assistant on SQLite"
	@echo "make test   install if needed, run every test"
	@echo "make bench  measure latency, throughput, memory and training time"

$(INSTALLED): pyproject.toml constraints.txt
	@test -n "$(PYTHON310)" || { echo "Python 3.10 not found (pyenv install 3.10)"; exit 1; }
	@test -x $(VENV)/bin/python || $(PYTHON310) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --upgrade "pip<25" "wheel<0.46" "setuptools<71"
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-build-isolation -c constraints.txt -e ".[dev]"
	@touch $@

install: $(INSTALLED) $(WELSH_DICTIONARY)

$(WELSH_DICTIONARY):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq dict-freedict-cym-eng

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium

# The storage, console and end-to-end tests run on PostgreSQL and Redis too
# (bot/local_servers.py starts throwaway servers on loopback).
services:
	@{ ls /usr/lib/postgresql/*/bin/postgres && command -v redis-server; } >/dev/null 2>&1 || { \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql redis-server; }

$(NODE_INSTALLED): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $@

test-deps: $(CHROMIUM) $(NODE_INSTALLED) services

train: install
	$(BOT) train

run: install
	$(BOT) run

lint: install
	$(VENV)/bin/ruff check bot actions tests
	$(VENV)/bin/mypy

test: install test-deps lint
	$(BOT) content check
	$(BOT) train
	$(VENV)/bin/pytest -q --durations=25

bench: install
	$(BOT) bench

clean:
	rm -rf build models/*.tar.gz var results .pytest_cache
