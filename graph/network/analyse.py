"""One entry point for a whole analysis: project, compute the metrics, write tables, graphs and RDF.

:func:`analyse` is what ``dkg analyse`` and the notebooks call: it extracts the tables from the
store (:mod:`graph.network.extract`), builds the projection named by ``projection`` with the
filter, runs the chosen metrics (each a plain function of its own module), and, when asked, writes
the tables, the graph files and the ``analysis`` named graph. Every step is timed
(``Analysis.timings``), which is what ``benchmarks/bench_network.py`` reports.

Projections (:data:`PROJECTIONS`): ``collaboration`` (organisation–organisation ties),
``actors`` (the democratic-innovation actors, organisations and cities, tied by the networks,
programmes, events and cases they share: every source's, but of projects only the curated ones,
so that CORDIS's research projects stay the collaboration projection's),
``participation`` (organisation–project/network bipartite), ``membership`` (member → network,
analysed undirected, plus indirect reach), ``country`` (country–country aggregate of the
collaboration ties), ``city-network`` (cities–networks) and ``case-method`` (cases, methods,
organisers).

Metrics (:data:`METRICS`): ``degree``, ``betweenness``, ``eigenvector``, ``closeness``,
``clustering``, ``core``, ``components``, ``communities``, ``constraint``, ``effective-size``,
``brokerage``, ``bridges``, ``articulation``, ``assortativity``, ``resilience``, ``summary``,
``temporal`` and ``diffusion`` (these two read the ties, not the projection) and ``reach``
(membership only).

Examples
--------
>>> sorted(set(DEFAULT_METRICS) - set(METRICS))
[]
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import networkx as nx

from ingest.files import replacing

from ..forked import run_split
from ..store import ReleaseRef, derive_release, release_of
from . import aggregate, bipartite, cases, centrality, collaboration, membership
from ._metrics import SPLIT_FROM_EDGES, run_metrics
from .extract import KnowledgeTables, extract
from .kept_tables import release_tables
from .names import METRICS, PROJECTIONS
from .result import DEFAULT_SEED, MetricTable
from .select import Selection, TieFilter, select_ties

__all__ = ["analyse", "project", "Analysis", "PROJECTIONS", "METRICS", "DEFAULT_METRICS"]

DEFAULT_METRICS = METRICS
#: What ties the actors projection counts unless a filter says otherwise.
ACTOR_KINDS = ("network", "programme", "event", "case", "project")


@dataclass
class Analysis:
    """The result of :func:`analyse`.

    Attributes
    ----------
    projection : str
        The projection's name (:data:`PROJECTIONS`).
    graph : networkx.Graph
        The projection.
    tables : list of MetricTable
        The metrics' tables, in the order computed.
    tie_filter : TieFilter
    selection : Selection or None
        The ties the projection was built from (None for ``case-method``).
    timings : dict
        Seconds per step (``extract``, ``project``, each metric, ``write``).
    files : list of Path
        The files written.
    run : str or None
        The run key of the ``analysis`` named graph, once written.
    analysis_triples : int or None
        The triples loaded into the store with ``write_back``.

    Examples
    --------
    >>> import networkx as nx
    >>> from graph.network.centrality import degree
    >>> g = nx.star_graph(3)
    >>> result = Analysis("collaboration", g, [degree(g, weight=None)], TieFilter())
    >>> result.table("degree").column().tolist(), result.files
    ([3, 1, 1, 1], [])
    """

    projection: str
    graph: nx.Graph
    tables: list[MetricTable]
    tie_filter: TieFilter
    selection: Selection | None = None
    timings: dict[str, float] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    run: str | None = None
    analysis_triples: int | None = None
    #: The store the analysis graph was written into (a new release's) when written back.
    store: Path | None = None
    #: The folder the tables and graph files were written to.
    out: Path | None = None
    exit_code: int = 0

    def summary(self) -> str:
        """What ``dkg analyse`` prints: the network's size, the metrics, the files, the time.

        Returns
        -------
        str
            One line per fact; the last gives the total time and the three slowest steps.

        Examples
        --------
        >>> import networkx as nx
        >>> from graph.network.centrality import degree
        >>> g = nx.path_graph(["a", "b", "c"])
        >>> print(Analysis("actors", g, [degree(g)], TieFilter(), timings={"degree": 0.5}).summary())
        actors network: 3 nodes, 2 edges
          degree               exact
        time: 0.50s (slowest: degree 0.50s)
        """
        g, described = self.graph, self.tie_filter.describe()
        lines = [f"{self.projection} network: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges"
                 + (f" ({described})" if described else "")]
        if self.selection is not None:
            removed = ", ".join(f"{n} by {name}" for name, n in self.selection.removed.items() if n)
            lines.append(f"  ties used: {len(self.selection.ties)}" + (f"; left out: {removed}" if removed else ""))
        lines += [f"  {table.metric:<20} {table.method}" for table in self.tables]
        if self.out is not None:
            lines.append(f"wrote {len(self.files)} files to {self.out} (run {self.run})")
        if self.analysis_triples is not None:
            lines.append(f"loaded {self.analysis_triples} triples into the analysis graph of a new release "
                         f"({self.store}); ask it with 'dkg query --name top-brokers'")
        # The total and the three slowest steps, on one short line (timings has every step).
        slowest = sorted(self.timings.items(), key=lambda item: -item[1])[:3]
        lines.append(f"time: {sum(self.timings.values()):.2f}s (slowest: "
                     + ", ".join(f"{name} {seconds:.2f}s" for name, seconds in slowest) + ")")
        return "\n".join(lines)

    def table(self, metric: str) -> MetricTable:
        """The table of one metric (by its table name, e.g. ``betweenness``, ``community``).

        Parameters
        ----------
        metric : str
            The table's :attr:`MetricTable.metric <graph.network.result.MetricTable.metric>`.

        Returns
        -------
        MetricTable

        Raises
        ------
        KeyError
            No table of that name was computed.

        Examples
        --------
        >>> import networkx as nx
        >>> from graph.network.cohesion import summary
        >>> result = Analysis("collaboration", nx.path_graph(4), [summary(nx.path_graph(4))], TieFilter())
        >>> int(result.table("summary").frame.loc["graph", "edges"])
        3
        >>> result.table("betweenness")
        Traceback (most recent call last):
        KeyError: "no 'betweenness' table; computed: summary"
        """
        for t in self.tables:
            if t.metric == metric:
                return t
        raise KeyError(f"no {metric!r} table; computed: {', '.join(t.metric for t in self.tables)}")


def project(tables: KnowledgeTables, projection: str = "collaboration",
            tie_filter: TieFilter | None = None) -> tuple[nx.Graph, Selection | None]:
    """Build one projection; return it and the ties it was built from (None for case-method).

    Parameters
    ----------
    tables : KnowledgeTables
        From :func:`graph.network.extract.extract`.
    projection : str
        One of :data:`PROJECTIONS`.
    tie_filter : TieFilter, optional
        Which ties count (default: ties to projects and networks; ``membership`` and
        ``city-network`` default to networks, ``actors`` to :data:`ACTOR_KINDS`).

    Returns
    -------
    (networkx.Graph, Selection or None)
        The projection and the selected ties.

    Raises
    ------
    ValueError
        An unknown projection.
    FilterError
        A filter value names nothing in the graph.

    Examples
    --------
    >>> import pandas as pd
    >>> from graph.network.extract import KnowledgeTables
    >>> ties = pd.DataFrame({"organisation": ["a", "b", "b"], "target": ["p", "p", "q"], "target_kind": "project",
    ...                      "role": None, "start": None, "end": None})
    >>> entities = pd.DataFrame(columns=["label", "kind"])
    >>> g, selection = project(KnowledgeTables(ties, entities, pd.DataFrame()), "participation")
    >>> sorted(g.edges()), selection.removed
    ([('a', 'p'), ('b', 'p'), ('b', 'q')], {'kinds': 0})
    """
    if projection not in PROJECTIONS:
        raise ValueError(f"unknown projection {projection!r}: {', '.join(PROJECTIONS)}")
    flt = tie_filter or TieFilter()
    if projection == "case-method":
        return cases.case_method_graph(tables, countries=flt.countries), None
    if projection in ("membership", "city-network"):
        flt = _default_kinds(flt, ("network",))
    if projection == "actors":
        flt = _default_kinds(flt, ACTOR_KINDS)
        selection = select_ties(tables, flt)
        ties = selection.ties
        research = (ties["target_kind"] == "project") & (ties["source"] != "curated")
        selection.removed["research projects"] = int(research.sum())
        selection = Selection(ties.loc[~research].reset_index(drop=True), selection.removed)
        g = collaboration.collaboration_graph(tables, flt, selection=selection)
        g.graph["projection"] = "actors"
        return g, selection
    selection = select_ties(tables, flt)
    if projection == "collaboration":
        return collaboration.collaboration_graph(tables, flt, selection=selection), selection
    if projection == "country":
        return aggregate.country_graph(collaboration.collaboration_graph(tables, flt, selection=selection)), selection
    if projection == "participation":
        return bipartite.participation_graph(selection.ties, tables.entities), selection
    if projection == "membership":
        g = membership.membership_graph(selection.ties, tables.entities, kinds=flt.kinds)
        if set(flt.kinds) - {"network"}:
            # A network of programmes and events too: each points to what it is part of.
            membership.add_part_of(g, tables.links, tables.entities)
        return g, selection
    return aggregate.city_network_graph(tables, selection.ties), selection


def _default_kinds(flt: TieFilter, kinds: tuple[str, ...]) -> TieFilter:
    """``flt`` with ``kinds`` in place of the default target kinds (kinds a filter names stay)."""
    flt = TieFilter(**{k: tuple(v) if isinstance(v, list) else v for k, v in flt.as_dict().items()})
    return replace(flt, kinds=kinds) if flt.kinds == TieFilter().kinds else flt


def analyse(store: object = "build", projection: str = "collaboration", tie_filter: TieFilter | None = None,
            metrics: Iterable[str] | None = None, out: Path | str | None = None, *,
            tables: KnowledgeTables | None = None, write_back: bool = False, seed: int = DEFAULT_SEED,
            k: int = 256, exact_limit: int = centrality.EXACT_LIMIT, community_method: str = "auto",
            table_formats: Iterable[str] = ("csv", "parquet"), graph_formats: Iterable[str] = ("gexf", "graphml", "json"),
            progress: bool = False) -> Analysis:
    """Run one analysis end to end.

    Parameters
    ----------
    store : pyoxigraph.Store, SparqlEndpoint, Path or str
        Where the graph is (a build directory by default); not read when ``tables`` is given.
    projection : str
        One of :data:`PROJECTIONS`.
    tie_filter : TieFilter, optional
    metrics : iterable of str, optional
        Names from :data:`METRICS` (default: all that apply to the projection).
    out : Path or str, optional
        Directory for the tables (``tables/``), graph files and ``analysis.nq``; nothing is
        written when None. Of a build directory (without ``write_back``), what a map reads is
        also kept beside the build (:func:`graph.network.readback.keep_for_maps`).
    tables : KnowledgeTables, optional
        Tables already extracted. Without them a build directory's are read from what an
        earlier run kept for the release (:func:`graph.network.kept_tables.release_tables`).
    write_back : bool
        Also load the ``analysis`` named graph into a new release made from the current one
        (:func:`graph.store.derive_release`; ``store`` must then be a build directory).
    seed, k, exact_limit, community_method
        Passed to the metrics (see :mod:`graph.network.centrality`, :mod:`graph.network.community`).
    table_formats, graph_formats : iterable of str
        The files to write into ``out`` (:data:`graph.network.export.TABLE_FORMATS`,
        :data:`graph.network.export.GRAPH_FORMATS`).
    progress : bool
        Show a progress bar on standard error.

    Returns
    -------
    Analysis

    Raises
    ------
    ValueError
        An unknown projection or metric, or ``write_back`` without a build directory.

    Examples
    --------
    Three organisations in two projects, ``b`` in both: ``b`` lies between the other two.

    >>> import pandas as pd
    >>> from graph.network.extract import KnowledgeTables
    >>> ties = pd.DataFrame({"organisation": list("abbc"), "target": list("ppqq"), "target_kind": "project",
    ...                      "role": None, "start": None, "end": None, "source": "curated"})
    >>> tables = KnowledgeTables(ties, pd.DataFrame(columns=["label", "kind"]), pd.DataFrame())
    >>> result = analyse(tables=tables, metrics=["betweenness"])
    >>> result.table("betweenness").column().to_dict(), result.graph.number_of_edges()
    ({'a': 0.0, 'b': 1.0, 'c': 0.0}, 2)
    """
    timings: dict[str, float] = {}
    flt = tie_filter or TieFilter()
    started = time.perf_counter()
    release = None
    if tables is None:
        if isinstance(store, (str, Path)):  # one release read throughout, whatever a build publishes meanwhile
            release = release_of(store)
        tables = extract(store) if release is None else release_tables(release)
        timings["extract"] = time.perf_counter() - started
    started = time.perf_counter()
    g, selection = project(tables, projection, flt)
    timings["project"] = time.perf_counter() - started
    results, seconds = run_metrics(g, tables, selection, flt, DEFAULT_METRICS if metrics is None else metrics,
                                   projection, seed=seed, k=k, exact_limit=exact_limit,
                                   community_method=community_method, progress=progress)
    timings.update(seconds)
    analysis = Analysis(projection, g, results, flt, selection, timings)
    if out is not None:
        started = time.perf_counter()
        _write(analysis, Path(out), store, write_back, table_formats, graph_formats, seed, release)
        timings["write"] = time.perf_counter() - started
    return analysis


def _write(analysis: Analysis, out: Path, store: object, write_back: bool, table_formats: Iterable[str],
           graph_formats: Iterable[str], seed: int = DEFAULT_SEED, release: ReleaseRef | None = None) -> None:
    from ..void import DATASET
    from .export import graph_writers, write_tables
    from .readback import MAP_COLUMNS, keep_for_maps
    from .writeback import analysis_quads, load_analysis

    out.mkdir(parents=True, exist_ok=True)
    analysis.out = out
    g = analysis.graph

    def quads_file() -> tuple[str, list[str]]:
        run, quads = analysis_quads(g, analysis.tables, analysis.projection, analysis.tie_filter.describe(),
                                    dataset=DATASET)
        with replacing(out / "analysis.nq") as temp:
            temp.write_text("\n".join(quads) + "\n", encoding="utf-8")
        return run, quads

    writers = graph_writers(g, out, analysis.tables, graph_formats, seed=seed)
    # The quads stay in this process (the write-back loads them); the files are shared with a
    # forked process when the graph is large (graph.forked; byte-identical either way).
    tasks = [quads_file, lambda: write_tables(g, analysis.tables, out / "tables", table_formats),
             *(write for _, write, _ in writers)]
    costs = [3.2, 3.7, *(cost for _, _, cost in writers)]
    (run, quads), tables, *_ = run_split(tasks, costs, here=[0], serial=g.number_of_edges() < SPLIT_FROM_EDGES)
    analysis.files += [*tables, *(path for path, _, _ in writers), out / "analysis.nq"]
    analysis.run = run
    # Kept for maps when not written back (written back, they are in the new release itself).
    if release is not None and not write_back and set(MAP_COLUMNS) <= {table.metric for table in analysis.tables}:
        try:
            keep_for_maps(release, run, quads)
        except OSError:  # a build directory this user cannot write: maps measure again, as before
            pass
    if write_back:
        if not isinstance(store, (str, Path)):
            raise ValueError("write_back needs the build directory, not an open store or endpoint")
        # Into a new release made from the current one: a published release is never written.
        analysis.store, analysis.analysis_triples = derive_release(store, lambda s: load_analysis(s, run, quads))
