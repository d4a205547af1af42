"""Fill NetworkX graphs in bulk (shared by the projections).

``Graph.add_edges_from`` checks and merges every edge's attribute dict; for the 800k edges of the
H2020 collaboration projection that is most of the projection's time. The projections hand over
columns of unique, already merged edges, so :func:`add_edges` writes the adjacency dicts directly
(one shared attribute dict per edge, exactly what ``add_edges_from`` leaves behind) and clears
NetworkX's cached views afterwards. Columns are turned into Python lists first: iterating a
pandas string column item by item costs ten times more.
"""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx

__all__ = ["add_edges"]


def add_edges(g: nx.Graph, sources: Sequence, targets: Sequence, **columns: Sequence) -> None:
    """Add the edges ``sources[i] -- targets[i]`` with attribute ``name=columns[name][i]``.

    The nodes must already be in ``g`` and every pair must appear once (undirected graphs: in one
    direction only).

    Parameters
    ----------
    g : networkx.Graph or networkx.DiGraph
        Changed in place.
    sources, targets : sequence
        The two ends of each edge.
    **columns : sequence
        One value per edge for each edge attribute.

    Raises
    ------
    ValueError
        An edge names a node that is not in ``g``.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph(); g.add_nodes_from("abc")
    >>> add_edges(g, ["a", "b"], ["b", "c"], weight=[2, 3])
    >>> sorted(g.edges(data="weight")), g.degree("b")
    ([('a', 'b', 2), ('b', 'c', 3)], 2)
    """
    names = list(columns)
    values = [list(v) if not isinstance(v, list) else v for v in columns.values()]
    sources = sources if isinstance(sources, list) else list(sources)
    targets = targets if isinstance(targets, list) else list(targets)
    missing = (set(sources) | set(targets)) - g._node.keys()
    if missing:
        raise ValueError(f"edges name nodes not in the graph: {sorted(map(str, missing))[:5]}")
    adj = g._adj
    directed = g.is_directed()
    succ, pred = (g._succ, g._pred) if directed else (adj, adj)
    for u, v, *row in zip(sources, targets, *values):
        data = dict(zip(names, row))
        succ[u][v] = data
        pred[v][u] = data
    nx._clear_cache(g)
