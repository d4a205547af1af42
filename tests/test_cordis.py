"""CORDIS adapter on hand-written fixtures with the real layouts and quirks.

``tests/fixtures/cordis/horizon-europe`` has the Horizon Europe layout as the CORDIS site
re-saved by pandas writes it (``,`` separators, a BOM, ``True``/``False``, float amounts, quoted
fields with commas, quotes and newlines) and every kind of bad row; ``h2020`` has the official
``;`` layout with record numbers as ids, decimal commas, empty names and ``EL``/``UK``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.validate import validate_lines
from ingest.sources.cordis import CordisFilter, cordis_quads, decimal_or_none

from .conftest import SEED_RECORDS

FIXTURES = Path(__file__).parent / "fixtures" / "cordis"
HE, H2020 = FIXTURES / "horizon-europe", FIXTURES / "h2020"
ID = "https://w3id.org/democracy-kg/id/"
PREFIX = """PREFIX dkg: <https://w3id.org/democracy-kg/ontology#> PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX id: <https://w3id.org/democracy-kg/id/> """


def _store(*results) -> ox.Store:
    store = ox.Store()
    text = "\n".join(line for r in results for line in r.lines) + "\n"
    store.load(input=text.encode(), format=ox.RdfFormat.N_QUADS)
    return store


