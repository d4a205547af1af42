"""``dkg``: the command line, a thin layer over functions that tests and notebooks call directly.

Exit codes (every command):

- ``0`` success;
- ``1`` validation failed: the records have problems or the graph does not conform to the shapes;
- ``2`` usage or input error: bad arguments, a missing records directory or store, a malformed query,
  an unknown question or parameter, a remote store that refused or could not be reached.

``dkg push`` uses ``1`` when the remote store's counts differ from what was sent.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from .network.names import METRICS, PROJECTIONS
from .validate import ENGINES

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
#: Rows a table shows unless --limit says otherwise.
TABLE_ROWS = 50
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
    except (OSError, UnicodeError, csv.Error) as err:
        # The edge: whatever a command did not map to a message of its own still reaches the user
        # as one line naming the file, never as a traceback.
        where = f"{err.filename}: " if isinstance(err, OSError) and err.filename else ""
        what = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        print(f"dkg {args.command}: {where}{what}", file=sys.stderr)
        return EXIT_USAGE


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
    p.add_argument("adapter", choices=("cordis", "participedia", "assemblies"), help="the kind of export")
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

    p = sub.add_parser("query", help="run a SPARQL query or a named question against the store or an endpoint",
                       description="Run SPARQL against the built store, or against a remote SPARQL endpoint with "
                                   "--endpoint. The default graph is the union of all named graphs; the project "
                                   "prefixes (dkg:, org:, schema:, skos:, ...) are predeclared. --name runs a question "
                                   "of the library (graph/queries/*.rq; --list shows them); --param values are bound "
                                   "as RDF terms, never pasted into the query text.")
    p.add_argument("sparql", nargs="?", help="the query text (or use -f or --name)")
    p.add_argument("-f", "--file", type=Path, help="read the query from a .rq file")
    p.add_argument("-n", "--name", help="run a named question of the library")
    p.add_argument("-p", "--param", action="append", default=[], metavar="KEY=VALUE",
                   help="a parameter of the question (repeatable), e.g. network=organisation:nets4dem")
    p.add_argument("--list", action="store_true", help="list the named questions with their parameters and exit")
    p.add_argument("--show", action="store_true",
                   help="print the query as any endpoint takes it (prefixes declared, parameters bound) and exit; "
                        "paste it into the query editor of 'dkg serve'")
    p.add_argument("--store", type=Path, default=Path("build"), help="build or store directory (default: %(default)s)")
    _endpoint_arguments(p, "SPARQL 1.1 query endpoint to run against instead of the local store, "
                           "e.g. http://127.0.0.1:7878/query")
    p.add_argument("--format", choices=("table", "csv", "tsv", "json"), default="table", help="output format (default: %(default)s)")
    p.add_argument("--limit", type=int, metavar="N",
                   help="show at most N rows (default: 50 for tables, all for csv, tsv and json; 0: all)")
    p.add_argument("--allow-service", action="store_true",
                   help="let SERVICE clauses fetch from the addresses they name (refused by default: a query "
                        "must not make this machine send requests elsewhere)")
    p.set_defaults(func=_cmd_query)

    p = sub.add_parser("serve", help="serve the built graph as a read-only SPARQL endpoint (127.0.0.1:7878)",
                       description="Run the Oxigraph SPARQL server over a snapshot of the current build: read-only, "
                                   "bound to 127.0.0.1 unless --host says otherwise, with a query timeout, the union "
                                   "of all graphs as default graph, project prefixes declared, and the project's query editor at /. A build running "
                                   "meanwhile does not affect it; restart to serve a newer build.")
    p.add_argument("--store", type=Path, default=Path("build"), help="build or store directory (default: %(default)s)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s, this machine only)")
    p.add_argument("--port", type=int, default=7878, help="port (default: %(default)s)")
    p.add_argument("--timeout", type=int, default=30, help="query timeout in seconds (default: %(default)s)")
    p.add_argument("--cors", action="store_true", help="allow cross-origin requests (for query pages on other sites)")
    p.set_defaults(func=_cmd_serve)

    p = sub.add_parser("push", help="upload the built dataset to a remote store, graph by graph",
                       description="Upload every named graph of the built store (or those given with --graph) to a "
                                   "SPARQL 1.1 Graph Store HTTP Protocol endpoint: one streamed PUT per graph, which "
                                   "replaces that graph on the server. With --query-endpoint the triples per graph "
                                   "are counted there afterwards and compared. Exit codes: 0 pushed (and the counts "
                                   "agree), 1 counts differ, 2 usage error or the server refused or was unreachable.")
    p.add_argument("--store", type=Path, default=Path("build"), help="build or store directory (default: %(default)s)")
    _endpoint_arguments(p, "Graph Store endpoint, e.g. http://127.0.0.1:7879/store (Oxigraph), "
                           "http://host:3030/ds/data (Fuseki); see docs/scale-out.md")
    p.add_argument("--graph", action="append", default=[], metavar="NAME",
                   help="only this graph (a name such as curated, or a graph IRI; repeatable)")
    p.add_argument("--query-endpoint", metavar="URL", help="SPARQL query endpoint of the same server, to check the counts")
    p.set_defaults(func=_cmd_push)

    p = sub.add_parser("analyse", help="network analysis of collaboration ties: tables, GEXF/GraphML, analysis graph",
                       description="Project the graph into a network (collaboration ties between organisations by "
                                   "default), compute the metrics and write one table per metric (CSV and Parquet), "
                                   "the network as GEXF, GraphML and node-link JSON, and the analysis as RDF "
                                   "(analysis.nq; --write-back also loads it into the store, where "
                                   "'dkg query --name top-brokers' reads it). See docs/network.md.")
    p.add_argument("--store", type=Path, default=Path("build"), help="build or store directory (default: %(default)s)")
    _endpoint_arguments(p, "SPARQL 1.1 query endpoint to read the graph from instead of the local store")
    p.add_argument("--projection", default="collaboration", choices=PROJECTIONS,
                   help="which network (default: %(default)s)")
    _filter_arguments(p)
    p.add_argument("--metrics", default="", help="comma-separated metrics (default: all that apply): "
                   + ", ".join(METRICS))
    p.add_argument("--out", type=Path, help="output directory (default: analysis/<projection>)")
    p.add_argument("--write-back", action="store_true", help="load the analysis graph into the store's current release")
    p.add_argument("--seed", type=int, default=42, help="seed of every sampled or randomised step (default: %(default)s)")
    p.add_argument("--k", type=int, default=256, help="sampled sources for betweenness and closeness on large "
                   "networks (default: %(default)s)")
    p.add_argument("--exact-limit", type=int, default=2000, help="largest network whose betweenness and closeness "
                   "are computed exactly (default: %(default)s)")
    p.add_argument("--communities", choices=("auto", "leiden", "louvain"), default="auto",
                   help="community algorithm (default: %(default)s, i.e. Leiden)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_analyse)

    p = sub.add_parser("map", help="an interactive network map: one self-contained, offline HTML page",
                       description="Draw a projection (or the ego network of one organisation in it) as an "
                                   "interactive map: a single HTML file with everything inlined, that works offline "
                                   "from file:// and fetches nothing; names are shown as text, never run as HTML. "
                                   "Positions are computed with a seed, so the same input gives the same map.")
    p.add_argument("--store", type=Path, default=Path("build"), help="build or store directory (default: %(default)s)")
    p.add_argument("--projection", default="collaboration", choices=PROJECTIONS, help="which network (default: %(default)s)")
    _filter_arguments(p)
    p.add_argument("--ego", metavar="NODE", help="only this organisation's ego network (IRI, kind/key, key or name)")
    p.add_argument("--radius", type=int, default=1, help="ego network radius in ties (default: %(default)s)")
    p.add_argument("--color-by", default="community", help="node attribute for colours: community, kind, country, "
                   "orgtype... (default: %(default)s)")
    p.add_argument("--size-by", default="betweenness", help="node metric for sizes (default: %(default)s)")
    p.add_argument("--labels", type=int, default=30, help="how many of the largest nodes show their name (default: %(default)s)")
    p.add_argument("--seed", type=int, default=42, help="layout and community seed (default: %(default)s)")
    p.add_argument("--title", help="page title (default: from the projection)")
    p.add_argument("--out", type=Path, help="HTML file to write (default: maps/<projection>.html)")
    p.add_argument("--max-nodes", type=int, default=2000, help="draw at most this many nodes, the largest by "
                   "--size-by, with the ties among them (default: %(default)s; 0 draws all)")
    p.add_argument("--backbone", type=int, metavar="N",
                   help="draw a larger network as its backbone: the densest k-core with at most N nodes")
    p.add_argument("--figure", action="append", default=[], choices=("png", "svg"),
                   help="also write the map as a figure for papers, same layout and colours (repeatable)")
    p.set_defaults(func=_cmd_map)

    p = sub.add_parser("publish", help="a static site: maps, downloads, ontology pages, licences, citation",
                       description="Write a static site from the current build: an index of maps, downloads "
                                   "(N-Quads, TriG, Turtle, JSON-LD, VoID, analysis tables, GEXF), HTML pages of the "
                                   "ontology and vocabularies, licences and attribution per source, CITATION.cff. "
                                   "Every page opens offline from file://. The old site is replaced only when the "
                                   "new one is complete.")
    p.add_argument("--store", type=Path, default=Path("build"), help="build directory (default: %(default)s)")
    p.add_argument("--out", type=Path, default=Path("site"), help="site directory (default: %(default)s)")
    p.add_argument("--seed", type=int, default=42, help="layout and community seed (default: %(default)s)")
    p.set_defaults(func=_cmd_publish)

    p = sub.add_parser("stats", help="count entities per class and triples per named graph")
    p.add_argument("--store", type=Path, default=Path("build"), help="build or store directory (default: %(default)s)")
    p.add_argument("--format", choices=("human", "json"), default="human", help="output format (default: %(default)s)")
    p.set_defaults(func=_cmd_stats)
    return parser


def _filter_arguments(p: argparse.ArgumentParser) -> None:
    """The tie filters that ``analyse`` and ``map`` share (graph.network.select.TieFilter)."""
    p.add_argument("--programme", action="append", default=[], help="only collaborations under this programme "
                   "(IRI, kind/key or key; narrower programmes included; repeatable)")
    p.add_argument("--method", action="append", default=[], help="only collaborations using this method or a "
                   "narrower one (repeatable)")
    p.add_argument("--country", action="append", default=[], help="only organisations in this country "
                   "(ISO code or English name; repeatable)")
    p.add_argument("--type", dest="orgtype", action="append", default=[], help="only organisations of this type, "
                   "e.g. local-government (repeatable)")
    p.add_argument("--role", action="append", default=[], help="only participations in this role or a narrower "
                   "one, e.g. coordinator (repeatable)")
    p.add_argument("--source", dest="sources", action="append", default=[], help="only ties from this source "
                   "graph, e.g. curated, participedia, assemblies (repeatable)")
    p.add_argument("--from", dest="start_year", type=int, help="only ties active in or after this year")
    p.add_argument("--to", dest="end_year", type=int, help="only ties active in or before this year")


def _tie_filter(args: argparse.Namespace):  # noqa: ANN202 - a graph.network.select.TieFilter
    from .network.select import TieFilter

    return TieFilter(programmes=tuple(args.programme), methods=tuple(args.method), countries=tuple(args.country),
                     orgtypes=tuple(args.orgtype), roles=tuple(args.role), start_year=args.start_year,
                     end_year=args.end_year, sources=tuple(args.sources))


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
    if not args.records.is_dir():
        print(f"dkg build: records directory not found: {args.records}", file=sys.stderr)
        return EXIT_USAGE
    return _run_build(args.records, args.out, _sources_file(args), args.shacl_engine, args.format, "dkg build")


def _run_build(records: Path, out: Path, sources: Path | None, shacl: str, fmt: str, command: str) -> int:
    from ingest.records import RecordError
    from ingest.sources import ConfigError

    from .build import build
    from .shacl_report import ShaclError

    unchanged = "build failed; the previous graph (if any) is unchanged"
    problem = _unwritable(out)
    if problem:
        print(f"{command}: cannot write to the output folder {out}: {problem}; choose a writable --out", file=sys.stderr)
        print(unchanged, file=sys.stderr)
        return EXIT_USAGE
    try:
        result = build(records, out, shacl=shacl, sources=sources)
    except RecordError as err:
        print(_problems_report(err.problems, fmt), file=sys.stderr)
        print(unchanged, file=sys.stderr)
        return EXIT_INVALID
    except ShaclError as err:
        print(_shacl_report(err.report, fmt), file=sys.stderr)
        print(unchanged, file=sys.stderr)
        return EXIT_INVALID
    except (ConfigError, FileNotFoundError, ValueError, UnicodeError) as err:
        print(f"{command}: {err}", file=sys.stderr)
        print(unchanged, file=sys.stderr)
        return EXIT_USAGE
    except OSError as err:
        where = f" {err.filename}" if getattr(err, "filename", None) else ""
        print(f"{command}: cannot write or read{where}: {err.strerror or err}; check that the output folder "
              f"({out}) is a writable directory with free space", file=sys.stderr)
        print(unchanged, file=sys.stderr)
        return EXIT_USAGE
    print(result.summary())
    return EXIT_OK


def _unwritable(out: Path) -> str:
    """Why a build could not write into ``out`` (empty when it can): a file, read-only, missing parent."""
    import tempfile

    if out.exists() and not out.is_dir():
        return "it is a file, not a folder"
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as err:
        return err.strerror or str(err)
    return ""


def _cmd_ingest(args: argparse.Namespace) -> int:
    """Record a source and rebuild; the sources file changes only when the build succeeds."""
    import os
    import tempfile

    from ingest.sources import ConfigError, load_config, sources_text_with

    if not args.path.exists():
        print(f"dkg ingest: not found: {args.path}", file=sys.stderr)
        return EXIT_USAGE
    if not args.records.is_dir():
        print(f"dkg ingest: records directory not found: {args.records}", file=sys.stderr)
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
    # The new sources file is written beside the old one (relative paths resolve the same),
    # checked, built from, and renamed over the old one only when the build succeeded.
    try:
        text = sources_text_with(args.sources, entry)
        fd, temp = tempfile.mkstemp(prefix=f".{args.sources.name}.", suffix=".tmp", dir=args.sources.resolve().parent)
    except (ConfigError, OSError) as err:
        print(f"dkg ingest: {err}", file=sys.stderr)
        return EXIT_USAGE
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        try:
            load_config(temp)
        except ConfigError as err:
            print(f"dkg ingest: {str(err).replace(temp, str(args.sources))}", file=sys.stderr)
            print(f"{args.sources} unchanged", file=sys.stderr)
            return EXIT_USAGE
        print(f"source {entry['name']}: building with it before recording it in {args.sources}")
        code = _run_build(args.records, args.out, Path(temp), "oxigraph", args.format, "dkg ingest")
        if code != EXIT_OK:
            print(f"{args.sources} unchanged", file=sys.stderr)
            return code
        os.replace(temp, args.sources)
        print(f"{args.sources}: source {entry['name']} recorded")
        return EXIT_OK
    finally:
        Path(temp).unlink(missing_ok=True)


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


def _endpoint_arguments(p: argparse.ArgumentParser, help_text: str) -> None:
    from .remote import AUTH_SCHEMES, DEFAULT_CONNECT_TIMEOUT, DEFAULT_PASSWORD_ENV, DEFAULT_READ_TIMEOUT, PROTOCOLS

    p.add_argument("--endpoint", help=help_text)
    p.add_argument("--user", help="user name for HTTP authentication at the endpoint")
    p.add_argument("--password-env", default=DEFAULT_PASSWORD_ENV, metavar="VAR",
                   help="environment variable that holds the password (default: %(default)s); "
                        "passwords are never taken from the command line")
    p.add_argument("--auth", choices=tuple(AUTH_SCHEMES), default="basic", help="HTTP authentication scheme (default: %(default)s)")
    p.add_argument("--sparql-protocol", choices=PROTOCOLS, default="auto",
                   help="how queries are sent: auto (GET when short, else form POST; every server answers), get, "
                        "form, or direct (POST application/sparql-query) (default: %(default)s)")
    p.add_argument("--timeout", type=float, default=DEFAULT_READ_TIMEOUT, metavar="SECONDS",
                   help="seconds to wait for an answer from the endpoint (default: %(default)g)")
    p.add_argument("--connect-timeout", type=float, default=DEFAULT_CONNECT_TIMEOUT, metavar="SECONDS",
                   help="seconds to wait for the connection (default: %(default)g)")


def _remote(url: str, args: argparse.Namespace):  # noqa: ANN202 - a graph.remote.SparqlEndpoint
    """The query endpoint at ``url`` with the command's authentication, protocol and timeouts."""
    from .remote import SparqlEndpoint, make_auth

    return SparqlEndpoint(url, auth=make_auth(args.user, args.password_env, args.auth), timeout=args.timeout,
                          connect_timeout=args.connect_timeout, protocol=args.sparql_protocol)


