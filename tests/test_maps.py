"""Maps: deterministic, self-contained, escaped; opened in a real browser (Debian's chromium via Playwright).

The browser tests open every map from ``file://`` in a fresh profile with background networking
off, and check that it renders with the expected counts, logs no error, makes no request beyond
its own file, finds and focuses a node from the search box, and shows hostile names (an
organisation, a city, a method) as text without running them: a dialog listener and a sentinel
global the payloads would set both stay silent.
"""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pytest

from graph.maps.draw import network_map, render_html, write_map
from graph.network.layout import PHYSICS_LIMIT, layout
from graph.maps.make import ego_network, find_node, make_map
from graph.network.select import FilterError

ID = "https://w3id.org/democracy-kg/id/"
PAYLOAD = '<img src=x onerror="window.__pwned=1;alert(1)">'
SCRIPT_PAYLOAD = "</script><script>window.__pwned=1;alert(2)</script>"


def hostile_graph() -> nx.Graph:
    """Organisations, a city and a method, each with a name that tries to run script."""
    g = nx.Graph()
    g.add_node(f"{ID}organisation/evil", label=f"Town {PAYLOAD}", kind="organisation", country="BE", degree=3)
    g.add_node(f"{ID}city/be-evil", label=f"City {SCRIPT_PAYLOAD}", kind="city")
    g.add_node(f"{ID}method/evil", label="Method <svg onload=alert(3)> & \"quotes\"", kind="method")
    g.add_node(f"{ID}organisation/plain", label="Plain Partner", kind="organisation", country="IT")
    g.add_edges_from([(f"{ID}organisation/evil", f"{ID}city/be-evil", {"shared": 2}),
                      (f"{ID}organisation/evil", f"{ID}method/evil", {"shared": 1}),
                      (f"{ID}organisation/evil", f"{ID}organisation/plain", {"shared": 1})])
    return g


# --- the page itself -----------------------------------------------------------------------------

def test_page_is_self_contained_and_escaped():
    page = render_html(network_map(hostile_graph(), title=f"Map {PAYLOAD}", color_by="kind"))
    # no resource from anywhere: every script and style is inline
    assert not re.search(r"<(script|link|img|iframe|source)[^>]+(src|href)=", page, re.I)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    # names never reach the page as markup
    for raw in ("<img src=x", "<svg onload", "</script><script>window.__pwned"):
        assert raw not in page
    assert "<title>Map &lt;img src=x onerror=&quot;window.__pwned=1;alert(1)&quot;&gt;</title>" in page
    assert page.count("\n<script") == 3  # vis-network, the data block, the map script (each on its own line)


def test_same_input_same_page_and_the_caller_graph_untouched():
    g = nx.les_miserables_graph()
    before = nx.node_link_data(g, edges="edges")
    first = render_html(network_map(g, weight="weight", seed=3))
    assert first == render_html(network_map(g, weight="weight", seed=3))
    assert first != render_html(network_map(g, weight="weight", seed=4))
    assert nx.node_link_data(g, edges="edges") == before


def test_layout_is_seeded_and_physics_off_for_large_maps():
    g = nx.gnm_random_graph(PHYSICS_LIMIT + 50, 900, seed=1)
    assert layout(g, seed=5) == layout(g, seed=5)
    spec = network_map(g)
    assert spec.physics is False and len(spec.nodes) == PHYSICS_LIMIT + 50
    assert network_map(nx.path_graph(5)).physics is True


def test_colours_legend_sizes_and_labels():
    g = nx.star_graph(40)
    for n in g:
        g.nodes[n]["group"] = "hub" if n == 0 else f"g{n % 14}"
    spec = network_map(g, color_by="group", top_labels=1)
    assert spec.legend[0][0] == "g1" or spec.legend[-1][0] == "other"
    assert [n["label"] for n in spec.nodes if n["label"]] == ["0"]  # only the biggest node is labelled
    hub = next(n for n in spec.nodes if n["name"] == "0")
    assert hub["size"] == max(n["size"] for n in spec.nodes)
    assert sum(count for _, _, count in spec.legend) == 41


def test_ego_network_and_node_lookup():
    g = nx.path_graph([f"{ID}organisation/{k}" for k in "abcde"])
    for n in g:
        g.nodes[n]["label"] = n[-1].upper()
    assert find_node(g, "organisation/c") == f"{ID}organisation/c"
    assert find_node(g, "C") == f"{ID}organisation/c"
    assert sorted(ego_network(g, f"{ID}organisation/c", 1)) == [f"{ID}organisation/{k}" for k in "bcd"]
    with pytest.raises(FilterError, match="no node 'z'"):
        find_node(g, "z")


