"""``dkg publish``: a static site of maps, downloads, vocabulary pages, licences and a citation.

The site is plain files that open from ``file://`` with no network. Every page is written by this
module with every value escaped, and maps are :mod:`graph.maps` pages. It holds:

- ``index.html``: the maps with a line on what each shows, the downloads, the licences;
- ``maps/``: the curated network of networks first, the actors of democratic innovation, the
  case–method network, then EU research collaboration (CORDIS) and its countries, and the ego
  network of the best-connected actor; a map with fewer than :data:`MIN_MAP_NODES` nodes is not
  published, and the index says so;
- ``downloads/``: the dataset (N-Quads, TriG, Turtle per graph, JSON-LD per graph up to
  :data:`JSONLD_LIMIT` triples), the VoID/DCAT description, the actors and the collaboration
  analyses (CSV tables, GEXF, GraphML);
- ``ontology.html`` and ``vocabularies.html``, generated from ``ontology/*.ttl``
  (:mod:`graph.publish.vocabulary`);
- ``licences.html``: each source graph's licence and the credit its licence asks for;
- ``CITATION.cff``.

Examples
--------
>>> page("T & <b>", "<p>x</p>").count("T &amp; &lt;b&gt;")
2
"""

from __future__ import annotations

import html
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ontology.namespaces import GRAPH

from ..maps.make import make_map
from ..network.analyse import analyse
from ..network.extract import extract
from ..network.select import TieFilter
from ..query import select
from ..store import BuildLayout, open_store, resolve_store_path

__all__ = ["publish", "page", "MAPS", "JSONLD_LIMIT", "MIN_MAP_NODES"]

#: Graphs up to this many triples also get a JSON-LD download (JSON-LD of a million triples helps nobody).
JSONLD_LIMIT = 200_000


@dataclass(frozen=True)
class MapEntry:
    file: str
    title: str
    projection: str
    about: str
    color_by: str = "community"
    tie_filter: TieFilter | None = None
    #: Draw a larger network as its k-core backbone of at most this many nodes, and add
    #: ``full`` (the whole network, capped as any map) one click away.
    backbone: int | None = None
    full: str | None = None


#: The most nodes a backbone map draws (a few hundred stay readable at first sight).
BACKBONE_NODES = 300

#: The site's maps, in the order the index lists them: the field first, EU research after.
MAPS = (
    MapEntry("networks-of-networks.html", "Networks of networks", "membership",
             "The curated field: Nets4Dem and its founding members, the programmes and events they run "
             "(Democracy Labs, the accelerator's cohorts, Rising Stars), the European Capital of Democracy "
             "with its applicant cities, and EC-NET with its partners. Arrows point from a member or "
             "participant to what it belongs to; colours are kinds (organisation, city, programme, event).",
             color_by="kind",
             tie_filter=TieFilter(kinds=("network", "programme", "event", "project"), sources=("curated",))),
    MapEntry("actors.html", "Actors of democratic innovation", "actors",
             "Cities and organisations tied by the networks, programmes, events and cases they share "
             "(curated records, Participedia, the UK Citizens' Assembly Register); colours are communities, "
             "sizes betweenness (how often an actor lies between others)."),
    MapEntry("case-method.html", "Cases, methods and organisers", "case-method",
             "Cases of democratic innovation, the methods they use and the organisations that ran them.",
             color_by="kind"),
    MapEntry("collaboration.html", "EU research collaboration (CORDIS)", "collaboration",
             "Organisations tied by the EU-funded research projects (and networks) they share: mostly "
             "universities and research institutes; colours are communities, sizes betweenness. "
             "Hollow squares are organisations that CORDIS lists by PIC only. A large network is drawn as "
             "its backbone (its densest k-core), with the full network one click away.",
             backbone=BACKBONE_NODES, full="collaboration-full.html"),
    MapEntry("country.html", "Countries in EU research collaboration", "country",
             "Collaboration ties summed by country; sizes follow betweenness between countries.", color_by="community"),
)
#: A map needs at least this many nodes to say anything; smaller ones are listed, not published.
MIN_MAP_NODES = 2

