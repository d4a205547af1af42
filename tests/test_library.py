"""The named question library: every question's answer on the seed records plus the test fixtures.

The graph is built once (``library_store`` in conftest.py): the seed records, the invented rows
of tests/fixtures/library/records/, and the CORDIS, Participedia and Citizens' Assembly Register
test fixtures as sources.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.examples import example_table
from graph.library import KINDS, LibraryError, QueryNotFound, get_query, load_library, parse_query_file
from graph.sparql import ParameterError, with_values
from graph.query import compact, execute, select

LIBRARY = load_library()
CURATED_DOC = "Nets4Dem: about the network of networks"
FIXTURE_DOC = "Fixture directory of democracy networks (invented for tests)"
EC_NET_DOC = "Fattoria Pugliese Diffusa: International Projects, EC-NET (Europe for Citizens network of towns)"
IFDT = "https://ifdt.bg.ac.rs/x7p7"
#: The consortium of the Nets4Dem project: the lead and ten partners, with their countries.
CONSORTIUM = {"coglobal": "ES", "centro-de-estudos-sociais": "PT", "democracy-reporting-international": "DE",
              "demos-helsinki": "FI", "egmont-institute": "BE", "eurocities": "BE", "european-partnership-for-democracy": "BE",
              "institute-for-philosophy-and-social-theory": "RS", "open-source-politics": "FR", "people-powered": "US",
              "tepsa": "BE"}


def answer(store, name: str, **params) -> list[tuple]:
    """Rows of a named question as tuples of compact values (prefixed IRIs, plain literals)."""
    result = execute(name, store, params)
    return [tuple(None if t is None else compact(t) for t in row) for row in result.rows]


# --- the library itself ------------------------------------------------------------------------

def test_library_has_the_competency_questions():
    assert len(LIBRARY) >= 15
    for q in LIBRARY.values():
        assert q.question.endswith("?") or "?" in q.question, q.name
        assert q.example, f"{q.name}: no example in the header"
        assert q.form == "SELECT", q.name
        assert with_values(q.text, {"x": ox.Literal("probe")}) != q.text, f"{q.name}: no WHERE group for parameters"
        for p in q.parameters:
            assert p.kind in KINDS and p.description


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_answers_have_one_order_on_every_store(name):
    """ORDER BY names every column, so the rows come in the same order from any SPARQL store."""
    import re

    text = LIBRARY[name].text
    head = text[text.index("SELECT"):text.index("WHERE")]
    projected = set(re.findall(r"AS \?(\w+)\)", head)) | set(re.findall(r"(?<!AS )\?(\w+)(?![^(]*\))", head))
    ordered = set(re.findall(r"\?(\w+)", text[text.rindex("ORDER BY"):]))
    assert projected <= ordered, f"{name}: ORDER BY lacks {sorted(projected - ordered)}"


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_examples_in_headers_are_true(library_store, name):
    """The header's example is exactly today's answer (python -m graph.examples rewrites them)."""
    query = LIBRARY[name]
    assert example_table(query, library_store) == query.example


def test_unknown_question_lists_the_known_ones():
    with pytest.raises(QueryNotFound, match="members-of-network"):
        get_query("no-such-question")
    with pytest.raises(QueryNotFound):
        get_query("../../etc/passwd")


def test_parameter_errors_name_the_parameter():
    q = get_query("members-of-network")
    with pytest.raises(ParameterError, match="unknown parameter 'colour'"):
        q.bind({"colour": "red"})
    with pytest.raises(ParameterError, match="'network' \\(iri\\)"):
        q.bind({"network": "not an iri"})
    with pytest.raises(ParameterError, match="'text' \\(string\\) is required"):
        get_query("find-organisations").bind({})
    with pytest.raises(ParameterError, match="'year' \\(year\\)"):
        get_query("projects-by-programme-and-year").bind({"year": "20x0"})


def test_parameter_kinds_become_typed_terms():
    q = get_query("projects-by-programme-and-year")
    bound = q.bind({"programme": "programme:europe-for-citizens", "year": "2021"})
    assert bound["programme"] == ox.NamedNode("https://w3id.org/democracy-kg/id/programme/europe-for-citizens")
    assert bound["year"] == ox.Literal("2021", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    assert get_query("members-of-network").bind({"network": "organisation/eurocities"})["network"].value.endswith(
        "/id/organisation/eurocities")


@pytest.mark.parametrize("header, message", [
    ("# Question: q?\n# Parameters:\n#   x (colour): d\n", "unknown kind 'colour'"),
    ("# Question: q?\n# Parameters:\n#   x iri: d\n", "parameter line not understood"),
    ("# Question: q?\n# Parameters:\n#   store (iri): d\n", "reserved"),
    ("# Question: q?\n# Parameters:\n#   y (year, default soon): d\n", "default of parameter 'y'"),
    ("# Question: q?\n# Parameters:\n#   x (iri): d\n#   x (iri): e\n", "declared twice"),
])
def test_malformed_headers_are_reported_with_file_and_line(tmp_path, header, message):
    path = tmp_path / "bad.rq"
    path.write_text(header + "SELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    with pytest.raises(LibraryError, match=message) as err:
        parse_query_file(path)
    assert str(path) in str(err.value)


def test_values_blocks_go_into_groups_that_use_the_variables():
    text = ('CONSTRUCT { ?s ?p "WHERE {" } WHERE { # WHERE {\n ?s ?p ?o { SELECT ?s WHERE { ?s ?p ?o } } '
            'VALUES ?p { <http://ex/p> } OPTIONAL { ?s ?q ?r } }')
    bound = with_values(text, {"o": ox.Literal("x")})
    assert bound == ('CONSTRUCT { ?s ?p "WHERE {" } WHERE { VALUES ( ?o ) { ( "x" ) }\n # WHERE {\n ?s ?p ?o '
                     '{ SELECT ?s WHERE { VALUES ( ?o ) { ( "x" ) }\n ?s ?p ?o } } VALUES ?p { <http://ex/p> } '
                     'OPTIONAL { ?s ?q ?r } }')
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://ex/a"), ox.NamedNode("http://ex/p"), ox.Literal("x")))
    store.add(ox.Quad(ox.NamedNode("http://ex/b"), ox.NamedNode("http://ex/p"), ox.Literal("y")))
    union = "SELECT ?s WHERE { { ?s ?p ?v FILTER(?v = ?o) } UNION { ?s ?p ?o FILTER(false) } }"
    # bound beforehand, as pyoxigraph substitutions bind: the FILTER inside the UNION branch sees ?o
    assert [r[0].value for r in store.query(with_values(union, {"o": ox.Literal("x")}))] == ["http://ex/a"]
    with pytest.raises(ParameterError, match="WHERE"):
        with_values("ASK { ?s ?p ?o }", {"o": ox.Literal("x")})


# --- hostile values are bound as terms, never run ----------------------------------------------

HOSTILE = ['"} ; DROP ALL ; #', "<http://x> }", "it's \"quoted\"", "line one\nline two", "\\\"}} INSERT DATA { <a> <b> <c> }"]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_are_matched_as_literals(value):
    store = ox.Store()
    g = ox.NamedNode("https://w3id.org/democracy-kg/graph/test")
    org = ox.NamedNode("https://w3id.org/democracy-kg/id/organisation/hostile")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    store.add(ox.Quad(org, rdf_type, ox.NamedNode("http://www.w3.org/ns/org#Organization"), g))
    store.add(ox.Quad(org, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal(f"Name {value} end"), g))
    before = len(store)
    rows = answer(store, "find-organisations", text=value)
    assert [r[:3] for r in rows] == [("organisation:hostile", f"Name {value} end", f"Name {value} end")]
    assert answer(store, "find-organisations", text=value + " not there") == []
    assert len(store) == before  # nothing else ran


def test_hostile_iris_are_refused_before_any_query():
    for value in ("<http://x> }", "http://x> } ; DROP ALL ; #", "http://x y"):
        with pytest.raises(ParameterError):
            get_query("members-of-network").bind({"network": value})


# --- expected answers on the seed records and fixtures -----------------------------------------

def test_members_of_network(library_store):
    rows = answer(library_store, "members-of-network")
    # The eleven organisations of the consortium (and the fixture's invented network), each with its
    # country and the page that lists it.
    assert {r[0].removeprefix("organisation:"): r[3] for r in rows} == {**CONSORTIUM, "fixture-city-network": "BE"}
    assert {(r[2], r[4], r[6]) for r in rows if r[0] != "organisation:fixture-city-network"} == {
        ("Founding member", "2023-06", IFDT)}
    assert ("organisation:fixture-city-network", "Fixture City Network", "Founding member", "BE", "2023-06", None,
            "https://example.org/directory", "1") in rows
    rows = answer(library_store, "members-of-network", network="organisation:fixture-city-network")
    assert [(r[1], r[2], r[3], r[4], r[5]) for r in rows] == [
        ("Fixture Town A", "Member", "IT", "2019", None), ("Fixture University", "Member", "DE", "2021-01-01", "2023-12-31")]
    # role filter: founding members are members (skos:broader), members are not founding members
    assert len(answer(library_store, "members-of-network", role="role:member")) == 12
    assert answer(library_store, "members-of-network", network="organisation:fixture-city-network",
                  role="role:founding-member") == []


def test_indirect_members_via_property_paths(library_store):
    rows = answer(library_store, "indirect-members")
    direct = {r[0] for r in rows if r[6] == "true"}
    assert direct == {f"organisation:{k}" for k in CONSORTIUM} | {"organisation:fixture-city-network"}
    # members of members, to any depth
    assert ("organisation:fixture-town-a", "Fixture Town A", "organisation", "organisation:fixture-city-network",
            "Fixture City Network", "member of", "false") in rows
    assert ("organisation:coglobal", "Asociación Consortium Local-Global", "organisation", "organisation:people-powered",
            "People Powered", "member of", "false") in rows
    # cities reached through the Democracy Labs that Eurocities (a founding member) organises
    cities = {r[1] for r in rows if r[2] == "city" and r[5] == "takes part in"}
    assert {"Cascais", "Istanbul", "Rotterdam", "Sofia", "Vilnius", "Prague", "Reykjavík", "Leeuwarden", "Leipzig",
            "Milan", "Valongo"} == cities
    assert ("city:lt-vilnius", "Vilnius", "city", "event:democracy-lab-barcelona-2024", "Democracy Lab Barcelona 2024",
            "takes part in", "false") in rows
    # and organisations through the accelerator and the mentorship programme People Powered and Coglobal run
    assert {"Civil Society Development Center Durrës", "Ozurgeti Municipality Assembly"} <= {r[1] for r in rows}
    # a member is listed as a member, not again as a participant
    assert not [r for r in rows if r[0] == "organisation:eurocities" and r[5] == "takes part in"]


def test_participants_of_project_across_sources(library_store):
    rows = answer(library_store, "participants-of-project")
    cordis = [(r[1], r[2], r[3], r[4]) for r in rows if r[5] == "graph:cordis-horizon-europe"]
    assert cordis == [("DEMOCRACY REPORTING INTERNATIONAL GGMBH", "Coordinator", "DE", "500000"),
                      ("EUROCITIES", "Participant", "BE", "250000"), ("PIC 900000003", "Third party", "GR", "0")]
    curated = {r[0].removeprefix("organisation:"): (r[2], r[3]) for r in rows if r[5] == "graph:curated"}
    assert curated == {k: ("Coordinator" if k == "democracy-reporting-international" else "Partner", c)
                       for k, c in CONSORTIUM.items()}


def test_organisations_in_several_collaborations(library_store):
    rows = answer(library_store, "organisations-in-several-collaborations")
    # each consortium member: the Nets4Dem network and project; Coglobal also People Powered; DRI
    # also its CORDIS record's project (same web domain, so one organisation)
    assert {r[0].removeprefix("organisation:"): r[2] for r in rows} == {
        **{k: "2" for k in CONSORTIUM}, "coglobal": "3", "democracy-reporting-international": "3",
        "pic-900000002": "3", "fixture-town-a": "2", "pic-900000010": "2"}
    assert answer(library_store, "organisations-in-several-collaborations", min=3) == [
        ("organisation:coglobal", "Asociación Consortium Local-Global", "3"),
        ("organisation:democracy-reporting-international", "Democracy Reporting International", "3"),
        ("organisation:pic-900000002", "EUROCITIES", "3")]


def test_projects_by_method_include_narrower_methods(library_store):
    assert [(r[0], r[2], r[3]) for r in answer(library_store, "projects-by-method")] == [
        ("event:dia-launch-event-2024", "event", "Webinar"),
        ("event:ec-net-poznan-2022", "event", "International event"),
        ("event:nets4dem-capacity-building-webinar-2024", "event", "Webinar"),
        ("programme:democracy-innovation-accelerator", "programme", "Acceleration programme"),
        ("programme:dia-cohort-1", "programme", "Acceleration programme"),
        ("programme:dia-cohort-2", "programme", "Acceleration programme"),
        ("programme:dia-cohort-3", "programme", "Acceleration programme"),
        ("programme:dia-cohort-4", "programme", "Acceleration programme"),
        ("programme:rising-stars-mentorship", "programme", "Mentoring"),
        ("project:ec-net", "project", "International event")]
    # Participedia cases reach our methods through skos:exactMatch
    rows = answer(library_store, "projects-by-method", method="method:direct-participation")
    assert [(r[0], r[2], r[3]) for r in rows] == [
        ("case:participedia-2", "case", "Participatory budgeting"),
        ("case:participedia-3", "case", "Participatory budgeting")]


def test_projects_by_programme_and_year(library_store):
    rows = answer(library_store, "projects-by-programme-and-year", programme="programme:cordis-horizon-2020", year=2020)
    assert [(r[1], r[6]) for r in rows] == [("DEMOTOWN", "EUROCITIES"), ("SCIPART", "PIC 900000010")]
    rows = answer(library_store, "projects-by-programme-and-year", programme="programme:europe-for-citizens")
    assert [(r[0], r[3], r[4], r[5]) for r in rows] == [
        ("project:ec-net", "Europe for Citizens", "2020-11-02", "2022-11-01")]
    everything = answer(library_store, "projects-by-programme-and-year")
    assert {r[3] for r in everything} == {"Europe for Citizens", "Horizon 2020", "Horizon Europe"}
    assert len(everything) == len({r[0] for r in everything}) == 9


def test_methods_of_programme(library_store):
    # the programme, its four cohorts; the lab format and its three editions; two webinars
    assert answer(library_store, "methods-of-programme") == [
        ("method:acceleration-programme", "Acceleration programme", "Capacity building", "5"),
        ("method:collaborative-problem-solving-lab", "Collaborative problem-solving lab", "Collaborative working", "4"),
        ("method:webinar", "Webinar", "Capacity building", "2"),
        ("method:mentoring", "Mentoring", "Capacity building", "1")]
    rows = answer(library_store, "methods-of-programme", programme="programme:europe-for-citizens")
    assert [(r[1], r[3]) for r in rows] == [("International event", "2"), ("Interviews", "1"),
                                            ("Local working group", "1"), ("Participatory research", "1")]


def test_events_and_organisers(library_store):
    rows = answer(library_store, "events-and-organisers", organiser="organisation:barcelona-city-council")
    assert [(r[1], r[2], r[3], r[4], r[5], r[6], r[9], r[10]) for r in rows] == [
        ("Democracy Lab Barcelona 2024", "2024-09-17", "2024-09-19", "Barcelona", "ES", "false", "Host", "Democracy Lab"),
        ("Democracy Lab Barcelona 2024", "2024-09-17", "2024-09-19", "Barcelona", "ES", "false", "Host",
         "European Capital of Democracy 2023/24")]
    rows = answer(library_store, "events-and-organisers", organiser="organisation:eurocities")
    webinar = [r for r in rows if r[0] == "event:nets4dem-capacity-building-webinar-2024"]
    assert [(r[2], r[6], r[9]) for r in webinar] == [("2024-06-27T10:00:00+02:00", "true", "Organiser")]
    # Eurocities organised all three Democracy Labs
    assert {r[1] for r in rows if r[9] == "Organiser" and "Lab" in r[1]} == {
        "Democracy Lab Barcelona 2024", "Climate Democracy Lab Grenoble 2025", "Democracy Lab Bilbao 2026"}


def test_organisations_by_country_and_type(library_store):
    rows = answer(library_store, "organisations-by-country-and-type", source="graph:curated")
    assert rows[:2] == [("(unknown)", "Civil society organisation", "2"), ("(unknown)", "Network of networks", "1")]
    assert {("BE", "Network", "4"), ("US", "Network", "1"), ("DE", "University", "1"), ("ES", "Local government", "2"),
            ("FR", "Local government", "4"), ("IT", "Local government", "1")} <= set(rows)
    assert sum(int(n) for *_, n in rows) == 35  # the 32 curated organisations and the library's three
    every = answer(library_store, "organisations-by-country-and-type")
    # the register's councils are local government, the NHS bodies and nations public bodies
    assert ("GB", "Local government", "4") in every and ("GB", "Public body", "3") in every


def test_cases_by_iap2_level_and_method_family(library_store):
    # the register's twelve assemblies and juries use our own methods, so they count under our family
    assert answer(library_store, "cases-by-iap2-and-method-family") == [
        ("(not stated)", "0", "(no method)", "1"), ("(not stated)", "0", "Direct participation", "1"),
        ("(not stated)", "0", "Representative deliberative process", "12"),
        ("Consult", "2", "Representative deliberative process", "1"), ("Collaborate", "4", "Direct participation", "1"),
        ("Collaborate", "4", "collaborative", "1"), ("Collaborate", "4", "deliberative", "1")]
    assert answer(library_store, "cases-by-iap2-and-method-family", country="country:ITA") == [
        ("Collaborate", "4", "Direct participation", "1"), ("Collaborate", "4", "collaborative", "1"),
        ("Collaborate", "4", "deliberative", "1")]


def test_cases_by_country_and_year(library_store):
    rows = answer(library_store, "cases-by-country-and-year")
    participedia = [("(unknown)", "2021", "1", "0"), ("BE", "0", "1", "0"), ("CA", "2004", "1", "160"), ("IT", "2019", "1", "0")]
    # the register's cases: UK public bodies' in GB, those of other bodies without a country
    assert [r for r in rows if r[0] != "GB" and r[0] != "(unknown)"] == participedia[1:]
    assert ("GB", "2021", "3", "100") in rows and ("GB", "0", "1", "24") in rows  # 12.5 participants and 20x3 left out
    assert sum(int(r[2]) for r in rows) == 4 + 12


def test_provenance_of_every_fact(library_store):
    rows = answer(library_store, "provenance-of-entity")
    selection = "Europe for Citizens Point Italy: Networks of Towns 2020 round 1, selection results"
    assert len(rows) == 46 and {(r[2], r[3]) for r in rows} == {("graph:curated", EC_NET_DOC), ("graph:curated", selection)}
    assert ("schema:startDate", "2020-11-02", "graph:curated", EC_NET_DOC) in rows
    # an organisation known to two CORDIS sources: each fact with the graph it came from
    pic = answer(library_store, "provenance-of-entity", entity="organisation:pic-900000002")
    labels = {(r[1], r[2]) for r in pic if r[0] == "rdfs:label"}
    assert labels == {("EUROCITIES", "graph:cordis-h2020"), ("EUROCITIES", "graph:cordis-horizon-europe")}


def test_claims_and_where_sources_disagree(library_store):
    rows = answer(library_store, "claims-about-entity")
    assert rows[:2] == [("Cities", "Approximately", "250", FIXTURE_DOC, "<https://example.org/directory>"),
                        ("Cities", "More than", "200", CURATED_DOC, "<https://nets4dem.eu/>")]
    assert ("Founding members", "Exactly", "12", CURATED_DOC, "<https://nets4dem.eu/>") in rows and len(rows) == 9
    disagreements = answer(library_store, "disagreeing-claims")
    assert ("Nets4Dem", "Cities", "250", "Approximately", FIXTURE_DOC, "200", "More than", CURATED_DOC) in disagreements
    # the sources that disagree in the curated records: the year of the first Democracy Lab, and
    # whether Nets4Dem had eleven founding members or twelve
    assert ("Democracy Lab Barcelona 2024", "Year held", "2024", "Exactly", "Nets4Dem: upcoming event, Democracy Lab in "
            "Barcelona", "2023", "Exactly", "Nets4Dem: sharing knowledge from the Democracy Lab") in disagreements
    assert ("Nets4Dem", "Founding members", "12", "Exactly", CURATED_DOC, "11", "Exactly",
            "IFDT: Nets4Dem project page (duration, lead partner and partners with their countries)") in disagreements
    ec_net = answer(library_store, "claims-about-entity", entity="project:ec-net")
    assert ("Direct participants", "Approximately", "600", EC_NET_DOC,
            "<https://www.fattoriapugliesediffusa.it/projects/international-projects/ec-net/>") in ec_net


def test_organisations_without_external_identifier(library_store):
    rows = answer(library_store, "organisations-without-identifier", source="graph:curated")
    assert [r[1] for r in rows] == [
        "Aix-Marseille-Provence Métropole", "Association of Participatory Community Development", "Barcelona City Council",
        "Bilbao City Council", "Bordeaux Métropole", "Civil Society Development Center Durrës", "EC-NET ENGO",
        "Fixture Town A", "Grenoble-Alpes Métropole", "Information and Education Development Network",
        "National Trans Coalition", "Ozurgeti Municipality Assembly", "PETR Ariège"]
    # councils carry their local authority code; facilitators without a site or id are listed
    every = {r[0] for r in answer(library_store, "organisations-without-identifier")}
    assert "organisation:uk-council-sam" not in every and "organisation:mysociety-shared-future" in every


def test_same_organisation_across_sources(library_store):
    # The curated Eurocities carries its real PIC (999450559) and country, so Participedia's
    # EUROCITIES (same name, BE) joins it; the CORDIS fixtures' made-up PIC 900000002 is, by
    # the rule on conflicting identifiers, another organisation.
    assert answer(library_store, "same-organisation-across-sources") == [
        ("organisation:democracy-reporting-international", "organisation:pic-900000001", "graph:cordis-horizon-europe",
         "DEMOCRACY REPORTING INTERNATIONAL GGMBH", "DE", "900000001", None),
        ("organisation:democracy-reporting-international", "organisation:democracy-reporting-international",
         "graph:curated", "Democracy Reporting International", "DE", None, None),
        # one facilitator written two ways by the register, the curated record and Participedia's
        ("organisation:democratic-society", "organisation:mysociety-democratic-society", "graph:assemblies",
         "The Democratic Society", None, None, None),
        ("organisation:democratic-society", "organisation:democratic-society", "graph:curated", "The Democratic Society",
         None, None, "6302"),
        ("organisation:democratic-society", "organisation:participedia-6302", "graph:participedia",
         "The Democratic Society", "GB", None, "6302"),
        ("organisation:eurocities", "organisation:eurocities", "graph:curated", "Eurocities", "BE", "999450559", None),
        ("organisation:eurocities", "organisation:participedia-901", "graph:participedia", "EUROCITIES", "BE", None, "901")]


def test_coordinators_by_country(library_store):
    rows = answer(library_store, "coordinators-by-country")
    assert rows[:2] == [("BE", "Belgium", "2", "1"), ("DE", "Germany", "2", "1")] and ("GR", "Greece", "1", "1") in rows
    assert ("IT", "Italy", "1", "1") in rows  # EC-NET's lead applicant
    assert answer(library_store, "coordinators-by-country", programme="programme:cordis-horizon-europe") == [
        ("AT", "Austria", "1", "1"), ("BE", "Belgium", "1", "1"), ("DE", "Germany", "1", "1")]


def test_programme_parts(library_store):
    assert [(r[1], r[2], r[3], r[4], r[5]) for r in answer(library_store, "programme-parts")] == [
        ("Europe for Citizens 2007-2013", "Programme period", "Europe for Citizens", "2007", "2013"),
        ("Europe for Citizens 2014-2020", "Programme period", "Europe for Citizens", "2014", "2020"),
        ("Europe for Citizens: Networks of Towns", "Programme strand", "Europe for Citizens", None, None),
        ("Europe for Citizens: Networks of Towns 2020, round 1", "Call for proposals", "Europe for Citizens 2014-2020",
         "2020", None),
        ("Europe for Citizens: Networks of Towns 2020, round 1", "Call for proposals",
         "Europe for Citizens: Networks of Towns", "2020", None)]
    deep = answer(library_store, "programme-parts", programme="programme:nets4dem-capacity-building")
    assert {(r[1], r[3]) for r in deep} >= {("Democracy Lab", "Nets4Dem capacity-building offer"),
                                            ("Rising Stars Mentorship Programme", "Nets4Dem capacity-building offer"),
                                            ("Democratic Innovations Accelerator, cohort 3 (youth participation)",
                                             "Democratic Innovations Accelerator")}


def test_method_matches(library_store):
    assert answer(library_store, "method-matches") == [
        ("method:citizens-assembly", "Citizens' assembly", "participedia-method:4321", "Citizens’ Assembly", "1"),
        ("method:deliberative-poll", "Deliberative poll", "participedia-method:147", "Deliberative Polling®", "0"),
        ("method:participatory-budgeting", "Participatory budgeting", "participedia-method:146", "Participatory Budgeting", "2")]


def test_find_organisations(library_store):
    rows = answer(library_store, "find-organisations", text="CITIES", country="country:BEL")
    assert {r[0] for r in rows} == {"organisation:pic-900000002", "organisation:participedia-901", "organisation:eurocities"}


def test_dataset_graphs_from_the_void_description(library_store, library_build):
    rows = answer(library_store, "dataset-graphs")
    triples = {r[0]: int(r[2]) for r in rows}
    assert triples == {f"graph:{name}": n for name, n in library_build.graphs.items()}
    licences = {r[0]: r[4] for r in rows}
    assert licences["graph:participedia"] == "<https://creativecommons.org/licenses/by-nc-sa/3.0/>"
    assert licences["graph:curated"] == "<https://creativecommons.org/licenses/by/4.0/>"


# --- the pandas and rdflib API ------------------------------------------------------------------

def test_select_gives_typed_columns_in_select_order(library_store):
    df = select("projects-by-programme-and-year", library_store, programme="programme:cordis-horizon-europe")
    assert list(df.columns) == ["project", "acronym", "name", "programmeName", "start", "end", "coordinator"]
    assert str(df["start"].dtype) == "datetime64[ns]" and df["start"].isna().sum() == 2
    df = select("participants-of-project", library_store)
    assert str(df["ecContribution"].dtype) == "Float64"
    assert df["ecContribution"].sum() == 750000.0 and df["country"].isna().sum() == 0
    df = select("organisations-in-several-collaborations", library_store, min=3)
    assert str(df["collaborations"].dtype) == "Int64" and df["collaborations"].tolist() == [3, 3, 3]
    df = select("indirect-members", library_store)
    assert str(df["direct"].dtype) == "boolean" and df["direct"].tolist() == [True] * 12 + [False] * 25
    # a column mixing xsd:gYearMonth and xsd:date keeps the lexical forms instead of inventing days
    df = select("members-of-network", library_store, network="organisation:fixture-city-network")
    assert df["start"].tolist() == ["2019", "2021-01-01"] and str(df["start"].dtype) == "string"


def test_select_date_time_columns_are_utc(library_store):
    df = select("SELECT ?start WHERE { event:nets4dem-capacity-building-webinar-2024 schema:startDate ?start }",
                library_store)
    assert str(df["start"].dtype) == "datetime64[ns, UTC]" and df["start"][0].hour == 8


def test_construct_gives_an_rdflib_graph(library_store):
    from rdflib import URIRef

    g = construct_members(library_store)
    assert len(g) == 15  # eleven founders, the fixture network and its two members, Coglobal in People Powered
    assert (URIRef("https://w3id.org/democracy-kg/id/organisation/fixture-town-a"), URIRef("http://www.w3.org/ns/org#memberOf"),
            URIRef("https://w3id.org/democracy-kg/id/organisation/fixture-city-network")) in g
    with pytest.raises(ValueError, match="construct"):
        select("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1", library_store)


def construct_members(store):
    from graph.query import construct

    return construct("CONSTRUCT { ?m org:memberOf ?n } WHERE { ?m org:memberOf ?n . ?n org:memberOf* organisation:nets4dem }",
                     store)


def test_top_brokers_reads_the_analysis_graph(library_store):
    # conftest loads the collaboration analysis; its betweenness is NetworkX's on the same projection
    # (tests/test_network.py checks the values by hand on its own fixture)
    import networkx as nx

    from graph.network.collaboration import collaboration_graph
    from graph.network.extract import extract

    expected = nx.betweenness_centrality(collaboration_graph(extract(library_store)))
    rows = answer(library_store, "top-brokers")
    top = [(r[0], float(r[2])) for r in rows[:3]]
    assert [iri for iri, _ in top] == ["organisation:democracy-reporting-international", "organisation:pic-900000002",
                                       "organisation:pic-900000010"]
    for iri, value in top:
        assert value == pytest.approx(expected[iri.replace("organisation:", "https://w3id.org/democracy-kg/id/organisation/")])
    within = answer(library_store, "top-brokers", within="project:ec-net", metric="dkg:degree")
    # Fixture Town A shares EC-NET with its four partners and the fixture network with one member
    assert [(r[1], r[2]) for r in within] == [
        ("Fixture Town A", "5"), ("Check-IN – Cooperação e Desenvolvimento", "4"), ("Fattoria Pugliese Diffusa", "4"),
        ("LAG Središnja Istra", "4"), ("Razvojno informacijski center Slovenska Bistrica", "4")]
    assert answer(library_store, "top-brokers", projection="membership") == []


# --- the field: programmes, awards, brokers, facilitators (issue 15) ----------------------------

def test_participants_of_an_activity_with_roles_and_contributions(library_store):
    rows = answer(library_store, "participants-of-activity")
    cities = [(r[1], r[3], r[5]) for r in rows if r[2] == "city"]
    # the five challenge cities of the first Democracy Lab, each with what it brought and its page
    assert cities == [("Cascais", "Participant city", "PT"), ("Istanbul", "Participant city", "TR"),
                      ("Rotterdam", "Participant city", "NL"), ("Sofia", "Participant city", "BG"),
                      ("Vilnius", "Participant city", "LT")]
    assert all(r[4] and r[8] == "https://nets4dem.eu/europes-cities-forge-the-future-of-digital-democracy"
               for r in rows if r[2] == "city")
    assert {(r[1], r[3]) for r in rows if r[2] == "organisation"} == {("Eurocities", "Organiser"),
                                                                      ("Barcelona City Council", "Host")}
    # parts count (the editions of an award), and the role filter takes narrower roles too
    shortlists = answer(library_store, "participants-of-activity", activity="programme:european-capital-of-democracy",
                        role="role:shortlisted")
    by_edition = {}
    for r in shortlists:
        by_edition.setdefault(r[7], set()).add((r[1], r[3]))
    assert by_edition == {
        "European Capital of Democracy 2023/24": {("Barcelona", "Title holder"), ("Braga", "Shortlisted"),
                                                  ("Brussels", "Shortlisted")},
        "European Capital of Democracy 2024/25": {("Vienna", "Title holder"), ("Bratislava", "Shortlisted"),
                                                  ("Gdańsk", "Shortlisted"), ("Izmir", "Shortlisted"),
                                                  ("Leipzig", "Shortlisted")},
        "European Capital of Democracy 2026": {("Cascais", "Title holder"), ("Rotterdam", "Shortlisted"),
                                               ("Sofia", "Shortlisted")}}
    finalists = answer(library_store, "participants-of-activity", activity="event:ecod-2023-24", role="role:finalist")
    assert len(finalists) == 13  # the thirteen finalists of the first edition, three of them shortlisted


def test_cities_in_both_the_first_democracy_lab_and_the_2026_shortlist(library_store):
    assert answer(library_store, "shared-participants") == [
        ("city:pt-cascais", "Cascais", "city", "Participant city", "Title holder"),
        ("city:nl-rotterdam", "Rotterdam", "city", "Participant city", "Shortlisted"),
        ("city:bg-sofia", "Sofia", "city", "Participant city", "Shortlisted")]
    # across whole programmes: Leipzig and Valongo also came to a lab and applied for the title
    rows = answer(library_store, "shared-participants", first="programme:democracy-lab",
                  second="programme:european-capital-of-democracy")
    assert {"Cascais", "Leipzig", "Rotterdam", "Sofia", "Valongo"} <= {r[1] for r in rows}
    # the same city in two roles of one programme is one row per pair of roles
    assert ("city:pt-cascais", "Cascais", "city", "Participant city", "Applicant") in rows


def test_actors_in_several_activities(library_store):
    rows = answer(library_store, "actors-in-several-activities", min=5)
    counts = {r[1]: r[3] for r in rows}
    assert counts == {"Eurocities": "9", "Asociación Consortium Local-Global": "5", "Cascais": "5",
                      "Democracy Reporting International": "5", "European Partnership for Democracy": "5"}
    cascais = [(r[5], r[6]) for r in rows if r[1] == "Cascais"]
    assert cascais == [("Democracy Lab Barcelona 2024", "Participant city"), ("Democracy Lab Bilbao 2026", "Participant city"),
                       ("European Capital of Democracy 2023/24", "Finalist"),
                       ("European Capital of Democracy 2024/25", "Applicant"),
                       ("European Capital of Democracy 2026", "Title holder")]
    # research projects and single cases do not count: Shared Future runs several cases, no more
    assert not [r for r in answer(library_store, "actors-in-several-activities", min=2) if r[0].endswith("shared-future")]



# --- questions rewritten for speed answer as their plain formulations (issue 19) ----------------

REFERENCE = Path(__file__).parent / "fixtures" / "library" / "reference"
#: The questions whose text was rewritten for speed at H2020 scale, each with the parameters to
#: compare their answers under (the defaults first).
REWRITTEN = {
    "actors-in-several-activities": [{}, {"min": 1}, {"min": 2}, {"min": 4}, {"min": 6}],
    "projects-by-programme-and-year": [
        {}, {"year": 2019}, {"year": 2020}, {"year": 2021}, {"year": 2022}, {"programme": "programme:top"},
        {"programme": "programme:part-1", "year": 2021}, {"programme": "programme:other", "year": 2021},
        {"programme": "programme:cordis-horizon-2020", "year": 2020}, {"programme": "programme:europe-for-citizens"}],
    "top-brokers": [
        {}, {"metric": "dkg:degree"}, {"within": "project:two-parts"}, {"within": "project:ec-net", "metric": "dkg:degree"},
        {"projection": "membership"}, {"analysis": "analysis/run-2"}],
}


@pytest.fixture(scope="module")
def edge_store():
    """The invented graph of tests/fixtures/library/reference/edge-cases.trig, in memory."""
    store = ox.Store()
    store.load(path=REFERENCE / "edge-cases.trig", format=ox.RdfFormat.TRIG)
    return store


@pytest.mark.parametrize("name", sorted(REWRITTEN))
def test_questions_rewritten_for_speed_answer_as_their_plain_formulation(library_store, edge_store, name):
    """The library's text and the plain one (fixtures/library/reference/) give the same rows in the same order."""
    query = LIBRARY[name]
    plain = dataclasses.replace(query, text=(REFERENCE / f"{name}.rq").read_text(encoding="utf-8"))
    for store in (library_store, edge_store):
        for params in REWRITTEN[name]:
            expected = execute(plain, store, params)
            got = execute(query, store, params)
            assert (got.variables, got.rows) == (expected.variables, expected.rows), (name, params)
    # the edge cases are in the answer, not beside it
    assert execute(query, edge_store, {}).rows

