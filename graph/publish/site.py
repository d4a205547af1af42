"""``dkg publish``: a static site of maps, downloads, vocabulary pages, licences and a citation.

The site is plain files that open from ``file://`` with no network. Every page is a template of
``graph/templates/publish/`` rendered by :mod:`graph.pages`, which escapes every value, and maps
are :mod:`graph.maps` pages. It holds:

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

import datetime as dt
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from markupsafe import Markup

from ontology.namespaces import GRAPH

from ..dumps import ensure_derived
from ..maps.make import make_map
from ..network.analyse import analyse
from ..network.extract import extract
from ..network.select import TieFilter
from ..pages import render
from ..query import select
from ..store import BuildLayout, open_store, resolve_store_path
from .vocabulary import write_vocabulary_pages

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


def page(title: str, body: str) -> str:
    """A complete page of the site around ``body``, which is HTML already escaped.

    Parameters
    ----------
    title : str
        The page's title and heading (escaped here).
    body : str
        The page's content, put in as it is.

    Returns
    -------
    str
        The page (the template ``publish/page.html``, which every page of the site extends).
    """
    return render("publish/page.html", title=title, body=Markup(body))


def _href(href: str) -> str | None:
    """``href`` where the site may link to it (a relative path or an http(s) address), else None:
    anything else is shown as text."""
    if href.startswith(("http://", "https://")) or not (":" in href.split("/", 1)[0]):
        return href
    return None


def _download(href: str, what: str, path: Path) -> dict:
    """The index row of a download: its link, its file name, what it is, its size in bytes."""
    return {"href": _href(href), "name": href.rsplit("/", 1)[-1], "what": what, "size": path.stat().st_size}


def _downloads(store: ox.Store, dumps: Path, out: Path) -> list[dict]:
    """Copy the dumps and write JSON-LD per small graph; return their index rows."""
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
            rows.append(_download(f"downloads/{path.name}", what, path))
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
        rows.append(_download(f"downloads/{path.name}", f"graph {name}, JSON-LD", path))
    return rows


def _licences(store: ox.Store) -> list[dict]:
    """Each source graph's row of ``licences.html``: graph, title, licence (and its link), credit."""
    frame = select("""SELECT ?graph ?title ?licence ?attribution WHERE {
          GRAPH ?graph { ?graph a dcat:Dataset . OPTIONAL { ?graph dcterms:license ?licence }
                         OPTIONAL { ?graph rdfs:label|dcterms:title ?title } OPTIONAL { ?graph dkg:attribution ?attribution } }
        } ORDER BY ?graph ?title ?licence ?attribution""", store)
    rows = []
    for r in frame.drop_duplicates("graph").to_dict("records"):
        licence = r["licence"] if isinstance(r["licence"], str) else None
        rows.append({"graph": _text(r["graph"]), "title": _text(r["title"]), "licence": licence,
                     "href": None if licence is None else _href(licence),
                     "credit": r["attribution"] if isinstance(r["attribution"], str) else ""})
    return rows


