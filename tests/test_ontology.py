"""The ontology and the dumps parse with rdflib and with an independent parser (raptor's rapper),
every dkg term is labelled, defined and aligned, and every term the data uses is declared."""

from __future__ import annotations

import subprocess

import pytest
import rdflib
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, TIME, VOID

from ontology import ONTOLOGY_DIR
from ontology.namespaces import DKG

TTL_FILES = sorted(ONTOLOGY_DIR.glob("*.ttl"))
# Terms of vocabularies that rdflib does not ship as closed namespaces.
EXTRA_TERMS = {
    "http://purl.org/pav/retrievedOn",
    "http://www.w3.org/ns/adms#status",
    "http://purl.org/vocab/vann/preferredNamespacePrefix",
    "http://purl.org/vocab/vann/preferredNamespaceUri",
    "http://www.w3.org/2003/01/geo/wgs84_pos#lat",
    "http://www.w3.org/2003/01/geo/wgs84_pos#long",
}
CLOSED = [ORG, SKOS, DCTERMS, PROV, SDO, TIME, DCAT, FOAF, RDF, RDFS, OWL, VOID]


@pytest.mark.parametrize("path", TTL_FILES, ids=lambda p: p.name)
def test_turtle_parses_with_rdflib_and_rapper(path, rapper):
    assert len(rdflib.Graph().parse(path, format="turtle")) > 0
    out = subprocess.run([rapper, "-q", "-i", "turtle", "-c", str(path)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_dumps_parse_with_rapper_and_rdflib(seed_build, rapper):
    dumps = seed_build.layout.dumps
    for name, syntax in [("democracy-kg.nq", "nquads"), ("democracy-kg.trig", "trig"), ("curated.ttl", "turtle"),
                         ("void.ttl", "turtle")]:
        out = subprocess.run([rapper, "-q", "-i", syntax, "-c", str(dumps / name)], capture_output=True, text=True)
        assert out.returncode == 0, f"{name}: {out.stderr}"
    ds = rdflib.Dataset()
    ds.parse(dumps / "democracy-kg.nq", format="nquads")
    assert sum(1 for _ in ds.quads()) == seed_build.triples
    assert len(rdflib.Graph().parse(dumps / "curated.ttl")) == seed_build.graphs["curated"]


def test_every_dkg_term_is_labelled_defined_and_aligned():
    g = rdflib.Graph().parse(ONTOLOGY_DIR / "democracy-kg.ttl")
    terms = {s for s in g.subjects(RDF.type, None) if str(s).startswith(str(DKG))}
    assert len(terms) >= 15
    alignment = [RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty,
                 SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch]
    for term in terms:
        assert g.value(term, RDFS.label), f"{term} has no label"
        assert g.value(term, RDFS.comment) or g.value(term, SKOS.definition), f"{term} has no definition"
        targets = [o for p in alignment for o in g.objects(term, p)]
        assert any(not str(o).startswith(str(DKG)) for o in targets), f"{term} is not aligned to a reused vocabulary"


def test_every_concept_is_labelled_and_defined():
    g = rdflib.Graph()
    for name in ("methods.ttl", "classifications.ttl"):
        g.parse(ONTOLOGY_DIR / name)
    concepts = set(g.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) > 100
    for c in concepts:
        assert len(list(g.objects(c, SKOS.prefLabel))) == 1, c
        assert g.value(c, SKOS.definition), c
        assert g.value(c, SKOS.topConceptOf) or g.value(c, SKOS.broader), c


def test_oecd_models_and_iap2_levels_present():
    g = rdflib.Graph().parse(ONTOLOGY_DIR / "methods.ttl")
    notations = {str(o) for o in g.objects(None, SKOS.notation)}
    oecd = {"citizens-assembly", "citizens-jury", "consensus-conference", "planning-cell", "g1000", "citizens-council",
            "citizens-dialogue", "deliberative-poll", "world-wide-views", "citizens-initiative-review",
            "ostbelgien-model", "city-observatory"}
    assert oecd <= notations
    deliberative = rdflib.URIRef("https://w3id.org/democracy-kg/id/method/deliberative-process")
    for key in oecd:
        concept = rdflib.URIRef(f"https://w3id.org/democracy-kg/id/method/{key}")
        assert deliberative in set(g.transitive_objects(concept, SKOS.broader)), key
    assert {"inform", "consult", "involve", "collaborate", "empower"} <= notations


def test_every_term_used_in_the_data_is_declared(seed_build):
    ontology = rdflib.Graph().parse(ONTOLOGY_DIR / "democracy-kg.ttl")
    declared = {str(s) for s in ontology.subjects(RDF.type, None)}
    ds = rdflib.Dataset()
    ds.parse(seed_build.layout.dumps / "democracy-kg.nq", format="nquads")
    ds.parse(seed_build.layout.dumps / "void.ttl", format="turtle")  # the dataset description too
    used = set()
    for s, p, o, _ in ds.quads():
        used.add(str(p))
        if p == RDF.type:
            used.add(str(o))
    undeclared = []
    for term in sorted(used):
        if term.startswith(str(DKG)):
            if term not in declared:
                undeclared.append(term)
            continue
        if term in EXTRA_TERMS:
            continue
        namespace = next((ns for ns in CLOSED if term.startswith(str(ns))), None)
        if namespace is None or not _defined(namespace, term[len(str(namespace)):]):
            undeclared.append(term)
    assert undeclared == []


def _defined(namespace, name: str) -> bool:
    try:
        namespace[name]
    except (AttributeError, KeyError):
        return False
    return True


def test_the_dkg_namespace_object_holds_exactly_the_terms_the_ontology_declares():
    # DKG is a closed DefinedNamespace: a term missing from it cannot be written in code, and a
    # term in it that the ontology does not declare would mint an undefined IRI.
    ontology = rdflib.Graph().parse(ONTOLOGY_DIR / "democracy-kg.ttl")
    declared = {str(s) for s in ontology.subjects() if str(s).startswith(str(DKG)) and str(s) != str(DKG)}
    assert {str(DKG[name]) for name in DKG.__annotations__} == declared
    with pytest.raises(AttributeError):
        DKG.coordinatedby  # noqa: B018 - the typo the namespace object must refuse
