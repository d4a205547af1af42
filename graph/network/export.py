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

from ingest.csvsafe import spreadsheet_safe
from ingest.files import replacing

from .layout import OTHER, group_colours, layout, scale_sizes
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
    """Every node with its label, kind, country, type and every node-level metric, sorted by node."""
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


def _today() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    return when.date().isoformat()


# XML 1.0 cannot carry most control characters at all, not even escaped.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml(value: object) -> str:
    """An attribute value or text, escaped for XML (quotes included)."""
    text = _XML_INVALID.sub("\ufffd", str(value))
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;"))


def _types(rows: Iterable[dict]) -> dict[str, str]:
    """One XML type per attribute: boolean, long, double or string (the widest its values need)."""
    seen: dict[str, set[type]] = {}
    for data in rows:
        for k, v in data.items():
            seen.setdefault(k, set()).add(type(v))
    out = {}
    for k, kinds in sorted(seen.items()):
        if kinds == {bool}:
            out[k] = "boolean"
        elif kinds <= {int}:
            out[k] = "long"
        elif kinds <= {int, float}:
            out[k] = "double"
        else:
            out[k] = "string"
    return out


def _text(value: object, kind: str) -> str:
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "double":
        return repr(float(value))
    return _xml(value)


#: Edge attributes that give a tie's weight, first found wins (collaboration ties count shared projects).
WEIGHT_ATTRIBUTES = ("weight", "shared")


def gexf_viz(g: nx.Graph, nodes: list, seed: int = DEFAULT_SEED) -> dict[object, tuple[float, float, float, str]]:
    """Node -> (x, y, size, colour) as the HTML maps draw them: the seeded layout, colours by
    community (else kind), sizes by degree, so a GEXF opens in Gephi looking like the map.

    >>> import networkx as nx
    >>> g = nx.path_graph(["a", "b", "c"])
    >>> viz = gexf_viz(g, [(n, {"community": 0}) for n in g])
    >>> sorted(viz), viz["b"][3]
    (['a', 'b', 'c'], '#0072B2')
    """
    attributes = dict(nodes)
    key = "community" if any("community" in d for d in attributes.values()) else "kind"
    groups = [str(attributes.get(n, {}).get(key, "(none)")) for n in g]
    colours, _ = group_colours(groups)
    degree = dict(g.degree())
    raw = [attributes.get(n, {}).get("degree", degree[n]) for n in g]
    sizes = scale_sizes([float(v) if isinstance(v, (int, float)) else None for v in raw], 6.0, 40.0)
    positions = layout(g, seed=seed)
    return {n: (*positions.get(n, (0.0, 0.0)), size, colours.get(group, OTHER))
            for n, size, group in zip(g, sizes, groups)}


def _weight(data: dict) -> float | None:
    for key in WEIGHT_ATTRIBUTES:
        value = data.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            return float(value)
    return None


def _write_gexf(path: Path, directed: bool, nodes: list, edges: list,
                viz: dict[object, tuple[float, float, float, str]] | None = None) -> None:
    """GEXF 1.2 (what Gephi reads), streamed: NetworkX's writer builds the whole XML tree first,
    which takes 45 s and gigabytes for the 800k-edge H2020 graph.

    Each tie carries its ``weight`` (:data:`WEIGHT_ATTRIBUTES`; Gephi counts a tie without one
    as 1) and, with ``viz`` (:func:`gexf_viz`), each node its ``viz:position``, ``viz:size`` and
    ``viz:color``, so the file opens laid out and coloured."""
    node_types = {k: t for k, t in _types(d for _, d in nodes).items() if k != "label"}
    edge_types = _types(d for _, _, d in edges)
    node_ids = {k: str(i) for i, k in enumerate(node_types)}
    edge_ids = {k: str(i + len(node_ids)) for i, k in enumerate(edge_types)}
    with path.open("w", encoding="utf-8", newline="\n") as f:
        f.write("<?xml version='1.0' encoding='utf-8'?>\n"
                '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:viz="http://www.gexf.net/1.2draft/viz" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n'
                f'  <meta lastmodifieddate="{_today()}">\n    <creator>democracy-kg</creator>\n  </meta>\n'
                f'  <graph defaultedgetype="{"directed" if directed else "undirected"}" mode="static" name="">\n')
        for cls, types, ids in (("node", node_types, node_ids), ("edge", edge_types, edge_ids)):
            f.write(f'    <attributes mode="static" class="{cls}">\n')
            f.writelines(f'      <attribute id="{ids[k]}" title="{_xml(k)}" type="{t}" />\n' for k, t in types.items())
            f.write("    </attributes>\n")

        def attvalues(data: dict, types: dict, ids: dict) -> str:
            cells = "".join(f'          <attvalue for="{ids[k]}" value="{_text(v, types[k])}" />\n'
                            for k, v in data.items() if k in types)
            return f"        <attvalues>\n{cells}        </attvalues>\n" if cells else ""

        f.write("    <nodes>\n")
        for n, data in nodes:
            label = data.get("label", n)
            drawn = ""
            if viz and n in viz:
                x, y, size, colour = viz[n]
                r, g_, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
                drawn = (f'        <viz:color r="{r}" g="{g_}" b="{b}" />\n'
                         f'        <viz:position x="{x!r}" y="{-y!r}" z="0.0" />\n'  # y grows upwards in Gephi
                         f'        <viz:size value="{size!r}" />\n')
            f.write(f'      <node id="{_xml(n)}" label="{_xml(label)}">\n{attvalues(data, node_types, node_ids)}'
                    f"{drawn}      </node>\n")
        f.write("    </nodes>\n    <edges>\n")
        for i, (u, v, data) in enumerate(edges):
            weight = _weight(data)
            weighted = f' weight="{weight!r}"' if weight is not None else ""
            f.write(f'      <edge source="{_xml(u)}" target="{_xml(v)}" id="{i}"{weighted}>\n'
                    f"{attvalues(data, edge_types, edge_ids)}      </edge>\n")
        f.write("    </edges>\n  </graph>\n</gexf>\n")


