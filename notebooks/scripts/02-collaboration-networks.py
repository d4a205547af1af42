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
# # 02 · Collaboration networks: who works with whom, who brokers, how ties change
#
# **Answers:** which organisations are central in the collaboration network, which communities it
# falls into, who bridges structural holes, how ties appeared and decayed year by year, and how
# the network looks as an interactive map.
# **Takes:** about 7 seconds on the shipped records; about 20 seconds with the exports in `data/sources.toml`.

# %% tags=["parameters"]
SOURCES = None  # a sources.toml naming the real exports (e.g. "../data/sources.toml"); None: shipped records only

# %%
from graph.api import analyse, graph_with_metrics, node_table, open_or_build

result = analyse(open_or_build(SOURCES), "collaboration")
g = result.graph
print(f"{g.number_of_nodes()} organisations, {g.number_of_edges()} collaboration ties")

# %% [markdown]
# ## Centrality, communities and brokers
# One row per organisation; `method` on each table says whether a value is exact or sampled.

# %%
nodes = node_table(g, result.tables)
columns = [c for c in ("label", "country", "degree", "betweenness", "community", "constraint", "total") if c in nodes]
nodes[columns].sort_values("betweenness", ascending=False).head(10)

# %%
{t.metric: t.method for t in result.tables}

# %% [markdown]
# ## Ties over time

# %%
import matplotlib.pyplot as plt

snapshots = result.table("snapshots").frame
ax = snapshots[["new_ties", "persisting_ties", "decayed_ties"]].plot(kind="bar", stacked=False, figsize=(8, 3))
ax.set_xlabel("year")
ax.set_ylabel("ties")
plt.tight_layout()

# %% [markdown]
# ## The network as an interactive map
# The whole page sits in the output, so it renders in JupyterLab and VS Code alike.

# %%
from graph.api import inline

inline(graph_with_metrics(g, result.tables), color_by="community", size_by="betweenness", height=500)
