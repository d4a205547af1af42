"""The programmes and funding schemes CORDIS projects are funded under, each described once.

A project's funders are the parts of its framework programme it lists (``SC6``, ``HORIZON.2.2``),
or the framework programme itself when it lists none; a part is ``dcterms:isPartOf`` its
framework. CORDIS's funding scheme codes (``RIA``, ``CSA``) are funding schemes of their own.
"""

from __future__ import annotations

from ontology.namespaces import DCTERMS, DKG, RDFS, SCHEMA, entity_iri
from ontology.nquads import RDF_TYPE, iri, literal, quad

from ..common import slug

#: Framework programme codes -> (key, label) of the programme entity the source creates.
FRAMEWORKS = {"H2020": ("horizon-2020", "Horizon 2020"), "HORIZON": ("horizon-europe", "Horizon Europe"),
              "FP7": ("fp7", "Seventh Framework Programme (FP7)")}

_T = {name: iri(str(term)) for name, term in {
    "label": RDFS.label, "source": DCTERMS.source, "dctype": DCTERMS.type, "partOf": DCTERMS.isPartOf,
}.items()}
_C = {name: iri(str(term)) for name, term in {"Programme": DKG.Programme, "FundingScheme": SCHEMA.FundingScheme}.items()}


class Programmes:
    """Programme and funding-scheme nodes of one source graph: ``add`` takes the N-Quads lines,
    ``g`` and ``doc`` are the graph and the source document (terms)."""

    def __init__(self, add, g: str, doc: str) -> None:  # noqa: ANN001
        self.add, self.g, self.doc = add, g, doc
        self.programmes: set[str] = set()
        self.schemes: set[str] = set()

    def funders(self, framework: str, parts: list[str]) -> list[str]:
        """The programme entities a project is funded under: its parts if given, else the framework."""
        if not framework or not slug(framework):
            return []
        fkey, flabel = FRAMEWORKS.get(framework, (slug(framework), framework))
        f = iri(entity_iri("programme", f"cordis-{fkey}"))
        self._programme(f, flabel, "framework-programme")
        out = []
        for part in parts:
            if slug(part):
                p = iri(entity_iri("programme", f"cordis-{fkey}-{slug(part)}"))
                self._programme(p, f"{flabel}: {part}", "programme-strand", part_of=f)
                out.append(p)
        return out or [f]

    def _programme(self, p: str, label: str, programme_type: str, part_of: str | None = None) -> None:
        """A programme (also a funding scheme) of the given type, described the first time only."""
        if p in self.programmes:
            return
        self.programmes.add(p)
        self.add(quad(p, RDF_TYPE, _C["Programme"], self.g))
        self.add(quad(p, RDF_TYPE, _C["FundingScheme"], self.g))
        self.add(quad(p, _T["label"], literal(label), self.g))
        self.add(quad(p, _T["dctype"], iri(entity_iri("programmetype", programme_type)), self.g))
        if part_of:
            self.add(quad(p, _T["partOf"], part_of, self.g))
        self.add(quad(p, _T["source"], self.doc, self.g))

    def funding_scheme(self, scheme: str) -> str:
        """The funding scheme of a CORDIS code (which must hold a letter or digit)."""
        s = iri(entity_iri("programme", f"cordis-scheme-{slug(scheme)}"))
        if scheme not in self.schemes:
            self.schemes.add(scheme)
            self.add(quad(s, RDF_TYPE, _C["FundingScheme"], self.g))
            self.add(quad(s, _T["label"], literal(f"CORDIS funding scheme {scheme}"), self.g))
            self.add(quad(s, _T["source"], self.doc, self.g))
        return s
