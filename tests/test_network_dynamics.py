"""Resilience, assortativity, yearly snapshots and method diffusion, checked by hand and against NetworkX.

Every expected value below is worked out in the comment next to it; the igraph and sparse paths
are held equal to NetworkX on small random graphs and tables.
"""

from __future__ import annotations

import math
import random

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from graph.network.assortativity import assortativity
from graph.network.collaboration import collaboration_edges, collaboration_graph
from graph.network.diffusion import DIFFUSION_KINDS, diffusion_summary, method_diffusion
from graph.network.extract import KnowledgeTables
from graph.network.resilience import resilience
from graph.network.select import TieFilter, select_ties
from graph.network.temporal import snapshots, tie_years

ENTITY_COLUMNS = ["label", "kind", "country", "orgtype", "city"]


def tables_of(ties: list[tuple], links: list[tuple] = ()) -> KnowledgeTables:
    """Knowledge tables from ``(organisation, target, start, end[, kind])`` rows and ``(child, relation, parent)``."""
    rows = [(*t, "project") if len(t) == 4 else t for t in ties]
    frame = pd.DataFrame(rows, columns=["organisation", "target", "start", "end", "target_kind"])
    frame.insert(0, "membership", [f"m{i}" for i in range(len(frame))])
    frame["role"] = "partner"
    return KnowledgeTables(ties=frame, entities=pd.DataFrame(columns=ENTITY_COLUMNS),
                           links=pd.DataFrame(list(links), columns=["child", "relation", "parent"]))


def random_tables(seed: int, organisations: int = 40, projects: int = 25) -> KnowledgeTables:
    """Random dated participations 2010-2020: some open-ended, some undated, some repeated."""
    rng = random.Random(seed)
    rows = []
    for p in range(projects):
        start = rng.randint(2010, 2020)
        end = None if rng.random() < 0.1 else str(start + rng.randint(0, 3))
        for o in rng.sample(range(organisations), rng.randint(1, 6)):
            # A few memberships carry their own (later) start, as extract's ties can.
            own = str(start + rng.randint(0, 2)) + "-03" if rng.random() < 0.2 else str(start)
            rows.append((f"o{o:02d}", f"p{p:02d}", None if rng.random() < 0.03 else own, end))
    rows.append(rows[0])  # a repeated participation counts once
    return tables_of(rows)


# --- resilience -------------------------------------------------------------------------------

def test_resilience_degree_by_hand():
    # Path a-b-c-d: b and c have degree 2; b goes first by id. Without b: {a}, {c, d} -> largest
    # 2 of 4 (0.5), 2 components. Without c as well: {a}, {d} -> largest 1 (0.25), 2 components.
    t = resilience(nx.path_graph(["a", "b", "c", "d"]), k=2)
    assert t.level == "graph" and t.frame.index.name == "step"
    assert t.frame["removed"].tolist() == [None, "b", "c"]
    assert t.frame["score"].tolist()[1:] == [2.0, 2.0]
    assert t.frame["nodes"].tolist() == [4, 3, 2]
    assert t.frame["largest_component"].tolist() == [4, 2, 1]
    assert t.frame["largest_fraction"].tolist() == [1.0, 0.5, 0.25]
    assert t.frame["components"].tolist() == [1, 2, 2]


def test_resilience_recalculated_ranking_differs_from_initial():
    # h (degree 4) links a, p, q, r; a (3) also links s, t; b (3) links u, v, w.
    # Initial ranking: h, then a and b tie at 3 -> a by id. Recalculated: without h, a has 2 and
    # b still 3 -> b. Components: {h,a,p,q,r,s,t} (7) and {b,u,v,w} (4); without h the largest
    # is {b,u,v,w} (4), without b as well {a,s,t} (3).
    g = nx.Graph([("h", "a"), ("h", "p"), ("h", "q"), ("h", "r"), ("a", "s"), ("a", "t"),
                  ("b", "u"), ("b", "v"), ("b", "w")])
    assert resilience(g, k=2).frame["removed"].tolist() == [None, "h", "a"]
    again = resilience(g, k=2, recalculate=True)
    assert again.frame["removed"].tolist() == [None, "h", "b"]
    assert again.frame["score"].tolist()[1:] == [4.0, 3.0]
    assert again.frame["largest_component"].tolist() == [7, 4, 3]
    assert "recalculated" in again.method