def _rows(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    return sorted(tuple(term.value if term is not None else None for term in row)
                  for row in store.query(PREFIX + query, use_default_graph_as_union=True))


@pytest.fixture(scope="module")
def he():
    return cordis_quads(HE, "cordis-he")


@pytest.fixture(scope="module")
def h2020():
    return cordis_quads(H2020, "cordis-h2020")


def test_counts(he, h2020):
    assert he.counts == {"projects read": 5, "projects kept": 4, "participations read": 10,
                         "participations kept": 6, "organisations": 5, "rejected rows": 5}
    assert h2020.counts["participations kept"] == 6
    assert h2020.counts["participations merged"] == 1


def test_every_bad_row_and_field_is_reported_with_file_line_field(he):
    found = {(p.file, p.line, p.field, p.value) for p in he.rejects}
    assert found == {
        ("project.csv", 6, "startDate", "2020-13-01"),
        ("project.csv", 6, "totalCost", "abc"),
        ("project.csv", 7, "id", "not-a-number"),
        ("organization.csv", 6, "organizationURL", "not a url"),
        ("organization.csv", 7, "role", "observer"),
        ("organization.csv", 8, "organisationID", "n/a"),
        ("organization.csv", 10, "projectID", "101999999"),
        ("organization.csv", 11, "", ""),
    }
    assert all(p.message for p in he.rejects)


def test_participations_are_qualified_with_shortcuts(he):
    store = _store(he)
    rows = _rows(store, """SELECT ?org ?role ?project WHERE {
        ?m a org:Membership ; org:member ?org ; org:role ?role ; org:organization ?project .
        ?org dkg:participatesIn ?project }""")
    assert (f"{ID}organisation/pic-900000001", f"{ID}role/coordinator", f"{ID}project/cordis-101112280") in rows
    assert (f"{ID}organisation/pic-900000003", f"{ID}role/third-party", f"{ID}project/cordis-101112280") in rows
    assert (f"{ID}organisation/pic-900000004", f"{ID}role/associated-partner", f"{ID}project/cordis-101900001") in rows
    assert len(rows) == 6
    assert _rows(store, "SELECT ?o WHERE { id:project\\/cordis-101900001 dkg:coordinatedBy ?o }") == [
        (f"{ID}organisation/pic-900000002",)]


def test_organisation_in_two_projects_is_one_node(he):
    store = _store(he)
    assert _rows(store, "SELECT ?p WHERE { id:organisation\\/pic-900000002 dkg:participatesIn ?p }") == [
        (f"{ID}project/cordis-101112280",), (f"{ID}project/cordis-101900001",)]
    # First name wins as the label; the other spelling is kept as an alternative label.
    assert _rows(store, "SELECT ?l WHERE { id:organisation\\/pic-900000002 rdfs:label ?l }") == [("EUROCITIES",)]
    assert ("EUROCITIES AISBL",) in _rows(store, "SELECT ?l WHERE { id:organisation\\/pic-900000002 skos:altLabel ?l }")


def test_cordis_country_codes_and_unnamed_organisations(he, h2020):
    store = _store(he, h2020)
    countries = dict(_rows(store, "SELECT ?o ?c WHERE { ?o dkg:country ?c }"))
    assert countries[f"{ID}organisation/pic-900000003"].endswith("/country/GRC")
    assert countries[f"{ID}organisation/pic-900000004"].endswith("/country/GBR")
    assert countries[f"{ID}organisation/pic-900000012"].endswith("/country/GBR")
    assert _rows(store, "SELECT ?l WHERE { id:organisation\\/pic-900000010 rdfs:label ?l }") == [("PIC 900000010",)]


def test_projects_amounts_dates_programmes(he, h2020):
    store = _store(he, h2020)
    rows = _rows(store, """SELECT ?start ?end ?total ?max ?funder WHERE {
        id:project\\/cordis-101900001 schema:startDate ?start ; schema:endDate ?end ; dkg:totalCost ?total ;
            dkg:ecMaxContribution ?max ; schema:funder ?funder }""")
    # (Oxigraph hands decimals back in its own canonical form, so compare numbers as numbers.)
    assert [(s, e, Decimal(t), Decimal(m), f) for s, e, t, m, f in rows] == [
        ("2024-02-01", "2027-01-31", Decimal("1499998"), Decimal("1499998"), f"{ID}programme/cordis-horizon-europe-horizon-2-2-1")]
    # H2020 ids are record numbers: keyed by rcn, no grant number claimed; decimal commas read.
    assert _rows(store, "SELECT ?rcn (STR(?max) AS ?m) WHERE { id:project\\/cordis-rcn-210002 dkg:cordisRcn ?rcn ; dkg:ecMaxContribution ?max }") == [
        ("210002", "1200000.5")]
    assert _rows(store, "SELECT ?id WHERE { id:project\\/cordis-rcn-210002 dkg:cordisProjectId ?id }") == []
    assert _rows(store, "SELECT ?f WHERE { id:programme\\/cordis-horizon-2020-sc6 dcterms:isPartOf ?f }") == [
        (f"{ID}programme/cordis-horizon-2020",)]
    amount = _rows(store, """SELECT ?ec WHERE { ?m org:member id:organisation\\/pic-900000010 ;
        org:organization id:project\\/cordis-rcn-210002 ; dkg:ecContribution ?ec }""")
    assert amount == [("600000.25",)]


def test_filters_by_programme_part_years_keywords_and_ids():
    assert cordis_quads(H2020, filters=CordisFilter(parts=frozenset({"SC6", "SWAFS"}))).counts["projects kept"] == 2
    assert cordis_quads(HE, filters=CordisFilter(parts=frozenset({"HORIZON.2.2"}))).counts["projects kept"] == 3
    assert cordis_quads(H2020, filters=CordisFilter(since=2019, until=2019)).counts["projects kept"] == 3
    assert cordis_quads(H2020, filters=CordisFilter(since=2020, until=2020)).counts["projects kept"] == 2
    assert cordis_quads(HE, filters=CordisFilter(keywords=("DELIBERATION",))).counts["projects kept"] == 1
    kept = cordis_quads(HE, filters=CordisFilter(project_ids=frozenset({"101112280"})))
    assert kept.counts["projects kept"] == 1
    # Participations in filtered-out projects are filtered (named by the filter), not rejects;
    # a participation whose project is not in project.csv at all is a reject under any filter
    # (issue 16: it used to vanish as soon as a filter was given).
    assert [p.value for p in kept.rejects if p.field == "projectID"] == ["101999999"]
    ledger = kept.ledgers[1]
    assert ledger.filtered == {"project not kept (project_ids)": 5} and ledger.closes()


def test_cordis_graph_conforms_to_the_shapes(he, h2020):
    from graph.build import generate_lines

    lines = generate_lines(SEED_RECORDS)[0] + he.lines + h2020.lines
    report = validate_lines(lines)
    assert report.conforms, str(report)


@pytest.mark.parametrize("text, expected", [
    ("1499998.0", "1499998.0"), ("1499998", "1499998.0"), ("12500,5", "12500.5"),
    ("1,234,567.5", "1234567.5"), ("0", "0.0"), ("", None)])
def test_amounts(text, expected):
    assert decimal_or_none(text) == expected


@pytest.mark.parametrize("text", ["abc", "NaN", "Infinity", "1.2.3"])
def test_bad_amounts_are_errors(text):
    with pytest.raises(ValueError):
        decimal_or_none(text)


def test_missing_table_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="project.csv"):
        cordis_quads(tmp_path)
