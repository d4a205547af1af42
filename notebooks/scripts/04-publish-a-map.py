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
# # 04 · From a question to a published map
#
# **Answers:** how to go from a research question ("who brokers among the partners of a network?")
# to a map page that is safe to publish: ranked in SPARQL, drawn as one offline HTML file, and
# collected with its data and licences into a static site.
# **Takes:** about 5 seconds on the shipped records; about 25 seconds with the exports in `data/sources.toml`.

# %% tags=["parameters"]
SOURCES = None  # a sources.toml naming the real exports (e.g. "../data/sources.toml"); None: shipped records only

# %%
from graph.api import cache_dir, draw, open_or_build, publish

kg = open_or_build(SOURCES)
OUT = cache_dir() / "04-publish-a-map"  # where the map and the site go; any folder will do
kg.select("top-brokers")

# %% [markdown]
# ## One map, one file
# Names are placed as text, never as HTML; the page fetches nothing and works from `file://`.

# %%
drawn = draw(kg, OUT / "maps" / "collaboration.html", color_by="country")
print(drawn.summary())

# %% [markdown]
# ## The whole site
# Maps, downloads, ontology pages, licences and a citation file, ready to copy to any web server.

# %%
site = publish(kg, OUT / "site")
[p.relative_to(OUT / "site").as_posix() for p in site.pages]
