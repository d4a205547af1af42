"""The published site: complete, offline, escaped; every page opened in Debian's chromium."""

from __future__ import annotations

import re

import pytest
from pathlib import Path

from graph.publish.site import MAPS, publish
from ontology.namespaces import city_key

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
    index = (out / "index.html").read_text(encoding="utf-8")
    # the index states each map's nodes and ties; vis-network must hold exactly those
    counts = {href: [int(n), int(m)] for href, n, m in
              re.findall(r'<a href="(maps/[^"]+)">[^<]*</a></td><td>[^<]*</td><td>(\d+)</td><td>(\d+)</td>', index)}
    assert len(counts) == len(MAPS) + 1
    for path in sorted(set(pages)):
        if "maps" in path.parts:
            seen = open_map(browser, path)
            drawn = seen["page"].evaluate("[dkgMap.network.body.data.nodes.length, dkgMap.network.body.data.edges.length]")
            assert drawn == counts[f"maps/{path.name}"], path.name
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


PAYLOAD = '<img src=x onerror="window.__pwned=1;alert(1)">'
EVIL_CITY = city_key("BE", f"City {PAYLOAD}")


def hostile_build(tmp_path: Path) -> Path:
    """Seed records plus an organisation and a city, and a Participedia method, named to run script."""
    import csv
    import shutil

    from graph.build import build

    from .conftest import LIBRARY_FIXTURE, SEED_RECORDS

    records = tmp_path / "records"
    shutil.copytree(SEED_RECORDS, records)
    with (records / "cities.csv").open("a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerow([EVIL_CITY, f"City {PAYLOAD}", "BE", "", "nets4dem-about", ""])
    with (records / "organisations.csv").open("a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerow(
            ["evil-org", "Org </script><script>window.__pwned=1;alert(2)</script>", "", "", "civil-society-organisation",
             EVIL_CITY, "BE", "", "", "", "", "active", "", "An invented organisation with a hostile name.", "", "",
             "nets4dem-about", ""])
    with (records / "participations.csv").open("a", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["evil-org", "nets4dem-project", "partner", "2023-06", "", "", "nets4dem-about", ""])
        writer.writerow(["evil-org", "nets4dem", "member", "2023-06", "", "", "nets4dem-about", ""])
        writer.writerow([EVIL_CITY, "democracy-lab-bilbao-2026", "participant-city", "", "", f"A challenge {PAYLOAD}",
                         "nets4dem-about", ""])
    participedia = tmp_path / "participedia"
    shutil.copytree(LIBRARY_FIXTURE.parent / "participedia", participedia)
    methods = participedia / "methods.csv"
    text = methods.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines(keepends=True)))
    rows[1][2] = f"Method <svg onload=\"window.__pwned=1;alert(3)\"> {rows[1][2]}"
    with methods.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[source]]\nname = "participedia"\nadapter = "participedia"\npath = "{participedia}"\n'
                       'title = "Participedia test fixture"\n', encoding="utf-8")
    return build(records, tmp_path / "build", sources=sources).layout.root


def test_hostile_names_from_the_records_never_run_on_the_site(tmp_path, browser):
    out = tmp_path / "site"
    publish(hostile_build(tmp_path), out)
    for name, search in (("collaboration.html", "Org </script>"), ("networks-of-networks.html", "Org </script>"),
                         ("actors.html", "City <img"), ("case-method.html", "Method <svg")):
        path = out / "maps" / name
        seen = open_map(browser, path)
        page = seen["page"]
        page.fill("#search", search)
        page.press("#search", "Enter")
        assert page.text_content("#status").startswith(search), name
        if name == "collaboration.html":  # the city's name is a fact in the organisation's tooltip, as text
            facts = page.evaluate("dkgMap.nodes.get(dkgMap.network.getSelectedNodes()[0]).title.textContent")
            assert f"City {PAYLOAD}" in facts
        assert page.evaluate("window.__pwned") is None and seen["dialogs"] == [], name
        assert seen["errors"] == [] and seen["requests"] == [path.as_uri()], name
        page.close()
    assert "City <img" not in (out / "maps" / "collaboration.html").read_text(encoding="utf-8")
    for page_name in ("index.html", "licences.html"):
        assert "<script>window.__pwned" not in (out / page_name).read_text(encoding="utf-8")


