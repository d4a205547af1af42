"""Network projections and metrics: hand-computed values on the fixtures, NetworkX as reference,
published values of classic networks, exports read back by independent readers, the analysis graph.

The network build (conftest ``network_build``: the frozen records of tests/fixtures/network, invented
rows, CORDIS and Participedia fixtures) has these collaborations among projects and networks (by hand, from
tests/fixtures): nets4dem-project {DRI, Eurocities}; network fixture-city-network {Fixture Town A,
Fixture University}; CORDIS 101112280 {pic-1, pic-2, pic-3}; 101900001 {pic-2, pic-4};
rcn-210001 {pic-2, pic-10, pic-11}; rcn-210002 {pic-10, pic-12}; and single-member ones (ec-net,
network nets4dem, 101900002, rcn-210003). So the collaboration graph has 14 organisations and 10
ties, and pic-2 (EUROCITIES, also Participedia organisation 901 after entity resolution) is the hub.
"""

from __future__ import annotations

import json
import math
import shutil

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from graph.network import centrality, cohesion, community
from graph.network.aggregate import city_network_graph, country_graph
from graph.network.analyse import analyse, project
from graph.network.bipartite import participation_graph
from graph.network.cases import case_method_graph
from graph.network.collaboration import collaboration_edges, collaboration_graph
from graph.network.export import write_graph, write_tables
from graph.network.extract import KnowledgeTables, extract
from graph.network.membership import indirect_reach, membership_graph
from graph.network.select import FilterError, TieFilter, select_ties
from graph.network.writeback import ANALYSIS_GRAPH, analysis_quads, load_analysis

ID = "https://w3id.org/democracy-kg/id/"


def org(key: str) -> str:
    return f"{ID}organisation/{key}"


def pic(n: int) -> str:
    return org(f"pic-9000000{n:02d}")


@pytest.fixture(scope="module")
def tables(network_build) -> KnowledgeTables:
    return extract(network_build.layout.root)


@pytest.fixture(scope="module")
def collab(tables) -> nx.Graph:
    return collaboration_graph(tables)


# --- extraction and selection ------------------------------------------------------------------

def test_extract_reads_every_membership_with_role_and_dates(tables):
    ties = tables.ties
    assert len(ties) == 25  # every org:Membership of the library build
    row = ties.loc[(ties["organisation"] == pic(10)) & (ties["target"] == f"{ID}project/cordis-rcn-210001")].iloc[0]
    # CORDIS memberships carry no dates of their own: the project's dates stand in
    assert (row["role"], row["start"], row["end"], row["target_kind"]) == ("participant", "2017-05-01", "2020-04-30", "project")
    assert set(ties["target_kind"]) == {"project", "network", "event", "programme", "case"}


def test_extract_collapses_resolved_organisations_to_the_canonical_one(tables):
    # Participedia organisation 901 is EUROCITIES (PIC 900000002) after entity resolution
    assert org("participedia-901") not in tables.entities.index
    assert org("participedia-901") not in set(tables.ties["organisation"])
    entity = tables.entities.loc[pic(2)]
    assert (entity["label"], entity["kind"], entity["country"]) == ("EUROCITIES", "organisation", "BE")
    assert tables.entities.loc[org("fixture-city-network"), "kind"] == "network"


def test_select_ties_by_years_keeps_overlapping_dated_ties(tables):
    selection = select_ties(tables, TieFilter(start_year=2019, end_year=2019))
    # rcn-210001 (2017-2020) x3, rcn-210002 (2018-2020) x2, rcn-210003 (2016-2019) x1, Town A member since 2019
    assert len(selection.ties) == 7
    assert selection.removed == {"kinds": 7, "years": 11}
    g = collaboration_graph(tables, selection=selection)
    assert sorted(map(sorted, g.edges())) == sorted(map(sorted, [(pic(2), pic(10)), (pic(2), pic(11)),
                                                                 (pic(10), pic(11)), (pic(10), pic(12))]))
    assert pic(13) in g and org("fixture-town-a") in g and g.degree(pic(13)) == 0


