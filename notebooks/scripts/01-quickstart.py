# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,-all
#     formats: ipynb,scripts//py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
# ---

# %% [markdown]
# # 01 · Quickstart: the graph, SPARQL into pandas, provenance
#
# **Answers:** what is in the graph (entities per class, triples per source), how to ask it
# questions in SPARQL and get pandas tables back, where one fact came from, and which named
# questions are ready to use.
# **Takes:** about 5 seconds on the shipped records; about 15 seconds with the exports in `data/sources.toml`.

# %% tags=["parameters"]
SOURCES = None  # a sources.toml naming the real exports (e.g. "../data/sources.toml"); None: shipped records only

# %%
from graph.notebook import open_graph
from graph.query import select
from graph.stats import class_counts, graph_counts
from graph.store import open_store

build = open_graph(SOURCES)
store = open_store(build)
build

# %% [markdown]
# ## What is in the graph

# %%
import pandas as pd

pd.Series(class_counts(store), name="entities").to_frame()

# %%
pd.Series(graph_counts(store), name="triples").to_frame()

# %% [markdown]
# ## SPARQL into pandas
# Columns come in the SELECT order, typed from the RDF datatypes; the project's prefixes are predeclared.

# %%
select("""SELECT ?organisation ?name ?type WHERE {
  ?organisation a org:Organization ; rdfs:label ?name .
  OPTIONAL { ?organisation org:classification/skos:prefLabel ?type }
} ORDER BY ?name""", store)

# %% [markdown]
# ## Where one fact came from
# Every statement about Nets4Dem, with the named graph and source document that holds it.

# %%
select("provenance-of-entity", store).head(12)

# %% [markdown]
# ## The named question library
# Each question is a SPARQL file with typed parameters; `dkg query --name` runs the same ones.

# %%
from graph.library import load_library

pd.DataFrame([(q.name, q.question) for q in load_library().values()], columns=["question", "asks"])

# %%
select("members-of-network", store, network="organisation:nets4dem")
