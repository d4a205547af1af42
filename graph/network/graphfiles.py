"""Graph files, streamed: GEXF 1.2 (what Gephi reads), GraphML and NetworkX node-link JSON.

NetworkX's writers build the whole document in memory first: 45 s and gigabytes for the GEXF of
the 800k-edge H2020 graph, 35 s for its GraphML. These writers stream one node or edge at a time
from the plain ``(node, attributes)`` and ``(source, target, attributes)`` lists that
:func:`graph.network.export.write_graph` prepares (sorted, values limited to strings, integers,
floats and booleans), so the same graph always gives the same bytes. Each attribute gets one
type, the widest its values need (boolean, long, double or string).

Examples
--------
>>> import json, pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "g.json"
>>> write_json(path, False, {"projection": "demo"}, [("a", {"label": "A"}), ("b", {})], [("a", "b", {"shared": 2})])
>>> json.loads(path.read_text())["edges"]
[{'shared': 2, 'source': 'a', 'target': 'b'}]
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

from .layout import OTHER, group_colours, layout, scale_sizes
from .result import DEFAULT_SEED

__all__ = ["write_gexf", "write_graphml", "write_json", "gexf_viz", "WEIGHT_ATTRIBUTES"]


def _today() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    return when.date().isoformat()


# XML 1.0 cannot carry most control characters at all, not even escaped.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# What _xml must change; most values (IRIs, numbers, plain labels) hold none of it.
_XML_SPECIAL = re.compile('[&<>"\n\r\t\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]')


def _xml(value: object) -> str:
    """An attribute value or text, escaped for XML (quotes included)."""
    text = value if type(value) is str else str(value)
    if _XML_SPECIAL.search(text) is None:
        return text
    text = _XML_INVALID.sub("\ufffd", text)
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;"))


def _types(rows: Iterable[dict]) -> dict[str, str]:
    """One XML type per attribute: boolean, long, double or string (the widest its values need)."""
    pairs: set[tuple[str, type]] = set()
    for data in rows:  # (name, type) pairs collected in C: this runs over every edge
        pairs.update(zip(data, map(type, data.values())))
    seen: dict[str, set[type]] = {}
    for k, kind in pairs:
        seen.setdefault(k, set()).add(kind)
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


def _double(value: object) -> str:
    return repr(float(value))


#: How a value of each XML type is written (a ``long`` holds Python ints only: no escaping needed).
_FORMATS = {"boolean": lambda value: "true" if value else "false", "double": _double, "long": str, "string": _xml}


#: Edge attributes that give a tie's weight, first found wins (collaboration ties count shared projects).
WEIGHT_ATTRIBUTES = ("weight", "shared")


def gexf_viz(g: nx.Graph, nodes: list, seed: int = DEFAULT_SEED) -> dict[object, tuple[float, float, float, str]]:
    """Where and how each node is drawn in the GEXF file: as the HTML maps draw it.

    The seeded layout (:func:`graph.network.layout.layout`), colours by community (else kind),
    sizes by degree, so a GEXF opens in Gephi looking like the map.

    Parameters
    ----------
    g : networkx.Graph
    nodes : list of (node, dict)
        The nodes' attributes as written (a ``community`` or ``kind`` to colour by, a
        ``degree`` to size by; else the degree in ``g``).
    seed : int
        Seed of the layout.

    Returns
    -------
    dict
        node -> ``(x, y, size, colour)``, the colour as ``#rrggbb``.

    Examples
    --------
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


def write_gexf(path: Path, directed: bool, nodes: list, edges: list,
               viz: dict[object, tuple[float, float, float, str]] | None = None) -> None:
    """Write GEXF 1.2 (what Gephi reads), one node or edge at a time.

    NetworkX's writer builds the whole XML tree first, which takes 45 s and gigabytes for the
    800k-edge H2020 graph. Each tie carries its ``weight`` (:data:`WEIGHT_ATTRIBUTES`; Gephi
    counts a tie without one as 1) and, with ``viz`` (:func:`gexf_viz`), each node its
    ``viz:position``, ``viz:size`` and ``viz:color``, so the file opens laid out and coloured.

    Parameters
    ----------
    path : Path
        The file to write (replaced).
    directed : bool
        Whether the edges are directed.
    nodes : list of (node, dict)
        Nodes and their plain attributes; ``label`` becomes the node's label.
    edges : list of (node, node, dict)
    viz : dict, optional
        node -> ``(x, y, size, colour)``.

    Examples
    --------
    >>> import networkx as nx, pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "g.gexf"
    >>> write_gexf(path, False, [("a", {"label": "A", "n": 1}), ("b", {"n": 2.5})], [("a", "b", {"shared": 3})])
    >>> g = nx.read_gexf(path)
    >>> g.nodes["a"], g.nodes["b"]["n"], g.edges["a", "b"]["weight"]
    ({'n': 1.0, 'label': 'A'}, 2.5, 3.0)
    """
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

        def attvalues(data: dict, cells: dict) -> str:
            parts = []
            for k, v in data.items():
                cell = cells.get(k)
                if cell is not None:
                    parts += (cell[0], cell[1](v), '" />\n')
            return f"        <attvalues>\n{''.join(parts)}        </attvalues>\n" if parts else ""

        node_cells, edge_cells = ({k: (f'          <attvalue for="{ids[k]}" value="', _FORMATS[t])
                                   for k, t in types.items()}
                                  for types, ids in ((node_types, node_ids), (edge_types, edge_ids)))
        escaped = {n: _xml(n) for n, _ in nodes}

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
            f.write(f'      <node id="{escaped[n]}" label="{_xml(label)}">\n{attvalues(data, node_cells)}'
                    f"{drawn}      </node>\n")
        f.write("    </nodes>\n    <edges>\n")
        for i, (u, v, data) in enumerate(edges):
            weight = _weight(data)
            weighted = f' weight="{weight!r}"' if weight is not None else ""
            f.write(f'      <edge source="{escaped[u] if u in escaped else _xml(u)}" '
                    f'target="{escaped[v] if v in escaped else _xml(v)}" id="{i}"{weighted}>\n'
                    f"{attvalues(data, edge_cells)}      </edge>\n")
        f.write("    </edges>\n  </graph>\n</gexf>\n")


