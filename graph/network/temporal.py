"""The collaboration network year by year: how it grows, densifies and turns over.

A single collaboration graph flattens a decade into one picture; partnerships that ended in 2015
and ones that began in 2023 look alike. :func:`snapshots` cuts the selected ties into yearly
graphs instead and reports, for each year, the graph's size and cohesion and how many
organisation pairs are newly tied, still tied or no longer tied compared with the year before.

Definitions
-----------
A tie (participation or membership) is *active* in year ``y`` when the years of its dates overlap
``y`` (:func:`graph.network.select.year_span`: the first year is the start's, the last the end's;
a missing end means "still running", so an open membership is active every year from its start).
With ``window=w`` the snapshot labelled ``y`` holds the ties active at any time in
``[y - w + 1, y]``, which smooths out projects that start in December. A tie without a start date
cannot be placed in time and is left out; the table's ``method`` says how many.

Two organisations are *tied* in year ``y`` when both have active ties to the same collaboration
(project, network...) in that snapshot: exactly the edges
:func:`graph.network.collaboration.collaboration_edges` draws from the ties
:func:`graph.network.select.select_ties` keeps with ``start_year = y - w + 1`` and
``end_year = y`` (the tests check this). Each snapshot's nodes are the organisations with an
active tie, those whose only active collaboration has no other active participant included (as
isolates: they matter for components and clustering).

Turnover compares year ``y`` with year ``y - 1`` (the same window), whether or not ``y - 1`` is
among the years asked for: ``new_ties`` are pairs tied in ``y`` but not in ``y - 1``,
``persisting_ties`` pairs tied in both, ``decayed_ties`` pairs tied in ``y - 1`` but not in
``y``.

How it is computed: the selected ties are coded as integers once; each year's edges come from
one sparse product ``B_y @ B_y.T`` over that year's organisation × collaboration incidence
matrix (as :func:`graph.network.collaboration.collaboration_edges` does), components from
``scipy.sparse.csgraph`` and clustering from igraph; edge sets are compared as sorted integer
codes. No NetworkX graph is built: the H2020 set (2014-2027) takes a few seconds.

Examples
--------
>>> import pandas as pd
>>> from graph.network.extract import KnowledgeTables
>>> ties = pd.DataFrame({"organisation": ["a", "b", "b", "c"], "target": ["p", "p", "q", "q"],
...                      "target_kind": "project", "start": ["2020", "2020", "2021", "2021"],
...                      "end": ["2021", "2021", "2022", "2022"]})
>>> tables = KnowledgeTables(ties, pd.DataFrame(columns=["label", "kind", "country", "orgtype"]),
...                          pd.DataFrame(columns=["child", "relation", "parent"]))
>>> columns = ["nodes", "edges", "new_ties", "persisting_ties", "decayed_ties"]
>>> snapshots(tables).frame[columns].reset_index().values.tolist()  # a-b in 2020-21, b-c in 2021-22
[[2020, 2, 1, 1, 0, 0], [2021, 3, 2, 1, 1, 0], [2022, 2, 1, 0, 1, 1]]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import igraph as ig
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from .extract import KnowledgeTables
from .result import MetricTable
from .select import TieFilter, select_ties, year_span

__all__ = ["snapshots", "tie_years", "MAX_YEARS"]

#: The default years span at most this many years, the most recent ones (a mistyped start such
#: as 1020 should not produce a thousand empty snapshots).
MAX_YEARS = 50


@dataclass
class _Timeline:
    """The selected, dated ties as integer codes, and each year's tied pairs."""

    organisations: pd.Index
    org: np.ndarray  # organisation code of each dated tie
    target: np.ndarray  # collaboration code of each dated tie
    first: np.ndarray
    last: np.ndarray
    n_targets: int
    selected: int  # ties the filter kept
    undated: int  # of which without a start year
    window: int

    def active(self, year: int) -> np.ndarray:
        return (self.first <= year) & (self.last >= year - self.window + 1)

    def edges(self, year: int, mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                                        np.ndarray]:
        """Active organisations, and the tied pairs (``row < col``) with their shared collaborations
        (of the ties in ``mask`` if given, instead of those active in ``year``)."""
        mask = self.active(year) if mask is None else mask
        org, target = self.org[mask], self.target[mask]
        n = len(self.organisations)
        b = sp.csr_matrix((np.ones(len(org)), (org, target)), shape=(n, self.n_targets))
        b.sum_duplicates()
        b.data[:] = 1.0  # one organisation with two ties to the same collaboration counts once
        shared = sp.triu(b @ b.T, k=1).tocsr()
        shared.sort_indices()
        row = np.repeat(np.arange(n), np.diff(shared.indptr))
        active = np.flatnonzero(np.bincount(org, minlength=n))  # sorted, cheaper than np.unique
        return active, row, shared.indices.astype(np.int64), shared.data.astype(np.int64)