def test_the_site_leads_with_the_field_and_marks_pic_only_organisations(site, browser):
    out, _ = site
    index = (out / "index.html").read_text(encoding="utf-8")
    listed = re.findall(r'<a href="maps/([^"]+)">([^<]*)</a></td><td>[^<]*</td><td>(\d+)</td>', index)
    assert [name for name, *_ in listed[:2]] == ["networks-of-networks.html", "actors.html"]
    nodes = {name: int(n) for name, _, n in listed}
    assert nodes["networks-of-networks.html"] > 20 and nodes["actors.html"] > 20
    assert dict((name, title) for name, title, _ in listed)["collaboration.html"] == "EU research collaboration (CORDIS)"
    # CORDIS organisations without a name are drawn apart and said to be known by their PIC only
    seen = open_map(browser, out / "maps" / "collaboration.html")
    shapes = seen["page"].evaluate("dkgMap.nodes.get().filter((n) => n.name.startsWith('PIC ')).map((n) => n.shape)")
    assert shapes and set(shapes) == {"square"}
    assert "known only by their PIC" in seen["page"].text_content("#notes")
    seen["page"].close()
    nodes_csv = (out / "downloads" / "collaboration" / "tables" / "nodes.csv").read_text(encoding="utf-8")
    assert nodes_csv.splitlines()[0].split(",")[:6] == ["node", "label", "kind", "country", "orgtype", "pic_only"]
    assert any(line.split(",")[1].startswith("PIC ") and line.split(",")[5] == "True" for line in nodes_csv.splitlines())


def test_a_fresh_clone_publishes_the_field_and_says_which_maps_it_left_out(seed_build, tmp_path):
    # The seed build has no external sources: no cases, so no case-method map, and the index says so.
    out = tmp_path / "site"
    publish(seed_build.layout.root, out)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert not (out / "maps" / "case-method.html").exists()
    assert "Not published, because a map needs at least two nodes: Cases, methods and organisers (0 nodes" in index
    counts = dict(re.findall(r'<a href="maps/([^"]+)">[^<]*</a></td><td>[^<]*</td><td>(\d+)</td>', index))
    assert int(counts["networks-of-networks.html"]) > 40 and int(counts["actors.html"]) > 20


# --- the lead maps read at first sight (issue 17) ----------------------------------------------------

SCREENSHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"


@pytest.mark.parametrize("name", [m.file for m in MAPS])
def test_each_lead_map_opens_fitted_named_and_is_kept_as_a_screenshot(site, browser, name):
    """Opened at 1400x900: the drawn network fills most of its frame (fitted to its largest connected
    part), the biggest names are drawn at a readable size, and a screenshot is kept in
    build/screenshots/ as a review artefact."""
    out, _ = site
    page = browser.new_page()
    page.set_viewport_size({"width": 1400, "height": 900})
    page.bring_to_front()  # a background tab gets no animation frames, and physics would never settle
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto((out / "maps" / name).as_uri())
        page.wait_for_selector("body[data-fitted='true']", state="attached", timeout=60_000)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / name.replace(".html", ".png")))
        # The on-screen box of the nodes the view is fitted to, against the frame they are drawn in.
        box = page.evaluate("""() => {
            const data = JSON.parse(document.getElementById('map-data').textContent);
            const ids = data.focus.length ? data.focus : data.nodes.map(n => n.id);
            const xs = [], ys = [];
            for (const id of ids) {  // each node's drawn box (its size and label), on screen
              const b = dkgMap.network.getBoundingBox(id);
              for (const corner of [{x: b.left, y: b.top}, {x: b.right, y: b.bottom}]) {
                const p = dkgMap.network.canvasToDOM(corner); xs.push(p.x); ys.push(p.y);
              }
            }
            const frame = document.getElementById('network');
            const scale = dkgMap.network.getScale();
            const labelled = data.nodes.filter(n => n.label).length;
            return {w: Math.max(...xs) - Math.min(...xs), h: Math.max(...ys) - Math.min(...ys),
                    fw: frame.clientWidth, fh: frame.clientHeight, n: ids.length,
                    label_px: data.options.nodes.font.size * scale, labelled: labelled};
        }""")
    finally:
        page.close()
    assert errors == []
    if box["n"] > 2:
        assert max(box["w"] / box["fw"], box["h"] / box["fh"]) > 0.8, box  # fills most of the frame
    assert box["labelled"] > 0 and box["label_px"] >= 5, box  # names drawn, big enough to read


def test_a_found_node_is_marked_and_the_cap_is_in_the_legend(library_build, browser, tmp_path):
    from graph.maps.make import make_map

    from .test_maps import open_map

    path, g = make_map(library_build.layout.root, tmp_path / "capped.html", max_nodes=20, color_by="community")
    seen = open_map(browser, path)
    page = seen["page"]
    assert "Showing 20 of" in page.inner_text("#legend-cap")
    # communities are named after their best-known members, not numbered
    groups = page.evaluate("[...document.querySelectorAll('#legend input')].map(i => i.dataset.group)")
    assert groups and not any(group.isdigit() for group in groups)
    name = page.evaluate("dkgMap.nodes.get(0).name")
    page.fill("#search", name)
    page.press("#search", "Enter")
    node = page.evaluate("dkgMap.nodes.get(dkgMap.network.getSelectedNodes()[0])")
    assert node["borderWidth"] == 8 and node["color"]["border"] == "#d1242f" and node["label"] == node["name"]
