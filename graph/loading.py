"""The build's stores: the in-memory copy that is validated, then the on-disk store that is published.

At no time do both hold the dataset: the in-memory copy is loaded (while ``sort`` writes the
canonical dump beside it), validated with SHACL compiled to SPARQL and counted, then freed; only
then is the canonical dump bulk-loaded into the on-disk store. Measured at the synthetic 1x
scale (3.3M quads), loading both at once peaked at 3.3 GB against 1.6 GB for the on-disk load
alone; one after the other the build peaks near the on-disk load's own peak.

The in-memory copy grows with the data (0.4 KB a quad) while the on-disk load's peak hardly does,
so beyond :data:`MEMORY_COPY_UP_TO_BYTES` of input there is no copy: the on-disk store is loaded
beside the sort and validated itself, slower per quad but within the load's own peak.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

import pyoxigraph as ox

from ingest.resolve import FACT_MARKERS, RESOLUTION_FILE, resolve
from ingest.sources import SourceResult
from ontology.namespaces import GRAPH

from .canonical import lines_containing_sorted, merge_sorted, read_lines, sort_spool
from .memory import release_free_memory
from .dumps import DUMP_NAME
from .rebuild import derive_validated
from .shacl_report import ShaclError, locate_violations
from .shacl_sparql import validate_store
from .store import PROFILES_NAME
from .validate import validate_lines
from .void import describe_dataset, graph_profiles, write_void_turtle


@dataclass
class Staged:
    """What :func:`validated_store` made in the staging release."""

    #: The on-disk store (set to None to close it).
    store: ox.Store | None
    #: The canonical dump.
    nq: Path
    #: The resolution across sources (:class:`ingest.resolve.Resolution`), or None.
    resolved: object
    #: Triples per content graph.
    graphs: dict[str, int]
    #: The VoID description's quads.
    description: list[str]
    #: Lines removed or added, when the store was derived from the published release.
    changed: int | None = None


#: Up to how many bytes of N-Quads (the spool and the parts, repeats included) the build loads
#: and validates an in-memory copy before the on-disk store. The copy costs about 1.7 bytes of
#: memory a byte of N-Quads (0.4 KB a quad) while the on-disk load's peak hardly grows with the
#: data (1.6 GB at the synthetic 1x scale, 1.8 GB at 3x): beyond this the copy alone would pass
#: 1.5 times that peak. A larger input is loaded on disk straight away and validated there, at
#: about three times the CPU of the in-memory checks but the load's own peak (measured in
#: docs/architecture.md, "Validation on disk beyond a size").
MEMORY_COPY_UP_TO_BYTES = 1_200_000_000


def validated_store(staging: Path, spool: Path, parts: list[Path], source_results: list[SourceResult],
                    records_dir: Path | str, shacl: str | None, timings: dict[str, float],
                    previous: Path | None = None) -> Staged:
    """The staging release's on-disk store, validated, with its canonical dump and description,
    from the unsorted ``spool`` and the sorted ``parts`` (sources' lines kept by the cache).

    With ``previous`` (:func:`graph.rebuild.reusable_release`), a copy of its store with the
    changed lines applied, if the change qualifies (:func:`graph.rebuild.derive_validated`).
    Otherwise, up to :data:`MEMORY_COPY_UP_TO_BYTES` of input, the in-memory copy is loaded,
    validated and freed, then the on-disk store loaded; beyond, the on-disk store is loaded and
    validated itself.
    """
    dumps = staging / "dumps"
    in_memory = previous is None and sum(p.stat().st_size for p in (spool, *parts)) <= MEMORY_COPY_UP_TO_BYTES
    on_disk = previous is None and not in_memory
    loaded = ox.Store() if in_memory else ox.Store(str(staging / "store")) if on_disk else None
    nq, resolved = sort_and_resolve(spool, parts, dumps, source_results, records_dir, timings, loaded,
                                    "memory" if in_memory else "load")
    if shacl == "pyshacl":
        _pyshacl_check(nq, timings)
    if on_disk:
        if shacl == "oxigraph":
            _check(loaded, timings)
        return Staged(loaded, nq, resolved, *describe(loaded, nq, timings))
    memory = loaded
    if previous is not None:
        derived = derive_validated(previous, staging / "store", nq, shacl == "oxigraph", timings)
        if derived is not None:
            kept = {g: p for g, p in derived.previous_profiles.items() if g not in derived.graphs}
            return Staged(derived.store, nq, resolved, *describe(derived.store, nq, timings, kept),
                          changed=derived.changed)
        t = time.perf_counter()
        memory = ox.Store()
        memory.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
        timings["memory"] = time.perf_counter() - t
    if shacl == "oxigraph":
        _check(memory, timings)
    graphs, description = describe(memory, nq, timings)
    del memory, loaded  # before the on-disk loader takes its share of memory
    return Staged(load_on_disk(staging / "store", nq, timings), nq, resolved, graphs, description)


def sort_and_resolve(spool: Path, parts: list[Path], dumps: Path, source_results: list[SourceResult],
                     records_dir: Path | str, timings: dict[str, float],
                     store: ox.Store | None = None, timing: str = "memory") -> tuple[Path, object]:
    """The canonical dump: the unsorted ``spool`` sorted and merged with the sorted ``parts`` and
    the links of organisations resolved across sources from them; returns the dump and the
    resolution (or None). The spool is removed (the parts are the caller's).

    A source kept by the cache arrives sorted (:func:`ingest.sources.cache.cached_map_source`),
    so after one curated record changed only the curated lines are sorted again, and one merge
    (``sort -m``, C) writes the dump: its 1.5 million CORDIS lines are never read into Python.

    With ``store`` (in memory or on disk), two cores, two jobs: Oxigraph's loader (Rust,
    in a worker thread, without the GIL) reads the spool and the parts into it, whose order does
    not matter to a store, while ``sort`` writes the canonical file and resolution reads it (1.5 s
    of Python with the whole H2020 export). The resolution's few lines join the store when it is
    loaded. ``timing`` names the loader's step in ``timings``.
    """
    dumps.mkdir()
    nq = dumps / f"{DUMP_NAME}.nq"
    t = time.perf_counter()
    resolved, links = None, []
    with ThreadPoolExecutor(max_workers=1) as pool:
        loading = pool.submit(_load_files, store, [spool, *parts]) if store is not None else None
        try:
            own = sort_spool(spool, nq if not parts else spool.with_name(spool.name + ".sorted"))
            timings["sort"] = time.perf_counter() - t
            begun = time.perf_counter()
            if any(not r.skipped for r in source_results):
                # Link the same organisation across sources; the links go to graph/resolution.
                resolved = resolve(lines_containing_sorted([own, *parts], FACT_MARKERS),  # only the lines it reads
                                   ["curated"] + [r.name for r in source_results], Path(records_dir) / RESOLUTION_FILE)
                links = sorted(set(resolved.lines))
                timings["resolve"] = time.perf_counter() - begun
            begun = time.perf_counter()
            merge_sorted([own, *parts], links, nq)  # own is the dump itself when there are no parts
            timings["merge"] = time.perf_counter() - begun
        finally:
            # Never leave the loader running into the staging clean-up (and never let its
            # error, if any, hide the one already raised here).
            if loading is not None:
                wait([loading])
                timings[timing] = time.perf_counter() - t
        if loading is not None:
            loading.result()
    spool.unlink()
    if own != nq:
        own.unlink()
    if links and store is not None:
        store.load(input="\n".join(links) + "\n", format=ox.RdfFormat.N_QUADS)
    return nq, resolved


def _load_files(store: ox.Store, paths: list[Path]) -> None:
    """Every file of ``paths`` bulk-loaded into ``store``, one after the other."""
    for path in paths:
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)


def _check(store: ox.Store, timings: dict[str, float]) -> None:
    """SHACL on the in-memory copy, or on the on-disk store beyond :data:`MEMORY_COPY_UP_TO_BYTES`:
    Oxigraph answers the validation queries in memory at about three times the speed of RocksDB
    (measured at the synthetic 1x scale: 17.5 CPU s against 36 to 54)."""
    t = time.perf_counter()
    report = validate_store(store)
    timings["shacl"] = time.perf_counter() - t
    if not report.conforms:
        raise ShaclError(locate_violations(report, store))


def _pyshacl_check(nq: Path, timings: dict[str, float]) -> None:
    """The reference engine on the canonical lines (small graphs and tests only: it is slow)."""
    t = time.perf_counter()
    report = validate_lines(list(read_lines(nq)), "pyshacl")
    timings["shacl"] = time.perf_counter() - t
    if not report.conforms:
        raise ShaclError(report)


def describe(store: ox.Store, nq: Path, timings: dict[str, float],
             kept: dict[str, dict] | None = None) -> tuple[dict[str, int], list[str]]:
    """The triples per graph and the VoID description's quads (also written to ``void.ttl``);
    each graph's profile (:func:`graph.void.graph_profiles`) is kept in the release's
    ``profiles.json``. ``kept`` holds the profiles of graphs known unchanged (a rebuild's)."""
    dumps = nq.parent
    t = time.perf_counter()
    present = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    profiles = {g: p for g, p in (kept or {}).items() if g in present}
    profiles.update(graph_profiles(store, [g for g in present if g not in profiles]) if profiles else graph_profiles(store))
    graphs = {g.removeprefix(str(GRAPH)): profiles[g]["triples"] for g in present if g in profiles}
    (dumps.parent / PROFILES_NAME).write_text(json.dumps(profiles, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    timings["statistics"] = time.perf_counter() - t
    t = time.perf_counter()
    description = describe_dataset(store, dumps, list(graphs), profiles)
    write_void_turtle(description, dumps / "void.ttl")
    timings["void"] = time.perf_counter() - t
    return graphs, description


def load_on_disk(store_dir: Path, nq: Path, timings: dict[str, float]) -> ox.Store:
    """A new on-disk store holding exactly the canonical dump ``nq``.

    Lenient (no second check of IRIs and language tags, about 10% faster): the in-memory copy
    parsed these very lines strictly.
    """
    release_free_memory()  # what the in-memory copy held, before the loader takes its share
    t = time.perf_counter()
    store = ox.Store(str(store_dir))
    store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS, lenient=True)
    timings["load"] = time.perf_counter() - t
    return store
