"""Derived dumps: the dataset as TriG and each named graph as Turtle, written off the build's critical path.

The canonical N-Quads dump (``dumps/democracy-kg.nq``) is the build's reference output: sorted,
line-diffable, and exactly what is bulk-loaded. TriG and per-graph Turtle say the same thing in
other syntaxes, so a build does not wait for them before it swaps ``current``: they are written
from the canonical file afterwards, into the release's ``dumps/`` folder, each file whole (a
temporary file, then a rename), and ``dumps/.derived-complete`` marks the end.

:func:`write_derived` writes them in this process; :func:`start_background` hands them to a
detached process (what ``dkg build`` does by default), and :func:`ensure_derived` is what a
reader that needs them calls (``dkg publish``): it writes whatever is missing.

Oxigraph writes TriG and Turtle in its index order (by hashes of the terms, not alphabetical):
fixed for a given content, so the files are byte-identical across builds.

Examples
--------
>>> import tempfile
>>> release = Path(tempfile.mkdtemp())
>>> (release / "dumps").mkdir()
>>> _ = (release / "dumps" / "democracy-kg.nq").write_text(
...     '<http://ex/a> <http://ex/p> "x" <https://w3id.org/democracy-kg/graph/curated> .\\n')
>>> [p.name for p in write_derived(release)]
['democracy-kg.trig', 'curated.ttl']
>>> is_complete(release)
True
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from ingest.files import replacing
from ontology.namespaces import GRAPH, PREFIXES

__all__ = ["DUMP_NAME", "DERIVED_MODES", "write_derived", "start_background", "ensure_derived", "is_complete",
           "is_pending"]

DUMP_NAME = "democracy-kg"
#: When a build writes the derived dumps: after the swap in the build's own process, in a
#: detached process, or not at all (a reader calls :func:`ensure_derived`); ``auto`` (what
#: ``dkg build`` does) is ``after`` for a canonical dump up to :data:`IN_PROCESS_BYTES`, else
#: ``background``: a small graph's dumps take less time than starting a process.
DERIVED_MODES = ("auto", "after", "background", "none")
IN_PROCESS_BYTES = 64 << 20
COMPLETE = ".derived-complete"
#: Left by :func:`start_background`: a writer was asked for, so a release derived from this one
#: (``dkg analyse --write-back``) asks for one too.
PENDING = ".derived-pending"


def resolve_mode(mode: str, release: Path | str) -> str:
    """``mode``, with ``auto`` decided by the size of ``release``'s canonical dump.

    Examples
    --------
    >>> release = demo_build() / "current"  # the shipped records: a few hundred kilobytes
    >>> resolve_mode("auto", release), resolve_mode("none", release)
    ('after', 'none')
    """
    if mode != "auto":
        return mode
    size = (Path(release) / "dumps" / f"{DUMP_NAME}.nq").stat().st_size
    return "after" if size <= IN_PROCESS_BYTES else "background"


def is_complete(release: Path) -> bool:
    """Whether every derived dump of ``release`` has been written."""
    return (Path(release) / "dumps" / COMPLETE).exists()


def is_pending(release: Path) -> bool:
    """Whether a background writer was asked for and has not finished."""
    dumps = Path(release) / "dumps"
    return (dumps / PENDING).exists() and not (dumps / COMPLETE).exists()


def write_derived(release: Path | str) -> list[Path]:
    """Write the TriG of the whole dataset and one Turtle file per named graph of ``release``.

    They are written from the canonical N-Quads file, loaded into an in-memory store (Oxigraph's
    own loader and serialisers, Rust end to end).

    Parameters
    ----------
    release : path
        A release directory (``build/current``) with ``dumps/democracy-kg.nq``.

    Returns
    -------
    list of Path
        The files written: the TriG first, then the Turtle files by graph name.
    """
    dumps = Path(release) / "dumps"
    memory = ox.Store()
    memory.bulk_load(path=str(dumps / f"{DUMP_NAME}.nq"), format=ox.RdfFormat.N_QUADS)
    written = [_dump(memory, dumps / f"{DUMP_NAME}.trig", ox.RdfFormat.TRIG)]
    for graph in sorted(memory.named_graphs(), key=lambda g: g.value):
        name = graph.value.removeprefix(str(GRAPH))
        written.append(_dump(memory, dumps / f"{name}.ttl", ox.RdfFormat.TURTLE, graph))
    (dumps / COMPLETE).touch()
    return written


def _dump(store: ox.Store, path: Path, rdf_format: ox.RdfFormat, graph: ox.NamedNode | None = None) -> Path:
    with replacing(path) as temp:
        if graph is None:
            store.dump(str(temp), rdf_format, prefixes=dict(PREFIXES))
        else:
            store.dump(str(temp), rdf_format, from_graph=graph, prefixes=dict(PREFIXES))
    return path


#: How much the background writer lowers its priority (``nice``): the TriG and Turtle are derived
#: files nobody waits for, while the user's next command (``dkg analyse`` straight after the
#: build) is; on two cores the writer otherwise takes one of them from it.
BACKGROUND_NICENESS = 10

def start_background(release: Path | str) -> subprocess.Popen:
    """Write the derived dumps of ``release`` in a detached process; returns it (nobody need wait).

    Parameters
    ----------
    release : path
        A published release directory.

    Returns
    -------
    subprocess.Popen
        The writer. It outlives the process that started it; a failure is written to
        ``dumps/.derived-failed`` and leaves the canonical dump, and the release, as they were.
    """
    (Path(release) / "dumps" / PENDING).touch()
    nice = shutil.which("nice")  # coreutils; without it the writer runs at the usual priority
    lowered = [nice, "-n", str(BACKGROUND_NICENESS)] if nice else []
    return subprocess.Popen([*lowered, sys.executable, "-m", "graph.dumps", str(release)], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def ensure_derived(release: Path | str, wait: float = 0.0) -> bool:
    """Make sure the derived dumps of ``release`` exist: wait up to ``wait`` seconds for a
    background writer, then write whatever is still missing here.

    Parameters
    ----------
    release : path
        A release directory.
    wait : float
        Seconds to wait for a writer already running before writing here.

    Returns
    -------
    bool
        True when they were complete already (or a writer finished them meanwhile).

    Examples
    --------
    >>> import tempfile
    >>> release = Path(tempfile.mkdtemp())
    >>> (release / "dumps").mkdir()
    >>> _ = (release / "dumps" / "democracy-kg.nq").write_text("")
    >>> ensure_derived(release), ensure_derived(release)
    (False, True)
    """
    deadline = time.monotonic() + wait
    while not is_complete(Path(release)) and time.monotonic() < deadline:
        time.sleep(0.1)
    if is_complete(Path(release)):
        return True
    write_derived(release)
    return False


if __name__ == "__main__":  # python -m graph.dumps RELEASE: the background writer
    target = Path(sys.argv[1])
    try:
        write_derived(target)
    except Exception as err:  # noqa: BLE001 - a detached writer has nobody to raise to
        try:
            (target / "dumps" / ".derived-failed").write_text(f"{type(err).__name__}: {err}\n", encoding="utf-8")
        except OSError:
            pass  # the release was pruned meanwhile: nothing left to describe
        sys.exit(1)
