"""Structural holes and brokerage: hand-computed values, published values, and the fast paths held
equal to NetworkX (constraint, effective size) or to the plain-loop reference (brokerage)."""

from __future__ import annotations

import math
import random

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from graph.network import _triangles as module
from graph.network.brokerage import ROLES, brokerage, constraint, effective_size

COLUMNS = [*ROLES, "total"]


def borgatti() -> nx.Graph:
    """Borgatti's example (Connections 20(1), 1997), used by NetworkX's tests with UCINET values."""
    g = nx.Graph()
    weights = {("A", "B"): 2, ("A", "F"): 3, ("A", "G"): 5, ("A", "E"): 2, ("E", "G"): 8,
               ("F", "G"): 3, ("B", "G"): 4, ("B", "D"): 1, ("D", "G"): 3, ("G", "C"): 10}
    g.add_weighted_edges_from((u, v, w) for (u, v), w in weights.items())
    return g


def random_graph(seed: int, groups: str = "ABCD", missing: float = 0.1) -> nx.Graph:
    """A G(n, p) graph with random weights, a random group per node (some missing) and isolates."""
    r = random.Random(seed)
    g = nx.gnp_random_graph(r.randint(2, 40), r.uniform(0.05, 0.5), seed=seed)
    g.add_nodes_from(["isolate-1", "isolate-2"])
    used = groups[:r.randint(1, len(groups))]
    for node in g:
        if r.random() >= missing:
            g.nodes[node]["group"] = r.choice(used)
    for u, v in g.edges:
        g[u][v]["w"] = r.choice([0.5, 1, 2, 3.7])
    return g


def disconnected() -> nx.Graph:
    """Two components, a leaf, and an isolated node."""
    g = nx.disjoint_union(nx.karate_club_graph(), nx.florentine_families_graph())
    g.add_edge(100, 0)
    g.add_node(200)
    return g


def les_miserables() -> nx.Graph:
    return nx.les_miserables_graph()


SMALL_GRAPHS = [
    pytest.param(nx.karate_club_graph, None, id="karate"),
    pytest.param(nx.karate_club_graph, "weight", id="karate-weighted"),
    pytest.param(nx.florentine_families_graph, None, id="florentine"),
    pytest.param(les_miserables, "weight", id="les-miserables-weighted"),
    pytest.param(les_miserables, None, id="les-miserables"),
    pytest.param(disconnected, None, id="disconnected"),
    pytest.param(disconnected, "weight", id="disconnected-weighted"),
    *[pytest.param(lambda s=s: random_graph(s), "w", id=f"random-{s}-weighted") for s in range(5)],
    *[pytest.param(lambda s=s: random_graph(s), None, id=f"random-{s}") for s in range(5)],
]


def values(table, column=None) -> np.ndarray:
    return table.frame[column or table.metric].to_numpy(dtype=float)


def by_node(g: nx.Graph, mapping: dict) -> np.ndarray:
    return np.array([mapping[n] for n in g], dtype=float)


# -- constraint ---------------------------------------------------------------------------------


def test_constraint_by_hand():
    # Star, centre 0 with three leaves: p = 1/3 to each leaf and no indirect paths, so
    # 3 * (1/3)^2 = 1/3; each leaf has one partner: (1 + 0)^2 = 1.
    star = constraint(nx.star_graph(3), weight=None).column()
    assert star.tolist() == pytest.approx([1 / 3, 1, 1, 1])
    # Triangle: p = 1/2 to each partner, indirect 1/2 * 1/2 = 1/4: 2 * (3/4)^2 = 1.125.
    assert constraint(nx.complete_graph(3), weight=None).column().tolist() == pytest.approx([1.125] * 3)
    # Weighted star with weights 1, 1, 2: p = 1/4, 1/4, 1/2: 1/16 + 1/16 + 1/4 = 0.375.
    g = nx.Graph([(0, 1, {"shared": 1}), (0, 2, {"shared": 1}), (0, 3, {"shared": 2})])
    assert constraint(g).column()[0] == pytest.approx(0.375)
    assert constraint(g, backend="networkx").column()[0] == pytest.approx(0.375)


@pytest.mark.parametrize("backend", ["auto", "networkx"])
def test_constraint_published(backend):
    # NetworkX's test values for Borgatti's graph, computed with UCINET and igraph.
    g = borgatti()
    plain = constraint(g, weight=None, backend=backend).column()
    weighted = constraint(g, weight="weight", backend=backend).column()
    assert [plain["G"], plain["A"], plain["C"]] == pytest.approx([0.400, 0.595, 1], abs=1e-3)
    assert [weighted["G"], weighted["A"], weighted["C"]] == pytest.approx([0.299, 0.795, 1], abs=1e-3)


