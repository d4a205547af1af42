"""Resilience: how the collaboration network falls apart when its hubs drop out.

A network whose cohesion rests on a few organisations loses its large connected component when
those few go; one held together by many overlapping ties barely notices. :func:`resilience`
removes ``k`` nodes one at a time, the most central first (by degree or betweenness) or at random
for comparison, and records after each removal the size of the largest connected component and
the number of components, the classic attack-versus-failure experiment [1]_.

By default the order is fixed once, on the intact graph (the "initial" attack of [2]_);
``recalculate=True`` ranks the remaining nodes again after every removal, which is the stronger
attack but costs a centrality computation per step. Ties in the ranking are broken by node id, so
the same graph always loses the same nodes in the same order; the random order is drawn with a
seed.

Components are recomputed by igraph's C core on the remaining vertices after each step (under
0.1 s on the 36k-node, 800k-edge H2020 collaboration graph: ten steps by degree take about a
second, by sampled betweenness about 4 s).

References
----------
.. [1] R. Albert, H. Jeong and A.-L. Barabási, "Error and attack tolerance of complex networks",
   Nature 406, 378-382 (2000).
.. [2] P. Holme, B. J. Kim, C. N. Yoon and S. K. Han, "Attack vulnerability of complex networks",
   Phys. Rev. E 65, 056109 (2002).

Examples
--------
>>> import networkx as nx
>>> g = nx.star_graph(4)  # node 0 is the hub of leaves 1-4
>>> t = resilience(g, k=1)
>>> t.frame[["removed", "largest_component", "components"]].to_dict("records")
[{'removed': None, 'largest_component': 5, 'components': 1}, {'removed': 0, 'largest_component': 1, 'components': 4}]
"""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pandas as pd

from ._igraph import to_igraph
from .centrality import betweenness
from .result import DEFAULT_SEED, MetricTable

__all__ = ["resilience", "ORDERS"]

#: The removal orders :func:`resilience` knows.
ORDERS = ("degree", "betweenness", "random")


def _ranked(scores: dict, candidates: list) -> list:
    """``candidates`` by score, highest first, ties by node id (as strings if ids do not compare)."""
    try:
        return sorted(candidates, key=lambda n: (-scores[n], n))
    except TypeError:  # mixed id types: compare their text
        return sorted(candidates, key=lambda n: (-scores[n], str(n)))


def _scores(g: nx.Graph, by: str, seed: int) -> tuple[dict, str]:
    """Each node's ranking score and how it was computed."""
    if by == "degree":
        return dict(g.degree()), "exact degree"
    table = betweenness(g, seed=seed)
    return table.column().to_dict(), f"betweenness {table.method}"


def _initial_order(g: nx.Graph, k: int, by: str, seed: int, recalculate: bool) -> tuple[list, list[float], str]:
    """The removal order fixed before the first removal, the nodes' scores and how they were ranked.

    Empty when the order is recalculated after each removal (:func:`_next_target`).
    """
    if by == "random":
        # The same draw as NetworkX's samplers (random.Random(seed).sample over the node list).
        return random.Random(seed).sample(list(g), k), [np.nan] * k, f"random order, seed {seed}"
    if recalculate:
        return [], [], f"random order, seed {seed}"
    ranking, method = _scores(g, by, seed)
    order = _ranked(ranking, list(g))[:k]
    return order, [float(ranking[v]) for v in order], method


def _next_target(g: nx.Graph, h, remaining: list, index: dict, by: str,  # noqa: ANN001 - igraph.Graph
                 seed: int) -> tuple[object, float, str]:
    """The top node among ``remaining``, ranked on the remaining graph; its score and the ranking."""
    # Degree on the remaining graph is a cheap igraph call; betweenness needs the subgraph.
    if by == "degree":
        sub = h.induced_subgraph([index[v] for v in remaining], implementation="create_from_scratch")
        ranking, method = dict(zip(remaining, sub.degree())), "exact degree"
    else:
        ranking, method = _scores(g.subgraph(remaining), by, seed)
    node = _ranked(ranking, remaining)[0]
    return node, float(ranking[node]), method