def test_resilience_betweenness_and_random():
    # Path 0-1-2-3-4: node 2 lies on the most shortest paths; without it {0,1} and {3,4}.
    t = resilience(nx.path_graph(5), k=1, by="betweenness")
    assert t.frame["removed"].tolist() == [None, 2]
    assert t.frame["largest_component"].tolist() == [5, 2]
    assert t.frame["components"].tolist() == [1, 2]
    # Path 0-...-6, recalculated: without 3 the halves 0-1-2 and 4-5-6 have their centres 1 and 5
    # tied -> 1 by id; with the initial ranking 2 and 4 come next (tied) -> 2. Either way the
    # largest remaining component has 3 nodes ({4,5,6}).
    path = nx.path_graph(7)
    again = resilience(path, k=2, by="betweenness", recalculate=True).frame
    assert again["removed"].tolist() == [None, 3, 1] and again["largest_component"].tolist() == [7, 3, 3]
    assert resilience(path, k=2, by="betweenness").frame["removed"].tolist() == [None, 3, 2]
    g = nx.gnp_random_graph(60, 0.08, seed=3)
    a, b = resilience(g, k=8, by="random", seed=7), resilience(g, k=8, by="random", seed=7)
    pd.testing.assert_frame_equal(a.frame, b.frame)
    assert a.frame["removed"].tolist()[1:] == random.Random(7).sample(list(g), 8)
    assert resilience(g, k=8, by="random", seed=8).frame["removed"].tolist() != a.frame["removed"].tolist()
    with pytest.raises(ValueError, match="unknown order"):
        resilience(g, by="closeness")
    with pytest.raises(ValueError, match="outside"):
        resilience(g, k=61)


@pytest.mark.parametrize("by", ["degree", "betweenness", "random"])
def test_resilience_components_equal_networkx(by):
    g = nx.gnp_random_graph(120, 0.025, seed=11)
    t = resilience(g, k=15, by=by, seed=5)
    h = g.copy()
    for step, node in enumerate(t.frame["removed"].tolist()):
        if node is not None:
            h.remove_node(node)
        sizes = [len(c) for c in nx.connected_components(h)]
        assert t.frame.loc[step, "largest_component"] == max(sizes)
        assert t.frame.loc[step, "components"] == len(sizes)
        assert t.frame.loc[step, "largest_fraction"] == pytest.approx(max(sizes) / 120)


def test_resilience_removes_every_node():
    t = resilience(nx.complete_graph(3), k=3)
    assert t.frame["largest_component"].tolist() == [3, 2, 1, 0]
    assert t.frame["components"].tolist() == [1, 1, 1, 0]


# --- assortativity ----------------------------------------------------------------------------

def test_assortativity_by_hand_with_missing_attribute():
    # Ties a-b (BE-BE), c-d (NL-NL), a-c (BE-NL); e has no country. Over the 6 tie ends:
    # M = [[2, 1], [1, 2]] / 6, trace 4/6, both margins 1/2 -> r = (4/6 - 1/2) / (1 - 1/2) = 1/3.
    g = nx.Graph([("a", "b"), ("c", "d"), ("a", "c"), ("a", "e")])
    nx.set_node_attributes(g, {"a": "BE", "b": "BE", "c": "NL", "d": "NL"}, "country")
    for backend in ("igraph", "networkx"):
        row = assortativity(g, attributes=("country",), degree=False, backend=backend).frame.loc["country"]
        assert row["assortativity"] == pytest.approx(1 / 3)
        assert (row["nodes"], row["excluded_nodes"], row["edges"], row["categories"]) == (4, 1, 3, 2)


