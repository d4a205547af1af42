"""``dkg build``: records -> RDF -> validated, dumped, bulk-loaded store, swapped in atomically.

Steps (each timed in the report):

1. map the configured external sources (:mod:`ingest.sources`; bad rows become rejects;
   an unchanged source comes from ``<build>/cache/sources``);
2. read and validate the records (all problems at once; :class:`ingest.records.RecordError`);
3. map records, ontology and country reference to N-Quads lines and spool them, unsorted, with
   the sources' names of cities (:mod:`graph.canonical`): no list of every line is held in
   memory; the sources' other lines come from the cache as sorted files (the parts);
4. load the spool and the parts into an in-memory store in a worker thread while ``sort``
   sorts the spool and merges it with the parts into the canonical dump (sorted, unique
   N-Quads); resolve organisations across sources from the same lines (:mod:`ingest.resolve`;
   the links join the store and the dump's merge);
   the in-memory copy is validated with SHACL compiled to SPARQL (:mod:`graph.shacl_sparql`;
   :class:`graph.shacl_report.ShaclError` when it fails) and counted per graph; then freed, and
   exactly the canonical dump is bulk-loaded into a new on-disk store;
5. describe the dataset (VoID and DCAT, :mod:`graph.void`) in ``graph/void`` and
   ``dumps/void.ttl``; add the build-metadata graph (kept out of the dumps), ``rejects.csv``
   and ``matches.csv``;
6. publish the release atomically (:meth:`graph.store.BuildLayout.publish`);
7. then, off the critical path, the TriG and per-graph Turtle dumps (:mod:`graph.dumps`): here,
   in a detached process (``dkg build`` does this), or left to ``dkg publish``.

Nothing is written outside the staging directory until step 6, so a failed or killed build
leaves the previous release as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import platform
import shutil
import time
from dataclasses import dataclass, field
from functools import partial
from importlib.metadata import version
from pathlib import Path

import pyoxigraph as ox

from ingest.csvsafe import spreadsheet_safe
from ingest.resolve import write_matches
from ingest.sources import SourceResult
from ontology import ONTOLOGY_DIR
from ontology.namespaces import DCTERMS, GRAPH, PROV, RDFS, SCHEMA, graph_iri
from ontology.nquads import RDF_TYPE, XSD_DATETIME, XSD_INTEGER, iri, literal, quad

from .dumps import DERIVED_MODES, DUMP_NAME, resolve_mode, start_background, write_derived
from .forked import run_in_child
from .front_end import (FORK_FRONT_END_FROM_BYTES, PARTS_NAME, SPOOL_NAME, generate_lines, input_bytes,
                        lines_from_records, map_input, map_sources)
from .loading import validated_store
from .rebuild import reusable_release, validation_key
from .store import DEFAULT_BUILD_DIR, BuildLayout, new_release_id
from .validate import ENGINES

__all__ = ["build", "BuildResult", "build_metadata_quads", "PAUSE_ENV",
           # the front end's, used with the build's (graph.front_end)
           "generate_lines", "lines_from_records", "map_sources"]

#: Set to a number of seconds to pause just before the release is swapped in (used by the
#: test that kills a build midway; never set in normal use).
PAUSE_ENV = "DKG_TEST_PAUSE_BEFORE_SWAP"


@dataclass
class BuildResult:
    release: Path
    layout: BuildLayout
    triples: int
    records: int
    graphs: dict[str, int]
    timings: dict[str, float] = field(default_factory=dict)
    sources: list[SourceResult] = field(default_factory=list)
    resolution: dict[str, int] = field(default_factory=dict)
    exit_code: int = 0
    #: When the TriG and Turtle dumps were written (graph.dumps.DERIVED_MODES).
    derived: str = "after"
    #: Lines removed or added when the store was derived from the published release
    #: (:mod:`graph.rebuild`); None after a full load.
    changed: int | None = None
    #: :func:`graph.rebuild.validation_key` of the shapes and validator that checked this
    #: release; None when it was not validated.
    validation: str | None = None

    def summary(self) -> str:
        total = self.timings.get("total", 0.0)
        graphs = ", ".join(f"{g} {n}" for g, n in self.graphs.items())
        lines = [f"built {self.triples} triples from {self.records} records in {total:.2f} s ({graphs})"]
        for r in self.sources:
            if r.skipped:
                lines.append(f"  source {r.name}: skipped, {r.skipped}")
            else:
                counts = ", ".join(f"{k} {v}" for k, v in r.counts.items())
                lines.append(f"  source {r.name}: {counts}; {len(r.rejects)} reject(s)")
                lines += [f"    {r.name}/{ledger}" for ledger in r.ledgers]
        if self.changed is not None:
            lines.append("  rebuilt from the published release: " + (
                f"{self.changed} changed line(s) applied, the nodes they touch validated" if self.changed
                else "no line changed"))
        if self.resolution:
            counts = ", ".join(f"{k} {v}" for k, v in self.resolution.items())
            lines.append(f"  resolution: {counts}; evidence in {self.layout.current}/matches.csv")
        if any(r.rejects for r in self.sources) or (self.layout.current / "rejects.csv").exists():
            lines.append(f"  rejects: {self.layout.current}/rejects.csv (file, line, field, value, reason)")
        derived = {"after": f"{DUMP_NAME}.trig, <graph>.ttl",
                   "background": f"{DUMP_NAME}.trig and <graph>.ttl being written in the background",
                   "none": "no TriG or Turtle (dkg publish writes them)"}[self.derived]
        lines.append(f"  store: {self.layout.store}\n  dumps: {self.layout.dumps}/{DUMP_NAME}.nq (canonical), {derived}")
        return "\n".join(lines)


def build(records_dir: Path | str, out_dir: Path | str = DEFAULT_BUILD_DIR, *,
          shacl: str | None = "oxigraph", sources: Path | str | None = None, derived: str = "after") -> BuildResult:
    """Build the graph from ``records_dir`` and the sources configured in ``sources`` (a TOML
    file, :mod:`ingest.sources`) into ``out_dir``; see the module docstring.

    ``shacl`` names the SHACL engine (:data:`graph.validate.ENGINES`) or is ``None`` to skip
    validation (benchmarks only). The ``oxigraph`` engine validates the loaded staging store;
    ``pyshacl`` validates the lines in memory before anything is written. ``derived`` says when
    the TriG and Turtle dumps are written (:data:`graph.dumps.DERIVED_MODES`): after the swap,
    here (``after``), in a detached process (``background``), not at all (``none``), or by the
    dump's size (``auto``); never before ``current`` points to the new release.
    """
    if derived not in DERIVED_MODES:
        raise ValueError(f"unknown derived-dumps mode {derived!r}; choose one of {', '.join(DERIVED_MODES)}")
    if shacl is not None and shacl not in ENGINES:
        raise ValueError(f"unknown SHACL engine {shacl!r}; choose one of {', '.join(ENGINES)}")
    started = dt.datetime.now(dt.timezone.utc)
    wall = time.perf_counter()
    timings: dict[str, float] = {}
    layout = BuildLayout(out_dir)
    layout.check()  # before any work: a build that cannot publish must not start
    layout.root.mkdir(parents=True, exist_ok=True)
    layout.remove_stale_staging()
    release_id = new_release_id(started)
    staging = layout.new_staging(release_id)
    staged = None
    try:
        spool = staging / SPOOL_NAME
        front_end = partial(map_input, records_dir, sources, layout.root / "cache" / "sources", spool)
        n_records, source_results, front_timings = run_in_child(
            front_end, fork=input_bytes(records_dir, sources) >= FORK_FRONT_END_FROM_BYTES)
        timings.update(front_timings)
        parts = [r.lines_file for r in source_results if r.lines_file is not None]
        staged = validated_store(staging, spool, parts, source_results, records_dir, shacl, timings, reusable_release(layout))
        shutil.rmtree(staging / PARTS_NAME, ignore_errors=True)  # merged into the dump and loaded
        for r in source_results:
            r.lines_file = None
        result = BuildResult(staging, layout, sum(staged.graphs.values()), n_records, staged.graphs, timings,
                             source_results, changed=staged.changed, validation=validation_key() if shacl else None)
        _write_rejects_and_matches(result, staged.resolved, staging)
        timings["total"] = time.perf_counter() - wall
        meta = build_metadata_quads(result, started, Path(records_dir))
        staged.store.load(input="\n".join(meta + staged.description) + "\n", format=ox.RdfFormat.N_QUADS)
        staged.store.flush()
        staged.store = None  # closes the store before its release is published
        _write_report(result, staging / "report.json", started)
        pause = float(os.environ.get(PAUSE_ENV, "0") or 0)
        if pause:
            time.sleep(pause)
        result.release = layout.publish(staging, release_id)
    except BaseException:
        if staged is not None:
            staged.store = None  # closes the store before its directory is removed
        _remove(staging)
        raise
    _derived_dumps(result, derived)
    return result


def _remove(staging: Path) -> None:
    """The staging directory removed, and checked to be gone.

    The build drops its references to the staging store before this, but an error raised from
    inside a store's own code keeps that frame, and the store, alive in its traceback while
    RocksDB may still finish a background write; ``rmtree`` then leaves the directory. Observed
    once in the test suite before the stores were dropped; a few tries cover what is left.
    """
    for attempt in range(5):
        shutil.rmtree(staging, ignore_errors=True)
        if not staging.exists():
            return
        time.sleep(0.05 * (attempt + 1))


def _derived_dumps(result: BuildResult, derived: str) -> None:
    """TriG and Turtle, off the critical path: ``current`` already points to the new release."""
    derived = result.derived = resolve_mode(derived, result.release)
    if derived == "after":
        t = time.perf_counter()
        write_derived(result.release)
        result.timings["derived-dumps"] = time.perf_counter() - t
    elif derived == "background":
        start_background(result.release)


def _write_rejects_and_matches(result: BuildResult, resolved: object, staging: Path) -> None:
    """``rejects.csv`` (sources' and resolution's rejects) and ``matches.csv`` (the merges)."""
    source_results = result.sources
    if any(r.rejects for r in source_results) or (resolved and resolved.problems):
        _write_rejects(source_results + ([SourceResult("resolution", rejects=resolved.problems)] if resolved else []),
                       staging / "rejects.csv")
    if resolved is not None:
        # Spellings a source wrote several ways (joined by its adapter) come first, then the
        # merges across sources.
        write_matches([m for r in source_results for m in r.matches] + resolved.matches, staging / "matches.csv")
        result.resolution = resolved.counts


def _write_report(result: BuildResult, path: Path, started: dt.datetime) -> None:
    """``report.json``: counts, timings, each source's ledgers, the resolution."""
    path.write_text(json.dumps(
        {"triples": result.triples, "records": result.records, "graphs": result.graphs, "timings_s": result.timings,
         "sources": {r.name: {"counts": r.counts, "rejects": len(r.rejects), "skipped": r.skipped,
                              "rows": [ledger.as_dict() for ledger in r.ledgers]}
                     for r in result.sources},
         "resolution": result.resolution, "validation": result.validation, "changed_lines": result.changed,
         "started": started.isoformat()}, indent=2) + "\n", encoding="utf-8")


