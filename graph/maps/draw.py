"""Interactive network maps: a NetworkX projection to one self-contained, safe HTML page.

The map is a pyvis :class:`~pyvis.network.Network` (nodes, edges, vis-network options) drawn by
vis-network, which pyvis ships. pyvis 0.3.2 itself is not fit to publish, so three of its steps are
replaced here:

- **Building.** ``Network.add_node`` and ``add_edge`` search lists, which makes a map quadratic in
  its size, and ``from_nx`` changes the graph it is given. :func:`to_pyvis` fills the network's
  lists from plain dicts built from the graph, in one pass and without touching the graph.
- **Page.** pyvis's template loads Bootstrap from a CDN in every ``cdn_resources`` mode. It also
  writes the heading and the menu entries raw, and switches a tooltip to ``innerHTML`` when it
  contains ``href``. :func:`render_html` writes its own page instead. vis-network's script and
  style are inlined, so nothing is fetched, and a Content-Security-Policy refuses any request
  anyway. The data is one JSON block in which ``<``, ``>`` and ``&`` are escaped, so no name can
  close the script. Headings, tooltips, the legend, the filter and the search list are built in
  the browser with ``textContent``; links are made only for ``http(s)`` addresses.
- **Layout.** Positions are computed in Python with a seed (:mod:`graph.network.layout`). Above
  :data:`~graph.network.layout.PHYSICS_LIMIT` nodes, physics is off.

Examples
--------
>>> import networkx as nx
>>> g = nx.Graph([("a", "b", {"shared": 2})])
>>> g.nodes["a"]["label"] = "<img src=x onerror=alert(1)>"
>>> page = render_html(network_map(g, title="Ties & <friends>"))
>>> "<img src=x" in page, "\\\\u003cimg src=x" in page, "<title>Ties &amp; &lt;friends&gt;</title>" in page
(False, True, True)
>>> g.nodes["a"]["label"]  # the caller's graph is left alone
'<img src=x onerror=alert(1)>'
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import networkx as nx
from pyvis.network import Network

from ingest.files import replacing

from ..network.result import DEFAULT_SEED
from ..network.layout import OTHER, PALETTE, PHYSICS_LIMIT, group_colours, layout
from ..network.layout import scale_sizes as _scale

__all__ = ["MapSpec", "network_map", "to_pyvis", "render_html", "write_map", "PALETTE", "FACTS"]

#: Node attributes shown in tooltips, in this order, when present.
FACTS = ("kind", "city", "country", "orgtype", "collaborations", "degree", "strength", "betweenness", "eigenvector",
         "closeness", "constraint", "community", "core_number", "brokerage_total")


@dataclass
class MapSpec:
    """Everything a page needs: title, nodes and edges as plain dicts, legend and options."""

    title: str
    subtitle: str
    nodes: list[dict]
    edges: list[dict]
    legend: list[tuple[str, str, int]]
    color_by: str
    size_by: str | None
    physics: bool
    directed: bool = False
    notes: list[str] = field(default_factory=list)
    #: Node ids the view opens fitted to (the largest connected part); empty: all nodes.
    focus: list[int] = field(default_factory=list)
    #: ``(text, relative address)`` links under the title, e.g. to the full network.
    links: list[tuple[str, str]] = field(default_factory=list)


_VOWELS = set("AEIOUYÄÖÜÉÈÀÁÍÓÚ")
#: Joining words of the languages CORDIS names are written in: lower case inside a name.
_JOINING = {"of", "the", "and", "for", "in", "on", "at", "de", "da", "do", "di", "del", "della", "der", "des",
            "du", "la", "le", "les", "el", "y", "e", "i", "et", "und", "fur", "für", "zur", "zum", "van", "von",
            "den", "het", "en", "per", "al", "dei", "degli"}


def readable_name(name: str) -> str:
    """A name written in capitals (as CORDIS writes many) in title case; acronyms stay.

    Small joining words (``of``, ``de``, ``für``...) are lower case; other words of three letters
    or fewer, and words without a vowel, are kept as acronyms.

    >>> readable_name("DEMOCRACY REPORTING INTERNATIONAL GGMBH"), readable_name("UNIVERSITAET WIEN")
    ('Democracy Reporting International GGMBH', 'Universitaet Wien')
    >>> readable_name("EU CITIES NETWORK ASBL"), readable_name("Eurocities"), readable_name("KU LEUVEN")
    ('EU Cities Network Asbl', 'Eurocities', 'KU Leuven')
    >>> readable_name("THE UNIVERSITY OF EDINBURGH"), readable_name("ZENTRUM FUR SOZIALE INNOVATION GMBH")
    ('The University of Edinburgh', 'Zentrum fur Soziale Innovation GMBH')
    """
    letters = [c for c in name if c.isalpha()]
    if len(letters) < 6 or not all(c.isupper() for c in letters):
        return name
    words = []
    for i, word in enumerate(name.split(" ")):
        core = "".join(c for c in word if c.isalpha())
        if core.lower() in _JOINING:
            words.append(word.lower() if i else word[:1] + word[1:].lower())
            continue
        keep = len(core) <= 3 or not (set(core) & _VOWELS)
        words.append(word if keep else word[:1] + word[1:].lower())
    return " ".join(words)


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _fact(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def network_map(g: nx.Graph, *, title: str = "Network map", subtitle: str = "", color_by: str = "kind",
                size_by: str | None = "degree", weight: str | None = "shared", top_labels: int = 30,
                seed: int = DEFAULT_SEED, physics: bool | None = None) -> MapSpec:
    """Describe a map of ``g``: positions, colours, sizes, labels, tooltips and legend.

    Parameters
    ----------
    g : networkx.Graph
        Nodes may carry ``label``, ``kind``, ``country``, ``orgtype`` and metric values (as
        :func:`graph.network.analyse.analyse` leaves them after ``apply_metrics``); nodes whose
        id is an ``http(s)`` IRI get a link to it.
    color_by : str
        Node attribute whose values colour the nodes (``kind``, ``community``, ``country``...);
        the 11 most frequent values get their own colour, the rest are "other".
    size_by : str or None
        Numeric node attribute for the node size (the node's degree when missing).
    weight : str or None
        Numeric edge attribute for the edge width.
    top_labels : int
        How many nodes (the largest by ``size_by``) show their label; the others show it on hover.
    seed : int
        Layout seed.
    physics : bool, optional
        Default: on up to :data:`~graph.network.layout.PHYSICS_LIMIT` nodes.

    Returns
    -------
    MapSpec
    """
    nodes = sorted(g, key=str)
    index = {n: i for i, n in enumerate(nodes)}
    data = {n: dict(g.nodes[n]) for n in nodes}  # copies: the caller's graph is never changed
    degree = dict(g.degree())
    sizes_raw = [(_number(data[n].get(size_by)) if size_by else None) for n in nodes]
    sizes_raw = [s if s is not None else float(degree[n]) for s, n in zip(sizes_raw, nodes)]
    sizes = _scale(sizes_raw, 6.0, 40.0)
    groups = [str(data[n].get(color_by, "(none)")) for n in nodes]
    names = [readable_name(str(data[n].get("label", n))) for n in nodes]
    if color_by == "community":
        # "3" says nothing; a community is named after its two best-known members.
        best: dict[str, list[int]] = {}
        for i in sorted(range(len(nodes)), key=lambda i: (-sizes_raw[i], names[i])):
            best.setdefault(groups[i], []).append(i)
        named = {group: ", ".join(names[i] for i in members[:2]) + (" ..." if len(members) > 2 else "")
                 for group, members in best.items()}
        groups = [named[group] for group in groups]
    colours, legend = group_colours(groups)
    labelled = set(sorted(range(len(nodes)), key=lambda i: (-sizes_raw[i], str(nodes[i])))[:top_labels])
    positions = layout(g, seed=seed)
    out_nodes = []
    for i, n in enumerate(nodes):
        name = names[i]
        x, y = positions.get(n, (0.0, 0.0))
        facts = [[k, _fact(data[n][k])] for k in FACTS if k in data[n] and data[n][k] is not None and k != color_by]
        facts.insert(0, [color_by, groups[i]])
        node = {"id": i, "name": name, "label": name if i in labelled else "", "x": x, "y": y, "size": sizes[i],
                "color": colours.get(groups[i], OTHER), "group": groups[i] if groups[i] in colours else "other",
                "facts": facts}
        if data[n].get("pic_only") is True:
            # Known only by its EU participant code: drawn as a hollow, dashed square and said so.
            node["picOnly"] = True
            facts.insert(1, ["name", "not given by any source (known only by its PIC)"])
        if str(n).startswith(("http://", "https://")):
            node["href"] = str(n)
        links = [[str(text), str(url)] for text, url in data[n].get("links", ())
                 if str(url).startswith(("http://", "https://"))]
        if links:
            node["links"] = links
        out_nodes.append(node)
    edge_weights = [(_number(d.get(weight)) if weight else None) for _, _, d in g.edges(data=True)]
    widths = _scale([w if w is not None else 1.0 for w in edge_weights], 0.5, 6.0)
    out_edges = sorted(({"from": index[u], "to": index[v], "width": w} for (u, v), w in zip(g.edges(), widths)),
                       key=lambda e: (e["from"], e["to"]))
    physics = len(nodes) <= PHYSICS_LIMIT if physics is None else physics
    notes = [f"{len(nodes)} nodes, {len(out_edges)} ties; colour: {color_by}; size: {size_by or 'degree'}",
             f"layout seed {seed}; physics {'on' if physics else 'off'}"]
    # The view opens fitted to the largest connected part, so one stray node cannot shrink the
    # picture into a corner; the rest stays one zoom or drag away.
    undirected = g.to_undirected(as_view=True) if g.is_directed() else g
    main = max(nx.connected_components(undirected), key=len, default=set())
    focus = sorted(index[n] for n in main) if len(main) < len(nodes) and len(main) > 1 else []
    pic_only = sum(1 for node in out_nodes if node.get("picOnly"))
    if pic_only:
        notes.append(f"hollow dashed squares: {pic_only} organisations known only by their PIC, which no source names")
    return MapSpec(title, subtitle, out_nodes, out_edges, legend, color_by, size_by, physics, g.is_directed(), notes,
                   focus)


def to_pyvis(spec: MapSpec) -> Network:
    """The map as a pyvis network, filled in one pass (pyvis's ``add_node`` is linear per call)."""
    net = Network(directed=spec.directed, heading=spec.title, cdn_resources="in_line")
    net.nodes = [dict(n) for n in spec.nodes]
    net.node_ids = [n["id"] for n in spec.nodes]
    net.node_map = {n["id"]: n for n in net.nodes}
    net.edges = [dict(e) for e in spec.edges]
    net.toggle_physics(spec.physics)
    return net


def _asset(name: str) -> str:
    return resources.files("pyvis").joinpath("lib", "vis-9.1.2", name).read_text(encoding="utf-8")


def _script_json(value: object) -> str:
    """JSON that can sit inside ``<script>``: no ``<``, ``>`` or ``&`` survives unescaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _label_size(spec: MapSpec) -> int:
    """Label font size in canvas units: 14 on a map of up to 100 nodes, more on larger ones."""
    xs = [n["x"] for n in spec.nodes] or [0.0]
    ys = [n["y"] for n in spec.nodes] or [0.0]
    extent = max(max(xs) - min(xs), max(ys) - min(ys), 1.0)
    return int(max(14, round(14 * extent / 1000)))


def render_html(spec: MapSpec, net: Network | None = None) -> str:
    """One self-contained HTML page for the map (works from ``file://``, fetches nothing)."""
    net = net or to_pyvis(spec)
    options = {
        "physics": {"enabled": spec.physics, "stabilization": {"iterations": 200}},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": len(net.nodes) > 2000},
        # Labels grow with the layout's extent (it widens with the square root of the node
        # count), so the top names stay readable when the whole map is in view.
        "nodes": {"shape": "dot", "font": {"size": _label_size(spec), "strokeWidth": 3, "strokeColor": "#ffffff"}},
        "edges": {"color": {"color": "#9aa5b1", "opacity": 0.6}, "smooth": False,
                  "arrows": {"to": {"enabled": spec.directed, "scaleFactor": 0.5}}},
        "layout": {"improvedLayout": False},
    }
    payload = {"title": spec.title, "subtitle": spec.subtitle, "nodes": net.nodes, "edges": net.edges,
               "legend": spec.legend, "colorBy": spec.color_by, "notes": spec.notes, "options": options,
               "focus": spec.focus, "links": spec.links}
    vis_js = _asset("vis-network.min.js").replace("</script", "<\\/script")
    return _TEMPLATE.format(title=html.escape(spec.title), css=_asset("vis-network.css"), vis_js=vis_js,
                            data=_script_json(payload), script=_SCRIPT)


def write_map(g: nx.Graph, path: Path | str, **options: object) -> Path:
    """Build the map of ``g`` (see :func:`network_map` for the options) and write it to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as temp:
        temp.write_text(render_html(network_map(g, **options)), encoding="utf-8")
    return path


_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'none'">
<title>{title}</title>
<style>{css}</style>
<style>
body {{ font-family: system-ui, sans-serif; margin: 0; color: #1d2733; }}
header {{ padding: .6rem 1rem; border-bottom: 1px solid #d0d7de; }}
h1 {{ font-size: 1.25rem; margin: 0; }}
#subtitle, #notes {{ margin: .2rem 0 0; color: #57606a; font-size: .9rem; }}
#controls {{ display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; padding: .5rem 1rem; }}
#map {{ display: flex; }}
#network {{ flex: 1; height: 78vh; border-top: 1px solid #d0d7de; }}
#legend {{ width: 15rem; padding: .5rem 1rem; font-size: .85rem; overflow-y: auto; max-height: 78vh; }}
#legend label {{ display: block; margin: .15rem 0; }}
.swatch {{ display: inline-block; width: .8rem; height: .8rem; border-radius: 50%; margin-right: .4rem; vertical-align: middle; }}
.tip {{ max-width: 22rem; font-size: .85rem; }}
.tip b {{ display: block; margin-bottom: .2rem; }}
.tip dt {{ float: left; clear: left; color: #57606a; margin-right: .4rem; }}
#status {{ color: #57606a; font-size: .85rem; }}
</style>
</head>
<body>
<header><h1 id="title"></h1><p id="subtitle"></p><p id="notes"></p><p id="links"></p></header>
<div id="controls">
  <label>Find: <input id="search" list="names" autocomplete="off" placeholder="name"></label>
  <datalist id="names"></datalist>
  <span id="status" role="status"></span>
</div>
<div id="map"><div id="network"></div><div id="legend"><strong id="legend-title"></strong></div></div>
<script>{vis_js}</script>
<script id="map-data" type="application/json">{data}</script>
<script>{script}</script>
</body>
</html>
"""

# Everything from the data is put in the page with textContent, never as HTML.
_SCRIPT = """
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("map-data").textContent);
  const text = (id, value) => { document.getElementById(id).textContent = value; };
  text("title", data.title);
  text("subtitle", data.subtitle);
  text("notes", data.notes.join(" \\u00b7 "));
  for (const [label, href] of data.links || []) {
    // relative addresses only: a map links its sibling pages, nothing elsewhere
    if (typeof href !== "string" || /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("//")) { continue; }
    const link = document.createElement("a");
    link.href = href; link.textContent = label;
    document.getElementById("links").appendChild(link);
  }
  text("legend-title", "Colour: " + data.colorBy);
  const capped = data.subtitle.match(/the ([\\d,]+) largest of ([\\d,]+) nodes/);
  if (capped) {  // the cap is said where the colours are read, not only in the subtitle
    const cap = document.createElement("p");
    cap.id = "legend-cap";
    cap.textContent = "Showing " + capped[1] + " of " + capped[2] + " nodes (the largest).";
    document.getElementById("legend").appendChild(cap);
  }
  function tooltip(node) {
    const box = document.createElement("div");
    box.className = "tip";
    const name = document.createElement("b");
    name.textContent = node.name;
    box.appendChild(name);
    const list = document.createElement("dl");
    for (const [key, value] of node.facts) {
      const dt = document.createElement("dt"); dt.textContent = key;
      const dd = document.createElement("dd"); dd.textContent = value;
      list.appendChild(dt); list.appendChild(dd);
    }
    box.appendChild(list);
    const links = (node.links || []).concat(node.href ? [["identifier", node.href]] : []);
    for (const [label, url] of links) {
      if (typeof url !== "string" || !/^https?:\\/\\//.test(url)) { continue; }
      const line = document.createElement("div");
      const link = document.createElement("a");
      link.href = url; link.textContent = label; link.title = url; link.rel = "noopener noreferrer";
      line.appendChild(link);
      box.appendChild(line);
    }
    return box;
  }
  const nodes = new vis.DataSet(data.nodes.map((n) => ({
    id: n.id, label: n.label, x: n.x, y: n.y, size: n.size, group: undefined,
    color: n.picOnly ? {background: "#ffffff", border: n.color} : {background: n.color, border: n.color},
    shape: n.picOnly ? "square" : "dot", borderWidth: n.picOnly ? 2 : 1,
    shapeProperties: n.picOnly ? {borderDashes: [3, 3]} : {},
    title: tooltip(n), legendGroup: n.group, name: n.name})));
  const edges = new vis.DataSet(data.edges.map((e, i) => ({id: i, from: e.from, to: e.to, width: e.width})));
  const hidden = new Set();
  const view = new vis.DataView(nodes, {filter: (n) => !hidden.has(n.legendGroup)});
  const container = document.getElementById("network");
  const network = new vis.Network(container, {nodes: view, edges: edges}, data.options);
  const legend = document.getElementById("legend");
  for (const [group, colour, count] of data.legend) {
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox"; box.checked = true; box.dataset.group = group;
    box.addEventListener("change", () => {
      if (box.checked) { hidden.delete(group); } else { hidden.add(group); }
      view.refresh();
    });
    const swatch = document.createElement("span");
    swatch.className = "swatch"; swatch.style.background = colour;
    label.appendChild(box); label.appendChild(swatch);
    label.appendChild(document.createTextNode(group + " (" + count + ")"));
    legend.appendChild(label);
  }
  const names = document.getElementById("names");
  const byName = new Map();
  for (const n of data.nodes) {
    if (!byName.has(n.name)) { byName.set(n.name, n.id); }
    const option = document.createElement("option");
    option.value = n.name;
    names.appendChild(option);
  }
  let found = null, found_restore = null;
  function find(value) {
    const wanted = value.trim().toLowerCase();
    if (!wanted) { return null; }
    let id = byName.has(value) ? byName.get(value) : null;
    if (id === null) {
      const hit = data.nodes.find((n) => n.name.toLowerCase().includes(wanted));
      id = hit ? hit.id : null;
    }
    if (id === null) { text("status", "not found"); return null; }
    const node = nodes.get(id);
    if (hidden.has(node.legendGroup)) { hidden.delete(node.legendGroup); view.refresh(); }
    // The found node is marked so it cannot be missed: a thick red ring and its name in bold.
    if (found !== null && found !== id) { nodes.update(found_restore); }
    found_restore = {id: id, borderWidth: node.borderWidth, color: node.color, font: node.font || {},
                     label: node.label};
    nodes.update({id: id, borderWidth: 8, label: node.name,
                  color: {background: node.color.background, border: "#d1242f"},
                  font: {bold: true, size: data.options.nodes.font.size * 1.4, color: "#d1242f"}});
    found = id;
    network.selectNodes([id]);
    network.focus(id, {scale: 1.5, animation: false});
    text("status", node.name);
    return id;
  }
  const search = document.getElementById("search");
  search.addEventListener("change", () => find(search.value));
  search.addEventListener("keydown", (event) => { if (event.key === "Enter") { find(search.value); } });
  window.dkgMap = {network: network, nodes: nodes, edges: edges, view: view, find: find, ready: false};
  // Interactive once the first frame is drawn (physics, where on, keeps refining afterwards).
  const ready = () => { window.dkgMap.ready = true; document.body.dataset.ready = "true"; };
  // Open fitted to the largest connected part (a stray node would leave it small in a corner),
  // and fit again when physics (on for small maps) has settled the nodes.
  // (maxZoomLevel: a small network may be zoomed in to fill the frame; vis-network stops at 1.)
  const fit = () => {
    const options = {animation: false, maxZoomLevel: 8};
    if (data.focus.length) { options.nodes = data.focus; }
    network.fit(options);
    document.body.dataset.fitted = "true";
  };
  if (data.options.physics.enabled) {
    // Physics settles the start layout, then stops: a picture that keeps drifting never stays fitted.
    // (and the fit waits for the next frame, when the canvas has its final size)
    network.once("stabilizationIterationsDone", () => {
      network.setOptions({physics: false});
      network.once("afterDrawing", fit);
      network.redraw();
    });
  } else {
    network.once("afterDrawing", fit);
  }
  network.once("afterDrawing", ready);
  if (data.nodes.length === 0) { ready(); }
})();
"""
