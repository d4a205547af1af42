"""Maps inside Jupyter: an interactive map as a notebook output that renders in JupyterLab and VS Code.

pyvis's own notebook mode writes a file and points an iframe at it, which shows a blank frame
wherever the notebook server does not serve that file (VS Code, nbviewer, a moved notebook). Here
the whole self-contained page goes into the iframe's ``srcdoc`` (escaped as an attribute), so the
map travels with the notebook output.

Examples
--------
>>> import networkx as nx
>>> out = inline(nx.path_graph(["a", "b"]), height=300)
>>> out.data.startswith('<iframe sandbox="allow-scripts"'), 'srcdoc="&lt;!DOCTYPE html&gt;' in out.data
(True, True)
"""

from __future__ import annotations

import html

import networkx as nx

from .draw import MapSpec, network_map, render_html
from .make import MAX_NODES, largest_nodes

__all__ = ["inline"]


def inline(graph_or_spec: nx.Graph | MapSpec, height: int = 600, max_nodes: int | None = MAX_NODES,
           **options: object):  # noqa: ANN201 - an IPython.display.HTML
    """An ``IPython.display.HTML`` holding the map of a graph (``options`` as :func:`network_map`).

    A graph larger than ``max_nodes`` is drawn as its largest nodes by ``size_by`` (as ``dkg map``
    does), so a notebook output stays a few MB even for the H2020 network.
    """
    from IPython.display import HTML

    if isinstance(graph_or_spec, MapSpec):
        spec = graph_or_spec
    else:
        g = graph_or_spec
        if max_nodes is not None and g.number_of_nodes() > max_nodes:
            g = largest_nodes(g, max_nodes, str(options.get("size_by") or "degree"))
        spec = network_map(g, **options)
    page = html.escape(render_html(spec), quote=True)
    # sandbox: scripts run, but the map cannot reach the notebook page around it. IPython suggests
    # its IFrame for any HTML with an iframe, but IFrame points at a URL: the blank frame above.
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Consider using IPython.display.IFrame", UserWarning)
        return HTML(f'<iframe sandbox="allow-scripts" srcdoc="{page}" style="width:100%;height:{int(height)}px;'
                    f'border:1px solid #d0d7de"></iframe>')