@pytest.mark.parametrize(("make", "weight"), SMALL_GRAPHS)
def test_constraint_equals_networkx(make, weight):
    g = make()
    expected = by_node(g, nx.constraint(g, weight=weight))
    fast = constraint(g, weight=weight)
    assert list(fast.frame.index) == list(g)
    np.testing.assert_allclose(values(fast), expected, rtol=1e-12, atol=1e-12, equal_nan=True)
    np.testing.assert_allclose(values(constraint(g, weight=weight, backend="networkx")), expected, equal_nan=True)
    assert fast.method == "exact" and fast.parameters == {"weight": weight}


def test_constraint_isolated_selfloop_and_zero_weight():
    g = nx.Graph([(0, 1, {"shared": 1}), (0, 2, {"shared": 2}), (1, 2, {"shared": 0})])
    g.add_node(3)
    g.add_edge(4, 4, shared=5)  # a tie to oneself: no partner
    reference = nx.Graph([(0, 1, {"shared": 1}), (0, 2, {"shared": 2})])  # the zero-weight tie is no tie
    reference.add_nodes_from([3, 4])
    expected = by_node(reference, nx.constraint(reference, weight="shared"))
    for backend in ("auto", "networkx"):
        got = constraint(g, backend=backend)
        np.testing.assert_allclose(values(got), expected, equal_nan=True)
        assert math.isnan(got.column()[3]) and math.isnan(got.column()[4])
    # Unweighted, the zero-weight tie is an ordinary tie: a triangle plus the isolates.
    assert constraint(g, weight=None).column()[[0, 1, 2]].tolist() == pytest.approx([1.125] * 3)


# -- effective size -----------------------------------------------------------------------------


def test_effective_size_by_hand():
    # Star with three leaves: n = 3 partners, t = 0 ties among them: 3 - 0 = 3, efficiency 1;
    # a leaf: 1 - 0 = 1. Triangle: n = 2, t = 1: 2 - 2/2 = 1, efficiency 1/2.
    star = effective_size(nx.star_graph(3)).frame
    assert star.loc[0].tolist() == pytest.approx([3, 1])
    assert star.loc[1].tolist() == pytest.approx([1, 1])
    assert effective_size(nx.complete_graph(3)).frame.loc[0].tolist() == pytest.approx([1, 0.5])


def test_weighted_effective_size_by_hand():
    # Triangle a, b, c with w_ab = 1, w_ac = 2, w_bc = 3; Burt's e(i) = sum_j (1 - sum_q p_iq m_jq).
    # Strengths s_a = 3, s_b = 4, s_c = 5; strongest ties max_a = 2, max_b = 3, max_c = 3.
    # a: j=b, q=c: 1 - (2/3)(3/3) = 1/3;  j=c, q=b: 1 - (1/3)(3/3) = 2/3;  e(a) = 1.
    # b: j=a, q=c: 1 - (3/4)(2/2) = 1/4;  j=c, q=a: 1 - (1/4)(2/3) = 5/6;  e(b) = 13/12.
    # c: j=a, q=b: 1 - (3/5)(1/2) = 7/10; j=b, q=a: 1 - (2/5)(1/3) = 13/15; e(c) = 47/30.
    g = nx.Graph([("a", "b", {"w": 1}), ("a", "c", {"w": 2}), ("b", "c", {"w": 3})])
    for backend in ("auto", "networkx"):
        frame = effective_size(g, weight="w", backend=backend).frame
        assert frame["effective_size"].tolist() == pytest.approx([1, 13 / 12, 47 / 30])
        assert frame["efficiency"].tolist() == pytest.approx([1 / 2, 13 / 24, 47 / 60])


@pytest.mark.parametrize("backend", ["auto", "networkx"])
def test_effective_size_published(backend):
    # NetworkX's test values for Borgatti's graph (UCINET: 4.67, 2.50, 1; weighted 5.47, 2.47, 1).
    g = borgatti()
    plain = effective_size(g, backend=backend).column()
    weighted = effective_size(g, weight="weight", backend=backend).column()
    assert [plain["G"], plain["A"], plain["C"]] == pytest.approx([4.67, 2.50, 1], abs=1e-2)
    assert [weighted["G"], weighted["A"], weighted["C"]] == pytest.approx([5.47, 2.47, 1], abs=1e-2)
    # All weights equal: Burt's weighted formula reduces to Borgatti's.
    nx.set_edge_attributes(g, 1, "weight")
    assert values(effective_size(g, weight="weight", backend=backend)) == pytest.approx(values(effective_size(g)))


