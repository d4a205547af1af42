"""``dkg build``: records -> RDF -> validated, dumped, bulk-loaded store, swapped in atomically.

Steps (each timed in the report):

1. map the configured external sources (:mod:`ingest.sources`; bad rows become rejects);
2. read and validate the records (all problems at once; :class:`ingest.records.RecordError`);
3. map records, ontology and country reference to N-Quads lines with the sources' lines; sort
   and de-duplicate them; resolve organisations across sources (:mod:`ingest.resolve`);
4. write the canonical dump (sorted N-Quads); bulk-load exactly that file into a new on-disk
   store in a worker thread while an in-memory copy is validated with SHACL compiled to SPARQL
   (:mod:`graph.shacl_sparql`; :class:`graph.shacl_report.ShaclError` when it fails) and
   counted per graph;
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
import heapq
import json
import os
import platform
import shutil
import time
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import pyoxigraph as ox

from ingest.csvsafe import spreadsheet_safe
from ingest.mapping import ontology_quads, record_quads
from ingest.records import RecordSet, require_records
from ingest.resolve import RESOLUTION_FILE, resolve, write_matches
from ingest.sources import SourceResult, load_config, map_source
from ingest.sources.cache import cached_map_source, code_digest
from ontology import ONTOLOGY_DIR
from ontology.countries import reference_quads
from ontology.namespaces import DCTERMS, GRAPH, ID, PROV, RDFS, SCHEMA, SKOS, graph_iri
from ontology.nquads import RDF_TYPE, XSD_DATETIME, XSD_INTEGER, iri, literal, quad
from ontology.vocab import Vocabularies, load_vocabularies

from .dumps import DERIVED_MODES, DUMP_NAME, resolve_mode, start_background, write_derived
from .shacl_report import ShaclError
from .shacl_sparql import validate_store
from .store import DEFAULT_BUILD_DIR, BuildLayout, new_release_id
from .validate import ENGINES, validate_lines
from .void import describe_dataset, graph_statistics, write_void_turtle

#: Lines joined per write of the canonical dump.
DUMP_SLICE = 100_000
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


def generate_lines(records_dir: Path | str, timings: dict[str, float] | None = None,
                   sources: list[SourceResult] | None = None) -> tuple[list[str], int]:
    """Validated records, ontology, reference data and mapped sources as sorted, unique N-Quads lines."""
    timings = {} if timings is None else timings
    t = time.perf_counter()
    vocab = load_vocabularies()
    records = require_records(records_dir, vocab)
    timings["records"] = time.perf_counter() - t
    t = time.perf_counter()
    lines = lines_from_records(records, vocab, [line for s in sources or () for line in s.lines])
    timings["map"] = time.perf_counter() - t
    return lines, len(records)


def map_sources(config_file: Path | str | None, timings: dict[str, float] | None = None,
                cache_dir: Path | None = None) -> list[SourceResult]:
    """Map every source configured in ``config_file`` (none when it is ``None``); with
    ``cache_dir``, a source whose configuration, files and mapping code are unchanged since an
    earlier build is taken from there (:mod:`ingest.sources.cache`)."""
    if config_file is None:
        return []
    t = time.perf_counter()
    vocab = load_vocabularies()
    code = code_digest() if cache_dir is not None else None
    results = [cached_map_source(config, vocab, cache_dir, map_source, code) for config in load_config(config_file)]
    if timings is not None:
        timings["sources"] = time.perf_counter() - t
    return results


def lines_from_records(records: RecordSet, vocab: Vocabularies | None = None, extra: list[str] | None = None) -> list[str]:
    """Already validated records, plus ontology, reference data and ``extra`` lines (mapped
    sources), as sorted unique N-Quads lines."""
    lines = record_quads(records, vocab or load_vocabularies(), "curated")
    lines += _curated_city_names_first(lines, extra or [])
    lines += ontology_quads()
    lines += reference_quads()
    # Sort in place and drop neighbours that repeat: no second copy or hash set of every line.
    lines.sort()
    return [line for i, line in enumerate(lines) if not i or line != lines[i - 1]]


def _curated_city_names_first(curated: list[str], extra: list[str]) -> list[str]:
    """``extra`` (mapped sources) with their names of curated cities turned into alternative names.

    Every source mints a city as ``id/city/<country>-<name>``, so the curated Gdańsk and CORDIS's
    GDANSK are one node; the curated name stays its one ``rdfs:label`` (questions and maps show
    one name per city) and the sources' spellings become ``skos:altLabel`` in their own graphs.
    """
    label, alt = f" {iri(str(RDFS.label))} ", f" {iri(str(SKOS.altLabel))} "
    city = iri(str(ID["city/"]))[:-1]
    named = {line.split(" ", 1)[0] for line in curated if line.startswith(city) and label in line}
    if not named:
        return extra
    return [line.replace(label, alt, 1) if line.startswith(city) and label in line and line.split(" ", 1)[0] in named
            else line for line in extra]


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
    lines, n_records, source_results, resolved = _front_end(records_dir, sources, timings,
                                                            layout.root / "cache" / "sources")
    if shacl == "pyshacl":
        t = time.perf_counter()
        report = validate_lines(lines, "pyshacl")
        timings["shacl"] = time.perf_counter() - t
        if not report.conforms:
            raise ShaclError(report)

    release_id = new_release_id(started)
    staging = layout.new_staging(release_id)
    try:
        t = time.perf_counter()
        nq = _write_canonical_dump(lines, staging / "dumps")
        del lines  # the file holds them now; free the memory before the loader takes its share
        timings["dump"] = time.perf_counter() - t
        store = ox.Store(str(staging / "store"))
        graphs, description = _load_and_check(store, nq, shacl, timings)
        result = BuildResult(staging, layout, sum(graphs.values()), n_records, graphs, timings, source_results)
        _write_rejects_and_matches(result, resolved, staging)
        timings["total"] = time.perf_counter() - wall
        meta = build_metadata_quads(result, started, Path(records_dir))
        store.load(input="\n".join(meta + description) + "\n", format=ox.RdfFormat.N_QUADS)
        store.flush()
        del store
        _write_report(result, staging / "report.json", started)
        pause = float(os.environ.get(PAUSE_ENV, "0") or 0)
        if pause:
            time.sleep(pause)
        result.release = layout.publish(staging, release_id)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _derived_dumps(result, derived)
    return result


def _derived_dumps(result: BuildResult, derived: str) -> None:
    """TriG and Turtle, off the critical path: ``current`` already points to the new release."""
    derived = result.derived = resolve_mode(derived, result.release)
    if derived == "after":
        t = time.perf_counter()
        write_derived(result.release)
        result.timings["derived-dumps"] = time.perf_counter() - t
    elif derived == "background":
        start_background(result.release)


def _front_end(records_dir: Path | str, sources: Path | str | None, timings: dict[str, float],
               cache_dir: Path | None = None) -> tuple[list[str], int, list[SourceResult], object]:
    """Records and sources mapped, resolved across sources: sorted unique N-Quads lines, the
    number of records, each source's result and the resolution (None without sources)."""
    source_results = map_sources(sources, timings, cache_dir)
    lines, n_records = generate_lines(records_dir, timings, source_results)
    for r in source_results:
        r.lines = []  # merged into `lines`; free them
    resolved = None
    if any(not r.skipped for r in source_results):
        # Link the same organisation across sources; the links go to graph/resolution, merged
        # into the sorted lines without sorting them again.
        t = time.perf_counter()
        resolved = resolve(lines, ["curated"] + [r.name for r in source_results], Path(records_dir) / RESOLUTION_FILE)
        lines = list(heapq.merge(lines, sorted(set(resolved.lines))))
        timings["resolve"] = time.perf_counter() - t
    return lines, n_records, source_results, resolved


