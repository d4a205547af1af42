"""Metrics back into the knowledge graph: the ``analysis`` named graphs.

An analysis run is a ``dkg:NetworkAnalysis`` (a ``prov:Activity``) with the projection, the
filter, the algorithms with their parameters and seeds, the graph's size and when it ran. Each
analysed entity gets one ``dkg:NetworkPosition`` per run: a node linking the entity
(``dkg:positionOf``) and the run (``prov:wasGeneratedBy``) to its metric values, one property per
metric (``dkg:betweenness``, ``dkg:constraint``...; all sub-properties of ``dkg:metricValue``).
So SPARQL can ask "the top brokers among EC-NET partners" by joining positions with memberships
(``graph/queries/top-brokers.rq``).

Identifiers are deterministic: the run's key is a digest of the projection, the filter and the
parameters, so the same analysis gets the same IRIs (``id/analysis/<key>``,
``id/position/<key>/<entity key>``) and its graph ``graph/analysis/<key>`` is replaced when it runs
again. ``SOURCE_DATE_EPOCH`` fixes the recorded time, for byte-identical dumps.

Loading checks every quad first (malformed input leaves the previous analysis as it was), then
replaces the run's graph; the new content is loaded in one transaction (:func:`load_analysis`).

Examples
--------
>>> run_key("collaboration", "programme=h2020", {"betweenness": {"k": 256, "seed": 42}})
'1f743416f77676a0'
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
from collections.abc import Iterable
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from ontology.namespaces import BASE, DKG, GRAPH, PROV, RDFS
from ontology.nquads import RDF_TYPE, XSD_BOOLEAN, XSD_DATETIME, XSD_INTEGER, iri, literal, quad

from .result import MetricTable

__all__ = ["run_key", "analysis_quads", "load_analysis", "METRIC_PROPERTIES", "ANALYSIS_GRAPH"]

XSD_DOUBLE = "http://www.w3.org/2001/XMLSchema#double"
#: Analysis graphs are ``<ANALYSIS_GRAPH><run key>``.
ANALYSIS_GRAPH = f"{GRAPH}analysis/"

#: Table column -> property of a dkg:NetworkPosition (columns not listed stay in the tables only).
METRIC_PROPERTIES: dict[str, str] = {
    "degree": "degree", "strength": "strength", "betweenness": "betweenness", "eigenvector": "eigenvector",
    "closeness": "closeness", "clustering": "clustering", "core_number": "coreNumber", "component": "component",
    "component_size": "componentSize", "community": "community", "constraint": "constraint",
    "effective_size": "effectiveSize", "efficiency": "efficiency", "articulation_point": "articulationPoint",
    "coordinator": "brokerageCoordinator", "consultant": "brokerageConsultant",
    "gatekeeper_representative": "brokerageGatekeeperRepresentative", "liaison": "brokerageLiaison",
    "total": "brokerageTotal",
}


def run_key(projection: str, filter_text: str, parameters: dict) -> str:
    """A 16-hex-digit digest naming one analysis (same inputs, same key).

    Parameters
    ----------
    projection : str
    filter_text : str
        :meth:`graph.network.select.TieFilter.describe` of the filter.
    parameters : dict
        Each metric's method and parameters.

    Returns
    -------
    str

    Examples
    --------
    >>> run_key("country", "", {})
    '297bb51c0a186661'
    >>> run_key("country", "", {}) == run_key("country", "start_year=2020", {})
    False
    """
    text = json.dumps({"projection": projection, "filter": filter_text, "parameters": parameters},
                      sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _when() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    return now.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _value(value: object) -> str | None:
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return literal("true" if value else "false", XSD_BOOLEAN)
    if isinstance(value, (int,)) or type(value).__name__.startswith("int"):
        return literal(str(int(value)), XSD_INTEGER)
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        return None  # not computed for this node (e.g. constraint of an isolate)
    return literal(repr(number), XSD_DOUBLE)


def analysis_quads(g: nx.Graph, tables: Iterable[MetricTable], projection: str, filter_text: str = "",
                   dataset: str | None = None) -> tuple[str, list[str]]:
    """The N-Quads of one analysis run: the run, its algorithms, and a position per node.

    Parameters
    ----------
    g : networkx.Graph
        The analysed projection (its nodes are entity IRIs).
    tables : iterable of MetricTable
        Node-level tables become position properties (see :data:`METRIC_PROPERTIES`); the
        ``community`` table's modularity goes on the run.
    projection : str
        The projection's name.
    filter_text : str
        :meth:`graph.network.select.TieFilter.describe` of the filter.
    dataset : str, optional
        IRI of the analysed dataset (``prov:used``).

    Returns
    -------
    (str, list of str)
        The run key and the quads, sorted.

    Examples
    --------
    Only entities get positions (``x`` is not an IRI), each with its degree:

    >>> import networkx as nx, pandas as pd
    >>> ID = "https://w3id.org/democracy-kg/id/organisation/"
    >>> g = nx.Graph([(ID + "a", ID + "b"), (ID + "b", "x")])
    >>> table = MetricTable("degree", pd.DataFrame({"degree": dict(g.degree())}).rename_axis("node"), "exact")
    >>> run, quads = analysis_quads(g, [table], "collaboration")
    >>> len(quads), sum("#NetworkPosition>" in q for q in quads)
    (16, 2)
    >>> [q.split()[2] for q in quads if q.startswith(f"<{BASE}id/position/{run}/organisation/b>") and "#degree>" in q]
    ['"2"^^<http://www.w3.org/2001/XMLSchema#integer>']
    """
    tables = list(tables)
    parameters = {t.metric: {"method": t.method, **t.parameters} for t in tables}
    k = run_key(projection, filter_text, parameters)
    graph = iri(ANALYSIS_GRAPH + k)
    run = iri(f"{BASE}id/analysis/{k}")
    out = [quad(run, RDF_TYPE, iri(str(DKG.NetworkAnalysis)), graph),
           quad(run, iri(str(RDFS.label)), literal(f"{projection} network analysis" +
                                                    (f" ({filter_text})" if filter_text else "")), graph),
           quad(run, iri(str(DKG.projection)), literal(projection), graph),
           quad(run, iri(str(DKG.analysisFilter)), literal(filter_text), graph),
           quad(run, iri(str(DKG.nodeCount)), literal(str(g.number_of_nodes()), XSD_INTEGER), graph),
           quad(run, iri(str(DKG.edgeCount)), literal(str(g.number_of_edges()), XSD_INTEGER), graph),
           quad(run, iri(str(PROV.endedAtTime)), literal(_when(), XSD_DATETIME), graph)]
    if dataset:
        out.append(quad(run, iri(str(PROV.used)), iri(dataset), graph))
    for table in tables:
        out.append(quad(run, iri(str(DKG.algorithm)), literal(
            f"{table.metric}: {table.method}; " + json.dumps(table.parameters, sort_keys=True, default=str)), graph))
        if table.metric == "community" and "modularity" in table.parameters:
            out.append(quad(run, iri(str(DKG.modularity)), _value(float(table.parameters["modularity"])), graph))
    node_tables = [t for t in tables if t.level == "node" and t.frame.index.name == "node"]
    positions: dict[object, list[tuple[str, str]]] = {}
    for table in node_tables:
        for column in table.frame.columns:
            name = METRIC_PROPERTIES.get(column)
            if name is None:
                continue
            p = iri(str(DKG[name]))
            for node, value in zip(table.frame.index.tolist(), table.frame[column].tolist()):
                obj = _value(value)
                if obj is not None:
                    positions.setdefault(node, []).append((p, obj))
    for node in sorted(positions, key=str):
        if not str(node).startswith(("http://", "https://")):
            continue  # only entities of the graph get positions
        position = iri(f"{BASE}id/position/{k}/{_position_key(str(node))}")
        out.append(quad(position, RDF_TYPE, iri(str(DKG.NetworkPosition)), graph))
        out.append(quad(position, iri(str(DKG.positionOf)), iri(str(node)), graph))
        out.append(quad(position, iri(str(PROV.wasGeneratedBy)), run, graph))
        out.extend(quad(position, p, o, graph) for p, o in positions[node])
    return k, sorted(set(out))


def _position_key(node: str) -> str:
    """``organisation/pic-999`` from an entity IRI of ours; a digest for anyone else's IRI."""
    prefix = f"{BASE}id/"
    if node.startswith(prefix):
        return node[len(prefix):]
    return "iri-" + hashlib.sha256(node.encode("utf-8")).hexdigest()[:16]


