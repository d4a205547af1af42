"""Centrality: degree and strength, betweenness, eigenvector and closeness.

Every function takes an undirected NetworkX graph and returns a :class:`MetricTable` indexed by
node. Values follow NetworkX's definitions and normalisations (``normalized=True``), whichever
backend computed them: ``backend="networkx"`` runs NetworkX itself, ``"igraph"`` (the default,
``"auto"``) the same quantity in igraph's C core; the tests hold the two equal. Any other
``backend`` raises :class:`ValueError`.

Betweenness and closeness cost a shortest-path search per node. Up to ``exact_limit`` nodes they
are exact; above it they are estimated from ``k`` source nodes drawn with a fixed seed (NetworkX's
``betweenness_centrality(k=..., seed=...)`` estimator, the same nodes drawn) and the table's
``method`` says so.

Examples
--------
>>> import networkx as nx
>>> g = nx.florentine_families_graph()
>>> round(float(betweenness(g).column()["Medici"]), 3)
0.522
>>> degree(g).frame.loc["Medici"].tolist()
[6, 6]
"""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pandas as pd

from ._igraph import seeded, to_igraph
from .result import DEFAULT_SEED, MetricTable

__all__ = ["degree", "betweenness", "eigenvector", "closeness", "sample_sources", "EXACT_LIMIT"]

#: Above this many nodes, betweenness and closeness are estimated from sampled sources.
EXACT_LIMIT = 2000


def _frame(g: nx.Graph, values: dict | list | np.ndarray, name: str, nodes: list | None = None) -> pd.DataFrame:
    nodes = list(g) if nodes is None else nodes
    if isinstance(values, dict):
        values = [values[n] for n in nodes]
    return pd.DataFrame({name: np.asarray(values, dtype=float)}, index=pd.Index(nodes, name="node"))


def _backend(backend: str) -> str:
    if backend not in ("auto", "igraph", "networkx"):
        raise ValueError(f"unknown backend {backend!r}: auto, igraph or networkx")
    return "networkx" if backend == "networkx" else "igraph"


def degree(g: nx.Graph, weight: str | None = "shared") -> MetricTable:
    """Degree (number of partners) and strength (sum of ``weight`` over the ties).

    Parameters
    ----------
    g : networkx.Graph
    weight : str or None
        Edge attribute summed into the strength (ties without it count 1); ``None``: the
        strength is the degree.

    Returns
    -------
    MetricTable
        ``degree`` and ``strength`` per node.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph([("a", "b", {"shared": 3}), ("a", "c", {"shared": 1})])
    >>> degree(g).frame.loc["a"].tolist()
    [2, 4]
    """
    frame = _frame(g, dict(g.degree()), "degree").astype("int64")
    frame["strength"] = [s for _, s in g.degree(weight=weight)] if weight else frame["degree"]
    return MetricTable("degree", frame, "exact", {"weight": weight})


def sample_sources(g: nx.Graph, k: int, seed: int) -> list:
    """The ``k`` nodes NetworkX's sampled estimators draw with ``seed`` (``random.Random(seed).sample``).

    Parameters
    ----------
    g : networkx.Graph
    k : int
        How many nodes (at most the number of nodes).
    seed : int

    Returns
    -------
    list
        ``k`` distinct nodes, in the order drawn.

    Examples
    --------
    >>> import networkx as nx, random
    >>> sample_sources(nx.path_graph(10), 3, seed=42)
    [1, 0, 4]
    >>> random.Random(42).sample(list(nx.path_graph(10)), 3)  # what NetworkX's estimators draw
    [1, 0, 4]
    """
    return random.Random(seed).sample(list(g), k)


