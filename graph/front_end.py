"""The build's front end: the configured sources mapped (or taken from the cache), the records
read and mapped, and their N-Quads lines written, unsorted, to a spool in the staging directory.

A large input is read and mapped in a forked process (:data:`FORK_FRONT_END_FROM_BYTES`): the
arenas Python keeps after mapping millions of lines go back to the system with it, before the
stores take theirs. A source kept by the cache (:mod:`ingest.sources.cache`) arrives as a file of
sorted lines (a part), linked into the staging directory; only its names of cities, which
depend on the curated records, are spooled with the records' lines.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from ingest.lines import without_repeats
from ingest.mapping import ontology_quads, record_quad_groups
from ingest.records import RecordSet, require_records
from ingest.sources import SourceResult, load_config, map_source
from ingest.sources.cache import cached_map_source, code_digest
from ingest.sources.common import CITY_PREFIX, LABEL, names_a_city
from ontology.countries import reference_quads
from ontology.errors import DkgError
from ontology.namespaces import SKOS
from ontology.nquads import iri
from ontology.vocab import Vocabularies, load_vocabularies

from .canonical import Spool
from .memory import collector_paused

#: The unsorted lines the loader reads, in the staging directory (removed once loaded).
SPOOL_NAME = "lines.unsorted.nq"
#: The sources' sorted lines files, linked from the cache into the staging directory (removed
#: once merged and loaded).
PARTS_NAME = "parts"


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
    # A source's names of cities stay in memory (line_groups may rewrite them); with a cache,
    # its other lines come as a sorted file (SourceResult.lines_file) the build merges as it is.
    results = [cached_map_source(config, vocab, cache_dir, map_source, code, held=names_a_city)
               for config in load_config(config_file)]
    if timings is not None:
        timings["sources"] = time.perf_counter() - t
    return results


def lines_from_records(records: RecordSet, vocab: Vocabularies | None = None, extra: list[str] | None = None) -> list[str]:
    """Already validated records, plus ontology, reference data and ``extra`` lines (mapped
    sources), as sorted unique N-Quads lines."""
    lines = [line for group in line_groups(records, vocab or load_vocabularies(), [extra or []]) for line in group]
    # Sort in place and drop neighbours that repeat: no second copy or hash set of every line.
    lines.sort()
    return list(without_repeats(lines))


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


_ALT_LABEL = f" {iri(str(SKOS.altLabel))} "


def _named_cities(curated: list[str]) -> set[str]:
    """The cities (``<IRI>`` as written) that lines of the curated records name."""
    return {line.split(" ", 1)[0] for line in curated if line.startswith(CITY_PREFIX) and LABEL in line}


def _curated_city_names_first(named: set[str], extra: list[str]) -> list[str]:
    """``extra`` (mapped sources) with their names of the curated cities ``named`` turned into
    alternative names.

    Every source mints a city as ``id/city/<country>-<name>``, so the curated Gdańsk and CORDIS's
    GDANSK are one node; the curated name stays its one ``rdfs:label`` (questions and maps show
    one name per city) and the sources' spellings become ``skos:altLabel`` in their own graphs.
    """
    label, alt, city = LABEL, _ALT_LABEL, CITY_PREFIX
    if not named:
        return extra
    return [line.replace(label, alt, 1) if line.startswith(city) and label in line and line.split(" ", 1)[0] in named
            else line for line in extra]


#: From how many bytes of input (records and source files) the build reads and maps them in a
#: forked process (graph.forked.run_in_child): the arenas Python keeps after mapping millions of
#: lines (about 250 MB at the synthetic 1x scale) then go back to the system with the process,
#: before the stores take theirs.
FORK_FRONT_END_FROM_BYTES = 4_000_000


def map_input(records_dir: Path | str, sources: Path | str | None, cache_dir: Path,
              spool: Path) -> tuple[int, list[SourceResult], dict[str, float]]:
    """Sources mapped (or taken from ``cache_dir``), records read and mapped, their lines written
    to ``spool``; returns the number of records, the sources' results (their lines handed over to
    the spool, their sorted parts linked beside it, :data:`PARTS_NAME`) and the step timings."""
    timings: dict[str, float] = {}
    source_results = map_sources(sources, timings, cache_dir)
    _link_parts(source_results, spool.parent / PARTS_NAME)
    with collector_paused():  # millions of long-lived records and lines, and no cycles among them
        t = time.perf_counter()
        vocab = load_vocabularies()
        records = require_records(records_dir, vocab)
        timings["records"] = time.perf_counter() - t
        t = time.perf_counter()
        _spool(line_groups(records, vocab, _taken(source_results)), spool)
        timings["map"] = time.perf_counter() - t
    return len(records), source_results, timings


def _link_parts(results: list[SourceResult], folder: Path) -> None:
    """Each source's sorted lines file linked into the staging ``folder`` (a hard link, or a
    copy across file systems), so that a build running beside this one that replaces the cache
    entry cannot take the file away before this build has merged it."""
    for r in results:
        if r.lines_file is None:
            continue
        folder.mkdir(exist_ok=True)
        part = folder / f"{r.name}.nq"
        try:
            os.link(r.lines_file, part)
        except OSError:
            shutil.copyfile(r.lines_file, part)
        r.lines_file = part


def input_bytes(records_dir: Path | str, sources: Path | str | None) -> int:
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


def _spool(groups: Iterator[list[str]], path: Path) -> Path:
    """The lines of every group written, unsorted, to ``path`` (:class:`graph.canonical.Spool`)."""
    with Spool(path) as spool:
        for group in groups:
            spool.write(group)
    return path
