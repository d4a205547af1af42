"""Node positions computed in Python, seeded: the same graph always gets the same picture.

vis-network's physics runs in the visitor's browser and takes minutes to settle a 1,500-node
map. Positions are therefore computed here, with igraph's Fruchterman–Reingold layout in C, seeded
through :func:`graph.network._igraph.seeded`. Above :data:`PHYSICS_LIMIT` nodes the map ships
with physics off, so the browser draws the finished picture at once.

Examples
--------
>>> import networkx as nx
>>> g = nx.karate_club_graph()
>>> layout(g, seed=1) == layout(g, seed=1)
True
>>> sorted(layout(nx.empty_graph(1)).values())
[(0.0, 0.0)]
"""

from __future__ import annotations

import math

import networkx as nx

from ..network._igraph import seeded, to_igraph
from ..network.result import DEFAULT_SEED

__all__ = ["layout", "PHYSICS_LIMIT", "SCALE"]

#: Maps with more nodes than this are drawn with physics off.
PHYSICS_LIMIT = 300
#: Side of the square the positions are scaled into (vis-network canvas units).
SCALE = 1000.0


def layout(g: nx.Graph, seed: int = DEFAULT_SEED, iterations: int = 500) -> dict[object, tuple[float, float]]:
    """Positions for every node of ``g`` in ``[-SCALE/2, SCALE/2]`` squared (rounded to 0.1 unit).

    Parameters
    ----------
    g : networkx.Graph
    seed : int
        Seed of the layout's random start.
    iterations : int
        Fruchterman–Reingold iterations.

    Returns
    -------
    dict
        node -> (x, y)
    """
    if g.number_of_nodes() == 0:
        return {}
    if g.number_of_nodes() == 1:
        return {next(iter(g)): (0.0, 0.0)}
    h, nodes = to_igraph(g)
    # grid="auto": above 1,000 nodes repulsion is computed on a grid of nearby nodes only, which keeps
    # a step linear (2,000 nodes: 0.35 s instead of 4.5 s; 10,000 nodes: 1.6 s). DrL, igraph's
    # layout for large graphs, took 103 s on 10,000 nodes.
    with seeded(seed):
        coords = h.layout_fruchterman_reingold(niter=iterations, grid="auto").coords
    xs = [c[0] for c in coords]
    ys = [c[1] for c in coords]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    scale = SCALE * math.sqrt(len(nodes) / 100) if len(nodes) > 100 else SCALE
    return {n: (round((x - cx) / span * scale, 1), round((y - cy) / span * scale, 1))
            for n, (x, y) in zip(nodes, coords)}