@pytest.mark.parametrize(("make", "weight"), SMALL_GRAPHS)
def test_effective_size_equals_networkx(make, weight):
    g = make()
    # NetworkX's node-by-node code; its all-nodes matrix code is wrong when weighted (docstring).
    expected = by_node(g, nx.effective_size(g, nodes=list(g), weight=weight))
    fast = effective_size(g, weight=weight)
    np.testing.assert_allclose(values(fast), expected, rtol=1e-10, atol=1e-12, equal_nan=True)
    np.testing.assert_allclose(values(effective_size(g, weight=weight, backend="networkx")), expected,
                               equal_nan=True)
    degree = by_node(g, dict(g.degree()))
    with np.errstate(invalid="ignore", divide="ignore"):
        np.testing.assert_allclose(values(fast, "efficiency"), expected / degree, equal_nan=True)
    if weight is None:  # unweighted, NetworkX's two code paths agree
        np.testing.assert_allclose(values(fast), by_node(g, nx.effective_size(g)), equal_nan=True)


def test_effective_size_isolated_and_selfloop():
    g = nx.path_graph(3)
    g.add_edge(4, 4)  # NetworkX's own example: only a self-loop, so undefined
    for backend in ("auto", "networkx"):
        frame = effective_size(g, backend=backend).frame
        assert frame.loc[[0, 1, 2], "effective_size"].tolist() == [1.0, 2.0, 1.0]
        assert frame.loc[4].isna().all()


@pytest.mark.parametrize("chunk", [1, 5, 1 << 23])
def test_chunked_products_agree(monkeypatch, chunk):
    # The triangle sums run in row chunks; any chunk size gives the same sums.
    monkeypatch.setattr(module, "_CHUNK_WORK", chunk)
    g = nx.les_miserables_graph()
    expected = by_node(g, nx.effective_size(g, nodes=list(g), weight="weight"))
    np.testing.assert_allclose(values(effective_size(g, weight="weight")), expected, rtol=1e-10)


# -- brokerage ----------------------------------------------------------------------------------


def roles(g: nx.Graph, node, backend: str = "auto", attribute: str = "group") -> list:
    return brokerage(g, attribute, backend=backend).frame.loc[node, COLUMNS].tolist()


@pytest.mark.parametrize("backend", ["auto", "networkx"])
def test_brokerage_star_by_hand(backend):
    # Centre 0 in A; leaves 1 (A), 2 (B), 3 (B), no ties among them. Pairs:
    # (1, 2) and (1, 3): one partner in 0's group, one not -> gatekeeper/representative, 2;
    # (2, 3): both in B, 0 in A -> consultant, 1. Total 3. Leaves broker nothing.
    g = nx.star_graph(3)
    nx.set_node_attributes(g, {0: "A", 1: "A", 2: "B", 3: "B"}, "group")
    assert roles(g, 0, backend) == [0, 1, 2, 0, 3]
    assert roles(g, 1, backend) == [0, 0, 0, 0, 0]
    # Tie 2 and 3: the consultant pair closes; 0 still brokers the two border pairs.
    g.add_edge(2, 3)
    assert roles(g, 0, backend) == [0, 0, 2, 0, 2]
    # 2's partners, 0 and 3, are tied to each other: 2 brokers nothing. Remove 0 - 3 and 2
    # brokers between 0 (A) and 3 (B, its own group): gatekeeper/representative.
    assert roles(g, 2, backend) == [0, 0, 0, 0, 0]
    g.remove_edge(0, 3)
    assert roles(g, 2, backend) == [0, 0, 1, 0, 1]


@pytest.mark.parametrize("backend", ["auto", "networkx"])
def test_brokerage_path_and_triangle_by_hand(backend):
    # Path a - b - c: b brokers the one pair (a, c).
    g = nx.path_graph(["a", "b", "c"])
    nx.set_node_attributes(g, {"a": "X", "b": "Y", "c": "Z"}, "group")
    assert roles(g, "b", backend) == [0, 0, 0, 1, 1]  # three groups: liaison
    nx.set_node_attributes(g, {"a": "X", "b": "X", "c": "X"}, "group")
    assert roles(g, "b", backend) == [1, 0, 0, 0, 1]  # one group: coordinator
    nx.set_node_attributes(g, {"a": "X", "b": "Y", "c": "X"}, "group")
    assert roles(g, "b", backend) == [0, 1, 0, 0, 1]  # outsider between two of X: consultant
    # Triangle: every pair of partners is tied, so nobody brokers.
    t = nx.complete_graph(3)
    nx.set_node_attributes(t, {0: "X", 1: "Y", 2: "Z"}, "group")
    assert brokerage(t, "group", backend=backend).frame.to_numpy().tolist() == [[0] * 5] * 3


