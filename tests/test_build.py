"""The seed build: competency questions, SHACL, determinism and atomicity."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time

import pytest

from graph.build import PAUSE_ENV, build, generate_lines
from graph.shacl_report import ShaclError
from graph.store import open_store
from graph.validate import union_graph, validate_graph
from ingest.records import RecordError

from .conftest import NETWORK_FIXTURE, ROOT, SEED_RECORDS, ask

SOURCE = "https://w3id.org/democracy-kg/id/source/"


# --- competency questions on the seed documents ---------------------------------------------

def test_ec_net_dates_programme_and_results(seed_store):
    rows = ask(seed_store, """
        SELECT ?start ?end ?programme ?strand WHERE {
          project:ec-net schema:startDate ?start ; schema:endDate ?end ;
                         schema:funder/rdfs:label ?programme ; dcterms:isPartOf/rdfs:label ?strand } ORDER BY ?strand""")
    assert rows == [("2020-11-02", "2022-11-01", "Europe for Citizens", "Europe for Citizens: Networks of Towns"),
                    ("2020-11-02", "2022-11-01", "Europe for Citizens", "Europe for Citizens: Networks of Towns 2020, round 1")]
    # Its lead applicant and its partners, each with the page that says so.
    partners = ask(seed_store, """
        SELECT ?name ?country ?role ?url WHERE { ?m org:organization project:ec-net ; org:member ?o ;
          org:role/skos:notation ?role ; dcterms:source/schema:url ?url .
          ?o rdfs:label ?name ; dkg:country/skos:notation ?country } ORDER BY ?role ?name ?url""")
    assert [(name, country, role) for name, country, role, _ in partners] == [
        ("Fattoria Pugliese Diffusa", "IT", "coordinator"), ("Fattoria Pugliese Diffusa", "IT", "coordinator"),
        ("Check-IN – Cooperação e Desenvolvimento", "PT", "partner"), ("LAG Središnja Istra", "HR", "partner"),
        ("Razvojno informacijski center Slovenska Bistrica", "SI", "partner")]
    assert all(url.startswith("https://") for *_, url in partners)
    assert ask(seed_store, """SELECT ?city WHERE { event:ec-net-poznan-2022 dcterms:isPartOf project:ec-net ;
        schema:location/rdfs:label ?city }""") == [("Poznań",)]
    outputs = ask(seed_store, """
        SELECT ?name ?type WHERE { ?o prov:wasGeneratedBy project:ec-net ; a dkg:Output ;
          rdfs:label ?name ; dcterms:type/skos:prefLabel ?type } ORDER BY ?name""")
    assert [name for name, _ in outputs] == ["EC-NET Recommendations", "EC-NET Toolkit"]
    methods = {r[0] for r in ask(seed_store, "SELECT ?m WHERE { project:ec-net dkg:usesMethod/skos:notation ?m }")}
    assert {"participatory-research", "interviews", "local-working-group"} <= methods
    themes = {r[0] for r in ask(seed_store, "SELECT ?t WHERE { project:ec-net dkg:theme/skos:notation ?t }")}
    assert themes == {"euroscepticism", "solidarity", "active-citizenship", "intercultural-dialogue"}


def test_ec_net_reach_claims_with_source(seed_store):
    rows = ask(seed_store, """
        SELECT ?kind ?qualifier ?value ?source WHERE {
          ?c a dkg:Claim ; dkg:claimAbout project:ec-net ; dkg:quantityKind/skos:notation ?kind ;
             dkg:qualifier/skos:notation ?qualifier ; dcterms:source ?source .
          OPTIONAL { ?c schema:value ?value } } ORDER BY ?kind""")
    got = {kind: (q, v, s) for kind, q, v, s in rows}
    assert got["direct-participants"] == ("approximately", "600", SOURCE + "ec-net-international-projects")
    assert got["direct-participant-countries"][1] == "9"
    assert got["indirect-participants"][:2] == ("approximately", "35000")
    assert got["predecessor-networks"][1] == "15"
    assert got["international-events"][1] == "6"
    assert got["countries-reached"][:2] == ("almost-all", None)


def test_democracy_lab_city_dates_organisers_programme(seed_store):
    rows = ask(seed_store, """
        SELECT ?city ?country ?start ?end ?programme WHERE {
          event:democracy-lab-barcelona-2024 schema:location ?c ; schema:startDate ?start ; schema:endDate ?end ;
              dcterms:isPartOf ?p .
          ?c rdfs:label ?city ; dkg:country/skos:notation ?country .
          ?p rdfs:label ?programme } ORDER BY ?programme""")
    assert rows == [("Barcelona", "ES", "2024-09-17", "2024-09-19", "Democracy Lab"),
                    ("Barcelona", "ES", "2024-09-17", "2024-09-19", "European Capital of Democracy 2023/24")]
    organisers = ask(seed_store, """
        SELECT ?name ?role WHERE { ?m a org:Membership ; org:organization event:democracy-lab-barcelona-2024 ;
          org:member/rdfs:label ?name ; org:role/skos:notation ?role } ORDER BY ?role ?name""")
    assert organisers == [("Barcelona City Council", "host"), ("Eurocities", "organiser"),
                          ("Cascais", "participant-city"), ("Istanbul", "participant-city"),
                          ("Rotterdam", "participant-city"), ("Sofia", "participant-city"),
                          ("Vilnius", "participant-city")]
    # Each challenge city brought a challenge (our own short label of it).
    challenges = ask(seed_store, """SELECT ?city ?challenge WHERE { ?m org:organization event:democracy-lab-barcelona-2024 ;
        org:member ?c ; dkg:contribution ?challenge . ?c a schema:City ; rdfs:label ?city } ORDER BY ?city""")
    assert [city for city, _ in challenges] == ["Cascais", "Istanbul", "Rotterdam", "Sofia", "Vilnius"]
    shortcut = {r[0] for r in ask(seed_store, "SELECT ?o WHERE { event:democracy-lab-barcelona-2024 schema:organizer ?o }")}
    assert shortcut == {"https://w3id.org/democracy-kg/id/organisation/eurocities",
                        "https://w3id.org/democracy-kg/id/organisation/barcelona-city-council"}
    # The Democracy Lab belongs to Nets4Dem's capacity-building offer.
    assert ask(seed_store, "SELECT ?n WHERE { programme:democracy-lab dcterms:isPartOf/rdfs:label ?n }") == [
        ("Nets4Dem capacity-building offer",)]


def test_webinar_time_and_departments(seed_store):
    rows = ask(seed_store, "SELECT ?s ?e WHERE { event:nets4dem-capacity-building-webinar-2024 schema:startDate ?s ; schema:endDate ?e }")
    assert rows == [("2024-06-27T10:00:00+02:00", "2024-06-27T11:00:00+02:00")]
    departments = {r[0] for r in ask(seed_store, """SELECT ?a WHERE {
        event:nets4dem-capacity-building-webinar-2024 schema:audience ?x . ?x skos:broader audience:city-department ;
        skos:notation ?a }""")}
    assert departments == {"public-participation-department", "democracy-innovation-department",
                           "social-affairs-department", "digital-innovation-department"}


def test_nets4dem_lead_funder_reach_with_sources(seed_store):
    lead = ask(seed_store, "SELECT ?n WHERE { project:nets4dem-project dkg:coordinatedBy/rdfs:label ?n }")
    assert lead == [("Democracy Reporting International",)]
    qualified = ask(seed_store, """SELECT ?start ?source WHERE { ?m org:member organisation:democracy-reporting-international ;
        org:organization project:nets4dem-project ; org:role role:coordinator ; schema:startDate ?start ; dcterms:source ?source }
        ORDER BY ?source""")
    assert qualified == [("2023-06", SOURCE + "ifdt-nets4dem"), ("2023-06", SOURCE + "nets4dem-about")]
    # The consortium: the lead and ten partners, each a founding member of the network with its country.
    founders = ask(seed_store, """SELECT ?country WHERE { ?m org:organization organisation:nets4dem ;
        org:role role:founding-member ; org:member/dkg:country/skos:notation ?country }""")
    assert sorted(c for c, in founders) == ["BE", "BE", "BE", "BE", "DE", "ES", "FI", "FR", "PT", "RS", "US"]
    partners = ask(seed_store, """SELECT ?o WHERE { ?m org:organization project:nets4dem-project ; org:role role:partner ;
        org:member ?o ; dcterms:source source:ifdt-nets4dem }""")
    assert len(partners) == 10
    funder = ask(seed_store, "SELECT ?n ?cordis WHERE { project:nets4dem-project schema:funder/rdfs:label ?n ; dkg:cordisProjectId ?cordis }")
    assert funder == [("Horizon Europe", "101112280")]
    reach = dict(ask(seed_store, """SELECT ?kind ?v WHERE { ?c dkg:claimAbout organisation:nets4dem ;
        dkg:quantityKind/skos:notation ?kind ; schema:value ?v ; dcterms:source source:nets4dem-about }"""))
    assert reach == {"founding-members": "12", "cities": "200", "civil-society-organisations": "320",
                     "think-tanks-and-universities": "50", "countries-covered": "38", "countries-linked": "130"}
    assert ask(seed_store, "SELECT ?q WHERE { claim:nets4dem-cities dkg:qualifier/skos:notation ?q }") == [("more-than",)]


def test_disagreeing_sources_are_both_kept(records, tmp_path):
    with (records / "sources.csv").open("a", encoding="utf-8") as f:
        f.write("other-page,Another page about Nets4Dem,web-page,https://example.org/nets4dem,,2026-11-02,,,\n")
    with (records / "claims.csv").open("a", encoding="utf-8") as f:
        f.write("nets4dem-cities-other,nets4dem,cities,approximately,250,,,,other-page,\n")
    store = open_store(build(records, tmp_path / "b").layout.root)
    rows = ask(store, """SELECT ?value ?url WHERE { ?c dkg:claimAbout organisation:nets4dem ; dkg:quantityKind quantity:cities ;
        schema:value ?value ; dcterms:source ?s . OPTIONAL { ?s schema:url ?url } } ORDER BY ?value""")
    assert rows == [("200", "https://nets4dem.eu/"), ("250", "https://example.org/nets4dem")]


def test_every_entity_has_a_source_and_a_graph(seed_store):
    untraced = ask(seed_store, """SELECT ?s WHERE { GRAPH graph:curated { ?s a ?c }
        FILTER (?c NOT IN (dkg:SourceDocument, prov:Entity, dcat:Dataset, time:Interval, time:Instant))
        FILTER NOT EXISTS { ?s dcterms:source ?src } }""".replace("graph:curated", "<https://w3id.org/democracy-kg/graph/curated>"))
    assert untraced == []
    graph = ask(seed_store, """SELECT ?licence WHERE { GRAPH ?g { ?g a dcat:Dataset ; dcterms:license ?licence ;
        prov:wasDerivedFrom source:nets4dem-about } }""")
    assert graph == [("https://creativecommons.org/licenses/by/4.0/",)]


def test_no_blank_nodes(seed_store):
    assert ask(seed_store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER (isBlank(?s) || isBlank(?o)) }") == [("0",)]


# --- SHACL ------------------------------------------------------------------------------------

@pytest.mark.slow  # pySHACL, the reference engine: most of a minute
def test_seed_graph_conforms():
    lines, _ = generate_lines(SEED_RECORDS)
    report = validate_graph(union_graph(lines))
    assert report.conforms, str(report)


BROKEN = {
    "membership without role": '<{m}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/org#Membership> <{g}> .',
    "unknown country": '<https://w3id.org/democracy-kg/id/organisation/eurocities> <https://w3id.org/democracy-kg/ontology#country> <http://publications.europa.eu/resource/authority/country/XXX> <{g}> .',
    "start after end": '<https://w3id.org/democracy-kg/id/project/ec-net> <https://schema.org/startDate> "2023"^^<http://www.w3.org/2001/XMLSchema#gYear> <{g}> .',
    "date as string": '<https://w3id.org/democracy-kg/id/project/nets4dem-project> <https://schema.org/endDate> "soon" <{g}> .',
    "entity without source": '<https://w3id.org/democracy-kg/id/organisation/ghost> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/org#Organization> <{g}> .',
}


@pytest.mark.slow  # pySHACL: seconds a case
@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_graphs_fail_shacl(case):
    # On the small frozen records (pySHACL takes seconds a case); the seed graph is checked whole above.
    lines, _ = generate_lines(NETWORK_FIXTURE / "records")
    bad = BROKEN[case].format(m="https://w3id.org/democracy-kg/id/membership/x", g="https://w3id.org/democracy-kg/graph/curated")
    report = validate_graph(union_graph(lines + [bad]))
    assert not report.conforms
    assert report.violations and all(v.focus for v in report.violations)


def _add_a_ghost(monkeypatch) -> None:
    """From now on, builds map one more line: an entity without a source (a SHACL violation)."""
    import graph.front_end as front_end

    original = front_end.line_groups

    def with_a_ghost(*args, **kwargs):
        yield from original(*args, **kwargs)
        yield [BROKEN["entity without source"].format(g="https://w3id.org/democracy-kg/graph/curated")]

    monkeypatch.setattr(front_end, "line_groups", with_a_ghost)


def test_shacl_failure_stops_the_build(tmp_path, monkeypatch):
    first = build(SEED_RECORDS, tmp_path)
    before = (first.layout.dumps / "democracy-kg.nq").read_bytes()
    _add_a_ghost(monkeypatch)
    with pytest.raises(ShaclError) as err:
        build(SEED_RECORDS, tmp_path)
    assert "ghost" in str(err.value)
    assert (first.layout.dumps / "democracy-kg.nq").read_bytes() == before
    assert not list((tmp_path / "releases").glob(".staging-*"))


def test_bad_records_stop_the_build_and_keep_previous(records, tmp_path):
    first = build(records, tmp_path)
    current = os.readlink(first.layout.current)
    cities = ask(open_store(tmp_path), "SELECT (COUNT(*) AS ?n) WHERE { ?s a schema:City }")
    with (records / "cities.csv").open("a", encoding="utf-8") as f:
        f.write("xx-atlantis,Atlantis,XX,,eurocities-nets4dem-webinar,\n")
    with pytest.raises(RecordError) as err:
        build(records, tmp_path)
    assert err.value.problems[0].value == "XX"
    assert os.readlink(first.layout.current) == current
    assert ask(open_store(tmp_path), "SELECT (COUNT(*) AS ?n) WHERE { ?s a schema:City }") == cities
    assert int(cities[0][0]) > 40


# --- determinism and atomicity -------------------------------------------------------------

def _digests(dumps):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(dumps.iterdir())}


def test_dumps_are_byte_identical_across_builds(tmp_path):
    a = build(SEED_RECORDS, tmp_path / "a")
    b = build(SEED_RECORDS, tmp_path / "b")
    assert _digests(a.layout.dumps) == _digests(b.layout.dumps)
    lines = (a.layout.dumps / "democracy-kg.nq").read_text(encoding="utf-8").splitlines()
    assert lines == sorted(set(lines))
    assert not any("/graph/build>" in line for line in lines)


@pytest.mark.slow  # a dkg build in a subprocess, killed
def test_killed_build_leaves_previous_store_queryable(tmp_path):
    first = build(SEED_RECORDS, tmp_path)
    before = _digests(first.layout.dumps)
    current = os.readlink(first.layout.current)
    env = dict(os.environ, **{PAUSE_ENV: "60"})
    proc = subprocess.Popen([sys.executable, "-m", "graph.cli", "build", "--records", str(SEED_RECORDS), "--out", str(tmp_path), "--no-sources"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        # Wait until the new release is fully written in staging, then kill the build.
        while not list((tmp_path / "releases").glob(".staging-*/report.json")):
            assert proc.poll() is None and time.monotonic() < deadline, "build ended before it could be killed"
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert os.readlink(first.layout.current) == current
    assert _digests(first.layout.dumps) == before
    store = open_store(tmp_path)
    assert ask(store, "SELECT ?n WHERE { project:ec-net rdfs:label ?n }") == [("European Citizenship Network of Towns",)]
    # The next build clears the dead build's staging directory and succeeds.
    build(SEED_RECORDS, tmp_path)
    assert not list((tmp_path / "releases").glob(".staging-*"))


def test_void_description_counts_what_the_build_holds(seed_build, seed_store):
    """graph/void (served) and dumps/void.ttl describe every content graph with its real size."""
    import rdflib
    from rdflib.namespace import DCAT, VOID

    void = rdflib.Graph().parse(seed_build.layout.dumps / "void.ttl")
    dataset = rdflib.URIRef("https://w3id.org/democracy-kg/dataset")
    subsets = {str(g).rsplit("/", 1)[-1]: int(void.value(g, VOID.triples)) for g in void.objects(dataset, VOID.subset)}
    assert subsets == seed_build.graphs
    assert int(void.value(dataset, VOID.triples)) == seed_build.triples
    curated = rdflib.URIRef("https://w3id.org/democracy-kg/graph/curated")
    partitions = {str(void.value(p, VOID["class"])): int(void.value(p, VOID.entities))
                  for p in void.objects(curated, VOID.classPartition)}
    organisations = ask(seed_store, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { GRAPH graph:curated { ?o a org:Organization } }")
    assert partitions["http://www.w3.org/ns/org#Organization"] == int(organisations[0][0])
    dumps = {str(void.value(d, DCAT.downloadURL)).rsplit("/", 1)[-1]: int(void.value(d, DCAT.byteSize))
             for d in void.objects(dataset, DCAT.distribution)}
    assert dumps["democracy-kg.nq"] == (seed_build.layout.dumps / "democracy-kg.nq").stat().st_size
    assert void.value(curated, rdflib.URIRef("http://purl.org/dc/terms/license")) is not None
    # the same description is in the store, in graph/void
    served = ask(seed_store, "SELECT ?n WHERE { GRAPH graph:void { <https://w3id.org/democracy-kg/dataset> void:triples ?n } }")
    assert served == [(str(seed_build.triples),)]


def _network_built_twice(tmp_path, monkeypatch, setting: str, value: object) -> tuple:
    """The network fixture built into ``tmp_path/before``, then, with ``setting`` (a module
    attribute) set to ``value``, into ``tmp_path/after``; both results."""
    from .conftest import library_records

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    records = library_records(tmp_path / "records", NETWORK_FIXTURE / "records")
    sources = NETWORK_FIXTURE / "sources.toml"
    before = build(records, tmp_path / "before", sources=sources, derived="none")
    monkeypatch.setattr(setting, value)
    return before, build(records, tmp_path / "after", sources=sources, derived="none")


def _release_files(build_dir) -> dict[str, bytes]:
    current = build_dir / "current"
    names = ["dumps/democracy-kg.nq", "rejects.csv", "matches.csv", "profiles.json", "dumps/void.ttl"]
    return {name: (current / name).read_bytes() for name in names if (current / name).exists()}


def test_a_front_end_read_in_a_child_process_builds_what_one_process_builds(tmp_path, monkeypatch):
    """A large input is read and mapped in a forked process (its memory goes back to the system
    with it): the canonical dump, rejects, matches, counts and every source's ledger are the same."""
    here, child = _network_built_twice(tmp_path, monkeypatch, "graph.build.FORK_FRONT_END_FROM_BYTES", 0)
    assert _release_files(tmp_path / "before") == _release_files(tmp_path / "after")
    assert len(_release_files(tmp_path / "after")) == 5
    assert (child.triples, child.records, child.graphs) == (here.triples, here.records, here.graphs)
    assert [(r.name, r.counts, [x.as_dict() for x in r.ledgers], r.rejects) for r in child.sources] == \
        [(r.name, r.counts, [x.as_dict() for x in r.ledgers], r.rejects) for r in here.sources]
    assert set(child.timings) >= {"sources", "records", "map", "memory", "shacl", "load"}


