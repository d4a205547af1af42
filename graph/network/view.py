"""The plain view of a network with its metrics: what graph files, maps and notebooks are made from.

A projection's nodes and ties carry whatever the projection put there (numpy numbers, NaN for a
missing value); the metrics are tables beside the graph. The view joins them: every node with its
own attributes and its node-level metrics, every tie with its attributes, values limited to
strings, integers, finite floats and booleans (GraphML and GEXF have no missing value), nodes and
ties sorted, so the same analysis always gives the same files. A map of a large network asks
for the view of the nodes it draws only (``keep``): the ties are filtered before their
attributes are copied.

Examples
--------
>>> import networkx as nx
>>> from graph.network.centrality import degree
>>> g = nx.Graph([("b", "a", {"shared": 2, "note": float("nan")})])
>>> graph, nodes, edges = export_view(g, [degree(g, weight=None)])
>>> nodes, edges
([('a', {'degree': 1, 'strength': 1}), ('b', {'degree': 1, 'strength': 1})], [('b', 'a', {'shared': 2})])
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable

import networkx as nx

from .result import MetricTable

__all__ = ["export_view", "node_view", "graph_with_metrics"]


def _per_node(table: MetricTable) -> bool:
    """A table with one row per node (others, e.g. per organisation and method, stay separate)."""
    return table.level == "node" and table.frame.index.name == "node" and table.frame.index.is_unique


def _plain(value: object) -> object | None:
    """A value GEXF and GraphML can hold, or None to leave the attribute out."""
    if value is None:
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


_KEPT_AS_IS = frozenset((str, int, bool))


def _plain_attributes(data: dict) -> dict:
    """``data`` with :func:`_plain` values; strings, integers and finite floats (most of the
    800k ties' values) are taken as they are without the call."""
    out = {}
    for k, v in data.items():
        kind = type(v)
        if kind in _KEPT_AS_IS or (kind is float and v - v == 0.0):  # v - v is NaN for NaN and infinities
            out[k] = v
        elif (p := _plain(v)) is not None:
            out[k] = p
    return out


def export_view(g: nx.Graph, tables: Iterable[MetricTable],
                keep: Collection | None = None) -> tuple[dict, list, list]:
    """The graph's plain attributes, its nodes with their metrics, and its ties, sorted.

    Parameters
    ----------
    g, tables
        As for :func:`graph_with_metrics`.
    keep : collection, optional
        Only these nodes and the ties among them (the ties are filtered before their attributes
        are copied).

    Returns
    -------
    (dict, list of (node, dict), list of (node, node, dict))
        Nodes sorted by ``str``, ties by ``(str(source), str(target))``, values plain.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph([("a", "b", {"shared": 2}), ("b", "c", {"shared": 1})])
    >>> export_view(g, [], keep=["a", "b"])[2]
    [('a', 'b', {'shared': 2})]
    """
    graph, nodes = node_view(g, tables, keep)
    pairs = g.edges(data=True)
    if keep is not None:
        kept = keep if isinstance(keep, (set, frozenset, dict)) else set(keep)
        pairs = [(u, v, d) for u, v, d in pairs if u in kept and v in kept]
    edges = sorted(((u, v, _plain_attributes(d)) for u, v, d in pairs), key=lambda e: (str(e[0]), str(e[1])))
    return graph, nodes, edges


def node_view(g: nx.Graph, tables: Iterable[MetricTable], keep: Collection | None = None) -> tuple[dict, list]:
    """The graph's plain attributes and its sorted nodes with their metrics, without the ties.

    The nodes of :func:`graph_with_metrics`, without building the graph (a map ranks a large
    network's nodes on them before it copies any tie).

    Parameters
    ----------
    g : networkx.Graph
        Left unchanged.
    tables : iterable of MetricTable
        As for :func:`graph_with_metrics`.
    keep : collection, optional
        Only these nodes.

    Returns
    -------
    (dict, list of (node, dict))

    Examples
    --------
    >>> import networkx as nx
    >>> from graph.network.centrality import degree
    >>> g = nx.path_graph(["b", "a", "c"])
    >>> node_view(g, [degree(g, weight=None)], keep={"a", "b"})[1]
    [('a', {'degree': 2, 'strength': 2}), ('b', {'degree': 1, 'strength': 1})]
    """
    kept = None if keep is None else (keep if isinstance(keep, (set, frozenset, dict)) else set(keep))
    values: dict[object, dict[str, object]] = {n: {} for n in g if kept is None or n in kept}
    for table in tables:
        if not _per_node(table):
            continue
        for column in table.frame.columns:
            name = _attribute_name(table.metric, column)
            for node, value in zip(table.frame.index.tolist(), table.frame[column].tolist()):
                if node in values and (plain := _plain(value)) is not None:
                    values[node][name] = plain
    nodes = []
    for n in sorted(values, key=str):
        data = {k: p for k, v in g.nodes[n].items() if (p := _plain(v)) is not None}
        data.update(values[n])
        nodes.append((n, data))
    graph = {k: p for k, v in g.graph.items() if (p := _plain(v)) is not None}
    return graph, nodes


def _attribute_name(metric: str, column: str) -> str:
    """A node attribute's name for a metric's column: brokerage roles carry the metric's name
    (``brokerage_coordinator``), since Gephi users read a bare ``coordinator`` as a project role.

    >>> _attribute_name("brokerage", "coordinator"), _attribute_name("brokerage_orgtype", "liaison_orgtype")
    ('brokerage_coordinator', 'brokerage_orgtype_liaison')
    >>> _attribute_name("degree", "degree")
    'degree'
    """
    if metric.startswith("brokerage"):
        return f"{metric}_{column.removesuffix('_orgtype')}"
    return column


def graph_with_metrics(g: nx.Graph, tables: Iterable[MetricTable], nodes: Collection | None = None) -> nx.Graph:
    """A sorted copy of ``g`` whose nodes also carry the per-node metrics (for maps and notebooks).

    Parameters
    ----------
    g : networkx.Graph
        Left unchanged.
    tables : iterable of MetricTable
        Tables with one row per node become node attributes (brokerage roles prefixed with the
        metric's name, ``brokerage_coordinator``).
    nodes : collection, optional
        Only these nodes and the ties among them (a map of the largest nodes of a large network
        copies only what it draws).

    Returns
    -------
    networkx.Graph
        Of ``g``'s class, nodes and edges sorted, attribute values limited to strings, integers,
        floats and booleans (``None`` and NaN left out).

    Examples
    --------
    >>> import networkx as nx
    >>> from graph.network.centrality import degree
    >>> g = nx.path_graph(["a", "b", "c"])
    >>> graph_with_metrics(g, [degree(g, weight=None)]).nodes["b"]["degree"], "degree" in g.nodes["b"]
    (2, False)
    >>> sorted(graph_with_metrics(g, [], nodes=["a", "b"]).edges)
    [('a', 'b')]
    """
    graph, attributed, edges = export_view(g, list(tables), nodes)
    copy = g.__class__(**graph)
    copy.add_nodes_from(attributed)
    copy.add_edges_from(edges)
    return copy