def test_degree_assortativity_by_hand():
    # Star: every tie joins degree 3 and degree 1 -> r = -1. Path of 4: tie ends (1,2), (2,2),
    # (2,1) both ways; degrees x over 6 ends: mean 5/3, var 2/9; cov = E[xy] - 25/9 with
    # E[xy] = (2+4+2)*2/6 = 8/3 -> cov = -1/9 -> r = -1/2.
    assert assortativity(nx.star_graph(3), attributes=()).column()["degree"] == pytest.approx(-1.0)
    for backend in ("igraph", "networkx"):
        assert assortativity(nx.path_graph(4), attributes=(), backend=backend).column()["degree"] == pytest.approx(-0.5)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_assortativity_igraph_equals_networkx(seed):
    rng = random.Random(seed)
    g = nx.gnp_random_graph(80, 0.06, seed=seed)
    g.add_nodes_from([200, 201])  # isolates
    for n in g:
        if rng.random() < 0.85:  # some nodes without a country
            g.nodes[n]["country"] = rng.choice(["BE", "NL", "FR", "DE"])
        g.nodes[n]["orgtype"] = rng.choice(["university", "company", "public-body"])
    fast = assortativity(g).frame
    slow = assortativity(g, backend="networkx").frame
    pd.testing.assert_frame_equal(fast, slow, check_exact=False, rtol=1e-9)
    # The reference itself: NetworkX on the subgraph of nodes that have a country.
    with_country = g.subgraph([n for n, c in g.nodes(data="country") if c is not None])
    assert fast.loc["country", "assortativity"] == pytest.approx(
        nx.attribute_assortativity_coefficient(with_country, "country"))
    assert fast.loc["degree", "assortativity"] == pytest.approx(nx.degree_assortativity_coefficient(g))
    assert fast.loc["country", "excluded_nodes"] == len(g) - len(with_country)


def test_assortativity_karate_club():
    g = nx.karate_club_graph()
    fast = assortativity(g, attributes=("club",)).column()
    assert fast["club"] == pytest.approx(nx.attribute_assortativity_coefficient(g, "club"))
    assert fast["degree"] == pytest.approx(nx.degree_assortativity_coefficient(g))


def test_assortativity_undefined_is_nan():
    # One category only, or a regular graph (every degree 2): 0/0 in Newman's formula.
    g = nx.cycle_graph(4)
    nx.set_node_attributes(g, "BE", "country")
    frame = assortativity(g, attributes=("country", "orgtype")).frame
    assert frame["assortativity"].isna().all()
    assert frame.loc["orgtype", "excluded_nodes"] == 4 and frame.loc["orgtype", "edges"] == 0


# --- yearly snapshots -------------------------------------------------------------------------

def hand_tables() -> KnowledgeTables:
    return tables_of([
        ("a", "p", "2020-01-15", "2021-06-30"),  # p: a and b, 2020-2021
        ("b", "p", "2020", "2021"),
        ("b", "q", "2021", "2022"),  # q: b, c and d, 2021-2022
        ("c", "q", "2021", "2022"),
        ("d", "q", "2022", None),  # d joins q in 2022 and never leaves
        ("e", "r", "2022", "2022"),  # r: e alone, an isolate in 2022
        ("f", "p", None, None),  # undated: left out
    ])


