"""Outputs of an analysis: tidy tables (CSV, Parquet) and graph files (GEXF, GraphML, node-link JSON).

Tables: one file per metric (``<metric>.csv`` and ``.parquet``), keyed by ``node`` (or
``source``/``target``, ``graph``/``year``), with the node's ``label`` beside the key so a table
reads on its own; plus ``nodes.csv``/``.parquet`` joining every node-level metric. CSV is UTF-8
with ``\\n`` line ends and ``repr``-exact floats, so the same analysis writes the same bytes.

Graph files carry the node-level metrics as node attributes. They are written from a copy (the
caller's graph is never changed), nodes and edges in sorted order, attributes limited to strings,
integers, floats and booleans (``None`` and NaN left out: GraphML and GEXF have no missing value).
``graph.gexf`` is GEXF 1.2 as Gephi reads it; the tests read it back with NetworkX and with
graphology-gexf, the reader of Gephi Lite.

Examples
--------
>>> import networkx as nx, tempfile, pathlib
>>> from graph.network.centrality import degree
>>> g = nx.Graph([("a", "b", {"shared": 2})]); g.nodes["a"]["label"] = "A"
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> sorted(p.name for p in write_graph(g, out, [degree(g)], formats=("gexf", "graphml")))
['graph.gexf', 'graph.graphml']
>>> nx.read_gexf(out / "graph.gexf").nodes["a"]["degree"]
1
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path

import networkx as nx
import pandas as pd

from ingest.csvsafe import spreadsheet_safe
from ingest.files import replacing

from .graphfiles import WEIGHT_ATTRIBUTES  # noqa: F401 - importable from here, as before the split
from .graphfiles import gexf_viz, write_gexf, write_graphml, write_json
from .result import DEFAULT_SEED, MetricTable

__all__ = ["write_tables", "write_graph", "node_table", "graph_with_metrics", "GRAPH_FORMATS", "TABLE_FORMATS"]

GRAPH_FORMATS = ("gexf", "graphml", "json")
TABLE_FORMATS = ("csv", "parquet")


def _labelled(frame: pd.DataFrame, g: nx.Graph) -> pd.DataFrame:
    frame = frame.copy()
    if frame.index.names == ["node"]:
        frame.insert(0, "label", [g.nodes[n].get("label", str(n)) if n in g else str(n) for n in frame.index])
    return frame


def node_table(g: nx.Graph, tables: Iterable[MetricTable]) -> pd.DataFrame:
    """Every node with its label, kind, country, type and every node-level metric, sorted by node.

    Parameters
    ----------
    g : networkx.Graph
    tables : iterable of MetricTable
        Tables with one row per node are joined; others (edge or graph level, or several rows
        per node) are left out.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``node``: the node attributes ``label``, ``kind``, ``country``, ``orgtype``,
        ``pic_only`` and ``collaborations`` that some node has, then the metrics' columns.

    Examples
    --------
    >>> import networkx as nx
    >>> from graph.network.centrality import degree
    >>> g = nx.Graph([("b", "a", {"shared": 2})]); g.nodes["a"].update(label="A", country="BE")
    >>> node_table(g, [degree(g)]).reset_index().values.tolist()
    [['a', 'A', 'BE', 1, 2], ['b', nan, nan, 1, 2]]
    """
    attributes = ["label", "kind", "country", "orgtype", "pic_only", "collaborations"]
    base = pd.DataFrame([[g.nodes[n].get(a) for a in attributes] for n in g], columns=attributes,
                        index=pd.Index(list(g), name="node"))
    base = base.dropna(axis=1, how="all")
    for table in tables:
        if _per_node(table):
            base = base.join(table.frame, how="left")
    return base.sort_index()


def _per_node(table: MetricTable) -> bool:
    """A table with one row per node (others, e.g. per organisation and method, stay separate)."""
    return table.level == "node" and table.frame.index.name == "node" and table.frame.index.is_unique


def _write(frame: pd.DataFrame, stem: Path, formats: Iterable[str]) -> list[Path]:
    written = []
    for fmt in formats:
        if fmt not in TABLE_FORMATS:
            raise ValueError(f"unknown table format {fmt!r}: {', '.join(TABLE_FORMATS)}")
        path = stem.with_suffix(f".{fmt}")
        if fmt == "csv":
            # Text cells that a spreadsheet would run as formulas are written as text (Parquet
            # keeps the values exactly).
            safe = frame.copy()
            for column in safe.columns[safe.dtypes == object]:
                safe[column] = safe[column].map(spreadsheet_safe)
            if safe.index.dtype == object:
                safe.index = safe.index.map(spreadsheet_safe)
            with replacing(path) as temp:
                safe.to_csv(temp, lineterminator="\n", float_format=None)
        else:
            with replacing(path) as temp:
                frame.to_parquet(temp, index=True)
        written.append(path)
    return written


def write_tables(g: nx.Graph, tables: Iterable[MetricTable], out: Path | str,
                 formats: Iterable[str] = TABLE_FORMATS) -> list[Path]:
    """Write one file per metric and ``nodes.*`` into ``out``; return the paths written.

    Parameters
    ----------
    g : networkx.Graph
        The analysed graph, for the labels written beside the node keys.
    tables : iterable of MetricTable
        One file each, ``<metric>.<format>``, rows sorted by key; the node-level ones are also
        joined into ``nodes.<format>`` (:func:`node_table`).
    out : Path or str
        The directory, made if missing.
    formats : iterable of str
        Some of :data:`TABLE_FORMATS`.

    Returns
    -------
    list of Path

    Raises
    ------
    ValueError
        An unknown format.

    See Also
    --------
    node_table : the table written as ``nodes``.

    Examples
    --------
    Each table's rows carry the node's label beside its key:

    >>> import networkx as nx, pathlib, tempfile
    >>> from graph.network.cohesion import components
    >>> g = nx.Graph([("a", "b")]); g.add_node("c"); g.nodes["a"]["label"] = "A"
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> [p.name for p in write_tables(g, [components(g)], out, formats=("csv",))]
    ['component.csv', 'nodes.csv']
    >>> print((out / "component.csv").read_text(), end="")
    node,label,component,component_size
    a,A,0,2
    b,b,0,2
    c,c,1,1
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    tables, formats = list(tables), list(formats)
    written = []
    for table in tables:
        frame = table.frame.sort_index()
        written += _write(_labelled(frame, g), out / table.metric, formats)
    written += _write(node_table(g, tables), out / "nodes", formats)
    return written


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