def _write_graphml(path: Path, directed: bool, graph: dict, nodes: list, edges: list) -> None:
    """GraphML, streamed (NetworkX's writer takes 35 s on the H2020 graph); keys ``g0``, ``n0``, ``e0``..."""
    types = {"graph": _types([graph]), "node": _types(d for _, d in nodes), "edge": _types(d for _, _, d in edges)}
    ids = {cls: {k: f"{cls[0]}{i}" for i, k in enumerate(t)} for cls, t in types.items()}

    def data(values: dict, cls: str, indent: str) -> str:
        return "".join(f'{indent}<data key="{ids[cls][k]}">{_text(v, types[cls][k])}</data>\n'
                       for k, v in values.items() if k in types[cls])

    with path.open("w", encoding="utf-8", newline="\n") as f:
        f.write("<?xml version='1.0' encoding='utf-8'?>\n"
                '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
                'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
        for cls in ("graph", "node", "edge"):
            f.writelines(f'  <key id="{ids[cls][k]}" for="{cls}" attr.name="{_xml(k)}" attr.type="{t}" />\n'
                         for k, t in types[cls].items())
        f.write(f'  <graph edgedefault="{"directed" if directed else "undirected"}">\n{data(graph, "graph", "    ")}')
        for n, values in nodes:
            f.write(f'    <node id="{_xml(n)}">\n{data(values, "node", "      ")}    </node>\n')
        for u, v, values in edges:
            f.write(f'    <edge source="{_xml(u)}" target="{_xml(v)}">\n{data(values, "edge", "      ")}    </edge>\n')
        f.write("  </graph>\n</graphml>\n")


def _write_json(path: Path, directed: bool, graph: dict, nodes: list, edges: list) -> None:
    """NetworkX node-link JSON (``edges="edges"``), one node or edge per line."""
    with path.open("w", encoding="utf-8", newline="\n") as f:
        dumps = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
        f.write(f'{{"directed":{dumps(directed)},"multigraph":false,"graph":{dumps(graph)},\n"nodes":[\n')
        f.write(",\n".join(dumps({**d, "id": n}) for n, d in nodes))
        f.write('\n],\n"edges":[\n')
        f.write(",\n".join(dumps({**d, "source": u, "target": v}) for u, v, d in edges))
        f.write("\n]}\n")


def write_graph(g: nx.Graph, out: Path | str, tables: Iterable[MetricTable] = (),
                formats: Iterable[str] = GRAPH_FORMATS, stem: str = "graph", seed: int = DEFAULT_SEED) -> list[Path]:
    """Write ``g`` with its metrics as GEXF, GraphML and/or node-link JSON into ``out``.

    Returns
    -------
    list of Path
        The files written (``<stem>.gexf``, ``<stem>.graphml``, ``<stem>.json``).
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
                _write_gexf(temp, directed, nodes, edges, gexf_viz(g, nodes, seed))
            elif fmt == "graphml":
                _write_graphml(temp, directed, graph, nodes, edges)
            else:
                _write_json(temp, directed, graph, nodes, edges)
        written.append(path)
    return written
