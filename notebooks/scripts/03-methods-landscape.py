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
from graph.api import open_or_build

kg = open_or_build(SOURCES)

# %% [markdown]
# ## Cases by IAP2 level and method family
# Empty on the shipped records alone: cases come from Participedia.

# %%
kg.select("cases-by-iap2-and-method-family")

# %%
kg.select("cases-by-country-and-year")

# %% [markdown]
# ## Methods of programmes, projects and events

# %%
kg.select("methods-of-programme")

# %% [markdown]
# ## Do methods travel along ties?
# For each first use of a method by an organisation: had a collaboration partner used it before?

# %%
from graph.api import diffusion_summary, extract, method_diffusion

diffusion = method_diffusion(extract(kg.store))
diffusion_summary(diffusion).frame