def test_brokers_between_the_spheres_of_the_field(library_store):
    rows = answer(library_store, "brokers-between-networks")
    spheres = {}
    for r in rows:
        spheres.setdefault(r[1], set()).add(r[5])
    # the cities that went to a Democracy Lab (Nets4Dem's capacity building) and applied for the title
    for city in ("Cascais", "Leipzig", "Rotterdam", "Sofia", "Valongo"):
        assert spheres[city] == {"European Capital of Democracy", "Nets4Dem project"}, city
    # The Democratic Society, merged across three sources: the register's assemblies and the
    # conference where Nets4Dem's founding organisations spoke
    assert spheres["The Democratic Society"] == {"Citizens' Assembly Register test fixture",
                                                 "Elections on Rewind: Democracy on Fast Forward (EPD Annual Conference 2024)"}
    # a city that only went to the first lab is no broker, although that lab lay inside the capital year
    assert "Vilnius" not in spheres and "Istanbul" not in spheres
    assert answer(library_store, "brokers-between-networks", min=3) == []


def test_who_facilitates_deliberative_processes_for_whom(library_store):
    rows = answer(library_store, "facilitators-and-commissioners")
    facilitators = {r[1] for r in rows}
    assert facilitators == {"Citizens Juries", "Involve Foundation", "Shared Future", "Sortition Foundation",
                            "The Democratic Society"}
    demsoc = answer(library_store, "facilitators-and-commissioners", organisation="organisation:democratic-society")
    # both spellings of the register, under the curated organisation; one council under two names
    assert demsoc == [
        ("organisation:democratic-society", "The Democratic Society", "organisation:uk-council-exa",
         "Exampleton Borough Council", "2", "2020", "2022"),
        ("organisation:democratic-society", "The Democratic Society", "organisation:mysociety-badcode-district-council",
         "Badcode District Council", "1", "2022", "2022"),
        ("organisation:democratic-society", "The Democratic Society", "organisation:mysociety-fixtureland",
         "Fixtureland", "1", "2021", "2021")]
    shared = [r for r in rows if r[1] == "Shared Future"]
    assert {r[3] for r in shared} == {"Quietshire Partnership", "Sampletown Town Council"}  # SHared Future too