def test_snapshots_by_hand():
    # 2020: a-b.                                  nodes 2, edges 1, components 1
    # 2021: a-b (p), b-c (q).                     nodes 3, edges 2, components 1; a-b persists, b-c new
    # 2022: b-c, b-d, c-d (q), e isolated.        nodes 4 (a left), edges 3, components 2 (bcd, e)
    #       new b-d, c-d; persisting b-c; decayed a-b. Clustering: b, c, d 1 each, e 0 -> 3/4.
    # The default years end in 2022, the last year any tie is dated in (d's open end runs on).
    t = snapshots(hand_tables())
    assert t.level == "graph" and t.frame.index.name == "year"
    assert t.frame.index.tolist() == [2020, 2021, 2022]
    f = t.frame
    assert f["collaborations"].tolist() == [1, 2, 2]
    assert f["nodes"].tolist() == [2, 3, 4]
    assert f["edges"].tolist() == [1, 2, 3]
    assert f["components"].tolist() == [1, 1, 2]
    assert f["largest_component"].tolist() == [2, 3, 3]
    assert f["new_ties"].tolist() == [1, 1, 2]
    assert f["persisting_ties"].tolist() == [0, 1, 1]
    assert f["decayed_ties"].tolist() == [0, 0, 1]
    assert f.loc[2022, "average_clustering"] == pytest.approx(3 / 4)
    assert f.loc[2022, "density"] == pytest.approx(3 / 6)  # 3 of 4*3/2 pairs
    assert "1 of 7 selected ties undated" in t.method
    # 2023, asked for: d alone in q (open end) -> 1 node, no edges; b-c, b-d, c-d decayed.
    later = snapshots(hand_tables(), years=[2023]).frame.loc[2023]
    assert (later["nodes"], later["edges"], later["components"], later["decayed_ties"]) == (1, 0, 1, 3)


def test_snapshots_window_and_chosen_years():
    # window=2, year 2022 covers 2021-2022: a-b (p, 2020-21), b-c, b-d, c-d (q), e alone -> 5
    # nodes, 4 edges. Against year 2021 (2020-2021: a-b, b-c): new b-d, c-d; persisting a-b, b-c.
    t = snapshots(hand_tables(), years=[2022], window=2)
    row = t.frame.loc[2022]
    assert (row["nodes"], row["edges"], row["new_ties"], row["persisting_ties"], row["decayed_ties"]) == (5, 4, 2, 2, 0)
    # A year asked for alone is still compared with the year before it (2021: a-b, b-c).
    alone = snapshots(hand_tables(), years=[2022]).frame.loc[2022]
    assert (alone["new_ties"], alone["persisting_ties"], alone["decayed_ties"]) == (2, 1, 1)
    with pytest.raises(ValueError, match="window"):
        snapshots(hand_tables(), window=0)


def test_tie_years_by_hand():
    t = tie_years(hand_tables(), years=[2021, 2022])
    assert list(t.itertuples(index=False, name=None)) == [
        (2021, "a", "b", 1), (2021, "b", "c", 1),
        (2022, "b", "c", 1), (2022, "b", "d", 1), (2022, "c", "d", 1)]


@pytest.mark.parametrize("window", [1, 3])
def test_snapshots_equal_networkx_per_year(window):
    # Each year's snapshot is the collaboration graph of the ties select_ties keeps for
    # [year - window + 1, year]; its measures are NetworkX's on that graph.
    tables = random_tables(seed=window)
    years = range(2008, 2026)  # beyond the data at both ends: empty years and open ends
    t = snapshots(tables, years=years, window=window)
    pairs = tie_years(tables, years=years, window=window)
    previous: set = set()
    for year in years:
        flt = TieFilter(start_year=year - window + 1, end_year=year)
        g = collaboration_graph(tables, flt)
        edges = collaboration_edges(select_ties(tables, flt).ties)
        mine = pairs.loc[pairs["year"] == year, ["source", "target", "shared"]]
        assert list(mine.itertuples(index=False, name=None)) == \
            list(edges[["source", "target", "shared"]].itertuples(index=False, name=None))
        current = {tuple(sorted(e)) for e in g.edges()}
        row = t.frame.loc[year]
        assert row["nodes"] == g.number_of_nodes() and row["edges"] == g.number_of_edges()
        assert row["new_ties"] == len(current - previous)
        assert row["persisting_ties"] == len(current & previous)
        assert row["decayed_ties"] == len(previous - current)
        previous = current
        if len(g) == 0:
            assert row["components"] == 0 and math.isnan(row["average_clustering"])
            continue
        assert row["density"] == pytest.approx(nx.density(g))
        assert row["components"] == nx.number_connected_components(g)
        assert row["largest_component"] == max(len(c) for c in nx.connected_components(g))
        assert row["average_clustering"] == pytest.approx(nx.average_clustering(g))
    assert t.frame.loc[2008, "nodes"] == 0 and t.frame.loc[2025, "nodes"] > 0  # open-ended ties run on


