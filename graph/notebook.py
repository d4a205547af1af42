"""Starting points for notebooks: one call that opens (or builds) the graph a notebook works on.

The notebooks in ``notebooks/`` stay thin: they call this and the package functions, so that what
they teach is what the command line does. :func:`open_graph` opens the build ``make run`` made
(``build/`` in the project, or ``DKG_BUILD``), so a notebook's numbers are those of ``dkg
query``. Without one, or when given a ``sources.toml`` (the notebooks' one parameter), it builds
the shipped records (plus those exports) into one cache directory that every later call reuses
and replaces (``DKG_CACHE``, else ``~/.cache/democracy-kg``): nothing piles up in ``/tmp``.

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     build_dir = open_graph(build_dir=Path(tmp) / "build")
...     (build_dir / "current").exists()
True
"""

from __future__ import annotations

import os
from pathlib import Path

from ontology import ONTOLOGY_DIR

__all__ = ["open_graph", "SHIPPED_RECORDS", "project_build", "cache_dir"]

#: The curated records that come with the project.
SHIPPED_RECORDS = ONTOLOGY_DIR.parent / "data" / "records"


def project_build() -> Path:
    """The build ``make run`` writes: ``DKG_BUILD``, else ``build/`` in the project."""
    return Path(os.environ.get("DKG_BUILD") or ONTOLOGY_DIR.parent / "build")


def cache_dir() -> Path:
    """Where notebooks build when there is no project build: ``DKG_CACHE``, ``XDG_CACHE_HOME`` or ``~/.cache``."""
    base = os.environ.get("DKG_CACHE") or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "democracy-kg"


def open_graph(sources: Path | str | None = None, build_dir: Path | str | None = None,
               analyse_network: bool = True) -> Path:
    """The build directory a notebook works on (see the module docstring); built when needed.

    Parameters
    ----------
    sources : Path or str, optional
        A ``sources.toml`` naming real CORDIS, Participedia or register exports
        (``data/sources.toml``): build the shipped records with them instead of opening the
        project's build.
    build_dir : Path or str, optional
        Build here (replacing an earlier build there) instead.
    analyse_network : bool
        After building, also run ``dkg analyse --write-back`` on the collaboration network
        (``make run`` has already done so for the project's build).
    """
    from .build import build
    from .network.analyse import analyse

    if build_dir is None and sources is None and (project_build() / "current").exists():
        return project_build()
    target = Path(build_dir) if build_dir is not None else cache_dir() / "notebook-build"
    build(SHIPPED_RECORDS, target, sources=sources)
    if analyse_network:
        analyse(target, out=target.parent / f"{target.name}-analysis", write_back=True)
    return target
