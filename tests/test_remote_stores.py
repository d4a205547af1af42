"""The stores a user outgrows this machine with, tested for real: Virtuoso and the Oxigraph server.

Each starts on 127.0.0.1 with a throw-away database (``tests/stores.py``); ``dkg push`` uploads
the test build with the Graph Store Protocol and checks the counts per graph through the
server's query endpoint; then **every** named question must give the same answer there as on
the embedded store. Answers are compared by value, not by text: numbers by their value whatever
the numeric datatype, and booleans as 1/0 (Virtuoso 7.2 returns every boolean as an
``xsd:integer``, an upstream limitation written down in docs/scale-out.md).
"""

from __future__ import annotations

import os
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox
import pytest

from graph.cli import main
from graph.library import load_library
from graph.query import execute
from graph.remote import SparqlEndpoint

from .stores import OxigraphServer, Virtuoso
from .test_library import REWRITTEN

pytestmark = pytest.mark.slow
LIBRARY = load_library()
XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {f"{XSD}{t}" for t in ("integer", "decimal", "double", "float", "int", "long", "short", "byte",
                                  "nonNegativeInteger", "positiveInteger", "unsignedInt", "unsignedLong")}
STRING = {None, f"{XSD}string"}
DOUBLE = {f"{XSD}double", f"{XSD}float"}


def normalised(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> tuple:
    """A term as a comparable value: numbers (and booleans, as 1/0) by value, strings by text."""
    if term is None:
        return ("unbound",)
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode",)
    datatype = term.datatype.value if term.datatype is not None else None
    if term.language:
        return ("text", term.value, term.language.lower())
    if datatype == f"{XSD}boolean":
        return ("number", Decimal(1 if term.value in ("true", "1") else 0))
    if datatype in NUMERIC:
        try:
            value = Decimal(term.value)
        except InvalidOperation:
            return ("number?", term.value)
        # Doubles to six significant digits: Virtuoso prints them shorter than Oxigraph does
        # (0.0133333 for 0.013333333333333334); exact types stay exact.
        return ("number", Decimal(f"{value:.6g}") if datatype in DOUBLE else value)
    if datatype in STRING or datatype == "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString":
        return ("text", term.value, "")
    return ("typed", term.value, datatype)


def answers(store, name: str, params: dict | None = None) -> list[tuple]:  # noqa: ANN001
    result = execute(name, store, LIBRARY[name].example_params if params is None else params)
    if result.boolean is not None:
        return [(("number", Decimal(int(result.boolean))),)]
    return sorted(tuple(normalised(t) for t in row) for row in result.rows)


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    if not Virtuoso.available():
        pytest.fail("Virtuoso (virtuoso-t) is not installed: 'make system-deps' installs Debian's "
                    "virtuoso-opensource when run as root")
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph-server"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def pushed_virtuoso(virtuoso, library_build):
    os.environ["DKG_TEST_VIRTUOSO_PASSWORD"] = Virtuoso.PASSWORD  # passwords come from the environment
    try:
        code = main(["push", "--store", str(library_build.layout.root), "--endpoint", virtuoso.store_url,
                     "--user", Virtuoso.USER, "--password-env", "DKG_TEST_VIRTUOSO_PASSWORD", "--auth", "digest",
                     "--query-endpoint", virtuoso.query_url])
    finally:
        os.environ.pop("DKG_TEST_VIRTUOSO_PASSWORD", None)
    assert code == 0
    return virtuoso


@pytest.fixture(scope="module")
def pushed_oxigraph(oxigraph_server, library_build):
    code = main(["push", "--store", str(library_build.layout.root), "--endpoint", oxigraph_server.store_url,
                 "--query-endpoint", oxigraph_server.query_url])
    assert code == 0
    return oxigraph_server


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_every_question_answers_the_same_on_virtuoso(pushed_virtuoso, library_store, name):
    remote = SparqlEndpoint(pushed_virtuoso.query_url, timeout=60)
    assert answers(remote, name) == answers(library_store, name)


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_every_question_answers_the_same_on_the_oxigraph_server(pushed_oxigraph, library_store, name):
    remote = SparqlEndpoint(pushed_oxigraph.query_url, timeout=60)
    assert answers(remote, name) == answers(library_store, name)


@pytest.mark.parametrize("name", sorted(REWRITTEN))
def test_questions_rewritten_for_speed_answer_the_same_on_both_servers(pushed_virtuoso, pushed_oxigraph, library_store, name):
    # under every parameter set the plain-formulation test uses, not only the example's
    for server in (pushed_virtuoso, pushed_oxigraph):
        remote = SparqlEndpoint(server.query_url, timeout=60)
        for params in REWRITTEN[name]:
            assert answers(remote, name, params) == answers(library_store, name, params), (name, params)


@pytest.mark.parametrize("protocol", ["get", "form", "auto"])
def test_each_protocol_way_reaches_virtuoso(pushed_virtuoso, library_store, protocol):
    remote = SparqlEndpoint(pushed_virtuoso.query_url, protocol=protocol, timeout=60)
    assert answers(remote, "members-of-network") == answers(library_store, "members-of-network")
    # a long query (the auto way switches to a form POST beyond GET_LIMIT characters)
    # (in our graphs only: Virtuoso's default graph also holds its own system graphs)
    long = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), \"https://w3id.org/\")) "
            "FILTER(?o != \"" + "x" * 3000 + "\") }")
    assert execute(long, remote).rows[0][0].value == execute(long, library_store).rows[0][0].value


def test_virtuoso_answers_ask_as_a_boolean(pushed_virtuoso):
    assert SparqlEndpoint(pushed_virtuoso.query_url).query("ASK { ?s a org:Organization }").boolean is True
    assert SparqlEndpoint(pushed_virtuoso.query_url).query("ASK { ?s a <http://x/Nothing> }").boolean is False


def test_a_silent_server_is_told_apart_from_an_absent_one(capsys):
    import socket

    with socket.socket() as silent:  # accepts connections (the kernel does) but never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/sparql"
        assert main(["query", "ASK {}", "--endpoint", url, "--timeout", "1"]) == 2
        assert "no answer within 1 s" in capsys.readouterr().err
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{closed.getsockname()[1]}/sparql"
    assert main(["query", "ASK {}", "--endpoint", url]) == 2
    assert "cannot reach the endpoint" in capsys.readouterr().err
