"""Reading CORDIS's CSV tables: rows by line number (separator detected), amounts."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..checks import amount, is_empty, read_rows
from ..common import progress

#: The key of an empty row.
EMPTY = "__empty__"
#: The key of a row that could not be read; its value says why.
ERROR = "__error__"


def read_table(path: Path) -> tuple[list[str], Iterable[tuple[int, dict[str, str]]]]:
    """Header and (line number, row) pairs of a CORDIS CSV file, separator detected.

    A record that cannot be read has the key ``__error__`` (the reason); an empty one ``__empty__``.
    """
    header, records = read_rows(path)
    with path.open("rb") as f:  # the progress bar's total
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))

    def rows() -> Iterable[tuple[int, dict[str, str]]]:
        for record in progress(records, lines, f"{path.parent.name}/{path.name}"):
            if record.error:
                yield record.line, {ERROR: record.error}
            elif is_empty(record):
                yield record.line, {EMPTY: ""}
            else:
                yield record.line, {h: v.strip() for h, v in zip(header, record.cells)}
    return header, rows()


def decimal_or_none(text: str) -> str | None:
    """Canonical ``xsd:decimal`` lexical form of a CORDIS amount (:func:`ingest.sources.checks.amount`)."""
    return amount(text)