def _export_view(g: nx.Graph, tables: Iterable[MetricTable]) -> tuple[dict, list, list]:
    """Graph attributes, sorted ``(node, attributes)`` with the node-level metrics added, and sorted
    ``(source, target, attributes)``: plain values only. ``g`` itself is not touched."""
    values: dict[object, dict[str, object]] = {n: {} for n in g}
    for table in tables:
        if not _per_node(table):
            continue
        for column in table.frame.columns:
            name = _attribute_name(table.metric, column)
            for node, value in zip(table.frame.index.tolist(), table.frame[column].tolist()):
                if node in values and (plain := _plain(value)) is not None:
                    values[node][name] = plain
    nodes = []
    for n in sorted(g, key=str):
        data = {k: p for k, v in g.nodes[n].items() if (p := _plain(v)) is not None}
        data.update(values[n])
        nodes.append((n, data))
    edges = sorted(((u, v, {k: p for k, w in d.items() if (p := _plain(w)) is not None})
                    for u, v, d in g.edges(data=True)), key=lambda e: (str(e[0]), str(e[1])))
    graph = {k: p for k, v in g.graph.items() if (p := _plain(v)) is not None}
    return graph, nodes, edges


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


def graph_with_metrics(g: nx.Graph, tables: Iterable[MetricTable]) -> nx.Graph:
    """A sorted copy of ``g`` whose nodes also carry the per-node metrics (for maps and notebooks).

    Parameters
    ----------
    g : networkx.Graph
        Left unchanged.
    tables : iterable of MetricTable
        Tables with one row per node become node attributes (brokerage roles prefixed with the
        metric's name, ``brokerage_coordinator``).

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
    """
    graph, nodes, edges = _export_view(g, list(tables))
    copy = g.__class__(**graph)
    copy.add_nodes_from(nodes)
    copy.add_edges_from(edges)
    return copy


def write_graph(g: nx.Graph, out: Path | str, tables: Iterable[MetricTable] = (),
                formats: Iterable[str] = GRAPH_FORMATS, stem: str = "graph", seed: int = DEFAULT_SEED) -> list[Path]:
    """Write ``g`` with its metrics as GEXF, GraphML and/or node-link JSON into ``out``.

    Parameters
    ----------
    g : networkx.Graph
        Left unchanged.
    out : Path or str
        The directory, made if missing.
    tables : iterable of MetricTable
        Tables with one row per node become node attributes (as :func:`graph_with_metrics`).
    formats : iterable of str
        Some of :data:`GRAPH_FORMATS`.
    stem : str
        The files' name without the suffix.
    seed : int
        Seed of the GEXF file's layout (:func:`graph.network.graphfiles.gexf_viz`).

    Returns
    -------
    list of Path
        The files written (``<stem>.gexf``, ``<stem>.graphml``, ``<stem>.json``).

    Raises
    ------
    ValueError
        A format not in :data:`GRAPH_FORMATS` (the files of the formats before it are written).

    See Also
    --------
    graph_with_metrics : the same graph, in memory.

    Examples
    --------
    >>> import json, networkx as nx, tempfile
    >>> written = write_graph(nx.path_graph(3), tempfile.mkdtemp(), formats=("json",), stem="path")
    >>> [p.name for p in written]
    ['path.json']
    >>> nx.node_link_graph(json.loads(written[0].read_text()), edges="edges").number_of_edges()
    2
    >>> write_graph(nx.path_graph(3), tempfile.mkdtemp(), formats=("dot",))
    Traceback (most recent call last):
    ValueError: unknown graph format 'dot': gexf, graphml, json
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    graph, nodes, edges = _export_view(g, list(tables))
    directed = g.is_directed()
    written = []
    for fmt in formats:
        if fmt not in GRAPH_FORMATS:
            raise ValueError(f"unknown graph format {fmt!r}: {', '.join(GRAPH_FORMATS)}")
        path = out / f"{stem}.{fmt}"
        with replacing(path) as temp:
            if fmt == "gexf":
                write_gexf(temp, directed, nodes, edges, gexf_viz(g, nodes, seed))
            elif fmt == "graphml":
                write_graphml(temp, directed, graph, nodes, edges)
            else:
                write_json(temp, directed, graph, nodes, edges)
        written.append(path)
    return written
