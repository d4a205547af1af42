"""Interactive network maps (pyvis and vis-network), safe and offline: see graph.maps.draw."""
