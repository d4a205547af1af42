"""SHACL shapes compiled to SPARQL checks: what :mod:`graph.shacl_sparql` runs inside Oxigraph.

Each property shape of a node shape with ``sh:targetClass`` becomes at most two queries (one for
cardinality, one for the value-level components), in two forms: set-at-a-time for large targets
and a lookup per focus node for small ones. Class names stand as placeholders, filled in from
the data when the checks run (each class with its subclasses). Anything outside the supported
subset raises :class:`UnsupportedShape` here, so a new shape can never be silently ignored.

Examples
--------
>>> from graph.shacl_report import SHAPES_FILE
>>> checks = compile_shapes(rdflib.Graph().parse(SHAPES_FILE, format="turtle"))
>>> len(merge_targets(checks)) < len(checks)
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD

from ontology.errors import DkgError

#: Datatypes whose lexical form is checked by casting (the SPARQL XSD constructor fails on an
#: ill-formed value, as pySHACL's datatype check does); other datatypes accept any lexical form.
CASTABLE = {XSD[t] for t in ("date", "dateTime", "gYear", "gYearMonth", "integer", "decimal",
                             "boolean", "double", "float", "time")}
NODE_KINDS = {SH.IRI: "isIRI(?value)", SH.Literal: "isLiteral(?value)", SH.BlankNode: "isBlank(?value)",
              SH.BlankNodeOrIRI: "(isBlank(?value) || isIRI(?value))",
              SH.BlankNodeOrLiteral: "(isBlank(?value) || isLiteral(?value))",
              SH.IRIOrLiteral: "(isIRI(?value) || isLiteral(?value))"}
#: Keys of a shape node that carry no constraint of their own (or are handled by their owner).
INERT = {RDF.type, SH.path, SH.message, SH.name, SH.description, SH.severity, SH.property, SH.sparql,
         SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target, SH.flags, SH.deactivated, SH.order, SH.group, rdflib.RDFS.label, rdflib.RDFS.comment}
RDFS_SUBCLASSOF = str(rdflib.RDFS.subClassOf)
#: Targets with at least this many focus nodes are checked set-at-a-time (anti-joins, grouped
#: scans of a whole predicate); smaller ones by a lookup per focus node. Measured on the 10x
#: CORDIS benchmark: a scan of a predicate with millions of triples costs seconds even when the
#: target class has a handful of instances.
SET_AT_A_TIME_FROM = 100_000
CLOSURE_OPEN, CLOSURE_CLOSE = "\u27e6", "\u27e7"
CLOSURE_PATTERN = re.compile(f"{CLOSURE_OPEN}([^{CLOSURE_CLOSE}]+){CLOSURE_CLOSE}")
VALUE_KEYS = {SH["class"], SH.datatype, SH.nodeKind, SH.pattern, SH["or"]}
COUNT_KEYS = {SH.minCount, SH.maxCount}
_TARGETS = re.compile(r"VALUES \?target \{ ([^}]*) \}")
WHERE_PATTERN = re.compile(r"WHERE\s*\{")
_VALUES = re.compile(r"VALUES \?(target|class) \{ ([^}]*) \}")


class UnsupportedShape(DkgError, ValueError):
    """A shape uses a SHACL feature this engine does not compile (use the pySHACL engine)."""


@dataclass(frozen=True)
class Check:
    """One compiled query; each solution (``?this``, optional ``?value``) is a violation."""

    query: str
    path: str
    message: str
    shape: str
    has_value: bool = True
    #: The same check as a lookup per focus node, and the target pattern it starts from:
    #: cheaper than the set-at-a-time ``query`` when the target class has few instances.
    lookup: str = ""
    target: str = ""
    #: A cheaper query that can prove the set-at-a-time ``query`` finds nothing: its one solution
    #: has ``?n`` (rows of the path) equal to ``?d`` (distinct subjects), so no subject has two
    #: values. A grouped count of a whole predicate costs Oxigraph about 5 µs a row, this plain
    #: count about 1 µs (measured: 0.9 s against 0.15 s on the 170k memberships of synthetic 1x).
    quick_pass: str = ""


def _term(node: rdflib.term.Node) -> str:
    return node.n3()


def _conforms(value_shape: dict, graph: rdflib.Graph, where: str) -> list[tuple[str, str]]:
    """(SPARQL boolean expression true when ?value conforms, component name) per value component."""
    out = []
    for key, objects in value_shape.items():
        for obj in objects:
            if key == SH["class"]:
                out.append((f"EXISTS {{ ?value rdf:type ?class . VALUES ?class {{ {_closure(obj)} }} }}",
                            f"class {obj.n3(graph.namespace_manager)}"))
            elif key == SH.datatype:
                test = f"(isLiteral(?value) && DATATYPE(?value) = {_term(obj)}"
                if obj in CASTABLE:
                    test += f" && COALESCE(isLiteral({_term(obj)}(STR(?value))), false)"
                out.append((test + ")", f"datatype {obj.n3(graph.namespace_manager)}"))
            elif key == SH.nodeKind:
                if obj not in NODE_KINDS:
                    raise UnsupportedShape(f"{where}: unknown sh:nodeKind {obj}")
                out.append((NODE_KINDS[obj], f"node kind {obj.n3(graph.namespace_manager)}"))
            elif key == SH.pattern:
                flags = graph.value(value_shape["__node__"], SH.flags)
                args = f"STR(?value), {rdflib.Literal(str(obj)).n3()}" + (f", {rdflib.Literal(str(flags)).n3()}" if flags else "")
                out.append((f"(!isBlank(?value) && REGEX({args}))", f"pattern {obj}"))
            elif key == SH["or"]:
                alternatives = []
                for member in Collection(graph, obj):
                    inner = _shape_keys(graph, member, f"{where} sh:or member")
                    if set(inner) - {"__node__"} - VALUE_KEYS:
                        raise UnsupportedShape(f"{where}: sh:or members may only use {sorted(str(k) for k in VALUE_KEYS)}")
                    tests = _conforms(inner, graph, where)
                    alternatives.append("(" + " && ".join(t for t, _ in tests) + ")" if tests else "true")
                out.append(("(" + " || ".join(alternatives) + ")", "one of the sh:or alternatives"))
    return out


def _class_alternatives(value_shape: dict, graph: rdflib.Graph) -> list[rdflib.term.Node]:
    """The classes a value may be an instance of, when that is all the value components say (one
    ``sh:class``, or one ``sh:or`` whose members each hold one ``sh:class`` and nothing else);
    otherwise an empty list."""
    keys = set(value_shape) - {"__node__"}
    if keys == {SH["class"]} and len(value_shape[SH["class"]]) == 1:
        return list(value_shape[SH["class"]])
    if keys != {SH["or"]} or len(value_shape[SH["or"]]) != 1:
        return []
    classes = []
    for member in Collection(graph, value_shape[SH["or"]][0]):
        inner = {p: list(graph.objects(member, p)) for p in set(graph.predicates(member, None)) - INERT}
        if set(inner) != {SH["class"]} or len(inner[SH["class"]]) != 1:
            return []
        classes.append(inner[SH["class"]][0])
    return classes


def _shape_keys(graph: rdflib.Graph, node: rdflib.term.Node, where: str) -> dict:
    keys: dict = {"__node__": node}
    for p, o in graph.predicate_objects(node):
        if p in INERT:
            continue
        if p not in VALUE_KEYS | COUNT_KEYS:
            raise UnsupportedShape(f"{where}: {p} is not compiled to SPARQL; validate with the pySHACL engine")
        keys.setdefault(p, []).append(o)
    return keys


def _target(graph: rdflib.Graph, shape: rdflib.term.Node) -> str:
    classes = sorted(graph.objects(shape, SH.targetClass))
    if any(graph.value(shape, p) is not None for p in (SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)):
        raise UnsupportedShape(f"{shape}: only sh:targetClass targets are compiled")
    return f"?this rdf:type ?target . VALUES ?target {{ {' '.join(_closure(c) for c in classes)} }}"


def _closure(cls: rdflib.term.Node) -> str:
    """A placeholder for the class and its subclasses, filled in from the data by :func:`validate_store`.

    Resolving ``rdfs:subClassOf*`` once per class, instead of once per value inside the query,
    is what keeps validation fast on large graphs.
    """
    return f"{CLOSURE_OPEN}{cls}{CLOSURE_CLOSE}"


def _prologue(graph: rdflib.Graph, constraint: rdflib.term.Node | None = None) -> str:
    lines = ["PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>",
             "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>"]
    for declarer in graph.objects(constraint, SH.prefixes) if constraint is not None else ():
        for decl in graph.objects(declarer, SH.declare):
            lines.append(f"PREFIX {graph.value(decl, SH.prefix)}: <{graph.value(decl, SH.namespace)}>")
    return "\n".join(lines) + "\n"


def compile_shapes(shapes: rdflib.Graph) -> list[Check]:
    """Compile every node shape with ``sh:targetClass`` into SPARQL checks.

    Raises :class:`UnsupportedShape` for any constraint outside the supported subset.
    """
    checks: list[Check] = []
    base = _prologue(shapes)
    targeting = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
    candidates = set(shapes.subjects(RDF.type, SH.NodeShape))
    for p in targeting:
        candidates.update(shapes.subjects(p, None))
    for shape in sorted(candidates, key=str):
        name = shape.n3(shapes.namespace_manager)
        own = set(shapes.predicates(shape, None)) - INERT
        if own:
            raise UnsupportedShape(f"{name}: node-level {sorted(str(p) for p in own)} not compiled; use sh:property")
        if shapes.value(shape, SH.targetClass) is None and not any(shapes.value(shape, p) is not None for p in targeting):
            continue  # not a validation entry point; only reachable through sh:node, which is refused
        target = _target(shapes, shape)
        for prop in sorted(shapes.objects(shape, SH.property), key=str):
            path = shapes.value(prop, SH.path)
            if not isinstance(path, rdflib.URIRef):
                raise UnsupportedShape(f"{name}: property paths other than a single predicate are not compiled")
            where = f"{name} {path.n3(shapes.namespace_manager)}"
            keys = _shape_keys(shapes, prop, where)
            message = str(shapes.value(prop, SH.message) or "")
            low = [int(n) for n in keys.get(SH.minCount, [])]
            high = [int(n) for n in keys.get(SH.maxCount, [])]
            # Set-at-a-time forms (anti-joins, grouped scans of one predicate) rather than a
            # lookup per focus node: Oxigraph answers them by hashing, several times faster.
            p_term = _term(path)
            def per_node(test: str) -> str:
                return (f"{base}SELECT ?this WHERE {{ {{ SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {target} "
                        f"OPTIONAL {{ ?this {p_term} ?v }} }} GROUP BY ?this }} FILTER ({test}) }}")

            for n in low:
                having = (f"{{ ?this {p_term} ?v }}" if n == 1 else
                          f"{{ SELECT ?this WHERE {{ ?this {p_term} ?v }} GROUP BY ?this HAVING (COUNT(DISTINCT ?v) >= {n}) }}")
                query = f"{base}SELECT DISTINCT ?this WHERE {{ {{ {target} }} MINUS {having} }}"
                checks.append(Check(query, path.n3(), message or f"needs at least {n} value(s)", name, has_value=False,
                                    lookup=per_node(f"?n < {n}"), target=target))
            for n in high:
                query = (f"{base}SELECT DISTINCT ?this WHERE {{ {{ SELECT ?this WHERE {{ ?this {p_term} ?v }} GROUP BY ?this "
                         f"HAVING (COUNT(DISTINCT ?v) > {n}) }} {target} }}")
                # Any subject with more than n >= 1 values has two rows of the path.
                quick = (f"{base}SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?this) AS ?d) WHERE {{ ?this {p_term} ?v }}"
                         if n >= 1 else "")
                checks.append(Check(query, path.n3(), message or f"needs at most {n} value(s)", name, has_value=False,
                                    lookup=per_node(f"?n > {n}"), target=target, quick_pass=quick))
            value_keys = {k: v for k, v in keys.items() if k in VALUE_KEYS or k == "__node__"}
            conforms = _conforms(value_keys, shapes, where)
            if conforms:
                default = "value must satisfy " + "; ".join(label for _, label in conforms)
                failing = " || ".join(f"!COALESCE({test}, false)" for test, _ in conforms)
                lookup = f"{base}SELECT DISTINCT ?this ?value WHERE {{ {target} ?this {p_term} ?value . FILTER ({failing}) }}"
                alternatives = _class_alternatives(value_keys, shapes)
                if alternatives:
                    # One sh:class, or an sh:or of single sh:class members: a value conforms when
                    # it is an instance of one of the classes, so the failing values are the
                    # values minus those instances (an anti-join, several times faster than a
                    # FILTER of EXISTS per value on a large target).
                    failing_values = (f"{{ ?this {p_term} ?value }} MINUS {{ ?value rdf:type ?class . "
                                      f"VALUES ?class {{ {' '.join(_closure(c) for c in alternatives)} }} }}")
                else:
                    failing_values = f"?this {p_term} ?value . FILTER ({failing})"
                query = f"{base}SELECT DISTINCT ?this ?value WHERE {{ {{ {failing_values} }} {target} }}"
                checks.append(Check(query, path.n3(), message or default, name, lookup=lookup, target=target))
        for constraint in sorted(shapes.objects(shape, SH.sparql), key=str):
            select = shapes.value(constraint, SH.select)
            if select is None:
                raise UnsupportedShape(f"{name}: sh:sparql constraint without sh:select")
            inner = str(select).replace("$this", "?this")
            query = f"{_prologue(shapes, constraint)}SELECT DISTINCT ?this ?value WHERE {{ {target} {{ {inner} }} }}"
            checks.append(Check(query, "", str(shapes.value(constraint, SH.message) or "SPARQL constraint"), name))
    return checks


@lru_cache(maxsize=4)
def compiled_checks(shapes_file: Path) -> tuple[Check, ...]:
    return tuple(merge_targets(compile_shapes(rdflib.Graph().parse(shapes_file, format="turtle"))))


def merge_targets(checks: list[Check]) -> list[Check]:
    """Checks that differ only in their target classes, as one check over the union of targets.

    A property shape or a SPARQL constraint shared by several node shapes (every entity's label
    and source, every dated thing's start before its end) compiles to one check per node shape,
    each scanning the same predicate. A violation names no shape, so the violations of the
    union of targets are exactly the union of each target's: one scan instead of up to nine.
    Measured on the shapes of issue 19: 152 checks become 82.

    Examples
    --------
    >>> a = Check("SELECT ?this WHERE { ?this rdf:type ?target . VALUES ?target { <A> } }", "<p>", "m", "A")
    >>> b = Check("SELECT ?this WHERE { ?this rdf:type ?target . VALUES ?target { <B> } }", "<p>", "m", "B")
    >>> [c.query for c in merge_targets([a, b])]
    ['SELECT ?this WHERE { ?this rdf:type ?target . VALUES ?target { <A> <B> } }']
    """
    groups: dict[tuple, list[Check]] = {}
    for check in checks:
        key = tuple(_TARGETS.sub("VALUES ?target { }", text) for text in (check.query, check.lookup, check.target))
        groups.setdefault(key + (check.path, check.message, check.has_value), []).append(check)
    merged = []
    for members in groups.values():
        if len(members) == 1:
            merged.append(members[0])
            continue
        classes = sorted({c for m in members for c in _TARGETS.search(m.query).group(1).split()})
        union = "VALUES ?target { " + " ".join(classes) + " }"
        def widen(text: str) -> str:
            return _TARGETS.sub(lambda _: union, text)
        first = members[0]
        merged.append(Check(widen(first.query), first.path, first.message, ", ".join(m.shape for m in members),
                            first.has_value, widen(first.lookup), widen(first.target), first.quick_pass))
    return merged


def distinct_values(text: str) -> str:
    """Each ``VALUES`` list of a planned query without repeats (a class reached through two of
    the merged targets' closures would give every instance twice)."""
    return _VALUES.sub(lambda m: f"VALUES ?{m.group(1)} {{ {' '.join(sorted(set(m.group(2).split())))} }}", text)
