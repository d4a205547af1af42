"""Brokerage: Gould and Fernandez's roles of the nodes that tie together partners who are not tied.

An organisation whose partners do not work with one another sits on a *structural hole*
(:mod:`graph.network.structural_holes`: Burt's constraint and effective size, importable from
here too). :func:`brokerage` says *which* holes a node spans: it counts the open two-paths
``j – i – k`` through each node, classified by whether ``i``, ``j`` and ``k`` are in the same
group (country, organisation type): inside its own country, between two others, or at its border.
It returns a :class:`~graph.network.result.MetricTable` indexed by node.

NetworkX has no brokerage; ``backend="networkx"`` runs a plain loop over each node's pairs of
partners, kept as the reference the fast path is tested against; a ``backend`` other than
``auto``, ``scipy`` and ``networkx`` raises :class:`ValueError`.

How the fast path counts: all pairs of partners per role, minus the closed ones. With ``s``
partners in ``i``'s group, ``o`` in others and ``c_g`` in each other group ``g``, the pairs are
``C(s,2)`` coordinator, ``s·o`` gatekeeper/representative, ``sum_g C(c_g,2)`` consultant and
``C(o,2) - sum_g C(c_g,2)`` liaison. Closed pairs are triangles (:mod:`graph.network._triangles`),
typed by their sides (within a group or across): coordinator pairs close in triangles with all
sides within, liaison pairs in triangles with all sides across, consultant pairs in triangles
whose side opposite ``i`` is within a group while both of ``i``'s are across, and gatekeeper pairs
in the rest.

References
----------
.. [1] R. V. Gould and R. M. Fernandez, "Structures of mediation: a formal approach to brokerage
   in transaction networks", *Sociological Methodology* 19:89–126 (1989).
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
from networkx.utils import not_implemented_for

from ._triangles import Oriented, at_ends, at_middle, tie_arrays, triangles
from .result import MetricTable
from .structural_holes import _backend, _frame, constraint, effective_size

__all__ = ["constraint", "effective_size", "brokerage", "ROLES"]

#: Brokerage roles, in the column order of :func:`brokerage` (``total`` follows).
ROLES = ("coordinator", "consultant", "gatekeeper_representative", "liaison")


def _is_missing(value) -> bool:
    """No group: absent (``None``), NaN, ``pd.NA`` or an empty string."""
    if value is None or (isinstance(value, str) and not value):
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # not a scalar
        return False


def _groups(g: nx.Graph, attribute: str) -> tuple[list, np.ndarray]:
    """The node list and each node's group code (-1 where the attribute is missing)."""
    nodes = list(g)
    codes: dict = {}
    group = np.array([-1 if _is_missing(x := g.nodes[n].get(attribute)) else codes.setdefault(x, len(codes))
                      for n in nodes], dtype=np.int64)
    return nodes, group


@not_implemented_for("directed")
@not_implemented_for("multigraph")
def brokerage(g: nx.Graph, attribute: str, backend: str = "auto") -> MetricTable:
    """Gould and Fernandez's brokerage roles of each node, for groups given by a node attribute.

    A node ``i`` brokers between partners ``j`` and ``k`` who are not tied to each other (an open
    two-path ``j – i – k``; each unordered pair counts once). The pair is classified by the groups
    (``attribute``, e.g. ``country`` or ``orgtype``) of the three:

    ``coordinator``
        ``j``, ``i`` and ``k`` all in one group: brokerage inside the group.
    ``consultant``
        ``j`` and ``k`` in one group, ``i`` in another (Gould and Fernandez's *itinerant*
        broker): an outsider linking two members of a group.
    ``gatekeeper_representative``
        exactly one of ``j``, ``k`` in ``i``'s group: brokerage across the group's border. In a
        directed network a *gatekeeper* lets an outsider in and a *representative* speaks for
        the group outside; collaboration ties have no direction, so the two cannot be told apart
        and are counted together.
    ``liaison``
        all three in different groups.
    ``total``
        the sum of the four: the open two-paths through ``i`` whose three nodes all have a group.

    Nodes whose ``attribute`` is missing (absent, ``None``, NaN or empty) belong to no group:
    pairs involving them are not counted in any role (a shared "unknown" group would turn
    strangers into colleagues), and their own roles are NaN. Isolated nodes and leaves broker
    nothing: 0.

    Parameters
    ----------
    g : networkx.Graph
        Undirected; self-loops are ignored.
    attribute : str
        Node attribute naming the group.
    backend : {"auto", "scipy", "networkx"}
        NetworkX has no brokerage; ``"networkx"`` runs a plain Python loop over each node's pairs
        of partners (the reference, for small graphs). Otherwise the counts come from neighbour
        group counts and triangle sums (the module docstring says how): about 4 s and 0.2 GB on
        the H2020 collaboration graph, 36k nodes and 800k ties, where the loop would visit 370
        million pairs.

    Returns
    -------
    MetricTable
        ``coordinator``, ``consultant``, ``gatekeeper_representative``, ``liaison`` and ``total``
        per node (counts, as floats so that missing groups can be NaN). ``column()`` needs the
        column's name, e.g. ``column("total")``.

    Raises
    ------
    networkx.NetworkXNotImplemented
        ``g`` is directed or a multigraph.

    Examples
    --------
    A Spanish hub whose five partners do not know each other: two Spanish (one coordinator
    pair), two German (one consultant pair), one French; six Spanish–foreign pairs
    (gatekeeper/representative) and two German–French pairs (liaison):

    >>> import networkx as nx
    >>> g = nx.star_graph(5)
    >>> nx.set_node_attributes(g, {0: "ES", 1: "ES", 2: "ES", 3: "DE", 4: "DE", 5: "FR"}, "country")
    >>> brokerage(g, "country").frame.loc[0].to_dict()
    {'coordinator': 1.0, 'consultant': 1.0, 'gatekeeper_representative': 6.0, 'liaison': 2.0, 'total': 10.0}

    Once the two Germans work together, the hub no longer brokers between them:

    >>> g.add_edge(3, 4)
    >>> int(brokerage(g, "country").column("total")[0])
    9
    """
    parameters = {"attribute": attribute}
    if _backend(backend, "scipy") == "networkx":
        return MetricTable("brokerage", _brokerage_reference(g, attribute), "exact", parameters)
    return MetricTable("brokerage", _role_counts(g, attribute), "exact", parameters)


