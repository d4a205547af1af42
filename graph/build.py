"""``dkg build``: records -> RDF -> validated, dumped, bulk-loaded store, swapped in atomically.

Steps (each timed in the report):

1. map the configured external sources (:mod:`ingest.sources`; bad rows become rejects;
   an unchanged source comes from ``<build>/cache/sources``);
2. read and validate the records (all problems at once; :class:`ingest.records.RecordError`);
3. map records, ontology and country reference to N-Quads lines and spool them, unsorted, with
   the sources' lines (:mod:`graph.canonical`): no list of every line is held in memory;
4. load the spool into an in-memory store in a worker thread while ``sort`` writes the
   canonical dump (sorted, unique N-Quads) beside it; resolve organisations across sources
   from that dump (:mod:`ingest.resolve`; the links join the store and the dump);
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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from importlib.metadata import version
from pathlib import Path

import pyoxigraph as ox

from ingest.csvsafe import spreadsheet_safe
from ingest.mapping import ontology_quads, record_quad_groups
from ingest.records import RecordSet, require_records
from ingest.resolve import write_matches
from ingest.sources import SourceResult, load_config, map_source
from ingest.sources.cache import cached_map_source, code_digest
from ontology import ONTOLOGY_DIR
from ontology.countries import reference_quads
from ontology.errors import DkgError
from ontology.namespaces import DCTERMS, GRAPH, ID, PROV, RDFS, SCHEMA, SKOS, graph_iri
from ontology.nquads import RDF_TYPE, XSD_DATETIME, XSD_INTEGER, iri, literal, quad
from ontology.vocab import Vocabularies, load_vocabularies

from .canonical import Spool
from .dumps import DERIVED_MODES, DUMP_NAME, resolve_mode, start_background, write_derived
from .loading import validated_store
from .forked import run_in_child
from .memory import collector_paused
from .rebuild import reusable_release, validation_key
from .store import DEFAULT_BUILD_DIR, BuildLayout, new_release_id
from .validate import ENGINES

#: The unsorted lines the loader reads, in the staging directory (removed once loaded).
SPOOL_NAME = "lines.unsorted.nq"
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
    lines = [line for group in line_groups(records, vocab or load_vocabularies(), [extra or []]) for line in group]
    # Sort in place and drop neighbours that repeat: no second copy or hash set of every line.
    lines.sort()
    return [line for i, line in enumerate(lines) if not i or line != lines[i - 1]]


def line_groups(records: RecordSet, vocab: Vocabularies, sources: Iterable[list[str]]) -> Iterator[list[str]]:
    """The build's N-Quads lines, unsorted, a group at a time: the curated records, each mapped
    source's lines (``sources``), the ontology and the country reference. The build spools the
    groups as they come (:mod:`graph.canonical`); nothing needs them all in memory at once."""
    named: set[str] = set()
    for group in record_quad_groups(records, vocab, "curated"):
        named |= _named_cities(group)
        yield group
    for lines in sources:
        yield _curated_city_names_first(named, lines)
    yield ontology_quads()
    yield reference_quads()


def _taken(results: list[SourceResult]) -> Iterator[list[str]]:
    """Each source's lines, handed over: the result keeps none once they are spooled."""
    for r in results:
        lines, r.lines = r.lines, []
        yield lines


_LABEL, _ALT_LABEL, _CITY = f" {iri(str(RDFS.label))} ", f" {iri(str(SKOS.altLabel))} ", iri(str(ID["city/"]))[:-1]


def _named_cities(curated: list[str]) -> set[str]:
    """The cities (``<IRI>`` as written) that lines of the curated records name."""
    return {line.split(" ", 1)[0] for line in curated if line.startswith(_CITY) and _LABEL in line}


def _curated_city_names_first(named: set[str], extra: list[str]) -> list[str]:
    """``extra`` (mapped sources) with their names of the curated cities ``named`` turned into
    alternative names.

    Every source mints a city as ``id/city/<country>-<name>``, so the curated Gdańsk and CORDIS's
    GDANSK are one node; the curated name stays its one ``rdfs:label`` (questions and maps show
    one name per city) and the sources' spellings become ``skos:altLabel`` in their own graphs.
    """
    label, alt, city = _LABEL, _ALT_LABEL, _CITY
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
    release_id = new_release_id(started)
    staging = layout.new_staging(release_id)
    staged = None
    try:
        spool = staging / SPOOL_NAME
        front_end = partial(_front_end, records_dir, sources, layout.root / "cache" / "sources", spool)
        n_records, source_results, front_timings = run_in_child(
            front_end, fork=_input_bytes(records_dir, sources) >= FORK_FRONT_END_FROM_BYTES)
        timings.update(front_timings)
        staged = validated_store(staging, spool, source_results, records_dir, shacl, timings, reusable_release(layout))
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


#: From how many bytes of input (records and source files) the build reads and maps them in a
#: forked process (graph.forked.run_in_child): the arenas Python keeps after mapping millions of
#: lines (about 250 MB at the synthetic 1x scale) then go back to the system with the process,
#: before the stores take theirs.
FORK_FRONT_END_FROM_BYTES = 4_000_000


def _front_end(records_dir: Path | str, sources: Path | str | None, cache_dir: Path,
               spool: Path) -> tuple[int, list[SourceResult], dict[str, float]]:
    """Sources mapped, records read and mapped, every line written to ``spool``; returns the
    number of records, the sources' results (their lines handed over to the spool) and the
    step timings."""
    timings: dict[str, float] = {}
    source_results = map_sources(sources, timings, cache_dir)
    with collector_paused():  # millions of long-lived records and lines, and no cycles among them
        t = time.perf_counter()
        vocab = load_vocabularies()
        records = require_records(records_dir, vocab)
        timings["records"] = time.perf_counter() - t
        t = time.perf_counter()
        _spool(line_groups(records, vocab, _taken(source_results)), spool)
        timings["map"] = time.perf_counter() - t
    return len(records), source_results, timings


def _input_bytes(records_dir: Path | str, sources: Path | str | None) -> int:
    """The size of the records and of the configured sources' files (0 for what cannot be read:
    the front end reports it)."""
    paths = [Path(records_dir)]
    if sources is not None:
        try:
            paths += [Path(config.path) for config in load_config(sources)]
        except (DkgError, OSError):
            pass
    total = 0
    for path in paths:
        try:
            files = [path] if path.is_file() else path.rglob("*")
            total += sum(f.stat().st_size for f in files if f.is_file())
        except OSError:
            continue
    return total


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


def _spool(groups: Iterator[list[str]], path: Path) -> Path:
    """The lines of every group written, unsorted, to ``path`` (:class:`graph.canonical.Spool`)."""
    with Spool(path) as spool:
        for group in groups:
            spool.write(group)
    return path


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
