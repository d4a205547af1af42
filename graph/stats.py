"""Counts per class and per named graph of a built store (``dkg stats``)."""

from __future__ import annotations

import pyoxigraph as ox

from .sparql import run_query

CLASS_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?entities) WHERE {
  GRAPH ?g { ?s a ?class }
  FILTER (?g NOT IN (graph:ontology, graph:build, graph:void))
} GROUP BY ?class ORDER BY DESC(?entities) ?class
"""

GRAPH_COUNTS = """
SELECT ?graph (COUNT(*) AS ?triples) WHERE { GRAPH ?graph { ?s ?p ?o } }
GROUP BY ?graph ORDER BY ?graph
"""


def class_counts(store: ox.Store) -> dict[str, int]:
    """Number of distinct instances per class in the data (not the ontology, run metadata or VoID)."""
    result = run_query(store, CLASS_COUNTS)
    return {row[0].value: int(row[1].value) for row in result.rows or []}


def graph_counts(store: ox.Store) -> dict[str, int]:
    """Number of triples per named graph (including ``graph/build`` run metadata)."""
    result = run_query(store, GRAPH_COUNTS)
    return {row[0].value: int(row[1].value) for row in result.rows or []}
