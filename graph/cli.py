"""``dkg``: the command line, a thin table over the front door (:mod:`graph.api`).

Each command is a row of :data:`COMMANDS`: its help, the option groups it shares with others
(parent parsers), its own options and a handler that calls one :mod:`graph.api` job and returns
its result. :func:`main` prints the result's ``summary()`` and returns its ``exit_code``; every
error a user can act on is an :class:`ontology.errors.DkgError` and is printed as one line (or
as the records' or shapes' report) by the one ``try`` in :func:`main`, never as a traceback.

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
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ontology.errors import EXIT_INVALID, EXIT_OK, EXIT_USAGE, DkgError

from . import api
from .cli_options import (DEFAULT_SOURCES, PARENTS, analyse_arguments, ingest_arguments,
                          map_arguments, push_arguments, query_arguments, serve_arguments, tie_filter)

__all__ = ["main", "COMMANDS", "EXIT_OK", "EXIT_INVALID", "EXIT_USAGE"]

#: Rows a table shows unless --limit says otherwise.
TABLE_ROWS = 50


class UsageError(DkgError):
    """The arguments given do not make a command (a missing or conflicting option)."""


@dataclass(frozen=True)
class Command:
    """One ``dkg`` command: what ``--help`` says, the option groups it takes, what it runs."""

    name: str
    help: str
    description: str
    run: Callable[[argparse.Namespace], object]
    parents: tuple[str, ...] = ()
    arguments: Callable[[argparse.ArgumentParser], None] | None = None
    #: A line printed after any failure (the build's promise that nothing changed).
    on_failure: str = ""


def main(argv: list[str] | None = None) -> int:
    """Run ``dkg`` with ``argv``; return the exit code (see the module docstring).

    Examples
    --------
    >>> main([])  # doctest: +ELLIPSIS
    usage: dkg ...
    2
    """
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    command = COMMANDS[args.command]
    try:
        result = command.run(args)
        if isinstance(result, int):
            return result
        print(result.summary())
        return result.exit_code
    except BrokenPipeError:  # e.g. `dkg query ... | head`
        return EXIT_OK
    except DkgError as err:
        print(_error_text(err, args), file=sys.stderr)
        code = err.exit_code
    except (OSError, UnicodeError, csv.Error, ValueError) as err:
        # The edge: whatever a command did not turn into a DkgError still reaches the user as one
        # line naming the file, never as a traceback.
        where = f"{err.filename}: " if isinstance(err, OSError) and err.filename else ""
        what = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        print(f"dkg {args.command}: {where}{what}", file=sys.stderr)
        code = EXIT_USAGE
    if command.on_failure:
        print(command.on_failure.format(**vars(args)), file=sys.stderr)
    return code


def _error_text(err: DkgError, args: argparse.Namespace) -> str:
    """A records or shapes report as the command's ``--format`` asks; any other error as one line."""
    fmt = getattr(args, "format", "human")
    problems, report = getattr(err, "problems", None), getattr(err, "report", None)
    if problems is not None:
        result = api.Validation(0, problems)
    elif report is not None:
        result = api.Validation(0, [], [], report)
    else:
        return f"dkg {args.command}: {err}"
    if fmt == "json":
        found = result.as_dict()
        return json.dumps({key: found[key] for key in ("conforms", "records", "shacl") if key in found and
                           (key != "records" or problems is not None)}, indent=2)
    return result.summary() if problems is not None else str(report)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dkg", description="democracy-kg: build, validate and query the democratic-innovation knowledge graph.",
        epilog="Exit codes: 0 ok, 1 validation failed, 2 usage or input error.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS.values():
        p = sub.add_parser(command.name, help=command.help, description=command.description,
                           parents=[PARENTS[name]() for name in command.parents])
        if command.arguments is not None:
            command.arguments(p)
    return parser


def _sources_file(args: argparse.Namespace) -> Path | None:
    """The sources file a command should use: none with --no-sources or when the default is absent."""
    if args.no_sources or (args.sources == DEFAULT_SOURCES and not DEFAULT_SOURCES.exists()):
        return None
    return args.sources


def _build(args: argparse.Namespace) -> object:
    return api.build(args.records, args.out, sources=_sources_file(args), shacl=args.shacl_engine, derived=args.dumps)


