"""Entity resolution rules, one test per rule, plus a build that joins three sources."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from graph.build import build
from graph.store import open_store
from ontology.nquads import RDF_TYPE, iri, literal, quad
from ingest.resolve import normalise_org_name, resolve

from .conftest import SEED_RECORDS, ask

ID = "https://w3id.org/democracy-kg/id/organisation/"
G = "https://w3id.org/democracy-kg/graph/"
COUNTRY = "http://publications.europa.eu/resource/authority/country/"
FIXTURES = Path(__file__).parent / "fixtures"


def org(key, graph, name, country=None, pic=None, wikidata=None, url=None, alt=()):
    s, g = iri(ID + key), iri(G + graph)
    out = [quad(s, RDF_TYPE, "<http://www.w3.org/ns/org#Organization>", g),
           quad(s, "<http://www.w3.org/2000/01/rdf-schema#label>", literal(name), g)]
    out += [quad(s, "<http://www.w3.org/2004/02/skos/core#altLabel>", literal(a), g) for a in alt]
    if country:
        out.append(quad(s, "<https://w3id.org/democracy-kg/ontology#country>", iri(COUNTRY + country), g))
    if pic:
        out.append(quad(s, "<https://w3id.org/democracy-kg/ontology#pic>", literal(pic), g))
    if wikidata:
        out.append(quad(s, "<https://schema.org/sameAs>", iri("http://www.wikidata.org/entity/" + wikidata), g))
    if url:
        out.append(quad(s, "<https://schema.org/url>", iri(url), g))
    return out


def clusters(result):
    out = {}
    for m in result.matches:
        out.setdefault(m.canonical.removeprefix(ID), set()).add(m.member.removeprefix(ID))
    return out


ORDER = ["curated", "cordis", "participedia"]


def test_same_pic_merges_and_curated_is_canonical():
    lines = org("eurocities", "curated", "Eurocities", pic="999999001") + \
        org("pic-999999001", "cordis", "EUROCITIES AISBL", "BEL", pic="999999001")
    r = resolve(lines, ORDER)
    assert clusters(r) == {"eurocities": {"pic-999999001"}}
    assert r.matches[0].rule == "PIC" and r.matches[0].evidence == "same PIC 999999001"
    assert any("owl#sameAs" in line and "pic-999999001" in line.split(" ")[0] for line in r.lines)
    assert sum("ontology#canonical" in line for line in r.lines) == 2


def test_same_name_other_country_does_not_merge():
    lines = org("pic-1", "cordis", "Universita di Esempio", "ITA") + \
        org("participedia-1", "participedia", "Università di Esempio", "ESP")
    assert clusters(resolve(lines, ORDER)) == {}


def test_same_name_same_country_other_sources_merges():
    lines = org("pic-1", "cordis", "FONDAZIONE ESEMPIO", "ITA") + \
        org("participedia-1", "participedia", "Fondazione Esempio", "ITA")
    r = resolve(lines, ORDER)
    assert clusters(r) == {"pic-1": {"participedia-1"}}
    assert r.matches[0].rule == "name" and r.matches[0].score == 100


def test_fuzzy_names_above_threshold_only():
    lines = org("pic-1", "cordis", "Democracy Reporting International gGmbH", "DEU") + \
        org("participedia-1", "participedia", "Democracy Reporting Internationl", "DEU") + \
        org("participedia-2", "participedia", "Democracy Research Institute", "DEU")
    assert clusters(resolve(lines, ORDER)) == {"pic-1": {"participedia-1"}}


def test_names_within_one_source_never_merge():
    lines = org("pic-1", "cordis", "Stadt Beispiel", "DEU") + org("pic-2", "cordis", "STADT BEISPIEL", "DEU")
    assert clusters(resolve(lines, ORDER)) == {}


def test_without_a_country_only_an_exact_unambiguous_name_merges():
    # Exactly the same (normalised) name in another source, borne by one organisation: one body.
    lines = org("a", "curated", "The Example Network") + org("participedia-9", "participedia", "Example Network", "BEL")
    r = resolve(lines, ORDER)
    assert clusters(r) == {"a": {"participedia-9"}} and r.counts["merged by name without country"] == 1
    # A near name is not enough without a country to compare...
    lines = org("a", "curated", "Example Networks") + org("participedia-9", "participedia", "Example Network", "BEL")
    assert clusters(resolve(lines, ORDER)) == {}
    # ...nor an exact name that two different organisations (two countries) bear.
    lines = org("a", "curated", "Example Network") + org("participedia-9", "participedia", "Example Network", "BEL") + \
        org("participedia-10", "participedia", "Example Network", "NLD")
    assert clusters(resolve(lines, ORDER)) == {}
    # Identifiers still merge whatever the names.
    lines = org("a", "curated", "Example Network", wikidata="Q1") + org("b", "participedia", "Other name", wikidata="Q1")
    assert clusters(resolve(lines, ORDER)) == {"a": {"b"}}


def test_web_domain_merges_but_catalogue_pages_do_not():
    lines = org("a", "curated", "Example", url="https://www.example.org/about") + \
        org("b", "cordis", "EXAMPLE EV", "DEU", pic="1", url="http://example.org")
    assert clusters(resolve(lines, ORDER)) == {"a": {"b"}}
    lines = org("participedia-1", "participedia", "One", url="https://participedia.net/organization/1") + \
        org("participedia-2", "participedia2", "Two", url="https://participedia.net/organization/2")
    assert clusters(resolve(lines, ORDER + ["participedia2"])) == {}


def test_conflicting_identifiers_block_a_name_merge():
    lines = org("pic-1", "cordis", "Ciudad Ejemplo", "ESP", pic="1") + \
        org("x", "curated", "Ciudad Ejemplo", "ESP", pic="2")
    r = resolve(lines, ORDER)
    assert clusters(r) == {}
    assert r.counts["blocked by conflicting identifiers"] == 1


def test_curator_pin_and_forbid_win(tmp_path):
    decisions = tmp_path / "resolution.csv"
    decisions.write_text("a,b,decision,note\norganisation:a,organisation:pic-7,same,known alias\n"
                         "organisation:pic-1,organisation:participedia-1,different,two foundations\n", encoding="utf-8")
    lines = org("a", "curated", "Alpha Network") + org("pic-7", "cordis", "BETA GMBH", "DEU") + \
        org("pic-1", "cordis", "Fondazione Esempio", "ITA") + org("participedia-1", "participedia", "Fondazione Esempio", "ITA")
    r = resolve(lines, ORDER, decisions)
    assert clusters(r) == {"a": {"pic-7"}}
    assert r.matches[0].rule == "curator" and r.matches[0].evidence == "known alias"


def test_bad_decisions_are_reported(tmp_path):
    decisions = tmp_path / "resolution.csv"
    decisions.write_text("a,b,decision,note\norganisation:a,nonsense,same,\norganisation:a,organisation:b,maybe,\n"
                         "organisation:a,organisation:zzz,same,\n", encoding="utf-8")
    r = resolve(org("a", "curated", "A") + org("b", "cordis", "B"), ORDER, decisions)
    assert {(p.line, p.field) for p in r.problems} == {(2, "b"), (3, "decision"), (0, "b")}


def test_name_normalisation():
    assert normalise_org_name("The Eurocities AISBL") == normalise_org_name("EUROCITIES")
    assert normalise_org_name("Stiftung Beispiel e.V.") == "stiftung beispiel"


def test_resolution_in_the_build_joins_three_sources(tmp_path):
    """Eurocities in the curated records (pinned to its CORDIS PIC), in CORDIS (two exports,
    same PIC) and in Participedia (same name, same country): one canonical node, and SPARQL
    shows which source said what."""
    records = tmp_path / "records"
    shutil.copytree(SEED_RECORDS, records)
    (records / "resolution.csv").write_text(
        "a,b,decision,note\norganisation:eurocities,organisation:pic-900000002,same,fixture PIC of Eurocities\n",
        encoding="utf-8")
    config = tmp_path / "sources.toml"
    config.write_text(
        f'[[source]]\nname = "cordis-he"\nadapter = "cordis"\npath = "{FIXTURES / "cordis" / "horizon-europe"}"\n'
        f'[[source]]\nname = "cordis-h2020"\nadapter = "cordis"\npath = "{FIXTURES / "cordis" / "h2020"}"\n'
        f'[[source]]\nname = "participedia"\nadapter = "participedia"\npath = "{FIXTURES / "participedia"}"\n',
        encoding="utf-8")
    result = build(records, tmp_path / "out", sources=config)
    store = open_store(tmp_path / "out")
    members = ask(store, """SELECT ?m WHERE { ?m dkg:canonical organisation:eurocities }""")
    assert sorted(m for (m,) in members) == [ID + "eurocities", ID + "participedia-901", ID + "pic-900000002"]
    # Facts about the canonical organisation, with the graph (source) each came from.
    facts = ask(store, """SELECT DISTINCT ?g ?p WHERE { ?m dkg:canonical organisation:eurocities .
        GRAPH ?g { ?m ?p ?o } FILTER (?p IN (dkg:participatesIn, dkg:country, schema:description, dcterms:description)) }""")
    graphs = {(g.rsplit("/", 1)[-1], p.rsplit("#", 1)[-1].rsplit("/", 1)[-1]) for g, p in facts}
    assert {("cordis-he", "participatesIn"), ("cordis-h2020", "participatesIn"), ("participedia", "country"),
            ("curated", "description")} <= graphs
    with (result.layout.current / "matches.csv").open(encoding="utf-8") as f:
        report = list(csv.DictReader(f))
    rules = {r["member"].removeprefix(ID): r["rule"] for r in report}
    # Besides Eurocities: The Democratic Society by its Participedia id (6302 in the curated record),
    # Democracy Reporting International by its web domain (the CORDIS fixture's organisation URL).
    assert rules == {"pic-900000002": "curator", "participedia-901": "name", "participedia-6302": "Participedia id",
                     "pic-900000001": "web domain"}
    assert result.resolution["clusters"] >= 1


@pytest.mark.slow  # 40,000 organisations: a workload at scale
def test_blocking_finds_the_one_match_among_many():
    """40,000 organisations in two sources and one country: blocking keeps the comparisons to
    pairs of the same block and of different sources, and the one true pair is found."""
    words = ["Agency", "Bureau", "Centre", "Council", "Forum", "Institute", "League", "Office", "Society", "Union"]
    lines = []
    for i in range(20_000):
        lines += org(f"pic-{i}", "cordis", f"{words[i % 10]} {i:05d} Nord", "DEU", pic=str(i))
        lines += org(f"participedia-{i}", "participedia", f"{words[(i + 3) % 10]} {i:05d} Sud", "DEU")
    lines += org("participedia-x", "participedia", "CENTRE 00002 NORD e.V.", "DEU")
    r = resolve(lines, ORDER)
    assert r.counts["organisations"] == 40_001
    assert clusters(r) == {"pic-2": {"participedia-x"}}


def test_shipped_eurocities_joins_its_cordis_record():
    # Regression: the curated Eurocities had no country and no PIC, so it stayed apart from
    # CORDIS's EUROCITIES ASBL (PIC 999450559) in real H2020 builds.
    from graph.build import generate_lines

    lines, _ = generate_lines(SEED_RECORDS)
    lines += org("pic-999450559", "cordis", "EUROCITIES ASBL", "BEL", pic="999450559")
    r = resolve(lines, ORDER)
    assert clusters(r)["eurocities"] == {"pic-999450559"}
    assert [m.rule for m in r.matches if m.member == ID + "pic-999450559"] == ["PIC"]
