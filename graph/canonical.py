"""The canonical dump, sorted outside Python: a spool of unsorted lines, then ``sort``.

The build's reference output is one file of sorted, unique N-Quads lines. Holding every line
in a Python list to sort it costs about 300 bytes a line (a gigabyte at the synthetic 1x scale,
ten at 10x) and keeps the on-disk loader waiting until the sort is done. Instead the front end
writes its lines, unsorted, to a spool file as it maps them; the loader reads the spool (the
store's content does not depend on the order of the lines) while the system's ``sort`` (C, an
external merge sort in bounded memory, both cores) writes the canonical file beside it.

Byte order in the C locale is the order Python's ``sorted`` gives the same lines: UTF-8 keeps the
order of code points, and N-Quads lines hold no raw newline. Where no ``sort`` program is found,
the spool is sorted in Python, with the same result (tests compare both).

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> with Spool(folder / "lines.unsorted") as spool:
...     spool.write(['<b> <p> "2" <g> .', '<a> <p> "1" <g> .'])
...     spool.write(['<a> <p> "1" <g> .'])
>>> spool.lines
3
>>> out = sort_spool(spool.path, folder / "dump.nq")
>>> out.read_text().splitlines()
['<a> <p> "1" <g> .', '<b> <p> "2" <g> .']
"""

from __future__ import annotations

import heapq
import io
import os
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from pathlib import Path

from ingest.lines import without_repeats, write_batched, write_lines, write_sorted

#: The ``sort`` program's buffer: beyond it, it sorts runs in temporary files and merges them,
#: so its memory stays bounded at any scale.
SORT_BUFFER = "64M"


class Spool:
    """Unsorted N-Quads lines written to ``path`` slice by slice; a context manager.

    Parameters
    ----------
    path : Path
        The file to write (created, truncated).
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.lines = 0
        self._file = self.path.open("w", encoding="utf-8", newline="\n")

    def write(self, lines: list[str]) -> None:
        """Append ``lines`` (each without its newline)."""
        self.lines += write_batched(self._file, lines)

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def sort_spool(spool: Path, target: Path, *, program: str | None = "sort") -> Path:
    """Sort the lines of ``spool`` into ``target``, each line once (``spool`` stays: the loader
    may still be reading it).

    Parameters
    ----------
    spool : Path
        Unsorted lines, one per line.
    target : Path
        The sorted file to write.
    program : str or None
        The ``sort`` program; ``None`` (or a program that is not found) sorts in Python.

    Returns
    -------
    Path
        ``target``.
    """
    found = shutil.which(program) if program else None
    if found:
        tmp = target.parent
        subprocess.run([found, "-u", "-S", SORT_BUFFER, "-T", str(tmp), "-o", str(target), str(spool)],
                       check=True, env=_c_locale(), stdin=subprocess.DEVNULL)
    else:
        write_sorted(target, spool.read_text(encoding="utf-8").splitlines())
    return target


def merge_sorted(inputs: list[Path], extra: list[str], target: Path, *, program: str | None = "sort") -> Path:
    """Merge the sorted files ``inputs`` and the sorted lines ``extra`` into ``target``, each line
    once; ``target`` may be one of the inputs (it is replaced when the merge is complete).

    Parameters
    ----------
    inputs : list of Path
        Files of sorted lines (each may hold lines of the others).
    extra : list of str
        More sorted lines, without their newlines.
    target : Path
        The sorted file to write.
    program : str or None
        The ``sort`` program (``sort -m``: one pass, no sorting); ``None`` (or a program that is
        not found) merges in Python, with the same result.

    Returns
    -------
    Path
        ``target``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a").write_text("a\\nc\\n")
    >>> _ = (folder / "b").write_text("b\\nc\\n")
    >>> merge_sorted([folder / "a", folder / "b"], ["d"], folder / "a", program=None).read_text().split()
    ['a', 'b', 'c', 'd']
    """
    if not extra and inputs == [target]:
        return target
    side = target.with_name(target.name + ".extra")
    merged = target.with_name(target.name + ".merged")
    files = list(inputs)
    if extra:
        write_lines(side, extra)
        files.append(side)
    found = shutil.which(program) if program else None
    try:
        if found:
            subprocess.run([found, "-m", "-u", "-S", SORT_BUFFER, "-T", str(target.parent), "-o", str(merged),
                            *map(str, files)], check=True, env=_c_locale(), stdin=subprocess.DEVNULL)
        else:
            write_lines(merged, without_repeats(heapq.merge(*(read_lines(f) for f in files))))
        os.replace(merged, target)
    finally:
        side.unlink(missing_ok=True)
        merged.unlink(missing_ok=True)
    return target


def lines_containing_sorted(paths: list[Path], markers: Iterable[str], *, program: str | None = "grep") -> Iterator[str]:
    """The lines that contain any of ``markers`` in the sorted files ``paths``, merged in order,
    each once: what :func:`lines_containing` gives for the file :func:`merge_sorted` makes of them.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a").write_text("a x\\nc x\\nd\\n")
    >>> _ = (folder / "b").write_text("b x\\nc x\\n")
    >>> list(lines_containing_sorted([folder / "a", folder / "b"], [" x"]))
    ['a x', 'b x', 'c x']
    """
    markers = list(markers)
    if len(paths) == 1:
        return lines_containing(paths[0], markers, program=program)
    return without_repeats(heapq.merge(*(lines_containing(p, markers, program=program) for p in paths)))


def read_lines(path: Path) -> Iterator[str]:
    """The lines of ``path`` without their newlines, one at a time."""
    with path.open(encoding="utf-8") as f:
        for line in f:
            yield line.rstrip("\n")


def lines_containing(path: Path, markers: Iterable[str], *, program: str | None = "grep") -> Iterator[str]:
    """The lines of ``path`` that contain any of ``markers``, in order, without their newlines.

    The system's ``grep -F`` (fixed strings, C locale) picks them when it is there: on the H2020
    dump it passes a sixth of the lines on, and Python splits only those.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "d.nq"
    >>> _ = f.write_text("a x b\\nc y d\\ne z f\\n")
    >>> list(lines_containing(f, [" x ", " z "])), list(lines_containing(f, [" x ", " z "], program=None))
    (['a x b', 'e z f'], ['a x b', 'e z f'])
    """
    markers = list(markers)
    found = shutil.which(program) if program else None
    if not found:
        yield from (line for line in read_lines(path) if any(m in line for m in markers))
        return
    command = [found, "-F", *(arg for m in markers for arg in ("-e", m)), "--", str(path)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, env=_c_locale()) as grep:
        for line in io.TextIOWrapper(grep.stdout, encoding="utf-8"):
            yield line.rstrip("\n")
    if grep.returncode not in (0, 1):  # 1: no line matched
        raise subprocess.CalledProcessError(grep.returncode, command)


def _c_locale() -> dict[str, str]:
    """The environment with byte-order collation: the order Python gives the same lines."""
    return dict(os.environ, LC_ALL="C", LANG="C")
