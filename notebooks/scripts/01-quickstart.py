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
from graph.api import open_or_build, questions

kg = open_or_build(SOURCES)
kg

# %% [markdown]
# ## What is in the graph

# %%
import pandas as pd

stats = kg.stats()
pd.Series(stats.classes, name="entities").to_frame()

# %%
pd.Series(stats.graphs, name="triples").to_frame()

# %% [markdown]
# ## SPARQL into pandas
# Columns come in the SELECT order, typed from the RDF datatypes; the project's prefixes are predeclared.

# %%
kg.select("""SELECT ?organisation ?name ?type WHERE {
  ?organisation a org:Organization ; rdfs:label ?name .
  OPTIONAL { ?organisation org:classification/skos:prefLabel ?type }
} ORDER BY ?name""")

# %% [markdown]
# ## Where one fact came from
# Every statement about Nets4Dem, with the named graph and source document that holds it.

# %%
kg.select("provenance-of-entity").head(12)

# %% [markdown]
# ## The named question library
# Each question is a SPARQL file with typed parameters; `dkg query --name` runs the same ones.

# %%
questions()

# %%
kg.select("members-of-network", network="organisation:nets4dem")
