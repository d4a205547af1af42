"""The organisation–collaboration bipartite network: who takes part in which project or network.

Nodes are canonical organisations (``bipartite=0``) and the projects, networks, events or cases
they take part in (``bipartite=1``); an edge is one or more participations or memberships, with
their roles (sorted, ``;``-joined) and the years they span. Every node carries ``label``, ``kind``
and, where known, ``country`` and ``orgtype``; attribute values are plain strings and numbers, so
the graph exports to GEXF and GraphML as it is.

Examples
--------
>>> import pandas as pd
>>> from graph.network.bipartite import participation_graph
>>> ties = pd.DataFrame({"organisation": ["a", "b", "b"], "target": ["p", "p", "q"],
...                      "role": ["coordinator", "partner", "member"], "start": ["2020", "2020", None],
...                      "end": ["2022", None, None], "target_kind": ["project", "project", "network"]})
>>> g = participation_graph(ties)
>>> sorted(g.edges(data="roles"))
[('a', 'p', 'coordinator'), ('b', 'p', 'partner'), ('b', 'q', 'member')]
>>> g.nodes["q"]["bipartite"], g.nodes["q"]["kind"]
(1, 'network')
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd

from ._build import add_edges
from .select import year_span

__all__ = ["participation_graph", "node_attributes"]

_ATTRIBUTES = ("label", "kind", "country", "orgtype")


def node_attributes(entities: pd.DataFrame | None, nodes: pd.Index, default_kind: str) -> list[tuple[str, dict]]:
    """``(node, attributes)`` pairs for ``nodes`` from the entity table, missing values left out.

    Organisations (and networks) also get ``pic_only``, True when no source gives their name.

    Parameters
    ----------
    entities : pandas.DataFrame or None
        The entity table (:class:`graph.network.extract.KnowledgeTables`), indexed by IRI.
    nodes : pandas.Index
        The nodes to describe; those not in ``entities`` get only a kind and a label.
    default_kind : str
        The ``kind`` of nodes whose kind is unknown.

    Returns
    -------
    list of (str, dict)
        Each node with its ``label`` (else the IRI's key), ``kind``, ``country`` and ``orgtype``
        where known, and ``pic_only``; string values only, ready for ``add_nodes_from``.

    Examples
    --------
    >>> import pandas as pd
    >>> entities = pd.DataFrame({"label": ["PIC 999999999"], "kind": ["organisation"], "country": ["BE"],
    ...                          "orgtype": [None], "pic_only": [True]}, index=["https://example.org/org/1"])
    >>> for node, attributes in node_attributes(entities, pd.Index([*entities.index, "https://example.org/p/7"]),
    ...                                         "project"):
    ...     print(node, attributes)
    https://example.org/org/1 {'label': 'PIC 999999999', 'kind': 'organisation', 'country': 'BE', 'pic_only': True}
    https://example.org/p/7 {'label': '7', 'kind': 'project'}
    """
    frame = (entities.reindex(nodes, columns=list(_ATTRIBUTES)) if entities is not None
             else pd.DataFrame(index=nodes, columns=list(_ATTRIBUTES)))
    frame["kind"] = frame["kind"].fillna(default_kind)
    frame["label"] = frame["label"].fillna(pd.Series(nodes.map(_fallback_label), index=nodes))
    columns = {c: frame[c].tolist() for c in _ATTRIBUTES}
    # Organisations carry pic_only: True when no source names them (their label is "PIC <number>").
    if entities is not None and "pic_only" in entities.columns:
        flags = entities["pic_only"].reindex(nodes).tolist()
    else:
        flags = [None] * len(nodes)
    out = []
    for i, n in enumerate(nodes.tolist()):
        attributes = {c: columns[c][i] for c in _ATTRIBUTES if isinstance(columns[c][i], str)}
        if attributes["kind"] in ("organisation", "network") and isinstance(flags[i], (bool, np.bool_)):
            attributes["pic_only"] = bool(flags[i])
        out.append((n, attributes))
    return out


def _fallback_label(iri: str) -> str:
    from .extract import key

    return key(iri)


def participation_graph(ties: pd.DataFrame, entities: pd.DataFrame | None = None) -> nx.Graph:
    """Build the bipartite organisation–collaboration graph from selected ties.

    Parameters
    ----------
    ties : pandas.DataFrame
        Rows of :func:`graph.network.select.select_ties` (``organisation``, ``target``,
        ``target_kind``, ``role``, ``start``, ``end``).
    entities : pandas.DataFrame, optional
        The entity table, for node labels, kinds, countries and types.

    Returns
    -------
    networkx.Graph
        Organisations with ``bipartite=0``, collaborations with ``bipartite=1``; edges carry
        ``roles``, ``participations`` and, where dated, ``first_year`` and ``last_year``.

    Examples
    --------
    Two memberships of one organisation in one network make one edge spanning both; an open end
    leaves ``last_year`` out:

    >>> import pandas as pd
    >>> ties = pd.DataFrame({"organisation": ["a", "a", "b"], "target": ["net"] * 3, "target_kind": "network",
    ...                      "role": ["member", "board", "member"], "start": ["2015", "2019-03", "2020"],
    ...                      "end": ["2018", "2021", None]})
    >>> g = participation_graph(ties)
    >>> g.edges["a", "net"]
    {'roles': 'board;member', 'participations': 2, 'first_year': 2015, 'last_year': 2021}
    >>> g.edges["b", "net"]
    {'roles': 'member', 'participations': 1, 'first_year': 2020}
    """
    g = nx.Graph(projection="participation")
    if ties.empty:
        return g
    first, last = year_span(ties["start"], ties["end"])
    frame = pd.DataFrame({"organisation": ties["organisation"].to_numpy(), "target": ties["target"].to_numpy(),
                          "role": ties["role"].fillna("").to_numpy(), "first": first, "last": last})
    grouped = frame.groupby(["organisation", "target"], sort=True)
    edges = pd.DataFrame({
        "participations": grouped.size(),
        "first": grouped["first"].min(),
        "last": grouped["last"].max(),
    }).reset_index()
    edges["roles"] = _roles(frame, edges)
    organisations = pd.Index(sorted(set(edges["organisation"])))
    kinds = ties.drop_duplicates("target").set_index("target")["target_kind"]
    targets = pd.Index(sorted(set(edges["target"])))
    g.add_nodes_from((n, {**a, "bipartite": 0}) for n, a in node_attributes(entities, organisations, "organisation"))
    target_attrs = node_attributes(entities, targets, "collaboration")
    g.add_nodes_from((n, {**a, "kind": kinds.get(n, a["kind"]), "bipartite": 1}) for n, a in target_attrs)
    first = edges["first"].tolist()
    last = edges["last"].tolist()
    add_edges(g, edges["organisation"].tolist(), edges["target"].tolist(), roles=edges["roles"].tolist(),
              participations=edges["participations"].tolist())
    # Years only where known (GraphML and GEXF have no "missing" value for a number).
    for o, t, lo, hi in zip(edges["organisation"].tolist(), edges["target"].tolist(), first, last):
        if not math.isnan(lo):
            g._adj[o][t]["first_year"] = int(lo)
        if not (math.isnan(hi) or math.isinf(hi)):
            g._adj[o][t]["last_year"] = int(hi)
    return g


def _roles(frame: pd.DataFrame, edges: pd.DataFrame) -> list[str]:
    """The ``;``-joined sorted roles of each edge of ``edges`` (most edges have one role)."""
    roles = frame[["organisation", "target", "role"]].drop_duplicates().sort_values(["organisation", "target", "role"])
    roles = roles.loc[roles["role"] != ""]
    several = roles.duplicated(["organisation", "target"], keep=False)
    single = roles.loc[~several]
    joined = dict(zip(zip(single["organisation"].tolist(), single["target"].tolist()), single["role"].tolist()))
    for (o, t), group in roles.loc[several].groupby(["organisation", "target"], sort=False):
        joined[(o, t)] = ";".join(group["role"].tolist())
    return [joined.get(pair, "") for pair in zip(edges["organisation"].tolist(), edges["target"].tolist())]
