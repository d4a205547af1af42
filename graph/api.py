"""democracy-kg's front door: one handle on a built graph, one function per job.

The command line (:mod:`graph.cli`) and the notebooks use only this module. Every job returns a
result whose ``summary()`` is the text ``dkg`` prints and whose ``exit_code`` is what ``dkg``
returns; every failure a user can act on is an :class:`ontology.errors.DkgError`.

========================  ===========================================================
:func:`open_release`      a :class:`Release` from a build directory, a store, a URL
:func:`build`             records and sources to a new release (atomic)
:func:`ingest`            record a source in the sources file, after building with it
:func:`validate`          records and sources checked, nothing written
:func:`select`            a question's answer as a typed DataFrame
:func:`construct`         a CONSTRUCT/DESCRIBE answer as an rdflib Graph
:func:`analyse`           a network projection measured; tables and graph files written
:func:`draw`              an offline HTML map of a projection
:func:`publish`           the static site (maps, downloads, documentation)
:func:`push`              every named graph uploaded to a remote Graph Store
:func:`open_or_build`     the project's build, else a cache build (notebooks)
========================  ===========================================================

Examples
--------
Open the build ``make run`` made and ask a named question (a tiny store stands in here)::

    kg = open_release("build")
    kg.select("members-of-network", network="organisation:nets4dem")

>>> import pyoxigraph as ox
>>> kg = open_release(ox.Store())
>>> select("SELECT ?n WHERE { VALUES ?n { 1 2 } }", kg)["n"].tolist()
[1, 2]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ontology.namespaces import graph_iri

from .building import OutputError, build, ingest, validate
from .library import load_library  # noqa: F401 - offered to the CLI
from .notebook import cache_dir
from .query import as_query, format_result
from .release import QuerySyntaxError, Release, Stats, open_or_build, open_release, questions
from .remote import DEFAULT_PASSWORD_ENV, make_auth
from .remote import push as _push
from .results import MapResult, PushResult, SiteResult, Validation
from .sparql import ParameterError, run_query, standalone
from .store import DEFAULT_BUILD_DIR

#: What the front door offers from the analysis, map and site layers, imported when first used:
#: they load igraph, matplotlib and pyvis, and ``dkg query`` should not wait for those (``dkg
#: --help`` took 0.7 s this way, 1.9 s with everything imported up front, warm caches).
_LATER = {
    "Analysis": "graph.network.analyse", "TieFilter": "graph.network.select", "extract": "graph.network.extract",
    "node_table": "graph.network.export", "graph_with_metrics": "graph.network.view",
    "method_diffusion": "graph.network.diffusion", "diffusion_summary": "graph.network.diffusion",
    "inline": "graph.maps.notebook", "serve": "graph.serve",
}


def __getattr__(name: str) -> object:
    if name in _LATER:
        import importlib

        return getattr(importlib.import_module(_LATER[name]), name)
    raise AttributeError(f"module 'graph.api' has no attribute {name!r}")


if TYPE_CHECKING:
    import pandas as pd
    import rdflib

    from .network.analyse import Analysis

__all__ = ["Release", "open_release", "build", "ingest", "validate", "select", "construct", "analyse", "draw",
           "publish", "push", "TieFilter", "Stats", "Validation", "MapResult", "SiteResult", "PushResult", "OutputError",
           "QuerySyntaxError", "open_or_build", "questions",
           # the analysis layer's tables and drawing, for notebooks that go further than a job
           "extract", "node_table", "graph_with_metrics", "method_diffusion", "diffusion_summary", "inline",
           "cache_dir",
           # what the command line shows besides job results: questions, answers as text, the endpoint
           "as_query", "load_library", "format_result", "standalone", "ParameterError", "serve"]

Where = Release | Path | str


def select(question: str | Path, store: Where = DEFAULT_BUILD_DIR, **params: object) -> pd.DataFrame:
    """A SELECT's answer as a typed DataFrame: :meth:`Release.select` on ``open_release(store)``.

    Parameters
    ----------
    question : str or Path
        A question's name (``members-of-network``), a ``.rq`` path, or SPARQL text.
    store : Release, path or URL, default ``build``
        Anything :func:`open_release` opens: a build directory, a store, an endpoint URL.
    **params
        The question's parameters, as text (``network="organisation:nets4dem"``) or RDF terms.

    Returns
    -------
    pandas.DataFrame
        Columns in the SELECT order, typed from the RDF datatypes (see :func:`graph.query.select`).

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> select("SELECT ?x WHERE { BIND (true AS ?x) }", ox.Store())["x"].tolist()
    [True]
    >>> select("members-of-network", demo_build(), network="organisation:nets4dem")["member"].size > 10
    True
    """
    return open_release(store).select(question, **params)


def construct(question: str | Path, store: Where = DEFAULT_BUILD_DIR, **params: object) -> rdflib.Graph:
    """A CONSTRUCT's or DESCRIBE's answer as an rdflib Graph: :meth:`Release.construct`.

    Parameters
    ----------
    question : str or Path
        A question's name, a ``.rq`` path, or SPARQL text.
    store : Release, path or URL, default ``build``
        Anything :func:`open_release` opens.
    **params
        The question's parameters.

    Returns
    -------
    rdflib.Graph
        The triples, with the project prefixes bound.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> len(construct("CONSTRUCT { <http://ex/a> <http://ex/p> 1 } WHERE {}", ox.Store()))
    1
    """
    return open_release(store).construct(question, **params)


def analyse(release: Where = DEFAULT_BUILD_DIR, projection: str = "collaboration", **options: object) -> Analysis:
    """Project the graph into a network, measure it and write tables and graph files.

    Parameters
    ----------
    release : Release, path or URL, default ``build``
        A build directory is needed for ``write_back=True`` (the analysis graph goes into a new
        release made from the current one).
    projection : str
        One of :data:`graph.network.names.PROJECTIONS`.
    **options
        Passed to :func:`graph.network.analyse.analyse` (``tie_filter``, ``metrics``, ``out``,
        ``write_back``, ``seed``...).

    Returns
    -------
    graph.network.analyse.Analysis
        ``summary()`` is what ``dkg analyse`` prints.

    Examples
    --------
    >>> result = analyse(demo_build(), "actors", metrics=["degree"])
    >>> result.graph.number_of_nodes() > 40, [t.metric for t in result.tables]
    (True, ['degree'])
    """
    from .network.analyse import analyse as _analyse

    return _analyse(_source(release), projection, **options)


def draw(release: Where = DEFAULT_BUILD_DIR, out: Path | str | None = None, *,
         projection: str = "collaboration", **options: object) -> MapResult:
    """Draw a projection (or one organisation's ego network) as one offline HTML page.

    Parameters
    ----------
    release : Release, path or URL, default ``build``
    out : path, optional
        The page; default ``maps/<projection>.html``.
    projection : str
        One of :data:`graph.network.names.PROJECTIONS`.
    **options
        Passed to :func:`graph.maps.make.make_map` (``tie_filter``, ``ego``, ``color_by``,
        ``size_by``, ``max_nodes``, ``backbone``, ``figures``...).

    Returns
    -------
    MapResult

    Examples
    --------
    >>> import tempfile
    >>> drawn = draw(demo_build(), Path(tempfile.mkdtemp()) / "actors.html", projection="actors")
    >>> drawn.path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>"), drawn.exit_code
    (True, 0)
    """
    out = Path(out) if out is not None else Path("maps") / f"{projection}.html"
    from .maps.make import make_map

    path, g = make_map(_source(release), out, projection=projection, **options)
    return MapResult(path, g)


def publish(release: Where = DEFAULT_BUILD_DIR, out: Path | str = "site", *, seed: int = 42) -> SiteResult:
    """Write the static site (maps, downloads, vocabulary pages, licences) of a build.

    Parameters
    ----------
    release : Release or path, default ``build``
        A build directory: the site links its dumps.
    out : path, default ``site``
        The site folder, replaced whole once the new one is complete.
    seed : int
        Layout and community seed of the maps.

    Returns
    -------
    SiteResult

    Examples
    --------
    >>> import tempfile
    >>> site = publish(demo_build(), Path(tempfile.mkdtemp()) / "site")
    >>> (site.out / "index.html").exists(), site.summary().startswith("wrote")
    (True, True)
    """
    out = Path(out)
    from .publish.site import publish as _publish

    return SiteResult(out, _publish(_source(release), out, seed=seed))


def push(release: Where, endpoint: str, *, graphs: Iterable[str] = (), user: str | None = None,
         password_env: str | None = None, auth: str = "basic", check: Release | str | None = None,
         on_graph: Callable[[str, int], None] | None = None) -> PushResult:
    """Upload every named graph of a release (or those named) to a SPARQL Graph Store endpoint.

    Parameters
    ----------
    release : Release or path
        The local release to upload.
    endpoint : str
        The Graph Store Protocol URL.
    graphs : iterable of str
        Graph IRIs or short names (``curated``); empty means all.
    user, password_env, auth
        HTTP authentication (the password is read from the environment variable).
    check : Release or URL, optional
        A query endpoint of the same store: each graph's triples are counted there afterwards.
    on_graph : callable, optional
        Called with (graph IRI, triples) after each upload.

    Returns
    -------
    PushResult
        ``exit_code`` is 1 when the server's counts differ from what was sent.

    Examples
    --------
    >>> push(demo_build(), "http://127.0.0.1:9/store")  # nothing listens there  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graph.remote.EndpointError: ...
    """
    kg = open_release(release)
    wanted = [g if "://" in g else graph_iri(g) for g in graphs] or None
    credentials = make_auth(user, password_env or DEFAULT_PASSWORD_ENV, auth)
    sent = _push(kg.store, endpoint, graphs=wanted, auth=credentials, on_graph=on_graph)
    result = PushResult(endpoint, sent)
    if check is not None:
        remote = open_release(check)
        result.checked_at = str(remote.location)
        for iri, n in sent.items():
            answer = run_query(remote.store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")
            there = int(answer.rows[0][0].value)
            if there != n:
                result.differ.append(f"  {iri}: sent {n}, the server has {there}")
    return result


def _source(release: Where) -> object:
    """What the map and site makers read: a build directory path, or an open store."""
    if isinstance(release, Release):
        return release.location if release.location is not None and not release.is_remote else release.store
    return release

