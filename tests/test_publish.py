"""The published site: complete, offline, escaped; every page opened in Debian's chromium."""

from __future__ import annotations

import re

import pytest

from graph.publish.site import MAPS, publish

from .test_maps import open_map


@pytest.fixture(scope="module")
def site(library_build, tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "site"
    pages = publish(library_build.layout.root, out, date="2026-11-22")
    return out, pages


def test_site_has_maps_downloads_docs_licences_and_citation(site):
    out, pages = site
    names = {p.relative_to(out).as_posix() for p in pages}
    assert {f"maps/{m.file}" for m in MAPS} | {"maps/ego.html", "index.html", "licences.html", "ontology.html",
                                                "vocabularies.html"} <= names
    downloads = {p.name for p in (out / "downloads").rglob("*") if p.is_file()}
    assert {"democracy-kg.nq", "democracy-kg.trig", "curated.ttl", "curated.jsonld", "void.ttl", "graph.gexf",
            "nodes.csv"} <= downloads
    assert "build.jsonld" not in downloads  # run metadata stays in the store
    citation = (out / "CITATION.cff").read_text(encoding="utf-8")
    assert "cff-version: 1.2.0" in citation and 'date-released: "2026-11-22"' in citation
    licences = (out / "licences.html").read_text(encoding="utf-8")
    assert "https://creativecommons.org/licenses/by-nc-sa/3.0/" in licences and "Participedia, participedia.net" in licences
    index = (out / "index.html").read_text(encoding="utf-8")
    for href in re.findall(r'href="([^"]+)"', index):
        assert href.startswith("http") or (out / href).exists(), href  # no broken local link
    ontology = (out / "ontology.html").read_text(encoding="utf-8")
    assert "dkg:NetworkAnalysis" in ontology and "dkg:Claim" in ontology


def test_every_page_opens_offline_without_errors(site, browser):
    out, pages = site
    for path in sorted(set(pages)):
        if "maps" in path.parts:
            seen = open_map(browser, path)
        else:
            page = browser.new_page()
            seen = {"errors": [], "requests": [], "page": page}
            page.on("console", lambda m, s=seen: s["errors"].append(m.text) if m.type == "error" else None)
            page.on("request", lambda r, s=seen: s["requests"].append(r.url))
            page.goto(path.as_uri())
            assert page.text_content("h1")
        assert seen["errors"] == [], path.name
        assert seen["requests"] == [path.as_uri()], path.name
        seen["page"].close()


def test_republishing_replaces_the_site_whole(library_build, tmp_path):
    out = tmp_path / "site"
    (out / "stale").mkdir(parents=True)
    publish(library_build.layout.root, out)
    assert not (out / "stale").exists() and (out / "index.html").exists()
    assert not any(p.name.startswith(".") for p in tmp_path.iterdir())  # no staging left behind


def test_cli_publish_errors_name_the_missing_build(tmp_path, capsys):
    from graph.cli import main

    assert main(["publish", "--store", str(tmp_path / "none"), "--out", str(tmp_path / "site")]) == 2
    assert "no built store" in capsys.readouterr().err
