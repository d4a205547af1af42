"""Communities: Louvain and Leiden modularity communities, seeded.

``method="leiden"`` (the default, ``"auto"``) runs igraph's Leiden algorithm, which guarantees
connected communities (Traag, Waltman and van Eck 2019) where Louvain may return a badly connected
one; ``"louvain"`` runs igraph's multilevel Louvain, and ``backend="networkx"`` NetworkX's
``louvain_communities``. Every run is seeded (:data:`DEFAULT_SEED`), so the same graph gives the
same communities; community numbers are stable: ``0`` is the largest, ties broken by the smallest
node in it. The table's parameters carry the partition's modularity.

Examples
--------
>>> import networkx as nx
>>> t = communities(nx.karate_club_graph(), weight=None)
>>> t.method, round(t.parameters["modularity"], 2)
('leiden (igraph), seed 42', 0.42)
>>> t.frame["community"].nunique()
4
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from ._igraph import seeded, to_igraph
from .result import DEFAULT_SEED, MetricTable

__all__ = ["communities", "METHODS"]

METHODS = ("auto", "leiden", "louvain")


def communities(g: nx.Graph, method: str = "auto", weight: str | None = "shared", resolution: float = 1.0,
                seed: int = DEFAULT_SEED, backend: str = "auto", iterations: int = 2) -> MetricTable:
    """Modularity communities of ``g``.

    Parameters
    ----------
    g : networkx.Graph
    method : {"auto", "leiden", "louvain"}
        ``auto`` is Leiden.
    weight : str or None
        Edge attribute to weigh ties by (``None``: every tie counts 1).
    resolution : float
        Modularity resolution (larger: smaller communities).
    seed : int
        Seed of the algorithm's random choices.
    backend : {"auto", "igraph", "networkx"}
        ``networkx`` runs NetworkX's Louvain (there is no Leiden in NetworkX).
    iterations : int
        Leiden passes (igraph's default, 2; ``-1`` repeats until nothing changes, which on the
        synthetic 10x graph took 104 s against about 10 s for little gain: Zachary's karate club
        reaches its proven optimum 0.4198 either way).

    Returns
    -------
    MetricTable
        ``community`` and ``community_size`` per node; ``parameters["modularity"]``.

    Raises
    ------
    ValueError
        An unknown ``method``, or Leiden asked of the ``networkx`` backend.

    Examples
    --------
    Two triangles joined by one tie (``c-d``) are two communities, numbered by their smallest node:

    >>> import networkx as nx
    >>> g = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d"), ("d", "e"), ("e", "f"), ("d", "f")])
    >>> t = communities(g, weight=None)
    >>> t.column().to_dict(), round(t.parameters["modularity"], 3)
    ({'a': 0, 'b': 0, 'c': 0, 'd': 1, 'e': 1, 'f': 1}, 0.357)
    >>> communities(g, method="leiden", backend="networkx")
    Traceback (most recent call last):
    ValueError: NetworkX has no Leiden; use backend='igraph' or method='louvain'
    """
    if method not in METHODS:
        raise ValueError(f"unknown community method {method!r}: {', '.join(METHODS)}")
    chosen = "leiden" if method == "auto" else method
    if backend == "networkx":
        if chosen == "leiden":
            raise ValueError("NetworkX has no Leiden; use backend='igraph' or method='louvain'")
        groups = nx.community.louvain_communities(g, weight=weight, resolution=resolution, seed=seed)
        label = f"louvain (networkx), seed {seed}"
    else:
        h, nodes = to_igraph(g, weight)
        weights = "weight" if weight else None
        with seeded(seed):
            if chosen == "leiden":
                found = h.community_leiden(objective_function="modularity", weights=weights,
                                           resolution=resolution, n_iterations=iterations)
            else:
                found = h.community_multilevel(weights=weights, resolution=resolution)
        groups = [{nodes[i] for i in members} for members in found] if len(nodes) else []
        label = f"{chosen} (igraph), seed {seed}"
    groups = sorted(groups, key=lambda c: (-len(c), min(map(str, c))))
    number = {n: i for i, c in enumerate(groups) for n in c}
    size = {n: len(c) for c in groups for n in c}
    nodes = list(g)
    frame = pd.DataFrame({"community": [number[n] for n in nodes], "community_size": [size[n] for n in nodes]},
                         index=pd.Index(nodes, name="node"), dtype="int64")
    parameters = {"method": chosen, "weight": weight, "resolution": resolution, "seed": seed,
                  "iterations": iterations if chosen == "leiden" and backend != "networkx" else None,
                  "modularity": _modularity(g, groups, number, weight, resolution, backend),
                  "communities": len(groups)}
    return MetricTable("community", frame, label, parameters)


def _modularity(g: nx.Graph, groups: list[set], number: dict, weight: str | None, resolution: float,
                backend: str) -> float:
    """The partition's modularity (``number``: node -> community), 0 on a graph without ties."""
    if not g.number_of_edges():
        return 0.0
    if backend == "networkx":
        return float(nx.community.modularity(g, groups, weight=weight, resolution=resolution))
    # The same definition, in C (NetworkX's takes seconds on the H2020 graph).
    h, order = to_igraph(g, weight)
    return float(h.modularity([number[n] for n in order], weights="weight" if weight else None,
                              resolution=resolution))
