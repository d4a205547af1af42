"""democracy-kg ingest: read sources, validate records and map them to RDF.

``ingest`` knows sources and the ontology's terms; it never stores, queries, draws or analyses
(that is :mod:`graph`). Data flows one way: sources -> records -> RDF (N-Quads lines).
"""

from pathlib import Path

#: The ontology folder (Turtle: OWL, SKOS, SHACL). It sits beside the packages in the repository.
ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"

__all__ = ["ONTOLOGY_DIR"]