def betweenness(g: nx.Graph, k: int = 256, seed: int = DEFAULT_SEED, exact_limit: int = EXACT_LIMIT,
                backend: str = "auto") -> MetricTable:
    """Normalised shortest-path betweenness; exact up to ``exact_limit`` nodes, else from ``k`` sources.

    Parameters
    ----------
    g : networkx.Graph
    k : int
        Sources to sample on graphs larger than ``exact_limit`` (NetworkX's ``k``).
    seed : int
        Seed of the sample (NetworkX's ``seed``: the same nodes are drawn).
    exact_limit : int
        Largest graph computed exactly; ``0`` always samples, a huge value never does.
    backend : {"auto", "igraph", "networkx"}
        ``networkx`` runs :func:`networkx.betweenness_centrality` (with ``k`` and ``seed`` when sampled).

    Returns
    -------
    MetricTable
        ``betweenness`` per node; ``method`` is ``exact`` or ``sampled: k source nodes, seed s``.

    See Also
    --------
    closeness : the same sampling, for distances.
    sample_sources : the nodes drawn.

    Examples
    --------
    >>> import networkx as nx
    >>> betweenness(nx.path_graph(5)).column().round(3).tolist()
    [0.0, 0.5, 0.667, 0.5, 0.0]
    >>> betweenness(nx.path_graph(5), k=2, exact_limit=0).method
    'sampled: 2 source nodes, seed 42'
    """
    n = g.number_of_nodes()
    sampled = n > exact_limit and k < n
    method = f"sampled: {k} source nodes, seed {seed}" if sampled else "exact"
    parameters = {"k": k if sampled else None, "seed": seed if sampled else None, "normalized": True}
    if _backend(backend) == "networkx":
        values = nx.betweenness_centrality(g, k=k if sampled else None, seed=seed if sampled else None)
        return MetricTable("betweenness", _frame(g, values, "betweenness"), method, parameters)
    h, nodes = to_igraph(g)
    if n < 3:
        return MetricTable("betweenness", _frame(g, [0.0] * n, "betweenness", nodes), method, parameters)
    if sampled:
        index = {node: i for i, node in enumerate(nodes)}
        sources = [index[s] for s in sample_sources(g, k, seed)]
        # igraph counts the paths from the k sources once per unordered pair; NetworkX's estimator
        # counts ordered pairs and scales a sampled node by 1/((k-1)(n-2)), any other by 1/(k(n-2)).
        ordered = 2.0 * np.asarray(h.betweenness(directed=False, sources=sources), dtype=float)
        scale = np.full(n, 1.0 / (k * (n - 2)))
        scale[sources] = 1.0 / ((k - 1) * (n - 2)) if k > 1 else np.nan
        values = ordered * scale
    else:
        raw = np.asarray(h.betweenness(directed=False), dtype=float)
        values = raw * 2.0 / ((n - 1) * (n - 2))
    return MetricTable("betweenness", _frame(g, values, "betweenness", nodes), method, parameters)


def eigenvector(g: nx.Graph, weight: str | None = "shared", backend: str = "auto") -> MetricTable:
    """Eigenvector centrality (unit Euclidean norm, as NetworkX), weighted by ``weight``.

    On a disconnected graph the leading eigenvector lives on one component and the other nodes get
    0: compare nodes within a component.

    Parameters
    ----------
    g : networkx.Graph
    weight : str or None
        Edge attribute with the tie strength (ties without it count 1); ``None`` counts every tie 1.
    backend : {"auto", "igraph", "networkx"}

    Returns
    -------
    MetricTable
        ``eigenvector`` per node (0 on a graph without ties).

    See Also
    --------
    degree : the number of partners, and their summed tie weight.

    Examples
    --------
    A path of three and a separate pair: the leading eigenvector lives on the path.

    >>> import networkx as nx
    >>> g = nx.Graph([(0, 1), (1, 2), (5, 6)])
    >>> eigenvector(g, weight=None).column().round(3).to_dict()
    {0: 0.5, 1: 0.707, 2: 0.5, 5: 0.0, 6: 0.0}
    """
    if g.number_of_edges() == 0:
        return MetricTable("eigenvector", _frame(g, [0.0] * len(g), "eigenvector"), "exact", {"weight": weight})
    if _backend(backend) == "networkx":
        values = nx.eigenvector_centrality_numpy(g, weight=weight) if nx.is_connected(g) else _per_component(g, weight)
        return MetricTable("eigenvector", _frame(g, values, "eigenvector"), "exact (ARPACK)", {"weight": weight})
    h, nodes = to_igraph(g, weight)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # igraph warns on disconnected graphs; documented above
        with seeded(DEFAULT_SEED):  # ARPACK starts from a random vector: seed it for repeatable digits
            values = np.asarray(h.eigenvector_centrality(scale=False, weights="weight" if weight else None), dtype=float)
    values = np.abs(values)
    values[values < 1e-12] = 0.0  # nodes off the leading component: exactly 0, not rounding noise
    norm = np.linalg.norm(values)
    values = values / norm if norm else values
    return MetricTable("eigenvector", _frame(g, values, "eigenvector", nodes), "exact (ARPACK)", {"weight": weight})


