# democracy-kg — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RECORDS ?= data/records
OUT ?= build

.DEFAULT_GOAL := help
PORT ?= 7878
.PHONY: help run test bench build serve clean system-deps

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

system-deps: ## install Debian tools the tests use (rapper from raptor2-utils), when missing and root
	@if ! command -v rapper >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq raptor2-utils >/dev/null; \
	  else echo "rapper (raptor2-utils) is missing: sudo apt-get install raptor2-utils" >&2; exit 1; fi; fi

run: $(STAMP) ## install, build the seed graph, and print where the outputs are
	$(BIN)/dkg build --records $(RECORDS) --out $(OUT)
	@echo
	$(BIN)/dkg stats --store $(OUT)
	@echo
	@echo "Ask it:    $(BIN)/dkg query --list    then e.g.  $(BIN)/dkg query --name claims-about-entity"
	@echo "Serve it:  make serve    (SPARQL endpoint and query editor at http://127.0.0.1:$(PORT)/)"

build: run ## same as run

test: $(STAMP) system-deps ## install what the tests need and run them (unit, doctests, build, CLI)
	$(BIN)/python -m pytest

bench: $(STAMP) ## run the build, source-ingest and query benchmarks; results go to benchmarks/results/
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python benchmarks/bench_sources.py
	$(BIN)/python benchmarks/bench_queries.py

serve: $(STAMP) ## serve the built graph read-only at http://127.0.0.1:$(PORT)/ (builds it first when missing)
	@test -e $(OUT)/current || $(BIN)/dkg build --records $(RECORDS) --out $(OUT)
	$(BIN)/dkg serve --store $(OUT) --port $(PORT)

clean: ## remove the build directory (not the venv)
	rm -rf $(OUT)