def _write_rejects(results: list[SourceResult], path: Path) -> None:
    """Every rejected row or field of every source: source, file, line, field, value, reason."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["source", "file", "line", "field", "value", "reason"])
        for r in results:
            for p in r.rejects:
                writer.writerow([spreadsheet_safe(v) for v in (r.name, p.file, p.line, p.field, p.value, p.message)])


def build_metadata_quads(result: BuildResult, started: dt.datetime, records_dir: Path) -> list[str]:
    """Run metadata (times, versions, counts) in the ``build`` graph, which dumps leave out."""
    g = iri(graph_iri("build"))
    run = iri(f"{GRAPH}build/run")
    ended = dt.datetime.now(dt.timezone.utc)
    software = ", ".join(f"{p} {version(p)}" for p in ("democracy-kg", "pyoxigraph", "rdflib", "pyshacl"))
    out = [
        quad(run, RDF_TYPE, iri(str(PROV.Activity)), g),
        quad(run, iri(str(RDFS.label)), literal("dkg build", lang="en"), g),
        quad(run, iri(str(PROV.startedAtTime)), literal(started.isoformat(), XSD_DATETIME), g),
        quad(run, iri(str(PROV.endedAtTime)), literal(ended.isoformat(), XSD_DATETIME), g),
        quad(run, iri(str(SCHEMA.softwareVersion)), literal(f"{software}; Python {platform.python_version()}"), g),
        quad(run, iri(str(DCTERMS.description)), literal(f"records from {records_dir.name}/, ontology from {ONTOLOGY_DIR.name}/", lang="en"), g),
        quad(run, iri(str(SCHEMA.size)), literal(str(result.triples), XSD_INTEGER), g),
    ]
    for name in result.graphs:
        out.append(quad(iri(graph_iri(name)), iri(str(PROV.wasGeneratedBy)), run, g))
    return out
