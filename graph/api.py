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

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ontology.errors import DkgError
from ontology.namespaces import graph_iri

from ingest.records import load_records
from ingest.sources import ConfigError, load_config, sources_text_with

from .build import BuildResult, lines_from_records, map_sources
from .build import build as _build
from .library import load_library  # noqa: F401 - offered to the CLI
from .query import as_query, format_result
from .release import QuerySyntaxError, Release, Stats, open_or_build, open_release, questions
from .results import MapResult, PushResult, SiteResult, Validation
from .remote import DEFAULT_PASSWORD_ENV, make_auth
from .remote import push as _push
from .sparql import ParameterError, run_query, standalone
from .store import DEFAULT_BUILD_DIR
from .notebook import cache_dir
from .validate import validate_lines

#: What the front door offers from the analysis, map and site layers, imported when first used:
#: they load igraph, matplotlib and pyvis, and ``dkg query`` should not wait for those (``dkg
#: --help`` takes 0.6 s this way, 7 s with everything imported up front).
_LATER = {
    "Analysis": "graph.network.analyse", "TieFilter": "graph.network.select", "extract": "graph.network.extract",
    "node_table": "graph.network.export", "graph_with_metrics": "graph.network.export",
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


class OutputError(DkgError):
    """A job's input or output folder cannot be used (missing, a file, read-only, full)."""


def build(records: Path | str = "data/records", out: Path | str = DEFAULT_BUILD_DIR, *,
          sources: Path | str | None = None, shacl: str = "oxigraph") -> BuildResult:
    """Build a new release from the curated records and the configured sources (see :mod:`graph.build`).

    Parameters
    ----------
    records : path, default ``data/records``
        The curated records directory.
    out : path, default ``build``
        The build directory; its ``current`` release is replaced only when everything succeeded.
    sources : path, optional
        The sources file (``data/sources.toml``); None builds the curated records only.
    shacl : {"oxigraph", "pyshacl"}
        The SHACL engine.

    Returns
    -------
    graph.build.BuildResult
        ``summary()`` is what ``dkg build`` prints.

    Raises
    ------
    ingest.records.RecordError, graph.shacl_report.ShaclError
        The records or the graph fail validation (exit code 1).
    OutputError
        The records are missing or the build directory cannot be written.

    Examples
    --------
    >>> build("/nonexistent/records")
    Traceback (most recent call last):
    ...
    graph.api.OutputError: records directory not found: /nonexistent/records
    """
    out = Path(out)
    if not Path(records).is_dir():
        raise OutputError(f"records directory not found: {records}")
    problem = _unwritable(out)
    if problem:
        raise OutputError(f"cannot write to the output folder {out}: {problem}; choose a writable --out")
    try:
        return _build(records, out, shacl=shacl, sources=sources)
    except DkgError:
        raise
    except (FileNotFoundError, ValueError, UnicodeError) as err:
        raise OutputError(str(err)) from None
    except OSError as err:
        where = f" {err.filename}" if getattr(err, "filename", None) else ""
        raise OutputError(f"cannot write or read{where}: {err.strerror or err}; check that the output folder "
                          f"({out}) is a writable directory with free space") from None


def _unwritable(out: Path) -> str:
    """Why a build could not write into ``out`` (empty when it can): a file, read-only, missing parent."""
    if out.exists() and not out.is_dir():
        return "it is a file, not a folder"
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as err:
        return err.strerror or str(err)
    return ""


def ingest(entry: dict, sources_file: Path | str, records: Path | str = "data/records",
           out: Path | str = DEFAULT_BUILD_DIR, *, say: Callable[[str], None] = print) -> BuildResult:
    """Add (or replace) a source in the sources file, but only once a build with it succeeded.

    The new sources file is written beside the old one (so relative paths resolve the same),
    checked, built from, and renamed over the old one only when the build succeeded; on any
    failure the old file is unchanged.

    Parameters
    ----------
    entry : dict
        The ``[[source]]`` table: ``name``, ``adapter``, ``path`` and optional fields.
    sources_file : path
        The sources file (``data/sources.toml``); created when missing.
    records, out : path
        As for :func:`build`.
    say : callable
        Receives progress lines.

    Returns
    -------
    graph.build.BuildResult

    Raises
    ------
    ingest.sources.ConfigError
        The entry is not a valid source (the file is unchanged).
    """
    sources_file = Path(sources_file)
    text = sources_text_with(sources_file, entry)
    fd, temp = tempfile.mkstemp(prefix=f".{sources_file.name}.", suffix=".tmp", dir=sources_file.resolve().parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        try:
            load_config(temp)
        except ConfigError as err:
            raise ConfigError(str(err).replace(temp, str(sources_file))) from None
        say(f"source {entry['name']}: building with it before recording it in {sources_file}")
        result = build(records, out, sources=temp)
        os.replace(temp, sources_file)
        return result
    finally:
        Path(temp).unlink(missing_ok=True)


def validate(records: Path | str = "data/records", sources: Path | str | None = None, *,
             engine: str = "oxigraph") -> Validation:
    """Check the records, map the sources and validate the whole graph; write nothing.

    Parameters
    ----------
    records : path
        The curated records directory.
    sources : path, optional
        The sources file; None checks the curated records only.
    engine : {"oxigraph", "pyshacl"}
        The SHACL engine.

    Returns
    -------
    Validation
        ``exit_code`` is 1 when the records have problems or the graph does not conform.

    Examples
    --------
    >>> validate("/nonexistent/records")
    Traceback (most recent call last):
    ...
    graph.api.OutputError: records directory not found: /nonexistent/records
    """
    if not Path(records).is_dir():
        raise OutputError(f"records directory not found: {records}")
    loaded, problems = load_records(records)
    if problems:
        return Validation(len(loaded), problems)
    try:
        mapped = map_sources(sources)
    except (FileNotFoundError, ValueError) as err:
        raise OutputError(str(err)) from None
    report = validate_lines(lines_from_records(loaded, extra=[line for s in mapped for line in s.lines]), engine)
    return Validation(len(loaded), [], mapped, report)


def select(question: str | Path, store: Where = DEFAULT_BUILD_DIR, **params: object) -> pd.DataFrame:
    """A SELECT's answer as a typed DataFrame: :meth:`Release.select` on ``open_release(store)``.

    ``store`` is anything :func:`open_release` opens: a build directory, a store, an endpoint URL.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> select("SELECT ?x WHERE { BIND (true AS ?x) }", ox.Store())["x"].tolist()
    [True]
    """
    return open_release(store).select(question, **params)


def construct(question: str | Path, store: Where = DEFAULT_BUILD_DIR, **params: object) -> rdflib.Graph:
    """A CONSTRUCT's or DESCRIBE's answer as an rdflib Graph: :meth:`Release.construct`.

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

