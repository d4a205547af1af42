"""Pieces every source adapter shares: keys from free text, source-graph descriptions, cities."""

from __future__ import annotations

from ontology.countries import Country
from ontology.namespaces import DCAT, DCTERMS, DKG, PAV, PROV, RDFS, SCHEMA, city_key, entity_iri, slug  # noqa: F401 - slug is re-exported
from ontology.nquads import RDF_TYPE, XSD_DATE, iri, literal, quad

_T = {name: iri(str(term)) for name, term in {
    "label": RDFS.label, "title": DCTERMS.title, "url": SCHEMA.url, "licence": DCTERMS.license,
    "retrieved": PAV.retrievedOn, "derived": PROV.wasDerivedFrom, "attribution": DKG.attribution,
    "containedIn": SCHEMA.containedInPlace, "source": DCTERMS.source,
}.items()}
_C = {name: iri(str(term)) for name, term in {
    "SourceDocument": DKG.SourceDocument, "Dataset": DCAT.Dataset, "City": SCHEMA.City}.items()}


def describe_source(add, g: str, doc: str, source: str, *, title: str, home: str, licence: str,  # noqa: ANN001
                    retrieved: str | None = None, attribution: str | None = None) -> None:
    """The source document and the source's named graph as a ``dcat:Dataset`` with its licence."""
    add(quad(doc, RDF_TYPE, _C["SourceDocument"], g))
    add(quad(doc, _T["label"], literal(title), g))
    add(quad(doc, _T["title"], literal(title), g))
    add(quad(doc, _T["url"], iri(home), g))
    add(quad(doc, _T["licence"], iri(licence), g))
    if retrieved:
        add(quad(doc, _T["retrieved"], literal(retrieved, XSD_DATE), g))
    add(quad(g, RDF_TYPE, _C["Dataset"], g))
    add(quad(g, _T["label"], literal(f"{title} (democracy-kg source graph {source})"), g))
    add(quad(g, _T["licence"], iri(licence), g))
    add(quad(g, _T["derived"], doc, g))
    if attribution:
        add(quad(doc, _T["attribution"], literal(attribution), g))
        add(quad(g, _T["attribution"], literal(attribution), g))


#: How a source's city names begin and what they hold: ``<id/city/...> <rdfs:label> ...``.
CITY_PREFIX, LABEL = iri(entity_iri("city", "x"))[:-2], f" {_T['label']} "


def names_a_city(line: str) -> bool:
    """Whether an N-Quads line gives a city its ``rdfs:label`` (the build turns a source's names
    of the curated cities into alternative names, so these lines depend on the curated records).

    Examples
    --------
    >>> names_a_city(f'{CITY_PREFIX}pl-gdansk> {LABEL.strip()} "GDANSK" <https://ex.org/g> .')
    True
    """
    return line.startswith(CITY_PREFIX) and LABEL in line


def city(add, g: str, doc: str, name: str, country: Country) -> str | None:  # noqa: ANN001
    """The city ``id/city/<cc>-<name>`` in ``country`` (its term), or ``None`` for an empty name."""
    if not slug(name):
        return None
    c = iri(entity_iri("city", city_key(country.alpha_2, name)))
    add(quad(c, RDF_TYPE, _C["City"], g))
    add(quad(c, _T["label"], literal(name), g))
    add(quad(c, _T["containedIn"], iri(country.iri), g))
    add(quad(c, _T["source"], doc, g))
    return c


def progress(rows, total: int | None, description: str):  # noqa: ANN001, ANN201
    """``rows`` with a progress bar on an interactive terminal (tqdm), unchanged otherwise.

    ``DKG_PROGRESS=0`` turns the bar off and ``DKG_PROGRESS=1`` forces it on.
    """
    import os

    setting = os.environ.get("DKG_PROGRESS", "")
    if setting == "0":
        return rows
    from tqdm import tqdm

    return tqdm(rows, total=total, desc=description, unit=" rows", leave=False, mininterval=0.5,
                disable=None if setting != "1" else False)
