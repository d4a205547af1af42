"""Node positions for maps: :mod:`graph.network.layout`, where the GEXF export finds them too."""

from ..network.layout import PHYSICS_LIMIT, SCALE, layout

__all__ = ["layout", "PHYSICS_LIMIT", "SCALE"]
