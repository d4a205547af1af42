"""The SKOS vocabularies curated records refer to, read from ``ontology/*.ttl``.

A concept ``https://w3id.org/democracy-kg/id/<scheme>/<key>`` is referred to in records by its
key alone, in the column that expects that scheme (``methods`` -> ``method``, ``type`` of an
organisation -> ``orgtype``, ...).

Examples
--------
>>> v = load_vocabularies()
>>> "citizens-assembly" in v.keys("method")
True
>>> v.label("role", "coordinator")
'Coordinator'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from . import ONTOLOGY_DIR
from .namespaces import ID, SKOS

VOCABULARY_FILES = ("methods.ttl", "classifications.ttl")
_PREF = ox.NamedNode(str(SKOS.prefLabel))
_IN_SCHEME = ox.NamedNode(str(SKOS.inScheme))
_ALT = ox.NamedNode(str(SKOS.altLabel))


@dataclass
class Vocabularies:
    """Concept keys and English labels, by scheme key."""

    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    #: scheme -> key -> alternative labels (``skos:altLabel``), for matching other sources' names.
    alt_labels: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def keys(self, scheme: str) -> frozenset[str]:
        return frozenset(self.labels.get(scheme, {}))

    def label(self, scheme: str, key: str) -> str:
        return self.labels[scheme][key]

    def iri(self, scheme: str, key: str) -> str:
        return f"{ID}{scheme}/{key}"


@cache
def load_vocabularies(ontology_dir: Path = ONTOLOGY_DIR) -> Vocabularies:
    """Read every concept scheme of the project's vocabulary files."""
    vocab = Vocabularies()
    prefix = str(ID)
    for name in VOCABULARY_FILES:
        triples = list(ox.parse(path=ontology_dir / name, format=ox.RdfFormat.TURTLE))
        schemes = {t.subject.value: t.object.value for t in triples if t.predicate == _IN_SCHEME}
        for t in triples:
            if t.predicate not in (_PREF, _ALT) or t.subject.value not in schemes:
                continue
            scheme_iri, concept = schemes[t.subject.value], t.subject.value
            scheme_key = scheme_iri.rsplit("/", 1)[-1]
            if not concept.startswith(f"{prefix}{scheme_key}/"):
                raise ValueError(f"{name}: concept {concept} is not under {prefix}{scheme_key}/")
            key = concept.rsplit("/", 1)[-1]
            if t.predicate == _PREF:
                vocab.labels.setdefault(scheme_key, {})[key] = t.object.value
            else:
                vocab.alt_labels.setdefault(scheme_key, {}).setdefault(key, []).append(t.object.value)
        for scheme_labels in vocab.alt_labels.values():
            for names in scheme_labels.values():
                names.sort()
    return vocab