_STYLE = """body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
color: #1d2733; line-height: 1.45 } table { border-collapse: collapse } td, th { border-bottom: 1px solid #d0d7de;
padding: .25rem .6rem; text-align: left; vertical-align: top } code { font-size: .9em } nav a { margin-right: 1rem }"""


def page(title: str, body: str) -> str:
    """A complete HTML page around ``body`` (already escaped HTML); ``title`` is escaped here."""
    t = html.escape(title)
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
            f"<title>{t}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
            "<nav><a href=\"index.html\">Maps and downloads</a><a href=\"ontology.html\">Ontology</a>"
            "<a href=\"vocabularies.html\">Vocabularies</a><a href=\"licences.html\">Licences</a></nav>\n"
            f"<h1>{t}</h1>\n{body}\n</body>\n</html>\n")


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _link(href: str, text: str) -> str:
    """A link only for relative paths and http(s) addresses; anything else is shown as text."""
    if href.startswith(("http://", "https://")) or not (":" in href.split("/", 1)[0]):
        return f'<a href="{_e(href)}">{_e(text)}</a>'
    return _e(text)


def _downloads(store: ox.Store, dumps: Path, out: Path) -> list[tuple[str, str, int]]:
    """Copy the dumps and write JSON-LD per small graph; return (file, what, bytes) rows."""
    target = out / "downloads"
    target.mkdir(parents=True, exist_ok=True)
    rows = []
    for path in sorted(dumps.iterdir()):
        if path.suffix in (".nq", ".trig", ".ttl"):
            try:  # a hard link: the H2020 dumps are hundreds of MB, and a release's dumps never change
                os.link(path, target / path.name)
            except OSError:
                shutil.copy2(path, target / path.name)
            what = {"democracy-kg.nq": "the whole dataset, N-Quads", "democracy-kg.trig": "the whole dataset, TriG",
                    "void.ttl": "VoID/DCAT description of the dataset"}.get(path.name, f"graph {path.stem}, Turtle")
            rows.append((f"downloads/{path.name}", what, path.stat().st_size))
    counts = select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g", store)
    for graph, n in zip(counts["g"].tolist(), counts["n"].tolist()):
        name = graph.rstrip("/").rsplit("/", 1)[-1]
        # Run metadata (graph/build) stays in the store, as in the dumps; analyses are downloads of their own.
        if (n > JSONLD_LIMIT or not graph.startswith(str(GRAPH)) or "/analysis/" in graph
                or graph == str(GRAPH["build"])):
            continue
        triples = [q.triple for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))]
        path = target / f"{name}.jsonld"
        path.write_bytes(ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.JSON_LD) or b"")
        rows.append((f"downloads/{path.name}", f"graph {name}, JSON-LD", path.stat().st_size))
    return rows


def _licences(store: ox.Store) -> list[dict]:
    frame = select("""SELECT ?graph ?title ?licence ?attribution WHERE {
          GRAPH ?graph { ?graph a dcat:Dataset . OPTIONAL { ?graph dcterms:license ?licence }
                         OPTIONAL { ?graph rdfs:label|dcterms:title ?title } OPTIONAL { ?graph dkg:attribution ?attribution } }
        } ORDER BY ?graph ?title ?licence ?attribution""", store)
    return frame.drop_duplicates("graph").to_dict("records")


def _citation(out: Path, version: str, date: str) -> Path:
    path = out / "CITATION.cff"
    path.write_text(
        "cff-version: 1.2.0\n"
        "message: \"If you use this dataset, please cite it as below, and credit each source as licences.html says.\"\n"
        "type: dataset\n"
        "title: \"democracy-kg: a knowledge graph of democratic innovation practice in Europe\"\n"
        "authors:\n  - name: \"democracy-kg developers\"\n"
        f"version: \"{version}\"\n"
        f"date-released: \"{date}\"\n"
        "license: CC-BY-4.0\n"
        "url: \"https://w3id.org/democracy-kg/\"\n"
        "keywords:\n  - democratic innovation\n  - knowledge graph\n  - RDF\n  - network analysis\n",
        encoding="utf-8")
    return path


