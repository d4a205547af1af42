"""Interactive network maps: a NetworkX projection to one self-contained, safe HTML page.

The map is a pyvis :class:`~pyvis.network.Network` (nodes, edges, vis-network options) drawn by
vis-network, which pyvis ships. pyvis 0.3.2 itself is not fit to publish, so three of its steps are
replaced here:

- **Building.** ``Network.add_node`` and ``add_edge`` search lists, which makes a map quadratic in
  its size, and ``from_nx`` changes the graph it is given. :func:`to_pyvis` fills the network's
  lists from plain dicts built from the graph, in one pass and without touching the graph.
- **Page.** pyvis's template loads Bootstrap from a CDN in every ``cdn_resources`` mode. It also
  writes the heading and the menu entries raw, and switches a tooltip to ``innerHTML`` when it
  contains ``href``. :func:`render_html` writes its own page instead, the template
  ``graph/templates/maps/map.html`` with its script ``map.js`` (:mod:`graph.pages`).
  vis-network's script and style are inlined, so nothing is fetched, and a
  Content-Security-Policy refuses any request anyway. The data is one JSON block in which ``<``, ``>`` and ``&`` are escaped, so no name can
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

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import networkx as nx
from markupsafe import Markup
from pyvis.network import Network

from ingest.files import replacing

from ..network.result import DEFAULT_SEED
from ..network.layout import OTHER, PALETTE, PHYSICS_LIMIT, group_colours, layout
from ..network.layout import scale_sizes as _scale
from ..pages import render

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


def _community_names(groups: list[str], names: list[str], sizes: list[float]) -> list[str]:
    """Each node's community named after its two best-known (largest) members: "3" says nothing."""
    best: dict[str, list[int]] = {}
    for i in sorted(range(len(groups)), key=lambda i: (-sizes[i], names[i])):
        best.setdefault(groups[i], []).append(i)
    named = {group: ", ".join(names[i] for i in members[:2]) + (" ..." if len(members) > 2 else "")
             for group, members in best.items()}
    return [named[group] for group in groups]


def _links(node: object, attrs: dict) -> dict:
    """A node's ``href`` (its id, when an http(s) IRI) and ``links`` (the http(s) ones), where it has any."""
    out: dict = {}
    if str(node).startswith(("http://", "https://")):
        out["href"] = str(node)
    links = [[str(text), str(url)] for text, url in attrs.get("links", ())
             if str(url).startswith(("http://", "https://"))]
    if links:
        out["links"] = links
    return out


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
        groups = _community_names(groups, names, sizes_raw)
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
        node.update(_links(n, data[n]))
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
    """One self-contained HTML page for the map (works from ``file://``, fetches nothing).

    Parameters
    ----------
    spec : MapSpec
        The map, as :func:`network_map` describes it.
    net : pyvis.network.Network, optional
        The network to draw (default: :func:`to_pyvis` of ``spec``).

    Returns
    -------
    str
        The page: the template ``maps/map.html`` with vis-network, ``map.js`` and the map's data
        (one JSON block in which ``<``, ``>`` and ``&`` are escaped) inline.

    Examples
    --------
    >>> page = render_html(network_map(nx.Graph([("a", "</script>")])))
    >>> page.count("</script>"), "\\u003c/script\\u003e" in page  # three scripts, none closed by a name
    (3, True)
    """
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
    return render("maps/map.html", title=spec.title, css=Markup(_asset("vis-network.css")), vis_js=Markup(vis_js),
                  data=Markup(_script_json(payload)))


def write_map(g: nx.Graph, path: Path | str, **options: object) -> Path:
    """Build the map of ``g`` (see :func:`network_map` for the options) and write it to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as temp:
        temp.write_text(render_html(network_map(g, **options)), encoding="utf-8")
    return path
