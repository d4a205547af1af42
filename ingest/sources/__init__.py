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

from ..namespaces import KEY_PATTERN
from ..records.load import Problem

ADAPTERS = ("cordis", "participedia", "assemblies")
DEFAULT_CONFIG = Path("data/sources.toml")


class ConfigError(ValueError):
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


@dataclass
class SourceResult:
    """What mapping one source produced (or why it was skipped): every adapter returns one."""

    name: str
    lines: list[str] = field(default_factory=list)
    rejects: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    skipped: str = ""
    #: Names the source wrote several ways that the adapter joined (``ingest.resolve.Match``,
    #: rule ``spelling``); the build lists them in ``matches.csv`` with resolution's merges.
    matches: list = field(default_factory=list)
    #: One :class:`ingest.sources.checks.Ledger` per input file: every row kept, filtered (by
    #: a named filter) or rejected. The build prints them and refuses a ledger that does not add up.
    ledgers: list = field(default_factory=list)

    def accounts_close(self) -> bool:
        """``True`` when every input file's rows add up (read = kept + filtered + rejected)."""
        return all(ledger.closes() for ledger in self.ledgers)


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
    for i, entry in enumerate(data.get("source", []), 1):
        where = f"{path}: [[source]] #{i}"
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
        if entry["adapter"] not in ADAPTERS:
            raise ConfigError(f"{where}: unknown adapter {entry['adapter']!r}; expected one of {', '.join(ADAPTERS)}")
        out.append(SourceConfig(name, entry["adapter"], (path.parent / entry["path"]).resolve(),
                                bool(entry.get("optional", False)), entry.get("title", ""),
                                str(entry["retrieved"]) if entry.get("retrieved") else None,
                                dict(entry.get("filter", {})), bool(entry.get("bodies", False))))
    return out


def _toml_value(value) -> str:  # noqa: ANN001
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise ConfigError(f"cannot write {value!r} to the sources file")


def upsert_source(path: Path | str, entry: dict) -> None:
    """Add a source entry to the sources file, or replace the entry with the same name.

    The file's leading comment block is kept; entries are rewritten in a plain layout.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    data = tomllib.loads(text) if text else {}
    entries = [e for e in data.get("source", []) if e.get("name") != entry["name"]] + [entry]
    header = []
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            header.append(line)
        else:
            break
    out = [*header] if header else []
    for e in entries:
        out += ["", "[[source]]"]
        out += [f"{k} = {_toml_value(v)}" for k, v in e.items() if k != "filter" and v not in (None, "")]
        if e.get("filter"):
            out.append("[source.filter]")
            out += [f"{k} = {_toml_value(v)}" for k, v in e["filter"].items()]
    path.write_text("\n".join(out).lstrip("\n") + "\n", encoding="utf-8")
    load_config(path)  # the file must still be valid


def map_source(config: SourceConfig, vocab=None) -> SourceResult:  # noqa: ANN001
    """Run the adapter of one configured source; a missing optional path is skipped, not an error."""
    if not config.path.exists():
        if config.optional:
            return SourceResult(config.name, skipped=f"{config.path} not found (optional source)")
        raise ConfigError(f"source {config.name}: {config.path} not found")
    if config.adapter == "cordis":
        from .cordis import cordis_filter, cordis_quads

        kwargs = {}
        if vocab is not None:
            kwargs = {"role_iri": lambda k: vocab.iri("role", k), "orgtype_iri": lambda k: vocab.iri("orgtype", k)}
        return cordis_quads(config.path, config.name, filters=cordis_filter(config.filters, config.name),
                            title=config.title or "CORDIS projects and participations",
                            retrieved=config.retrieved, **kwargs)
    if config.adapter == "participedia":
        from .participedia import participedia_quads

        if config.filters:
            raise ConfigError(f"source {config.name}: the participedia adapter takes no filters")
        return participedia_quads(config.path, config.name, bodies=config.bodies,
                                  title=config.title or "Participedia exports", retrieved=config.retrieved,
                                  vocab=vocab)
    if config.adapter == "assemblies":
        from .assemblies import assemblies_quads

        if config.filters:
            raise ConfigError(f"source {config.name}: the assemblies adapter takes no filters")
        return assemblies_quads(config.path, config.name, title=config.title or "Citizens' Assembly Register",
                                retrieved=config.retrieved, vocab=vocab)
    raise ConfigError(f"source {config.name}: unknown adapter {config.adapter!r}")