@pytest.mark.parametrize("backend", ["auto", "networkx"])
def test_brokerage_missing_group(backend):
    # Centre 0 (A) with leaves 1 (A), 2 (B) and 3 without a group. Only (1, 2) is classified
    # (gatekeeper/representative); pairs with 3 count in no role. 3's own roles are unknown.
    g = nx.star_graph(3)
    nx.set_node_attributes(g, {0: "A", 1: "A", 2: "B"}, "group")
    frame = brokerage(g, "group", backend=backend).frame
    assert frame.loc[0].tolist() == [0, 0, 1, 0, 1]
    assert frame.loc[3].isna().all()
    # None, NaN, pd.NA and "" are missing too; an attribute nobody has leaves every role unknown.
    for missing in (None, float("nan"), pd.NA, ""):
        g.nodes[3]["group"] = missing
        assert brokerage(g, "group", backend=backend).frame.loc[0].tolist() == [0, 0, 1, 0, 1]
    assert brokerage(g, "nothing", backend=backend).frame.isna().all().all()


@pytest.mark.parametrize("seed", range(40))
def test_brokerage_equals_reference(monkeypatch, seed):
    # Random graphs, groups (one to four, some nodes without) and tiny chunks: the combinatorial
    # fast path counts exactly what the loop over pairs counts.
    monkeypatch.setattr(module, "_CHUNK_WORK", 1 + seed % 7)
    g = random_graph(seed)
    g.add_edge(0, 0)  # self-loops are ignored
    fast, reference = brokerage(g, "group"), brokerage(g, "group", backend="networkx")
    assert list(fast.frame.columns) == COLUMNS and list(fast.frame.index) == list(g)
    np.testing.assert_array_equal(fast.frame.to_numpy(), reference.frame.to_numpy())


@pytest.mark.parametrize(("make", "attribute"), [
    pytest.param(nx.karate_club_graph, "club", id="karate-clubs"),
    pytest.param(les_miserables, "group", id="les-miserables"),
    pytest.param(nx.florentine_families_graph, "group", id="florentine"),
])
def test_brokerage_equals_reference_small_graphs(make, attribute):
    g = make()
    r = random.Random(7)
    for node in g:
        g.nodes[node].setdefault("group", r.choice("ABC"))
    fast, reference = brokerage(g, attribute), brokerage(g, attribute, backend="networkx")
    np.testing.assert_array_equal(fast.frame.to_numpy(), reference.frame.to_numpy())
    # With every group known, the roles add up to all open pairs: C(degree, 2) - triangles.
    triangles, degree = nx.triangles(g), dict(g.degree())
    open_pairs = [degree[n] * (degree[n] - 1) // 2 - triangles[n] for n in g]
    assert fast.frame["total"].tolist() == open_pairs
    assert fast.method == "exact" and fast.parameters == {"attribute": attribute}


def test_brokerage_roles_sum_to_open_pairs_per_attribute():
    # The classification splits the same open pairs whichever attribute groups the nodes.
    g = random_graph(3, missing=0)
    for node in g:
        g.nodes[node]["other"] = node % 2 if isinstance(node, int) else "y"
    a, b = brokerage(g, "group").frame, brokerage(g, "other").frame
    assert a["total"].tolist() == b["total"].tolist()


# -- edge cases ---------------------------------------------------------------------------------


def test_empty_graph():
    g = nx.Graph()
    for backend in ("auto", "networkx"):
        assert constraint(g, backend=backend).frame.empty
        assert list(effective_size(g, backend=backend).frame.columns) == ["effective_size", "efficiency"]
        assert effective_size(g, backend=backend).frame.empty
        table = brokerage(g, "group", backend=backend)
        assert table.frame.empty and list(table.frame.columns) == COLUMNS


def test_isolated_nodes_only():
    g = nx.empty_graph(3)
    nx.set_node_attributes(g, "A", "group")
    for backend in ("auto", "networkx"):
        assert constraint(g, backend=backend).frame.isna().all().all()
        assert effective_size(g, backend=backend).frame.isna().all().all()
        assert (brokerage(g, "group", backend=backend).frame == 0).all().all()


def test_refuses_directed_graphs_and_unknown_backends():
    with pytest.raises(nx.NetworkXNotImplemented):
        brokerage(nx.DiGraph([(0, 1)]), "group")
    with pytest.raises(nx.NetworkXNotImplemented):
        constraint(nx.MultiGraph([(0, 1)]))
    with pytest.raises(ValueError, match="unknown backend"):
        effective_size(nx.path_graph(3), backend="graph-tool")
    with pytest.raises(ValueError, match="unknown backend"):
        brokerage(nx.path_graph(3), "group", backend="igraph")
