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

    Examples
    --------
    >>> import networkx as nx
    >>> h, nodes = to_igraph(nx.path_graph(["a", "b", "c"]))
    >>> h.vcount(), h.ecount(), nodes
    (3, 2, ['a', 'b', 'c'])
    """
    signature = (g.number_of_nodes(), g.number_of_edges(), weight)
    cached = _CACHE.get(g)
    if cached is not None and cached[0] == signature:
        return cached[1], cached[2]
    nodes = list(g)
    index = {n: i for i, n in enumerate(nodes)}
    edges, weights = [], []
    for u, v, w in g.edges(data=weight, default=1):
        edges.append((index[u], index[v]))
        weights.append(w)
    h = ig.Graph(n=len(nodes), edges=edges, directed=g.is_directed())
    if weight is not None:
        h.es["weight"] = [float(w) for w in weights]
    _CACHE[g] = (signature, h, nodes)
    return h, nodes


@contextmanager
def seeded(seed: int) -> Iterator[None]:
    """Run igraph's randomised algorithms with their own generator seeded with ``seed``."""
    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)
