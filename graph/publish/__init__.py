"""The published site (``dkg publish``, ``make site``): see :mod:`graph.publish.site`."""
