"""HTML documentation of the ontology and the SKOS vocabularies, generated from ``ontology/*.ttl``.

pyLODE would do this, but its current releases pin older rdflib and Python versions than ours,
so the pages are generated here from the Turtle with rdflib: every class and property with its
label, definition, alignments, domain and range; every concept scheme with its concepts, their
definitions and their place in the hierarchy. Every value is escaped; terms link to their own
anchors, outside IRIs are links only when they are ``http(s)``.

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

import html
from pathlib import Path

import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ontology import ONTOLOGY_DIR
from ontology.namespaces import PREFIXES

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
    return html.escape(_short(iri).replace(":", "-").replace("/", "-"))


def _term(iri: object, local: set) -> str:
    short = html.escape(_short(iri))
    if iri in local:
        return f'<a href="#{_anchor(iri)}"><code>{short}</code></a>'
    if str(iri).startswith(("http://", "https://")):
        return f'<a href="{html.escape(str(iri))}"><code>{short}</code></a>'
    return f"<code>{short}</code>"


def _text(g: rdflib.Graph, s: object, *predicates: object) -> str:
    for p in predicates:
        values = sorted((str(o) for o in g.objects(s, p) if isinstance(o, rdflib.Literal)
                         and (o.language in (None, "en"))))
        if values:
            return html.escape(values[0])
    return ""


def _ontology_page(g: rdflib.Graph) -> str:
    from .site import page

    dkg = PREFIXES["dkg"]
    terms = sorted({s for s in g.subjects(RDF.type, None) if str(s).startswith(dkg)}, key=str)
    local = set(terms)
    sections = []
    for title, kinds in (("Classes", {OWL.Class}), ("Properties", {OWL.ObjectProperty, OWL.DatatypeProperty})):
        chosen = [t for t in terms if set(g.objects(t, RDF.type)) & kinds]
        rows = [f"<h2>{title} ({len(chosen)})</h2>"]
        for t in chosen:
            facts = []
            for label, predicate in (("aligned to", None), ("domain", RDFS.domain), ("range", RDFS.range)):
                objects = sorted({o for p in _ALIGN for o in g.objects(t, p)}, key=str) if predicate is None else \
                    sorted(g.objects(t, predicate), key=str)
                if objects:
                    facts.append(f"<dt>{label}</dt><dd>{', '.join(_term(o, local) for o in objects)}</dd>")
            rows.append(f'<section id="{_anchor(t)}"><h3><code>{html.escape(_short(t))}</code> '
                        f"{_text(g, t, RDFS.label)}</h3><p>{_text(g, t, RDFS.comment, SKOS.definition)}</p>"
                        f"<dl>{''.join(facts)}</dl></section>")
        sections.append("\n".join(rows))
    intro = ("<p>The terms democracy-kg adds to the vocabularies it reuses (W3C ORG, schema.org, SKOS, "
             "DCTERMS, PROV-O, EURIO), each with its definition and alignment. Generated from "
             "<code>ontology/democracy-kg.ttl</code>.</p>")
    return page("democracy-kg ontology", intro + "\n".join(sections))


def _vocabulary_page(g: rdflib.Graph) -> str:
    from .site import page

    schemes = sorted(set(g.subjects(RDF.type, SKOS.ConceptScheme)), key=str)
    local = set(g.subjects(RDF.type, SKOS.Concept))
    parts = ["<p>The SKOS concept schemes that classify methods, roles, organisation types, quantities and "
             "more. Generated from <code>ontology/methods.ttl</code> and <code>ontology/classifications.ttl</code>."
             "</p>", "<ul>" + "".join(f'<li><a href="#{_anchor(s)}">{_text(g, s, SKOS.prefLabel, RDFS.label) or html.escape(_short(s))}</a></li>'
                                     for s in schemes) + "</ul>"]
    for scheme in schemes:
        concepts = sorted(g.subjects(SKOS.inScheme, scheme), key=lambda c: (_text(g, c, SKOS.prefLabel), str(c)))
        rows = ["<table><tr><th>concept</th><th>label</th><th>definition</th><th>broader</th></tr>"]
        for c in concepts:
            broader = ", ".join(_term(b, local) for b in sorted(g.objects(c, SKOS.broader), key=str))
            rows.append(f'<tr id="{_anchor(c)}"><td><code>{html.escape(_short(c))}</code></td>'
                        f"<td>{_text(g, c, SKOS.prefLabel)}</td><td>{_text(g, c, SKOS.definition)}</td>"
                        f"<td>{broader}</td></tr>")
        rows.append("</table>")
        parts.append(f'<h2 id="{_anchor(scheme)}">{_text(g, scheme, SKOS.prefLabel, RDFS.label) or html.escape(_short(scheme))}'
                     f" ({len(concepts)})</h2>" + "\n".join(rows))
    return page("democracy-kg vocabularies", "\n".join(parts))


def write_vocabulary_pages(out: Path | str, ontology_dir: Path = ONTOLOGY_DIR) -> list[Path]:
    """Write ``ontology.html`` and ``vocabularies.html`` into ``out``; return their paths."""
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