def test_select_ties_by_role_method_and_programme(tables):
    coordinators = select_ties(tables, TieFilter(roles=("coordinator",)))
    assert set(coordinators.ties["role"]) == {"coordinator"}
    assert collaboration_graph(tables, selection=coordinators).number_of_edges() == 0  # no two share a project
    # founding members are members (skos:broader): the role filter includes narrower roles
    members = select_ties(tables, TieFilter(roles=("member",)))
    assert set(members.ties["role"]) == {"member", "founding-member"}
    lab = TieFilter(kinds=("event", "programme"), methods=("method/collaborative-problem-solving-lab",))
    g = collaboration_graph(tables, lab)
    assert list(g.edges(data="shared")) == [(org("barcelona-city-council"), org("eurocities"), 1)]
    programme = select_ties(tables, TieFilter(kinds=("event", "programme"), programmes=("democracy-lab",)))
    assert set(programme.ties["target"]) == {f"{ID}event/democracy-lab-barcelona-2024", f"{ID}programme/democracy-lab"}


def test_select_ties_explains_bad_filter_values(tables):
    with pytest.raises(FilterError, match="no programme 'nope'"):
        select_ties(tables, TieFilter(programmes=("nope",)))
    with pytest.raises(FilterError, match="unknown country 'Atlantis'"):
        select_ties(tables, TieFilter(countries=("Atlantis",)))
    with pytest.raises(FilterError, match="no organisation type"):
        select_ties(tables, TieFilter(orgtypes=("guild",)))
    assert set(select_ties(tables, TieFilter(countries=("Belgium",))).ties["organisation"]) == {
        pic(2), org("fixture-city-network"), org("eurocities")}


# --- projections --------------------------------------------------------------------------------

def test_collaboration_graph_by_hand(collab):
    assert (collab.number_of_nodes(), collab.number_of_edges()) == (14, 10)
    edge = collab.edges[pic(1), pic(2)]
    # 101112280 has three participants: Newman 1/(3-1); pic-1 has 1 collaboration, pic-2 has 3: Jaccard 1/(1+3-1)
    assert edge == {"shared": 1, "newman": 0.5, "jaccard": pytest.approx(1 / 3)}
    assert collab.edges[pic(10), pic(12)] == {"shared": 1, "newman": 1.0, "jaccard": 0.5}
    assert collab.nodes[pic(2)]["collaborations"] == 3 and collab.nodes[pic(2)]["country"] == "BE"


def test_collaboration_weights_match_networkx_bipartite_projection():
    rng = np.random.default_rng(7)
    ties = pd.DataFrame({"organisation": [f"o{i}" for i in rng.integers(0, 40, 300)],
                         "target": [f"p{i}" for i in rng.integers(0, 60, 300)]})
    edges = collaboration_edges(ties)
    b = nx.Graph()
    b.add_nodes_from(set(ties["organisation"]), bipartite=0)
    b.add_nodes_from(set(ties["target"]), bipartite=1)
    b.add_edges_from(zip(ties["organisation"], ties["target"]))
    orgs = set(ties["organisation"])
    shared = nx.bipartite.weighted_projected_graph(b, orgs)
    newman = nx.bipartite.collaboration_weighted_projected_graph(b, orgs)
    jaccard = nx.bipartite.overlap_weighted_projected_graph(b, orgs, jaccard=True)
    assert len(edges) == shared.number_of_edges()
    for s, t, w, n, j in edges[["source", "target", "shared", "newman", "jaccard"]].itertuples(index=False):
        assert w == shared.edges[s, t]["weight"]
        assert n == pytest.approx(newman.edges[s, t]["weight"])
        assert j == pytest.approx(jaccard.edges[s, t]["weight"])


def test_participation_graph_is_bipartite_with_roles(tables):
    g = participation_graph(select_ties(tables).ties, tables.entities)
    assert nx.is_bipartite(g)
    assert g.edges[pic(2), f"{ID}project/cordis-101112280"]["roles"] == "participant"
    assert g.edges[pic(2), f"{ID}project/cordis-rcn-210001"] == {
        "roles": "coordinator", "participations": 1, "first_year": 2017, "last_year": 2020}
    assert g.nodes[org("nets4dem")]["kind"] == "network" and g.nodes[org("nets4dem")]["bipartite"] == 1


def test_membership_network_of_networks_and_indirect_reach(tables):
    g = membership_graph(tables.ties, tables.entities)
    assert sorted(g.edges()) == sorted([(org("fixture-city-network"), org("nets4dem")),
                                        (org("fixture-town-a"), org("fixture-city-network")),
                                        (org("fixture-university"), org("fixture-city-network"))])
    reach = indirect_reach(g).frame
    assert reach.loc[org("nets4dem")].tolist() == [1, 3, 2]  # one direct member, three in all, two levels
    assert reach.loc[org("fixture-city-network")].tolist() == [2, 2, 1]


