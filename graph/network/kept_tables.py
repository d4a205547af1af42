"""The tables of a release, extracted once and kept beside its build.

:func:`graph.network.extract.extract` scans the store (about 10 s for the whole H2020 export),
and ``dkg analyse`` and ``dkg map`` each need the same tables of the same release. A published
release is never written, so its tables cannot change: :func:`release_tables` keeps them as
Parquet in ``<build>/cache/tables/<release id>/<code key>/`` and reads them back (0.1 s) the
next time. The code key digests the extraction code and the versions of pandas and pyarrow, so a
new version of either reads the store again. A kept table that cannot be read is extracted again.
Folders of releases that are gone are removed.

Parquet gives back exactly what was written (``pandas.testing.assert_frame_equal`` with exact
values, the tests check it); a new release is always read from its store.

Examples
--------
>>> import pandas as pd, tempfile
>>> from pathlib import Path
>>> tables = KnowledgeTables(pd.DataFrame({"organisation": ["a"]}), pd.DataFrame({"label": ["A"]}, index=["a"]),
...                          pd.DataFrame({"child": ["a"]}))
>>> folder = Path(tempfile.mkdtemp()) / "kept"
>>> _write(tables, folder)
>>> _read(folder).entities.loc["a", "label"]
'A'
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from ingest.files import replacing

from ..store import ReleaseRef
from .extract import KnowledgeTables, extract

__all__ = ["release_tables"]

_NAMES = ("ties", "entities", "links")


def code_key() -> str:
    """A digest of what decides the tables: the extraction code and the pandas and pyarrow versions.

    Returns
    -------
    str
        16 hexadecimal digits, the name of the folder the tables are kept in.

    Examples
    --------
    >>> len(code_key()), code_key() == code_key()
    (16, True)
    """
    import pyarrow

    from . import extract as module

    digest = hashlib.sha256(Path(module.__file__).read_bytes())
    digest.update(f"pandas {pd.__version__} pyarrow {pyarrow.__version__}".encode())
    return digest.hexdigest()[:16]


def release_tables(release: ReleaseRef) -> KnowledgeTables:
    """The tables of ``release``: read from what an earlier call kept, else extracted and kept.

    Parameters
    ----------
    release : graph.store.ReleaseRef
        The release (:func:`graph.store.release_of`).

    Returns
    -------
    KnowledgeTables
        Equal, value for value, to :func:`graph.network.extract.extract` of the release.

    Examples
    --------
    >>> import tempfile
    >>> release_tables(ReleaseRef(Path(tempfile.mkdtemp()), "r1"))
    Traceback (most recent call last):
    ...
    graph.store.StoreNotFound: no built store at ...; run 'dkg build' (or 'make run') first
    """
    key = code_key()
    folder = release.cache("tables") / key
    if all((folder / f"{name}.parquet").is_file() for name in _NAMES):
        try:
            return _read(folder)
        except (OSError, ValueError):  # cut short or damaged: read the store again
            pass
    tables = extract(release.path)
    try:
        _write(tables, release.cache("tables", prune=True) / key)
    except OSError:  # a build directory this user cannot write: extracted each time, as before
        pass
    return tables


def _write(tables: KnowledgeTables, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in _NAMES:
        with replacing(folder / f"{name}.parquet") as temp:
            getattr(tables, name).to_parquet(temp)


def _read(folder: Path) -> KnowledgeTables:
    return KnowledgeTables(*(pd.read_parquet(folder / f"{name}.parquet") for name in _NAMES))