def _ingest(args: argparse.Namespace) -> object:
    """Record a source and rebuild; the sources file changes only when the build succeeds."""
    import os

    if not args.path.exists():
        raise UsageError(f"not found: {args.path}")
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
            raise UsageError("filters apply to CORDIS sources only")
        entry["filter"] = filters
    result = api.ingest(entry, args.sources, args.records, args.out)
    print(result.summary())
    print(f"{args.sources}: source {entry['name']} recorded")
    return EXIT_OK


def _validate(args: argparse.Namespace) -> object:
    result = api.validate(args.records, _sources_file(args), engine=args.engine)
    print(json.dumps(result.as_dict(), indent=2) if args.format == "json" else result.summary())
    return result.exit_code


def _release(args: argparse.Namespace) -> api.Release:
    """The release a command reads: ``--endpoint`` when given, else ``--store``."""
    endpoint = getattr(args, "endpoint", None)
    return _endpoint(endpoint, args) if endpoint else api.open_release(args.store)


def _endpoint(url: str, args: argparse.Namespace) -> api.Release:
    """The SPARQL endpoint at ``url``, reached with the command's authentication, protocol and timeouts."""
    return api.open_release(url, user=args.user, password_env=args.password_env, auth=args.auth,
                            protocol=args.sparql_protocol, timeout=args.timeout, connect_timeout=args.connect_timeout)


def _query(args: argparse.Namespace) -> int:
    if args.list:
        print(_library_listing(api.load_library()))
        return EXIT_OK
    if sum(map(bool, (args.sparql, args.file, args.name))) != 1:
        raise UsageError("give exactly one of a query text, -f FILE or --name QUESTION (--list shows the questions)")
    params = {}
    for item in args.param:
        key, eq, value = item.partition("=")
        if not eq or not key:
            raise UsageError(f"--param expects KEY=VALUE, got {item!r}")
        params[key.strip()] = value
    query = api.as_query(args.name or args.file or args.sparql)
    if params and not query.parameters:
        raise api.ParameterError(f"{query.name}: the query declares no parameters (a '# Parameters:' header)")
    if args.show:
        print(api.standalone(query.text, query.bind(params)))
        return EXIT_OK
    result = _release(args).execute(query, params, allow_service=args.allow_service)
    limit = args.limit if args.limit is not None else (TABLE_ROWS if args.format == "table" else 0)
    table = args.format == "table"
    width = shutil.get_terminal_size((120, 24)).columns if table and sys.stdout.isatty() else None
    print(api.format_result(result, args.format, max_rows=limit or None, total_width=width, count=table))
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


def _serve(args: argparse.Namespace) -> int:
    return api.serve(args.store, host=args.host, port=args.port, timeout=args.timeout, cors=args.cors)


def _push(args: argparse.Namespace) -> object:
    if not args.endpoint:
        raise UsageError("--endpoint (the Graph Store URL) is required")
    check = _endpoint(args.query_endpoint, args) if args.query_endpoint else None
    result = api.push(args.store, args.endpoint, graphs=args.graph, user=args.user, password_env=args.password_env,
                      auth=args.auth, check=check, on_graph=lambda iri, n: print(f"  {iri}: {n} triples"))
    if result.differ:
        print(f"pushed {sum(result.sent.values())} triples in {len(result.sent)} graphs to {result.endpoint}")
        print("dkg push: the server's counts differ from what was sent:\n" + "\n".join(result.differ), file=sys.stderr)
        return result.exit_code
    return result


def _analyse(args: argparse.Namespace) -> object:
    if args.endpoint and args.write_back:
        raise UsageError("--write-back loads into a new release of the local store; it cannot be combined "
                         "with --endpoint")
    metrics = [m.strip() for m in args.metrics.split(",") if m.strip()] or None
    return api.analyse(_release(args) if args.endpoint else args.store, args.projection,
                       tie_filter=tie_filter(args), metrics=metrics, out=args.out or Path("analysis") / args.projection,
                       write_back=args.write_back, seed=args.seed, k=args.k, exact_limit=args.exact_limit,
                       community_method=args.communities, progress=not args.no_progress and sys.stderr.isatty())


def _map(args: argparse.Namespace) -> object:
    return api.draw(args.store, args.out, projection=args.projection, tie_filter=tie_filter(args), ego=args.ego,
                    radius=args.radius, color_by=args.color_by, size_by=args.size_by, top_labels=args.labels,
                    seed=args.seed, title=args.title, figures=tuple(args.figure), max_nodes=args.max_nodes or None,
                    backbone=args.backbone, recompute=args.recompute)


def _publish(args: argparse.Namespace) -> object:
    return api.publish(args.store, args.out, seed=args.seed)