def _timeline(tables: KnowledgeTables, tie_filter: TieFilter | None, window: int) -> _Timeline:
    if window < 1:
        raise ValueError(f"window={window}: a snapshot spans at least one year")
    ties = select_ties(tables, tie_filter).ties
    first, last = year_span(ties["start"].astype(object), ties["end"].astype(object))
    dated = ~np.isnan(first)
    organisations = pd.Index(ties["organisation"][dated].unique()).sort_values()
    targets = pd.Index(ties["target"][dated].unique()).sort_values()
    return _Timeline(organisations, organisations.get_indexer(ties["organisation"][dated]),
                     targets.get_indexer(ties["target"][dated]), first[dated], last[dated], len(targets),
                     len(ties), int((~dated).sum()), window)


def _years(line: _Timeline, years: Iterable[int] | None) -> tuple[list[int], str]:
    if years is not None:
        return sorted({int(y) for y in years}), ""
    if len(line.first) == 0:
        return [], ""
    lo = int(line.first.min())
    finite = line.last[np.isfinite(line.last)]
    hi = int(max(line.first.max(), finite.max() if len(finite) else lo))
    if hi - lo + 1 > MAX_YEARS:
        return list(range(hi - MAX_YEARS + 1, hi + 1)), f"; years before {hi - MAX_YEARS + 1} left out"
    return list(range(lo, hi + 1)), ""


def tie_years(tables: KnowledgeTables, tie_filter: TieFilter | None = None, years: Iterable[int] | None = None,
              window: int = 1) -> pd.DataFrame:
    """Every pair of organisations tied in each year (the edge lists behind :func:`snapshots`).

    Parameters
    ----------
    tables : KnowledgeTables
    tie_filter : TieFilter, optional
        Which ties count (default: ties to projects and networks).
    years : iterable of int, optional
        The years (default: from the first dated tie to the last year any tie is dated in, at
        most :data:`MAX_YEARS`).
    window : int
        Years per snapshot: year ``y`` holds the ties active in ``[y - window + 1, y]``.

    Returns
    -------
    pandas.DataFrame
        ``year``, ``source``, ``target`` (``source < target``) and ``shared`` (collaborations both
        are active in), sorted by year, source and target.

    Raises
    ------
    ValueError
        ``window`` below 1.
    FilterError
        A value of ``tie_filter`` names nothing in the graph.

    See Also
    --------
    snapshots : each year's size, cohesion and turnover.

    Examples
    --------
    >>> import pandas as pd
    >>> from graph.network.extract import KnowledgeTables
    >>> ties = pd.DataFrame({"organisation": ["a", "b", "c"], "target": ["p", "p", "p"], "target_kind": "project",
    ...                      "start": ["2020", "2020", "2021"], "end": ["2021", "2021", "2021"]})
    >>> empty = pd.DataFrame(columns=["child", "relation", "parent"])
    >>> for row in tie_years(KnowledgeTables(ties, pd.DataFrame(), empty)).itertuples(index=False):
    ...     print(*row)
    2020 a b 1
    2021 a b 1
    2021 a c 1
    2021 b c 1
    """
    line = _timeline(tables, tie_filter, window)
    chosen, _ = _years(line, years)
    names = line.organisations.to_numpy()
    parts = []
    for year in chosen:
        _, row, col, shared = line.edges(year)
        parts.append(pd.DataFrame({"year": np.full(len(row), year, dtype=np.int64), "source": names[row],
                                   "target": names[col], "shared": shared}))
    if not parts:
        return pd.DataFrame({"year": pd.Series(dtype=np.int64), "source": pd.Series(dtype=object),
                             "target": pd.Series(dtype=object), "shared": pd.Series(dtype=np.int64)})
    return pd.concat(parts, ignore_index=True)


