"""A rebuild from the published release: its store copied, the changed lines applied, only the
nodes they touch validated again.

After one curated record changes, almost every line of the new canonical dump is already in the
published release's. Loading and validating the whole graph again costs the same as the first
build (measured with the whole H2020 export: 33 s of a 44 s build). Instead, when the published
release qualifies (:func:`reusable_release`), the build

1. compares the two canonical dumps (both sorted, :func:`changed_lines`);
2. copies the release's store as a RocksDB checkpoint (hard links, cheap at any size), drops
   the graphs no dump holds (build metadata, VoID, written-back analyses) and applies the
   removed and added lines (:func:`derive_store`);
3. validates only the focus nodes whose results can differ (:func:`focus_nodes`): the
   subjects of changed lines, and the nodes pointing to a subject whose types changed (the
   shapes' ``sh:class`` looks at a value's types). Every other node has the triples and the
   value types it had in a release that conformed to the same shapes, so its results are those
   of that release: none.

The result is the store a full build makes from the same input (tests compare them, and the
focused report with a whole validation, on broken changes too). Anything outside what this
reasoning covers falls back to the full path: no published release, a release that was not
validated or was validated with other shapes or validator code, changes to the ontology or the
country reference (class closures), blank nodes, or more than :data:`MAX_CHANGED_LINES`.
"""

from __future__ import annotations

import hashlib
import json
import os
import mmap
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ontology.namespaces import GRAPH, graph_iri
from ontology.nquads import RDF_TYPE

from .dumps import DUMP_NAME
from .shacl_report import SHAPES_FILE, ShaclError, locate_violations
from .shacl_sparql import validate_focus
from .store import PROFILES_NAME, BuildLayout

#: Beyond this many changed lines, a full load and validation is the cheaper path.
MAX_CHANGED_LINES = 50_000
#: Graphs whose change alters what the shapes mean (class closures, known countries).
FOUNDATION_GRAPHS = (graph_iri("ontology"), graph_iri("reference"))
FOUNDATION_SUFFIXES = tuple(f"<{g}> .".encode() for g in FOUNDATION_GRAPHS)


def validation_key(shapes_file: Path = SHAPES_FILE) -> str:
    """A digest of the shapes and of the validator's code (the compiler and the runner): a
    release validated under another key says nothing about which nodes conform now.

    Examples
    --------
    >>> len(validation_key())
    32
    """
    from . import shacl_compile, shacl_sparql

    digest = hashlib.sha256(Path(shapes_file).read_bytes())
    for module in (shacl_compile, shacl_sparql):
        digest.update(b"\0" + Path(module.__file__).read_bytes())
    return digest.hexdigest()[:32]


