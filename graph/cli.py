"""``dkg``: the command line, a thin layer over functions that tests and notebooks call directly.

Exit codes (every command):

- ``0`` success;
- ``1`` validation failed: the records have problems or the graph does not conform to the shapes;
- ``2`` usage or input error: bad arguments, a missing records directory or store, a malformed query.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .validate import ENGINES

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
DEFAULT_RECORDS = Path("data/records")
DEFAULT_SOURCES = Path("data/sources.toml")


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.func(args)
    except BrokenPipeError:  # e.g. `dkg query ... | head`
        return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dkg", description="democracy-kg: build, validate and query the democratic-innovation knowledge graph.",
        epilog="Exit codes: 0 ok, 1 validation failed, 2 usage or input error.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("build", help="build the graph from the records into the store (atomic)",
                       description="Validate the records, map them to RDF, check SHACL, write dumps and load "
                                   "a new store; swap it in only when everything succeeded.")
    p.add_argument("--records", type=Path, default=DEFAULT_RECORDS, help="records directory (default: %(default)s)")
    p.add_argument("--out", type=Path, default=Path("build"), help="build directory (default: %(default)s)")
    p.add_argument("--format", choices=("human", "json"), default="human", help="report format on failure")
    p.add_argument("--sources", type=Path, default=DEFAULT_SOURCES,
                   help="TOML file listing the external sources to build (CORDIS exports); "
                        "default: %(default)s when it exists")
    p.add_argument("--no-sources", action="store_true", help="build the curated records only")
    p.add_argument("--shacl-engine", choices=ENGINES, default="oxigraph",
                   help="SHACL engine: shapes compiled to SPARQL in Oxigraph (fast) or pySHACL (reference, slow) "
                        "(default: %(default)s)")
    p.set_defaults(func=_cmd_build)

    p = sub.add_parser("ingest", help="add (or replace) a CORDIS or Participedia source and rebuild",
                       description="Record the source in the sources file (replacing an entry of the same name) "
                                   "and rebuild everything, so the source's named graph is replaced, never "
                                   "duplicated. Bad rows go to build/current/rejects.csv.")
    p.add_argument("adapter", choices=("cordis", "participedia"), help="the kind of export")
    p.add_argument("path", type=Path, help="directory with project.csv and organization.csv (CORDIS) or "
                                           "Participedia export files")
    p.add_argument("--name", help="source name, the named graph graph/<name> (default: the adapter name)")
    p.add_argument("--title", default="", help="title of the source document")
    p.add_argument("--retrieved", help="date the export was made (YYYY-MM-DD)")
    p.add_argument("--part", action="append", default=[], help="CORDIS: programme part or legal basis (repeatable)")
    p.add_argument("--framework", action="append", default=[], help="CORDIS: framework programme, e.g. H2020 (repeatable)")
    p.add_argument("--since", type=int, help="CORDIS: keep projects running in or after this year")
    p.add_argument("--until", type=int, help="CORDIS: keep projects running in or before this year")
    p.add_argument("--keyword", action="append", default=[], help="CORDIS: keyword in title or objective (repeatable)")
    p.add_argument("--project-id", action="append", default=[], help="CORDIS: project id (repeatable)")
    p.add_argument("--bodies", action="store_true", help="Participedia: also store the long body texts")
    p.add_argument("--sources", type=Path, default=DEFAULT_SOURCES, help="sources file to update (default: %(default)s)")
    p.add_argument("--records", type=Path, default=DEFAULT_RECORDS, help="records directory (default: %(default)s)")
    p.add_argument("--out", type=Path, default=Path("build"), help="build directory (default: %(default)s)")
    p.add_argument("--format", choices=("human", "json"), default="human", help="report format on failure")
    p.set_defaults(func=_cmd_ingest)

    p = sub.add_parser("validate", help="validate the records and the SHACL shapes without building",
                       description="Check every record file, then the RDF they map to against ontology/shapes.ttl. "
                                   "Lists all problems, each with file, line, field and value.")
    p.add_argument("--records", type=Path, default=DEFAULT_RECORDS, help="records directory (default: %(default)s)")
    p.add_argument("--format", choices=("human", "json"), default="human", help="report format (default: %(default)s)")
    p.add_argument("--engine", choices=ENGINES, default="oxigraph",
                   help="SHACL engine (default: %(default)s; pyshacl is the slow reference implementation)")
    p.add_argument("--sources", type=Path, default=DEFAULT_SOURCES,
                   help="also map and check the sources in this TOML file (default: %(default)s when it exists)")
    p.add_argument("--no-sources", action="store_true", help="check the curated records only")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("query", help="run a SPARQL query against the built store",
                       description="Run SPARQL against the store. The default graph is the union of all named graphs; "
                                   "the project prefixes (dkg:, org:, schema:, skos:, ...) are predeclared.")
    p.add_argument("sparql", nargs="?", help="the query text (or use -f)")
    p.add_argument("-f", "--file", type=Path, help="read the query from a .rq file")
    p.add_argument("--store", type=Path, default=Path("build"), help="build or store directory (default: %(default)s)")
    p.add_argument("--format", choices=("table", "csv", "tsv", "json"), default="table", help="output format (default: %(default)s)")
    p.set_defaults(func=_cmd_query)

    p = sub.add_parser("stats", help="count entities per class and triples per named graph")
    p.add_argument("--store", type=Path, default=Path("build"), help="build or store directory (default: %(default)s)")
    p.add_argument("--format", choices=("human", "json"), default="human", help="output format (default: %(default)s)")
    p.set_defaults(func=_cmd_stats)
    return parser


def _problems_report(problems, fmt: str) -> str:  # noqa: ANN001
    if fmt == "json":
        return json.dumps({"conforms": False, "records": {"problems": [p.as_dict() for p in problems]}}, indent=2)
    return f"{len(problems)} problem(s) in the records:\n" + "\n".join(f"  {p}" for p in problems)


def _shacl_report(report, fmt: str) -> str:  # noqa: ANN001
    if fmt == "json":
        return json.dumps({"conforms": report.conforms, "shacl": {"triples": report.triples,
                           "violations": [v.as_dict() for v in report.violations]}}, indent=2)
    return str(report)


def _cmd_build(args: argparse.Namespace) -> int:
    from ingest.records import RecordError
    from ingest.sources import ConfigError

    from .build import build
    from .validate import ShaclError

    if not args.records.is_dir():
        print(f"dkg build: records directory not found: {args.records}", file=sys.stderr)
        return EXIT_USAGE
    try:
        result = build(args.records, args.out, shacl=args.shacl_engine, sources=_sources_file(args))
    except RecordError as err:
        print(_problems_report(err.problems, args.format), file=sys.stderr)
        print("build failed; the previous graph (if any) is unchanged", file=sys.stderr)
        return EXIT_INVALID
    except ShaclError as err:
        print(_shacl_report(err.report, args.format), file=sys.stderr)
        print("build failed; the previous graph (if any) is unchanged", file=sys.stderr)
        return EXIT_INVALID
    except (ConfigError, FileNotFoundError, ValueError) as err:
        print(f"dkg build: {err}", file=sys.stderr)
        print("build failed; the previous graph (if any) is unchanged", file=sys.stderr)
        return EXIT_USAGE
    print(result.summary())
    return EXIT_OK


def _cmd_ingest(args: argparse.Namespace) -> int:
    import os

    from ingest.sources import ConfigError, upsert_source

    if not args.path.exists():
        print(f"dkg ingest: not found: {args.path}", file=sys.stderr)
        return EXIT_USAGE
    entry: dict = {"name": args.name or args.adapter, "adapter": args.adapter,
                   "path": os.path.relpath(args.path.resolve(), args.sources.resolve().parent),
                   "title": args.title, "retrieved": args.retrieved}
    if args.adapter == "participedia" and args.bodies:
        entry["bodies"] = True
    filters = {"parts": args.part, "frameworks": args.framework, "since": args.since, "until": args.until,
               "keywords": args.keyword, "project_ids": args.project_id}
    filters = {k: v for k, v in filters.items() if v not in (None, [])}
    if filters:
        if args.adapter != "cordis":
            print("dkg ingest: filters apply to CORDIS sources only", file=sys.stderr)
            return EXIT_USAGE
        entry["filter"] = filters
    try:
        upsert_source(args.sources, entry)
    except ConfigError as err:
        print(f"dkg ingest: {err}", file=sys.stderr)
        return EXIT_USAGE
    print(f"{args.sources}: source {entry['name']} recorded; rebuilding")
    args.no_sources, args.shacl_engine = False, "oxigraph"
    return _cmd_build(args)


def _cmd_validate(args: argparse.Namespace) -> int:
    from ingest.records import load_records

    from ingest.sources import ConfigError

    from .build import lines_from_records, map_sources
    from .validate import validate_lines

    if not args.records.is_dir():
        print(f"dkg validate: records directory not found: {args.records}", file=sys.stderr)
        return EXIT_USAGE
    records, problems = load_records(args.records)
    if problems:
        print(_problems_report(problems, args.format))
        return EXIT_INVALID
    try:
        sources = map_sources(_sources_file(args))
    except (ConfigError, FileNotFoundError, ValueError) as err:
        print(f"dkg validate: {err}", file=sys.stderr)
        return EXIT_USAGE
    report = validate_lines(lines_from_records(records, extra=[line for s in sources for line in s.lines]), args.engine)
    rejects = {s.name: [p.as_dict() for p in s.rejects] for s in sources if not s.skipped}
    if args.format == "json":
        out = json.loads(_shacl_report(report, "json"))
        out["records"] = {"count": len(records), "problems": []}
        out["sources"] = {s.name: {"skipped": s.skipped, "counts": s.counts, "rejects": rejects.get(s.name, [])}
                          for s in sources}
        print(json.dumps(out, indent=2))
    else:
        print(f"records: {len(records)} records, no problems")
        for s in sources:
            if s.skipped:
                print(f"source {s.name}: skipped, {s.skipped}")
            else:
                print(f"source {s.name}: {len(s.rejects)} reject(s)" + "".join(f"\n  {p}" for p in s.rejects))
        print(report)
    # Sources' rejects are reported, not fatal (the build keeps going past them too).
    return EXIT_OK if report.conforms else EXIT_INVALID


def _sources_file(args: argparse.Namespace) -> Path | None:
    """The sources file a command should use: none with --no-sources or when the default is absent."""
    if args.no_sources or (args.sources == DEFAULT_SOURCES and not DEFAULT_SOURCES.exists()):
        return None
    return args.sources


def _cmd_query(args: argparse.Namespace) -> int:
    from .query import format_result, run_query
    from .store import StoreNotFound, open_store

    if bool(args.sparql) == bool(args.file):
        print("dkg query: give either a query text or -f FILE", file=sys.stderr)
        return EXIT_USAGE
    try:
        text = args.file.read_text(encoding="utf-8") if args.file else args.sparql
        store = open_store(args.store)
    except (StoreNotFound, OSError) as err:
        print(f"dkg query: {err}", file=sys.stderr)
        return EXIT_USAGE
    try:
        result = run_query(store, text)
    except SyntaxError as err:
        print(f"dkg query: malformed SPARQL: {err}", file=sys.stderr)
        return EXIT_USAGE
    print(format_result(result, args.format))
    return EXIT_OK


def _cmd_stats(args: argparse.Namespace) -> int:
    from .stats import class_counts, graph_counts
    from .store import StoreNotFound, open_store

    try:
        store = open_store(args.store)
    except StoreNotFound as err:
        print(f"dkg stats: {err}", file=sys.stderr)
        return EXIT_USAGE
    classes, graphs = class_counts(store), graph_counts(store)
    if args.format == "json":
        print(json.dumps({"classes": classes, "graphs": graphs}, indent=2))
        return EXIT_OK
    width = max(map(len, [*classes, *graphs]), default=10)
    print("entities per class")
    for name, n in classes.items():
        print(f"  {name:<{width}} {n:>9}")
    print("triples per named graph")
    for name, n in graphs.items():
        print(f"  {name:<{width}} {n:>9}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
