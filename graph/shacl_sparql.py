"""SHACL validation compiled to SPARQL and run inside Oxigraph: the build's validator at scale.

pySHACL checks every focus node in Python and runs at a few hundred triples per second on the
build's graphs, hours at CORDIS scale. The shapes in ``ontology/shapes.ttl`` are node-local
(simple predicate paths, value-type and cardinality constraints, one SHACL-SPARQL constraint), so
each property shape compiles to at most two SPARQL queries that Oxigraph answers over the whole
store at once: one for cardinality (``sh:minCount``/``sh:maxCount``), one for the value-level
components (``sh:class``, ``sh:datatype`` with lexical well-formedness, ``sh:nodeKind``,
``sh:pattern`` and ``sh:or`` of those). Node shapes' ``sh:sparql`` constraints run as written,
joined with the shape's targets.

Anything outside that subset raises :class:`UnsupportedShape` when the shapes are compiled, so a
new shape can never be silently ignored. pySHACL stays the reference: the tests run both engines
on the seed graph and on broken graphs covering every component and compare the results
(``tests/test_shacl.py``).

Examples
--------
>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> store.load(input=b'<https://w3id.org/democracy-kg/id/city/x> '
...            b'<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://schema.org/City> .',
...            format=ox.RdfFormat.N_TRIPLES)
>>> report = validate_store(store)
>>> report.conforms
False
>>> sorted({v.path for v in report.violations})
['<http://purl.org/dc/terms/source>', '<http://www.w3.org/2000/01/rdf-schema#label>', '<https://schema.org/containedInPlace>']
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, XSD

from .shacl_compile import (CLOSURE_PATTERN, WHERE_PATTERN, RDFS_SUBCLASSOF, SET_AT_A_TIME_FROM, Check, UnsupportedShape,
                            compiled_checks, distinct_values, compile_shapes, merge_targets)
from .shacl_report import SHAPES_FILE, ShaclReport, Violation

__all__ = ["Check", "UnsupportedShape", "compile_shapes", "merge_targets", "plan_checks", "validate_focus",
           "validate_store"]

def _short(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        # Same spelling as rdflib's n3() so both engines' reports read alike.
        return rdflib.Literal(term.value, lang=term.language,
                              datatype=None if term.language or term.datatype.value == str(XSD.string) else term.datatype.value).n3()
    return str(term)


def validate_store(store: ox.Store, shapes_file: Path = SHAPES_FILE) -> ShaclReport:
    """Validate the union of the store's named graphs against the shapes, inside Oxigraph.

    Parameters
    ----------
    store : pyoxigraph.Store
        The store to validate.
    shapes_file : Path
        The SHACL shapes (``ontology/shapes.ttl``).

    Returns
    -------
    ShaclReport
        Every violation, sorted.
    """
    return _report(store, plan_checks(store, shapes_file))


def _on_both_cores(function, items: list) -> list:  # noqa: ANN001 - any one-argument function
    """``function`` of each item, in order, on a few threads: Oxigraph evaluates a query on one
    core and releases the GIL meanwhile, so the queries share both cores."""
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        return list(pool.map(function, items))


def _report(store: ox.Store, queries: list[tuple[Check, str]]) -> ShaclReport:
    answers = _on_both_cores(lambda item: _solutions(store, item[1]), queries)
    violations = set()
    for (check, _), solutions in zip(queries, answers):
        for this, value in solutions:
            violations.add(Violation(_short(this), check.path, _short(value) if check.has_value else "", check.message))
    return ShaclReport(not violations, sorted(violations), len(store))


def plan_checks(store: ox.Store, shapes_file: Path = SHAPES_FILE) -> list[tuple[Check, str]]:
    """Each compiled check with the query to run on ``store``: class closures filled in from
    the data, and the per-node lookup instead of the set-at-a-time form for small targets.

    A check whose :attr:`Check.quick_pass` proves it finds nothing on ``store`` is left out.
    """
    filled = _filler(store)
    checks = compiled_checks(Path(shapes_file))
    targets = sorted({filled(check.target) for check in checks if check.lookup})

    def size(target: str) -> int:
        found = store.query(f"PREFIX rdf: <{RDF}> SELECT (COUNT(DISTINCT ?this) AS ?n) WHERE {{ {target} }}",
                            use_default_graph_as_union=True)
        return int(next(iter(found))["n"].value)

    # Counting the targets is a scan each (1.4 s at the synthetic 1x scale): both cores.
    sizes = dict(zip(targets, _on_both_cores(size, targets)))

    def set_at_a_time(check: Check) -> bool:
        return not check.lookup or sizes[filled(check.target)] >= SET_AT_A_TIME_FROM

    def passes(query: str) -> bool:
        found = next(iter(store.query(query, use_default_graph_as_union=True)))
        return found["n"] == found["d"]

    # A whole predicate's count settles most maximum counts at a fifth of the grouped scan's cost.
    quick = [check for check in checks if check.quick_pass and set_at_a_time(check)]
    passed = {check for check, ok in zip(quick, _on_both_cores(lambda c: passes(c.quick_pass), quick)) if ok}
    return [(check, filled(check.query if set_at_a_time(check) else check.lookup))
            for check in checks if check not in passed]


def validate_focus(store: ox.Store, focus: list[str], shapes_file: Path = SHAPES_FILE) -> ShaclReport:
    """Validate only the focus nodes ``focus`` (IRIs) against the shapes.

    Each check runs in its per-node form with ``?this`` bound to the focus nodes in every
    group that binds it, as SHACL pre-binds ``$this``. A SPARQL constraint with subqueries of
    its own is run whole and its results restricted to the focus nodes (a subquery that does
    not mention ``$this`` must not be restricted). Used by a rebuild
    (:mod:`graph.rebuild`) to check what a change touched.

    Examples
    --------
    >>> store = ox.Store()
    >>> city = ox.NamedNode("https://w3id.org/democracy-kg/id/city/x")
    >>> store.add(ox.Quad(city, ox.NamedNode(str(RDF.type)), ox.NamedNode("https://schema.org/City")))
    >>> validate_focus(store, [city.value]).conforms
    False
    >>> validate_focus(store, ["https://w3id.org/democracy-kg/id/city/elsewhere"]).conforms
    True
    """
    if not focus:
        return ShaclReport(True, [], len(store))
    bound = "WHERE { VALUES ?this { " + " ".join(f"<{f}>" for f in focus) + " } "
    filled = _filler(store)
    queries = []
    for check in compiled_checks(Path(shapes_file)):
        text = filled(check.lookup or check.query)
        if check.lookup or len(WHERE_PATTERN.findall(text)) <= 2:  # compiled groups all bind ?this
            text = WHERE_PATTERN.sub(lambda _: bound, text)
        else:
            text = WHERE_PATTERN.sub(lambda _: bound, text, count=1)
        queries.append((check, text))
    return _report(store, queries)


def _filler(store: ox.Store):  # noqa: ANN202 - a str -> str function
    """Fills a compiled query's class placeholders with each class and its subclasses in ``store``."""
    closures: dict[str, str] = {}

    def closure(match: re.Match) -> str:
        cls = match.group(1)
        if cls not in closures:
            found = store.query(f"SELECT DISTINCT ?c WHERE {{ ?c <{RDFS_SUBCLASSOF}>* <{cls}> }}",
                                use_default_graph_as_union=True)
            classes = {str(row["c"]) for row in found if isinstance(row["c"], ox.NamedNode)} | {f"<{cls}>"}
            closures[cls] = " ".join(sorted(classes))
        return closures[cls]

    def filled(text: str) -> str:
        return distinct_values(CLOSURE_PATTERN.sub(closure, text))

    return filled


def _solutions(store: ox.Store, query: str) -> list[tuple[ox.NamedNode, object]]:
    """(focus, value or None) of each solution, as Oxigraph terms.

    Only Oxigraph is called here (in a worker thread): the report's spelling is made by the
    caller, because rdflib's literal conversion raises and keeps exceptions internally, whose
    tracebacks would hold this frame, and with it the query's solutions, until a garbage
    collection on another thread, where Oxigraph refuses to drop them.
    """
    found = store.query(query, use_default_graph_as_union=True)
    has_value = any(v.value == "value" for v in found.variables)
    rows = [(row["this"], row["value"] if has_value else None) for row in found]
    del found
    return rows