def _cmd_query(args: argparse.Namespace) -> int:
    from .library import LibraryError, ParameterError, QueryNotFound, get_query, load_library, parse_query_file, standalone
    from .query import execute, format_result
    from .remote import EndpointError, SparqlEndpoint
    from .sparql_text import QueryRefused
    from .store import StoreNotFound, open_store

    if args.list:
        print(_library_listing(load_library()))
        return EXIT_OK
    if sum(map(bool, (args.sparql, args.file, args.name))) != 1:
        print("dkg query: give exactly one of a query text, -f FILE or --name QUESTION (--list shows the questions)",
              file=sys.stderr)
        return EXIT_USAGE
    params = {}
    for item in args.param:
        key, eq, value = item.partition("=")
        if not eq or not key:
            print(f"dkg query: --param expects KEY=VALUE, got {item!r}", file=sys.stderr)
            return EXIT_USAGE
        params[key.strip()] = value
    try:
        if args.name:
            query = get_query(args.name)
        elif args.file:
            query = parse_query_file(args.file)
        else:
            query = parse_query_file(None, text=args.sparql)
        if params and not query.parameters:
            raise ParameterError(f"{query.name}: the query declares no parameters (a '# Parameters:' header)")
        if args.show:
            print(standalone(query.text, query.bind(params)))
            return EXIT_OK
        store = _remote(args.endpoint, args) if args.endpoint else open_store(args.store)
        result = execute(query, store, params, allow_service=args.allow_service)
    except (StoreNotFound, OSError, QueryNotFound, LibraryError, ParameterError, EndpointError, QueryRefused) as err:
        print(f"dkg query: {err}", file=sys.stderr)
        return EXIT_USAGE
    except SyntaxError as err:
        print(f"dkg query: malformed SPARQL: {err}", file=sys.stderr)
        return EXIT_USAGE
    import shutil

    limit = args.limit if args.limit is not None else (TABLE_ROWS if args.format == "table" else 0)
    table = args.format == "table"
    width = shutil.get_terminal_size((120, 24)).columns if table and sys.stdout.isatty() else None
    print(format_result(result, args.format, max_rows=limit or None, total_width=width, count=table))
    if not table and limit and result.rows is not None and len(result.rows) > limit:
        print(f"dkg query: {limit} of {len(result.rows)} rows written (--limit 0 writes all)", file=sys.stderr)
    return EXIT_OK


