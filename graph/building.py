"""The jobs that make a release: :func:`build`, :func:`ingest` (record a source, after building
with it) and :func:`validate` (check everything, write nothing). :mod:`graph.api` offers them.

Each checks what a user can get wrong before any work (a missing records folder, an output
folder that cannot be written) and turns it into an :class:`OutputError` that names the folder.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from ingest.records import load_records
from ingest.sources import ConfigError, load_config, sources_text_with
from ontology.errors import DkgError

from .build import BuildResult, lines_from_records, map_sources
from .build import build as _build
from .results import Validation
from .store import DEFAULT_BUILD_DIR
from .validate import validate_lines

__all__ = ["build", "ingest", "validate", "OutputError"]


class OutputError(DkgError):
    """A job's input or output folder cannot be used (missing, a file, read-only, full)."""


def build(records: Path | str = "data/records", out: Path | str = DEFAULT_BUILD_DIR, *,
          sources: Path | str | None = None, shacl: str = "oxigraph", derived: str = "after") -> BuildResult:
    """Build a new release from the curated records and the configured sources (see :mod:`graph.build`).

    Parameters
    ----------
    records : path, default ``data/records``
        The curated records directory.
    out : path, default ``build``
        The build directory; its ``current`` release is replaced only when everything succeeded.
    sources : path, optional
        The sources file (``data/sources.toml``); None builds the curated records only.
    shacl : {"oxigraph", "pyshacl"}
        The SHACL engine.
    derived : {"after", "background", "none"}
        When the TriG and Turtle dumps are written, always once the new release is in place
        (:mod:`graph.dumps`).

    Returns
    -------
    graph.build.BuildResult
        ``summary()`` is what ``dkg build`` prints.

    Raises
    ------
    ingest.records.RecordError, graph.shacl_report.ShaclError
        The records or the graph fail validation (exit code 1).
    OutputError
        The records are missing or the build directory cannot be written.

    Examples
    --------
    >>> build("/nonexistent/records")
    Traceback (most recent call last):
    ...
    graph.building.OutputError: records directory not found: /nonexistent/records
    """
    out = Path(out)
    if not Path(records).is_dir():
        raise OutputError(f"records directory not found: {records}")
    problem = _unwritable(out)
    if problem:
        raise OutputError(f"cannot write to the output folder {out}: {problem}; choose a writable --out")
    try:
        return _build(records, out, shacl=shacl, sources=sources, derived=derived)
    except DkgError:
        raise
    except (FileNotFoundError, ValueError, UnicodeError) as err:
        raise OutputError(str(err)) from None
    except OSError as err:
        where = f" {err.filename}" if getattr(err, "filename", None) else ""
        raise OutputError(f"cannot write or read{where}: {err.strerror or err}; check that the output folder "
                          f"({out}) is a writable directory with free space") from None


def _unwritable(out: Path) -> str:
    """Why a build could not write into ``out`` (empty when it can): a file, read-only, missing parent."""
    if out.exists() and not out.is_dir():
        return "it is a file, not a folder"
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as err:
        return err.strerror or str(err)
    return ""


def ingest(entry: dict, sources_file: Path | str, records: Path | str = "data/records",
           out: Path | str = DEFAULT_BUILD_DIR, *, say: Callable[[str], None] = print) -> BuildResult:
    """Add (or replace) a source in the sources file, but only once a build with it succeeded.

    The new sources file is written beside the old one (so relative paths resolve the same),
    checked, built from, and renamed over the old one only when the build succeeded; on any
    failure the old file is unchanged.

    Parameters
    ----------
    entry : dict
        The ``[[source]]`` table: ``name``, ``adapter``, ``path`` and optional fields.
    sources_file : path
        The sources file (``data/sources.toml``); created when missing.
    records, out : path
        As for :func:`build`.
    say : callable
        Receives progress lines.

    Returns
    -------
    graph.build.BuildResult

    Raises
    ------
    ingest.sources.ConfigError
        The entry is not a valid source (the file is unchanged).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> ingest({"name": "x", "adapter": "unknown", "path": "."}, folder / "sources.toml")
    Traceback (most recent call last):
    ...
    ingest.sources.ConfigError: ...unknown adapter...
    >>> (folder / "sources.toml").exists()  # nothing recorded
    False
    """
    sources_file = Path(sources_file)
    text = sources_text_with(sources_file, entry)
    fd, temp = tempfile.mkstemp(prefix=f".{sources_file.name}.", suffix=".tmp", dir=sources_file.resolve().parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        try:
            load_config(temp)
        except ConfigError as err:
            raise ConfigError(str(err).replace(temp, str(sources_file))) from None
        say(f"source {entry['name']}: building with it before recording it in {sources_file}")
        result = build(records, out, sources=temp)
        os.replace(temp, sources_file)
        return result
    finally:
        Path(temp).unlink(missing_ok=True)


def validate(records: Path | str = "data/records", sources: Path | str | None = None, *,
             engine: str = "oxigraph") -> Validation:
    """Check the records, map the sources and validate the whole graph; write nothing.

    Parameters
    ----------
    records : path
        The curated records directory.
    sources : path, optional
        The sources file; None checks the curated records only.
    engine : {"oxigraph", "pyshacl"}
        The SHACL engine.

    Returns
    -------
    Validation
        ``exit_code`` is 1 when the records have problems or the graph does not conform.

    Examples
    --------
    >>> validate("/nonexistent/records")
    Traceback (most recent call last):
    ...
    graph.building.OutputError: records directory not found: /nonexistent/records
    """
    if not Path(records).is_dir():
        raise OutputError(f"records directory not found: {records}")
    loaded, problems = load_records(records)
    if problems:
        return Validation(len(loaded), problems)
    try:
        mapped = map_sources(sources)
    except (FileNotFoundError, ValueError) as err:
        raise OutputError(str(err)) from None
    report = validate_lines(lines_from_records(loaded, extra=[line for s in mapped for line in s.lines]), engine)
    return Validation(len(loaded), [], mapped, report)
