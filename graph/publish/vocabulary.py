"""HTML documentation of the ontology and the SKOS vocabularies, generated from ``ontology/*.ttl``.

pyLODE would do this, but its current releases pin older rdflib and Python versions than ours,
so the pages are generated here from the Turtle with rdflib: every class and property with its
label, definition, alignments, domain and range; every concept scheme with its concepts, their
definitions and their place in the hierarchy. The pages are the templates
``publish/ontology.html`` and ``publish/vocabularies.html`` (rendered by :mod:`graph.pages`, which
escapes every value); terms link to their own anchors, outside IRIs are links only when they are
``http(s)``.

Examples
--------
>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> [p.name for p in write_vocabulary_pages(out)]
['ontology.html', 'vocabularies.html']
>>> "dkg:NetworkPosition" in (out / "ontology.html").read_text(encoding="utf-8")
True
"""

from __future__ import annotations

from pathlib import Path

import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ontology import ONTOLOGY_DIR
from ontology.namespaces import PREFIXES

from ..pages import render

__all__ = ["write_vocabulary_pages"]

_ALIGN = (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty, SKOS.exactMatch,
          SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)


def _short(iri: object) -> str:
    text = str(iri)
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if text.startswith(namespace) and len(text) > len(namespace):
            return f"{prefix}:{text[len(namespace):]}"
    return text


def _anchor(iri: object) -> str:
    return _short(iri).replace(":", "-").replace("/", "-")


def _term(iri: object, local: set) -> dict:
    """A term as the pages show it: its short name, linked to its own anchor when it is ``local``,
    to itself when it is an http(s) IRI, else not linked."""
    href = None
    if iri in local:
        href = f"#{_anchor(iri)}"
    elif str(iri).startswith(("http://", "https://")):
        href = str(iri)
    return {"short": _short(iri), "href": href}


def _text(g: rdflib.Graph, s: object, *predicates: object) -> str:
    for p in predicates:
        values = sorted((str(o) for o in g.objects(s, p) if isinstance(o, rdflib.Literal)
                         and (o.language in (None, "en"))))
        if values:
            return values[0]
    return ""


def _ontology_page(g: rdflib.Graph) -> str:
    dkg = PREFIXES["dkg"]
    terms = sorted({s for s in g.subjects(RDF.type, None) if str(s).startswith(dkg)}, key=str)
    local = set(terms)
    groups = []
    for title, kinds in (("Classes", {OWL.Class}), ("Properties", {OWL.ObjectProperty, OWL.DatatypeProperty})):
        chosen = []
        for t in terms:
            if not set(g.objects(t, RDF.type)) & kinds:
                continue
            facts = []
            for label, predicate in (("aligned to", None), ("domain", RDFS.domain), ("range", RDFS.range)):
                objects = sorted({o for p in _ALIGN for o in g.objects(t, p)}, key=str) if predicate is None else \
                    sorted(g.objects(t, predicate), key=str)
                if objects:
                    facts.append((label, [_term(o, local) for o in objects]))
            chosen.append({"anchor": _anchor(t), "short": _short(t), "label": _text(g, t, RDFS.label),
                           "comment": _text(g, t, RDFS.comment, SKOS.definition), "facts": facts})
        groups.append({"title": title, "terms": chosen})
    return render("publish/ontology.html", title="democracy-kg ontology", groups=groups)


def _vocabulary_page(g: rdflib.Graph) -> str:
    schemes = []
    local = set(g.subjects(RDF.type, SKOS.Concept))
    for scheme in sorted(set(g.subjects(RDF.type, SKOS.ConceptScheme)), key=str):
        concepts = sorted(g.subjects(SKOS.inScheme, scheme), key=lambda c: (_text(g, c, SKOS.prefLabel), str(c)))
        schemes.append({
            "anchor": _anchor(scheme), "label": _text(g, scheme, SKOS.prefLabel, RDFS.label) or _short(scheme),
            "concepts": [{"anchor": _anchor(c), "short": _short(c), "label": _text(g, c, SKOS.prefLabel),
                          "definition": _text(g, c, SKOS.definition),
                          "broader": [_term(b, local) for b in sorted(g.objects(c, SKOS.broader), key=str)]}
                         for c in concepts]})
    return render("publish/vocabularies.html", title="democracy-kg vocabularies", schemes=schemes)


def write_vocabulary_pages(out: Path | str, ontology_dir: Path = ONTOLOGY_DIR) -> list[Path]:
    """Write ``ontology.html`` and ``vocabularies.html`` into ``out``; return their paths.

    Parameters
    ----------
    out : Path or str
        The folder to write into (made when missing).
    ontology_dir : Path
        Where ``democracy-kg.ttl``, ``methods.ttl`` and ``classifications.ttl`` are.

    Returns
    -------
    list of Path
        ``out/ontology.html`` and ``out/vocabularies.html``.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    ontology = rdflib.Graph().parse(ontology_dir / "democracy-kg.ttl")
    vocabularies = rdflib.Graph()
    for name in ("methods.ttl", "classifications.ttl"):
        vocabularies.parse(ontology_dir / name)
    written = []
    for name, text in (("ontology.html", _ontology_page(ontology)), ("vocabularies.html", _vocabulary_page(vocabularies))):
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