def test_snapshots_deterministic_and_empty():
    tables = random_tables(seed=9)
    pd.testing.assert_frame_equal(snapshots(tables).frame, snapshots(tables).frame)
    pd.testing.assert_frame_equal(tie_years(tables), tie_years(tables))
    empty = snapshots(tables_of([("a", "p", None, None)]))
    assert empty.frame.empty and list(empty.frame.columns)[:2] == ["collaborations", "nodes"]
    assert tie_years(tables_of([("a", "p", None, None)])).empty


# --- method diffusion -------------------------------------------------------------------------

DELIB, JURY, PP1 = "https://x.org/m/delib", "https://x.org/m/jury", "https://x.org/pp/1"


def diffusion_tables() -> KnowledgeTables:
    """Hand-made history (methods: jury under delib, Participedia's pp/1 matching jury).

    P1 2015-16: A, B, G (no method)  -> A, B, G partners since 2015
    P2 2016:    A (pp/1), F undated  -> A adopts pp/1, jury, delib in 2016; F left out
    P6 2017:    G (delib)            -> G adopts delib 2017
    P3 2018-19: B, C (delib)         -> B, C adopt delib 2018; B-C partners since 2018
    P4 2020:    C, D (jury)          -> C, D adopt jury (D also delib) in 2020; C-D partners since 2020
    N network:  E 2010-12, A 2014-   -> never members at the same time: not partners
    P5 2021:    E (jury)             -> E adopts jury, delib 2021
    """
    return tables_of(
        [("A", "P1", "2015", "2016"), ("B", "P1", "2015", "2016"), ("G", "P1", "2015-05", "2016"),
         ("A", "P2", "2016", "2016"), ("F", "P2", None, None), ("G", "P6", "2017", "2017"),
         ("B", "P3", "2018", "2019"), ("C", "P3", "2018", "2019"), ("C", "P4", "2020", "2020"),
         ("D", "P4", "2020", "2020"), ("E", "N", "2010", "2012", "network"), ("A", "N", "2014", None, "network"),
         ("E", "P5", "2021", "2021")],
        [("P2", "dkg:usesMethod", PP1), ("P6", "dkg:usesMethod", DELIB), ("P3", "dkg:usesMethod", DELIB),
         ("P4", "dkg:usesMethod", JURY), ("P5", "dkg:usesMethod", JURY),
         (JURY, "skos:broader", DELIB), (PP1, "skos:exactMatch", JURY)])


def test_method_diffusion_by_hand():
    t = method_diffusion(diffusion_tables())
    rows = [(m.rsplit("/", 2)[-2] + "/" + m.rsplit("/", 1)[-1], o, y, e, n, None if pd.isna(f) else int(f))
            for o, m, y, e, n, f in t.frame.itertuples(index=False, name=None)]
    assert rows == [
        # delib: A first (2016, nobody before). G 2017: partner A (since 2015) adopted 2016 ->
        # exposed from max(2015, 2016) = 2016. B 2018: partners A (2016) and G (2017), both met
        # 2015 -> 2 partners, first exposure 2016. C 2018: met B only in 2018, not before ->
        # not exposed. D 2020: met C in 2020 -> no. E 2021: no partner (N memberships never overlap).
        ("m/delib", "A", 2016, False, 0, None), ("m/delib", "G", 2017, True, 1, 2016),
        ("m/delib", "B", 2018, True, 2, 2016), ("m/delib", "C", 2018, False, 0, None),
        ("m/delib", "D", 2020, False, 0, None), ("m/delib", "E", 2021, False, 0, None),
        # jury: A 2016 (through pp/1's exactMatch); C and D 2020 (same year: not exposed to each
        # other; C's earlier partner B never used a jury); E 2021 alone.
        ("m/jury", "A", 2016, False, 0, None), ("m/jury", "C", 2020, False, 0, None),
        ("m/jury", "D", 2020, False, 0, None), ("m/jury", "E", 2021, False, 0, None),
        ("pp/1", "A", 2016, False, 0, None),
    ]
    assert t.frame["adoption_year"].dtype == np.int64 and t.frame["exposed"].dtype == bool
    assert "1 of 13 selected ties undated" in t.method


