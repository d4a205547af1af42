"""From the knowledge graph to a map file: project, measure, optionally cut an ego network, draw.

:func:`make_map` is what ``dkg map`` calls. It uses the projections and filters of
:mod:`graph.network` (collaboration ties, the membership network of networks, the
case–method–organisation network...), computes the metrics the map shows (degree, betweenness,
communities) on the whole projection, then cuts the ego network of one organisation if asked,
so an ego map still shows each node's place in the whole network.

Examples
--------
>>> import networkx as nx
>>> g = nx.path_graph(["a", "b", "c", "d"])
>>> sorted(ego_network(g, "b", radius=1))
['a', 'b', 'c']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import networkx as nx

from ingest.files import replacing

from ..network.analyse import Analysis, analyse, project
from ..network.view import graph_with_metrics, node_view
from ..network.extract import KnowledgeTables, extract, key
from ..network.kept_tables import release_tables
from ..network.readback import read_kept, read_metrics
from ..network.result import DEFAULT_SEED
from ..network.select import FilterError, TieFilter
from ..store import StoreNotFound, open_store, release_of
from .draw import network_map, render_html

__all__ = ["make_map", "map_analysis", "ego_network", "find_node", "largest_nodes", "MAX_NODES"]

#: Largest map drawn whole: vis-network stays responsive to about this size.
MAX_NODES = 2000
#: Metrics computed for every map (colour and size choices draw on them).
MAP_METRICS = ("degree", "betweenness", "communities")


def find_node(g: nx.Graph, value: str) -> object:
    """The node named by ``value``: its IRI, ``kind/key``, key, or exact label (case-insensitive)."""
    if value in g:
        return value
    wanted = value.strip().lower()
    by_key = [n for n in g if str(n).endswith("/" + value.strip("/")) or key(str(n)) == value]
    if len(by_key) == 1:
        return by_key[0]
    by_label = sorted((n for n in g if str(g.nodes[n].get("label", "")).lower() == wanted), key=str)
    if len(by_label) == 1:
        return by_label[0]
    candidates = by_key or by_label
    if candidates:
        raise FilterError(f"{value!r} names {len(candidates)} nodes: {', '.join(map(str, candidates[:5]))}; "
                          "give the full IRI")
    near = sorted((str(g.nodes[n].get("label", n)) for n in g if wanted in str(g.nodes[n].get("label", "")).lower()))
    raise FilterError(f"no node {value!r} in this network" + (f"; did you mean: {', '.join(near[:5])}" if near else ""))


def ego_network(g: nx.Graph, centre: object, radius: int = 1) -> nx.Graph:
    """The nodes within ``radius`` ties of ``centre`` (a copy, with their attributes)."""
    undirected = g.to_undirected(as_view=True) if g.is_directed() else g
    nodes = nx.single_source_shortest_path_length(undirected, centre, cutoff=radius)
    return induced_copy(g, nodes)


def induced_copy(g: nx.Graph, nodes) -> nx.Graph:  # noqa: ANN001
    """The subgraph of ``g`` on ``nodes``, as a copy whose nodes and ties keep ``g``'s order.

    ``g.subgraph(nodes).copy()`` iterates the node *set* it was given, so its order (and a map
    drawn from it) followed string hashing, which differs between runs.

    >>> import networkx as nx
    >>> list(induced_copy(nx.path_graph(["c", "a", "b", "d"]), {"d", "a", "c"}))
    ['c', 'a', 'd']
    """
    keep = set(nodes)
    h = g.__class__()
    h.graph.update(g.graph)
    h.add_nodes_from((n, dict(d)) for n, d in g.nodes(data=True) if n in keep)
    if g.is_multigraph():
        h.add_edges_from((u, v, k, dict(d)) for u, v, k, d in g.edges(keys=True, data=True) if u in keep and v in keep)
    else:
        h.add_edges_from((u, v, dict(d)) for u, v, d in g.edges(data=True) if u in keep and v in keep)
    return h


def add_map_facts(g: nx.Graph, tables: KnowledgeTables) -> None:
    """Give each node of ``g`` (a copy made for the map) its city's name and ``links``: its own web
    page, then its source documents."""
    cities = tables.entities["city"].dropna().to_dict()
    for n in g:
        if n in cities:
            g.nodes[n]["city"] = tables.label(cities[n])
    urls = tables.entities["url"].dropna().to_dict()
    sources = tables.links.loc[tables.links["relation"] == "dcterms:source"]
    by_node: dict[object, list[str]] = {}
    for child, parent in zip(sources["child"].tolist(), sources["parent"].tolist()):
        if child in g:
            by_node.setdefault(child, []).append(parent)
    for n in g:
        links = [("web page", urls[n])] if n in urls else []
        for source in sorted(set(by_node.get(n, ()))):
            if source in urls:
                links.append((f"source: {tables.label(source)}", urls[source]))
        if links:
            g.nodes[n]["links"] = links


def largest_nodes(g: nx.Graph, count: int, metric: str) -> nx.Graph:
    """The ``count`` nodes with the highest ``metric`` (then degree, then id) and the ties among them.

    Examples
    --------
    >>> import networkx as nx
    >>> sorted(largest_nodes(nx.star_graph(5), 2, "missing"))
    [0, 1]
    """
    return induced_copy(g, _largest(g.nodes(data=True), g.degree, count, metric))


def _largest(nodes: Iterable[tuple[object, dict]], degree: Callable[[object], int], count: int,
             metric: str) -> list:
    """The ``count`` nodes with the highest ``metric`` attribute, then degree, then id."""
    def rank(item: tuple[object, dict]) -> tuple:
        n, data = item
        value = data.get(metric)
        value = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else float("-inf")
        return (-value, -degree(n), str(n))

    return [n for n, _ in sorted(nodes, key=rank)[:count]]


def core_backbone(g: nx.Graph, target: int) -> tuple[nx.Graph, int]:
    """The densest k-core with at most ``target`` nodes, and its ``k``: the network's backbone.

    Every node of a k-core has at least ``k`` ties to other nodes of it, so the backbone keeps the
    organisations that collaborate most among themselves and drops the long tail of one-off
    partners. ``g`` itself is returned (``k`` 0) when it has ``target`` nodes or fewer.

    >>> import networkx as nx
    >>> g = nx.complete_graph(5)
    >>> g.add_edges_from([(0, 10), (1, 11), (11, 12)])
    >>> backbone, k = core_backbone(g, 5)
    >>> sorted(backbone), k
    ([0, 1, 2, 3, 4], 4)
    """
    if g.number_of_nodes() <= target:
        return g, 0
    simple = nx.Graph(g.to_undirected(as_view=True) if g.is_directed() else g)
    simple.remove_edges_from(nx.selfloop_edges(simple))
    core = nx.core_number(simple)
    for k in sorted(set(core.values())):
        kept = [n for n in g if core[n] >= k]
        if len(kept) <= target:
            return induced_copy(g, kept), k
    return g, 0


def map_analysis(store: object, tables: KnowledgeTables, projection: str, tie_filter: TieFilter | None,
                 seed: int = DEFAULT_SEED, *, recompute: bool = False) -> Analysis:
    """The measured projection a map draws: read back, or measured now.

    When ``dkg analyse --write-back`` measured this projection with this filter and seed, its
    degree, betweenness and communities are in the release's analysis graph and are read from
    there (:func:`graph.network.readback.read_metrics`); when ``dkg analyse`` measured it
    without writing back, they are read from what it kept beside the build for this release
    (:func:`graph.network.readback.read_kept`). Only the projection itself, cheap, is rebuilt
    from ``tables``. Otherwise, or with ``recompute``, they are measured now.

    Parameters
    ----------
    store : path, pyoxigraph.Store or endpoint
        The release the tables came from.
    tables : KnowledgeTables
        Its extracted tables.
    projection : str
        The projection to draw.
    tie_filter : TieFilter, optional
        The map's filter.
    seed : int
        The community seed.
    recompute : bool, default False
        Measure even when a written analysis matches.

    Returns
    -------
    graph.network.analyse.Analysis
        With at least :data:`MAP_METRICS`; each table's ``method`` says whether it was read.
    """
    flt = tie_filter or TieFilter()
    opened = None
    if not recompute and store is not None:
        try:
            opened = open_store(store) if isinstance(store, (str, Path)) else store
        except StoreNotFound:  # tables given without their store (the site's maps): nothing to read
            opened = None
    if opened is not None:
        found = read_metrics(opened, projection, flt.describe(), seed)
        if found is None and isinstance(store, (str, Path)) and (release := release_of(store)) is not None:
            found = read_kept(release, projection, flt.describe(), seed)
        if found is not None:
            g, selection = project(tables, projection, flt)
            run, metric_tables = found
            return Analysis(projection, g, metric_tables, flt, selection, run=run)
    return analyse(store, projection, tie_filter, list(MAP_METRICS), tables=tables, seed=seed)


def make_map(store: object = "build", out: Path | str = "maps/collaboration.html", *,
             projection: str = "collaboration", tie_filter: TieFilter | None = None,
             tables: KnowledgeTables | None = None, ego: str | None = None, radius: int = 1,
             color_by: str = "community", size_by: str = "betweenness", top_labels: int = 30,
             seed: int = DEFAULT_SEED, title: str | None = None,
             figures: tuple[str, ...] = (), max_nodes: int | None = MAX_NODES,
             analysis: Analysis | None = None, backbone: int | None = None,
             links: tuple[tuple[str, str], ...] = (), recompute: bool = False) -> tuple[Path, nx.Graph]:
    """Write the map of one projection (or one ego network in it) to ``out``; return it and the graph drawn.

    ``analysis``: the projection already analysed (with at least :data:`MAP_METRICS`), for callers
    that draw several maps of one analysis; it must have been made from ``tables`` with the same
    projection and filter. Without it the map reads what ``dkg analyse --write-back`` wrote for
    this projection, filter and seed, and measures only when nothing matches or ``recompute``
    (:func:`map_analysis`).

    ``figures`` (``"png"``, ``"svg"``) also writes the same map as figures beside the page.
    ``max_nodes`` keeps the map readable: a larger network is drawn as its ``max_nodes`` largest
    nodes by ``size_by`` (then degree) and the ties among them, and the subtitle says so.
    ``backbone`` draws a larger network as its densest k-core of at most that many nodes
    (:func:`core_backbone`) instead. ``links`` are ``(text, relative address)`` pairs shown
    under the title (the site links a backbone map to the full network this way).
    """
    if tables is None and isinstance(store, (str, Path)) and (release := release_of(store)) is not None:
        store = release.path  # one release read throughout, whatever a build publishes
        tables = release_tables(release)
    tables = tables if tables is not None else extract(store)
    if analysis is None:
        analysis = map_analysis(store, tables, projection, tie_filter, seed, recompute=recompute)
    elif analysis.projection != projection:
        raise ValueError(f"the analysis given is of the {analysis.projection} projection, not {projection}")
    described = (tie_filter or TieFilter()).describe()
    whole = analysis.graph
    size = whole.number_of_nodes()
    if not ego and max_nodes is not None and max_nodes < size <= (size if backbone is None else backbone) \
            and not whole.is_multigraph():
        # Only what is drawn is copied: the largest nodes are ranked on their attributes (the
        # same ranking as largest_nodes), then the copy holds them and the ties among them. It is
        # the graph the general path below draws, order included (tests/test_maps.py).
        kept = _largest(node_view(whole, analysis.tables)[1], whole.degree, max_nodes, size_by)
        g = induced_copy(graph_with_metrics(whole, analysis.tables, nodes=kept), kept)
        add_map_facts(g, tables)
        subtitle = "democracy-kg" + (f" · {described}" if described else "")
        subtitle += f" · the {max_nodes:,} largest of {size:,} nodes by {size_by}"
        return _draw(g, out, projection, title or f"{projection.capitalize()} network", subtitle, color_by, size_by,
                     top_labels, seed, figures, links), g
    g = graph_with_metrics(whole, analysis.tables)
    add_map_facts(g, tables)
    heading = title or f"{projection.capitalize()} network"
    if ego:
        centre = find_node(g, ego)
        g = ego_network(g, centre, radius)
        heading = title or f"{g.nodes[centre].get('label', centre)}: {projection} ties within {radius}"
    subtitle = "democracy-kg" + (f" · {described}" if described else "")
    if backbone is not None and not ego and g.number_of_nodes() > backbone:
        total = g.number_of_nodes()
        g, k = core_backbone(g, backbone)
        if k:
            subtitle += (f" · the backbone: {g.number_of_nodes():,} of {total:,} nodes, each with at least {k} "
                         "ties among them (the k-core)")
    if max_nodes is not None and g.number_of_nodes() > max_nodes:
        total = g.number_of_nodes()
        g = largest_nodes(g, max_nodes, size_by)
        subtitle += f" · the {max_nodes:,} largest of {total:,} nodes by {size_by}"
    return _draw(g, out, projection, heading, subtitle, color_by, size_by, top_labels, seed, figures, links), g


def _draw(g: nx.Graph, out: Path | str, projection: str, heading: str, subtitle: str, color_by: str, size_by: str,
          top_labels: int, seed: int, figures: tuple[str, ...], links: tuple[tuple[str, str], ...]) -> Path:
    spec = network_map(g, title=heading, subtitle=subtitle, color_by=color_by, size_by=size_by,
                       top_labels=top_labels, seed=seed,
                       weight="shared" if projection in ("collaboration", "actors", "country") else None)
    spec.links = [(str(text), str(href)) for text, href in links]
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as temp:
        temp.write_text(render_html(spec), encoding="utf-8")
    if figures:
        from .figure import write_figures

        write_figures(spec, path.with_suffix(""), figures)
    return path
