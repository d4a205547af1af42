"""The membership network of networks: who is a member of which network, and how far a hub reaches.

Nets4Dem is a network of networks: cities and organisations are members of networks (Eurocities,
ECAS...) that are themselves members of Nets4Dem. :func:`membership_graph` is the directed graph
member → network of ``org:Membership`` ties whose target is an organisation (a network);
:func:`indirect_reach` follows member-of-member paths backwards from every network and counts
whom it reaches directly and through its members.

Examples
--------
>>> import pandas as pd
>>> ties = pd.DataFrame({"organisation": ["city", "net", "ngo"], "target": ["net", "hub", "hub"],
...                      "target_kind": "network", "role": "member", "start": None, "end": None})
>>> reach = indirect_reach(membership_graph(ties)).frame
>>> reach.loc["hub"].tolist()
[2, 3, 2]
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from .bipartite import node_attributes, participation_graph
from .result import MetricTable

__all__ = ["membership_graph", "add_part_of", "indirect_reach"]

#: Links that put a programme, event or project inside a broader one.
PART_OF = ("dcterms:isPartOf", "schema:superEvent")


def membership_graph(ties: pd.DataFrame, entities: pd.DataFrame | None = None,
                     kinds: tuple[str, ...] = ("network",)) -> nx.DiGraph:
    """Directed member → network graph from the ties whose ``target_kind`` is one of ``kinds``.

    By default the memberships of networks; with more kinds (programmes, events, projects, as
    the published "Networks of networks" map asks through its filter) the whole network of
    networks, members and participants pointing to what they belong to. Edges carry ``roles``,
    ``participations`` and, where dated, ``first_year``/``last_year``, as in
    :func:`graph.network.bipartite.participation_graph`.

    Parameters
    ----------
    ties : pandas.DataFrame
        Selected ties (``organisation``, ``target``, ``target_kind``, ``role``, ``start``,
        ``end``).
    entities : pandas.DataFrame, optional
        The entity table, for node labels, kinds, countries and types.
    kinds : tuple of str
        The ``target_kind`` values that count as belonging.

    Returns
    -------
    networkx.DiGraph
        Member → network (or programme, event...) edges.

    Examples
    --------
    >>> import pandas as pd
    >>> ties = pd.DataFrame({"organisation": ["city", "city", "ngo"], "target": ["net", "prog", "net"],
    ...                      "target_kind": ["network", "programme", "network"], "role": "member",
    ...                      "start": ["2019", None, None], "end": None})
    >>> sorted(membership_graph(ties).edges(data="first_year"))
    [('city', 'net', 2019), ('ngo', 'net', None)]
    >>> sorted(membership_graph(ties, kinds=("network", "programme")).edges())
    [('city', 'net'), ('city', 'prog'), ('ngo', 'net')]
    """
    memberships = ties.loc[ties["target_kind"].isin(kinds)]
    undirected = participation_graph(memberships, entities)
    g = nx.DiGraph(projection="membership")
    nodes = pd.Index(sorted(undirected))
    g.add_nodes_from((n, {**a, "kind": undirected.nodes[n].get("kind", a["kind"])})
                     for n, a in node_attributes(entities, nodes, "organisation"))
    for member, network in zip(memberships["organisation"].tolist(), memberships["target"].tolist()):
        g.add_edge(member, network, **undirected.edges[member, network])
    return g


def add_part_of(g: nx.DiGraph, links: pd.DataFrame, entities: pd.DataFrame | None = None) -> nx.DiGraph:
    """Add to ``g`` the programmes, events and projects that its activities are part of, upwards.

    Each programme, event or project node of ``g`` points to what it belongs to (``dcterms:isPartOf``
    or ``schema:superEvent`` in ``links``; an edge with ``roles`` ``part of``), and so on up to the
    top, so that the editions of an award meet their award and a cohort its programme. ``g`` is
    changed in place and returned.

    Parameters
    ----------
    g : networkx.DiGraph
        A membership graph whose nodes carry ``kind``.
    links : pandas.DataFrame
        The links table (``child``, ``relation``, ``parent``).
    entities : pandas.DataFrame, optional
        The entity table, for the attributes of the nodes added.

    Returns
    -------
    networkx.DiGraph
        ``g``.

    Examples
    --------
    >>> import pandas as pd, networkx as nx
    >>> g = nx.DiGraph([("city", "lab-2024")]); g.nodes["lab-2024"]["kind"] = "event"
    >>> links = pd.DataFrame({"child": ["lab-2024", "lab"], "relation": "dcterms:isPartOf", "parent": ["lab", "offer"]})
    >>> sorted(add_part_of(g, links).edges(data="roles"))
    [('city', 'lab-2024', None), ('lab', 'offer', 'part of'), ('lab-2024', 'lab', 'part of')]
    """
    up = links.loc[links["relation"].isin(PART_OF)]
    parents: dict[str, list[str]] = {}
    for child, parent in zip(up["child"].tolist(), up["parent"].tolist()):
        parents.setdefault(child, []).append(parent)
    todo = sorted((n for n, kind in g.nodes(data="kind") if kind in ("programme", "event", "project")), key=str)
    seen = set(todo)
    while todo:
        child = todo.pop()
        for parent in sorted(set(parents.get(child, ()))):
            if parent not in g:
                (node, attributes), = node_attributes(entities, pd.Index([parent]), "programme")
                g.add_node(node, **attributes)
            g.add_edge(child, parent, roles="part of")
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return g


def indirect_reach(g: nx.DiGraph) -> MetricTable:
    """For each network: direct members, all members reached through member-of-member paths, depth.

    Parameters
    ----------
    g : networkx.DiGraph
        Member → network edges (:func:`membership_graph`).

    Returns
    -------
    MetricTable
        One row per node that has members: ``direct_members``, ``all_members`` (direct and
        indirect, each counted once, itself excluded even on a cycle) and ``depth`` (the longest
        of the shortest member-of-member chains).

    Examples
    --------
    Two members of a network that is itself a member of a hub, which is a member of the network
    in turn (a cycle):

    >>> import networkx as nx
    >>> g = nx.DiGraph([("a", "net"), ("b", "net"), ("net", "hub"), ("hub", "net")])
    >>> indirect_reach(g).frame.reset_index().values.tolist()
    [['hub', 1, 3, 2], ['net', 3, 3, 1]]
    """
    reverse = g.reverse(copy=False)
    rows = []
    for network in sorted(n for n in g if g.in_degree(n) > 0):
        distance = nx.single_source_shortest_path_length(reverse, network)
        distance.pop(network, None)
        rows.append((network, g.in_degree(network), len(distance), max(distance.values(), default=0)))
    frame = pd.DataFrame(rows, columns=["node", "direct_members", "all_members", "depth"]).set_index("node")
    return MetricTable("reach", frame.astype("int64"), "exact")
