"""Map validated records to RDF, as N-Quads lines in the source's named graph.

This is the one place that decides which ontology terms the records become (the table is in
``docs/ontology.md``). Lines are plain strings, so the build can sort, dump and bulk-load them
without building rdflib objects per triple.

Participation is qualified: every row of ``participations.csv`` becomes an ``org:Membership``
node with its own IRI (member, organisation, role, dates, an ``org:memberDuring`` interval)
**plus** the shortcut triple (``org:memberOf`` for networks; ``dkg:participatesIn`` for projects,
programmes and events; also ``schema:organizer`` for organisers and hosts, and
``dkg:coordinatedBy`` for coordinators), so that simple questions stay one-line queries.
"""

from __future__ import annotations

from collections.abc import Iterator

from ontology.countries import lookup
from ontology.namespaces import (ADMS, DCAT, DCTERMS, DKG, FOAF, ORG, PAV, PROV, RDFS, SCHEMA, SKOS, TIME, WIKIDATA,
                         entity_iri, graph_iri)
from ontology.nquads import (RDF_TYPE, XSD_DATE, XSD_DATETIME, XSD_DECIMAL, XSD_GYEAR, XSD_GYEARMONTH, XSD_INTEGER,
                     iri, literal, quad)
from .records import RecordSet
from .records.fields import When
from .records.models import Claim, City, Event, Organisation, Output, Participation, Programme, Project, Source
from ontology.vocab import Vocabularies

# The ontology's own lines are Turtle read as N-Quads (ingest.turtle); the build asks for them here.
from .turtle import ONTOLOGY_FILES, ontology_quads, turtle_quads

