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

__all__ = ["inline"]


def inline(graph_or_spec: nx.Graph | MapSpec, height: int = 600, **options: object):  # noqa: ANN201
    """An ``IPython.display.HTML`` holding the map of a graph (``options`` as :func:`network_map`)."""
    from IPython.display import HTML

    spec = graph_or_spec if isinstance(graph_or_spec, MapSpec) else network_map(graph_or_spec, **options)
    page = html.escape(render_html(spec), quote=True)
    # sandbox: scripts run, but the map cannot reach the notebook page around it. IPython suggests
    # its IFrame for any HTML with an iframe, but IFrame points at a URL: the blank frame above.
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Consider using IPython.display.IFrame", UserWarning)
        return HTML(f'<iframe sandbox="allow-scripts" srcdoc="{page}" style="width:100%;height:{int(height)}px;'
                    f'border:1px solid #d0d7de"></iframe>')
