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

import datetime as dt
import json
import math
import os
import re
from collections.abc import Iterable
from pathlib import Path

import networkx as nx
import pandas as pd

from .result import MetricTable

__all__ = ["write_tables", "write_graph", "node_table", "GRAPH_FORMATS", "TABLE_FORMATS"]

GRAPH_FORMATS = ("gexf", "graphml", "json")
TABLE_FORMATS = ("csv", "parquet")


def _labelled(frame: pd.DataFrame, g: nx.Graph) -> pd.DataFrame:
    frame = frame.copy()
    if frame.index.names == ["node"]:
        frame.insert(0, "label", [g.nodes[n].get("label", str(n)) if n in g else str(n) for n in frame.index])
    return frame


def node_table(g: nx.Graph, tables: Iterable[MetricTable]) -> pd.DataFrame:
    """Every node with its label, kind, country, type and every node-level metric, sorted by node."""
    attributes = ["label", "kind", "country", "orgtype", "collaborations"]
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
            frame.to_csv(path, lineterminator="\n", float_format=None)
        else:
            frame.to_parquet(path, index=True)
        written.append(path)
    return written


def write_tables(g: nx.Graph, tables: Iterable[MetricTable], out: Path | str,
                 formats: Iterable[str] = TABLE_FORMATS) -> list[Path]:
    """Write one file per metric and ``nodes.*`` into ``out``; return the paths written."""
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


def _with_metrics(g: nx.Graph, tables: Iterable[MetricTable]) -> nx.Graph:
    """A sorted copy of ``g`` whose nodes also carry the node-level metrics."""
    copy = g.__class__()
    copy.graph.update({k: v for k, v in g.graph.items() if _plain(v) is not None})
    values: dict[object, dict[str, object]] = {n: {} for n in g}
    for table in tables:
        if not _per_node(table):
            continue
        for column in table.frame.columns:
            for node, value in zip(table.frame.index.tolist(), table.frame[column].tolist()):
                if node in values and (plain := _plain(value)) is not None:
                    values[node][column] = plain
    for n in sorted(g, key=str):
        data = {k: p for k, v in g.nodes[n].items() if (p := _plain(v)) is not None}
        copy.add_node(n, **data, **values[n])
    edges = sorted(g.edges(data=True), key=lambda e: (str(e[0]), str(e[1])))
    copy.add_edges_from((u, v, {k: p for k, w in d.items() if (p := _plain(w)) is not None}) for u, v, d in edges)
    return copy


def _today() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    return when.date().isoformat()


def write_graph(g: nx.Graph, out: Path | str, tables: Iterable[MetricTable] = (),
                formats: Iterable[str] = GRAPH_FORMATS, stem: str = "graph") -> list[Path]:
    """Write ``g`` with its metrics as GEXF, GraphML and/or node-link JSON into ``out``.

    Returns
    -------
    list of Path
        The files written (``<stem>.gexf``, ``<stem>.graphml``, ``<stem>.json``).
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    graph = _with_metrics(g, list(tables))
    written = []
    for fmt in formats:
        if fmt not in GRAPH_FORMATS:
            raise ValueError(f"unknown graph format {fmt!r}: {', '.join(GRAPH_FORMATS)}")
        path = out / f"{stem}.{fmt}"
        if fmt == "gexf":
            # NetworkX stamps today's date; SOURCE_DATE_EPOCH pins it, for byte-identical files.
            text = "\n".join(nx.generate_gexf(graph, version="1.2draft")) + "\n"
            text = re.sub(r'lastmodifieddate="[0-9-]+"', f'lastmodifieddate="{_today()}"', text, count=1)
            path.write_text(text, encoding="utf-8")
        elif fmt == "graphml":
            nx.write_graphml(graph, path, named_key_ids=True)
        else:
            data = nx.node_link_data(graph, edges="edges")
            path.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        written.append(path)
    return written