def _per_component(g: nx.Graph, weight: str | None) -> dict:
    """NetworkX refuses disconnected graphs; the leading eigenvector lives on the component with
    the largest leading eigenvalue, every other node gets 0 (what ARPACK returns on the whole)."""
    best, best_value = {}, -1.0
    for nodes in nx.connected_components(g):
        if len(nodes) < 2:
            continue
        sub = g.subgraph(nodes)
        values = nx.eigenvector_centrality_numpy(sub, weight=weight)
        a = nx.to_scipy_sparse_array(sub, weight=weight)
        x = np.array([values[v] for v in sub])
        eigenvalue = float(x @ (a @ x))
        if eigenvalue > best_value + 1e-12:
            best, best_value = values, eigenvalue
    return {v: best.get(v, 0.0) for v in g}


def closeness(g: nx.Graph, k: int = 256, seed: int = DEFAULT_SEED, exact_limit: int = EXACT_LIMIT,
              backend: str = "auto") -> MetricTable:
    """Closeness (NetworkX's, with the Wasserman–Faust correction for disconnected graphs).

    Above ``exact_limit`` nodes each node's distance sum within its component is estimated from
    the distances to ``k`` sampled pivots (Eppstein and Wang's estimator), scaled up to the
    component's size; the ``method`` says so.

    Parameters
    ----------
    g : networkx.Graph
    k : int
        Pivots to sample on graphs larger than ``exact_limit``.
    seed : int
        Seed of the sample (the nodes :func:`sample_sources` draws).
    exact_limit : int
        As for :func:`betweenness`.
    backend : {"auto", "igraph", "networkx"}
        ``networkx`` runs :func:`networkx.closeness_centrality` (exact only).

    Returns
    -------
    MetricTable
        ``closeness`` per node; ``method`` says whether it is exact or estimated
        (``sampled: k pivot nodes, seed s``).

    See Also
    --------
    betweenness : the same sampling, for shortest paths through a node.

    Examples
    --------
    >>> import networkx as nx
    >>> float(closeness(nx.path_graph(3)).column()[1])
    1.0
    >>> closeness(nx.path_graph(5), k=2, exact_limit=0).method
    'sampled: 2 pivot nodes, seed 42'
    """
    n = g.number_of_nodes()
    sampled = n > exact_limit and k < n
    method = f"sampled: {k} pivot nodes, seed {seed}" if sampled else "exact"
    parameters = {"k": k if sampled else None, "seed": seed if sampled else None, "wf_improved": True}
    if _backend(backend) == "networkx" and not sampled:
        return MetricTable("closeness", _frame(g, nx.closeness_centrality(g), "closeness"), method, parameters)
    h, nodes = to_igraph(g)
    if n < 2:
        return MetricTable("closeness", _frame(g, [0.0] * n, "closeness", nodes), method, parameters)
    membership = np.asarray(h.connected_components().membership)
    size = np.bincount(membership)[membership].astype(float)  # reachable nodes, itself included
    exact = np.arange(n)
    distance_sum = np.zeros(n)
    if sampled:
        index = {node: i for i, node in enumerate(nodes)}
        pivots = [index[s] for s in sample_sources(g, k, seed)]
        dist = np.asarray(h.distances(source=pivots), dtype=float)  # k x n, inf across components
        reach = np.isfinite(dist)
        pivots_in = reach.sum(axis=0)  # the pivots in each node's component
        # The distance sum over a component of r nodes is r times the mean distance to its
        # nodes, and the pivots that fall in it are a uniform sample of them.
        total = np.where(reach, dist, 0.0).sum(axis=0)
        distance_sum = np.divide(total * size, pivots_in, out=np.zeros(n), where=pivots_in > 0)
        exact = np.flatnonzero(pivots_in == 0)  # small components no pivot fell in: exact, cheap
    if len(exact):
        raw = np.asarray(h.closeness(vertices=exact.tolist(), normalized=False), dtype=float)
        raw = np.nan_to_num(raw, nan=0.0)  # isolated nodes
        distance_sum[exact] = np.divide(1.0, raw, out=np.zeros(len(exact)), where=raw > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.where(distance_sum > 0, (size - 1) / distance_sum * (size - 1) / (n - 1), 0.0)
    return MetricTable("closeness", _frame(g, values, "closeness", nodes), method, parameters)