def _role_counts(g: nx.Graph, attribute: str) -> pd.DataFrame:
    """The roles from neighbour group counts and triangle sums (the module docstring says how)."""
    nodes, group = _groups(g, attribute)
    n = len(nodes)
    _, u, v, _ = tie_arrays(g)
    known = (group[u] >= 0) & (group[v] >= 0)
    u, v = u[known], v[known]
    within = group[u] == group[v]

    def count(ends: np.ndarray) -> np.ndarray:
        return np.bincount(ends, minlength=n).astype(np.int64)

    same = count(u[within]) + count(v[within])
    other = count(u[~within]) + count(v[~within])
    # Partners per (node, other group), from the ties across groups seen from both ends; the
    # pairs of partners in one other group, summed over the groups.
    ego = np.concatenate((u[~within], v[~within]))
    alter_group = np.concatenate((group[v[~within]], group[u[~within]]))
    groups = int(group.max(initial=0)) + 1
    keys, per_group = np.unique(ego * groups + alter_group, return_counts=True)
    pairs_in_other_groups = np.bincount(keys // groups, weights=per_group * (per_group - 1) // 2, minlength=n)

    oriented = Oriented(n, u, v)
    all_ties = oriented.matrix()
    within_ties, across_ties = oriented.matrix(where=within), oriented.matrix(where=~within)
    closed_all = triangles(all_ties)
    closed_coordinator = triangles(within_ties)
    closed_liaison = triangles(across_ties)
    # i's two sides across, the opposite side within: i is a, c or b of a < b < c in turn.
    closed_consultant = (at_ends(across_ties, within_ties, across_ties)[0]
                         + at_ends(within_ties, across_ties, across_ties)[1]
                         + at_middle(across_ties, across_ties, within_ties))
    closed_gatekeeper = closed_all - closed_coordinator - closed_liaison - closed_consultant

    roles = {
        "coordinator": same * (same - 1) / 2 - closed_coordinator,
        "consultant": pairs_in_other_groups - closed_consultant,
        "gatekeeper_representative": same * other - closed_gatekeeper,
        "liaison": other * (other - 1) / 2 - pairs_in_other_groups - closed_liaison,
    }
    frame = _frame(nodes, {role: np.rint(values) for role, values in roles.items()})
    frame["total"] = frame[list(ROLES)].sum(axis=1)
    frame.loc[group < 0] = np.nan
    return frame


def _brokerage_reference(g: nx.Graph, attribute: str) -> pd.DataFrame:
    """The roles by definition: every pair of partners of every node, one at a time."""
    nodes, codes = _groups(g, attribute)
    group = dict(zip(nodes, codes.tolist()))
    rows = []
    for i in nodes:
        counts = dict.fromkeys(ROLES, 0)
        if group[i] < 0:
            rows.append(dict.fromkeys(ROLES, math.nan))
            continue
        partners = [j for j in g[i] if j != i and group[j] >= 0]
        for a, j in enumerate(partners):
            for k in partners[a + 1:]:
                if k in g[j]:
                    continue  # j and k are tied: no hole between them
                if group[j] == group[k]:
                    role = "coordinator" if group[j] == group[i] else "consultant"
                elif group[i] in (group[j], group[k]):
                    role = "gatekeeper_representative"
                else:
                    role = "liaison"
                counts[role] += 1
        rows.append(counts)
    frame = pd.DataFrame(rows, index=pd.Index(nodes, name="node"), columns=list(ROLES), dtype=float)
    frame["total"] = frame[list(ROLES)].sum(axis=1, min_count=1)
    return frame
