"""Structural holes: Burt's constraint and effective size.

An organisation whose partners do not work with one another sits on a *structural hole*: it hears
from circles that do not hear from each other and can carry ideas (and funding know-how) between
them. Two of Burt's measures, each a plain function of an undirected NetworkX graph that returns a
:class:`~graph.network.result.MetricTable` indexed by node (the third measure of brokerage,
Gould and Fernandez's roles, is :mod:`graph.network.brokerage`):

:func:`constraint`
    Burt's constraint: how far a node's ties lead back into one closed circle (high: no holes).
:func:`effective_size`
    Burt's effective size, the number of partners minus their redundancy, and efficiency, the
    effective size per partner.

Both follow NetworkX's definitions and the tests hold the fast path equal to NetworkX on small
graphs. NetworkX is too slow for the H2020 collaboration graph (36k nodes, 800k ties, 15 million
triangles; its matrix code even builds a dense node × node matrix for effective size), so the
default paths compute the same numbers differently: constraint in igraph's C core, effective size
from per-node triangle sums (:mod:`graph.network._triangles`). ``backend="networkx"`` runs
NetworkX; a ``backend`` other than those listed raises :class:`ValueError`.

Self-loops (a tie to oneself) are no partners and are dropped; so are ties whose ``weight`` is 0
when a weight is used (NetworkX's matrix code treats them as absent).

References
----------
.. [1] R. S. Burt, *Structural Holes: The Social Structure of Competition*. Harvard University
   Press, 1992.
.. [2] S. P. Borgatti, "Structural holes: unpacking Burt's redundancy measures", *Connections*
   20(1):35–38 (1997).

Examples
--------
>>> import networkx as nx
>>> g = nx.florentine_families_graph()
>>> float(constraint(g, weight=None).column()["Medici"].round(3))
0.21
>>> effective_size(g).frame.loc["Medici"].round(3).tolist()
[5.667, 0.944]
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
from networkx.utils import not_implemented_for

from ._igraph import to_igraph
from ._triangles import Oriented, at_ends, at_middle, tie_arrays, triangles
from .result import MetricTable

__all__ = ["constraint", "effective_size"]


def _backend(backend: str, fast: str) -> str:
    if backend not in ("auto", fast, "networkx"):
        raise ValueError(f"unknown backend {backend!r}: auto, {fast} or networkx")
    return "networkx" if backend == "networkx" else fast


def _frame(nodes: list, columns: dict) -> pd.DataFrame:
    return pd.DataFrame({name: np.asarray(values, dtype=float) for name, values in columns.items()},
                        index=pd.Index(nodes, name="node"))


def _clean(g: nx.Graph, weight: str | None) -> nx.Graph:
    """``g`` without self-loops and, when ``weight`` is used, without zero-weight ties.

    Returns ``g`` itself when there is nothing to drop, so the igraph conversion stays cached.
    """
    drop = list(nx.selfloop_edges(g))
    if weight is not None:
        drop += [(u, v) for u, v, w in g.edges(data=weight, default=1) if w == 0 and u != v]
    if not drop:
        return g
    h = g.copy()
    h.remove_edges_from(drop)
    return h

# -- constraint ---------------------------------------------------------------------------------


@not_implemented_for("directed")
@not_implemented_for("multigraph")
def constraint(g: nx.Graph, weight: str | None = "shared", backend: str = "auto") -> MetricTable:
    """Burt's constraint: how much each node's ties are invested in one closed circle.

    With ``p_ij`` the share of ``i``'s tie weight that goes to ``j``, the constraint on ``i`` is
    ``sum_j (p_ij + sum_q p_iq p_qj)^2`` over its partners ``j`` (``q`` the other partners). It
    ranges from about ``1/degree`` (partners unconnected: many structural holes) up to 1 and
    more (one partner, or a clique).

    Parameters
    ----------
    g : networkx.Graph
        Undirected.
    weight : str or None
        Edge attribute with the tie strength (ties without it count 1); ``None`` counts every tie 1.
    backend : {"auto", "igraph", "networkx"}
        ``"networkx"`` runs :func:`networkx.constraint`; otherwise igraph's ``Graph.constraint``,
        which gives the same values on undirected graphs (the tests hold them equal): 7–10 s on
        the H2020 collaboration graph, conversion included, where NetworkX's matrix code forms
        the whole product ``P @ P`` (247 million non-zeros).

    Returns
    -------
    MetricTable
        ``constraint`` per node; NaN for isolated nodes, as NetworkX.

    Raises
    ------
    networkx.NetworkXNotImplemented
        ``g`` is directed or a multigraph.

    See Also
    --------
    effective_size : Burt's other measure of structural holes.
    graph.network.brokerage.brokerage : which holes a node spans, by group.

    Examples
    --------
    Borgatti's example graph, as in NetworkX's tests (values checked against UCINET):

    >>> import networkx as nx
    >>> g = nx.Graph([("A", "B"), ("A", "F"), ("A", "G"), ("A", "E"), ("E", "G"), ("F", "G"),
    ...               ("B", "G"), ("B", "D"), ("D", "G"), ("G", "C")])
    >>> constraint(g, weight=None).column().round(3)[["G", "A", "C"]].tolist()
    [0.4, 0.595, 1.0]
    """
    parameters = {"weight": weight}
    h = _clean(g, weight)
    if h.number_of_nodes() == 0:
        return MetricTable("constraint", _frame([], {"constraint": []}), "exact", parameters)
    if _backend(backend, "igraph") == "networkx":
        values = nx.constraint(h, weight=weight)
        frame = _frame(list(h), {"constraint": [values[n] for n in h]})
        return MetricTable("constraint", frame, "exact", parameters)
    ig_graph, nodes = to_igraph(h, weight)
    values = ig_graph.constraint(weights="weight" if weight is not None else None)
    return MetricTable("constraint", _frame(nodes, {"constraint": values}), "exact", parameters)


# -- effective size -----------------------------------------------------------------------------


@not_implemented_for("directed")
@not_implemented_for("multigraph")
def effective_size(g: nx.Graph, weight: str | None = None, backend: str = "auto") -> MetricTable:
    """Burt's effective size (non-redundant partners) and efficiency (effective size per partner).

    Unweighted, effective size is Borgatti's ``n - 2t/n`` for a node with ``n`` partners and ``t``
    ties among them: a node whose partners are strangers to each other has effective size ``n``
    and efficiency 1. Weighted, it is Burt's ``sum_j (1 - sum_q p_iq m_jq)`` over partners ``j``,
    with ``p_iq`` ``i``'s share of its tie weight going to ``q`` and ``m_jq`` the tie ``j–q`` over
    ``j``'s strongest tie.

    Parameters
    ----------
    g : networkx.Graph
        Undirected.
    weight : str or None
        Edge attribute with the tie strength (ties without it count 1); ``None`` (the default,
        Borgatti's formula) counts every tie 1.
    backend : {"auto", "scipy", "networkx"}
        ``"networkx"`` runs :func:`networkx.effective_size` node by node; otherwise the same sums
        are taken over triangles with sparse products (module docstring): on the H2020
        collaboration graph about 2 s unweighted and 5 s weighted, where NetworkX's matrix code
        builds a dense 36k × 36k matrix and its node-by-node code is cubic in a hub's degree.

    Returns
    -------
    MetricTable
        ``effective_size`` and ``efficiency`` per node; NaN for isolated nodes, as NetworkX.

    Raises
    ------
    networkx.NetworkXNotImplemented
        ``g`` is directed or a multigraph.

    Notes
    -----
    NetworkX 3.6 has two code paths. Called for all nodes with a ``weight``, its matrix code
    divides by the strongest tie of the wrong node (``q``'s instead of ``j``'s; networkx pull
    request #8906, open), and its values differ from Burt's formula, UCINET and its own
    node-by-node code. This function follows the node-by-node code, which the ``"networkx"``
    backend calls (``nodes=list(g)``) when weighted. Unweighted, the two agree.

    Examples
    --------
    Borgatti's example graph (NetworkX's tests; 4.67, 2.50 and 1 in UCINET):

    >>> import networkx as nx
    >>> g = nx.Graph([("A", "B"), ("A", "F"), ("A", "G"), ("A", "E"), ("E", "G"), ("F", "G"),
    ...               ("B", "G"), ("B", "D"), ("D", "G"), ("G", "C")])
    >>> effective_size(g).frame.loc[["G", "A", "C"]].round(3).to_dict("list")
    {'effective_size': [4.667, 2.5, 1.0], 'efficiency': [0.778, 0.625, 1.0]}
    """
    parameters = {"weight": weight}
    if _backend(backend, "scipy") == "networkx":
        h = _clean(g, weight)
        # Weighted, only the node-by-node code is right (Notes); unweighted, the default call is
        # right and much faster (node by node, NetworkX copies the graph for every node).
        values = {} if len(h) == 0 else nx.effective_size(h, nodes=list(h) if weight else None, weight=weight)
        size = np.array([values[n] for n in h], dtype=float)
        degree = np.array([d for _, d in h.degree()], dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            frame = _frame(list(h), {"effective_size": size, "efficiency": size / degree})
        return MetricTable("effective_size", frame, "exact", parameters)
    nodes, u, v, w = tie_arrays(g, weight)
    n = len(nodes)
    degree = (np.bincount(u, minlength=n) + np.bincount(v, minlength=n)).astype(float)
    oriented = Oriented(n, u, v)
    if weight is None:
        # Every ordered pair of tied partners is one unit of redundancy: 2t in all.
        redundancy, share = 2.0 * triangles(oriented.matrix()), degree
    else:
        redundancy, share = _weighted_redundancy(oriented, n, u, v, w)
    with np.errstate(divide="ignore", invalid="ignore"):
        size = np.where(degree > 0, degree - redundancy / share, np.nan)
        frame = _frame(nodes, {"effective_size": size, "efficiency": size / degree})
    return MetricTable("effective_size", frame, "exact", parameters)


def _weighted_redundancy(oriented: Oriented, n: int, u: np.ndarray, v: np.ndarray,
                         w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``sum_j sum_q w_iq w_jq / max_j`` per node ``i`` (to be divided by ``i``'s strength), and
    the strengths.

    Burt's redundancy of ``j`` to ``i`` is ``sum_q p_iq m_jq = sum_q (w_iq / s_i)(w_jq / max_j)``,
    non-zero only where ``i``, ``j`` and ``q`` form a triangle. In a triangle ``a < b < c`` each
    corner gets two terms (the other two corners as ``j`` and ``q`` in either order); each term
    is a product of one value per side, so six oriented products cover them all. ``low`` and
    ``high`` below are the tie's weight over the strongest tie of its lower / higher end.
    """
    strength = np.bincount(u, weights=w, minlength=n) + np.bincount(v, weights=w, minlength=n)
    strongest = np.zeros(n)
    np.maximum.at(strongest, u, w)
    np.maximum.at(strongest, v, w)
    one = oriented.matrix()
    weight = oriented.matrix(w)
    low = oriented.matrix(w / strongest[oriented.low])
    high = oriented.matrix(w / strongest[oriented.high])
    # Corner a: (j=b, q=c) w_ac w_bc / max_b, and (j=c, q=b) w_ab w_bc / max_c.
    at_a = at_ends(one, low, weight)[0] + at_ends(weight, high, one)[0]
    # Corner c: (j=a, q=b) w_cb w_ab / max_a, and (j=b, q=a) w_ca w_ab / max_b.
    at_c = at_ends(low, weight, one)[1] + at_ends(high, one, weight)[1]
    # Corner b: (j=a, q=c) w_bc w_ac / max_a, and (j=c, q=a) w_ba w_ac / max_c.
    at_b = at_middle(one, weight, low) + at_middle(weight, one, high)
    return at_a + at_b + at_c, strength
