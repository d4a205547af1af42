"""The nodes a Participedia run describes once, however many rows name them.

Participedia's concept schemes, the concepts of its facets, its methods (linked from cases and
organisations as well as exported themselves) and organisations (exported, or only named as a
case's organiser) each get their description the first time a row names them; later rows only
link to them.
"""

from __future__ import annotations

from ontology.namespaces import DCTERMS, DKG, ORG, RDFS, SCHEMA, SKOS, entity_iri
from ontology.nquads import RDF_TYPE, iri, literal, quad

from ..common import slug
from .columns import FACETS
from .text import normalise_name

GEO = "http://www.w3.org/2003/01/geo/wgs84_pos#"
#: The properties the adapter writes, by short name (facets' properties by their own names).
TERMS = {name: iri(str(term)) for name, term in {
    "label": RDFS.label, "pref": SKOS.prefLabel, "inScheme": SKOS.inScheme, "exact": SKOS.exactMatch,
    "source": DCTERMS.source, "description": DCTERMS.description,
    "url": SCHEMA.url, "pid": DKG.participediaId, "start": SCHEMA.startDate, "end": SCHEMA.endDate,
    "country": DKG.country, "location": SCHEMA.location, "containedIn": SCHEMA.containedInPlace,
    "classification": ORG.classification, "method": DKG.usesMethod, "iap2": DKG.iap2Level,
    "participants": DKG.participantCount, "partOf": DCTERMS.isPartOf, "body": SCHEMA.text,
    "dctitle": DCTERMS.title,
    "lat": f"{GEO}lat", "long": f"{GEO}long",
}.items()}
TERMS.update({name: iri(str(DKG[name])) for name, _ in FACETS.values()})
#: The classes the adapter types its nodes with.
CLASSES = {name: iri(str(term)) for name, term in {
    "Case": DKG.Case, "Concept": SKOS.Concept, "Scheme": SKOS.ConceptScheme, "Organization": ORG.Organization,
}.items()}
_T, _C = TERMS, CLASSES


class Nodes:
    """Schemes, facet concepts, methods and organisations, each described on first use.

    ``add`` takes the N-Quads lines, ``g`` and ``doc`` are the source graph and source document
    (terms), ``count`` counts an event by name (here: a method matched to the project's scheme).
    """

    def __init__(self, add, g: str, doc: str, vocab, count) -> None:  # noqa: ANN001
        self.add, self.g, self.doc, self.vocab, self.count = add, g, doc, vocab, count
        self.own_methods = _own_method_labels(vocab)
        self.schemes: set[str] = set()
        self.concepts: set[str] = set()
        self.methods: set[str] = set()
        self.organisations: set[str] = set()

    def scheme(self, suffix: str, label: str) -> str:
        """The scheme ``id/scheme/participedia-<suffix>``."""
        s = iri(entity_iri("scheme", f"participedia-{suffix}"))
        if s not in self.schemes:
            self.schemes.add(s)
            self.add(quad(s, RDF_TYPE, _C["Scheme"], self.g))
            self.add(quad(s, _T["pref"], literal(label, lang="en"), self.g))
            self.add(quad(s, _T["dctitle"], literal(label, lang="en"), self.g))
            self.add(quad(s, _T["source"], self.doc, self.g))
        return s

    def facet(self, subject: str, prop: str, suffix: str, value: str, label: str | None = None) -> None:
        """``subject prop concept``: the concept of ``value`` in the facet's scheme (none for a value without a key)."""
        key = slug(value)
        if not key:
            return
        c = iri(entity_iri(f"participedia-{suffix}", key))
        if c not in self.concepts:
            self.concepts.add(c)
            self.add(quad(c, RDF_TYPE, _C["Concept"], self.g))
            self.add(quad(c, _T["pref"], literal(label or value), self.g))
            self.add(quad(c, _T["inScheme"], self.scheme(suffix, f"Participedia: {suffix.replace('-', ' ')}"), self.g))
            self.add(quad(c, _T["source"], self.doc, self.g))
        self.add(quad(subject, _T[prop], c, self.g))

    def method(self, mid: str, name: str) -> str:
        """The method concept of a Participedia id, matched to the project's own method by its name."""
        m = iri(entity_iri("participedia-method", mid))
        if m not in self.methods:
            self.methods.add(m)
            self.add(quad(m, RDF_TYPE, _C["Concept"], self.g))
            self.add(quad(m, _T["pref"], literal(name or f"Participedia method {mid}"), self.g))
            self.add(quad(m, _T["inScheme"], self.scheme("method", "Participedia: methods and tools"), self.g))
            self.add(quad(m, _T["pid"], literal(mid), self.g))
            self.add(quad(m, _T["url"], iri(f"https://participedia.net/method/{mid}"), self.g))
            self.add(quad(m, _T["source"], self.doc, self.g))
            own = self.own_methods.get(normalise_name(name))
            if own:
                self.add(quad(m, _T["exact"], iri(self.vocab.iri("method", own)), self.g))
                self.count("methods matched to the project's scheme")
        return m

    def organisation(self, oid: str, name: str) -> str:
        """The organisation ``id/organisation/participedia-<id>``."""
        o = iri(entity_iri("organisation", f"participedia-{oid}"))
        if o not in self.organisations:
            self.organisations.add(o)
            self.add(quad(o, RDF_TYPE, _C["Organization"], self.g))
            self.add(quad(o, _T["label"], literal(name or f"Participedia organisation {oid}"), self.g))
            self.add(quad(o, _T["pid"], literal(oid), self.g))
            self.add(quad(o, _T["url"], iri(f"https://participedia.net/organization/{oid}"), self.g))
            self.add(quad(o, _T["source"], self.doc, self.g))
        return o


def _own_method_labels(vocab) -> dict[str, str]:  # noqa: ANN001
    """Normalised preferred and alternative labels of the project's methods -> concept key."""
    out: dict[str, str] = {}
    for key, label in vocab.labels.get("method", {}).items():
        out.setdefault(normalise_name(label), key)
    for key, labels in vocab.alt_labels.get("method", {}).items():
        for label in labels:
            out.setdefault(normalise_name(label), key)
    return out
