"""Map validated records to RDF, as N-Quads lines in the source's named graph.

This is the one place that decides which ontology terms the records become (the table is in
``docs/ontology.md``). Lines are plain strings, so the build can sort, dump and bulk-load them
without building rdflib objects per triple.

Participation is qualified: every row of ``participations.csv`` becomes an ``org:Membership``
node with its own IRI (member, organisation, role, dates, an ``org:memberDuring`` interval)
**plus** the shortcut triple (``org:memberOf`` for networks; ``dkg:participatesIn`` for projects,
programmes and events; also ``schema:organizer`` for organisers and hosts, and
``dkg:coordinatedBy`` for coordinators), so that simple questions stay one-line queries.

Examples
--------
>>> from ingest.records import require_records
>>> from ontology.vocab import load_vocabularies
>>> import ontology, pathlib
>>> records = require_records(pathlib.Path(ontology.ONTOLOGY_DIR).parent / "data" / "records")
>>> lines = record_quads(records, load_vocabularies(), "curated")
>>> sum('<https://w3id.org/democracy-kg/ontology#coordinatedBy>' in q for q in lines)  # Nets4Dem, EC-NET
2
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from ontology import ONTOLOGY_DIR
from ontology.countries import lookup
from ontology.namespaces import (ADMS, DCAT, DCTERMS, DKG, FOAF, ORG, PAV, PROV, RDFS, SCHEMA, SKOS, TIME, WIKIDATA,
                         entity_iri, graph_iri)
from ontology.nquads import (RDF_TYPE, XSD_DATE, XSD_DATETIME, XSD_DECIMAL, XSD_GYEAR, XSD_GYEARMONTH, XSD_INTEGER,
                     iri, literal, quad)
from .records import RecordSet
from .records.fields import When
from .records.models import Claim, City, Event, Organisation, Output, Participation, Programme, Project, Source
from ontology.vocab import Vocabularies

#: Turtle files loaded into the ``ontology`` named graph (shapes.ttl is for validation only).
ONTOLOGY_FILES = ("democracy-kg.ttl", "methods.ttl", "classifications.ttl")

_T = {name: iri(str(term)) for name, term in {
    "label": RDFS.label, "source": DCTERMS.source, "description": DCTERMS.description, "note": SKOS.editorialNote,
    "method": DKG.usesMethod, "theme": DKG.theme, "audience": SCHEMA.audience, "status": ADMS.status,
    "alt": SKOS.altLabel, "acronym": DKG.acronym, "classification": ORG.classification, "location": SCHEMA.location,
    "country": DKG.country, "url": SCHEMA.url, "sameAs": SCHEMA.sameAs, "pic": DKG.pic, "generatedBy": PROV.wasGeneratedBy,
    "containedIn": SCHEMA.containedInPlace, "dctype": DCTERMS.type, "partOf": DCTERMS.isPartOf, "start": SCHEMA.startDate,
    "end": SCHEMA.endDate, "cordis": DKG.cordisProjectId, "funder": SCHEMA.funder, "superEvent": SCHEMA.superEvent,
    "about": SCHEMA.about, "attendance": SCHEMA.eventAttendanceMode, "member": ORG.member, "organization": ORG.organization,
    "role": ORG.role, "during": ORG.memberDuring, "memberOf": ORG.memberOf, "participatesIn": DKG.participatesIn,
    "organizer": SCHEMA.organizer, "coordinatedBy": DKG.coordinatedBy, "hasBeginning": TIME.hasBeginning,
    "hasEnd": TIME.hasEnd, "claimAbout": DKG.claimAbout, "quantityKind": DKG.quantityKind, "qualifier": DKG.qualifier,
    "value": SCHEMA.value, "claimContext": DKG.claimContext, "datePublished": SCHEMA.datePublished,
    "title": DCTERMS.title, "publisher": DCTERMS.publisher, "retrieved": PAV.retrievedOn, "license": DCTERMS.license,
    "derivedFrom": PROV.wasDerivedFrom, "participedia": DKG.participediaId, "contribution": DKG.contribution,
    "commissionedBy": DKG.commissionedBy, "facilitatedBy": DKG.facilitatedBy,
}.items()}
_C = {name: iri(str(term)) for name, term in {
    "Organization": ORG.Organization, "City": SCHEMA.City, "Programme": DKG.Programme,
    "FundingScheme": SCHEMA.FundingScheme, "Project": SCHEMA.Project, "Event": SCHEMA.Event,
    "Membership": ORG.Membership, "Interval": TIME.Interval, "Instant": TIME.Instant, "Output": DKG.Output,
    "Claim": DKG.Claim, "SourceDocument": DKG.SourceDocument, "Entity": PROV.Entity, "Dataset": DCAT.Dataset,
    "Document": FOAF.Document, "online": SCHEMA.OnlineEventAttendanceMode, "offline": SCHEMA.OfflineEventAttendanceMode,
}.items()}
_IN_XSD = {
    XSD_DATE: iri(str(TIME.inXSDDate)), XSD_GYEAR: iri(str(TIME.inXSDgYear)),
    XSD_GYEARMONTH: iri(str(TIME.inXSDgYearMonth)), XSD_DATETIME: iri(str(TIME.inXSDDateTimeStamp)),
}
#: Programme types whose programmes also are schema:FundingScheme.
FUNDING_TYPES = frozenset({"funding-programme", "framework-programme", "programme-period", "programme-strand"})
#: Roles whose participation also gives ``schema:organizer`` / ``dkg:coordinatedBy``.
ORGANISER_ROLES = frozenset({"organiser", "host"})
COORDINATOR_ROLES = frozenset({"coordinator"})
#: Roles in a case (a deliberative process) whose participation also gives a shortcut triple.
CASE_ROLE_SHORTCUTS = {"commissioner": "commissionedBy", "facilitator": "facilitatedBy"}
#: Licence of the curated records themselves (our selection and wording of the facts).
CURATED_LICENCE = "https://creativecommons.org/licenses/by/4.0/"


def record_quads(records: RecordSet, vocab: Vocabularies, source: str = "curated") -> list[str]:
    """All N-Quads lines for a record set, in the named graph of ``source`` (unsorted)."""
    g = iri(graph_iri(source))
    out: list[str] = []
    add = out.append
    kind_of = {key: type(row.record).kind for key, row in records.index.items()}  # type: ignore[attr-defined]

    def ref(key: str) -> str:
        return iri(entity_iri(kind_of[key], key))

    def concept(scheme: str, key: str) -> str:
        return iri(vocab.iri(scheme, key))

    def date(s: str, p: str, when: When | None) -> None:
        if when is not None:
            add(quad(s, p, literal(when.lexical, when.datatype), g))

    def common(s: str, rec) -> None:  # noqa: ANN001 - any described record
        add(quad(s, _T["label"], literal(rec.name), g))
        for key in rec.source:
            add(quad(s, _T["source"], ref(key), g))
        if rec.note:
            add(quad(s, _T["note"], literal(rec.note, lang="en"), g))
        if getattr(rec, "description", None):
            add(quad(s, _T["description"], literal(rec.description, lang="en"), g))
        for key in getattr(rec, "methods", ()):
            add(quad(s, _T["method"], concept("method", key), g))
        for key in getattr(rec, "themes", ()):
            add(quad(s, _T["theme"], concept("theme", key), g))
        for key in getattr(rec, "audience", ()):
            add(quad(s, _T["audience"], concept("audience", key), g))
        if getattr(rec, "status", None):
            add(quad(s, _T["status"], concept("status", rec.status), g))
        if getattr(rec, "website", None):
            add(quad(s, _T["url"], iri(rec.website), g))
        for key in getattr(rec, "part_of", ()):
            add(quad(s, _T["partOf"], ref(key), g))

    sources = [r.record for r in records.rows.get(Source, [])]
    for rec in sources:
        s = ref(rec.id)
        add(quad(s, RDF_TYPE, _C["SourceDocument"], g))
        add(quad(s, RDF_TYPE, _C["Entity"], g))
        add(quad(s, _T["title"], literal(rec.title, lang="en"), g))
        add(quad(s, _T["label"], literal(rec.title, lang="en"), g))
        add(quad(s, _T["dctype"], concept("sourcetype", rec.type), g))
        if rec.url:
            add(quad(s, _T["url"], iri(rec.url), g))
        if rec.publisher:
            add(quad(s, _T["publisher"], literal(rec.publisher), g))
        date(s, _T["retrieved"], rec.retrieved)
        if rec.licence:
            add(quad(s, _T["license"], iri(rec.licence), g))
        if rec.note:
            add(quad(s, _T["note"], literal(rec.note, lang="en"), g))
        add(quad(g, _T["derivedFrom"], s, g))

    for rec in records.of(City):
        s = ref(rec.id)
        add(quad(s, RDF_TYPE, _C["City"], g))
        common(s, rec)
        country = iri(lookup(rec.country).iri)  # type: ignore[union-attr]
        add(quad(s, _T["containedIn"], country, g))
        add(quad(s, _T["country"], country, g))
        if rec.wikidata:
            add(quad(s, _T["sameAs"], iri(f"{WIKIDATA}{rec.wikidata}"), g))

    city_country = {c.id: c.country for c in records.of(City)}
    for rec in records.of(Organisation):
        s = ref(rec.id)
        add(quad(s, RDF_TYPE, _C["Organization"], g))
        common(s, rec)
        add(quad(s, _T["classification"], concept("orgtype", rec.type), g))
        for name in rec.alt_names:
            add(quad(s, _T["alt"], literal(name), g))
        if rec.acronym:
            add(quad(s, _T["acronym"], literal(rec.acronym), g))
        if rec.city:
            add(quad(s, _T["location"], ref(rec.city), g))
        country = rec.country or city_country.get(rec.city or "")
        if country:
            add(quad(s, _T["country"], iri(lookup(country).iri), g))  # type: ignore[union-attr]
        if rec.wikidata:
            add(quad(s, _T["sameAs"], iri(f"{WIKIDATA}{rec.wikidata}"), g))
        if rec.pic:
            add(quad(s, _T["pic"], literal(rec.pic), g))
        if rec.participedia:
            add(quad(s, _T["participedia"], literal(rec.participedia), g))
        for key in rec.established_by:
            add(quad(s, _T["generatedBy"], ref(key), g))

    for rec in records.of(Programme):
        s = ref(rec.id)
        add(quad(s, RDF_TYPE, _C["Programme"], g))
        if rec.type in FUNDING_TYPES:
            add(quad(s, RDF_TYPE, _C["FundingScheme"], g))
        common(s, rec)
        add(quad(s, _T["dctype"], concept("programmetype", rec.type), g))
        date(s, _T["start"], rec.start)
        date(s, _T["end"], rec.end)

    for rec in records.of(Project):
        s = ref(rec.id)
        add(quad(s, RDF_TYPE, _C["Project"], g))
        common(s, rec)
        if rec.acronym:
            add(quad(s, _T["acronym"], literal(rec.acronym), g))
        if rec.cordis_id:
            add(quad(s, _T["cordis"], literal(rec.cordis_id), g))
        for key in rec.funder:
            add(quad(s, _T["funder"], ref(key), g))
        date(s, _T["start"], rec.start)
        date(s, _T["end"], rec.end)

    for rec in records.of(Event):
        s = ref(rec.id)
        add(quad(s, RDF_TYPE, _C["Event"], g))
        common(s, rec)
        date(s, _T["start"], rec.start)
        date(s, _T["end"], rec.end)
        if rec.city:
            add(quad(s, _T["location"], ref(rec.city), g))
            add(quad(s, _T["country"], iri(lookup(city_country[rec.city]).iri), g))  # type: ignore[union-attr]
        if rec.online is not None:
            add(quad(s, _T["attendance"], _C["online" if rec.online else "offline"], g))
        for key in rec.part_of:
            if kind_of[key] == "event":
                add(quad(s, _T["superEvent"], ref(key), g))
        for key in rec.about:
            add(quad(s, _T["about"], ref(key), g))

    for rec in records.of(Participation):
        _participation(rec, ref, concept, kind_of, g, add)

    for rec in records.of(Output):
        s = ref(rec.id)
        add(quad(s, RDF_TYPE, _C["Output"], g))
        common(s, rec)
        add(quad(s, _T["dctype"], concept("outputtype", rec.type), g))
        for key in rec.producer:
            add(quad(s, _T["generatedBy"], ref(key), g))
        date(s, _T["datePublished"], rec.date)

    names = {key: row.record.name for key, row in records.index.items() if hasattr(row.record, "name")}
    for rec in records.of(Claim):
        s = ref(rec.id)
        add(quad(s, RDF_TYPE, _C["Claim"], g))
        number = f" {rec.value}" if rec.value is not None else ""
        label = f"{names.get(rec.about, rec.about)}: {vocab.label('qualifier', rec.qualifier).lower()}{number} {vocab.label('quantity', rec.quantity).lower()}"
        add(quad(s, _T["label"], literal(label, lang="en"), g))
        for key in rec.source:
            add(quad(s, _T["source"], ref(key), g))
        if rec.note:
            add(quad(s, _T["note"], literal(rec.note, lang="en"), g))
        add(quad(s, _T["claimAbout"], ref(rec.about), g))
        add(quad(s, _T["quantityKind"], concept("quantity", rec.quantity), g))
        add(quad(s, _T["qualifier"], concept("qualifier", rec.qualifier), g))
        if rec.value is not None:
            datatype = XSD_DECIMAL if "." in rec.value else XSD_INTEGER
            add(quad(s, _T["value"], literal(_canonical_number(rec.value), datatype), g))
        date(s, _T["start"], rec.start)
        date(s, _T["end"], rec.end)
        for key in rec.context:
            add(quad(s, _T["claimContext"], ref(key), g))

    # The graph describes itself: what it is, where it came from, under which licence.
    add(quad(g, RDF_TYPE, _C["Dataset"], g))
    add(quad(g, RDF_TYPE, _C["Entity"], g))
    add(quad(g, _T["title"], literal(f"democracy-kg: {source} records", lang="en"), g))
    add(quad(g, _T["license"], iri(CURATED_LICENCE), g))
    return out


def _participation(rec: Participation, ref, concept, kind_of, g: str, add) -> None:  # noqa: ANN001
    membership_quads(add, g, key=rec.key, agent=ref(rec.agent), target=ref(rec.target), role=rec.role,
                     role_iri=concept("role", rec.role), sources=[ref(k) for k in rec.source],
                     start=rec.start, end=rec.end, note=rec.note, contribution=rec.contribution,
                     to_organisation=kind_of[rec.target] == "organisation")


def membership_quads(add, g: str, *, key: str, agent: str, target: str, role: str, role_iri: str,  # noqa: ANN001
                     sources: list[str], start: When | None = None, end: When | None = None,
                     note: str | None = None, contribution: str | None = None,
                     to_organisation: bool = False) -> str:
    """The qualified participation (an ``org:Membership`` node) plus its shortcut triples.

    Every source (curated records, CORDIS, ...) maps a participation through here, so that all
    of them share one model: ``id/membership/<key>`` with member, organisation, role, sources and
    an optional ``time:Interval``; plus ``org:memberOf`` (target is an organisation) or
    ``dkg:participatesIn``, ``schema:organizer`` for organisers and hosts,
    ``dkg:coordinatedBy`` for coordinators, and ``dkg:commissionedBy`` / ``dkg:facilitatedBy`` for
    the commissioner and facilitator of a case. The agent is an organisation or a city (cities take
    part in programmes and awards as themselves). ``contribution`` is what the participant brought,
    in our words. ``agent``, ``target``, ``role_iri`` and ``sources`` are N-Quads terms; returns the
    membership node's term.
    """
    m = iri(entity_iri("membership", key))
    add(quad(m, RDF_TYPE, _C["Membership"], g))
    add(quad(m, _T["member"], agent, g))
    add(quad(m, _T["organization"], target, g))
    add(quad(m, _T["role"], role_iri, g))
    for source in sources:
        add(quad(m, _T["source"], source, g))
    if note:
        add(quad(m, _T["note"], literal(note, lang="en"), g))
    if contribution:
        add(quad(m, _T["contribution"], literal(contribution, lang="en"), g))
    if start or end:
        base = entity_iri("membership", key)
        interval = iri(f"{base}/interval")
        add(quad(m, _T["during"], interval, g))
        add(quad(interval, RDF_TYPE, _C["Interval"], g))
        for when, p_date, p_time, suffix in ((start, _T["start"], _T["hasBeginning"], "start"),
                                             (end, _T["end"], _T["hasEnd"], "end")):
            if when is None:
                continue
            instant = iri(f"{base}/{suffix}")
            value = literal(when.lexical, when.datatype)
            add(quad(m, p_date, value, g))
            add(quad(interval, p_time, instant, g))
            add(quad(instant, RDF_TYPE, _C["Instant"], g))
            add(quad(instant, _IN_XSD[when.datatype], value, g))
    # The shortcut triple(s) of the qualified relation.
    add(quad(agent, _T["memberOf"] if to_organisation else _T["participatesIn"], target, g))
    if role in ORGANISER_ROLES:
        add(quad(target, _T["organizer"], agent, g))
    if role in COORDINATOR_ROLES:
        add(quad(target, _T["coordinatedBy"], agent, g))
    if role in CASE_ROLE_SHORTCUTS:
        add(quad(target, _T[CASE_ROLE_SHORTCUTS[role]], agent, g))
    return m


def _canonical_number(text: str) -> str:
    """Canonical lexical form: no leading zeros, no trailing fractional zeros.

    >>> _canonical_number("0600"), _canonical_number("12.50"), _canonical_number("3.0")
    ('600', '12.5', '3.0')
    """
    if "." not in text:
        return str(int(text))
    whole, frac = text.split(".", 1)
    frac = frac.rstrip("0") or "0"
    return f"{int(whole or '0')}.{frac}"


def turtle_quads(paths: Iterable[Path], graph: str) -> list[str]:
    """N-Quads lines for Turtle files, in one named graph; blank nodes are refused.

    Lines are written with :mod:`ontology.nquads`, so they sort and dump exactly like generated ones.
    """
    g = iri(graph_iri(graph))
    out = []
    for path in paths:
        for t in ox.parse(path=path, format=ox.RdfFormat.TURTLE):
            if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode):
                raise ValueError(f"{path.name}: blank node in {t}; give every resource an IRI")
            out.append(quad(iri(t.subject.value), iri(t.predicate.value), _term(t.object), g))
    return out


def _term(term: ox.NamedNode | ox.Literal) -> str:
    if isinstance(term, ox.NamedNode):
        return iri(term.value)
    return literal(term.value, term.datatype.value, term.language)


def ontology_quads(ontology_dir: Path = ONTOLOGY_DIR) -> list[str]:
    """The ontology and vocabularies, as N-Quads lines in the ``ontology`` graph."""
    return turtle_quads((ontology_dir / name for name in ONTOLOGY_FILES), "ontology")
