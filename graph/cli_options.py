"""The options of ``dkg``: groups several commands share (parent parsers) and each command's own.

A group is written once and named in a command's row of :data:`graph.cli.COMMANDS`, so
``--store`` or the endpoint options read the same in every command's ``--help``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from .dumps import DERIVED_MODES
from .network.names import METRICS, PROJECTIONS
from .remote import AUTH_SCHEMES, DEFAULT_CONNECT_TIMEOUT, DEFAULT_PASSWORD_ENV, DEFAULT_READ_TIMEOUT, PROTOCOLS
from .validate import ENGINES

if TYPE_CHECKING:
    from .network.select import TieFilter

DEFAULT_RECORDS = Path("data/records")
DEFAULT_SOURCES = Path("data/sources.toml")


def _group(*adders) -> argparse.ArgumentParser:  # noqa: ANN002 - functions that add options
    parent = argparse.ArgumentParser(add_help=False)
    for add in adders:
        add(parent)
    return parent


def _store(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", type=Path, default=Path("build"), help="build or store directory (default: %(default)s)")


def _records(p: argparse.ArgumentParser) -> None:
    p.add_argument("--records", type=Path, default=DEFAULT_RECORDS, help="records directory (default: %(default)s)")


def _build_out(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, default=Path("build"), help="build directory (default: %(default)s)")


def _site_out(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, default=Path("site"), help="site directory (default: %(default)s)")


def _report_format(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("human", "json"), default="human", help="report format (default: %(default)s)")


def _sources(p: argparse.ArgumentParser) -> None:
    p.add_argument("--sources", type=Path, default=DEFAULT_SOURCES,
                   help="TOML file listing the external sources (CORDIS, Participedia, the Assembly Register) "
                        "to build with; default: %(default)s when it exists")
    p.add_argument("--no-sources", action="store_true", help="the curated records only")


def _shacl(p: argparse.ArgumentParser) -> None:
    p.add_argument("--shacl-engine", choices=ENGINES, default="oxigraph",
                   help="SHACL engine: shapes compiled to SPARQL in Oxigraph (fast) or pySHACL (reference, slow) "
                        "(default: %(default)s)")


def _dumps(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dumps", choices=DERIVED_MODES, default="auto",
                   help="when to write the TriG and per-graph Turtle dumps, always once the new release is "
                        "in place: auto (default: before the command returns for a small graph, in the "
                        "background for a large one), after, background, or none (dkg publish writes them "
                        "when it needs them)")


def _engine(p: argparse.ArgumentParser) -> None:
    p.add_argument("--engine", choices=ENGINES, default="oxigraph",
                   help="SHACL engine (default: %(default)s; pyshacl is the slow reference implementation)")


def _seed(p: argparse.ArgumentParser) -> None:
    p.add_argument("--seed", type=int, default=42, help="layout and community seed (default: %(default)s)")


def endpoint_arguments(p: argparse.ArgumentParser, help_text: str) -> None:
    """``--endpoint`` and how to reach it: authentication, protocol, timeouts."""
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


def _filters(p: argparse.ArgumentParser) -> None:
    """The tie filters that ``analyse`` and ``map`` share (:class:`graph.network.select.TieFilter`)."""
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
    p.add_argument("--projection", default="collaboration", choices=PROJECTIONS, help="which network (default: %(default)s)")


def tie_filter(args: argparse.Namespace) -> TieFilter:
    """The :class:`TieFilter` the filter options describe."""
    from .network.select import TieFilter  # pandas: loaded only by the commands that filter ties

    return TieFilter(programmes=tuple(args.programme), methods=tuple(args.method), countries=tuple(args.country),
                     orgtypes=tuple(args.orgtype), roles=tuple(args.role), start_year=args.start_year,
                     end_year=args.end_year, sources=tuple(args.sources))


#: Option groups by name, as the rows of :data:`graph.cli.COMMANDS` name them.
PARENTS = {
    "store": lambda: _group(_store), "records": lambda: _group(_records), "build_out": lambda: _group(_build_out),
    "site_out": lambda: _group(_site_out), "report_format": lambda: _group(_report_format),
    "sources": lambda: _group(_sources), "shacl": lambda: _group(_shacl), "dumps": lambda: _group(_dumps), "engine": lambda: _group(_engine),
    "seed": lambda: _group(_seed), "filters": lambda: _group(_filters),
}


def ingest_arguments(p: argparse.ArgumentParser) -> None:
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


def query_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("sparql", nargs="?", help="the query text (or use -f or --name)")
    p.add_argument("-f", "--file", type=Path, help="read the query from a .rq file")
    p.add_argument("-n", "--name", help="run a named question of the library")
    p.add_argument("-p", "--param", action="append", default=[], metavar="KEY=VALUE",
                   help="a parameter of the question (repeatable), e.g. network=organisation:nets4dem")
    p.add_argument("--list", action="store_true", help="list the named questions with their parameters and exit")
    p.add_argument("--show", action="store_true",
                   help="print the query as any endpoint takes it (prefixes declared, parameters bound) and exit; "
                        "paste it into the query editor of 'dkg serve'")
    endpoint_arguments(p, "SPARQL 1.1 query endpoint to run against instead of the local store, "
                          "e.g. http://127.0.0.1:7878/query")
    p.add_argument("--format", choices=("table", "csv", "tsv", "json"), default="table", help="output format (default: %(default)s)")
    p.add_argument("--limit", type=int, metavar="N",
                   help="show at most N rows (default: 50 for tables, all for csv, tsv and json; 0: all)")
    p.add_argument("--allow-service", action="store_true",
                   help="let SERVICE clauses fetch from the addresses they name (refused by default: a query "
                        "must not make this machine send requests elsewhere)")


def serve_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s, this machine only)")
    p.add_argument("--port", type=int, default=7878, help="port (default: %(default)s)")
    p.add_argument("--timeout", type=int, default=30, help="query timeout in seconds (default: %(default)s)")
    p.add_argument("--cors", action="store_true", help="allow cross-origin requests (for query pages on other sites)")


def push_arguments(p: argparse.ArgumentParser) -> None:
    endpoint_arguments(p, "Graph Store endpoint, e.g. http://127.0.0.1:7879/store (Oxigraph), "
                          "http://host:3030/ds/data (Fuseki); see docs/scale-out.md")
    p.add_argument("--graph", action="append", default=[], metavar="NAME",
                   help="only this graph (a name such as curated, or a graph IRI; repeatable)")
    p.add_argument("--query-endpoint", metavar="URL", help="SPARQL query endpoint of the same server, to check the counts")


def analyse_arguments(p: argparse.ArgumentParser) -> None:
    endpoint_arguments(p, "SPARQL 1.1 query endpoint to read the graph from instead of the local store")
    _filters(p)
    p.add_argument("--metrics", default="", help="comma-separated metrics (default: all that apply): "
                   + ", ".join(METRICS))
    p.add_argument("--out", type=Path, help="output directory (default: analysis/<projection>)")
    p.add_argument("--write-back", action="store_true",
                   help="load the analysis graph into a new release made from the current one")
    p.add_argument("--seed", type=int, default=42, help="seed of every sampled or randomised step (default: %(default)s)")
    p.add_argument("--k", type=int, default=256, help="sampled sources for betweenness and closeness on large "
                   "networks (default: %(default)s)")
    p.add_argument("--exact-limit", type=int, default=2000, help="largest network whose betweenness and closeness "
                   "are computed exactly (default: %(default)s)")
    p.add_argument("--communities", choices=("auto", "leiden", "louvain"), default="auto",
                   help="community algorithm (default: %(default)s, i.e. Leiden)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")


def map_arguments(p: argparse.ArgumentParser) -> None:
    _filters(p)
    p.add_argument("--ego", metavar="NODE", help="only this organisation's ego network (IRI, kind/key, key or name)")
    p.add_argument("--radius", type=int, default=1, help="ego network radius in ties (default: %(default)s)")
    p.add_argument("--color-by", default="community", help="node attribute for colours: community, kind, country, "
                   "orgtype... (default: %(default)s)")
    p.add_argument("--size-by", default="betweenness", help="node metric for sizes (default: %(default)s)")
    p.add_argument("--labels", type=int, default=30, help="how many of the largest nodes show their name (default: %(default)s)")
    _seed(p)
    p.add_argument("--title", help="page title (default: from the projection)")
    p.add_argument("--out", type=Path, help="HTML file to write (default: maps/<projection>.html)")
    p.add_argument("--max-nodes", type=int, default=2000, help="draw at most this many nodes, the largest by "
                   "--size-by, with the ties among them (default: %(default)s; 0 draws all)")
    p.add_argument("--backbone", type=int, metavar="N",
                   help="draw a larger network as its backbone: the densest k-core with at most N nodes")
    p.add_argument("--figure", action="append", default=[], choices=("png", "svg"),
                   help="also write the map as a figure for papers, same layout and colours (repeatable)")
    p.add_argument("--recompute", action="store_true",
                   help="measure the network even when 'dkg analyse --write-back' already did (with the same "
                        "projection, filter and seed; its values are read by default)")
