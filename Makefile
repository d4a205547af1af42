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
.PHONY: help run test check bench build serve clean system-deps analyse map site notebooks

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/$$(PORT)/$(PORT)/g' | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

JS := tests/js
JS_STAMP := $(JS)/node_modules/.installed

system-deps: ## install Debian tools the tests use (rapper, node and npm, chromium, Virtuoso), when missing and root
	@missing=""; command -v rapper >/dev/null || missing="$$missing raptor2-utils"; \
	command -v virtuoso-t >/dev/null || missing="$$missing virtuoso-opensource"; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	command -v node >/dev/null || missing="$$missing nodejs"; command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing Debian packages:$$missing (sudo apt-get install$$missing)" >&2; exit 1; fi; fi

# graphology-gexf (Gephi Lite's GEXF reader) checks our GEXF exports independently of NetworkX.
$(JS_STAMP): $(JS)/package.json $(JS)/package-lock.json | system-deps
	npm ci --prefix $(JS) --no-audit --no-fund --silent
	touch $(JS_STAMP)

run: $(STAMP) ## install, build the graph (curated field + the exports present), analyse its networks
	@mkdir -p $(OUT) && log=$(OUT)/run.log && : > $$log && \
	step() { echo "\$$ $$*" >> $$log; "$$@" >> $$log 2>&1 || { echo "failed: $$*" >&2; tail -n 30 $$log >&2; \
	  echo "(whole output: $$log)" >&2; exit 1; }; } && \
	step $(BIN)/dkg build --records $(RECORDS) --out $(OUT) && \
	{ grep -E '^built |^    [^ ].*: read |^  (rejects|source [^ ]+: skipped)' $$log || true; } && \
	step $(BIN)/dkg stats --store $(OUT) && \
	step $(BIN)/dkg analyse --store $(OUT) --projection actors --out analysis/actors --write-back --no-progress && \
	step $(BIN)/dkg analyse --store $(OUT) --out analysis/collaboration --write-back --no-progress && \
	{ grep -E '^[a-z]+ network: |^wrote ' $$log || true; } && \
	echo "(whole output, with the store's statistics: $$log)"
	@echo
	@echo "Ask it:    $(BIN)/dkg query --list    then e.g.  $(BIN)/dkg query --name members-of-network"
	@echo "Networks:  analysis/actors/ (the field), analysis/collaboration/ (EU research); graph.gexf for Gephi"
	@echo "           $(BIN)/dkg query --name top-brokers --param projection=actors"
	@echo "Serve it:  make serve    (SPARQL endpoint and query editor at http://127.0.0.1:$(PORT)/)"

build: run ## same as run

test: $(STAMP) system-deps $(JS_STAMP) ## install what the tests need and run them all, both tiers (what CI runs)
	$(BIN)/python -m pytest

# The tiers are pytest markers (pyproject.toml; tests/conftest.py marks by the fixtures a test uses).
check: $(STAMP) ## the fast tier, under a minute: unit tests and doctests; no browser, server, kernel or Debian tool
	$(BIN)/python -m pytest -m "not slow and not system"

bench: $(STAMP) system-deps ## run the build, source-ingest, query, network, map, endpoint and remote-store benchmarks; results go to benchmarks/results/
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python benchmarks/bench_sources.py
	$(BIN)/python benchmarks/bench_queries.py
	$(BIN)/python benchmarks/bench_network.py
	$(BIN)/python benchmarks/bench_maps.py
	$(BIN)/python benchmarks/bench_serve.py
	$(BIN)/python benchmarks/bench_remote.py

serve: $(STAMP) ## serve the built graph read-only at http://127.0.0.1:$(PORT)/ (builds it first when missing)
	@test -e $(OUT)/current || $(BIN)/dkg build --records $(RECORDS) --out $(OUT)
	$(BIN)/dkg serve --store $(OUT) --port $(PORT)

analyse: $(STAMP) ## analyse the actors and the collaboration networks of the built graph into analysis/
	@test -e $(OUT)/current || $(BIN)/dkg build --records $(RECORDS) --out $(OUT)
	$(BIN)/dkg analyse --store $(OUT) --projection actors --out analysis/actors --write-back
	$(BIN)/dkg analyse --store $(OUT) --out analysis/collaboration --write-back

map: $(STAMP) ## draw the actors of democratic innovation as an offline HTML map: maps/actors.html
	@test -e $(OUT)/current || $(BIN)/dkg build --records $(RECORDS) --out $(OUT)
	$(BIN)/dkg map --store $(OUT) --projection actors --out maps/actors.html

site: $(STAMP) ## publish the static site (maps, downloads, ontology pages, licences) into site/
	@test -e $(OUT)/current || $(BIN)/dkg build --records $(RECORDS) --out $(OUT)
	$(BIN)/dkg publish --store $(OUT) --out site

notebooks: $(STAMP) ## open JupyterLab on notebooks/ (installs JupyterLab into .venv first; kernel = this project's venv)
	$(BIN)/pip install --quiet -e '.[notebooks]'
	@# Jupyter refuses to run as root (containers often do) unless told; say so rather than fail.
	cd notebooks && ../$(BIN)/jupyter lab --ip 127.0.0.1 $$([ "$$(id -u)" = 0 ] && echo --allow-root)

clean: ## remove the build directory, analyses, maps and the site (not the venv)
	rm -rf $(OUT) analysis maps site
