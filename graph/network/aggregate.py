"""Aggregates: country–country collaboration, and which cities take part in which networks.

:func:`country_graph` sums an organisation collaboration graph by country: an edge between two
countries carries the number of organisation ties between them and the sum of their weights; ties
inside one country become node attributes (``domestic_ties``, ``domestic_weight``) instead of
self-loops, which would distort degree and clustering. Organisations without a country are left
out and counted in ``graph["unplaced_organisations"]``.

:func:`city_network_graph` links cities to the networks their organisations are members of, the
edge weight being the number of such member organisations.

Examples
--------
>>> import networkx as nx
>>> g = nx.Graph()
>>> g.add_nodes_from([("a", {"country": "BE"}), ("b", {"country": "BE"}), ("c", {"country": "IT"}), "d"])
>>> g.add_edges_from([("a", "b", {"shared": 2}), ("a", "c", {"shared": 1}), ("b", "c", {"shared": 3}), ("c", "d", {"shared": 1})])
>>> cg = country_graph(g)
>>> cg.edges["BE", "IT"], cg.nodes["BE"]["domestic_shared"], cg.graph["unplaced_organisations"]
({'ties': 2, 'shared': 4}, 2, 1)
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from ontology.countries import lookup

from ._build import add_edges
from .bipartite import node_attributes
from .extract import KnowledgeTables

__all__ = ["country_graph", "city_network_graph"]


def country_graph(g: nx.Graph, weight: str = "shared") -> nx.Graph:
    """Sum the organisation ties of ``g`` by the ``country`` of their ends.

    Parameters
    ----------
    g : networkx.Graph
        An organisation collaboration graph whose nodes carry ``country`` (ISO alpha-2 codes;
        nodes without one are left out and counted).
    weight : str
        Edge attribute to sum (ties without it count 1).

    Returns
    -------
    networkx.Graph
        Country nodes (ISO alpha-2 codes) with ``label``, ``kind="country"``, ``organisations``,
        ``domestic_ties`` and ``domestic_<weight>``; edges with ``ties`` and ``<weight>``;
        ``graph["unplaced_organisations"]``, the nodes without a country.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph([("a", "b", {"newman": 0.5}), ("a", "c", {"newman": 1.0})])
    >>> nx.set_node_attributes(g, {"a": "FR", "b": "DE", "c": "FR"}, "country")
    >>> cg = country_graph(g, weight="newman")
    >>> cg.nodes["FR"]["label"], cg.nodes["FR"]["domestic_newman"], cg.edges["DE", "FR"]
    ('France', 1, {'ties': 1, 'newman': 0.5})
    """
    country = nx.get_node_attributes(g, "country")
    rows = [(country[u], country[v], w) for u, v, w in g.edges(data=weight, default=1)
            if u in country and v in country]
    edges = pd.DataFrame(rows, columns=["a", "b", "w"])
    swap = edges["a"] > edges["b"]
    edges.loc[swap, ["a", "b"]] = edges.loc[swap, ["b", "a"]].to_numpy()
    summed = edges.groupby(["a", "b"], sort=True)["w"].agg(["size", "sum"]).reset_index()
    domestic = summed.loc[summed["a"] == summed["b"]].set_index("a")
    foreign = summed.loc[summed["a"] != summed["b"]]
    counts = pd.Series(country).value_counts()
    out = nx.Graph(projection="country", weight=weight,
                   unplaced_organisations=g.number_of_nodes() - len(country))
    for code in sorted(counts.index):
        found = lookup(code)
        out.add_node(code, label=found.name if found else code, kind="country", organisations=int(counts[code]),
                     domestic_ties=int(domestic["size"].get(code, 0)), **{f"domestic_{weight}": _number(domestic["sum"].get(code, 0))})
    add_edges(out, foreign["a"].tolist(), foreign["b"].tolist(), ties=[int(x) for x in foreign["size"]],
              **{weight: [_number(x) for x in foreign["sum"]]})
    return out


def _number(x: float) -> int | float:
    return int(x) if float(x).is_integer() else float(x)


def city_network_graph(tables: KnowledgeTables, ties: pd.DataFrame | None = None) -> nx.Graph:
    """Bipartite city–network graph: a city is tied to a network its organisations are members of.

    Parameters
    ----------
    tables : KnowledgeTables
        The ``entities`` give each organisation's ``city``.
    ties : pandas.DataFrame, optional
        Selected ties (default: all); only those whose target is a network count.

    Returns
    -------
    networkx.Graph
        Cities (``kind="city"``, ``bipartite=0``) and networks (``bipartite=1``); edges carry
        ``members``, the number of the city's organisations in the network.

    Examples
    --------
    Two organisations of Ghent are members of one network; a third takes part in a project only:

    >>> import pandas as pd
    >>> from graph.network.extract import KnowledgeTables
    >>> ties = pd.DataFrame({"organisation": ["a", "b", "c"], "target": ["net", "net", "proj"],
    ...                      "target_kind": ["network", "network", "project"]})
    >>> entities = pd.DataFrame({"label": ["Ghent", None, None, None], "kind": ["city"] + ["organisation"] * 3,
    ...                          "city": [None, "ghent", "ghent", "ghent"]}, index=["ghent", "a", "b", "c"])
    >>> g = city_network_graph(KnowledgeTables(ties, entities, pd.DataFrame()))
    >>> sorted(g.edges(data="members")), g.nodes["ghent"]["label"]
    ([('ghent', 'net', 2)], 'Ghent')
    """
    ties = tables.ties if ties is None else ties
    memberships = ties.loc[ties["target_kind"] == "network", ["organisation", "target"]].drop_duplicates()
    memberships = memberships.assign(city=tables.entities["city"].reindex(memberships["organisation"]).to_numpy())
    memberships = memberships.dropna(subset=["city"])
    counted = memberships.groupby(["city", "target"], sort=True).size().reset_index(name="members")
    g = nx.Graph(projection="city-network")
    cities = pd.Index(sorted(set(counted["city"])))
    g.add_nodes_from((n, {**a, "kind": "city", "bipartite": 0})
                     for n, a in node_attributes(tables.entities, cities, "city"))
    networks = pd.Index(sorted(set(counted["target"])))
    g.add_nodes_from((n, {**a, "kind": "network", "bipartite": 1})
                     for n, a in node_attributes(tables.entities, networks, "network"))
    add_edges(g, counted["city"].tolist(), counted["target"].tolist(), members=[int(x) for x in counted["members"]])
    return g
