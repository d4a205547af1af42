"""The fast path: the same NetworkX graph as an igraph graph, for metrics that NetworkX is too slow for.

NetworkX stays the interface: functions take and return NetworkX graphs and plain tables, and
:func:`to_igraph` converts behind them (and remembers the conversion while the graph is unchanged).
igraph's C core computes betweenness from 256 sources on the 800k-edge H2020 collaboration graph
in about 3 s, Louvain in 2 s and Burt's constraint in 4 s, where NetworkX takes minutes
(``benchmarks/results/network.md``). Tests check both paths give the same values on small graphs.

igraph draws random numbers from a generator it is given; :func:`seeded` hands it a private
``random.Random(seed)`` for one call and restores the previous generator, so runs are reproducible
and nothing global is left seeded.
"""

from __future__ import annotations

import random
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

import igraph as ig
import networkx as nx

__all__ = ["to_igraph", "seeded"]

_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def to_igraph(g: nx.Graph, weight: str | None = None) -> tuple[ig.Graph, list]:
    """``g`` as an igraph graph and the node list (vertex ``i`` is ``nodes[i]``).

    With ``weight``, the edge attribute ``"weight"`` of the returned graph holds that attribute of
    ``g`` (1 where an edge lacks it). The conversion walks the edges once, keeps every numeric edge
    attribute, and is reused while ``g`` has the same numbers of nodes and edges, so metrics that
    weigh by different attributes share one conversion.

    Parameters
    ----------
    g : networkx.Graph or networkx.DiGraph
    weight : str, optional
        Edge attribute to copy into the igraph graph's ``"weight"``.

    Returns
    -------
    (igraph.Graph, list)
        The igraph graph and the node list (vertex ``i`` is ``nodes[i]``).

    Examples
    --------
    >>> import networkx as nx
    >>> h, nodes = to_igraph(nx.path_graph(["a", "b", "c"]))
    >>> h.vcount(), h.ecount(), nodes
    (3, 2, ['a', 'b', 'c'])
    >>> g = nx.Graph([("a", "b", {"shared": 3}), ("b", "c", {})])
    >>> to_igraph(g, "shared")[0].es["weight"]
    [3.0, 1.0]
    """
    signature = (g.number_of_nodes(), g.number_of_edges())
    cached = _CACHE.get(g)
    if cached is None or cached["signature"] != signature:
        nodes = list(g)
        index = {n: i for i, n in enumerate(nodes)}
        edges, columns = [], {}
        for position, (u, v, data) in enumerate(g.edges(data=True)):
            edges.append((index[u], index[v]))
            for name, value in data.items():
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    columns.setdefault(name, {})[position] = value
        h = ig.Graph(n=len(nodes), edges=edges, directed=g.is_directed())
        cached = {"signature": signature, "graph": h, "nodes": nodes, "columns": columns, "weight": None}
        _CACHE[g] = cached
    h = cached["graph"]
    if weight is not None and cached["weight"] != weight:
        values = cached["columns"].get(weight, {})
        h.es["weight"] = [float(values.get(i, 1.0)) for i in range(h.ecount())]
        cached["weight"] = weight
    return h, cached["nodes"]


@contextmanager
def seeded(seed: int) -> Iterator[None]:
    """Run igraph's randomised algorithms with their own generator seeded with ``seed``.

    Parameters
    ----------
    seed : int

    Yields
    ------
    None
        Inside the ``with`` block igraph draws from ``random.Random(seed)``; afterwards from
        Python's global generator again.

    Examples
    --------
    >>> import igraph as ig
    >>> g = ig.Graph.Famous("Zachary")
    >>> with seeded(7):
    ...     first = g.community_leiden(objective_function="modularity").membership
    >>> with seeded(7):
    ...     again = g.community_leiden(objective_function="modularity").membership
    >>> first == again
    True
    """
    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)
