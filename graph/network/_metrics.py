"""The metrics of an analysis by name: what :func:`graph.network.analyse.analyse` computes for each.

:func:`run_metrics` maps each name of :data:`graph.network.names.METRICS` to the functions of
the metric modules, with the projection's edge weight (``shared``, ``members`` or
``participations``) and the analysis's seed and sampling parameters, and times each. Directed
projections (membership) are analysed as a real undirected copy; ``reach`` reads the directed
graph, ``temporal`` and ``diffusion`` the ties.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

import networkx as nx

from ..forked import run_split
from . import centrality, cohesion, community, membership
from ._igraph import to_igraph
from .extract import KnowledgeTables
from .names import METRICS
from .result import DEFAULT_SEED, MetricTable
from .select import Selection, TieFilter

__all__ = ["run_metrics"]


def run_metrics(g: nx.Graph, tables: KnowledgeTables | None, selection: Selection | None, tie_filter: TieFilter,
                metrics: Iterable[str], projection: str = "collaboration", *, seed: int = DEFAULT_SEED,
                k: int = 256, exact_limit: int = centrality.EXACT_LIMIT, community_method: str = "auto",
                progress: bool = False) -> tuple[list[MetricTable], dict[str, float]]:
    """Compute the named metrics of one projection, timing each.

    Parameters
    ----------
    g : networkx.Graph or networkx.DiGraph
        The projection.
    tables : KnowledgeTables or None
        The tables it was built from; read by ``temporal`` and ``diffusion`` only.
    selection : Selection or None
        The ties it was built from; without them ``temporal`` and ``diffusion`` give no table.
    tie_filter : TieFilter
        The filter, for ``temporal`` and ``diffusion``.
    metrics : iterable of str
        Names from :data:`graph.network.names.METRICS`, computed in this order.
    projection : str
        The projection's name: brokerage groups organisations by country, other nodes by kind;
        ``temporal`` and ``diffusion`` apply to ``collaboration`` and ``participation`` only.
    seed, k, exact_limit, community_method
        Passed to the metrics (see :mod:`graph.network.centrality`, :mod:`graph.network.community`).
    progress : bool
        Show a progress bar on standard error.

    Returns
    -------
    (list of MetricTable, dict)
        The tables (a metric may give none, or two: brokerage by country and by type) and the
        seconds each metric took.

    Raises
    ------
    ValueError
        An unknown metric name (before anything is computed).

    Examples
    --------
    >>> import networkx as nx
    >>> from graph.network.select import TieFilter
    >>> g = nx.Graph([("a", "b", {"shared": 2}), ("b", "c", {"shared": 1})])
    >>> tables, seconds = run_metrics(g, None, None, TieFilter(), ["degree", "temporal"])
    >>> [t.metric for t in tables], sorted(seconds), tables[0].column("strength").to_dict()
    (['degree'], ['degree', 'temporal'], {'a': 2, 'b': 3, 'c': 1})
    >>> run_metrics(g, None, None, TieFilter(), ["pagerank"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ValueError: unknown metric(s) pagerank: summary, degree, betweenness, ...
    """
    from tqdm import tqdm

    chosen = list(metrics)
    unknown = [m for m in chosen if m not in METRICS]
    if unknown:
        raise ValueError(f"unknown metric(s) {', '.join(unknown)}: {', '.join(METRICS)}")
    steps = _steps(g, tables, selection, tie_filter, seed, k, exact_limit, community_method, projection)

    def timed(name: str) -> Callable[[], tuple[list[MetricTable], float]]:
        def step() -> tuple[list[MetricTable], float]:
            started = time.perf_counter()
            return steps[name](), time.perf_counter() - started
        return step

    split = g.number_of_edges() >= SPLIT_FROM_EDGES and len(chosen) > 1
    if split and not g.is_directed():
        to_igraph(g)  # converted once, before the fork, for both processes' igraph metrics
    with tqdm(total=len(chosen), desc=f"{projection} metrics", unit="metric", disable=not progress,
              leave=False) as bar:
        outcomes = run_split([timed(name) for name in chosen], [METRIC_COSTS.get(name, 1.0) for name in chosen],
                             lambda i: bar.update(), serial=not split)
    results: list[MetricTable] = []
    timings: dict[str, float] = {}
    for name, (found, seconds) in zip(chosen, outcomes):
        results.extend(found)
        timings[name] = seconds
    return results, timings


#: From how many ties an analysis shares its metrics with a forked process (:mod:`graph.forked`);
#: below it, forking costs more than it saves.
SPLIT_FROM_EDGES = 50_000

#: Each metric's share of an analysis of the H2020 collaboration network (seconds on the
#: reference machine): how :func:`graph.forked.split_tasks` balances the two processes.
METRIC_COSTS = {
    "summary": 2.5, "degree": 0.3, "betweenness": 2.7, "eigenvector": 0.3, "closeness": 1.7, "clustering": 0.3,
    "core": 0.05, "components": 0.06, "communities": 0.7, "constraint": 7.2, "effective-size": 1.6,
    "brokerage": 5.6, "bridges": 0.07, "articulation": 0.07, "assortativity": 1.2, "resilience": 1.4,
    "temporal": 3.4, "diffusion": 0.6, "reach": 0.01,
}


def _weight(g: nx.Graph) -> str | None:
    """The edge weight the projection carries, if any (every edge of a projection has the same keys)."""
    first = next(iter(g.edges(data=True)), None)
    return next((name for name in ("shared", "members", "participations") if first and name in first[2]), None)


def _brokerage_tables(undirected: nx.Graph, projection: str) -> list[MetricTable]:
    """Brokerage roles by the projection's main grouping, then by organisation type.

    By the main grouping (country, for organisation networks; else the node kind) the table keeps
    the plain column names that the analysis graph stores; by organisation type it goes to the
    tables only, its metric and columns suffixed ``_orgtype``.
    """
    from .brokerage import brokerage

    main = "country" if projection in ("collaboration", "actors", "participation", "membership") else "kind"
    out = []
    for i, attribute in enumerate((main, "orgtype")):
        if not any(attribute in d for _, d in undirected.nodes(data=True)) or (i and attribute == main):
            continue
        table = brokerage(undirected, attribute=attribute)
        if out:
            table.metric = f"brokerage_{attribute}"
            table.frame = table.frame.add_suffix(f"_{attribute}")
        out.append(table)
    return out


def _steps(g: nx.Graph, tables: KnowledgeTables | None, selection: Selection | None, flt: TieFilter, seed: int, k: int,
           exact_limit: int, community_method: str, projection: str) -> dict[str, Callable[[], list[MetricTable]]]:
    # A real undirected copy: a view of a directed graph would show both directions' weights of a
    # mutual tie, and the metrics read one weight per tie (the membership graph is small).
    undirected = nx.Graph(g) if g.is_directed() else g
    weight = _weight(g)

    def dynamics(name: str) -> list[MetricTable]:
        # Not for actors: the dynamics re-select ties from the filter, which alone cannot leave out
        # the research projects that projection drops.
        if selection is None or projection not in ("collaboration", "participation"):
            return []
        if name == "temporal":
            from .temporal import snapshots

            return [snapshots(tables, flt)]
        from .diffusion import method_diffusion

        return [method_diffusion(tables, flt)]

    def constraint() -> list[MetricTable]:
        from .structural_holes import constraint as burt

        return [burt(undirected, weight=weight)]

    def effective_size() -> list[MetricTable]:
        from .structural_holes import effective_size as esize

        return [esize(undirected)]

    def assortativity() -> list[MetricTable]:
        from .assortativity import assortativity as assort

        return [assort(undirected)]

    def resilience() -> list[MetricTable]:
        from .resilience import resilience as resist

        return [resist(undirected, k=min(10, undirected.number_of_nodes()), seed=seed)]

    return {
        "summary": lambda: [cohesion.summary(undirected)],
        "degree": lambda: [centrality.degree(undirected, weight=weight)],
        "betweenness": lambda: [centrality.betweenness(undirected, k=k, seed=seed, exact_limit=exact_limit)],
        "eigenvector": lambda: [centrality.eigenvector(undirected, weight=weight)],
        "closeness": lambda: [centrality.closeness(undirected, k=k, seed=seed, exact_limit=exact_limit)],
        "clustering": lambda: [cohesion.clustering(undirected)],
        "core": lambda: [cohesion.core_number(undirected)],
        "components": lambda: [cohesion.components(undirected)],
        "communities": lambda: [community.communities(undirected, method=community_method, weight=weight,
                                                      seed=seed)],
        "constraint": constraint,
        "effective-size": effective_size,
        "brokerage": lambda: _brokerage_tables(undirected, projection),
        "bridges": lambda: [cohesion.bridges(undirected)],
        "articulation": lambda: [cohesion.articulation_points(undirected)],
        "assortativity": assortativity,
        "resilience": resilience,
        "temporal": lambda: dynamics("temporal"),
        "diffusion": lambda: dynamics("diffusion"),
        "reach": lambda: [membership.indirect_reach(g)] if g.is_directed() else [],
    }
