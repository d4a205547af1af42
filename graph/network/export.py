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

from collections.abc import Callable, Iterable
from pathlib import Path

import networkx as nx
import pandas as pd

from ingest.csvsafe import spreadsheet_safe
from ingest.files import replacing

from .graphfiles import WEIGHT_ATTRIBUTES  # noqa: F401 - importable from here, as before the split
from .graphfiles import gexf_viz, write_gexf, write_graphml, write_json
from .result import DEFAULT_SEED, MetricTable
from .view import _per_node, export_view
from .view import graph_with_metrics, node_view  # noqa: F401 - importable from here, as before the split

__all__ = ["write_tables", "write_graph", "graph_writers", "node_table", "node_view", "graph_with_metrics",
           "GRAPH_FORMATS", "TABLE_FORMATS", "GRAPH_FORMAT_COSTS"]

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
        A format not in :data:`GRAPH_FORMATS` (before anything is written).

    See Also
    --------
    graph_with_metrics : the same graph, in memory.
    graph_writers : the same files, one writer each (to share them between processes).

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
    writers = graph_writers(g, out, tables, formats, stem, seed)
    for _, write, _ in writers:
        write()
    return [path for path, _, _ in writers]


#: Relative cost of writing each graph file (seconds for the H2020 network; the GEXF file also
#: lays the graph out), for sharing the writers between processes.
GRAPH_FORMAT_COSTS = {"gexf": 11.0, "graphml": 4.5, "json": 4.6}


def graph_writers(g: nx.Graph, out: Path | str, tables: Iterable[MetricTable] = (),
                  formats: Iterable[str] = GRAPH_FORMATS, stem: str = "graph",
                  seed: int = DEFAULT_SEED) -> list[tuple[Path, Callable[[], None], float]]:
    """The writers of :func:`write_graph`'s files, one per format, not yet run.

    The plain view of the graph is made once, here; each writer then writes one file (replacing
    it atomically) from that view alone, so the writers can run in any order or process.

    Parameters
    ----------
    g, out, tables, formats, stem, seed
        As for :func:`write_graph`.

    Returns
    -------
    list of (Path, callable, float)
        Each file, the function that writes it, and its relative cost (:data:`GRAPH_FORMAT_COSTS`).

    Raises
    ------
    ValueError
        A format not in :data:`GRAPH_FORMATS`.

    Examples
    --------
    >>> import networkx as nx, tempfile
    >>> writers = graph_writers(nx.path_graph(3), tempfile.mkdtemp(), formats=("graphml", "json"))
    >>> [(path.name, cost) for path, _, cost in writers]
    [('graph.graphml', 4.5), ('graph.json', 4.6)]
    >>> [write() for _, write, _ in writers], writers[1][0].exists()
    ([None, None], True)
    """
    formats = list(formats)
    unknown = [fmt for fmt in formats if fmt not in GRAPH_FORMATS]
    if unknown:
        raise ValueError(f"unknown graph format {unknown[0]!r}: {', '.join(GRAPH_FORMATS)}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    graph, nodes, edges = export_view(g, list(tables))
    directed = g.is_directed()

    def writer(fmt: str, path: Path) -> Callable[[], None]:
        def write() -> None:
            with replacing(path) as temp:
                if fmt == "gexf":
                    write_gexf(temp, directed, nodes, edges, gexf_viz(g, nodes, seed))
                elif fmt == "graphml":
                    write_graphml(temp, directed, graph, nodes, edges)
                else:
                    write_json(temp, directed, graph, nodes, edges)
        return write

    return [(out / f"{stem}.{fmt}", writer(fmt, out / f"{stem}.{fmt}"), GRAPH_FORMAT_COSTS[fmt]) for fmt in formats]