# --- in a real browser -------------------------------------------------------------------------

def open_map(browser, path: Path) -> dict:
    """Open ``path``; return what happened: errors, requests, dialogs and the page."""
    page = browser.new_page()
    seen = {"errors": [], "requests": [], "dialogs": [], "page": page}
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    # A selector, not wait_for_function: polling a JS predicate needs eval, which the page's CSP refuses.
    page.wait_for_selector("body[data-ready='true']", state="attached", timeout=30_000)
    return seen


def test_hostile_names_render_as_text_and_never_run(browser, tmp_path):
    path = write_map(hostile_graph(), tmp_path / "hostile.html", title=f"Map {PAYLOAD}", color_by="kind")
    seen = open_map(browser, path)
    page = seen["page"]
    assert page.evaluate("[dkgMap.nodes.length, dkgMap.edges.length]") == [4, 3]
    page.hover("#network")
    for name in ("Town", "City", "Method"):  # search each hostile node: focus it, show its name
        page.fill("#search", name)
        page.press("#search", "Enter")
        assert page.text_content("#status").startswith(name)
        assert len(page.evaluate("dkgMap.network.getSelectedNodes()")) == 1
    assert page.text_content("h1") == f"Map {PAYLOAD}"
    legend = page.text_content("#legend")
    assert "organisation (2)" in legend and "city (1)" in legend
    assert page.evaluate("window.__pwned") is None and seen["dialogs"] == []
    assert seen["errors"] == []
    assert seen["requests"] == [path.as_uri()]  # the page itself, nothing else


def test_map_from_the_graph_renders_finds_and_filters(browser, network_build, tmp_path):
    path, g = make_map(network_build.layout.root, tmp_path / "collaboration.html", color_by="country")
    seen = open_map(browser, path)
    page = seen["page"]
    assert page.evaluate("[dkgMap.nodes.length, dkgMap.edges.length]") == [g.number_of_nodes(), g.number_of_edges()]
    assert page.evaluate("dkgMap.network.body.data.nodes.length") == g.number_of_nodes()
    page.fill("#search", "EUROCITIES")
    page.press("#search", "Enter")
    selected = page.evaluate("dkgMap.network.getSelectedNodes()")
    assert page.evaluate(f"dkgMap.nodes.get({selected[0]}).name") == "Eurocities"
    # CORDIS writes the name in capitals; the map shows it in title case (issue 17). Two nodes are
    # now called Eurocities here (the curated record and a CORDIS PIC the fixture keeps apart):
    # take the CORDIS one by its identifier.
    pic_node = page.evaluate(f"JSON.parse(document.getElementById('map-data').textContent).nodes"
                             f".find(n => n.href === '{ID}organisation/pic-900000002').id")
    assert page.evaluate(f"dkgMap.nodes.get({pic_node}).name") == "Eurocities"
    # the tooltip links the organisation's sources (CORDIS, Participedia) and its identifier
    links = page.evaluate(f"[...dkgMap.nodes.get({pic_node}).title.querySelectorAll('a')].map(a => a.href)")
    assert "https://cordis.europa.eu/" in links and f"{ID}organisation/pic-900000002" in links
    # the legend's filter hides a group's nodes and shows them again
    page.locator("#legend input[data-group='BE']").uncheck()
    hidden = page.evaluate("dkgMap.view.length")
    assert hidden == g.number_of_nodes() - sum(1 for n in g if g.nodes[n].get("country") == "BE")
    page.locator("#legend input[data-group='BE']").check()
    assert page.evaluate("dkgMap.view.length") == g.number_of_nodes()
    assert seen["errors"] == [] and seen["requests"] == [path.as_uri()]


