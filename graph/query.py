"""Run SPARQL against a built store or a remote endpoint; results as tables, CSV, JSON or pandas.

The default graph of every query is the union of all named graphs, so simple questions need no
``GRAPH`` clause; ``GRAPH ?g { ... }`` still reaches each source's own graph. Parameter values
are bound as RDF terms (:mod:`graph.sparql`, which runs every query), never pasted into the
query text.

:func:`select` and :func:`construct` are the Python API: a named question of the library (or
SPARQL text) in, a typed :class:`pandas.DataFrame` or an :class:`rdflib.Graph` out.

Examples
--------
>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> store.add(ox.Quad(ox.NamedNode("http://ex/a"), ox.NamedNode("http://ex/p"), ox.Literal("x"), ox.NamedNode("http://ex/g")))
>>> result = run_query(store, "SELECT ?s ?o WHERE { ?s ?p ?o }")
>>> print(format_result(result, "table"))
s             | o
--------------+--
<http://ex/a> | x
>>> print(format_result(result, "csv"))
s,o
http://ex/a,x
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ontology.namespaces import PREFIXES

from .frames import to_dataframe
from .library import NamedQuery, get_query, parse_query_file
from .remote import SparqlEndpoint
from .sparql import QueryResult, run_query
from .store import open_store

if TYPE_CHECKING:
    import pandas as pd
    import rdflib

FORMATS = ("table", "csv", "tsv", "json")


def format_result(result: QueryResult, fmt: str = "table", max_rows: int | None = None, max_width: int | None = None,
                  *, total_width: int | None = None, count: bool = False) -> str:
    """Render a result; ``fmt`` is one of :data:`FORMATS`.

    ``max_rows`` keeps the first rows (every format). For ``table``, ``max_width`` cuts long
    cells (with ``...``), ``total_width`` narrows the widest columns until a line fits (a
    terminal's width), and ``count`` ends the table with the number of rows ("no rows", "3 rows",
    "50 of 340 rows shown"). Text formats end without a blank line.

    >>> import pyoxigraph as ox
    >>> r = QueryResult(["name", "note"], rows=[[ox.Literal("Ghent"), ox.Literal("x" * 40)]] * 3)
    >>> print(format_result(r, total_width=30, max_rows=2, count=True))
    name  | note
    ------+-----------------------
    Ghent | xxxxxxxxxxxxxxxxxxx...
    Ghent | xxxxxxxxxxxxxxxxxxx...
    2 of 3 rows shown (--limit 0 shows all)
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if result.boolean is not None:
        return json.dumps({"head": {}, "boolean": result.boolean}) if fmt == "json" else str(result.boolean).lower()
    if result.triples is not None:
        return ox.serialize(result.triples[:max_rows], format=ox.RdfFormat.N_TRIPLES).decode().rstrip("\n")
    rows = result.rows or []
    shown = rows[:max_rows]
    if fmt == "json":
        return json.dumps({"head": {"vars": result.variables},
                           "results": {"bindings": [{v: _json_term(t) for v, t in zip(result.variables, row) if t is not None}
                                                    for row in shown]}}, ensure_ascii=False, indent=1)
    if fmt in ("csv", "tsv"):
        import csv
        import io
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(result.variables)
        for row in shown:
            writer.writerow(["" if t is None else t.value if fmt == "csv" else str(t) for t in row])
        return buffer.getvalue().rstrip("\n")
    cells = [[_clip(visible(compact(t)), max_width) for t in row] for row in shown]
    widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(result.variables)]
    if total_width is not None:
        widths = _fit(widths, total_width - 3 * (len(widths) - 1))
        cells = [[_clip(c, w) for c, w in zip(row, widths)] for row in cells]
    header = [_clip(v, w) for v, w in zip(result.variables, widths)]
    lines = [" | ".join(v.ljust(w) for v, w in zip(header, widths)).rstrip(),
             "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    if count:
        lines.append("no rows" if not rows else f"{len(rows)} row{'s' * (len(rows) != 1)}" if len(shown) == len(rows)
                     else f"{len(shown)} of {len(rows)} rows shown (--limit 0 shows all)")
    elif max_rows is not None and len(rows) > max_rows:
        lines.append(f"... ({len(rows)} rows in all)")
    return "\n".join(lines)


def _fit(widths: list[int], available: int, narrowest: int = 6) -> list[int]:
    """Column widths narrowed one character at a time, widest first, until they fit ``available``.

    >>> _fit([5, 40, 20], 45)
    [5, 20, 20]
    """
    widths = list(widths)
    while sum(widths) > available:
        widest = max(range(len(widths)), key=widths.__getitem__)
        if widths[widest] <= narrowest:
            break
        widths[widest] -= 1
    return widths


#: Characters a terminal would act on rather than print: C0 and C1 controls (ESC starts escape
#: sequences that can move the cursor, retitle the window or hide text) and the bidirectional
#: overrides that reorder what is shown.
_INVISIBLE = {c: f"\\x{c:02x}" for c in [*range(0x20), *range(0x7F, 0xA0)]}
_INVISIBLE.update({ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})
_INVISIBLE.update({c: f"\\u{c:04x}" for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]})


def visible(text: str) -> str:
    r"""``text`` with terminal controls written as escapes, for tables printed to a terminal.

    >>> print(visible("a\x1b[2Jb\nc"))
    a\x1b[2Jb\nc
    """
    return text.translate(_INVISIBLE)