__all__ = ["record_quad_groups", "CASE_ROLE_SHORTCUTS", "COORDINATOR_ROLES", "CURATED_LICENCE", "FUNDING_TYPES", "ONTOLOGY_FILES",
           "ORGANISER_ROLES", "membership_quads", "ontology_quads", "record_quads", "turtle_quads"]

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
    """All N-Quads lines for a record set, in the named graph of ``source`` (unsorted).

    Parameters
    ----------
    records : RecordSet
        Validated records (:func:`ingest.records.require_records`).
    vocab : ontology.vocab.Vocabularies
        The project's vocabularies: concept IRIs and labels.
    source : str
        The named graph ``graph/<source>`` the lines go into.

    Returns
    -------
    list of str
        N-Quads lines, record type by record type, then the graph's own description.

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
    return [line for group in record_quad_groups(records, vocab, source) for line in group]


def record_quad_groups(records: RecordSet, vocab: Vocabularies, source: str = "curated",
                       size: int = 250_000) -> Iterator[list[str]]:
    """:func:`record_quads`'s lines in groups as they are mapped (record type by record type, the
    participations every ``size`` lines or so): the build spools each group as it comes.

    Parameters
    ----------
    records, vocab, source
        As for :func:`record_quads`.
    size : int
        About how many lines a group of participations holds.

    Returns
    -------
    iterator of list of str
        The lines of :func:`record_quads`, in its order, in non-empty groups.

    Examples
    --------
    >>> import ontology, pathlib
    >>> from ingest.records import require_records
    >>> from ontology.vocab import load_vocabularies as vocabularies
    >>> shipped = require_records(pathlib.Path(ontology.ONTOLOGY_DIR).parent / "data" / "records")
    >>> groups = list(record_quad_groups(shipped, vocabularies(), size=100))
    >>> len(groups) > 5, [line for group in groups for line in group] == record_quads(shipped, vocabularies())
    (True, True)
    """
    mapping = _RecordMapping(records, vocab, source)

    def taken() -> list[str]:
        group, mapping.lines[:] = mapping.lines[:], []  # emptied in place: mapping.add appends to that list
        return group

    for step in (mapping.sources, mapping.cities, mapping.organisations, mapping.programmes, mapping.projects,
                 mapping.events):
        step()
        if mapping.lines:
            yield taken()
    for rec in records.of(Participation):
        mapping.participation(rec)
        if len(mapping.lines) >= size:
            yield taken()
    mapping.outputs()
    mapping.claims()
    mapping.describe_graph()
    yield taken()


class _RecordMapping:
    """The lines of one record set as they are written, with the lookups every record type uses:
    a record's IRI by key (:meth:`ref`), a concept by scheme and key, a date when there is one."""

    def __init__(self, records: RecordSet, vocab: Vocabularies, source: str) -> None:
        self.records, self.vocab, self.source = records, vocab, source
        self.g = iri(graph_iri(source))
        self.lines: list[str] = []
        self.add = self.lines.append
        self.kind_of = {key: type(row.record).kind for key, row in records.index.items()}  # type: ignore[attr-defined]
        self.city_country = {c.id: c.country for c in records.of(City)}

    def ref(self, key: str) -> str:
        return iri(entity_iri(self.kind_of[key], key))

    def concept(self, scheme: str, key: str) -> str:
        return iri(self.vocab.iri(scheme, key))

    def date(self, s: str, p: str, when: When | None) -> None:
        if when is not None:
            self.add(quad(s, p, literal(when.lexical, when.datatype), self.g))

    def literals(self, s: str, *pairs: tuple[str, str | None]) -> None:
        """``s property "value"`` for each (property key, value) pair whose value is given."""
        for prop, value in pairs:
            if value:
                self.add(quad(s, _T[prop], literal(value), self.g))

    def refs(self, s: str, prop: str, keys) -> None:  # noqa: ANN001 - record keys
        """``s property record`` for each record key."""
        for key in keys:
            self.add(quad(s, _T[prop], self.ref(key), self.g))

    def period(self, s: str, rec) -> None:  # noqa: ANN001 - a record with start and end dates
        self.date(s, _T["start"], rec.start)
        self.date(s, _T["end"], rec.end)

    def described(self, rec, *classes: str, type_as: tuple[str, str] | None = None) -> str:  # noqa: ANN001
        """The record's node typed with ``classes`` (keys of ``_C``) and its :meth:`common` facts;
        with ``type_as`` (property, scheme), also its ``type`` as a concept of that scheme."""
        s = self.ref(rec.id)
        for c in classes:
            self.add(quad(s, RDF_TYPE, _C[c], self.g))
        self.common(s, rec)
        if type_as:
            self.add(quad(s, _T[type_as[0]], self.concept(type_as[1], rec.type), self.g))
        return s

    def common(self, s: str, rec) -> None:  # noqa: ANN001 - any described record
        """What every described record has: name, sources, note, description, concepts, website, parts."""
        add, g = self.add, self.g
        add(quad(s, _T["label"], literal(rec.name), g))
        self.refs(s, "source", rec.source)
        if rec.note:
            add(quad(s, _T["note"], literal(rec.note, lang="en"), g))
        if getattr(rec, "description", None):
            add(quad(s, _T["description"], literal(rec.description, lang="en"), g))
        for key in getattr(rec, "methods", ()):
            add(quad(s, _T["method"], self.concept("method", key), g))
        for key in getattr(rec, "themes", ()):
            add(quad(s, _T["theme"], self.concept("theme", key), g))
        for key in getattr(rec, "audience", ()):
            add(quad(s, _T["audience"], self.concept("audience", key), g))
        if getattr(rec, "status", None):
            add(quad(s, _T["status"], self.concept("status", rec.status), g))
        if getattr(rec, "website", None):
            add(quad(s, _T["url"], iri(rec.website), g))
        self.refs(s, "partOf", getattr(rec, "part_of", ()))

    def sources(self) -> None:
        add, g = self.add, self.g
        for rec in [r.record for r in self.records.rows.get(Source, [])]:
            s = self.ref(rec.id)
            add(quad(s, RDF_TYPE, _C["SourceDocument"], g))
            add(quad(s, RDF_TYPE, _C["Entity"], g))
            add(quad(s, _T["title"], literal(rec.title, lang="en"), g))
            add(quad(s, _T["label"], literal(rec.title, lang="en"), g))
            add(quad(s, _T["dctype"], self.concept("sourcetype", rec.type), g))
            if rec.url:
                add(quad(s, _T["url"], iri(rec.url), g))
            if rec.publisher:
                add(quad(s, _T["publisher"], literal(rec.publisher), g))
            self.date(s, _T["retrieved"], rec.retrieved)
            if rec.licence:
                add(quad(s, _T["license"], iri(rec.licence), g))
            if rec.note:
                add(quad(s, _T["note"], literal(rec.note, lang="en"), g))
            add(quad(g, _T["derivedFrom"], s, g))

    def cities(self) -> None:
        add, g = self.add, self.g
        for rec in self.records.of(City):
            s = self.described(rec, "City")
            country = iri(lookup(rec.country).iri)  # type: ignore[union-attr]
            add(quad(s, _T["containedIn"], country, g))
            add(quad(s, _T["country"], country, g))
            if rec.wikidata:
                add(quad(s, _T["sameAs"], iri(f"{WIKIDATA}{rec.wikidata}"), g))

    def organisations(self) -> None:
        add, g = self.add, self.g
        for rec in self.records.of(Organisation):
            s = self.described(rec, "Organization", type_as=("classification", "orgtype"))
            for name in rec.alt_names:
                add(quad(s, _T["alt"], literal(name), g))
            if rec.acronym:
                add(quad(s, _T["acronym"], literal(rec.acronym), g))
            if rec.city:
                add(quad(s, _T["location"], self.ref(rec.city), g))
            # An organisation without a country of its own is in its city's.
            country = rec.country or self.city_country.get(rec.city or "")
            if country:
                add(quad(s, _T["country"], iri(lookup(country).iri), g))  # type: ignore[union-attr]
            if rec.wikidata:
                add(quad(s, _T["sameAs"], iri(f"{WIKIDATA}{rec.wikidata}"), g))
            self.literals(s, ("pic", rec.pic), ("participedia", rec.participedia))
            self.refs(s, "generatedBy", rec.established_by)

    def programmes(self) -> None:
        for rec in self.records.of(Programme):
            funding = ["FundingScheme"] if rec.type in FUNDING_TYPES else []
            self.period(self.described(rec, "Programme", *funding, type_as=("dctype", "programmetype")), rec)

    def projects(self) -> None:
        for rec in self.records.of(Project):
            s = self.described(rec, "Project")
            self.literals(s, ("acronym", rec.acronym), ("cordis", rec.cordis_id))
            self.refs(s, "funder", rec.funder)
            self.period(s, rec)

    def events(self) -> None:
        add, g = self.add, self.g
        for rec in self.records.of(Event):
            s = self.described(rec, "Event")
            self.period(s, rec)
            if rec.city:
                add(quad(s, _T["location"], self.ref(rec.city), g))
                add(quad(s, _T["country"], iri(lookup(self.city_country[rec.city]).iri), g))  # type: ignore[union-attr]
            if rec.online is not None:
                add(quad(s, _T["attendance"], _C["online" if rec.online else "offline"], g))
            for key in rec.part_of:
                if self.kind_of[key] == "event":
                    add(quad(s, _T["superEvent"], self.ref(key), g))
            self.refs(s, "about", rec.about)

    def participation(self, rec: Participation) -> None:
        membership_quads(self.add, self.g, key=rec.key, agent=self.ref(rec.agent), target=self.ref(rec.target),
                         role=rec.role, role_iri=self.concept("role", rec.role), sources=[self.ref(k) for k in rec.source],
                         start=rec.start, end=rec.end, note=rec.note, contribution=rec.contribution,
                         to_organisation=self.kind_of[rec.target] == "organisation")

    def outputs(self) -> None:
        for rec in self.records.of(Output):
            s = self.described(rec, "Output", type_as=("dctype", "outputtype"))
            self.refs(s, "generatedBy", rec.producer)
            self.date(s, _T["datePublished"], rec.date)

    def claims(self) -> None:
        add, g, vocab = self.add, self.g, self.vocab
        names = {key: row.record.name for key, row in self.records.index.items() if hasattr(row.record, "name")}
        for rec in self.records.of(Claim):
            s = self.ref(rec.id)
            add(quad(s, RDF_TYPE, _C["Claim"], g))
            number = f" {rec.value}" if rec.value is not None else ""
            label = f"{names.get(rec.about, rec.about)}: {vocab.label('qualifier', rec.qualifier).lower()}{number} {vocab.label('quantity', rec.quantity).lower()}"
            add(quad(s, _T["label"], literal(label, lang="en"), g))
            self.refs(s, "source", rec.source)
            if rec.note:
                add(quad(s, _T["note"], literal(rec.note, lang="en"), g))
            add(quad(s, _T["claimAbout"], self.ref(rec.about), g))
            add(quad(s, _T["quantityKind"], self.concept("quantity", rec.quantity), g))
            add(quad(s, _T["qualifier"], self.concept("qualifier", rec.qualifier), g))
            if rec.value is not None:
                datatype = XSD_DECIMAL if "." in rec.value else XSD_INTEGER
                add(quad(s, _T["value"], literal(_canonical_number(rec.value), datatype), g))
            self.period(s, rec)
            self.refs(s, "claimContext", rec.context)

    def describe_graph(self) -> None:
        """The graph describes itself: what it is, where it came from, under which licence."""
        g = self.g
        self.add(quad(g, RDF_TYPE, _C["Dataset"], g))
        self.add(quad(g, RDF_TYPE, _C["Entity"], g))
        self.add(quad(g, _T["title"], literal(f"democracy-kg: {self.source} records", lang="en"), g))
        self.add(quad(g, _T["license"], iri(CURATED_LICENCE), g))


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
