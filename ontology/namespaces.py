"""Vocabularies as namespace objects, and the project's own IRI spaces.

Examples
--------
>>> from ontology.namespaces import DKG, ORG, entity_iri, graph_iri
>>> DKG.participatesIn
rdflib.term.URIRef('https://w3id.org/democracy-kg/ontology#participatesIn')
>>> entity_iri("organisation", "eurocities")
'https://w3id.org/democracy-kg/id/organisation/eurocities'
>>> graph_iri("curated")
'https://w3id.org/democracy-kg/graph/curated'
"""

from __future__ import annotations

import re
import unicodedata

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

BASE = "https://w3id.org/democracy-kg/"
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")


class DKG(DefinedNamespace):
    """The project's own terms (``ontology/democracy-kg.ttl``), as rdflib defines FOAF or PROV.

    Every term the ontology declares is an attribute; any other name raises, so a typo cannot
    mint a wrong IRI. ``tests/test_ontology.py`` checks this list against the Turtle file.

    >>> DKG.coordinatedBy
    rdflib.term.URIRef('https://w3id.org/democracy-kg/ontology#coordinatedBy')
    >>> DKG.coordinatedby
    Traceback (most recent call last):
    ...
    AttributeError: term 'coordinatedby' not in namespace 'https://w3id.org/democracy-kg/ontology#'
    """

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # classes
    Case: URIRef
    Claim: URIRef
    NetworkAnalysis: URIRef
    NetworkPosition: URIRef
    Output: URIRef
    Programme: URIRef
    SourceDocument: URIRef
    # properties
    acronym: URIRef
    algorithm: URIRef
    analysisFilter: URIRef
    articulationPoint: URIRef
    attribution: URIRef
    betweenness: URIRef
    brokerageConsultant: URIRef
    brokerageCoordinator: URIRef
    brokerageGatekeeperRepresentative: URIRef
    brokerageLiaison: URIRef
    brokerageTotal: URIRef
    canonical: URIRef
    claimAbout: URIRef
    claimContext: URIRef
    closeness: URIRef
    clustering: URIRef
    commissionedBy: URIRef
    community: URIRef
    component: URIRef
    componentSize: URIRef
    constraint: URIRef
    contribution: URIRef
    coordinatedBy: URIRef
    cordisProjectId: URIRef
    cordisRcn: URIRef
    coreNumber: URIRef
    country: URIRef
    decisionMethod: URIRef
    degree: URIRef
    ecContribution: URIRef
    ecMaxContribution: URIRef
    edgeCount: URIRef
    effectiveSize: URIRef
    efficiency: URIRef
    eigenvector: URIRef
    facet: URIRef
    facilitatedBy: URIRef
    fundingScheme: URIRef
    iap2Level: URIRef
    iap2Rank: URIRef
    issue: URIRef
    localAuthorityCode: URIRef
    methodType: URIRef
    metricValue: URIRef
    mode: URIRef
    modularity: URIRef
    nodeCount: URIRef
    openness: URIRef
    participantCount: URIRef
    participatesIn: URIRef
    participediaId: URIRef
    pic: URIRef
    positionOf: URIRef
    projection: URIRef
    purpose: URIRef
    qualifier: URIRef
    quantityKind: URIRef
    recordedVia: URIRef
    recruitment: URIRef
    report: URIRef
    scope: URIRef
    strength: URIRef
    theme: URIRef
    totalCost: URIRef
    usesMethod: URIRef

ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
EURIO = Namespace("http://data.europa.eu/s66#")
TIME = Namespace("http://www.w3.org/2006/time#")
PAV = Namespace("http://purl.org/pav/")
ADMS = Namespace("http://www.w3.org/ns/adms#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SH = Namespace("http://www.w3.org/ns/shacl#")
COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")
COUNTRY_SCHEME = "http://publications.europa.eu/resource/authority/country"
WIKIDATA = Namespace("http://www.wikidata.org/entity/")

#: Prefixes written into Turtle/TriG dumps and offered to SPARQL users.
PREFIXES: dict[str, str] = {
    "dkg": str(DKG),
    "id": str(ID),
    "org": str(ORG),
    "schema": str(SCHEMA),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "pav": str(PAV),
    "adms": str(ADMS),
    "dcat": str(DCAT),
    "void": str(VOID),
    "graph": str(GRAPH),
    "time": str(TIME),
    "eurio": str(EURIO),
    "country": str(COUNTRY),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "wd": str(WIKIDATA),
}
#: Entity kinds and concept schemes: ``project:nets4dem-project`` is ``id/project/nets4dem-project``.
ENTITY_KINDS = ("organisation", "project", "programme", "event", "city", "output", "claim", "source", "membership",
                "method", "theme", "iap2", "role", "orgtype", "audience", "quantity", "qualifier", "status",
                "outputtype", "programmetype", "sourcetype", "scheme", "case", "participedia-method", "analysis")
PREFIXES.update({kind: f"{BASE}id/{kind}/" for kind in ENTITY_KINDS})

#: Record keys: lower-case ASCII words joined by single hyphens (they become IRI path segments).
KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")  # \Z, not $: "$" also matches before a final newline

#: Named graphs that hold build-run metadata and therefore stay out of deterministic dumps.
NON_CONTENT_GRAPHS = frozenset({str(GRAPH["build"]), str(GRAPH["void"])})


def slug(text: str) -> str:
    """A record key from free text: ASCII, lower case, words joined by hyphens.

    >>> slug("Aarhus C"), slug("Liège"), slug("İzmir"), slug("  ")
    ('aarhus-c', 'liege', 'izmir', '')
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def city_key(country_alpha_2: str, name: str) -> str:
    """The key of a city: ``<country>-<name>`` (``es-barcelona``), the same in every source.

    Curated records and source adapters mint city IRIs this way, so that one city named by two
    sources is one node. ``city_key("PL", "Poznań")`` is ``'pl-poznan'``.
    """
    return f"{country_alpha_2.lower()}-{slug(name)}"


def entity_iri(kind: str, key: str) -> str:
    """Mint the IRI of an entity from its kind and stable key (``id/<kind>/<key>``)."""
    return f"{ID}{kind}/{key}"


def graph_iri(source: str) -> str:
    """Return the IRI of the named graph that holds one source's triples."""
    return f"{GRAPH}{source}"


def sparql_prefix_block() -> str:
    """``PREFIX`` lines for every prefix in :data:`PREFIXES`, for queries and examples."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