def publish(store_dir: Path | str = "build", out: Path | str = "site", *, seed: int = 42,
            date: str | None = None) -> list[Path]:
    """Build the static site from the current build into ``out`` (replaced); return the pages written.

    Parameters
    ----------
    store_dir : Path or str
        A build directory (``dkg build``).
    out : Path or str
        The site directory; an old one is replaced only after the new one is complete.
    seed : int
        Layout and community seed of the maps.
    date : str, optional
        Release date for ``CITATION.cff`` (default: ``SOURCE_DATE_EPOCH`` or today).
    """
    import datetime as dt

    from .vocabulary import write_vocabulary_pages

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    _recover(out)
    staging = out.with_name(f".{out.name}.staging-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    layout = BuildLayout(store_dir)
    resolve_store_path(store_dir)  # a clear error when there is no build
    tables = extract(store_dir)
    pages: list[Path] = []
    map_rows = []
    (staging / "maps").mkdir()
    # One analysis per projection serves its downloads, its map and (actors) the ego map.
    analyses = {projection: analyse(tables=tables, projection=projection, out=staging / "downloads" / projection,
                                    metrics=["summary", "degree", "betweenness", "communities", "constraint",
                                             "brokerage"],
                                    graph_formats=("gexf", "graphml"), table_formats=("csv",), seed=seed)
                for projection in ("actors", "collaboration")}
    skipped = []
    for entry in MAPS:
        common = dict(tables=tables, projection=entry.projection, tie_filter=entry.tie_filter,
                      color_by=entry.color_by, seed=seed,
                      analysis=analyses.get(entry.projection) if entry.tie_filter is None else None)
        full = analyses.get(entry.projection)
        backbone = entry.backbone if full is not None and full.graph.number_of_nodes() > (entry.backbone or 0) else None
        links = (("the full network", entry.full),) if backbone and entry.full else ()
        path, g = make_map(out=staging / "maps" / entry.file, title=entry.title, backbone=backbone, links=links,
                           **common)
        if g.number_of_nodes() < MIN_MAP_NODES:
            path.unlink()
            skipped.append((entry.title, g.number_of_nodes()))
            continue
        pages.append(path)
        map_rows.append((f"maps/{entry.file}", entry.title, entry.about, g.number_of_nodes(), g.number_of_edges()))
        if links:
            path, g = make_map(out=staging / "maps" / entry.full, title=f"{entry.title}: the full network",
                               links=(("the backbone", entry.file),), **common)
            pages.append(path)
            map_rows.append((f"maps/{entry.full}", f"{entry.title}: the full network",
                             "Every organisation of the network (the largest, where there are more than a map "
                             "draws), not only its backbone.", g.number_of_nodes(), g.number_of_edges()))
    actors = analyses["actors"]
    if actors.graph.number_of_nodes() >= MIN_MAP_NODES:
        hub = max(actors.graph, key=lambda n: (actors.graph.degree(n), str(n)))
        name = actors.graph.nodes[hub].get("label", hub)
        path, g = make_map(tables=tables, out=staging / "maps" / "ego.html", projection="actors", ego=hub, seed=seed,
                           analysis=actors, title=f"Around {name}")
        pages.append(path)
        map_rows.append(("maps/ego.html", f"Around {name}", "The actors that share a network, programme, event "
                         "or case with the best-connected actor, and the ties among them.",
                         g.number_of_nodes(), g.number_of_edges()))
    store = open_store(store_dir)
    downloads = _downloads(store, layout.dumps, staging)
    for projection, analysis in analyses.items():
        for path in sorted(analysis.files):
            rel = path.relative_to(staging).as_posix()
            kind = {".gexf": "network for Gephi (GEXF)", ".graphml": "network (GraphML)", ".nq": "the analysis as RDF "
                    "(N-Quads)"}.get(path.suffix, "table: " + path.stem.replace("_", " "))
            what = "actors analysis" if projection == "actors" else "EU research collaboration analysis"
            downloads.append((rel, f"{what}, {kind}", path.stat().st_size))
    licences = _licences(store)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    date = date or (dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)).date().isoformat()
    _citation(staging, "0.1.0", date)
    pages += write_vocabulary_pages(staging)
    body = ["<p>Maps and data of democracy-kg, a knowledge graph of democratic innovation practice in Europe: "
            "organisations, networks, projects, events and methods, with the source of every fact. Everything "
            "here works offline.</p>", "<h2>Maps</h2>", "<table><tr><th>map</th><th>what it shows</th><th>nodes</th>"
            "<th>ties</th></tr>"]
    body += [f"<tr><td>{_link(href, title)}</td><td>{_e(about)}</td><td>{n}</td><td>{m}</td></tr>"
             for href, title, about, n, m in map_rows]
    body += ["</table>"]
    if skipped:
        body += ["<p>Not published, because a map needs at least two nodes: "
                 + "; ".join(f"{_e(title)} ({n} node{'s' if n != 1 else ''} in this build)" for title, n in skipped)
                 + ".</p>"]
    body += ["<h2>Downloads</h2>", "<table><tr><th>file</th><th>what</th><th>size</th></tr>"]
    body += [f"<tr><td>{_link(href, href.rsplit('/', 1)[-1])}</td><td>{_e(what)}</td><td>{size:,} bytes</td></tr>"
             for href, what, size in downloads]
    body += ["</table>", "<h2>Licences and citation</h2>",
             f"<p>Each source keeps its own licence: see {_link('licences.html', 'licences and attribution')}. "
             f"Cite the dataset as {_link('CITATION.cff', 'CITATION.cff')} says.</p>"]
    index = staging / "index.html"
    index.write_text(page("democracy-kg", "\n".join(body)), encoding="utf-8")
    rows = ["<table><tr><th>graph</th><th>title</th><th>licence</th><th>credit</th></tr>"]
    rows += [f"<tr><td><code>{_e(r['graph'])}</code></td><td>{_e(r['title'])}</td>"
             f"<td>{_link(r['licence'], r['licence']) if isinstance(r['licence'], str) else ''}</td>"
             f"<td>{_e(r['attribution']) if isinstance(r['attribution'], str) else ''}</td></tr>" for r in licences]
    rows.append("</table><p>Participedia content is CC BY-NC-SA 3.0: reuse it non-commercially and share alike.</p>")
    licence_page = staging / "licences.html"
    licence_page.write_text(page("Licences and attribution", "\n".join(rows)), encoding="utf-8")
    pages += [index, licence_page]
    _swap_in(staging, out)
    return [out / p.relative_to(staging) for p in pages]


def _swap_in(staging: Path, out: Path) -> None:
    """Replace ``out`` by ``staging``: rename the old site aside, rename the new one in, delete the
    old. At every moment a complete site exists (``out``, or the old one beside it if a kill falls
    between the two renames, which the next publish puts back before it starts)."""
    aside = out.with_name(f".{out.name}.old-{os.getpid()}")
    if out.exists() or out.is_symlink():
        out.rename(aside)
    staging.rename(out)
    shutil.rmtree(aside, ignore_errors=True)


def _recover(out: Path) -> None:
    """Put back a complete old site that a killed publish left aside, if ``out`` is missing."""
    if out.exists() or out.is_symlink():
        for stale in out.parent.glob(f".{out.name}.old-*"):
            shutil.rmtree(stale, ignore_errors=True)
        return
    asides = sorted(out.parent.glob(f".{out.name}.old-*"), key=lambda p: p.stat().st_mtime)
    if asides:
        asides[-1].rename(out)