def _clip(text: str, width: int | None) -> str:
    text = text.replace("\n", " ")
    if width is None or len(text) <= width:
        return text
    return text[:width - 3] + "..." if width > 3 else text[:width]


def compact(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> str:
    """Compact display: IRIs shortened with the project prefixes, literals as their plain value."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, ns in PREFIXES.items():
            if term.value.startswith(ns) and "/" not in term.value[len(ns):] and term.value != ns:
                return f"{prefix}:{term.value[len(ns):]}"
        return str(term)
    if isinstance(term, ox.Literal):
        return term.value  # the table is for reading; csv/json keep datatypes and languages
    return str(term)


def _json_term(term: ox.NamedNode | ox.Literal | ox.BlankNode) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


# --- the Python API: named questions or SPARQL text in, pandas / rdflib out --------------------

def connect(store: ox.Store | SparqlEndpoint | Path | str = "build") -> ox.Store | SparqlEndpoint:
    """An open store from a build directory, a store directory, an endpoint URL or an open store."""
    if not isinstance(store, (str, Path)):
        return store
    if isinstance(store, str) and store.startswith(("http://", "https://")):
        return open_store(store, backend="sparql")
    return open_store(store)


def as_query(query_or_name: str | NamedQuery | Path) -> NamedQuery:
    """A :class:`NamedQuery` from a library name, a ``.rq`` path or SPARQL text."""
    if isinstance(query_or_name, NamedQuery):
        return query_or_name
    if isinstance(query_or_name, Path):
        return parse_query_file(query_or_name)
    text = query_or_name.strip()
    if text and all(c.isalnum() or c == "-" for c in text):
        return get_query(text)
    return parse_query_file(None, text=query_or_name)


def execute(query_or_name: str | NamedQuery | Path, store: ox.Store | SparqlEndpoint | Path | str = "build",
            params: dict[str, object] | None = None, *, allow_service: bool = False) -> QueryResult:
    """Run a named question (or SPARQL text) with its parameters bound as RDF terms.

    A query with a ``# Parameters:`` header checks its parameters against it (names, kinds,
    required ones) and fills in defaults. A query without one takes ``params`` as given: RDF
    terms (``ox.NamedNode``, ``ox.Literal``), anything else as a plain literal.
    """
    query = as_query(query_or_name)
    params = dict(params or {})
    if query.parameters:
        bindings = query.bind(params)
    else:
        bindings = {k: v if isinstance(v, (ox.NamedNode, ox.Literal)) else ox.Literal(str(v)) for k, v in params.items()}
    return run_query(connect(store), query.text, bindings, allow_service=allow_service)


def select(query_or_name: str | NamedQuery | Path, store: ox.Store | SparqlEndpoint | Path | str = "build",
           **params: object) -> pd.DataFrame:
    """Run a SELECT (a library name, a ``.rq`` path or SPARQL text) and return a typed DataFrame.

    Columns come in the SELECT order. Types follow the RDF datatypes of each column: integers
    (and ``xsd:gYear``) become ``Int64``, decimals and doubles ``Float64``, booleans ``boolean``,
    ``xsd:date`` ``datetime64[ns]``, ``xsd:dateTime`` ``datetime64[ns, UTC]``; IRIs and other
    literals are strings. A column that mixes kinds (say ``xsd:date`` and ``xsd:gYearMonth``)
    keeps each value's lexical form as a string rather than invent a day. Unbound values are NA.

    Examples
    --------
    >>> store = ox.Store()
    >>> ex = lambda s: ox.NamedNode("http://ex/" + s)
    >>> store.add(ox.Quad(ex("a"), ex("n"), ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")), ex("g")))
    >>> store.add(ox.Quad(ex("b"), ex("n"), ox.Literal("4", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")), ex("g")))
    >>> df = select("SELECT ?s ?n ?none WHERE { ?s <http://ex/n> ?n } ORDER BY ?n", store)
    >>> df.dtypes.astype(str).to_dict()
    {'s': 'string', 'n': 'Int64', 'none': 'object'}
    >>> int(df["n"].sum())
    7
    >>> select("SELECT ?s WHERE { ?s <http://ex/n> ?n }", store, n=ox.Literal("4", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))["s"].tolist()
    ['http://ex/b']
    """
    # Rows are turned into terms, then into columns (graph.frames). Reading the engine's own TSV
    # with pyarrow instead gave the same frames no faster at H2020 scale (benchmarks/results/
    # queries.md, 2026-11-29): the engine's evaluation, not the conversion, is what takes time.
    result = execute(query_or_name, store, params)
    if result.rows is None:
        raise ValueError("select() runs SELECT queries; use construct() for CONSTRUCT/DESCRIBE"
                         + (" (this one is an ASK)" if result.boolean is not None else ""))
    return to_dataframe(result)


def construct(query_or_name: str | NamedQuery | Path, store: ox.Store | SparqlEndpoint | Path | str = "build",
              **params: object) -> rdflib.Graph:
    """Run a CONSTRUCT or DESCRIBE and return its triples as an :class:`rdflib.Graph` (project prefixes bound)."""
    import rdflib

    result = execute(query_or_name, store, params)
    if result.triples is None:
        raise ValueError("construct() runs CONSTRUCT or DESCRIBE queries; use select() for SELECT")
    graph = rdflib.Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    if result.triples:
        graph.parse(data=ox.serialize(result.triples, format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
    return graph
