"""Run SPARQL against a built store and format the results (table, CSV, JSON).

The default graph of every query is the union of all named graphs, so simple questions need no
``GRAPH`` clause; ``GRAPH ?g { ... }`` still reaches each source's own graph. Values are bound
with pyoxigraph substitutions, never pasted into the query text.

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
>>> print(format_result(result, "csv").strip())
s,o
http://ex/a,x
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pyoxigraph as ox

from ingest.namespaces import PREFIXES

FORMATS = ("table", "csv", "tsv", "json")


@dataclass
class QueryResult:
    """A SELECT result (variables and rows of terms), an ASK answer, or CONSTRUCT triples."""

    variables: list[str]
    rows: list[list[ox.NamedNode | ox.Literal | ox.BlankNode | None]] | None = None
    boolean: bool | None = None
    triples: list[ox.Triple] | None = None


def run_query(store: ox.Store, sparql: str, bindings: dict[str, ox.NamedNode | ox.Literal] | None = None) -> QueryResult:
    """Execute ``sparql`` on ``store``; ``bindings`` pre-bind variables to RDF terms."""
    substitutions = {ox.Variable(k): v for k, v in (bindings or {}).items()}
    answer = store.query(sparql, use_default_graph_as_union=True, prefixes=PREFIXES, substitutions=substitutions)
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult([], boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        variables = [v.value for v in answer.variables]
        return QueryResult(variables, rows=[[s[v] for v in variables] for s in answer])
    return QueryResult([], triples=list(answer))


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Render a result; ``fmt`` is one of :data:`FORMATS`."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if result.boolean is not None:
        return json.dumps({"head": {}, "boolean": result.boolean}) if fmt == "json" else str(result.boolean).lower()
    if result.triples is not None:
        return ox.serialize(result.triples, format=ox.RdfFormat.N_TRIPLES).decode()
    rows = result.rows or []
    if fmt == "json":
        return json.dumps({"head": {"vars": result.variables},
                           "results": {"bindings": [{v: _json_term(t) for v, t in zip(result.variables, row) if t is not None}
                                                    for row in rows]}}, ensure_ascii=False, indent=1)
    if fmt in ("csv", "tsv"):
        import csv
        import io
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(result.variables)
        for row in rows:
            writer.writerow(["" if t is None else t.value if fmt == "csv" else str(t) for t in row])
        return buffer.getvalue()
    cells = [[_n3(t) for t in row] for row in rows]
    widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(result.variables)]
    lines = [" | ".join(v.ljust(w) for v, w in zip(result.variables, widths)).rstrip(),
             "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    return "\n".join(lines)


def _n3(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> str:
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
