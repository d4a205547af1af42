"""Cohesion: clustering, k-cores, components, bridges and articulation points, and a graph summary.

Same conventions as :mod:`graph.network.centrality`: NetworkX's definitions, igraph's C core by
default, ``backend="networkx"`` for the reference (any other ``backend`` raises
:class:`ValueError`). Component numbers are stable: ``0`` is the
largest component, ties broken by the smallest node in it, so the same graph always gets the same
numbers.

Examples
--------
>>> import networkx as nx
>>> g = nx.karate_club_graph()
>>> round(float(summary(g).frame.loc["graph", "average_clustering"]), 4)
0.5706
>>> int(core_number(g).column().max())
4
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from ._igraph import to_igraph
from .centrality import _backend, _frame
from .result import MetricTable

__all__ = ["clustering", "core_number", "components", "bridges", "articulation_points", "summary"]


def clustering(g: nx.Graph, backend: str = "auto") -> MetricTable:
    """Local clustering coefficient (unweighted; 0 for nodes with fewer than two partners).

    Parameters
    ----------
    g : networkx.Graph
        Undirected; tie weights are ignored.
    backend : {"auto", "igraph", "networkx"}
        ``networkx`` runs :func:`networkx.clustering`.

    Returns
    -------
    MetricTable
        ``clustering`` per node: the share of pairs of its partners that are tied.

    See Also
    --------
    summary : the average clustering and the transitivity of the whole graph.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d")])  # a triangle with a tail
    >>> clustering(g).column().round(3).to_dict()
    {'a': 1.0, 'b': 1.0, 'c': 0.333, 'd': 0.0}
    """
    if _backend(backend) == "networkx":
        return MetricTable("clustering", _frame(g, nx.clustering(g), "clustering"), "exact")
    h, nodes = to_igraph(g)
    values = h.transitivity_local_undirected(mode="zero") if len(nodes) else []
    return MetricTable("clustering", _frame(g, values, "clustering", nodes), "exact")


def core_number(g: nx.Graph, backend: str = "auto") -> MetricTable:
    """The k-core each node belongs to (the largest k such that it is in a subgraph of min degree k).

    Parameters
    ----------
    g : networkx.Graph
        Undirected (with ``backend="networkx"`` without self-loops, which NetworkX refuses).
    backend : {"auto", "igraph", "networkx"}
        ``networkx`` runs :func:`networkx.core_number`.

    Returns
    -------
    MetricTable
        ``core_number`` per node (integers).

    See Also
    --------
    components : which nodes are connected at all.

    Examples
    --------
    A clique of four with a pendant node: the clique is the 3-core.

    >>> import networkx as nx
    >>> g = nx.complete_graph(4); g.add_edge(3, 4)
    >>> core_number(g).column().to_dict()
    {0: 3, 1: 3, 2: 3, 3: 3, 4: 1}
    """
    if _backend(backend) == "networkx":
        frame = _frame(g, nx.core_number(g), "core_number")
    else:
        h, nodes = to_igraph(g)
        frame = _frame(g, h.coreness() if len(nodes) else [], "core_number", nodes)
    frame["core_number"] = frame["core_number"].astype("int64")
    return MetricTable("core_number", frame, "exact")


def _sort_key(node: object) -> str:
    return str(node)


def components(g: nx.Graph) -> MetricTable:
    """Connected component of each node (``0`` the largest) and the component's size.

    Parameters
    ----------
    g : networkx.Graph
        Undirected; isolated nodes are components of their own.

    Returns
    -------
    MetricTable
        ``component`` and ``component_size`` per node; components are numbered by size, largest
        first, ties broken by their smallest node (as text).

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph([("c", "d"), ("a", "b"), ("b", "e")]); g.add_node("z")
    >>> components(g).frame.sort_index().values.tolist()
    [[0, 3], [0, 3], [1, 2], [1, 2], [0, 3], [2, 1]]
    """
    h, nodes = to_igraph(g)
    membership = np.asarray(h.connected_components().membership if len(nodes) else [], dtype=np.int64)
    groups: dict[int, list] = {}
    for node, c in zip(nodes, membership.tolist()):
        groups.setdefault(c, []).append(node)
    order = sorted(groups, key=lambda c: (-len(groups[c]), min(map(_sort_key, groups[c]))))
    number = {c: i for i, c in enumerate(order)}
    frame = pd.DataFrame({"component": [number[c] for c in membership.tolist()],
                          "component_size": [len(groups[c]) for c in membership.tolist()]},
                         index=pd.Index(nodes, name="node"), dtype="int64")
    return MetricTable("component", frame, "exact")


def bridges(g: nx.Graph, backend: str = "auto") -> MetricTable:
    """Ties whose removal disconnects their two ends (edge level, ends in sorted order).

    Parameters
    ----------
    g : networkx.Graph
        Undirected; a bridge is a bridge whatever its weight.
    backend : {"auto", "igraph", "networkx"}
        ``networkx`` runs :func:`networkx.bridges`.

    Returns
    -------
    MetricTable
        Level ``edge``, indexed by ``source`` and ``target`` (sorted as text): one row, ``bridge``
        True, per bridge.

    See Also
    --------
    articulation_points : nodes that are single points of failure.

    Examples
    --------
    Two triangles joined through node 3: both of its ties are bridges.

    >>> import networkx as nx
    >>> bridges(nx.barbell_graph(3, 1)).frame.index.tolist()
    [(2, 3), (3, 4)]
    """
    if _backend(backend) == "networkx":
        pairs = list(nx.bridges(g))
    else:
        h, nodes = to_igraph(g)
        pairs = [(nodes[h.es[e].source], nodes[h.es[e].target]) for e in h.bridges()] if len(nodes) else []
    pairs = sorted(tuple(sorted((u, v), key=_sort_key)) for u, v in pairs)
    frame = pd.DataFrame({"bridge": [True] * len(pairs)},
                         index=pd.MultiIndex.from_tuples(pairs, names=["source", "target"])
                         if pairs else pd.MultiIndex.from_arrays([[], []], names=["source", "target"]))
    return MetricTable("bridge", frame, "exact", level="edge")


def articulation_points(g: nx.Graph, backend: str = "auto") -> MetricTable:
    """Whether removing the node splits its component (``articulation_point`` True/False).

    Parameters
    ----------
    g : networkx.Graph
        Undirected.
    backend : {"auto", "igraph", "networkx"}
        ``networkx`` runs :func:`networkx.articulation_points`.

    Returns
    -------
    MetricTable
        ``articulation_point`` per node.

    See Also
    --------
    bridges : the ties whose removal splits a component.

    Examples
    --------
    >>> import networkx as nx
    >>> articulation_points(nx.path_graph(4)).column().tolist()  # the inner nodes of a path
    [False, True, True, False]
    """
    if _backend(backend) == "networkx":
        points = set(nx.articulation_points(g))
    else:
        h, nodes = to_igraph(g)
        points = {nodes[i] for i in h.articulation_points()} if len(nodes) else set()
    frame = pd.DataFrame({"articulation_point": [n in points for n in g]}, index=pd.Index(list(g), name="node"))
    return MetricTable("articulation_point", frame, "exact")


def summary(g: nx.Graph) -> MetricTable:
    """Whole-graph figures: nodes, edges, density, components, largest component, clustering.

    ``average_clustering`` is NetworkX's ``average_clustering`` (nodes with fewer than two partners
    count as 0), ``transitivity`` the global ratio of closed to connected triples.

    Parameters
    ----------
    g : networkx.Graph
        Undirected; tie weights are ignored.

    Returns
    -------
    MetricTable
        Level ``graph``, one row (index ``graph``): ``nodes``, ``edges``, ``density``,
        ``components``, ``largest_component``, ``average_clustering`` and ``transitivity``.

    Examples
    --------
    A triangle and a separate pair: 3 closed triples of 3 connected ones.

    >>> import networkx as nx
    >>> g = nx.Graph([(1, 2), (2, 3), (1, 3), (4, 5)])
    >>> summary(g).frame[["nodes", "edges", "components", "largest_component", "transitivity"]].values.tolist()
    [[5.0, 4.0, 2.0, 3.0, 1.0]]
    """
    h, nodes = to_igraph(g)
    n, m = g.number_of_nodes(), g.number_of_edges()
    sizes = h.connected_components().sizes() if n else []
    local = h.transitivity_local_undirected(mode="zero") if n else []
    row = {
        "nodes": n, "edges": m, "density": nx.density(g) if n > 1 else 0.0,
        "components": len(sizes), "largest_component": max(sizes, default=0),
        "average_clustering": float(np.mean(local)) if n else 0.0,
        "transitivity": float(h.transitivity_undirected()) if m else 0.0,
    }
    row["transitivity"] = 0.0 if np.isnan(row["transitivity"]) else row["transitivity"]
    return MetricTable("summary", pd.DataFrame([row], index=pd.Index(["graph"], name="graph")), "exact", level="graph")
