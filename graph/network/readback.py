"""Metrics read back from the knowledge graph: what ``dkg analyse --write-back`` left there.

A map needs each node's degree, betweenness and community. When ``dkg analyse --write-back`` has
measured the same projection with the same filter and seed, those values are already in the
release's ``analysis`` graph (:mod:`graph.network.writeback`), and a map reads them instead of
measuring the network again (betweenness on the H2020 network takes seconds; reading takes
milliseconds). :func:`read_metrics` returns them as the same :class:`MetricTable` objects the
measuring functions return, so the map cannot tell the difference except by each table's
``method``, which names the run it was read from.

Without ``--write-back`` the release is not changed, but ``dkg analyse`` of a build directory
keeps the same statements, only those a map reads, beside it (:func:`keep_for_maps`:
``<build>/cache/analyses/<release id>/<run key>.nq``), and :func:`read_kept` finds them there.
They are filed under the release the analysis read, so a later build (a new release) is never
drawn with the measures of an earlier one.

Examples
--------
>>> import networkx as nx, pyoxigraph as ox
>>> from graph.network.centrality import betweenness, degree
>>> from graph.network.community import communities
>>> from graph.network.writeback import analysis_quads
>>> g = nx.Graph([("https://ex/a", "https://ex/b", {"shared": 1}), ("https://ex/b", "https://ex/c", {"shared": 1})])
>>> run, quads = analysis_quads(g, [degree(g), betweenness(g), communities(g, seed=42)], "actors")
>>> store = ox.Store()
>>> store.load(("\\n".join(quads) + "\\n").encode(), format=ox.RdfFormat.N_QUADS)
>>> found = read_metrics(store, "actors", "", seed=42)
>>> found[0] == run, [t.metric for t in found[1]]
(True, ['degree', 'betweenness', 'community'])
>>> int(found[1][0].frame.loc["https://ex/b", "degree"])
2
>>> read_metrics(store, "actors", "", seed=7) is None  # measured with another seed
True
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pyoxigraph as ox

from ingest.files import replacing
from ontology.namespaces import BASE, DKG, PROV

from ..sparql import Endpoint, run_query
from ..store import ReleaseRef
from .result import MetricTable

__all__ = ["read_metrics", "keep_for_maps", "read_kept", "MAP_COLUMNS"]

#: The tables a map draws on, and the columns each one has.
MAP_COLUMNS = {"degree": ("degree", "strength"), "betweenness": ("betweenness",), "community": ("community",)}

_RUNS = """
SELECT ?run ?ended (GROUP_CONCAT(?algorithm; SEPARATOR="\\n") AS ?algorithms) WHERE {
  ?run a dkg:NetworkAnalysis ; dkg:projection ?projection ; dkg:analysisFilter ?filter ;
       prov:endedAtTime ?ended ; dkg:algorithm ?algorithm .
} GROUP BY ?run ?ended ORDER BY DESC(?ended) ?run
"""

_POSITIONS = """
SELECT ?node ?degree ?strength ?betweenness ?community WHERE {
  ?position prov:wasGeneratedBy ?run ; dkg:positionOf ?node .
  OPTIONAL { ?position dkg:degree ?degree }
  OPTIONAL { ?position dkg:strength ?strength }
  OPTIONAL { ?position dkg:betweenness ?betweenness }
  OPTIONAL { ?position dkg:community ?community }
} ORDER BY ?node
"""


def read_metrics(store: ox.Store | Endpoint, projection: str, filter_text: str,
                 seed: int) -> tuple[str, list[MetricTable]] | None:
    """The degree, betweenness and community tables of the newest written analysis that matches.

    Parameters
    ----------
    store : pyoxigraph.Store or graph.sparql.Endpoint
        A release's store.
    projection : str
        The projection the map draws.
    filter_text : str
        :meth:`graph.network.select.TieFilter.describe` of the map's filter.
    seed : int
        The map's community seed: a run measured with another seed does not match.

    Returns
    -------
    (str, list of MetricTable) or None
        The run's key and the three tables (``method`` says where they were read from), or
        None when no written analysis measured all three for this projection, filter and seed.

    Examples
    --------
    >>> read_metrics(ox.Store(), "collaboration", "", seed=42) is None  # nothing written back
    True
    """
    bindings = {"projection": ox.Literal(projection), "filter": ox.Literal(filter_text)}
    for row in run_query(store, _RUNS, bindings).rows or []:
        run, algorithms = row[0], (row[2].value if row[2] is not None else "")
        measured = _parameters(algorithms)
        if set(MAP_COLUMNS) <= set(measured) and measured["community"].get("seed") == seed:
            return run.value.rsplit("/", 1)[-1], _tables(store, run, measured)
    return None


#: The predicates of a position a map reads (the run's own statements are kept whole).
_KEPT_PREDICATES = frozenset(f"<{DKG}{name}>" for name in ("positionOf", "degree", "strength", "betweenness",
                                                          "community")) | {f"<{PROV}wasGeneratedBy>"}


def keep_for_maps(release: ReleaseRef, run: str, quads: Iterable[str]) -> Path:
    """Keep what a map reads of one analysis run of ``release``, for :func:`read_kept`.

    Parameters
    ----------
    release : graph.store.ReleaseRef
        The release the analysis read (:func:`graph.store.release_of`).
    run : str
        The run's key (:func:`graph.network.writeback.run_key`).
    quads : iterable of str
        The run's N-Quads lines (:func:`graph.network.writeback.analysis_quads`).

    Returns
    -------
    Path
        The file written (replaced atomically). Folders kept for releases that are gone are removed.

    Examples
    --------
    >>> import networkx as nx, tempfile
    >>> from graph.network.centrality import betweenness, degree
    >>> from graph.network.community import communities
    >>> from graph.network.writeback import analysis_quads
    >>> g = nx.Graph([("https://ex/a", "https://ex/b", {"shared": 1})])
    >>> run, quads = analysis_quads(g, [degree(g), betweenness(g), communities(g, seed=42)], "actors")
    >>> build = Path(tempfile.mkdtemp())
    >>> keep_for_maps(ReleaseRef(build, "r1"), run, quads).relative_to(build).parent.as_posix()
    'cache/analyses/r1'
    >>> read_kept(ReleaseRef(build, "r1"), "actors", "", seed=42)[0] == run
    True
    >>> read_kept(ReleaseRef(build, "r2"), "actors", "", seed=42) is None  # another release: nothing kept
    True
    """
    folder = release.cache("analyses", prune=True)
    folder.mkdir(parents=True, exist_ok=True)
    subject = f"<{BASE}id/analysis/{run}>"
    kept = [line for line in quads if line.startswith(subject) or line.split(" ", 2)[1] in _KEPT_PREDICATES]
    path = folder / f"{run}.nq"
    with replacing(path) as temp:
        temp.write_text("".join(f"{line}\n" for line in kept), encoding="utf-8")
    return path


def read_kept(release: ReleaseRef, projection: str, filter_text: str,
              seed: int) -> tuple[str, list[MetricTable]] | None:
    """:func:`read_metrics` over the runs :func:`keep_for_maps` kept for ``release``.

    Parameters
    ----------
    release : graph.store.ReleaseRef
        The release (:func:`graph.store.release_of`).
    projection, filter_text, seed
        As for :func:`read_metrics`.

    Returns
    -------
    (str, list of MetricTable) or None
        As :func:`read_metrics`; None when nothing was kept for this release or nothing matches.

    Examples
    --------
    >>> import tempfile
    >>> read_kept(ReleaseRef(Path(tempfile.mkdtemp()), "r1"), "collaboration", "", seed=42) is None
    True
    """
    files = sorted(release.cache("analyses").glob("*.nq"))
    if not files:
        return None
    store = ox.Store()
    for path in files:
        try:
            store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        except (OSError, SyntaxError, ValueError):  # unreadable or cut short: measured again instead
            continue
    return read_metrics(store, projection, filter_text, seed)


def _parameters(algorithms: str) -> dict[str, dict]:
    """``{metric: parameters}`` from a run's ``dkg:algorithm`` texts (``"metric: method; {json}"``)."""
    found = {}
    for text in algorithms.split("\n"):
        metric, _, rest = text.partition(": ")
        _, _, parameters = rest.rpartition("; ")
        try:
            found[metric] = json.loads(parameters)
        except ValueError:
            continue  # a run written by another version: not read back
    return found


def _tables(store: ox.Store | Endpoint, run: ox.NamedNode, measured: dict[str, dict]) -> list[MetricTable]:
    result = run_query(store, _POSITIONS, {"run": run})
    frame = pd.DataFrame([[None if t is None else t.value for t in row] for row in result.rows or []],
                         columns=result.variables).set_index("node")
    frame.index.name = "node"
    tables = []
    for metric, columns in MAP_COLUMNS.items():
        values = frame[list(columns)].dropna(axis=1, how="all").dropna(how="all")
        values = values.astype("float64" if metric == "betweenness" else "int64")
        if metric == "community":
            values["community_size"] = values["community"].map(values["community"].value_counts()).astype("int64")
        parameters = measured[metric]
        tables.append(MetricTable(metric, values, f"read from analysis {run.value.rsplit('/', 1)[-1]}: "
                                                  f"{parameters.get('method', '')}".rstrip(": "), parameters))
    return tables