def _write_canonical_dump(lines: list[str], dumps: Path) -> Path:
    """The canonical N-Quads file: exactly the lines that are bulk-loaded."""
    dumps.mkdir()
    nq = dumps / f"{DUMP_NAME}.nq"
    with nq.open("w", encoding="utf-8", newline="\n") as f:
        # In slices: one "\n".join of every line would copy the whole dataset once more in memory
        # (780 MB at the synthetic 1x scale) for the time of the write.
        for start in range(0, len(lines), DUMP_SLICE):
            f.write("\n".join(lines[start:start + DUMP_SLICE]))
            f.write("\n")
    return nq


def _load_and_check(store: ox.Store, nq: Path, shacl: str | None,
                    timings: dict[str, float]) -> tuple[dict[str, int], list[str]]:
    """Bulk-load ``nq`` into ``store`` while an in-memory copy is validated and dumped; returns
    the triples per graph and the VoID description's quads.

    Two cores, two jobs (both Rust code that releases the GIL): a worker thread bulk-loads the
    canonical file into the on-disk store, while this thread loads the same file into an
    in-memory store, validates it with SHACL and writes the Turtle dumps from it. RocksDB answers
    the validation queries' index lookups several times slower than the in-memory store, and
    dumping from memory avoids a second parse of the file in Python.
    """
    dumps = nq.parent
    t = time.perf_counter()
    with ThreadPoolExecutor(max_workers=1) as pool:
        loading = pool.submit(store.bulk_load, path=str(nq), format=ox.RdfFormat.N_QUADS)
        try:
            memory = ox.Store()
            memory.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
            timings["memory"] = time.perf_counter() - t
            if shacl == "oxigraph":
                t = time.perf_counter()
                report = validate_store(memory)
                timings["shacl"] = time.perf_counter() - t
                if not report.conforms:
                    raise ShaclError(_locate(report, memory))
            t = time.perf_counter()
            statistics = graph_statistics(memory)  # one scan serves the report and the VoID
            graphs = {g.value.removeprefix(str(GRAPH)): statistics.get(g.value, {}).get("triples", 0)
                      for g in sorted(memory.named_graphs(), key=lambda g: g.value)}
            timings["statistics"] = time.perf_counter() - t
            t = time.perf_counter()
            description = describe_dataset(memory, dumps, list(graphs), statistics)
            write_void_turtle(description, dumps / "void.ttl")
            timings["void"] = time.perf_counter() - t
            del memory
        finally:
            # Never leave the loader running into the staging clean-up (and never let its
            # error, if any, hide the one already raised here).
            t = time.perf_counter()
            wait([loading])
            timings["load-wait"] = time.perf_counter() - t
        loading.result()
    return graphs, description


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
         "resolution": result.resolution,
         "started": started.isoformat()}, indent=2) + "\n", encoding="utf-8")


def _locate(report, store: ox.Store, limit: int = 200):  # noqa: ANN001, ANN202 - a ShaclReport
    """The report with each violation saying which named graphs hold its focus node's triples."""
    import dataclasses

    located = []
    for i, v in enumerate(report.violations):
        focus = v.focus.strip("<>")
        if i < limit and focus.startswith(("http://", "https://")):
            graphs = sorted({q.graph_name.value for q in store.quads_for_pattern(ox.NamedNode(focus), None, None)
                             if isinstance(q.graph_name, ox.NamedNode)})
            names = [g.removeprefix(str(GRAPH)) for g in graphs]
            sources = [n for n in names if n not in ("curated", "ontology", "reference", "resolution")]
            where = "in graph " + ", ".join(names)
            if sources:
                where += ("; a source graph failing the shapes is a bug in its adapter (the value should have "
                          "been a reject): please report it with this message")
            v = dataclasses.replace(v, where=where)
        located.append(v)
    return dataclasses.replace(report, violations=located)


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