def _library_listing(library: dict) -> str:
    out = []
    for q in library.values():
        out.append(f"{q.name}\n    {q.question}")
        for p in q.parameters:
            extra = f", default {p.default}" if p.default else ", optional" if p.optional else ", required"
            out.append(f"    --param {p.name}=<{p.kind}{extra}>  {p.description}")
    return "\n".join(out)


def _cmd_serve(args: argparse.Namespace) -> int:
    from .serve import ServeError, serve
    from .store import StoreNotFound

    try:
        return serve(args.store, host=args.host, port=args.port, timeout=args.timeout, cors=args.cors)
    except (ServeError, StoreNotFound) as err:
        print(f"dkg serve: {err}", file=sys.stderr)
        return EXIT_USAGE


def _cmd_push(args: argparse.Namespace) -> int:
    from ontology.namespaces import graph_iri

    from .query import run_query
    from .remote import EndpointError, make_auth, push
    from .store import StoreNotFound, open_store

    if not args.endpoint:
        print("dkg push: --endpoint (the Graph Store URL) is required", file=sys.stderr)
        return EXIT_USAGE
    graphs = [g if "://" in g else graph_iri(g) for g in args.graph] or None
    try:
        auth = make_auth(args.user, args.password_env, args.auth)
        store = open_store(args.store)
        sent = push(store, args.endpoint, graphs=graphs, auth=auth,
                    on_graph=lambda iri, n: print(f"  {iri}: {n} triples"))
        print(f"pushed {sum(sent.values())} triples in {len(sent)} graphs to {args.endpoint}")
        if not args.query_endpoint:
            return EXIT_OK
        remote = _remote(args.query_endpoint, args)
        differ = []
        for iri, n in sent.items():
            result = run_query(remote, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")
            there = int(result.rows[0][0].value)
            if there != n:
                differ.append(f"  {iri}: sent {n}, the server has {there}")
    except (StoreNotFound, EndpointError) as err:
        print(f"dkg push: {err}", file=sys.stderr)
        return EXIT_USAGE
    if differ:
        print("dkg push: the server's counts differ from what was sent:\n" + "\n".join(differ), file=sys.stderr)
        return EXIT_INVALID
    print(f"checked at {args.query_endpoint}: every graph has the triples sent")
    return EXIT_OK


def _cmd_analyse(args: argparse.Namespace) -> int:
    from .network.analyse import analyse
    from .network.select import FilterError
    from .remote import EndpointError
    from .store import StoreNotFound

    metrics = [m.strip() for m in args.metrics.split(",") if m.strip()] or None
    tie_filter = _tie_filter(args)
    out = args.out or Path("analysis") / args.projection
    try:
        if args.endpoint and args.write_back:
            raise ValueError("--write-back loads into the local store; it cannot be combined with --endpoint")
        store = (_remote(args.endpoint, args) if args.endpoint else args.store)
        result = analyse(store, args.projection, tie_filter, metrics, out, write_back=args.write_back,
                         seed=args.seed, k=args.k, exact_limit=args.exact_limit, community_method=args.communities,
                         progress=not args.no_progress and sys.stderr.isatty())
    except (StoreNotFound, EndpointError, FilterError, ValueError, OSError) as err:
        print(f"dkg analyse: {err}", file=sys.stderr)
        return EXIT_USAGE
    g = result.graph
    print(f"{args.projection} network: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges"
          + (f" ({tie_filter.describe()})" if tie_filter.describe() else ""))
    if result.selection is not None:
        removed = ", ".join(f"{n} by {name}" for name, n in result.selection.removed.items() if n)
        print(f"  ties used: {len(result.selection.ties)}" + (f"; left out: {removed}" if removed else ""))
    for table in result.tables:
        print(f"  {table.metric:<20} {table.method}")
    print(f"wrote {len(result.files)} files to {out} (run {result.run})")
    if result.analysis_triples is not None:
        print(f"loaded {result.analysis_triples} triples into the store's analysis graph; ask it with "
              f"'dkg query --name top-brokers'")
    # The total and the three slowest steps, on one short line (Analysis.timings has every step).
    total = sum(result.timings.values())
    slowest = sorted(result.timings.items(), key=lambda item: -item[1])[:3]
    print(f"time: {total:.2f}s (slowest: " + ", ".join(f"{name} {seconds:.2f}s" for name, seconds in slowest) + ")")
    return EXIT_OK


def _cmd_map(args: argparse.Namespace) -> int:
    from .maps.make import make_map
    from .network.select import FilterError
    from .store import StoreNotFound

    out = args.out or Path("maps") / f"{args.projection}.html"
    try:
        path, g = make_map(args.store, out, projection=args.projection, tie_filter=_tie_filter(args), ego=args.ego,
                           radius=args.radius, color_by=args.color_by, size_by=args.size_by, top_labels=args.labels,
                           seed=args.seed, title=args.title, figures=tuple(args.figure),
                           max_nodes=args.max_nodes or None, backbone=args.backbone)
    except (StoreNotFound, FilterError, ValueError, OSError) as err:
        print(f"dkg map: {err}", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {path} ({g.number_of_nodes()} nodes, {g.number_of_edges()} ties); open it in a browser, "
          "no network needed")
    return EXIT_OK


def _cmd_publish(args: argparse.Namespace) -> int:
    from .publish.site import publish
    from .store import StoreNotFound

    try:
        pages = publish(args.store, args.out, seed=args.seed)
    except (StoreNotFound, OSError, ValueError) as err:
        print(f"dkg publish: {err}", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {len(pages)} pages to {args.out}; open {args.out / 'index.html'} in a browser (works offline)")
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
