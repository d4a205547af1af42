"""What every metric returns: a tidy table and how it was computed.

A :class:`MetricTable` is a pandas frame (one row per node, edge or graph, the key in the index)
plus the algorithm, the parameters (seed included) and whether the values are exact or estimated,
so tables, exports and the ``analysis`` named graph all say how each number came about.

Examples
--------
>>> import pandas as pd
>>> t = MetricTable("degree", pd.DataFrame({"degree": [1, 2]}, index=pd.Index(["a", "b"], name="node")),
...                 method="exact", parameters={})
>>> t.column("degree").to_dict()
{'a': 1, 'b': 2}
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

__all__ = ["MetricTable", "DEFAULT_SEED"]

#: The seed every randomised step uses unless told otherwise.
DEFAULT_SEED = 42


@dataclass
class MetricTable:
    """One metric's values.

    Attributes
    ----------
    metric : str
        Its name (``betweenness``, ``communities``...).
    frame : pandas.DataFrame
        The values; the index is ``node`` (or ``source``/``target`` for edges, ``graph``/``year``
        for whole-graph values).
    method : str
        How they were computed, e.g. ``"exact"`` or ``"sampled: 256 source nodes, seed 42"``.
    parameters : dict
        The parameters, seed included.
    level : str
        ``node``, ``edge`` or ``graph``.

    Examples
    --------
    >>> import networkx as nx, pandas as pd
    >>> g = nx.path_graph(3)
    >>> t = MetricTable("degree", pd.DataFrame({"degree": dict(g.degree())}).rename_axis("node"), "exact")
    >>> int(t.frame.loc[1, "degree"]), t.level, t.parameters
    (2, 'node', {})
    """

    metric: str
    frame: pd.DataFrame
    method: str
    parameters: dict = field(default_factory=dict)
    level: str = "node"

    def column(self, name: str | None = None) -> pd.Series:
        """One column of values (the metric's own by default).

        Parameters
        ----------
        name : str, optional
            The column (default: the one named after :attr:`metric`).

        Returns
        -------
        pandas.Series
            Indexed as :attr:`frame`.

        Examples
        --------
        >>> import pandas as pd
        >>> frame = pd.DataFrame({"component": [0, 0, 1], "component_size": [2, 2, 1]}, index=["a", "b", "c"])
        >>> t = MetricTable("component", frame, "exact")
        >>> t.column().tolist(), t.column("component_size").tolist()
        ([0, 0, 1], [2, 2, 1])
        """
        return self.frame[name or self.metric]
