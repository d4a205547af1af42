"""SHACL validation of a built graph against ``ontology/shapes.ttl``.

The data graph is the union of every named graph the build produces (records, ontology and
vocabularies, country reference), because shapes check the types of the resources a triple
points to (a country must be a known ``schema:Country``, a role an ``org:Role``...).

Two engines, chosen by name (:data:`ENGINES`):

- ``oxigraph`` (default): the shapes compiled to SPARQL and run inside Oxigraph
  (:mod:`graph.shacl_sparql`); what the build uses, fast at CORDIS scale;
- ``pyshacl``: the reference implementation, complete but slow (a few hundred triples per
  second on these shapes); the tests use it as the oracle for the other engine.

Both return the report types of :mod:`graph.shacl_report`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import rdflib
from rdflib.namespace import RDF, SH

from .shacl_report import SHAPES_FILE, ShaclReport, Violation
from .shacl_sparql import validate_store


def union_graph(nquads_lines: Iterable[str]) -> rdflib.Graph:
    """An rdflib graph of the union of all named graphs in some N-Quads lines."""
    # Each line ends with " <graph> ."; dropping that last term leaves an N-Triples line.
    text = "\n".join(line[: line.rfind(" <")] + " ." for line in nquads_lines)
    graph = rdflib.Graph()
    graph.parse(data=text, format="nt")
    return graph


ENGINES = ("oxigraph", "pyshacl")


def validate_lines(nquads_lines: list[str], engine: str = "oxigraph", shapes_file: Path = SHAPES_FILE) -> ShaclReport:
    """Validate the union of some N-Quads lines with the named engine.

    >>> validate_lines(['<https://w3id.org/democracy-kg/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "x" '
    ...                 '<https://w3id.org/democracy-kg/graph/curated> .']).conforms
    True
    """
    if engine == "pyshacl":
        return validate_graph(union_graph(nquads_lines), shapes_file)
    if engine != "oxigraph":
        raise ValueError(f"unknown SHACL engine {engine!r}; choose one of {', '.join(ENGINES)}")
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(input="\n".join(nquads_lines).encode(), format=ox.RdfFormat.N_QUADS)
    return validate_store(store, shapes_file)


def validate_graph(data: rdflib.Graph, shapes_file: Path = SHAPES_FILE) -> ShaclReport:
    """Validate ``data`` against the shapes; return every violation, sorted."""
    import pyshacl  # imported here: slow to import, and only the reference engine needs it

    shapes = rdflib.Graph().parse(shapes_file, format="turtle")
    conforms, results, _ = pyshacl.validate(
        data, shacl_graph=shapes, inplace=True, advanced=True, allow_warnings=False,
    )
    violations = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        def text(pred):  # noqa: ANN001, ANN202
            value = results.value(result, pred)
            return "" if value is None else _short(value)
        message = str(results.value(result, SH.resultMessage) or text(SH.sourceConstraintComponent))
        violations.append(Violation(text(SH.focusNode), text(SH.resultPath), text(SH.value), message,
                                    text(SH.resultSeverity).rsplit("#", 1)[-1] or "Violation"))
    return ShaclReport(bool(conforms), sorted(set(violations)), len(data))


def _short(term: rdflib.term.Node) -> str:
    if isinstance(term, rdflib.URIRef):
        return f"<{term}>"
    if isinstance(term, rdflib.Literal):
        return term.n3()
    return str(term)
