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
# # 03 · The methods landscape: practice by IAP2 level, family, country and year
#
# **Answers:** which methods cases use, at which level of public participation (IAP2) and in
# which method families; where and when cases happened; which methods the programmes and
# projects use; and whether methods travel along collaboration ties.
# **Takes:** about 6 seconds on the shipped records; about 15 seconds with the exports in `data/sources.toml`.

# %% tags=["parameters"]
SOURCES = None  # a sources.toml naming the real exports (e.g. "../data/sources.toml"); None: shipped records only

# %%
from graph.notebook import open_graph
from graph.query import select
from graph.store import open_store

build = open_graph(SOURCES)
store = open_store(build)

# %% [markdown]
# ## Cases by IAP2 level and method family
# Empty on the shipped records alone: cases come from Participedia.

# %%
select("cases-by-iap2-and-method-family", store)

# %%
select("cases-by-country-and-year", store)

# %% [markdown]
# ## Methods of programmes, projects and events

# %%
select("methods-of-programme", store)

# %% [markdown]
# ## Do methods travel along ties?
# For each first use of a method by an organisation: had a collaboration partner used it before?

# %%
from graph.network.diffusion import diffusion_summary, method_diffusion
from graph.network.extract import extract

diffusion = method_diffusion(extract(build))
diffusion_summary(diffusion).frame