def snapshots(tables: KnowledgeTables, tie_filter: TieFilter | None = None, years: Iterable[int] | None = None,
              window: int = 1) -> MetricTable:
    """Size, cohesion and turnover of the collaboration network in each year.

    Parameters
    ----------
    tables : KnowledgeTables
        From :func:`graph.network.extract.extract`.
    tie_filter : TieFilter, optional
        Which ties count (default: ties to projects and networks). Its own ``start_year`` and
        ``end_year``, if any, are applied first.
    years : iterable of int, optional
        The years to report (default: every year from the first dated tie to the last year any
        tie is dated in, at most the last :data:`MAX_YEARS`).
    window : int
        Years per snapshot: year ``y`` holds the ties active in ``[y - window + 1, y]``.

    Returns
    -------
    MetricTable
        Level ``graph``, indexed by ``year``: ``collaborations`` (with an active tie),
        ``nodes`` (organisations with an active tie), ``edges`` (tied pairs), ``density``
        (``2 edges / (nodes (nodes - 1))``), ``components`` (isolates included),
        ``largest_component`` (nodes), ``average_clustering`` (NetworkX's
        ``average_clustering``: mean local clustering, 0 for nodes with fewer than two partners),
        ``new_ties``, ``persisting_ties`` and ``decayed_ties`` (against year ``y - 1``; see the
        module docstring). ``method`` says how many selected ties were undated and left out.

    Raises
    ------
    ValueError
        ``window`` below 1.
    FilterError
        A programme, method, role, type, source or country of ``tie_filter`` is unknown.

    See Also
    --------
    tie_years : the tied pairs of each year.

    Examples
    --------
    Two-year windows: ``a-b`` worked together in 2020, ``b-c`` in 2022; ``d``'s tie is undated.

    >>> import pandas as pd
    >>> from graph.network.extract import KnowledgeTables
    >>> years = ["2020", "2020", "2022", "2022", None]
    >>> ties = pd.DataFrame({"organisation": list("abbcd"), "target": list("ppqqq"), "target_kind": "project",
    ...                      "start": years, "end": years})
    >>> t = snapshots(KnowledgeTables(ties, pd.DataFrame(), pd.DataFrame()), years=[2021, 2022], window=2)
    >>> t.frame[["edges", "new_ties", "persisting_ties", "decayed_ties"]].reset_index().values.tolist()
    [[2021, 1, 0, 1, 0], [2022, 1, 1, 0, 1]]
    >>> t.method
    'exact; 1 of 5 selected ties undated, left out'
    """
    line = _timeline(tables, tie_filter, window)
    chosen, capped = _years(line, years)
    n = len(line.organisations)
    # Each year's pairs as sorted integer codes ``row * n + col``, the year before each one too.
    yearly = {}
    for year in sorted(set(chosen) | {y - 1 for y in chosen}):
        nodes, row, col, _ = line.edges(year)
        yearly[year] = (nodes, row * n + col)  # sorted: the product's rows come out in order
    h, union = _union_graph(line, chosen)
    rows = []
    for year in chosen:
        nodes, codes = yearly[year]
        previous = yearly[year - 1][1]
        persisting = len(np.intersect1d(codes, previous, assume_unique=True))
        rows.append({"year": year, "collaborations": int(np.count_nonzero(np.bincount(line.target[line.active(year)]))),
                     **_structure(h, nodes, codes, union),
                     "new_ties": len(codes) - persisting, "persisting_ties": persisting,
                     "decayed_ties": len(previous) - persisting})
    columns = ["collaborations", "nodes", "edges", "density", "components", "largest_component",
               "average_clustering", "new_ties", "persisting_ties", "decayed_ties"]
    frame = pd.DataFrame(rows, columns=["year", *columns]).set_index("year")
    frame = frame.astype({c: np.int64 for c in columns if c not in ("density", "average_clustering")})
    method = (f"exact; {line.undated} of {line.selected} selected ties undated, left out{capped}")
    return MetricTable("snapshots", frame, method,
                       {"filter": (tie_filter or TieFilter()).describe(), "window": window,
                        "years": chosen}, level="graph")


def _union_graph(line: _Timeline, chosen: list[int]) -> tuple[ig.Graph, np.ndarray]:
    """One igraph graph over the union of the years' pairs, and those pairs as sorted codes.

    A year is then the subgraph of its edges (C code), so the pairs are turned into Python
    objects once, not once per year. The pairs of all ties active in any of the years hold every
    year's pairs (and perhaps a few more, of ties to one collaboration in disjoint years): one
    product, no sort of all codes.
    """
    n = len(line.organisations)
    union = np.empty(0, dtype=np.int64)
    if chosen:
        _, row, col, _ = line.edges(0, (line.first <= max(chosen)) & (line.last >= min(chosen) - line.window + 1))
        union = row * n + col
    return ig.Graph(n=n, edges=list(zip((union // n).tolist(), (union % n).tolist()))), union


def _structure(h: ig.Graph, nodes: np.ndarray, codes: np.ndarray, union: np.ndarray) -> dict:
    """Nodes, edges, density, components, largest component and average clustering of one year.

    ``h`` holds every organisation and the ``union`` of all years' pairs (sorted codes, edge ``i``
    is ``union[i]``); the year is its active ``nodes`` and its pairs ``codes``.
    """
    size, m = len(nodes), len(codes)
    if size == 0:
        return {"nodes": 0, "edges": 0, "density": np.nan, "components": 0, "largest_component": 0,
                "average_clustering": np.nan}
    year = h.subgraph_edges(np.searchsorted(union, codes).tolist(), delete_vertices=False)
    n = h.vcount()
    adjacency = sp.csr_matrix((np.ones(m), (codes // n, codes % n)), shape=(n, n))
    _, labels = connected_components(adjacency, directed=False)
    # Inactive organisations are components of their own in the full vertex set: count only the
    # labels of the year's organisations (an active isolate is one component, as it should be).
    sizes = np.bincount(labels[nodes])
    # All vertices at once: igraph's per-vertex variant is twice as slow as the whole-graph one.
    clustering = np.asarray(year.transitivity_local_undirected(mode="zero"), dtype=float)[nodes]
    return {"nodes": size, "edges": m, "density": 2.0 * m / (size * (size - 1)) if size > 1 else 0.0,  # as nx.density
            "components": int((sizes > 0).sum()), "largest_component": int(sizes.max()),
            "average_clustering": float(clustering.mean())}