def test_indirect_reach_survives_cycles():
    g = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("d", "c")])
    reach = indirect_reach(g).frame
    assert reach.loc["c"].tolist() == [2, 3, 2]  # b and d directly, a through b; c itself not counted


def test_country_aggregate_by_hand(collab):
    g = country_graph(collab)
    # ties between organisations with countries, summed per country pair; domestic ones on the node
    expected = {}
    for u, v, w in collab.edges(data="shared"):
        cu, cv = collab.nodes[u].get("country"), collab.nodes[v].get("country")
        if cu and cv and cu != cv:
            pair = tuple(sorted((cu, cv)))
            ties, total = expected.get(pair, (0, 0))
            expected[pair] = (ties + 1, total + w)
    assert {tuple(sorted((u, v))): (d["ties"], d["shared"]) for u, v, d in g.edges(data=True)} == expected
    assert g.nodes["BE"]["label"] == "Belgium" and g.graph["unplaced_organisations"] > 0


def test_city_network_graph():
    tables = KnowledgeTables(
        ties=pd.DataFrame({"membership": ["m1", "m2", "m3", "m4"], "organisation": ["a", "b", "c", "a"],
                           "target": ["net", "net", "net", "proj"], "target_kind": ["network"] * 3 + ["project"],
                           "role": "member", "start": None, "end": None}),
        entities=pd.DataFrame({"label": ["A", "B", "C", "Net", "Ghent"], "kind": ["organisation"] * 3 + ["network", "concept"],
                               "country": None, "orgtype": None, "city": ["ghent", "ghent", None, None, None]},
                              index=["a", "b", "c", "net", "ghent"]),
        links=pd.DataFrame(columns=["child", "relation", "parent"]))
    g = city_network_graph(tables)
    assert list(g.edges(data="members")) == [("ghent", "net", 2)]  # c has no city; proj is no network
    assert g.nodes["ghent"] == {"label": "Ghent", "kind": "city", "bipartite": 0}


def test_case_method_graph_joins_participedia_methods_to_ours(tables):
    g = case_method_graph(tables)
    layers = nx.get_node_attributes(g, "layer")
    assert {layers[n] for n in g} == {"case", "method", "organisation"}
    assert (f"{ID}case/participedia-2", org("participedia-318")) in g.edges or \
        (org("participedia-318"), f"{ID}case/participedia-2") in g.edges
    method_nodes = [n for n in g if layers[n] == "method"]
    # a Participedia method with an exactMatch is replaced by our method
    matched = tables.links.loc[tables.links["relation"] == "skos:exactMatch", "child"]
    assert not set(matched) & set(method_nodes)
    assert case_method_graph(tables, countries=("BE",)).number_of_nodes() < g.number_of_nodes()


# --- metrics: hand values, published values, NetworkX as the reference --------------------------

def test_metrics_by_hand_on_the_fixture(collab):
    b = centrality.betweenness(collab).column()
    # pic-2 lies on every path from pic-4 to the other five of its component (5) and between
    # {pic-1, pic-3} and {pic-10, pic-11, pic-12} (6): 11 pairs, normalised by (13*12)/2
    assert b[pic(2)] == pytest.approx(11 / 78)
    assert b[pic(10)] == pytest.approx(5 / 78)  # pic-12 to the other five
    d = centrality.degree(collab).frame
    assert d.loc[pic(2)].tolist() == [5, 5]
    comps = cohesion.components(collab).frame
    assert comps.loc[pic(2)].tolist() == [0, 7] and comps.loc[pic(13)].tolist()[1] == 1
    assert set(cohesion.articulation_points(collab).frame.query("articulation_point").index) == {pic(2), pic(10)}


PUBLISHED = [
    # Padgett's Florentine families: the Medici's normalised betweenness is 0.522 (47.5 of 91 pairs)
    (nx.florentine_families_graph, lambda g: centrality.betweenness(g).column()["Medici"], 47.5 / 91),
    # Zachary's karate club: average clustering 0.5706, transitivity 0.2557
    (nx.karate_club_graph, lambda g: cohesion.summary(g).frame.loc["graph", "average_clustering"], 0.5706),
    (nx.karate_club_graph, lambda g: cohesion.summary(g).frame.loc["graph", "transitivity"], 0.2557),
    # ... and its maximum modularity is 0.4198 (Brandes et al. 2008, proven optimal): Leiden finds it
    (nx.karate_club_graph, lambda g: community.communities(g, weight=None).parameters["modularity"], 0.4198),
]


