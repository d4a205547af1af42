"""The named question library: every question's answer on the seed records plus the test fixtures.

The graph is built once (``library_store`` in conftest.py): the seed records, the invented rows
of tests/fixtures/library/records/, and the CORDIS and Participedia test fixtures as sources.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.library import (KINDS, LibraryError, ParameterError, QueryNotFound, example_table, get_query,
                           load_library, parse_query_file, with_values)
from graph.query import compact, execute, select

LIBRARY = load_library()
CURATED_DOC = "Nets4Dem: about the network of networks"
FIXTURE_DOC = "Fixture directory of democracy networks (invented for tests)"
EC_NET_DOC = "A partner's International Projects page on EC-NET (Europe for Citizens network of towns)"


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
    """The header's example is exactly today's answer (python -m graph.library --write-examples rewrites them)."""
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
    assert answer(library_store, "members-of-network") == [
        ("organisation:fixture-city-network", "Fixture City Network", "Founding member", "2023-06", None, FIXTURE_DOC)]
    rows = answer(library_store, "members-of-network", network="organisation:fixture-city-network")
    assert [(r[1], r[2], r[3], r[4]) for r in rows] == [
        ("Fixture Town A", "Member", "2019", None), ("Fixture University", "Member", "2021-01-01", "2023-12-31")]
    # role filter: founding members are members (skos:broader), members are not founding members
    assert len(answer(library_store, "members-of-network", role="role:member")) == 1
    assert answer(library_store, "members-of-network", network="organisation:fixture-city-network",
                  role="role:founding-member") == []


def test_indirect_members_via_property_paths(library_store):
    assert answer(library_store, "indirect-members") == [
        ("organisation:fixture-city-network", "Fixture City Network", "organisation:nets4dem", "Nets4Dem", "true"),
        ("organisation:fixture-town-a", "Fixture Town A", "organisation:fixture-city-network", "Fixture City Network", "false"),
        ("organisation:fixture-university", "Fixture University", "organisation:fixture-city-network", "Fixture City Network", "false")]


def test_participants_of_project_across_sources(library_store):
    rows = answer(library_store, "participants-of-project")
    assert [(r[1], r[2], r[3], r[4], r[5]) for r in rows] == [
        ("DEMOCRACY REPORTING INTERNATIONAL GGMBH", "Coordinator", "DE", "500000", "graph:cordis-horizon-europe"),
        ("Democracy Reporting International", "Coordinator", None, None, "graph:curated"),
        ("EUROCITIES", "Participant", "BE", "250000", "graph:cordis-horizon-europe"),
        ("Eurocities", "Partner", "BE", None, "graph:curated"),
        ("PIC 900000003", "Third party", "GR", "0", "graph:cordis-horizon-europe")]


def test_organisations_in_several_collaborations(library_store):
    assert answer(library_store, "organisations-in-several-collaborations") == [
        ("organisation:pic-900000002", "EUROCITIES", "3"),
        ("organisation:fixture-town-a", "Fixture Town A", "2"),
        ("organisation:pic-900000010", "PIC 900000010", "2")]
    assert answer(library_store, "organisations-in-several-collaborations", min=3) == [
        ("organisation:pic-900000002", "EUROCITIES", "3")]


def test_projects_by_method_include_narrower_methods(library_store):
    assert [(r[0], r[2], r[3]) for r in answer(library_store, "projects-by-method")] == [
        ("event:nets4dem-capacity-building-webinar-2024", "event", "Webinar"),
        ("programme:democracy-innovation-accelerator", "programme", "Acceleration programme"),
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
    assert answer(library_store, "methods-of-programme") == [
        ("method:collaborative-problem-solving-lab", "Collaborative problem-solving lab", "Collaborative working", "2"),
        ("method:acceleration-programme", "Acceleration programme", "Capacity building", "1"),
        ("method:mentoring", "Mentoring", "Capacity building", "1"),
        ("method:webinar", "Webinar", "Capacity building", "1")]
    rows = answer(library_store, "methods-of-programme", programme="programme:europe-for-citizens")
    assert [r[1] for r in rows] == ["International event", "Interviews", "Local working group", "Participatory research"]


def test_events_and_organisers(library_store):
    rows = answer(library_store, "events-and-organisers", organiser="organisation:barcelona-city-council")
    assert [(r[1], r[2], r[3], r[4], r[5], r[6], r[9], r[10]) for r in rows] == [
        ("Democracy Lab Barcelona 2024", "2024-09-17", "2024-09-19", "Barcelona", "ES", "false", "Host", "Democracy Lab"),
        ("Democracy Lab Barcelona 2024", "2024-09-17", "2024-09-19", "Barcelona", "ES", "false", "Host",
         "European Capital of Democracy")]
    webinar = answer(library_store, "events-and-organisers")[0]
    assert webinar[2] == "2024-06-27T10:00:00+02:00" and webinar[6] == "true" and webinar[8] == "Eurocities"


def test_organisations_by_country_and_type(library_store):
    rows = answer(library_store, "organisations-by-country-and-type", source="graph:curated")
    assert rows == [("(unknown)", "Civil society organisation", "2"), ("(unknown)", "Network of networks", "1"),
                    ("BE", "Network", "2"), ("DE", "University", "1"),
                    ("ES", "Local government", "1"), ("IT", "Local government", "1")]
    every = answer(library_store, "organisations-by-country-and-type")
    assert ("BE", "Network", "2") in every and ("(unknown)", "Type not stated", "2") in every


def test_cases_by_iap2_level_and_method_family(library_store):
    assert answer(library_store, "cases-by-iap2-and-method-family") == [
        ("(not stated)", "0", "(no method)", "1"), ("(not stated)", "0", "Direct participation", "1"),
        ("Consult", "2", "Representative deliberative process", "1"), ("Collaborate", "4", "Direct participation", "1"),
        ("Collaborate", "4", "collaborative", "1"), ("Collaborate", "4", "deliberative", "1")]
    assert answer(library_store, "cases-by-iap2-and-method-family", country="country:ITA") == [
        ("Collaborate", "4", "Direct participation", "1"), ("Collaborate", "4", "collaborative", "1"),
        ("Collaborate", "4", "deliberative", "1")]


def test_cases_by_country_and_year(library_store):
    assert answer(library_store, "cases-by-country-and-year") == [
        ("(unknown)", "2021", "1", "0"), ("BE", "0", "1", "0"), ("CA", "2004", "1", "160"), ("IT", "2019", "1", "0")]


def test_provenance_of_every_fact(library_store):
    rows = answer(library_store, "provenance-of-entity")
    assert len(rows) == 21 and {(r[2], r[3]) for r in rows} == {("graph:curated", EC_NET_DOC)}
    assert ("schema:startDate", "2020-11-02", "graph:curated", EC_NET_DOC) in rows
    # an organisation known to two CORDIS sources: each fact with the graph it came from
    pic = answer(library_store, "provenance-of-entity", entity="organisation:pic-900000002")
    labels = {(r[1], r[2]) for r in pic if r[0] == "rdfs:label"}
    assert labels == {("EUROCITIES", "graph:cordis-h2020"), ("EUROCITIES", "graph:cordis-horizon-europe")}


def test_claims_and_where_sources_disagree(library_store):
    rows = answer(library_store, "claims-about-entity")
    assert rows[:2] == [("Cities", "Approximately", "250", FIXTURE_DOC, "<https://example.org/directory>"),
                        ("Cities", "More than", "200", CURATED_DOC, None)]
    assert ("Founding members", "Exactly", "12", CURATED_DOC, None) in rows and len(rows) == 7
    assert answer(library_store, "disagreeing-claims") == [
        ("Nets4Dem", "Cities", "250", "Approximately", FIXTURE_DOC, "200", "More than", CURATED_DOC)]
    ec_net = answer(library_store, "claims-about-entity", entity="project:ec-net")
    assert ("Direct participants", "Approximately", "600", EC_NET_DOC, None) in ec_net


def test_organisations_without_external_identifier(library_store):
    assert [r[1] for r in answer(library_store, "organisations-without-identifier")] == [
        "Barcelona City Council", "Democracy Reporting International", "EC-NET ENGO", "Fixture Town A", "Nets4Dem"]


def test_same_organisation_across_sources(library_store):
    # The curated Eurocities carries its real PIC (999450559) and country, so Participedia's
    # EUROCITIES (same name, BE) joins it; the CORDIS fixtures' made-up PIC 900000002 is, by
    # the rule on conflicting identifiers, another organisation.
    assert answer(library_store, "same-organisation-across-sources") == [
        ("organisation:eurocities", "organisation:eurocities", "graph:curated", "Eurocities", "BE", "999450559", None),
        ("organisation:eurocities", "organisation:participedia-901", "graph:participedia", "EUROCITIES", "BE", None, "901")]


def test_coordinators_by_country(library_store):
    rows = answer(library_store, "coordinators-by-country")
    assert rows[0] == ("BE", "Belgium", "2", "1") and ("GR", "Greece", "1", "1") in rows
    assert answer(library_store, "coordinators-by-country", programme="programme:cordis-horizon-europe") == [
        ("AT", "Austria", "1", "1"), ("BE", "Belgium", "1", "1"), ("DE", "Germany", "1", "1")]


def test_programme_parts(library_store):
    assert [(r[1], r[2], r[4], r[5]) for r in answer(library_store, "programme-parts")] == [
        ("Europe for Citizens 2007-2013", "Programme period", "2007", "2013"),
        ("Europe for Citizens 2014-2020", "Programme period", "2014", "2020"),
        ("Europe for Citizens: Networks of Towns", "Programme strand", None, None)]
    deep = answer(library_store, "programme-parts", programme="programme:nets4dem-capacity-building")
    assert {(r[1], r[3]) for r in deep} >= {("Democracy Lab", "Nets4Dem capacity-building offer"),
                                            ("Rising Stars Mentorship Programme", "Nets4Dem capacity-building offer")}


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
    assert df["ecContribution"].sum() == 750000.0 and df["country"].isna().sum() == 1
    df = select("organisations-in-several-collaborations", library_store)
    assert str(df["collaborations"].dtype) == "Int64" and df["collaborations"].tolist() == [3, 2, 2]
    df = select("indirect-members", library_store)
    assert str(df["direct"].dtype) == "boolean" and df["direct"].tolist() == [True, False, False]
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
    assert len(g) == 3
    assert (URIRef("https://w3id.org/democracy-kg/id/organisation/fixture-town-a"), URIRef("http://www.w3.org/ns/org#memberOf"),
            URIRef("https://w3id.org/democracy-kg/id/organisation/fixture-city-network")) in g
    with pytest.raises(ValueError, match="construct"):
        select("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1", library_store)


def construct_members(store):
    from graph.query import construct

    return construct("CONSTRUCT { ?m org:memberOf ?n } WHERE { ?m org:memberOf ?n . ?n org:memberOf* organisation:nets4dem }",
                     store)


def test_top_brokers_reads_the_analysis_graph(library_store):
    # conftest loads the collaboration analysis; by hand (tests/test_network.py): EUROCITIES lies on
    # 11 of the 78 shortest-path pairs of the 14 organisations, PIC 900000010 on 5
    rows = answer(library_store, "top-brokers")
    assert [(r[0], r[2]) for r in rows[:2]] == [("organisation:pic-900000002", str(11 / 78)),
                                                ("organisation:pic-900000010", str(5 / 78))]
    within = answer(library_store, "top-brokers", within="project:ec-net", metric="dkg:degree")
    assert [(r[1], r[2]) for r in within] == [("Fixture Town A", "1")]
    assert answer(library_store, "top-brokers", projection="membership") == []