def test_pyoxigraph_substitutions_still_refuse_a_variable_the_query_does_not_project():
    # Why graph.sparql binds with VALUES on the embedded store too (issue 18 asked for
    # substitutions=): most named questions filter on a parameter they do not project, and
    # pyoxigraph refuses that. When this fails, a release lifted the restriction: switch.
    store = ox.Store()
    with pytest.raises(RuntimeError, match="projection"):
        store.query("SELECT ?s WHERE { ?s ?p ?o }", substitutions={ox.Variable("o"): ox.Literal("x")})
    unprojected = [q.name for q in load_library().values()
                   if any(f"?{p.name}" not in q.text.split("WHERE")[0] for p in q.parameters)]
    assert len(unprojected) >= 20



@pytest.mark.parametrize("paused_by_caller", [False, True])
def test_answers_leave_the_garbage_collector_as_they_found_it(paused_by_caller):
    # run_query pauses the cyclic collector while it builds the rows, then puts it back as it was
    import gc

    from graph.sparql import run_query

    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://ex/a"), ox.NamedNode("http://ex/p"), ox.Literal("x")))
    was = gc.isenabled()
    try:
        if paused_by_caller:
            gc.disable()
        assert run_query(store, "SELECT ?s WHERE { ?s ?p ?o }").rows == [[ox.NamedNode("http://ex/a")]]
        assert gc.isenabled() is not paused_by_caller
    finally:
        gc.enable() if was else gc.disable()
