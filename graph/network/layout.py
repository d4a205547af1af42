"""How a network is drawn, shared by the HTML maps and the GEXF files Gephi opens: seeded node
positions, the colour palette, size scaling. The same graph always gets the same picture.

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

from ._igraph import seeded, to_igraph
from .result import DEFAULT_SEED

__all__ = ["layout", "PHYSICS_LIMIT", "SCALE", "PALETTE", "OTHER", "group_colours", "scale_sizes"]

#: Colours for the largest groups (colour-blind-safe first: Okabe–Ito, then Tableau), then grey.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000",
           "#8c564b", "#17becf", "#bcbd22", "#7f7f7f")
OTHER = "#c8c8c8"

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

    Examples
    --------
    A path is laid out straight, its ends the square's side apart; the same seed gives the same
    picture:

    >>> import networkx as nx
    >>> pos = layout(nx.path_graph(3), seed=1)
    >>> pos[2][0] - pos[0][0] == SCALE, pos == layout(nx.path_graph(3), seed=1)
    (True, True)
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


def group_colours(groups: list[str]) -> tuple[dict[str, str], list[tuple[str, str, int]]]:
    """A colour per group (the most frequent first) and the legend ``(group, colour, count)``.

    The ``len(PALETTE) - 1`` most frequent groups get a colour of their own; the rest share
    :data:`OTHER` and one legend row, "other".

    Parameters
    ----------
    groups : list of str
        Each node's group (repeated as often as it has nodes).

    Returns
    -------
    (dict, list of (str, str, int))
        Group -> colour for the groups with a colour of their own, and the legend rows.

    Examples
    --------
    >>> colours, legend = group_colours(["a", "b", "a"])
    >>> colours["a"], legend[0]
    ('#0072B2', ('a', '#0072B2', 2))
    """
    counts: dict[str, int] = {}
    for group in groups:
        counts[group] = counts.get(group, 0) + 1
    ranked = sorted(counts, key=lambda k: (-counts[k], k))
    colours = {k: PALETTE[i] for i, k in enumerate(ranked[:len(PALETTE) - 1])}
    legend = [(k, colours[k], counts[k]) for k in ranked[:len(PALETTE) - 1]]
    if len(ranked) > len(PALETTE) - 1:
        legend.append(("other", OTHER, sum(counts[k] for k in ranked[len(PALETTE) - 1:])))
    return colours, legend


def scale_sizes(values: list[float | None], low: float, high: float) -> list[float]:
    """Square-root scaling into ``[low, high]`` (areas, not radii, follow the values).

    Parameters
    ----------
    values : list of float or None
        ``None`` and non-finite values get ``low``.
    low, high : float
        The sizes of the smallest and of the largest value.

    Returns
    -------
    list of float
        Rounded to two decimals.

    Examples
    --------
    >>> scale_sizes([0, 4, 16, None], 1.0, 5.0)
    [1.0, 3.0, 5.0, 1.0]
    """
    finite = [v for v in values if v is not None and math.isfinite(v)]
    if not finite:
        return [low] * len(values)
    top, bottom = math.sqrt(max(max(finite), 0)), math.sqrt(max(min(finite), 0))
    span = top - bottom or 1.0
    return [round(low + (math.sqrt(max(v, 0)) - bottom) / span * (high - low), 2)
            if v is not None and math.isfinite(v) else low for v in values]