def reusable_release(layout: BuildLayout) -> Path | None:
    """The published release a rebuild can start from, or None.

    It must have been validated under the current :func:`validation_key` (its ``report.json``
    says so) and hold its store and canonical dump.
    """
    if not layout.current.exists():
        return None
    current = layout.current.resolve()
    try:
        report = json.loads((current / "report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if report.get("validation") != validation_key():
        return None
    if not (current / "dumps" / f"{DUMP_NAME}.nq").is_file() or not (current / "store").is_dir():
        return None
    return current


def changed_lines(old: Path, new: Path, limit: int = MAX_CHANGED_LINES) -> tuple[list[str], list[str]] | None:
    r"""The lines only in ``old`` (removed) and only in ``new`` (added), two sorted files; None
    when more than ``limit`` lines changed, a change touches the ontology or the reference, or
    a changed line's subject is a blank node (a query cannot name it as a focus node).

    Both files are mapped into memory and compared a block at a time (a memory comparison, a
    fraction of a second for the H2020 dump's 400 MB); only where blocks differ are lines taken
    apart and merged, in byte order, the order of the dumps. ``comm`` took 1.9 s for the same
    pair.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "old").write_text("<a> <p> <b> <g> .\n<c> <p> <d> <g> .\n")
    >>> _ = (d / "new").write_text("<a> <p> <b> <g> .\n<e> <p> <f> <g> .\n")
    >>> changed_lines(d / "old", d / "new")
    (['<c> <p> <d> <g> .'], ['<e> <p> <f> <g> .'])
    """
    removed: list[bytes] = []
    added: list[bytes] = []
    with _mapped(old) as a, _mapped(new) as b:
        for side, line in _differences(a, b):
            (added if side else removed).append(line)
            if len(removed) + len(added) > limit or line.endswith(FOUNDATION_SUFFIXES) or not line.startswith(b"<"):
                return None
    return [line.decode("utf-8") for line in removed], [line.decode("utf-8") for line in added]



@contextmanager
def _mapped(path: Path):  # noqa: ANN202 - a context manager of a bytes-like map
    with path.open("rb") as f:
        if os.fstat(f.fileno()).st_size == 0:
            yield b""
            return
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
            yield m


def _differences(a, b):  # noqa: ANN001, ANN202 - two byte buffers of sorted lines; yields (added?, line)
    i = j = 0
    block = 1 << 16
    while i < len(a) and j < len(b):
        n = min(block, len(a) - i, len(b) - j)
        if a[i:i + n] == b[j:j + n]:
            i, j, block = i + n, j + n, min(block * 2, 1 << 23)
            continue
        block = 1 << 12
        low, high = 0, n  # the first differing byte is in [low, high)
        while high - low > 1:
            mid = (low + high) // 2
            if a[i:i + mid] == b[j:j + mid]:
                low = mid
            else:
                high = mid
        start = a.rfind(b"\n", 0, i + low) + 1  # the line it is in starts alike in both
        i, j = start, j + (start - i)
        while i < len(a) and j < len(b):
            x_end, y_end = _line_end(a, i), _line_end(b, j)
            x, y = a[i:x_end], b[j:y_end]
            if x == y:
                i, j = x_end + 1, y_end + 1
                break
            if x < y:
                yield False, x
                i = x_end + 1
            else:
                yield True, y
                j = y_end + 1
    for buffer, at, side in ((a, i, False), (b, j, True)):
        for line in buffer[at:].split(b"\n"):  # only newlines end N-Quads lines, not a bare \r
            if line:
                yield side, bytes(line)


def _line_end(buffer, at: int) -> int:  # noqa: ANN001 - bytes or a memory map
    end = buffer.find(b"\n", at)
    return len(buffer) if end < 0 else end


def derive_store(previous: Path, store_dir: Path, removed: list[str], added: list[str],
                 content_graphs: set[str]) -> ox.Store:
    """A copy of ``previous``'s store with ``removed`` and ``added`` applied; only the graphs in
    ``content_graphs`` (IRIs) kept, and none left empty."""
    ox.Store.read_only(str(previous / "store")).backup(str(store_dir))
    store = ox.Store(str(store_dir))
    for g in list(store.named_graphs()):
        if isinstance(g, ox.NamedNode) and g.value not in content_graphs:
            store.remove_graph(g)
    if removed:
        for q in ox.parse(input="\n".join(removed).encode(), format=ox.RdfFormat.N_QUADS):
            store.remove(q)
    if added:
        store.load(input="\n".join(added).encode(), format=ox.RdfFormat.N_QUADS)
    for g in list(store.named_graphs()):
        if next(iter(store.quads_for_pattern(None, None, None, g)), None) is None:
            store.remove_graph(g)  # a bulk-loaded store lists no empty graph either
    store.flush()
    return store


def focus_nodes(store: ox.Store, removed: list[str], added: list[str]) -> list[str]:
    """The IRIs whose validation results can differ after the change (changed lines' subjects
    are IRIs: :func:`changed_lines`)."""
    subjects, retyped = set(), set()
    for line in removed + added:
        s, p, _ = line.split(" ", 2)
        subjects.add(s)
        if p == RDF_TYPE:
            retyped.add(s)
    if retyped:
        found = store.query(f"SELECT DISTINCT ?x WHERE {{ VALUES ?y {{ {' '.join(sorted(retyped))} }} ?x ?p ?y }}",
                            use_default_graph_as_union=True)
        subjects.update(f"<{row['x'].value}>" for row in found if isinstance(row["x"], ox.NamedNode))
    return sorted(s[1:-1] for s in subjects)


def content_graph_iris(previous: Path) -> set[str]:
    """The graphs of ``previous``'s canonical dump (its report lists them)."""
    report = json.loads((previous / "report.json").read_text(encoding="utf-8"))
    return {f"{GRAPH}{name}" for name in report.get("graphs", {})}


@dataclass
class Derived:
    """A store derived from the published release by :func:`derive_validated`."""

    store: ox.Store
    #: Lines removed or added.
    changed: int
    #: The graphs (IRIs) the changed lines are in.
    graphs: set[str]
    #: The published release's graph profiles (:func:`graph.void.graph_profiles`), if it kept them.
    previous_profiles: dict[str, dict]


def derive_validated(previous: Path, store_dir: Path, nq: Path, validate: bool,
                     timings: dict[str, float]) -> Derived | None:
    """The store of ``previous`` with the change to the canonical dump ``nq`` applied and the
    nodes it touched validated; None when the change does not qualify (module docstring).

    Raises
    ------
    ShaclError
        When a touched node violates the shapes.
    """
    t = time.perf_counter()
    delta = changed_lines(previous / "dumps" / f"{DUMP_NAME}.nq", nq)
    timings["compare"] = time.perf_counter() - t
    if delta is None:
        return None
    removed, added = delta
    t = time.perf_counter()
    store = derive_store(previous, store_dir, removed, added, content_graph_iris(previous))
    timings["derive"] = time.perf_counter() - t
    if validate:
        t = time.perf_counter()
        focus = focus_nodes(store, removed, added)
        report = validate_focus(store, focus)
        timings["shacl"] = time.perf_counter() - t
        if not report.conforms:
            located = locate_violations(report, store)
            # Closed before the error leaves: a traceback holding the store would keep RocksDB
            # writing into the staging directory while the build removes it.
            del store
            raise ShaclError(located)
    graphs = {line.rsplit(" ", 2)[-2][1:-1] for line in removed + added}
    try:
        profiles = json.loads((previous / PROFILES_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        profiles = {}
    return Derived(store, len(removed) + len(added), graphs, profiles)
