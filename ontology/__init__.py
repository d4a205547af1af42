"""democracy-kg's ground floor: the terms every other part of the project shares.

The Turtle files in this folder are the ontology (OWL), its vocabularies (SKOS) and its shapes
(SHACL). The modules beside them are what both :mod:`ingest` (sources to RDF) and :mod:`graph`
(store, queries, networks, maps) stand on, and they import nothing from either:

- :mod:`ontology.namespaces`: vocabularies as namespace objects (``DKG`` is a ``DefinedNamespace``
  checked against ``democracy-kg.ttl``), the project's IRI spaces and prefixes;
- :mod:`ontology.nquads`: canonical N-Quads terms, the build's one serialisation;
- :mod:`ontology.countries`: the EU authority country table and name look-up;
- :mod:`ontology.vocab`: concept keys read from the SKOS files;
- :mod:`ontology.errors`: ``DkgError``, the one root of the project's exceptions.

Examples
--------
>>> from ontology import ONTOLOGY_DIR
>>> sorted(p.name for p in ONTOLOGY_DIR.glob("*.ttl"))
['classifications.ttl', 'democracy-kg.ttl', 'methods.ttl', 'shapes.ttl']
"""

from pathlib import Path

#: The ontology folder (Turtle: OWL, SKOS, SHACL): this package's own folder.
ONTOLOGY_DIR = Path(__file__).resolve().parent

__all__ = ["ONTOLOGY_DIR"]
