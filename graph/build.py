"""``dkg build``: records -> RDF -> validated, dumped, bulk-loaded store, swapped in atomically.

Steps (each timed in the report):

1. read and validate the records (all problems at once; :class:`ingest.records.RecordError`);
2. map records, ontology and country reference to N-Quads lines; sort and de-duplicate them;
3. validate the union graph with SHACL (:class:`graph.validate.ShaclError` when it fails);
4. write the canonical dump (sorted N-Quads) and bulk-load exactly that file into a new store;
5. write TriG and per-graph Turtle dumps and the build-metadata graph (kept out of the dumps);
6. publish the release atomically (:meth:`graph.store.BuildLayout.publish`).

Nothing is written outside the staging directory until step 6, so a failed or killed build
leaves the previous release as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import pyoxigraph as ox

from ingest import ONTOLOGY_DIR
from ingest.countries import reference_quads
from ingest.mapping import ontology_quads, record_quads
from ingest.namespaces import DCTERMS, GRAPH, PREFIXES, PROV, RDFS, SCHEMA, graph_iri
from ingest.nquads import RDF_TYPE, XSD_DATETIME, XSD_INTEGER, iri, literal, quad
from ingest.records import RecordSet, require_records
from ingest.vocab import Vocabularies, load_vocabularies

from .store import DEFAULT_BUILD_DIR, BuildLayout
from .validate import ShaclError, union_graph, validate_graph

DUMP_NAME = "democracy-kg"
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

    def summary(self) -> str:
        total = sum(self.timings.values())
        graphs = ", ".join(f"{g} {n}" for g, n in self.graphs.items())
        return (f"built {self.triples} triples from {self.records} records in {total:.2f} s ({graphs})\n"
                f"  store: {self.layout.store}\n  dumps: {self.layout.dumps}/{DUMP_NAME}.nq (canonical), "
                f"{DUMP_NAME}.trig, <graph>.ttl")


def generate_lines(records_dir: Path | str, timings: dict[str, float] | None = None) -> tuple[list[str], int]:
    """Validated records, ontology and reference data as sorted, unique N-Quads lines."""
    timings = {} if timings is None else timings
    t = time.perf_counter()
    vocab = load_vocabularies()
    records = require_records(records_dir, vocab)
    timings["records"] = time.perf_counter() - t
    t = time.perf_counter()
    lines = lines_from_records(records, vocab)
    timings["map"] = time.perf_counter() - t
    return lines, len(records)


def lines_from_records(records: RecordSet, vocab: Vocabularies | None = None) -> list[str]:
    """Already validated records, plus ontology and reference data, as sorted unique N-Quads lines."""
    lines = record_quads(records, vocab or load_vocabularies(), "curated")
    lines += ontology_quads()
    lines += reference_quads()
    return sorted(set(lines))


def build(records_dir: Path | str, out_dir: Path | str = DEFAULT_BUILD_DIR, *, shacl: bool = True) -> BuildResult:
    """Build the graph from ``records_dir`` into ``out_dir``; see the module docstring."""
    started = dt.datetime.now(dt.timezone.utc)
    timings: dict[str, float] = {}
    layout = BuildLayout(out_dir)
    layout.root.mkdir(parents=True, exist_ok=True)
    layout.remove_stale_staging()
    lines, n_records = generate_lines(records_dir, timings)

    if shacl:
        t = time.perf_counter()
        report = validate_graph(union_graph(lines))
        timings["shacl"] = time.perf_counter() - t
        if not report.conforms:
            raise ShaclError(report)

    release_id = f"{started:%Y%m%dT%H%M%S%fZ}-{os.getpid()}"
    staging = layout.new_staging(release_id)
    try:
        t = time.perf_counter()
        dumps = staging / "dumps"
        dumps.mkdir()
        nq = dumps / f"{DUMP_NAME}.nq"
        with nq.open("w", encoding="utf-8", newline="\n") as f:
            f.write("\n".join(lines))
            f.write("\n")
        timings["dump"] = time.perf_counter() - t

        t = time.perf_counter()
        store = ox.Store(str(staging / "store"))
        store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
        timings["load"] = time.perf_counter() - t

        t = time.perf_counter()
        graphs = _write_graph_dumps(lines, dumps)
        timings["turtle"] = time.perf_counter() - t

        result = BuildResult(staging, layout, len(lines), n_records, graphs, timings)
        meta = build_metadata_quads(result, started, Path(records_dir))
        store.load(input="\n".join(meta) + "\n", format=ox.RdfFormat.N_QUADS)
        store.flush()
        del store
        (staging / "report.json").write_text(json.dumps(
            {"triples": len(lines), "records": n_records, "graphs": graphs, "timings_s": timings,
             "started": started.isoformat()}, indent=2) + "\n", encoding="utf-8")
        pause = float(os.environ.get(PAUSE_ENV, "0") or 0)
        if pause:
            time.sleep(pause)
        result.release = layout.publish(staging, release_id)
        return result
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _write_graph_dumps(lines: list[str], dumps: Path) -> dict[str, int]:
    """TriG of everything and one Turtle file per named graph, from the sorted lines."""
    quads = list(ox.parse(input="\n".join(lines).encode(), format=ox.RdfFormat.N_QUADS))
    prefixes = dict(PREFIXES)
    ox.serialize(quads, output=str(dumps / f"{DUMP_NAME}.trig"), format=ox.RdfFormat.TRIG, prefixes=prefixes)
    by_graph: dict[str, list[ox.Triple]] = {}
    for q in quads:
        by_graph.setdefault(q.graph_name.value, []).append(q.triple)
    counts = {}
    for graph, triples in sorted(by_graph.items()):
        name = graph.removeprefix(str(GRAPH))
        ox.serialize(triples, output=str(dumps / f"{name}.ttl"), format=ox.RdfFormat.TURTLE, prefixes=prefixes)
        counts[name] = len(triples)
    return counts


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
