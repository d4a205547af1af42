"""The case–method–organisation network from Participedia-style case data.

Three layers: cases of practice (``dkg:Case``), the methods they use (``dkg:usesMethod``; a
Participedia method that ``skos:exactMatch``-es one of ours becomes ours, so the two catalogues
meet), and the organisations that organised them (qualified ``organiser`` memberships). Methods
shared by many cases and organisations that organise cases with several methods are the bridges
of this network.

Examples
--------
>>> import pandas as pd
>>> from graph.network.extract import KnowledgeTables
>>> tables = KnowledgeTables(
...     ties=pd.DataFrame({"membership": ["m1"], "organisation": ["org"], "target": ["case1"], "target_kind": ["case"],
...                        "role": ["organiser"], "start": ["2020"], "end": [None]}),
...     entities=pd.DataFrame({"label": ["Case 1", "Jury"], "kind": ["case", "concept"], "country": [None, None],
...                            "orgtype": [None, None], "city": [None, None]}, index=["case1", "pb-jury"]),
...     links=pd.DataFrame({"child": ["case1", "pb-jury"], "relation": ["dkg:usesMethod", "skos:exactMatch"],
...                         "parent": ["pb-jury", "our-jury"]}))
>>> sorted(tuple(sorted(e)) for e in case_method_graph(tables).edges())
[('case1', 'org'), ('case1', 'our-jury')]
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from ._build import add_edges
from .bipartite import node_attributes
from .extract import KnowledgeTables

__all__ = ["case_method_graph"]


def case_method_graph(tables: KnowledgeTables, countries: tuple[str, ...] = ()) -> nx.Graph:
    """Build the three-layer case–method–organisation graph.

    Parameters
    ----------
    tables : KnowledgeTables
        Cases are the entities of kind ``case``; their methods come from the ``links``, their
        organisers from the ``ties``.
    countries : tuple of str
        Keep only cases in these countries (ISO alpha-2 codes); empty keeps all.

    Returns
    -------
    networkx.Graph
        Nodes with ``layer`` (``case``, ``method``, ``organisation``) and the usual attributes;
        case–method edges (``relation="uses"``) and organisation–case edges (``relation`` the role).

    Examples
    --------
    A city organised two juries, one in Belgium and one in France; only the Belgian one is kept:

    >>> import pandas as pd
    >>> from graph.network.extract import KnowledgeTables
    >>> entities = pd.DataFrame({"label": ["Ghent jury", "Lyon jury", "Jury"], "kind": ["case", "case", "concept"],
    ...                          "country": ["BE", "FR", None]}, index=["c1", "c2", "jury"])
    >>> links = pd.DataFrame({"child": ["c1", "c2"], "relation": "dkg:usesMethod", "parent": "jury"})
    >>> ties = pd.DataFrame({"organisation": ["city", "city"], "target": ["c1", "c2"], "role": "organiser"})
    >>> g = case_method_graph(KnowledgeTables(ties, entities, links), countries=("be",))
    >>> dict(g.nodes(data="layer")), sorted(g.edges("c1", data="relation"))
    ({'c1': 'case', 'jury': 'method', 'city': 'organisation'}, [('c1', 'city', 'organiser'), ('c1', 'jury', 'uses')])
    """
    entities, links = tables.entities, tables.links
    cases = set(entities.index[entities["kind"] == "case"])
    if countries:
        wanted = {c.upper() for c in countries}
        cases = {c for c in cases if entities.at[c, "country"] in wanted}
    matches = links.loc[links["relation"] == "skos:exactMatch"].drop_duplicates("child")
    ours = dict(zip(matches["child"].tolist(), matches["parent"].tolist()))
    uses = links.loc[(links["relation"] == "dkg:usesMethod") & links["child"].isin(cases)]
    method_edges = sorted({(case, ours.get(m, m)) for case, m in zip(uses["child"].tolist(), uses["parent"].tolist())})
    organised = tables.ties.loc[tables.ties["target"].isin(cases)]
    organiser_edges = organised.groupby(["organisation", "target"], sort=True)["role"].agg(
        lambda r: ";".join(sorted(set(r.dropna())))).reset_index()
    g = nx.Graph(projection="case-method")
    for layer, nodes in (("case", sorted(cases)), ("method", sorted({m for _, m in method_edges})),
                         ("organisation", sorted(set(organiser_edges["organisation"])))):
        g.add_nodes_from((n, {**a, "layer": layer}) for n, a in node_attributes(entities, pd.Index(nodes), layer))
    for n in g:
        if g.nodes[n]["layer"] == "method":
            g.nodes[n]["kind"] = "method"
    add_edges(g, [c for c, _ in method_edges], [m for _, m in method_edges], relation=["uses"] * len(method_edges))
    add_edges(g, organiser_edges["organisation"].tolist(), organiser_edges["target"].tolist(),
              relation=organiser_edges["role"].tolist())
    return g
