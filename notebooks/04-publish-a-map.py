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
from graph.notebook import open_graph
from graph.query import select

build = open_graph(SOURCES)
select("top-brokers", build)

# %% [markdown]
# ## One map, one file
# Names are placed as text, never as HTML; the page fetches nothing and works from `file://`.

# %%
from graph.maps.make import make_map

path, drawn = make_map(build, build.parent / "maps" / "collaboration.html", color_by="country")
print(path, drawn.number_of_nodes(), "nodes")

# %% [markdown]
# ## The whole site
# Maps, downloads, ontology pages, licences and a citation file, ready to copy to any web server.

# %%
from graph.publish.site import publish

pages = publish(build, build.parent / "site")
[p.relative_to(build.parent / "site").as_posix() for p in pages]