def test_cli_map_and_ego(network_build, tmp_path, capsys):
    from graph.cli import main

    out = tmp_path / "ego.html"
    assert main(["map", "--store", str(network_build.layout.root), "--ego", "organisation/pic-900000002",
                 "--out", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert main(["map", "--store", str(network_build.layout.root), "--ego", "EUROCITIES", "--out", str(out)]) == 2
    assert "names 2 nodes" in capsys.readouterr().err


def test_figures_follow_the_map_and_repeat_byte_for_byte(tmp_path):
    from graph.maps.figure import write_figures

    spec = network_map(hostile_graph(), title="Figure", color_by="kind")
    first = write_figures(spec, tmp_path / "a" / "map")
    second = write_figures(spec, tmp_path / "b" / "map")
    assert [p.name for p in first] == ["map.png", "map.svg"]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name
    svg = first[1].read_text(encoding="utf-8")
    assert "<script" not in svg.lower() and "onerror" in svg  # the hostile name is text in the figure
    assert first[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_large_networks_are_drawn_as_their_largest_nodes(network_build, tmp_path):
    path, g = make_map(network_build.layout.root, tmp_path / "top.html", max_nodes=3, size_by="betweenness")
    assert g.number_of_nodes() == 3
    assert f"{ID}organisation/pic-900000002" in g  # EUROCITIES, the largest betweenness
    assert "the 3 largest of 14 nodes by betweenness" in path.read_text(encoding="utf-8")


def _shape(g: nx.Graph) -> tuple:
    """Everything of ``g`` a map reads, in order: nodes with attributes, each node's neighbours, ties."""
    return list(g.nodes(data=True)), [list(g.adj[n]) for n in g], list(g.edges(data=True))


@pytest.mark.parametrize("seed", range(6))
def test_the_largest_nodes_copied_alone_are_the_graph_cut_from_the_whole_copy(seed):
    """make_map copies only the drawn nodes of a large network; that copy must be the one the
    general path cuts from the whole graph, down to the order of each node's neighbours (ties
    point both ways and are added in sorted order, so a careless copy reorders them)."""
    import random

    from graph.maps.make import _largest, induced_copy, largest_nodes
    from graph.network.centrality import betweenness, degree
    from graph.network.export import graph_with_metrics, node_view

    rng = random.Random(seed)
    whole = nx.gnm_random_graph(40, 120, seed=seed)
    whole = nx.relabel_nodes(whole, {n: f"n{rng.randrange(1000):03d}-{n}" for n in whole})
    oriented = nx.Graph()
    oriented.add_nodes_from((n, {"label": n.upper(), "kind": rng.choice(["organisation", "city"])}) for n in whole)
    for u, v in whole.edges:  # each tie in a random direction, with attributes, some not plain
        u, v = (u, v) if rng.random() < 0.5 else (v, u)
        oriented.add_edge(u, v, shared=rng.randint(1, 4), newman=rng.random(), note=float("nan"))
    tables = [degree(oriented, weight="shared"), betweenness(oriented)]
    general = largest_nodes(graph_with_metrics(oriented, tables), 12, "betweenness")
    kept = _largest(node_view(oriented, tables)[1], oriented.degree, 12, "betweenness")
    alone = induced_copy(graph_with_metrics(oriented, tables, nodes=kept), kept)
    assert _shape(alone) == _shape(general)


def test_a_map_of_the_largest_nodes_is_the_general_paths_map(network_build, tmp_path):
    """The fast path for a large network draws the page the general path draws: the whole graph
    with its map facts, cut to its largest nodes."""
    from graph.maps.make import _draw, largest_nodes

    root = network_build.layout.root
    fast, g = make_map(root, tmp_path / "fast.html", max_nodes=5, size_by="betweenness")
    _, whole = make_map(root, tmp_path / "whole.html", max_nodes=None, size_by="betweenness")
    h = largest_nodes(whole, 5, "betweenness")
    general = _draw(h, tmp_path / "general.html", "collaboration", "Collaboration network",
                    "democracy-kg · the 5 largest of 14 nodes by betweenness", "community", "betweenness", 30, 42,
                    (), ())
    assert _shape(g) == _shape(h)
    assert fast.read_bytes() == general.read_bytes()


def test_a_large_network_is_drawn_as_its_backbone_with_the_full_network_linked(network_build, tmp_path, browser):
    path, g = make_map(network_build.layout.root, tmp_path / "backbone.html", backbone=8,
                       links=(("the full network", "full.html"), ("elsewhere", "https://example.org/")))
    full_path, full = make_map(network_build.layout.root, tmp_path / "full.html")
    assert g.number_of_nodes() <= 8 < full.number_of_nodes()
    k = min(dict(g.degree()).values())
    assert k >= 2 and all(full.has_node(n) for n in g)  # a k-core of the full network
    page = open_map(browser, path)["page"]
    assert "the backbone:" in page.inner_text("#subtitle") and "the k-core" in page.inner_text("#subtitle")
    hrefs = page.evaluate("[...document.querySelectorAll('#links a')].map(a => a.getAttribute('href'))")
    assert hrefs == ["full.html"]  # relative links only: the page links nowhere else
