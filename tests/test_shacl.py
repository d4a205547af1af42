"""The SPARQL-compiled SHACL engine against pySHACL, the reference, on broken graphs.

Each case adds a few N-Quads lines to a small graph (the frozen records of tests/fixtures/network:
pySHACL takes seconds a case, and the curated graph keeps growing); both engines must find the same
violations (focus node, path, value). The whole seed graph is checked by both engines once. Together the cases exercise every constraint component
that ``ontology/shapes.ttl`` uses, so a compiler bug shows up as a disagreement.
"""

from __future__ import annotations

import textwrap

import pytest
import rdflib

from graph.build import generate_lines
from graph.shacl_sparql import UnsupportedShape, compile_shapes
from graph.validate import ENGINES, validate_lines

from .conftest import NETWORK_FIXTURE, SEED_RECORDS

G = "<https://w3id.org/democracy-kg/graph/curated>"
ID = "https://w3id.org/democracy-kg/id/"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
XSD = "http://www.w3.org/2001/XMLSchema#"
ORG = "http://www.w3.org/ns/org#"
DKG = "https://w3id.org/democracy-kg/ontology#"
SCHEMA = "https://schema.org/"

CASES = {
    "membership without role or member": [f"<{ID}membership/x> {RDF_TYPE} <{ORG}Membership>"],
    "unknown country (sh:class)": [f"<{ID}organisation/eurocities> <{DKG}country> <http://publications.europa.eu/resource/authority/country/XXX>"],
    "second start date after the end (sh:maxCount, sh:sparql)": [f'<{ID}project/ec-net> <{SCHEMA}startDate> "2023"^^<{XSD}gYear>'],
    "date as plain string (sh:or of datatypes)": [f'<{ID}project/nets4dem-project> <{SCHEMA}endDate> "soon"'],
    "ill-formed date (datatype lexical form)": [f'<{ID}project/nets4dem-project> <{SCHEMA}endDate> "2020-13-01"^^<{XSD}date>'],
    "organisation without anything (sh:minCount)": [f"<{ID}organisation/ghost> {RDF_TYPE} <{ORG}Organization>"],
    "PIC too short (sh:pattern)": [f'<{ID}organisation/eurocities> <{DKG}pic> "12345"'],
    "PIC as integer (sh:datatype)": [f'<{ID}organisation/eurocities> <{DKG}pic> "999999999"^^<{XSD}integer>'],
    "claim about a literal (sh:nodeKind IRI)": [f'<{ID}claim/nets4dem-cities> <{DKG}claimAbout> "Nets4Dem"'],
    "label as IRI (sh:nodeKind Literal)": [f"<{ID}organisation/eurocities> <http://www.w3.org/2000/01/rdf-schema#label> <{ID}x>"],
    "funder is a concept (sh:or of classes)": [f"<{ID}project/ec-net> <{SCHEMA}funder> <{ID}theme/solidarity>"],
    "instance of a subclass is targeted": [
        f"<{ID}x/Town> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <{SCHEMA}City>",
        f"<{ID}city/nowhere> {RDF_TYPE} <{ID}x/Town>"],
    "value count above maximum on a city (two countries)": [
        f"<{ID}city/es-barcelona> <{SCHEMA}containedInPlace> <http://publications.europa.eu/resource/authority/country/FRA>"],
    "member is a concept, not an organisation or a city (sh:or of classes)": [
        f"<{ID}membership/eurocities--organiser--democracy-lab> <{ORG}member> <{ID}theme/solidarity>"],
    "contribution as IRI (sh:nodeKind Literal)": [
        f"<{ID}membership/eurocities--organiser--democracy-lab> <{DKG}contribution> <{ID}x>"],
    "case facilitated by a city (sh:class)": [
        f"<{ID}case/x> {RDF_TYPE} <{DKG}Case>", f"<{ID}case/x> <{DKG}facilitatedBy> <{ID}city/es-barcelona>"],
}


_PYSHACL: dict = {}


def _found(report):
    return {(v.focus, v.path, v.value) for v in report.violations}


@pytest.fixture(scope="module")
def seed_lines():
    return generate_lines(SEED_RECORDS)[0]


@pytest.fixture(scope="module")
def small_lines():
    return generate_lines(NETWORK_FIXTURE / "records")[0]


