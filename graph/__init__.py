"""democracy-kg graph: store, validate, query, analyse, draw and publish the knowledge graph.

``graph`` knows the store and SPARQL; it never parses a source file (that is :mod:`ingest`).
"""