def write_graphml(path: Path, directed: bool, graph: dict, nodes: list, edges: list) -> None:
    """Write GraphML, one node or edge at a time (NetworkX's writer takes 35 s on the H2020 graph).

    Parameters
    ----------
    path : Path
        The file to write (replaced).
    directed : bool
        The ``edgedefault`` of the ``<graph>`` element.
    graph : dict
        ``<data>`` of the ``<graph>`` element, under keys ``g0``, ``g1``...
    nodes : list of (node, dict)
        ``<node>`` elements, their attributes under keys ``n0``, ``n1``...
    edges : list of (node, node, dict)
        ``<edge>`` elements, their attributes under keys ``e0``, ``e1``...

    Examples
    --------
    >>> import networkx as nx, pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "g.graphml"
    >>> write_graphml(path, True, {"projection": "membership"}, [("a", {"kind": "city"}), ("b", {})],
    ...               [("a", "b", {"roles": "member"})])
    >>> g = nx.read_graphml(path)
    >>> g.is_directed(), g.graph["projection"], g.nodes["a"], g.edges["a", "b"]
    (True, 'membership', {'kind': 'city'}, {'roles': 'member'})
    """
    types = {"graph": _types([graph]), "node": _types(d for _, d in nodes), "edge": _types(d for _, _, d in edges)}
    ids = {cls: {k: f"{cls[0]}{i}" for i, k in enumerate(t)} for cls, t in types.items()}

    cells = {cls: {k: (f'<data key="{ids[cls][k]}">', _FORMATS[t]) for k, t in types[cls].items()} for cls in types}

    def data(values: dict, cls: str, indent: str) -> str:
        parts, known = [], cells[cls]
        for k, v in values.items():
            cell = known.get(k)
            if cell is not None:
                parts += (indent, cell[0], cell[1](v), "</data>\n")
        return "".join(parts)

    escaped = {n: _xml(n) for n, _ in nodes}

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
            f.write(f'    <node id="{escaped[n]}">\n{data(values, "node", "      ")}    </node>\n')
        for u, v, values in edges:
            f.write(f'    <edge source="{escaped[u] if u in escaped else _xml(u)}" '
                    f'target="{escaped[v] if v in escaped else _xml(v)}">\n'
                    f'{data(values, "edge", "      ")}    </edge>\n')
        f.write("  </graph>\n</graphml>\n")


def write_json(path: Path, directed: bool, graph: dict, nodes: list, edges: list) -> None:
    """Write NetworkX node-link JSON (``edges="edges"``), one node or edge per line.

    Parameters
    ----------
    path : Path
        Where to write (an existing file is replaced).
    directed : bool
        The ``directed`` member (``multigraph`` is always false).
    graph : dict
        The ``graph`` member.
    nodes : list of (node, dict)
        The ``nodes`` member: each node's attributes and its ``id``, keys sorted.
    edges : list of (node, node, dict)
        The ``edges`` member: each edge's attributes, ``source`` and ``target``, keys sorted.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "g.json"
    >>> write_json(path, False, {}, [("a", {}), ("b", {})], [("a", "b", {"shared": 1})])
    >>> print(path.read_text(), end="")
    {"directed":false,"multigraph":false,"graph":{},
    "nodes":[
    {"id":"a"},
    {"id":"b"}
    ],
    "edges":[
    {"shared":1,"source":"a","target":"b"}
    ]}
    """
    with path.open("w", encoding="utf-8", newline="\n") as f:
        dumps = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
        f.write(f'{{"directed":{dumps(directed)},"multigraph":false,"graph":{dumps(graph)},\n"nodes":[\n')
        f.write(",\n".join(dumps({**d, "id": n}) for n, d in nodes))
        f.write('\n],\n"edges":[\n')
        f.write(",\n".join(dumps({**d, "source": u, "target": v}) for u, v, d in edges))
        f.write("\n]}\n")