def test_record_errors_from_a_child_front_end_are_the_same_errors(tmp_path, monkeypatch):
    import graph.build as building

    from .conftest import library_records

    records = library_records(tmp_path / "records")
    with (records / "cities.csv").open("a", encoding="utf-8") as f:
        f.write("xx-atlantis,Atlantis,XX,,eurocities-nets4dem-webinar,\n")
    with pytest.raises(RecordError) as here:
        build(records, tmp_path / "here")
    monkeypatch.setattr(building, "FORK_FRONT_END_FROM_BYTES", 0)
    with pytest.raises(RecordError) as child:
        build(records, tmp_path / "child")
    assert str(child.value) == str(here.value) and child.value.problems == here.value.problems
    assert child.value.exit_code == here.value.exit_code == 1
    assert not list((tmp_path / "child").glob("releases/.staging-*"))


def _content_quads(build_dir) -> set[str]:
    """Every quad of the published store but the build graph's (run times and versions)."""
    store = open_store(build_dir)
    return {str(q) for q in store if q.graph_name.value != "https://w3id.org/democracy-kg/graph/build"}


def test_a_large_input_validated_on_disk_builds_what_the_in_memory_copy_builds(tmp_path, monkeypatch):
    """Beyond MEMORY_COPY_UP_TO_BYTES the store is loaded on disk and validated there (peak memory
    stays the load's own): the dump, the description, the store's content and the counts are the
    ones the in-memory path gives."""
    memory, disk = _network_built_twice(tmp_path, monkeypatch, "graph.loading.MEMORY_COPY_UP_TO_BYTES", 0)
    assert "memory" in memory.timings and "memory" not in disk.timings and "shacl" in disk.timings
    assert _release_files(tmp_path / "after") == _release_files(tmp_path / "before")
    assert (disk.triples, disk.graphs, disk.resolution) == (memory.triples, memory.graphs, memory.resolution)
    assert _content_quads(tmp_path / "after") == _content_quads(tmp_path / "before")


def test_a_shacl_failure_on_disk_stops_the_build_and_keeps_the_previous_release(tmp_path, monkeypatch):
    import graph.loading as loading

    first = build(SEED_RECORDS, tmp_path)
    before = (first.layout.dumps / "democracy-kg.nq").read_bytes()
    _add_a_ghost(monkeypatch)
    monkeypatch.setattr(loading, "MEMORY_COPY_UP_TO_BYTES", 0)
    monkeypatch.setattr("graph.build.reusable_release", lambda layout: None)  # a full build, not a rebuild
    with pytest.raises(ShaclError) as err:
        build(SEED_RECORDS, tmp_path)
    assert "ghost" in str(err.value)
    assert (first.layout.dumps / "democracy-kg.nq").read_bytes() == before
    assert not list((tmp_path / "releases").glob(".staging-*"))