def test_method_diffusion_partner_must_precede_in_both_respects():
    # X meets Y in 2019 (Q1), Y used m in 2020 (Q2), X adopts m in 2020 (Q3): Y's use is not
    # before X's adoption year -> not exposed. X adopts m2 in 2021 (Q4) after Y used m2 in 2018
    # (Q5), and they met in 2019 -> exposed, from max(2019, 2018) = 2019.
    tables = tables_of(
        [("X", "Q1", "2019", "2019"), ("Y", "Q1", "2019", "2019"), ("Y", "Q2", "2020", "2020"),
         ("X", "Q3", "2020", "2020"), ("X", "Q4", "2021", "2021"), ("Y", "Q5", "2018", "2018")],
        [("Q2", "dkg:usesMethod", "m"), ("Q3", "dkg:usesMethod", "m"),
         ("Q4", "dkg:usesMethod", "m2"), ("Q5", "dkg:usesMethod", "m2")])
    f = method_diffusion(tables).frame.set_index(["method", "organisation"])
    assert not f.loc[("m", "X"), "exposed"]
    assert f.loc[("m2", "X"), "exposed"] and f.loc[("m2", "X"), "first_exposure_year"] == 2019
    assert f.loc[("m2", "X"), "exposing_partners"] == 1


def test_method_diffusion_adopters_match_the_method_filter():
    # An organisation adopts m exactly when it has a dated tie that TieFilter(methods=(m,)) keeps.
    tables = diffusion_tables()
    frame = method_diffusion(tables).frame
    for m in (DELIB, JURY, PP1):
        kept = select_ties(tables, TieFilter(kinds=DIFFUSION_KINDS, methods=(m,))).ties.dropna(subset=["start"])
        assert set(frame.loc[frame["method"] == m, "organisation"]) == set(kept["organisation"])


def test_diffusion_summary_by_hand():
    s = diffusion_summary(method_diffusion(diffusion_tables()))
    assert s.level == "graph" and s.frame.index.tolist() == [DELIB, JURY, PP1]  # by adopters: 6, 4, 1
    # delib: 6 adopters, G and B exposed -> 2/6; first 2016, A alone then -> 1 pioneer.
    assert s.frame.loc[DELIB].tolist() == [6, 2, pytest.approx(1 / 3), 2016, 1]
    assert s.frame.loc[JURY].tolist() == [4, 0, 0.0, 2016, 1]
    assert s.frame.loc[PP1].tolist() == [1, 0, 0.0, 2016, 1]


def test_method_diffusion_without_methods_and_deterministic():
    empty = method_diffusion(tables_of([("a", "p", "2020", "2021"), ("b", "p", "2020", "2021")]))
    assert empty.frame.empty and list(empty.frame.columns)[:3] == ["organisation", "method", "adoption_year"]
    assert diffusion_summary(empty).frame.empty
    a, b = method_diffusion(diffusion_tables()), method_diffusion(diffusion_tables())
    pd.testing.assert_frame_equal(a.frame, b.frame)
    # Only projects: the network N and its (non-)partnership drop out, nothing else changes here.
    projects = method_diffusion(diffusion_tables(), TieFilter(kinds=("project",))).frame
    pd.testing.assert_frame_equal(projects, a.frame)