def _stats(args: argparse.Namespace) -> object:
    stats = api.open_release(args.store).stats()
    if args.format == "json":
        print(json.dumps({"classes": stats.classes, "graphs": stats.graphs}, indent=2))
        return EXIT_OK
    return stats


_UNCHANGED = "build failed; the previous graph (if any) is unchanged"

#: Every command, in the order ``dkg --help`` lists them.
COMMANDS: dict[str, Command] = {c.name: c for c in (
    Command("build", "build the graph from the records into the store (atomic)",
            "Validate the records, map them to RDF, check SHACL, write dumps and load a new store; swap it in "
            "only when everything succeeded.", _build, ("records", "build_out", "report_format", "sources", "shacl", "dumps"),
            on_failure=_UNCHANGED),
    Command("ingest", "add (or replace) a CORDIS or Participedia source and rebuild",
            "Record the source in the sources file (replacing an entry of the same name) and rebuild everything, "
            "so the source's named graph is replaced, never duplicated. Bad rows go to build/current/rejects.csv.",
            _ingest, ("records", "build_out", "report_format"), ingest_arguments,
            on_failure=_UNCHANGED + "\n{sources} unchanged"),
    Command("validate", "validate the records and the SHACL shapes without building",
            "Check every record file, then the RDF they map to against ontology/shapes.ttl. Lists all problems, "
            "each with file, line, field and value.", _validate, ("records", "report_format", "sources", "engine")),
    Command("query", "run a SPARQL query or a named question against the store or an endpoint",
            "Run SPARQL against the built store, or against a remote SPARQL endpoint with --endpoint. The default "
            "graph is the union of all named graphs; the project prefixes (dkg:, org:, schema:, skos:, ...) are "
            "predeclared. --name runs a question of the library (graph/queries/*.rq; --list shows them); --param "
            "values are bound as RDF terms, never pasted into the query text.", _query, ("store",), query_arguments),
    Command("serve", "serve the built graph as a read-only SPARQL endpoint (127.0.0.1:7878)",
            "Run the Oxigraph SPARQL server over a snapshot of the current build: read-only, bound to 127.0.0.1 "
            "unless --host says otherwise, with a query timeout, the union of all graphs as default graph, project "
            "prefixes declared, and the project's query editor at /. A build running meanwhile does not affect it; "
            "restart to serve a newer build.", _serve, ("store",), serve_arguments),
    Command("push", "upload the built dataset to a remote store, graph by graph",
            "Upload every named graph of the built store (or those given with --graph) to a SPARQL 1.1 Graph Store "
            "HTTP Protocol endpoint: one streamed PUT per graph, which replaces that graph on the server. With "
            "--query-endpoint the triples per graph are counted there afterwards and compared. Exit codes: 0 "
            "pushed (and the counts agree), 1 counts differ, 2 usage error or the server refused or was "
            "unreachable.", _push, ("store",), push_arguments),
    Command("analyse", "network analysis of collaboration ties: tables, GEXF/GraphML, analysis graph",
            "Project the graph into a network (collaboration ties between organisations by default), compute the "
            "metrics and write one table per metric (CSV and Parquet), the network as GEXF, GraphML and node-link "
            "JSON, and the analysis as RDF (analysis.nq; --write-back also loads it into a new release of the "
            "store, where 'dkg query --name top-brokers' reads it). See docs/network.md.", _analyse,
            ("store",), analyse_arguments),
    Command("map", "an interactive network map: one self-contained, offline HTML page",
            "Draw a projection (or the ego network of one organisation in it) as an interactive map: a single HTML "
            "file with everything inlined, that works offline from file:// and fetches nothing; names are shown as "
            "text, never run as HTML. Positions are computed with a seed, so the same input gives the same map.",
            _map, ("store",), map_arguments),
    Command("publish", "a static site: maps, downloads, ontology pages, licences, citation",
            "Write a static site from the current build: an index of maps, downloads (N-Quads, TriG, Turtle, "
            "JSON-LD, VoID, analysis tables, GEXF), HTML pages of the ontology and vocabularies, licences and "
            "attribution per source, CITATION.cff. Every page opens offline from file://. The old site is "
            "replaced only when the new one is complete.", _publish, ("store", "site_out", "seed")),
    Command("stats", "count entities per class and triples per named graph",
            "Count entities per class (data only) and triples per named graph of the current build.",
            _stats, ("store", "report_format")),
)}

if __name__ == "__main__":
    sys.exit(main())
