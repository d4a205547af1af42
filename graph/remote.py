"""Remote SPARQL stores, the scale-out path: query any SPARQL 1.1 endpoint, push the built dataset.

- :class:`SparqlEndpoint` runs queries over the SPARQL 1.1 Protocol and turns the answers into
  the same :class:`graph.sparql.QueryResult` the embedded store gives, so the named questions run
  unchanged against Fuseki, GraphDB, Virtuoso, QLever or an ``oxigraph serve``. It negotiates the
  protocol's three ways of sending a query (:data:`PROTOCOLS`): by default ``GET`` for a short
  query and a form ``POST`` otherwise, which every server answers; a direct ``POST``
  (``application/sparql-query``) only when asked, since Virtuoso 7.2 never answers it. Connect
  and read timeouts are separate options, and a slow server is told apart from an absent one. Parameters arrive as a ``VALUES`` block of escaped
  RDF terms (:func:`graph.sparql.with_values`), never pasted into the text.
- :func:`push` uploads the built dataset with the SPARQL 1.1 Graph Store HTTP Protocol: one
  ``PUT ?graph=<IRI>`` per named graph, its N-Triples streamed from a temporary file (constant
  memory, a ``Content-Length`` every server accepts), never a request per triple. ``PUT``
  replaces the graph, so pushing twice leaves the same content.

The remote store must treat its default graph as the union of the named graphs, as the local
store does (``docs/scale-out.md`` shows how for each server).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import requests
from requests.auth import AuthBase, HTTPBasicAuth, HTTPDigestAuth

from ontology.errors import DkgError

from .sparql import QueryResult, standalone

#: HTTP authentication schemes for remote stores, by name.
AUTH_SCHEMES: dict[str, type[AuthBase]] = {"basic": HTTPBasicAuth, "digest": HTTPDigestAuth}
DEFAULT_PASSWORD_ENV = "DKG_ENDPOINT_PASSWORD"
_ACCEPT = ("application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8, "
           "application/rdf+xml;q=0.5")


class EndpointError(DkgError, RuntimeError):
    """A remote store could not be reached or refused a request (the message says which and why)."""


def make_auth(user: str | None, password_env: str = DEFAULT_PASSWORD_ENV, scheme: str = "basic") -> AuthBase | None:
    """HTTP authentication for ``user`` with the password from the environment variable ``password_env``.

    Passwords never come from the command line, where other users of the machine could read them.

    >>> make_auth(None) is None
    True
    >>> make_auth("ana", "DKG_TEST_NO_SUCH_VARIABLE")
    Traceback (most recent call last):
    ...
    graph.remote.EndpointError: user 'ana' given but the environment variable DKG_TEST_NO_SUCH_VARIABLE (the password) is not set
    """
    if not user:
        return None
    if scheme not in AUTH_SCHEMES:
        raise EndpointError(f"unknown authentication scheme {scheme!r}; known: {', '.join(AUTH_SCHEMES)}")
    password = os.environ.get(password_env)
    if password is None:
        raise EndpointError(f"user {user!r} given but the environment variable {password_env} (the password) is not set")
    return AUTH_SCHEMES[scheme](user, password)


#: How a query is sent: ``auto`` (GET when the URL stays under :data:`GET_LIMIT` characters, a
#: form POST otherwise), ``get``, ``form`` (``application/x-www-form-urlencoded``) or ``direct``
#: (``application/sparql-query``).
PROTOCOLS = ("auto", "get", "form", "direct")
#: Longest GET URL sent (servers and proxies commonly refuse beyond 4-8 KB).
GET_LIMIT = 2000
DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_READ_TIMEOUT = 120.0


@dataclass
class SparqlEndpoint:
    """A SPARQL 1.1 Protocol query endpoint (``http://host:3030/ds/sparql``, ``.../query``).

    ``protocol`` is one of :data:`PROTOCOLS`; ``timeout`` is the read timeout (seconds without
    an answer) and ``connect_timeout`` the time allowed to open the connection.
    """

    url: str
    auth: AuthBase | None = None
    timeout: float = DEFAULT_READ_TIMEOUT
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    protocol: str = "auto"

    def __post_init__(self) -> None:
        if self.protocol not in PROTOCOLS:
            raise EndpointError(f"unknown SPARQL protocol {self.protocol!r}; choose one of {', '.join(PROTOCOLS)}")
        self._session = requests.Session()

    def _send(self, sparql: str, accept: str) -> requests.Response:
        """Send a query the way :attr:`protocol` says (see :data:`PROTOCOLS`)."""
        text = standalone(sparql)
        protocol = self.protocol
        if protocol == "auto":
            encoded = requests.Request("GET", self.url, params={"query": text}).prepare().url or ""
            protocol = "get" if len(encoded) <= GET_LIMIT else "form"
        if protocol == "get":
            return self._request("GET", self.url, params={"query": text}, headers={"Accept": accept})
        if protocol == "form":
            return self._request("POST", self.url, data={"query": text}, headers={
                "Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Accept": accept})
        return self._request("POST", self.url, data=text.encode("utf-8"), headers={
            "Content-Type": "application/sparql-query; charset=utf-8", "Accept": accept})

    def query(self, sparql: str) -> QueryResult:
        """Run ``sparql`` (the project prefixes it uses are declared in front of it) and parse the answer."""
        response = self._send(sparql, _ACCEPT)
        media = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if media in ("application/sparql-results+json", "application/json"):
            try:
                data = response.json()
                if "boolean" in data:
                    return QueryResult([], boolean=bool(data["boolean"]))
                variables = data["head"].get("vars", [])
                if variables == ["__ASK_RETVAL"]:  # Virtuoso answers ASK as a one-cell table
                    bindings = data["results"]["bindings"]
                    return QueryResult([], boolean=bool(bindings) and bindings[0]["__ASK_RETVAL"]["value"] not in ("0", "false"))
                rows = [[_term(b.get(v)) for v in variables] for b in data["results"]["bindings"]]
            except (ValueError, KeyError, TypeError, AttributeError) as err:
                raise EndpointError(f"{self.url}: the answer is not a SPARQL JSON results document "
                                    f"({type(err).__name__}: {err}); it begins {response.text[:200]!r}") from None
            return QueryResult(variables, rows=rows)
        rdf_format = ox.RdfFormat.from_media_type(media) if media else None
        if rdf_format is None:
            raise EndpointError(f"{self.url}: answer of unexpected type {media or '(none)'}: {response.text[:200]!r}")
        try:
            return QueryResult([], triples=[q.triple for q in ox.parse(response.content, format=rdf_format)])
        except (SyntaxError, ValueError) as err:
            raise EndpointError(f"{self.url}: the answer is not valid {media}: {err}") from None

    def select_csv(self, sparql: str) -> bytes:
        """Run a SELECT and return the answer as SPARQL 1.1 CSV (the compact form bulk extraction reads)."""
        response = self._send(sparql, "text/csv")
        media = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if media not in ("text/csv", "application/csv"):
            raise EndpointError(f"{self.url}: asked for CSV results, got {media or '(no type)'}: {response.text[:200]!r}")
        return response.content

    def _request(self, method: str, url: str, **kwargs) -> requests.Response:
        try:
            response = self._session.request(method, url, auth=self.auth,
                                             timeout=(self.connect_timeout, self.timeout), **kwargs)
        except requests.ConnectTimeout:
            raise EndpointError(f"{url}: cannot reach the endpoint: no connection within {self.connect_timeout:g} s") from None
        except requests.ReadTimeout:
            raise EndpointError(f"{url}: the endpoint took the query but gave no answer within {self.timeout:g} s "
                                "(a longer --timeout, or another --sparql-protocol, may help)") from None
        except requests.RequestException as err:
            raise EndpointError(f"{url}: cannot reach the endpoint: {err}") from None
        if response.status_code >= 400:
            raise EndpointError(f"{url}: HTTP {response.status_code} {response.reason}: {response.text.strip()[:500]}")
        return response


def _term(binding: dict | None) -> ox.NamedNode | ox.Literal | ox.BlankNode | None:
    """An RDF term from one binding of the SPARQL 1.1 JSON results format."""
    if binding is None:
        return None
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if kind in ("literal", "typed-literal"):  # "typed-literal": older Virtuoso releases
        if "xml:lang" in binding:
            return ox.Literal(value, language=binding["xml:lang"])
        if "datatype" in binding:
            return ox.Literal(value, datatype=ox.NamedNode(binding["datatype"]))
        return ox.Literal(value)
    if kind == "triple":
        raise EndpointError("RDF-star triple terms in results are not supported")
    raise EndpointError(f"unknown term type {kind!r} in SPARQL JSON results: {json.dumps(binding)[:200]}")


def push(store: ox.Store, endpoint: str, *, graphs: Iterable[str] | None = None, auth: AuthBase | None = None,
         timeout: float = 3600.0, on_graph: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Upload every named graph of ``store`` (or those in ``graphs``, IRIs) to a Graph Store endpoint.

    Returns the triples sent per graph IRI. ``on_graph(iri, triples)`` is called after each upload
    (progress). Raises :class:`EndpointError` on the first refused request; graphs already sent
    stay on the server (each ``PUT`` is complete on its own).
    """
    available = sorted(g.value for g in store.named_graphs())
    wanted = available if graphs is None else list(graphs)
    missing = [g for g in wanted if g not in available]
    if missing:
        raise EndpointError(f"no such graph in the store: {', '.join(missing)}; it has: {', '.join(available)}")
    session, sent = requests.Session(), {}
    with tempfile.TemporaryDirectory(prefix="dkg-push-") as tmp:
        for iri in wanted:
            path = Path(tmp) / "graph.nt"
            graph = ox.NamedNode(iri)
            store.dump(str(path), ox.RdfFormat.N_TRIPLES, from_graph=graph)
            triples = _count_lines(path)
            with path.open("rb") as body:
                try:
                    response = session.put(endpoint, params={"graph": iri}, data=body, auth=auth, timeout=timeout,
                                           headers={"Content-Type": "application/n-triples"})
                except requests.RequestException as err:
                    raise EndpointError(f"{endpoint}: cannot reach the Graph Store endpoint: {err}"
                                        f"{_partial(sent, wanted)}") from None
            if response.status_code >= 400:
                raise EndpointError(f"{endpoint}: PUT graph <{iri}> refused: HTTP {response.status_code} "
                                    f"{response.reason}: {response.text.strip()[:500]}{_partial(sent, wanted)}")
            sent[iri] = triples
            if on_graph:
                on_graph(iri, triples)
    return sent


def _partial(sent: dict[str, int], wanted: list[str]) -> str:
    """What a failed push left on the server: the graphs already replaced and those not sent."""
    if not sent:
        return "; no graph on the server was changed"
    left = [g for g in wanted if g not in sent]
    return (f"; already replaced on the server: {', '.join(sent)}; not sent (the server keeps its old "
            f"version): {', '.join(left)}. Push again to finish")


def _count_lines(path: Path) -> int:
    with path.open("rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
