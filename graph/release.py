"""The handle on one built knowledge graph: :class:`Release`, opened once by :func:`open_release`.

A release is what ``dkg build`` published (``build/current``), a store directory, or a remote
SPARQL endpoint; every job of :mod:`graph.api` takes one, so "which store, of which kind" is
worked out in one place.

Examples
--------
>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> store.add(ox.Quad(ox.NamedNode("http://ex/a"), ox.NamedNode("http://ex/p"), ox.Literal("x"), ox.NamedNode("http://ex/g")))
>>> kg = open_release(store)
>>> kg.select("SELECT ?s ?o WHERE { ?s ?p ?o }")
             s  o
0  http://ex/a  x
>>> print(kg.summary())
an open store: 1 triples in 1 named graphs
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ontology.errors import DkgError

from .library import NamedQuery, load_library
from .notebook import open_graph
from .query import execute
from .query import construct as _construct
from .query import select as _select
from .remote import DEFAULT_CONNECT_TIMEOUT, DEFAULT_PASSWORD_ENV, DEFAULT_READ_TIMEOUT, SparqlEndpoint, make_auth
from .sparql import QueryResult
from .stats import class_counts, graph_counts
from .store import DEFAULT_BUILD_DIR, open_store

if TYPE_CHECKING:
    import pandas as pd
    import rdflib

__all__ = ["Release", "open_release", "open_or_build", "questions", "Stats", "QuerySyntaxError"]


class QuerySyntaxError(DkgError, SyntaxError):
    """The query text is not SPARQL the engine can parse."""


@contextlib.contextmanager
def _sparql_errors() -> Iterator[None]:
    """The engine's ``SyntaxError`` as a :class:`QuerySyntaxError` (a ``DkgError`` the CLI shows)."""
    try:
        yield
    except QuerySyntaxError:
        raise
    except SyntaxError as err:
        raise QuerySyntaxError(f"malformed SPARQL: {err}") from None


class Release:
    """One built knowledge graph, opened once: the handle every job takes.

    Open it with :func:`open_release` from a build directory (its ``current`` release), a store
    directory, a SPARQL endpoint URL or an already open store.

    Attributes
    ----------
    store : pyoxigraph.Store or graph.remote.SparqlEndpoint
        What answers the queries.
    location : Path or str or None
        Where it was opened from (None for a store opened elsewhere).
    """

    def __init__(self, store: ox.Store | SparqlEndpoint, location: Path | str | None = None):
        self.store = store
        self.location = location

    @property
    def is_remote(self) -> bool:
        """Whether a remote SPARQL endpoint answers (no local files to write back into)."""
        return isinstance(self.store, SparqlEndpoint)

    def execute(self, question: str | Path | NamedQuery, params: dict[str, object] | None = None, *,
                allow_service: bool = False) -> QueryResult:
        """Run a named question, a ``.rq`` file or SPARQL text; parameters bound as RDF terms.

        Parameters
        ----------
        question : str, Path or graph.library.NamedQuery
            A question's name (``members-of-network``), a ``.rq`` path, or SPARQL text.
        params : dict, optional
            Parameter values, as text (``"organisation:eurocities"``) or RDF terms; checked against
            the question's ``# Parameters:`` header when it has one.
        allow_service : bool, default False
            Let the embedded store follow ``SERVICE`` clauses to other addresses.

        Returns
        -------
        QueryResult

        Raises
        ------
        QuerySyntaxError
            The text is not SPARQL.
        graph.sparql.ParameterError, graph.library.QueryNotFound
            A parameter or the question is unknown or invalid.

        Examples
        --------
        >>> open_release(ox.Store()).execute("ASK { ?s ?p ?o }").boolean
        False
        """
        with _sparql_errors():
            return execute(question, self.store, params, allow_service=allow_service)

    def select(self, question: str | Path, **params: object) -> pd.DataFrame:
        """A SELECT's answer as a typed DataFrame (see :func:`graph.query.select`).

        Parameters
        ----------
        question : str or Path
            A question's name, a ``.rq`` path, or SPARQL text.
        **params
            The question's parameters, as text or RDF terms.

        Returns
        -------
        pandas.DataFrame
            Columns in the SELECT order, typed from the RDF datatypes.

        Examples
        --------
        >>> open_release(ox.Store()).select("SELECT ?n WHERE { VALUES ?n { 1 2 } }")["n"].tolist()
        [1, 2]
        """
        with _sparql_errors():
            return _select(question, self.store, **params)

    def construct(self, question: str | Path, **params: object) -> rdflib.Graph:
        """A CONSTRUCT's or DESCRIBE's answer as an rdflib Graph (project prefixes bound).

        Parameters
        ----------
        question : str or Path
            A question's name, a ``.rq`` path, or SPARQL text.
        **params
            The question's parameters.

        Returns
        -------
        rdflib.Graph

        Examples
        --------
        >>> len(open_release(ox.Store()).construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"))
        0
        """
        with _sparql_errors():
            return _construct(question, self.store, **params)

    def stats(self) -> Stats:
        """Entities per class and triples per named graph.

        Returns
        -------
        Stats
            ``summary()`` is what ``dkg stats`` prints.

        Examples
        --------
        >>> open_release(ox.Store()).stats().graphs
        {}
        """
        return Stats(class_counts(self.store), graph_counts(self.store))

    def summary(self) -> str:
        """Where the release is and how big it is.

        Returns
        -------
        str
            One line: the location and, for a local store, its triples and named graphs.

        Examples
        --------
        >>> open_release(ox.Store()).summary()
        'an open store: 0 triples in 0 named graphs'
        """
        where = f"{self.location}" if self.location is not None else "an open store"
        if self.is_remote:
            return f"{where}: a remote SPARQL endpoint"
        graphs = graph_counts(self.store)
        return f"{where}: {sum(graphs.values())} triples in {len(graphs)} named graphs"

    def __repr__(self) -> str:
        return f"Release({self.location!r})"


