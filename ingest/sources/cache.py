"""Mapped sources kept between builds: an unchanged source is not read or mapped again.

A source's result (its N-Quads lines, rejects, counts, ledgers and matches) depends on its
configuration, the bytes of its input files, the code that maps it and the vocabularies it
maps to. :func:`source_key` digests all four, and :func:`cached_map_source` keeps one result per
source name under that key. A rebuild after one curated record changed therefore spends no
time on a large CORDIS export it has already mapped.

The cache is a folder the build owns (``<build>/cache/sources``). An entry is two files: the
source's lines, sorted and each once (``<name>.<key>.nq``: the build merges it into the canonical
dump without reading it into Python), and the rest of its result (``<name>.<key>.pickle``). Each
is written whole (a temporary file, then a rename), the lines first; a damaged entry is ignored
and replaced, never trusted.

Examples
--------
>>> import tempfile
>>> from ingest.sources import SourceConfig
>>> folder = Path(tempfile.mkdtemp())
>>> config = SourceConfig("missing", "cordis", folder / "nowhere", optional=True)
>>> cached_map_source(config, None, folder / "cache").skipped
'... not found (optional source)'
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import pickle
from collections.abc import Callable
from pathlib import Path

from ingest.files import replacing
from ingest.lines import write_sorted
from ontology import ONTOLOGY_DIR

from .result import SourceResult

__all__ = ["source_key", "cached_map_source", "code_digest"]

#: Bumped when the cache's own layout changes.
CACHE_FORMAT = 2
#: The file beside an entry's pickle that holds the source's lines, sorted, each once.
LINES_SUFFIX = ".nq"
_PACKAGES = (Path(__file__).resolve().parents[1], ONTOLOGY_DIR)  # ingest/ and ontology/


def code_digest() -> str:
    """A digest of the code and vocabularies every mapping depends on (``ingest/``, ``ontology/``).

    Returns
    -------
    str
        Hex digest of every ``.py`` and ``.ttl`` file's name and bytes.

    Examples
    --------
    >>> len(code_digest())
    64
    """
    digest = hashlib.sha256(f"format {CACHE_FORMAT}".encode())
    for package in _PACKAGES:
        for path in sorted(p for p in package.rglob("*") if p.suffix in (".py", ".ttl")):
            digest.update(str(path.relative_to(package.parent)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def source_key(config: object, code: str) -> str:
    """The key of one source's mapped result: its configuration, its input files' bytes, the code.

    Parameters
    ----------
    config : ingest.sources.SourceConfig
        The configured source.
    code : str
        :func:`code_digest`.

    Returns
    -------
    str
        A hex digest; any change to the configuration, an input file or the code changes it.
    """
    settings = {k: str(v) if isinstance(v, Path) else v for k, v in dataclasses.asdict(config).items()}
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode() + code.encode())
    path = Path(config.path)
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path] if path.exists() else []
    for file in files:
        digest.update(str(file.relative_to(path) if path.is_dir() else file.name).encode() + b"\0")
        with file.open("rb") as handle:
            for block in iter(lambda h=handle: h.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def cached_map_source(config: object, vocab: object, cache_dir: Path | str | None,
                      map_source: Callable[[object, object], SourceResult] | None = None,
                      code: str | None = None, *, held: Callable[[str], bool] | None = None) -> SourceResult:
    """``map_source(config, vocab)``, or the result kept from an earlier build with the same key.

    With a cache, the result's lines are kept in two parts: those for which ``held(line)`` is
    true stay in :attr:`~ingest.sources.SourceResult.lines` (the build rewrites them), and every
    other line is in :attr:`~ingest.sources.SourceResult.lines_file`, sorted in byte order and
    each once. A build merges that file into its canonical dump as it is; a rebuild never reads
    the source's lines into Python at all.

    Parameters
    ----------
    config : ingest.sources.SourceConfig
        The configured source.
    vocab : ontology.vocab.Vocabularies or None
        Passed to the adapter.
    cache_dir : path or None
        Where results are kept; None maps without a cache (every line in ``lines``).
    map_source : callable, optional
        The mapper (default :func:`ingest.sources.map_source`).
    code : str, optional
        :func:`code_digest`, when the caller has it already.
    held : callable, optional
        Which lines stay in ``lines``; by default none do.

    Returns
    -------
    SourceResult
        A skipped source (its files are missing) is never cached.

    Examples
    --------
    >>> import tempfile
    >>> from ingest.sources import SourceConfig, SourceResult
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "export.csv").write_text("id\\n1\\n")
    >>> mapper = lambda config, vocab: SourceResult(config.name, ["<b> <p> <o> .", "<a> <p> <o> .", "<b> <p> <o> ."])
    >>> result = cached_map_source(SourceConfig("demo", "cordis", folder / "export.csv"), None, folder / "cache", mapper)
    >>> result.lines, result.lines_file.read_text().splitlines()
    ([], ['<a> <p> <o> .', '<b> <p> <o> .'])
    """
    if map_source is None:
        from . import map_source
    if cache_dir is None or not Path(config.path).exists():
        return map_source(config, vocab)
    key = source_key(config, code or code_digest())
    stem = f"{config.name}.{key[:32]}"
    entry, lines_file = Path(cache_dir) / f"{stem}.pickle", Path(cache_dir) / f"{stem}{LINES_SUFFIX}"
    if entry.exists() and lines_file.exists():
        try:
            # The cache is the build directory's own (written by this function, never downloaded).
            result = pickle.loads(entry.read_bytes())  # noqa: S301
            if isinstance(result, SourceResult) and result.name == config.name:
                result.lines_file = lines_file
                return result
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            pass  # damaged or from other code: map again and replace it
    result = map_source(config, vocab)
    Path(cache_dir).mkdir(parents=True, exist_ok=True)
    for old in Path(cache_dir).glob(f"{config.name}.*"):
        if old.suffix in (".pickle", LINES_SUFFIX):
            old.unlink(missing_ok=True)  # one entry per source: the newest
    kept, rest = _split(result.lines, held)
    with replacing(lines_file) as temp:  # first the lines: an entry is its pickle
        write_sorted(temp, rest)
    del rest
    result.lines, result.lines_file = kept, None
    with replacing(entry) as temp:
        temp.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    result.lines_file = lines_file
    return result


def _split(lines: list[str], held: Callable[[str], bool] | None) -> tuple[list[str], list[str]]:
    """``lines`` as (those ``held`` keeps, the rest); the rest is ``lines`` itself when none is kept."""
    if held is None:
        return [], lines
    kept = [line for line in lines if held(line)]
    return (kept, [line for line in lines if not held(line)]) if kept else ([], lines)
