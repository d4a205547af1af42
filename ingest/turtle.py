"""Turtle files as N-Quads lines in one named graph: the ontology and its vocabularies.

Lines are written with :mod:`ontology.nquads`, so they sort and dump exactly like the lines
mapped from records and sources.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from ontology import ONTOLOGY_DIR
from ontology.namespaces import graph_iri
from ontology.nquads import iri, literal, quad

#: Turtle files loaded into the ``ontology`` named graph (shapes.ttl is for validation only).
ONTOLOGY_FILES = ("democracy-kg.ttl", "methods.ttl", "classifications.ttl")


def turtle_quads(paths: Iterable[Path], graph: str) -> list[str]:
    """N-Quads lines for Turtle files, in one named graph; blank nodes are refused.

    Lines are written with :mod:`ontology.nquads`, so they sort and dump exactly like generated ones.
    """
    g = iri(graph_iri(graph))
    out = []
    for path in paths:
        for t in ox.parse(path=path, format=ox.RdfFormat.TURTLE):
            if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode):
                raise ValueError(f"{path.name}: blank node in {t}; give every resource an IRI")
            out.append(quad(iri(t.subject.value), iri(t.predicate.value), _term(t.object), g))
    return out


def _term(term: ox.NamedNode | ox.Literal) -> str:
    if isinstance(term, ox.NamedNode):
        return iri(term.value)
    return literal(term.value, term.datatype.value, term.language)


def ontology_quads(ontology_dir: Path = ONTOLOGY_DIR) -> list[str]:
    """The ontology and vocabularies, as N-Quads lines in the ``ontology`` graph."""
    return turtle_quads((ontology_dir / name for name in ONTOLOGY_FILES), "ontology")
