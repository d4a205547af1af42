"""Lines of text written a slice at a time, and sorted lines without their repeats: shared by the
source cache (:mod:`ingest.sources.cache`) and the build's canonical dump (:mod:`graph.canonical`).
Files are written as UTF-8 with ``\\n`` line ends, whatever the platform.

Examples
--------
>>> import io
>>> out = io.StringIO()
>>> write_batched(out, without_repeats(["a", "a", "b"]))
2
>>> out.getvalue()
'a\\nb\\n'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import TextIO

__all__ = ["SLICE", "write_batched", "write_lines", "write_sorted", "without_repeats"]

#: Lines joined per write: one ``"\\n".join`` of every line would copy them all once more in
#: memory for the time of the write.
SLICE = 100_000


def write_batched(f: TextIO, lines: Iterable[str]) -> int:
    """Write ``lines`` (each without its newline) to ``f``, :data:`SLICE` joined per write; the
    number written."""
    written = 0
    it = iter(lines)
    while batch := list(islice(it, SLICE)):
        f.write("\n".join(batch) + "\n")
        written += len(batch)
    return written


def without_repeats(lines: Iterable[str]) -> Iterator[str]:
    """Sorted ``lines`` without the neighbours that repeat (each line once)."""
    previous = None
    for line in lines:
        if line != previous:
            yield line
            previous = line


def write_lines(path: Path, lines: Iterable[str]) -> int:
    """``lines`` written to the file ``path`` (created or truncated); the number written."""
    with Path(path).open("w", encoding="utf-8", newline="\n") as f:
        return write_batched(f, lines)


def write_sorted(path: Path, lines: list[str]) -> int:
    """``lines`` sorted in place (Python's order of strings is the byte order of their UTF-8, the
    order of ``sort`` in the C locale) and written to ``path`` each once; the number written.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "sorted.nq"
    >>> write_sorted(path, ["b", "é", "a", "b"]), path.read_text(encoding="utf-8").split()
    (3, ['a', 'b', 'é'])
    """
    lines.sort()
    return write_lines(path, without_repeats(lines))