@pytest.mark.parametrize(("make", "measure", "value"), PUBLISHED)
def test_published_values_of_classic_networks(make, measure, value):
    assert measure(make()) == pytest.approx(value, abs=1e-4)


def _graphs():
    yield nx.karate_club_graph()
    yield nx.florentine_families_graph()
    les = nx.les_miserables_graph()
    yield nx.disjoint_union(nx.convert_node_labels_to_integers(les), nx.path_graph(4))
    g = nx.gnp_random_graph(200, 0.03, seed=5)
    g.add_nodes_from([500, 501])  # isolates
    yield g


@pytest.mark.parametrize("g", list(_graphs()), ids=["karate", "florentine", "lesmis+path", "random+isolates"])
def test_igraph_path_equals_networkx(g):
    for metric in (centrality.betweenness, centrality.closeness, cohesion.clustering, cohesion.core_number):
        fast, reference = metric(g, backend="igraph").frame, metric(g, backend="networkx").frame
        pd.testing.assert_frame_equal(fast.sort_index(), reference.sort_index(), check_dtype=False, atol=1e-9)
    fast = centrality.eigenvector(g, weight=None, backend="igraph").column()
    reference = centrality.eigenvector(g, weight=None, backend="networkx").column()
    assert np.allclose(fast.sort_index(), reference.sort_index(), atol=1e-6)
    assert cohesion.bridges(g).frame.index.tolist() == cohesion.bridges(g, backend="networkx").frame.index.tolist()
    pd.testing.assert_frame_equal(cohesion.articulation_points(g).frame.sort_index(),
                                  cohesion.articulation_points(g, backend="networkx").frame.sort_index())


def test_sampled_betweenness_is_networkx_estimator_with_the_same_seed():
    g = nx.gnp_random_graph(300, 0.02, seed=3)
    fast = centrality.betweenness(g, k=40, seed=9, exact_limit=100)
    assert fast.method == "sampled: 40 source nodes, seed 9"
    reference = nx.betweenness_centrality(g, k=40, seed=9)
    assert np.allclose(fast.column().sort_index(), pd.Series(reference).sort_index())


def test_sampled_closeness_estimates_exact_values():
    g = nx.connected_watts_strogatz_graph(600, 6, 0.1, seed=2)
    exact = centrality.closeness(g).column()
    assert np.allclose(centrality.closeness(g, k=600, exact_limit=0).column(), exact)  # every node a pivot
    estimate = centrality.closeness(g, k=100, exact_limit=0, seed=4)
    assert estimate.method == "sampled: 100 pivot nodes, seed 4"
    assert np.corrcoef(estimate.column(), exact)[0, 1] > 0.9
    assert (abs(estimate.column() - exact) / exact).median() < 0.05


def test_communities_are_seeded_and_numbered_stably():
    g = nx.les_miserables_graph()
    first = community.communities(g, weight="weight", seed=1)
    again = community.communities(g, weight="weight", seed=1)
    pd.testing.assert_frame_equal(first.frame, again.frame)
    sizes = first.frame.drop_duplicates("community").sort_values("community")["community_size"].tolist()
    assert sizes == sorted(sizes, reverse=True)
    louvain = community.communities(g, method="louvain", weight="weight", backend="networkx", seed=1)
    assert louvain.method == "louvain (networkx), seed 1"
    assert louvain.parameters["modularity"] == pytest.approx(
        nx.community.modularity(g, [set(f.index) for _, f in louvain.frame.groupby("community")], weight="weight"))
    assert first.parameters["modularity"] >= louvain.parameters["modularity"] - 0.01


# --- outputs -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def analysed(network_build, tmp_path_factory):
    out = tmp_path_factory.mktemp("analysis")
    return analyse(network_build.layout.root, out=out), out


def test_analyse_writes_tables_graphs_and_rdf(analysed):
    result, out = analysed
    names = {p.name for p in result.files}
    assert {"graph.gexf", "graph.graphml", "graph.json", "analysis.nq", "nodes.csv", "nodes.parquet",
            "betweenness.csv", "community.parquet"} <= names
    nodes = pd.read_parquet(out / "tables" / "nodes.parquet")
    assert nodes.loc[pic(2), "label"] == "EUROCITIES" and nodes.loc[pic(2), "degree"] == 5
    csv = pd.read_csv(out / "tables" / "betweenness.csv", index_col="node")
    assert csv.loc[pic(2), "betweenness"] == pytest.approx(11 / 78)


