"""Figures for papers: any map as PNG or SVG, with the same layout, colours, sizes and labels.

The figure is drawn from the same :class:`~graph.maps.draw.MapSpec` as the HTML page, so a
figure and its interactive map agree node for node. matplotlib's Agg backend is used: no display
is needed. SVG output sets ``svg.hashsalt`` and no date, so the same map gives the same file.

Examples
--------
>>> import networkx as nx, tempfile, pathlib
>>> from graph.maps.draw import network_map
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> spec = network_map(nx.karate_club_graph(), title="Karate club")
>>> [p.suffix for p in write_figures(spec, out / "karate", ("png", "svg"))]
['.png', '.svg']
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ingest.files import replacing

from .draw import MapSpec

__all__ = ["write_figures", "FIGURE_FORMATS"]

FIGURE_FORMATS = ("png", "svg")


def write_figures(spec: MapSpec, stem: Path | str, formats: Iterable[str] = FIGURE_FORMATS,
                  width_inches: float = 8.0, dpi: int = 200) -> list[Path]:
    """Draw ``spec`` and save it as ``<stem>.png`` and/or ``<stem>.svg``; return the paths."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    # vis-network's y axis points down; the figure keeps the page's orientation.
    xy = {n["id"]: (n["x"], -n["y"]) for n in spec.nodes}
    with plt.rc_context({"svg.hashsalt": "democracy-kg", "svg.fonttype": "none"}):
        fig, ax = plt.subplots(figsize=(width_inches, width_inches * 0.75))
        segments = [(xy[e["from"]], xy[e["to"]]) for e in spec.edges]
        if segments:
            ax.add_collection(LineCollection(segments, linewidths=[e["width"] * 0.4 for e in spec.edges],
                                             colors="#9aa5b1", alpha=0.6, zorder=1))
        ax.scatter([xy[n["id"]][0] for n in spec.nodes], [xy[n["id"]][1] for n in spec.nodes],
                   s=[(n["size"] * 0.6) ** 2 for n in spec.nodes], c=[n["color"] for n in spec.nodes],
                   edgecolors="white", linewidths=0.4, zorder=2)
        for n in spec.nodes:
            if n["label"]:
                ax.annotate(n["label"], xy[n["id"]], fontsize=6, ha="center", va="bottom",
                            xytext=(0, 4), textcoords="offset points", zorder=3)
        handles = [Line2D([], [], marker="o", linestyle="", color=colour, label=f"{group} ({count})")
                   for group, colour, count in spec.legend]
        if handles:
            ax.legend(handles=handles, title=spec.color_by, fontsize=6, title_fontsize=7, loc="upper left",
                      bbox_to_anchor=(1.0, 1.0), frameon=False)
        ax.set_title(spec.title, fontsize=10)
        ax.set_aspect("equal")
        ax.autoscale()
        ax.axis("off")
        written = []
        for fmt in formats:
            if fmt not in FIGURE_FORMATS:
                raise ValueError(f"unknown figure format {fmt!r}: {', '.join(FIGURE_FORMATS)}")
            path = stem.with_suffix(f".{fmt}")
            metadata = {"Date": None} if fmt == "svg" else {"Software": "democracy-kg"}
            with replacing(path) as temp:
                fig.savefig(temp, format=fmt, dpi=dpi, bbox_inches="tight", metadata=metadata)
            written.append(path)
        plt.close(fig)
    return written
