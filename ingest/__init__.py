"""democracy-kg ingest: read sources, validate records and map them to RDF.

``ingest`` knows sources and stands on :mod:`ontology` (the shared terms); it never stores,
queries, draws or analyses (that is :mod:`graph`). Data flows one way: sources -> records -> RDF
(N-Quads lines).
"""