def _text(value: object) -> str:
    return "" if value is None else str(value)


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

    Returns
    -------
    list of Path
        The HTML pages written: the maps, ``ontology.html``, ``vocabularies.html``, ``index.html``
        and ``licences.html``, under ``out``.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    _recover(out)
    staging = out.with_name(f".{out.name}.staging-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    layout = BuildLayout(store_dir)
    resolve_store_path(store_dir)  # a clear error when there is no build
    tables = extract(store_dir)
    # One analysis per projection serves its downloads, its map and (actors) the ego map.
    analyses = {projection: analyse(tables=tables, projection=projection, out=staging / "downloads" / projection,
                                    metrics=["summary", "degree", "betweenness", "communities", "constraint",
                                             "brokerage"],
                                    graph_formats=("gexf", "graphml"), table_formats=("csv",), seed=seed)
                for projection in ("actors", "collaboration")}
    pages, map_rows, skipped = _write_maps(store_dir, tables, analyses, staging / "maps", seed)
    ensure_derived(layout.current.resolve(), wait=60)  # the TriG and Turtle downloads
    store = open_store(store_dir)
    downloads = _downloads(store, layout.dumps, staging) + _analysis_downloads(analyses, staging)
    licences = _licences(store)
    _citation(staging, "0.1.0", _release_date(date))
    pages += write_vocabulary_pages(staging)
    index = staging / "index.html"
    index.write_text(render("publish/index.html", title="democracy-kg", maps=map_rows, skipped=skipped,
                            downloads=downloads), encoding="utf-8")
    licence_page = staging / "licences.html"
    licence_page.write_text(render("publish/licences.html", title="Licences and attribution", licences=licences),
                            encoding="utf-8")
    pages += [index, licence_page]
    _swap_in(staging, out)
    return [out / p.relative_to(staging) for p in pages]


def _write_maps(store_dir: Path | str, tables: object, analyses: dict, target: Path,
                seed: int) -> tuple[list[Path], list[dict], list]:
    """Write the maps of :data:`MAPS` and the ego map into ``target``; return the pages, their
    index rows and the ``(title, nodes)`` of the maps too small to publish."""
    target.mkdir()
    pages: list[Path] = []
    rows: list[dict] = []
    skipped = []

    def row(file: str, title: str, about: str, g: object) -> dict:
        return {"href": _href(f"maps/{file}"), "title": title, "about": about, "nodes": g.number_of_nodes(),
                "ties": g.number_of_edges()}

    for entry in MAPS:
        # The store the tables came from, where a map filtered otherwise than the downloads looks for
        # what `dkg analyse --write-back` measured.
        common = dict(store=store_dir, tables=tables, projection=entry.projection, tie_filter=entry.tie_filter,
                      color_by=entry.color_by, seed=seed,
                      analysis=analyses.get(entry.projection) if entry.tie_filter is None else None)
        full = analyses.get(entry.projection)
        backbone = entry.backbone if full is not None and full.graph.number_of_nodes() > (entry.backbone or 0) else None
        links = (("the full network", entry.full),) if backbone and entry.full else ()
        path, g = make_map(out=target / entry.file, title=entry.title, backbone=backbone, links=links, **common)
        if g.number_of_nodes() < MIN_MAP_NODES:
            path.unlink()
            skipped.append((entry.title, g.number_of_nodes()))
            continue
        pages.append(path)
        rows.append(row(entry.file, entry.title, entry.about, g))
        if links:
            path, g = make_map(out=target / entry.full, title=f"{entry.title}: the full network",
                               links=(("the backbone", entry.file),), **common)
            pages.append(path)
            rows.append(row(entry.full, f"{entry.title}: the full network",
                            "Every organisation of the network (the largest, where there are more than a map "
                            "draws), not only its backbone.", g))
    actors = analyses["actors"]
    if actors.graph.number_of_nodes() >= MIN_MAP_NODES:
        hub = max(actors.graph, key=lambda n: (actors.graph.degree(n), str(n)))
        name = actors.graph.nodes[hub].get("label", hub)
        path, g = make_map(tables=tables, out=target / "ego.html", projection="actors", ego=hub, seed=seed,
                           analysis=actors, title=f"Around {name}")
        pages.append(path)
        rows.append(row("ego.html", f"Around {name}", "The actors that share a network, programme, event "
                        "or case with the best-connected actor, and the ties among them.", g))
    return pages, rows, skipped


def _analysis_downloads(analyses: dict, staging: Path) -> list[dict]:
    """The index rows of the analyses' files (tables, networks, RDF)."""
    rows = []
    for projection, analysis in analyses.items():
        for path in sorted(analysis.files):
            kind = {".gexf": "network for Gephi (GEXF)", ".graphml": "network (GraphML)", ".nq": "the analysis as RDF "
                    "(N-Quads)"}.get(path.suffix, "table: " + path.stem.replace("_", " "))
            what = "actors analysis" if projection == "actors" else "EU research collaboration analysis"
            rows.append(_download(path.relative_to(staging).as_posix(), f"{what}, {kind}", path))
    return rows


def _release_date(date: str | None) -> str:
    """``date``, else the day of ``SOURCE_DATE_EPOCH``, else today (UTC), as ``YYYY-MM-DD``."""
    if date:
        return date
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    return now.date().isoformat()


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
