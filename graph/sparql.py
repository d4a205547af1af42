"""The SPARQL core: one answer type, one way to run a query, one way to bind parameters.

Everything that asks a store something goes through :func:`run_query`, which returns a
:class:`QueryResult` whichever store answers: the embedded Oxigraph store or a remote SPARQL 1.1
endpoint (:class:`graph.remote.SparqlEndpoint`, which builds the same result from the protocol's
JSON). The default graph of every query is the union of all named graphs, and the project
prefixes are predeclared.

Parameters are bound as RDF terms, never pasted into query text: a ``VALUES`` block in every
group that mentions the variable (:func:`with_values`), terms serialised by pyoxigraph, the same
on the embedded store, on a remote endpoint and in text to paste elsewhere (:func:`standalone`).
pyoxigraph's own ``substitutions=`` would do it for the embedded store, but pyoxigraph 0.5
refuses to substitute a variable the query does not project, and 21 of the 22 named questions
bind one they filter on without projecting it (``tests/test_library.py`` keeps a tripwire that
fails when a pyoxigraph release lifts that restriction).

This module stands on :mod:`ontology` and :mod:`graph.sparql_text` only; the question library,
the Python API, the remote client and the store all stand on it.

Examples
--------
>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> ex = lambda s: ox.NamedNode("http://ex/" + s)
>>> store.add(ox.Quad(ex("a"), ex("p"), ox.Literal("x"), ex("g")))
>>> store.add(ox.Quad(ex("b"), ex("p"), ox.Literal("y"), ex("g")))
>>> run_query(store, "SELECT ?s WHERE { ?s ?p ?o }", {"o": ox.Literal("y")}).rows
[[<NamedNode value=http://ex/b>]]
>>> run_query(store, "ASK { ?s ?p 'x' }").boolean
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

import pyoxigraph as ox

from ontology.errors import DkgError
from ontology.namespaces import PREFIXES

from .memory import collector_paused
from .sparql_text import check_query

#: An RDF term a query answer holds (``None`` for an unbound variable).
Term = ox.NamedNode | ox.Literal | ox.BlankNode


class ParameterError(DkgError, ValueError):
    """A parameter value is missing, unknown or not of its declared kind."""



@dataclass
class QueryResult:
    """A SELECT result (variables and rows of terms), an ASK answer, or CONSTRUCT triples."""

    variables: list[str]
    rows: list[list[ox.NamedNode | ox.Literal | ox.BlankNode | None]] | None = None
    boolean: bool | None = None
    triples: list[ox.Triple] | None = None


class Endpoint(Protocol):
    """What :func:`run_query` needs of a remote store (:class:`graph.remote.SparqlEndpoint` is one)."""

    def query(self, sparql: str) -> QueryResult:
        """Run the query text, bindings already in it, and return the parsed answer."""


def run_query(store: ox.Store | Endpoint, sparql: str,
              bindings: dict[str, ox.NamedNode | ox.Literal] | None = None, *,
              allow_service: bool = False) -> QueryResult:
    """Execute ``sparql`` on ``store`` (embedded or remote) with ``bindings`` bound to RDF terms.

    Parameters
    ----------
    store : pyoxigraph.Store or Endpoint
        The store to ask: embedded, or remote (:class:`graph.remote.SparqlEndpoint`).
    sparql : str
        The query; the project prefixes are predeclared.
    bindings : dict, optional
        Variable name (without ``?``) to the ``NamedNode`` or ``Literal`` it is bound to.
    allow_service : bool, default False
        On the embedded store the text is checked first (:func:`graph.sparql_text.check_query`):
        ``SERVICE`` clauses, which would make this machine fetch other addresses, are refused
        unless this is true; text nested deep enough to overflow the engine's stack is refused
        always.

    Returns
    -------
    QueryResult
        Rows for a SELECT, a boolean for an ASK, triples for a CONSTRUCT or DESCRIBE.

    Raises
    ------
    ParameterError
        A binding is not a variable name or not an IRI or literal.
    graph.sparql_text.QueryRefused
        The text asks for a remote service or is nested too deep.
    SyntaxError
        The embedded engine cannot parse the query.

    Examples
    --------
    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("http://ex/a"), ox.NamedNode("http://ex/p"), ox.Literal("x"), ox.NamedNode("http://ex/g")))
    >>> run_query(store, "SELECT ?s ?o WHERE { ?s ?p ?o }").variables
    ['s', 'o']
    >>> run_query(store, "SELECT ?s WHERE { ?s ?p ?o }", {"o": ox.Literal("z")}).rows
    []
    """
    sparql = with_values(sparql, bindings or {})
    if not isinstance(store, ox.Store):
        return store.query(sparql)
    check_query(sparql, allow_service=allow_service)
    answer = store.query(sparql, use_default_graph_as_union=True, prefixes=PREFIXES)
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult([], boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        variables = [v.value for v in answer.variables]
        # A solution iterates over its values in the order of `variables` (None when unbound):
        # a fifth faster than looking each variable up by name, which shows on 30k-row answers.
        with collector_paused():
            rows = [list(solution) for solution in answer]
        return QueryResult(variables, rows=rows)
    return QueryResult([], triples=list(answer))


def values_block(bindings: dict[str, ox.NamedNode | ox.Literal]) -> str:
    """A SPARQL ``VALUES`` block binding each variable to one term, written in N-Triples syntax.

    pyoxigraph serialises the terms, so quotes, backslashes and newlines in literals are escaped
    and IRIs have been checked to contain no ``<>"{}|`` or spaces: a value can never end the
    block and start query text of its own.

    >>> print(values_block({"name": ox.Literal('"} ; DROP ALL ; #')}))
    VALUES ( ?name ) { ( "\\"} ; DROP ALL ; #" ) }
    >>> values_block({})
    ''
    """
    if not bindings:
        return ""
    for name, term in bindings.items():
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ParameterError(f"not a variable name: {name!r}")
        if not isinstance(term, (ox.NamedNode, ox.Literal)):
            raise ParameterError(f"parameter {name!r}: expected an IRI or a literal, got {type(term).__name__}")
    variables = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(str(term) for term in bindings.values())
    return f"VALUES ( {variables} ) {{ ( {terms} ) }}"


def with_values(sparql: str, bindings: dict[str, ox.NamedNode | ox.Literal]) -> str:
    """``sparql`` with its variables bound: a :func:`values_block` at the start of the outermost
    ``WHERE`` group, and at the start of every nested group (sub-``SELECT``, ``OPTIONAL``,
    ``UNION`` branch, ``MINUS``, ``EXISTS``, ``GRAPH``) that mentions a bound variable.

    That is what binding a variable beforehand means (it is what pyoxigraph's substitutions do):
    a sub-``SELECT`` or a ``UNION`` branch, which SPARQL evaluates on its own, sees the value
    too, and so can be restricted by it early. ``VALUES`` data blocks and ``CONSTRUCT``
    templates are left alone. The query must use the ``WHERE`` keyword.

    >>> with_values("SELECT ?s WHERE { ?s ?p ?o }", {"o": ox.Literal("x")})
    'SELECT ?s WHERE { VALUES ( ?o ) { ( "x" ) }\\n ?s ?p ?o }'
    >>> with_values('CONSTRUCT { ?s ?p "{" } WHERE { ?s ?p ?o }', {"s": ox.NamedNode("http://ex/a")})
    'CONSTRUCT { ?s ?p "{" } WHERE { VALUES ( ?s ) { ( <http://ex/a> ) }\\n ?s ?p ?o }'
    >>> print(with_values("SELECT ?n WHERE { { SELECT ?n WHERE { ?n ?p ?o } } OPTIONAL { ?n ?q ?o } }",
    ...                   {"o": ox.Literal("x")}))
    SELECT ?n WHERE { VALUES ( ?o ) { ( "x" ) }
     { SELECT ?n WHERE { VALUES ( ?o ) { ( "x" ) }
     ?n ?p ?o } } OPTIONAL { VALUES ( ?o ) { ( "x" ) }
     ?n ?q ?o } }
    """
    if not values_block(bindings):
        return sparql
    groups = _groups(sparql)
    outer = next((g for g in groups if g[3]), None)
    if outer is None:
        raise ParameterError("parameters need a query with an explicit 'WHERE {' clause")
    inserts = []
    for start, _end, mentioned, is_outer in groups:
        names = list(bindings) if is_outer else [n for n in bindings if n in mentioned]
        if names:
            inserts.append((start, values_block({n: bindings[n] for n in names})))
    for at, block in sorted(inserts, reverse=True):
        sparql = f"{sparql[:at + 1]} {block}\n{sparql[at + 1:]}"
    return sparql


def _groups(sparql: str) -> list[tuple[int, int, set[str], bool]]:
    """Every group pattern: (offset of ``{``, offset of ``}``, variables inside, is the outer ``WHERE``)."""
    groups, stack = [], []  # stack items: [start, kind, variables, is_outer]
    previous = ""  # the last significant token, upper-cased for words
    after_values = False  # between VALUES and its data block
    for m in _TOKEN.finditer(sparql):
        kind, text = m.lastgroup, m.group()
        if kind in ("comment",) or (kind == "other" and text.isspace()):
            continue
        if previous == "{" and stack and stack[-1][1] == "group" and kind == "word" and text.upper() == "SELECT":
            stack[-1][1] = "subselect"  # '{ SELECT ... }' admits nothing beside the sub-select
        if kind == "var":
            for item in stack:
                item[2].add(text[1:])
        elif kind == "brace" and text == "{":
            if after_values:
                block = "data"
            elif previous == "CONSTRUCT":
                block = "template"
            else:
                block = "group"
            outer = block == "group" and previous == "WHERE" and not any(item[1] == "group" for item in stack)
            stack.append([m.start(), block, set(), outer])
            after_values = False
        elif kind == "brace":
            if stack:
                start, block, variables, outer = stack.pop()
                if block == "group":
                    groups.append((start, m.start(), variables, outer))
                for item in stack:
                    item[2].update(variables)
        elif kind == "word" and text.upper() == "VALUES":
            after_values = True
        previous = text.upper() if kind == "word" else text
    return groups


_TOKEN = re.compile(r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_]+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<brace>[{}])
  | (?P<other>.)
""", re.X | re.S)


def standalone(sparql: str, bindings: dict[str, ox.NamedNode | ox.Literal] | None = None) -> str:
    """``sparql`` as any SPARQL endpoint takes it: ``PREFIX`` lines for the project prefixes it
    uses, and the parameters bound (:func:`with_values`). Paste it into a query editor as it is.

    >>> print(standalone("SELECT ?m WHERE { ?m org:memberOf ?network }", {"network": ox.NamedNode("http://ex/n")}))
    PREFIX org: <http://www.w3.org/ns/org#>
    SELECT ?m WHERE { VALUES ( ?network ) { ( <http://ex/n> ) }
     ?m org:memberOf ?network }
    """
    used = {m.group()[:-1] for m in re.finditer(r"(?<![\w<])[A-Za-z][\w-]*:", _strip_literals(sparql))}
    declared = {m.group(1) for m in re.finditer(r"(?i)\bPREFIX\s+([A-Za-z][\w-]*)?:", sparql)}
    header = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in PREFIXES if p in used and p not in declared)
    return header + with_values(sparql, bindings or {})


def _strip_literals(sparql: str) -> str:
    """The query without strings, IRIs and comments (where a ``word:`` is not a prefixed name)."""
    return "".join(m.group() if m.lastgroup not in ("comment", "string", "iri") else " "
                   for m in _TOKEN.finditer(sparql))


def query_form(sparql: str) -> str:
    """The form of a query: ``SELECT``, ``CONSTRUCT``, ``ASK`` or ``DESCRIBE`` (the first such keyword).

    >>> query_form("PREFIX x: <http://ex/> ASK { ?s ?p ?o }")
    'ASK'
    """
    for m in _TOKEN.finditer(sparql):
        if m.lastgroup == "word" and m.group().upper() in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE"):
            return m.group().upper()
    return "SELECT"
