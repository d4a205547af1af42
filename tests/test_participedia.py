"""Participedia adapter on hand-written fixtures with the real export layouts and every quirk.

``tests/fixtures/participedia`` holds a methods export (with a BOM), a cases export as pandas
re-saves it (float ids) and an organisations export, with: ``_n`` columns whose later values
start with a space, both sector vocabularies, country names in Italian and French, Postgres
array and single composite-row link fields, extra-quoted names, HTML entities, embedded
newlines, trailing spaces, typographic apostrophes and test records. Facts only; the short
descriptions are the fixture's own words.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.build import generate_lines
from graph.validate import validate_lines
from ingest.sources.participedia import normalise_name, parse_links, participedia_quads

from .conftest import SEED_RECORDS

FIXTURES = Path(__file__).parent / "fixtures" / "participedia"
ID = "https://w3id.org/democracy-kg/id/"
PREFIX = """PREFIX dkg: <https://w3id.org/democracy-kg/ontology#> PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX geo: <http://www.w3.org/2003/01/geo/wgs84_pos#> """


@pytest.fixture(scope="module")
def result():
    return participedia_quads(FIXTURES, "participedia")


@pytest.fixture(scope="module")
def store(result):
    s = ox.Store()
    s.load(input=("\n".join(result.lines) + "\n").encode(), format=ox.RdfFormat.N_QUADS)
    return s


def rows(store, query):
    return sorted(tuple(None if t is None else t.value for t in r)
                  for r in store.query(PREFIX + query, use_default_graph_as_union=True))


def test_counts(result):
    c = result.counts
    assert (c["methods read"], c["methods mapped"], c["cases read"], c["cases mapped"]) == (7, 5, 6, 4)
    assert (c["organisations read"], c["organisations mapped"]) == (6, 6)
    assert c["rejected rows"] == 4  # two test records, two broken ids
    assert c["method concepts (all, incl. methods only named by links)"] == 5


def test_rejects_name_file_line_field(result):
    found = {(p.file, p.line, p.field, p.value) for p in result.rejects}
    assert found == {
        ("methods.csv", 7, "title", "Planning Circle TEST"),
        ("methods.csv", 9, "id", "abc"),
        ("organizations.csv", 5, "sector", "alien"),
        ("cases.csv", 5, "start_date", "2020-13-01"),
        ("cases.csv", 5, "public_spectrum", "shout"),
        ("cases.csv", 5, "number_of_participants", "many"),
        ("cases.csv", 6, "title", "Demo case TEST"),
        ("cases.csv", 7, "id", "x"),
        ("cases.csv", 8, "end_date", "2020-05-01"),
        ("cases.csv", 8, "country", "Atlantis"),
        ("cases.csv", 8, "latitude", "123.0"),
    }


def test_methods_match_the_projects_scheme(store):
    assert rows(store, "SELECT ?m ?own WHERE { ?m skos:exactMatch ?own }") == [
        (f"{ID}participedia-method/146", f"{ID}method/participatory-budgeting"),
        (f"{ID}participedia-method/147", f"{ID}method/deliberative-poll"),
        (f"{ID}participedia-method/4321", f"{ID}method/citizens-assembly"),
    ]
    # Trailing space, HTML entity and registered mark handled; ids and pages kept.
    assert rows(store, """SELECT ?label ?id ?url WHERE { ?m skos:inScheme ?s ; skos:prefLabel ?label ;
        dkg:participediaId ?id ; schema:url ?url FILTER (?id IN ("4321", "5000")) }""") == [
        ("Citizens’ Assembly", "4321", "https://participedia.net/method/4321"),
        ("Q&A Session", "5000", "https://participedia.net/method/5000")]


def test_cases(store):
    case1 = rows(store, """SELECT ?start ?end ?country ?iap2 ?n ?parent WHERE {
        ?c dkg:participediaId "1" ; a dkg:Case ; schema:startDate ?start ; schema:endDate ?end ;
           dkg:country ?country ; dkg:iap2Level ?iap2 ; dkg:participantCount ?n ; dcterms:isPartOf ?parent }""")
    assert case1 == [("2004-01-12", "2005-05-18", "http://publications.europa.eu/resource/authority/country/CAN",
                      f"{ID}iap2/consult", "160", f"{ID}case/participedia-5168")]
    purposes = rows(store, """SELECT ?label WHERE { ?c dkg:participediaId "1" ; a dkg:Case ; dkg:purpose/skos:prefLabel ?label }""")
    assert purposes == [("develop",), ("make",)]  # the " develop" of purposes_2 trimmed
    methods = rows(store, "SELECT ?m WHERE { ?c dkg:participediaId \"2\" ; a dkg:Case ; dkg:usesMethod ?m }")
    assert methods == [(f"{ID}participedia-method/145",), (f"{ID}participedia-method/146",)]
    place = rows(store, """SELECT ?country ?city ?lat WHERE { ?c dkg:participediaId "2" ; a dkg:Case ;
        dkg:country ?country ; schema:location/rdfs:label ?city ; geo:lat ?lat }""")
    assert place == [("http://publications.europa.eu/resource/authority/country/ITA", "Bologna", "44.4949")]
    desc = rows(store, 'SELECT ?d WHERE { ?c dkg:participediaId "2" ; a dkg:Case ; dcterms:description ?d }')
    assert desc == [("Fixture: residents of Bologna's districts\nchose projects.",)]


