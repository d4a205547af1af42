"""Starting points for notebooks: one call that builds (or opens) the graph a notebook works on.

The notebooks in ``notebooks/`` stay thin: they call this and the package functions, so that what
they teach is what the command line does. :func:`open_graph` builds the records shipped with the
project (``data/records``) into a fresh directory, plus the real exports when a ``sources.toml``
is given (the notebooks' one parameter), and analyses the collaboration network into the store, so
``top-brokers`` answers at once.

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     build_dir = open_graph(build_dir=Path(tmp) / "build")
...     (build_dir / "current").exists()
True
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from ingest import ONTOLOGY_DIR

__all__ = ["open_graph", "SHIPPED_RECORDS"]

#: The curated records that come with the project.
SHIPPED_RECORDS = ONTOLOGY_DIR.parent / "data" / "records"


def open_graph(sources: Path | str | None = None, build_dir: Path | str | None = None,
               analyse_network: bool = True) -> Path:
    """Build the shipped records (and the exports ``sources`` names) into ``build_dir``; return it.

    Parameters
    ----------
    sources : Path or str, optional
        A ``sources.toml`` naming real CORDIS or Participedia exports (``data/sources.toml``).
    build_dir : Path or str, optional
        Where to build (default: a new directory under the system's temporary directory, kept
        after the kernel stops so the build can be reopened; ``TMPDIR`` chooses where). An
        existing build there is replaced.
    analyse_network : bool
        Also run ``dkg analyse --write-back`` on the collaboration network.
    """
    from .build import build
    from .network.analyse import analyse

    target = Path(build_dir) if build_dir is not None else Path(tempfile.mkdtemp(prefix="dkg-notebook-")) / "build"
    build(SHIPPED_RECORDS, target, sources=sources)
    if analyse_network:
        analyse(target, out=target.parent / "analysis", write_back=True)
    return target