def resilience(g: nx.Graph, k: int = 10, by: str = "degree", seed: int = DEFAULT_SEED,
               recalculate: bool = False) -> MetricTable:
    """Remove the ``k`` top nodes one at a time and follow the largest connected component.

    Parameters
    ----------
    g : networkx.Graph
        An undirected graph (e.g. :func:`graph.network.collaboration.collaboration_graph`).
    k : int
        Nodes to remove (at most the number of nodes).
    by : {"degree", "betweenness", "random"}
        The order: highest degree first, highest betweenness first
        (:func:`graph.network.centrality.betweenness`, sampled from 256 sources with ``seed`` on
        graphs above its exact limit), or a uniform random order drawn with ``seed``.
    seed : int
        Seed of the random order and of sampled betweenness.
    recalculate : bool
        Rank the remaining nodes again after each removal (degree and betweenness only). Off by
        default: the order is fixed on the intact graph.

    Returns
    -------
    MetricTable
        Level ``graph``, indexed by ``step`` (0 is the intact graph): ``removed`` (the node
        removed at that step, ``None`` at step 0), ``score`` (its degree or betweenness when it
        was ranked), ``nodes`` (remaining), ``largest_component`` (nodes),
        ``largest_fraction`` (of the original number of nodes) and ``components`` (isolated
        nodes count as components).

    Raises
    ------
    ValueError
        An unknown ``by``, or ``k`` outside ``0..len(g)``.

    Examples
    --------
    Two triangles joined by the edge ``c-d``: removing ``c`` (degree 3, before ``d`` by id) splits
    them, removing ``d`` too leaves two pairs.

    >>> import networkx as nx
    >>> g = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d"), ("d", "e"), ("e", "f"), ("d", "f")])
    >>> resilience(g, k=2).frame[["removed", "largest_component", "components"]].values.tolist()
    [[None, 6, 1], ['c', 3, 2], ['d', 2, 2]]
    """
    if by not in ORDERS:
        raise ValueError(f"unknown order {by!r}: {', '.join(ORDERS)}")
    n = g.number_of_nodes()
    if not 0 <= k <= n:
        raise ValueError(f"k={k} outside 0..{n} (the number of nodes)")
    h, nodes = to_igraph(g)
    index = {node: i for i, node in enumerate(nodes)}
    order, scores, method = _initial_order(g, k, by, seed, recalculate)
    alive = np.ones(n, dtype=bool)
    rows = [_state(h, alive, n, None, np.nan)]
    for step in range(k):
        if by != "random" and recalculate:
            node, score, method = _next_target(g, h, [v for v in nodes if alive[index[v]]], index, by, seed)
            order.append(node)
            scores.append(score)
        alive[index[order[step]]] = False
        rows.append(_state(h, alive, n, order[step], scores[step]))
    frame = pd.DataFrame(rows, index=pd.Index(range(k + 1), name="step"))
    # Node ids stay Python objects (strings would become pandas' string dtype, ``None`` a NaN).
    frame["removed"] = pd.Series([r["removed"] for r in rows], index=frame.index, dtype=object)
    method = f"{method}; {'recalculated after each removal' if recalculate and by != 'random' else 'initial ranking'}"
    return MetricTable("resilience", frame, method,
                       {"k": k, "by": by, "seed": seed, "recalculate": recalculate}, level="graph")


def _state(h, alive: np.ndarray, n: int, removed, score: float) -> dict:  # noqa: ANN001 - igraph.Graph
    remaining = np.flatnonzero(alive)
    if len(remaining) == 0:
        largest, components = 0, 0
    else:
        sub = h.induced_subgraph(remaining.tolist(), implementation="create_from_scratch")
        sizes = sub.connected_components().sizes()
        largest, components = max(sizes), len(sizes)
    return {"removed": removed, "score": score, "nodes": int(len(remaining)), "largest_component": int(largest),
            "largest_fraction": largest / n if n else np.nan, "components": int(components)}