def test_gexf_reads_back_with_networkx_and_graphology(analysed, read_gexf):
    result, out = analysed
    read = nx.read_gexf(out / "graph.gexf")
    assert (read.number_of_nodes(), read.number_of_edges()) == (14, 10)
    assert read.nodes[pic(2)]["label"] == "EUROCITIES" and read.nodes[pic(2)]["degree"] == 5
    parsed = read_gexf(out / "graph.gexf", pic(2))
    assert (parsed["type"], parsed["order"], parsed["size"]) == ("undirected", 14, 10)
    attributes = parsed["nodes"][pic(2)]
    assert attributes["label"] == "EUROCITIES" and attributes["degree"] == 5
    assert attributes["betweenness"] == pytest.approx(11 / 78)
    edge = next(e for e in parsed["edges"] if {e["source"], e["target"]} == {pic(1), pic(2)})
    assert edge["attributes"]["newman"] == 0.5
    # Gephi uses it as is (issue 17): every tie weighted by its shared projects, every node laid
    # out, sized and coloured as the HTML map draws it; brokerage roles named as such.
    assert all(e["attributes"]["weight"] == e["attributes"]["shared"] for e in parsed["edges"])
    assert {"x", "y", "size", "color"} <= set(attributes) and attributes["color"].startswith("rgb")
    assert "brokerage_coordinator" in attributes and "coordinator" not in attributes


def test_graphml_reads_back_with_igraph_and_networkx(analysed):
    import igraph

    result, out = analysed
    h = igraph.Graph.Read_GraphML(str(out / "graph.graphml"))
    assert (h.vcount(), h.ecount()) == (14, 10)
    v = h.vs.find(id=pic(2))
    assert v["label"] == "EUROCITIES" and v["degree"] == 5
    g = nx.read_graphml(out / "graph.graphml")
    assert g.nodes[pic(2)]["betweenness"] == pytest.approx(11 / 78)
    data = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    assert nx.node_link_graph(data, edges="edges").number_of_edges() == 10


def test_exports_leave_the_callers_graph_alone(tmp_path):
    g = nx.Graph([("a", "b", {"shared": 1, "note": None})])
    before = nx.node_link_data(g, edges="edges")
    write_graph(g, tmp_path, [centrality.degree(g)])
    write_tables(g, [centrality.degree(g)], tmp_path / "t")
    assert nx.node_link_data(g, edges="edges") == before
    assert "note" not in nx.read_graphml(tmp_path / "graph.graphml").edges["a", "b"]  # None is left out