def open_release(where: Release | ox.Store | SparqlEndpoint | Path | str = DEFAULT_BUILD_DIR, *,
                 user: str | None = None, password_env: str = DEFAULT_PASSWORD_ENV, auth: str = "basic",
                 protocol: str = "auto", timeout: float = DEFAULT_READ_TIMEOUT,
                 connect_timeout: float = DEFAULT_CONNECT_TIMEOUT) -> Release:
    """Open a built graph: a build directory, a store directory, an endpoint URL or an open store.

    Parameters
    ----------
    where : Release, pyoxigraph.Store, SparqlEndpoint, path or URL, default ``build``
        A build directory opens its current release, read-only.
    user, password_env, auth, protocol, timeout, connect_timeout
        For an endpoint URL: HTTP authentication (the password is read from the environment
        variable ``password_env``), how queries are sent, and how long to wait.

    Returns
    -------
    Release

    Raises
    ------
    graph.store.StoreNotFound
        Nothing built there.

    Examples
    --------
    >>> open_release("/nonexistent")
    Traceback (most recent call last):
    ...
    graph.store.StoreNotFound: no built store at /nonexistent; run 'dkg build' (or 'make run') first
    >>> open_release("http://127.0.0.1:7878/query").is_remote
    True
    """
    if isinstance(where, Release):
        return where
    if isinstance(where, (ox.Store, SparqlEndpoint)):
        return Release(where)
    if isinstance(where, str) and where.startswith(("http://", "https://")):
        return Release(SparqlEndpoint(where, auth=make_auth(user, password_env, auth), timeout=timeout,
                                      connect_timeout=connect_timeout, protocol=protocol), where)
    return Release(open_store(where), where)


@dataclass
class Stats:
    """Entities per class and triples per named graph of a release (``dkg stats``)."""

    classes: dict[str, int]
    graphs: dict[str, int]
    exit_code: int = 0

    def summary(self) -> str:
        """Two aligned tables: entities per class, triples per named graph.

        Examples
        --------
        >>> print(Stats({"http://ex/C": 2}, {"http://ex/g": 7}).summary())
        entities per class
          http://ex/C         2
        triples per named graph
          http://ex/g         7
        """
        width = max(map(len, [*self.classes, *self.graphs]), default=10)
        lines = ["entities per class", *(f"  {name:<{width}} {n:>9}" for name, n in self.classes.items()),
                 "triples per named graph", *(f"  {name:<{width}} {n:>9}" for name, n in self.graphs.items())]
        return "\n".join(lines)


def open_or_build(sources: Path | str | None = None, build_dir: Path | str | None = None) -> Release:
    """The release a notebook works on: the build ``make run`` made, else a reused cache build.

    See :func:`graph.notebook.open_graph`: given a ``sources.toml``, or with no project build, it
    builds the shipped records (plus those sources) into one cache directory and analyses them.

    Parameters
    ----------
    sources : path, optional
        A sources file naming real exports to build with.
    build_dir : path, optional
        Build there instead of the cache directory.

    Returns
    -------
    Release

    Examples
    --------
    >>> import tempfile
    >>> kg = open_or_build(build_dir=Path(tempfile.mkdtemp()) / "build")
    >>> kg.select("members-of-network")["member"].size > 10
    True
    """
    return open_release(open_graph(sources, build_dir))


def questions() -> pd.DataFrame:
    """The named questions of the library: name and what each asks.

    Returns
    -------
    pandas.DataFrame
        Columns ``question`` (the name ``dkg query --name`` takes) and ``asks``.

    Examples
    --------
    >>> "members-of-network" in set(questions()["question"])
    True
    """
    import pandas as pd

    return pd.DataFrame([(q.name, q.question) for q in load_library().values()], columns=["question", "asks"])