def test_case_organisers_are_qualified_memberships(store):
    assert rows(store, """SELECT ?case ?org ?label WHERE { ?case schema:organizer ?org . ?org rdfs:label ?label .
        ?m org:member ?org ; org:organization ?case ; org:role <https://w3id.org/democracy-kg/id/role/organiser> }""") == [
        (f"{ID}case/participedia-2", f"{ID}organisation/participedia-318", "Fondazione Esempio"),
        (f"{ID}case/participedia-3", f"{ID}organisation/participedia-900", "Ville d'Exemple"),
        (f"{ID}case/participedia-6", f"{ID}organisation/participedia-777", "Unlisted Organiser"),
    ]


def test_organisations(store):
    types = dict(rows(store, "SELECT ?o ?t WHERE { ?o a org:Organization ; org:classification ?t }"))
    assert types[f"{ID}organisation/participedia-318"] == f"{ID}orgtype/civil-society-organisation"
    assert types[f"{ID}organisation/participedia-901"] == f"{ID}orgtype/civil-society-organisation"  # other vocabulary
    assert types[f"{ID}organisation/participedia-900"] == f"{ID}orgtype/public-body"
    assert types[f"{ID}organisation/participedia-902"] == f"{ID}orgtype/unspecified"  # unknown sector, reported
    assert types[f"{ID}organisation/participedia-777"] == f"{ID}orgtype/unspecified"  # only named by a case
    assert rows(store, "SELECT ?c WHERE { <%sorganisation/participedia-900> dkg:country ?c }" % ID) == [
        ("http://publications.europa.eu/resource/authority/country/BEL",)]  # "Belgique"
    assert rows(store, "SELECT ?m WHERE { <%sorganisation/participedia-318> dkg:usesMethod ?m }" % ID) == [
        (f"{ID}participedia-method/146",), (f"{ID}participedia-method/4321",)]
    # Participedia's sector key for universities and research institutes (issue 16: typed "unspecified").
    assert types[f"{ID}organisation/participedia-903"] == f"{ID}orgtype/university"
    assert rows(store, "SELECT ?c WHERE { <%sorganisation/participedia-903> dkg:country ?c }" % ID) == [
        ("http://publications.europa.eu/resource/authority/country/ISR",)]  # written in Hebrew


def test_organisation_facets_are_vocabulary_keys(store):
    # type_method_* and type_tool_* hold plain keys of Participedia's vocabularies (its CSV
    # generator splits a TEXT[] into ranked columns), not link arrays: issue 16 found every value
    # dropped. They share schemes with the case form's method_types and tools_techniques_types.
    found = rows(store, """SELECT ?p ?c WHERE { <%sorganisation/participedia-318> ?p ?c .
        FILTER (?p IN (dkg:methodType, dkg:facet, dkg:scope)) }""" % ID)
    dkg = "https://w3id.org/democracy-kg/ontology#"
    assert found == [(f"{dkg}facet", f"{ID}participedia-tool-type/collect"),
                     (f"{dkg}facet", f"{ID}participedia-tool-type/facilitate"),
                     (f"{dkg}facet", f"{ID}participedia-topic/participatory-budgeting"),
                     (f"{dkg}methodType", f"{ID}participedia-method-type/deliberative"),
                     (f"{dkg}methodType", f"{ID}participedia-method-type/public"),
                     (f"{dkg}scope", f"{ID}participedia-scope/city-town")]


def test_every_row_is_accounted_for_per_file(result):
    assert [str(ledger) for ledger in result.ledgers] == [
        "cases.csv: read 6 = kept 4 + rejected 2",
        "methods.csv: read 7 = kept 5 + rejected 2",
        "organizations.csv: read 6 = kept 6 + rejected 0"]


def test_source_graph_has_licence_and_attribution(store):
    assert rows(store, """SELECT ?licence ?credit WHERE { GRAPH <https://w3id.org/democracy-kg/graph/participedia> {
        <https://w3id.org/democracy-kg/graph/participedia> dcterms:license ?licence ; dkg:attribution ?credit } }""") == [
        ("https://creativecommons.org/licenses/by-nc-sa/3.0/", "Participedia, participedia.net")]


def test_bodies_only_on_request(store):
    assert rows(store, "SELECT ?b WHERE { ?m schema:text ?b }") == []
    with_bodies = participedia_quads(FIXTURES, "participedia", bodies=True)
    assert any("Long fixture body text." in line for line in with_bodies.lines)


def test_truncated_bodies_are_reported(tmp_path):
    # Also the regression test for the first data row's line number (it was reported as 1).
    text = (FIXTURES / "methods.csv").read_text(encoding="utf-8-sig")
    (tmp_path / "methods.csv").write_text(text.replace("Long fixture body text.", "x" * 32_766), encoding="utf-8")
    cut = participedia_quads(tmp_path, bodies=True)
    assert [(p.line, p.field) for p in cut.rejects if "cut this text" in p.message] == [(2, "body")]


def test_participedia_graph_conforms(result):
    report = validate_lines(generate_lines(SEED_RECORDS)[0] + result.lines)
    assert report.conforms, str(report)


def test_link_fields():
    assert parse_links('{"(4328,method,\\"Information and Communications Technologies (ICT)\\")","(145,method,\\"21st Century Town Meeting®\\")"}') == [
        ("4328", "method", "Information and Communications Technologies (ICT)"), ("145", "method", "21st Century Town Meeting®")]
    assert parse_links("(565,method,Survey)") == [("565", "method", "Survey")]
    assert parse_links("") == []


def test_name_normalisation():
    assert normalise_name("Citizens’ Assembly ") == normalise_name("citizens' assembly")
    assert normalise_name('"Deliberative Polling®"') == "deliberative polling"


def test_not_a_participedia_file(tmp_path):
    (tmp_path / "x.csv").write_text("id,name\n1,a\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not a Participedia export"):
        participedia_quads(tmp_path)