def test_same_input_same_files_byte_for_byte(network_build, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    tables = extract(network_build.layout.root)
    first = analyse(tables=tables, out=tmp_path / "a")
    second = analyse(tables=tables, out=tmp_path / "b")
    assert first.run == second.run
    for path in sorted((tmp_path / "a").rglob("*")):
        if path.is_file():
            twin = tmp_path / "b" / path.relative_to(tmp_path / "a")
            assert path.read_bytes() == twin.read_bytes(), path.name


# --- the analysis graph --------------------------------------------------------------------------

def test_analysis_graph_is_loaded_replaced_and_queryable(network_build, tmp_path):
    from graph.query import select

    root = tmp_path / "build"
    shutil.copytree(network_build.layout.root, root, symlinks=True)
    first = analyse(root, out=tmp_path / "out", metrics=["degree", "betweenness"], write_back=True)
    assert first.analysis_triples and first.analysis_triples > 14 * 4
    again = analyse(root, out=tmp_path / "out", metrics=["degree", "betweenness"], write_back=True)
    assert again.run == first.run and again.analysis_triples == first.analysis_triples  # replaced, not doubled
    top = select("top-brokers", root, within=f"{ID}project/cordis-rcn-210001", analysis=f"analysis/{first.run}")
    assert top["organisation"].tolist()[:2] == [pic(2), pic(10)]
    assert top["value"].iloc[0] == pytest.approx(11 / 78)
    positions = select(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?p prov:wasGeneratedBy <{ID}analysis/{first.run}> ; "
                       "a dkg:NetworkPosition }", root)
    assert positions["n"].iloc[0] == 14


def test_failed_load_leaves_the_previous_analysis(network_build, tmp_path):
    import pyoxigraph as ox

    root = tmp_path / "build"
    shutil.copytree(network_build.layout.root, root, symlinks=True)
    result = analyse(root, metrics=["degree"], out=tmp_path / "out", write_back=True)
    store_dir = root / "store"
    graph = ox.NamedNode(ANALYSIS_GRAPH + result.run)
    _, quads = analysis_quads(result.graph, result.tables, "collaboration")
    broken = quads[:5] + ["<http://x> <http://y> this is not N-Quads ."]
    with pytest.raises(SyntaxError):
        load_analysis(store_dir, result.run, broken)
    store = ox.Store.read_only(str(store_dir))
    assert sum(1 for _ in store.quads_for_pattern(None, None, None, graph)) == result.analysis_triples


def test_analysis_quads_record_algorithms_and_skip_undefined_values():
    g = nx.Graph([(f"{ID}organisation/a", f"{ID}organisation/b")])
    g.add_node(f"{ID}organisation/c")
    from graph.network.result import MetricTable

    table = MetricTable("constraint", pd.DataFrame({"constraint": [1.0, 1.0, math.nan]}, index=pd.Index(list(g), name="node")),
                        "exact", {"weight": None})
    run, quads = analysis_quads(g, [table, centrality.betweenness(g)], "collaboration", "roles=coordinator")
    text = "\n".join(quads)
    assert text.count("ontology#constraint>") == 2  # c's is undefined (an isolate): left out
    assert '"betweenness: exact; {\\"k\\": null, \\"normalized\\": true, \\"seed\\": null}"' in text
    assert '"roles=coordinator"' in text and f"<{ID}analysis/{run}>" in text


# --- command line -------------------------------------------------------------------------------

def test_cli_analyse(network_build, tmp_path, capsys):
    from graph.cli import main

    root = tmp_path / "build"
    shutil.copytree(network_build.layout.root, root, symlinks=True)
    code = main(["analyse", "--store", str(root), "--out", str(tmp_path / "out"), "--metrics", "degree,communities",
                 "--from", "2019", "--to", "2019", "--write-back"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "collaboration network: 6 nodes, 4 edges (start_year=2019 end_year=2019)" in out
    assert "left out: 7 by kinds, 11 by years" in out and "loaded" in out
    assert main(["analyse", "--store", str(root), "--programme", "nope", "--out", str(tmp_path / "x")]) == 2
    assert "no programme 'nope'" in capsys.readouterr().err
    assert main(["analyse", "--store", str(root), "--metrics", "magic", "--out", str(tmp_path / "x")]) == 2
    assert "unknown metric" in capsys.readouterr().err
    assert main(["analyse", "--store", str(tmp_path / "none"), "--out", str(tmp_path / "x")]) == 2


@pytest.mark.parametrize("projection", ["participation", "membership", "country", "city-network", "case-method"])
def test_every_projection_analyses(tables, projection, tmp_path):
    g, _ = project(tables, projection)
    result = analyse(tables=tables, projection=projection, out=tmp_path)
    assert result.graph.number_of_nodes() == g.number_of_nodes()
    assert (tmp_path / "graph.gexf").exists() and (tmp_path / "tables" / "nodes.csv").exists()
    if projection == "membership":
        assert result.table("reach").frame.loc[org("nets4dem"), "all_members"] == 3


def test_graph_files_escape_hostile_names_and_read_back(tmp_path, read_gexf):
    import igraph

    hostile = 'Ville <img src=x onerror=alert(1)> & "Co"\n\ttab\x01'
    g = nx.Graph(projection="collaboration")
    g.add_node("https://example.org/a?x=1&y=<2>", label=hostile, kind="organisation", flag=True)
    g.add_node("b", label="B", kind="organisation", flag=False)
    g.add_edge("https://example.org/a?x=1&y=<2>", "b", shared=2, newman=0.1 + 0.2, note=hostile)
    write_graph(g, tmp_path)
    expected = hostile.replace("\x01", "\ufffd")  # XML 1.0 cannot carry U+0001 at all
    read = nx.read_gexf(tmp_path / "graph.gexf")
    assert read.nodes["https://example.org/a?x=1&y=<2>"]["label"] == expected
    assert read.edges["https://example.org/a?x=1&y=<2>", "b"]["newman"] == 0.1 + 0.2  # repr-exact
    assert read.nodes["b"]["flag"] is False
    h = igraph.Graph.Read_GraphML(str(tmp_path / "graph.graphml"))
    # igraph 1.0 (libxml2 without entity substitution) hands back "&#38;" for "&amp;" inside an id
    # attribute, so the vertex is found by its label; labels (element text) come back exact.
    assert h.vs.find(label=expected)["id"].startswith("https://example.org/a?x=1")
    assert nx.read_graphml(tmp_path / "graph.graphml").graph["projection"] == "collaboration"
    data = json.loads((tmp_path / "graph.json").read_text(encoding="utf-8"))
    assert nx.node_link_graph(data, edges="edges").nodes["b"]["label"] == "B"
    parsed = read_gexf(tmp_path / "graph.gexf", "https://example.org/a?x=1&y=<2>")
    assert parsed["nodes"]["https://example.org/a?x=1&y=<2>"]["label"] == expected


# --- the actors of democratic innovation (issue 15) ---------------------------------------------

def test_extract_knows_each_membership_s_source_graph(tables):
    assert tables.ties["source"].value_counts().to_dict() == {
        "curated": 10, "cordis-horizon-europe": 6, "cordis-h2020": 6, "participedia": 3}


def test_actors_projection_leaves_research_projects_to_the_collaboration_one(tables):
    g, selection = project(tables, "actors")
    assert g.graph["projection"] == "actors"
    # every CORDIS participation is a research project's: 12 ties left out, and said so
    assert selection.removed["research projects"] == 12
    assert not [n for n in g if "/pic-" in n]
    # the curated Nets4Dem project still ties its lead and partner; organisers of cases are there
    labels = {g.nodes[n]["label"] for n in g}
    assert {"Democracy Reporting International", "Eurocities", "Barcelona City Council", "Fondazione Esempio"} <= labels
    ties = {tuple(sorted((g.nodes[u]["label"], g.nodes[v]["label"]))) for u, v in g.edges()}
    assert ties == {("Barcelona City Council", "Eurocities"), ("Democracy Reporting International", "Eurocities"),
                    ("Fixture Town A", "Fixture University")}


def test_select_ties_by_source_graph(tables):
    selection = select_ties(tables, TieFilter(kinds=(), sources=("participedia",)))
    assert set(selection.ties["source"]) == {"participedia"} and len(selection.ties) == 3
    with pytest.raises(FilterError, match="no source graph nowhere"):
        select_ties(tables, TieFilter(sources=("nowhere",)))


def test_organisations_known_only_by_their_pic_are_flagged(tables, collab, tmp_path):
    assert sorted(tables.entities.loc[tables.entities["pic_only"], "label"]) == [
        "PIC 900000003", "PIC 900000010", "PIC 900000012"]
    assert collab.nodes[pic(10)]["pic_only"] is True and collab.nodes[pic(2)]["pic_only"] is False
    write_graph(collab, tmp_path, [], formats=("gexf",))
    back = nx.read_gexf(tmp_path / "graph.gexf")
    assert back.nodes[pic(3)]["pic_only"] is True and back.nodes[pic(4)]["pic_only"] is False
    # a cluster is named when any of its records is: resolution never leaves a name behind
    named = tables.entities.loc[tables.entities["label"] == "EUROCITIES"]
    assert not named["pic_only"].any()


def test_the_network_of_networks_with_programmes_and_events(tables):
    flt = TieFilter(kinds=("network", "programme", "event", "project"), sources=("curated",))
    g, _ = project(tables, "membership", flt)
    lab = f"{ID}event/democracy-lab-barcelona-2024"
    # members and participants point to what they take part in...
    assert g.has_edge(org("barcelona-city-council"), lab) and g.has_edge(org("fixture-town-a"), org("fixture-city-network"))
    # ...and each activity to what it is part of, up to the top
    assert g.edges[lab, f"{ID}programme/democracy-lab"]["roles"] == "part of"
    assert g.edges[f"{ID}programme/democracy-lab", f"{ID}programme/nets4dem-capacity-building"]["roles"] == "part of"
    assert g.nodes[f"{ID}programme/nets4dem-capacity-building"]["kind"] == "programme"
    # only the curated ties: no CORDIS organisation, no Participedia case
    assert not [n for n in g if "/pic-" in n or "/case/" in n]
    # the plain membership projection stays the memberships of networks
    plain, _ = project(tables, "membership")
    assert {plain.nodes[n]["kind"] for n in plain} == {"organisation", "network"}