def load_analysis(store: ox.Store | Path | str, run: str, quads: list[str]) -> int:
    """Replace the run's analysis graph in ``store`` (open, or the directory of one); return its triple count.

    The quads are parsed in full before the store is touched, so malformed input changes nothing.
    Then the run's old graph is removed and the new one loaded in one transaction (``Store.load``).
    A SPARQL ``MOVE`` from a staging graph would make the swap a single step too, but Oxigraph
    evaluates it quad by quad: 21 s for 250k quads against 7 s for the load. If the load itself
    fails (a full disk), the graph is missing, not half there, and ``analysis.nq`` in the output
    directory holds the same quads. ``dkg analyse --write-back`` calls this on a copy of the
    current release (:func:`graph.store.derive_release`), never on a published one.

    Parameters
    ----------
    store : pyoxigraph.Store, Path or str
        An open store, or the directory of an on-disk Oxigraph store (made if missing).
    run : str
        The run key (:func:`run_key`): the graph replaced is ``<ANALYSIS_GRAPH><run>``.
    quads : list of str
        N-Quads lines, all in that graph (:func:`analysis_quads`).

    Returns
    -------
    int
        The triples in the run's graph after the load.

    Raises
    ------
    SyntaxError
        A quad is malformed (nothing is changed).
    ValueError
        A quad lies outside the run's graph (nothing is changed).

    Examples
    --------
    >>> import tempfile
    >>> graph = f"<{ANALYSIS_GRAPH}demo>"
    >>> quads = [f'<https://example.org/a> <https://example.org/p> "{n}" {graph} .' for n in (1, 2)]
    >>> store_dir = tempfile.mkdtemp()
    >>> load_analysis(store_dir, "demo", quads)
    2
    >>> load_analysis(store_dir, "other", quads)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ValueError: quad outside the run's graph <https://w3id.org/democracy-kg/graph/analysis/other>: ...
    """
    graph = ANALYSIS_GRAPH + run
    data = ("\n".join(quads) + "\n").encode("utf-8")
    for q in ox.parse(data, format=ox.RdfFormat.N_QUADS):  # raises SyntaxError naming the line
        if q.graph_name != ox.NamedNode(graph):
            raise ValueError(f"quad outside the run's graph <{graph}>: {q}")
    opened = not isinstance(store, ox.Store)
    target = ox.Store(str(store)) if opened else store
    try:
        if target.contains_named_graph(ox.NamedNode(graph)):
            target.remove_graph(ox.NamedNode(graph))
        target.load(data, format=ox.RdfFormat.N_QUADS)
        target.flush()
        return sum(1 for _ in target.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
    finally:
        del target