@pytest.mark.slow  # pySHACL: seconds a case
@pytest.mark.parametrize("form", ["per-node lookups", "set-at-a-time"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_engines_agree_on_broken_graphs(small_lines, case, form, monkeypatch):
    # Both query forms of the compiled checks must agree with pySHACL; the set-at-a-time one
    # only runs on large targets in real builds, so force it here.
    if form == "set-at-a-time":
        monkeypatch.setattr("graph.shacl_sparql.SET_AT_A_TIME_FROM", 0)
    extra = [f"{line} {G} ." for line in CASES[case]]
    if case not in _PYSHACL:  # the reference answer does not depend on the form: compute it once
        _PYSHACL[case] = validate_lines(small_lines + extra, "pyshacl")
    reports = {"pyshacl": _PYSHACL[case], "oxigraph": validate_lines(small_lines + extra, "oxigraph")}
    assert not reports["pyshacl"].conforms, "the case must break a shape"
    assert not reports["oxigraph"].conforms
    assert _found(reports["oxigraph"]) == _found(reports["pyshacl"])


@pytest.mark.parametrize("engine", [pytest.param(engine, marks=[pytest.mark.slow] if engine == "pyshacl" else [])
                                    for engine in ENGINES])  # pySHACL: most of a minute on the seed graph
def test_engines_agree_on_the_seed_graph(seed_lines, engine):
    report = validate_lines(seed_lines, engine)
    assert report.conforms, f"{engine}: {report}"


def test_messages_come_from_the_shapes(small_lines):
    report = validate_lines(small_lines + [f"<{ID}organisation/ghost> {RDF_TYPE} <{ORG}Organization> {G} ."])
    messages = {v.message for v in report.violations if v.focus == f"<{ID}organisation/ghost>"}
    assert "every entity must be traceable to a source document (dcterms:source)" in messages


def test_unknown_engine_is_refused(small_lines):
    with pytest.raises(ValueError, match="unknown SHACL engine"):
        validate_lines(small_lines, "jena")


SHAPES_PREFIX = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .\n"""


@pytest.mark.parametrize("shape", [
    "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
    "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ( ex:p ex:q ) ; sh:minCount 1 ] .",
    "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:qualifiedValueShape [ sh:class ex:D ] ; sh:qualifiedMinCount 1 ] .",
    "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:in ( 1 2 ) ] .",
])
def test_unsupported_shapes_are_refused_not_ignored(shape):
    shapes = rdflib.Graph().parse(data=SHAPES_PREFIX + textwrap.dedent(shape), format="turtle")
    with pytest.raises(UnsupportedShape):
        compile_shapes(shapes)


def _max_count_checks(plan):
    return {check.path for check, _ in plan if check.quick_pass}


def test_quick_pass_leaves_out_maximum_counts_no_subject_can_break(small_lines, monkeypatch):
    # Set-at-a-time, a maximum count is a grouped scan of the whole predicate; one plain count
    # (rows = distinct subjects) proves most of them find nothing, and those are not run.
    import pyoxigraph as ox

    from graph.shacl_sparql import compiled_checks, plan_checks
    from graph.shacl_report import SHAPES_FILE

    monkeypatch.setattr("graph.shacl_sparql.SET_AT_A_TIME_FROM", 0)
    country = "<https://schema.org/containedInPlace>"
    second = f"<{ID}city/es-barcelona> {country} <http://publications.europa.eu/resource/authority/country/FRA> {G} ."
    # The same statement in a second graph is two rows of one value: the count cannot prove it,
    # the full check runs and finds nothing.
    again = next(line for line in small_lines if line.startswith(f"<{ID}city/es-barcelona> {country} "))
    again = again.rsplit(" ", 2)[0] + " <https://w3id.org/democracy-kg/graph/participedia> ."
    planned = {}
    for case, lines in {"conforming": small_lines, "two countries": small_lines + [second],
                        "one country twice": small_lines + [again]}.items():
        store = ox.Store()
        store.bulk_load(input="\n".join(lines).encode(), format=ox.RdfFormat.N_QUADS)
        planned[case] = _max_count_checks(plan_checks(store))
        assert validate_lines(lines).conforms is (case != "two countries")
    every = {check.path for check in compiled_checks(SHAPES_FILE) if check.quick_pass}
    assert country in every and len(every) > 5
    assert planned["conforming"] == set()
    assert planned["two countries"] == {country}
    assert planned["one country twice"] == {country}
