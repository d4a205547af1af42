"""Finding and reading Participedia export files, one entry type (``case``, ``method``,
``organization``) per file, recognised by the ``type`` column."""

from __future__ import annotations

from pathlib import Path

from ..checks import is_empty, read_rows
from ..common import progress

#: The key of a row that could not be read; its value says why.
ERROR = "__error__"
#: The entry types the adapter maps, by the ``type`` column's value.
ENTRY_TYPES = ("case", "method", "organization")


def export_files(paths: list[Path] | Path | str) -> list[Path]:
    """The export files named: a file as it is, a directory as every ``*.csv`` in it (sorted).

    Raises ``FileNotFoundError`` for a path that is neither.
    """
    if isinstance(paths, Path | str):
        paths = [Path(paths)]
    files = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(p.glob("*.csv"))
        elif p.is_file():
            files.append(p)
        else:
            raise FileNotFoundError(f"Participedia export not found: {p}")
    return files


def read_export(path: Path) -> tuple[str, list[str], list[tuple[int, dict[str, str]]]]:
    """The entry type of a Participedia export file, its header and its (line, row) pairs.

    A record that cannot be read (cells that do not match the header, bytes that are not
    UTF-8) comes as a row holding only ``__error__`` (the reason); an empty record comes as an
    empty row, which the caller counts as filtered.
    """
    header, records = read_rows(path, delimiter=",")
    rows = []
    for record in progress(records, None, path.name):
        if record.error:
            rows.append((record.line, {ERROR: record.error}))
        elif not is_empty(record):
            rows.append((record.line, dict(zip(header, record.cells))))
        else:
            rows.append((record.line, {}))
    types = {r["type"].strip() for _, r in rows if r.get("type", "").strip()}
    if len(types) != 1:
        raise ValueError(f"{path}: not a Participedia export (expected one entry type in column 'type', found {sorted(types)})")
    return types.pop(), header, rows


def read_exports(files: list[Path]) -> tuple[dict[str, list[tuple[Path, list]]], dict[Path, list[str]]]:
    """Every file read: its (file, rows) by entry type, and its header by file.

    Raises ``ValueError`` for an entry type the adapter does not map.
    """
    by_type: dict[str, list[tuple[Path, list]]] = {}
    headers: dict[Path, list[str]] = {}
    for f in files:
        kind, header, rows = read_export(f)
        headers[f] = header
        by_type.setdefault(kind, []).append((f, rows))
    unknown = set(by_type) - set(ENTRY_TYPES)
    if unknown:
        raise ValueError(f"unknown Participedia entry type(s) {sorted(unknown)} in {[str(f) for k in unknown for f, _ in by_type[k]]}")
    return by_type, headers
