"""Collaboration ties: NetworkX projections of the knowledge graph, their metrics, and outputs.

Data flow: store → :mod:`~graph.network.extract` (SPARQL scans into pandas tables, canonical
organisations) → :mod:`~graph.network.select` (filters) → a projection → metrics → tables,
graph files and the ``analysis`` named graph. One topic per module, plain functions:

projections
    :mod:`~graph.network.collaboration` (organisation–organisation, weighted),
    :mod:`~graph.network.bipartite` (organisation–project/network),
    :mod:`~graph.network.membership` (network of networks, indirect reach),
    :mod:`~graph.network.aggregate` (country–country, city–network),
    :mod:`~graph.network.cases` (case–method–organisation)
metrics
    :mod:`~graph.network.centrality`, :mod:`~graph.network.cohesion`,
    :mod:`~graph.network.community`, :mod:`~graph.network.structural_holes`,
    :mod:`~graph.network.brokerage`, :mod:`~graph.network.assortativity`,
    :mod:`~graph.network.resilience`, :mod:`~graph.network.temporal`, :mod:`~graph.network.diffusion`
outputs
    :mod:`~graph.network.export` (CSV, Parquet, GEXF, GraphML, node-link JSON; the graph files
    streamed by :mod:`~graph.network.graphfiles`),
    :mod:`~graph.network.writeback` (the ``analysis`` named graph)
one call for all of it
    :func:`graph.network.analyse.analyse` (``dkg analyse``; each metric by name in
    :mod:`~graph.network._metrics`)

Metrics return a :class:`~graph.network.result.MetricTable`: a pandas frame plus how the values
were computed (exact or sampled, seed, parameters). NetworkX graphs are the interface; igraph
computes behind the functions where NetworkX is too slow (:mod:`~graph.network._igraph`), and
sparse triangle sums behind effective size and brokerage (:mod:`~graph.network._triangles`). Every
public function has a numpydoc docstring with a runnable example (``tests/test_network_docs.py``).
See ``docs/network.md``.
"""
