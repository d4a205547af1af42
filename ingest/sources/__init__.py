"""External sources (CORDIS, Participedia, the UK Citizens' Assembly Register) by adapter name.

The sources to build besides the curated records are listed in a TOML file
(``data/sources.toml`` by default)::

    [[source]]
    name = "cordis-h2020-society"          # named graph graph/<name>; lower-case key
    adapter = "cordis"                      # one of ADAPTERS
    path = "../../shared/data/cordis/h2020-participations"   # relative to this file
    optional = true                         # skip (and say so) when the path is missing
    title = "CORDIS: H2020 projects and participations"
    retrieved = "2020-12-31"                # when the export was made (xsd:date)
    [source.filter]
    parts = ["SC6", "SWAFS"]                # adapter-specific filters

A ``participedia`` source's path is a directory of export files (or one file); ``bodies = true``
also stores the long ``body`` texts. An ``assemblies`` source's path is mySociety's data package
directory (or its ``register.csv``).

Every build maps every configured source from scratch, so re-ingesting a source replaces its
named graph: there are no stale or duplicate triples to clean up.

Examples
--------
>>> [(s.name, s.adapter) for s in load_config(Path("data/sources.toml"))]  # doctest: +NORMALIZE_WHITESPACE
[('cordis-h2020-society', 'cordis'), ('cordis-horizon-europe-sample', 'cordis'), ('participedia', 'participedia'),
 ('assemblies', 'assemblies')]
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ontology.errors import DkgError
from ontology.namespaces import KEY_PATTERN

from .assemblies import assemblies_quads
from .cordis import cordis_filter, cordis_quads
from .participedia import participedia_quads
from .result import SourceResult

ADAPTERS = ("cordis", "participedia", "assemblies")
DEFAULT_CONFIG = Path("data/sources.toml")


class ConfigError(DkgError, ValueError):
    """The sources file cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class SourceConfig:
    name: str
    adapter: str
    path: Path
    optional: bool = False
    title: str = ""
    retrieved: str | None = None
    filters: dict = field(default_factory=dict, hash=False)
    bodies: bool = False


def _is_date(value) -> bool:  # noqa: ANN001
    """A TOML date, or a string that is a real calendar date written YYYY-MM-DD."""
    import datetime as dt

    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return True
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def load_config(path: Path | str) -> list[SourceConfig]:
    """Read and check a sources file; paths become absolute (relative to the file)."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: sources file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: not valid TOML: {err}") from None
    out, names = [], set()
    entries = data.get("source", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: 'source' must be an array of tables ([[source]])")
    for i, entry in enumerate(entries, 1):
        where = f"{path}: [[source]] #{i}"
        if not isinstance(entry.get("filter", {}), dict):
            raise ConfigError(f"{where}: filter must be a table ([source.filter])")
        unknown = set(entry) - {"name", "adapter", "path", "optional", "title", "retrieved", "filter", "bodies"}
        if unknown:
            raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        for key in ("name", "adapter", "path"):
            if not isinstance(entry.get(key), str) or not entry[key]:
                raise ConfigError(f"{where}: {key} is required (a string)")
        name = entry["name"]
        if not KEY_PATTERN.match(name) or name in {"curated", "ontology", "reference", "build", "resolution"}:
            raise ConfigError(f"{where}: name {name!r} must be a lower-case key and not a reserved graph name")
        if name in names:
            raise ConfigError(f"{where}: duplicate name {name!r}")
        names.add(name)
        title = entry.get("title", "")
        if not isinstance(title, str) or any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in title):
            raise ConfigError(f"{where}: title must be one line of text without control characters")
        retrieved = entry.get("retrieved")
        if retrieved is not None and not _is_date(retrieved):
            raise ConfigError(f"{where}: retrieved {retrieved!r} is not a date (YYYY-MM-DD)")
        if entry["adapter"] not in ADAPTERS:
            raise ConfigError(f"{where}: unknown adapter {entry['adapter']!r}; expected one of {', '.join(ADAPTERS)}")
        out.append(SourceConfig(name, entry["adapter"], (path.parent / entry["path"]).resolve(),
                                bool(entry.get("optional", False)), entry.get("title", ""),
                                str(entry["retrieved"]) if entry.get("retrieved") else None,
                                dict(entry.get("filter", {})), bool(entry.get("bodies", False))))
    return out


def sources_text_with(path: Path | str, entry: dict) -> str:
    """The sources file's text with ``entry`` added, or replacing the entry of the same name.

    Comments, order and layout of everything else are kept (tomlkit); values are written with
    TOML's own escaping, so a title holding quotes or backslashes stays one valid string. Nothing
    is written: :func:`upsert_source` (or ``dkg ingest``, which builds first) writes the text.
    """
    import tomlkit

    path = Path(path)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    try:
        document = tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as err:
        raise ConfigError(f"{path}: not valid TOML: {err}") from None
    fresh = tomlkit.table()
    for key, value in entry.items():
        if key != "filter" and value not in (None, ""):
            fresh[key] = value
    if entry.get("filter"):
        filters = tomlkit.table()
        for key, value in entry["filter"].items():
            filters[key] = value
        fresh["filter"] = filters
    sources = document.get("source")
    if sources is None:
        sources = tomlkit.aot()
        document["source"] = sources
    for i, existing in enumerate(sources):
        if existing.get("name") == entry["name"]:
            sources[i] = fresh
            break
    else:
        sources.append(fresh)
    return tomlkit.dumps(document)


def upsert_source(path: Path | str, entry: dict) -> None:
    """Add a source entry to the sources file, or replace the entry with the same name.

    The new text is checked (:func:`load_config`) before it replaces the file, atomically: a bad
    entry leaves the file as it was.
    """
    from ..files import replacing

    path = Path(path)
    text = sources_text_with(path, entry)
    with replacing(path) as temp:
        temp.write_text(text, encoding="utf-8")
        load_config(temp)  # the file must still be valid


def map_source(config: SourceConfig, vocab=None) -> SourceResult:  # noqa: ANN001
    """Run the adapter of one configured source; a missing optional path is skipped, not an error."""
    if not config.path.exists():
        if config.optional:
            return SourceResult(config.name, skipped=f"{config.path} not found (optional source)")
        raise ConfigError(f"source {config.name}: {config.path} not found")
    if config.adapter == "cordis":
        kwargs = {}
        if vocab is not None:
            kwargs = {"role_iri": lambda k: vocab.iri("role", k), "orgtype_iri": lambda k: vocab.iri("orgtype", k)}
        return cordis_quads(config.path, config.name, filters=cordis_filter(config.filters, config.name),
                            title=config.title or "CORDIS projects and participations",
                            retrieved=config.retrieved, **kwargs)
    if config.adapter == "participedia":
        if config.filters:
            raise ConfigError(f"source {config.name}: the participedia adapter takes no filters")
        return participedia_quads(config.path, config.name, bodies=config.bodies,
                                  title=config.title or "Participedia exports", retrieved=config.retrieved,
                                  vocab=vocab)
    if config.adapter == "assemblies":
        if config.filters:
            raise ConfigError(f"source {config.name}: the assemblies adapter takes no filters")
        return assemblies_quads(config.path, config.name, title=config.title or "Citizens' Assembly Register",
                                retrieved=config.retrieved, vocab=vocab)
    raise ConfigError(f"source {config.name}: unknown adapter {config.adapter!r}")
