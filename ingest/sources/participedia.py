"""Participedia CSV exports (cases, methods, organizations) -> cases, method concepts, organisations.

Reads the files participedia.net's "download CSV" writes, one per entry type, recognised by
their ``type`` column: ``case``, ``method``, ``organization``. Every entity keeps its
Participedia id (``dkg:participediaId``) and page (``schema:url``); titles and the short
``description`` are stored, the long ``body`` only when ``bodies=True``. The source graph
records the licence (CC BY-NC-SA 3.0) and the attribution Participedia asks for.

- methods -> ``skos:Concept`` in the scheme ``id/scheme/participedia-method``
  (``id/participedia-method/<id>``), with ``skos:exactMatch`` to the project's own method
  concept when the (normalised) title is that concept's preferred or alternative label;
- organizations -> ``org:Organization`` ``id/organisation/participedia-<id>`` with a type from
  ``sector`` (both of Participedia's vocabularies), country, city, coordinates and the methods
  and tools it uses;
- cases -> ``dkg:Case`` ``id/case/participedia-<id>`` with dates, city, country, coordinates,
  organiser (a qualified ``organiser`` membership plus ``schema:organizer``), methods, IAP2 level
  (``public_spectrum`` onto the project's IAP2 scheme), and Participedia's own facets (purposes,
  scope, recruitment, decision methods, ...) as concepts in ``id/scheme/participedia-<facet>``.

Quirks handled (all seen in real exports): a BOM; ``_1``..``_n`` columns whose later values
start with a space; two vocabularies mixed in one column (``non_profit_non_gov`` and
``Non-Profit or Non Governmental``); country names in other languages (``Italia``); link fields
that are Postgres arrays of composite rows (``{"(4328,method,\\"ICT\\")","(145,method,X)"}``)
or a single composite row; names wrapped in an extra layer of quotes; HTML entities; embedded
newlines; trailing spaces; typographic apostrophes; float ids (``5168.0``); test records (a
title ending in ``TEST``), which are reported and left out.

Examples
--------
>>> parse_links('{"(4328,method,\\\\"ICT, online\\\\")","(145,method,Survey)"}')
[('4328', 'method', 'ICT, online'), ('145', 'method', 'Survey')]
>>> parse_links('(4232,method,"Online Deliberation")')
[('4232', 'method', 'Online Deliberation')]
>>> clean_text('  &quot;Citizens&#039; Assembly&quot; ')
"Citizens' Assembly"
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from ontology import countries

from ..mapping import membership_quads
from ontology.namespaces import DCTERMS, DKG, ORG, RDFS, SCHEMA, SKOS, entity_iri, graph_iri
from ontology.nquads import RDF_TYPE, XSD_DECIMAL, XSD_INTEGER, iri, literal, quad

from ..records.load import Problem
from .result import SourceResult
from .checks import FieldError, Ledger, coordinate, identifier, is_empty, read_rows, start_and_end
from .checks import count as count_of
from .common import city, describe_source, progress, slug

LICENCE = "https://creativecommons.org/licenses/by-nc-sa/3.0/"
ATTRIBUTION = "Participedia, participedia.net"
#: Participedia's exporter cuts long texts at this many characters (a spreadsheet cell limit).
BODY_LIMIT = 32_766
GEO = "http://www.w3.org/2003/01/geo/wgs84_pos#"
#: Participedia ``sector`` values (the four keys of its organisation form, their English labels,
#: and older values still in the data) -> keys of the organisation-type scheme.
SECTORS = {
    "non_profit_non_gov": "civil-society-organisation", "non-profit or non governmental": "civil-society-organisation",
    "community_based_organization": "civil-society-organisation", "community based organization": "civil-society-organisation",
    "social_movement": "civil-society-organisation", "social movement": "civil-society-organisation",
    "faith_based_organization": "civil-society-organisation", "faith-based organization": "civil-society-organisation",
    "governmental": "public-body", "governmental organization": "public-body", "government": "public-body",
    "government_owned_corporation": "public-body", "government owned corporation": "public-body",
    "higher_ed": "university", "higher education or research": "university",
    "academic_institution": "university", "academic institution": "university", "academic": "university",
    "research_institution": "research-organisation", "research institution": "research-organisation",
    "for_profit": "company", "for-profit business": "company", "for profit": "company",
    "philanthropic_organization": "funding-body", "philanthropic organization": "funding-body",
    "international_organization": "other", "international organization": "other",
    "think_tank": "think-tank", "think tank": "think-tank",
}
IAP2 = {"inform": "inform", "consult": "consult", "involve": "involve", "collaborate": "collaborate", "empower": "empower"}
#: Facet columns (stems: ``<stem>_1``..``<stem>_5`` share one) -> (property, scheme suffix). Each
#: cell holds one key of Participedia's vocabulary for that field (``deliberative``,
#: ``facilitate``), kept as a concept ``id/participedia-<suffix>/<key>`` in the scheme
#: ``id/scheme/participedia-<suffix>``. The organisation form's ``type_method``/``type_tool`` use
#: the same keys as the case form's ``method_types``/``tools_techniques_types``, so they share a
#: scheme. Facets without a property of their own use ``dkg:facet``; the scheme names the facet.
FACETS = {
    "purposes": ("purpose", "purpose"), "purpose_method": ("purpose", "purpose"),
    "scope_of_influence": ("scope", "scope"), "recruitment_method": ("recruitment", "recruitment"),
    "decision_methods": ("decisionMethod", "decision-method"), "general_issues": ("issue", "issue"),
    "method_types": ("methodType", "method-type"), "type_method": ("methodType", "method-type"),
    "open_limited": ("openness", "openness"), "facetoface_online_or_both": ("mode", "mode"),
    "tools_techniques_types": ("facet", "tool-type"), "type_tool": ("facet", "tool-type"),
    "specific_topics": ("facet", "topic"), "approaches": ("facet", "approach"),
    "targeted_participants": ("facet", "targeted-participants"),
    "participants_interactions": ("facet", "interaction"), "learning_resources": ("facet", "learning-resource"),
    "if_voting": ("facet", "voting"), "insights_outcomes": ("facet", "outcome"),
    "organizer_types": ("facet", "organiser-type"), "funder_types": ("facet", "funder-type"),
    "change_types": ("facet", "change-type"), "implementers_of_change": ("facet", "change-implementer"),
    "time_limited": ("facet", "time-limit"), "facilitator_training": ("facet", "facilitator-training"),
    "level_polarization": ("facet", "polarisation"), "level_complexity": ("facet", "complexity"),
}
#: Yes/no columns (``1``/``0``) -> scheme suffix: concepts ``yes`` and ``no`` under ``dkg:facet``.
FLAGS = {"ongoing": "ongoing", "legality": "legality", "facilitators": "facilitators", "staff": "staff",
         "volunteers": "volunteers", "impact_evidence": "impact-evidence", "formal_evaluation": "formal-evaluation"}
#: Columns mapped by code of their own (not facets).
MAPPED = {"id", "type", "title", "url", "description", "body", "city", "country", "latitude", "longitude", "sector",
          "start_date", "end_date", "is_component_of_id", "specific_methods_tools_techniques",
          "specific_methods_tools_techniques_titles", "public_spectrum", "number_of_participants",
          "primary_organizer_id", "primary_organizer_title"}
#: Columns of the real export layouts (participedia/api, create-csv-data-dump.js) deliberately not
#: mapped, and why: ``docs/sources.md`` lists them. Any other column is reported once per file.
LEFT_OUT = {
    "featured": "Participedia's front-page flag, not a fact about the entry",
    "post_date": "when the page was written, not when the process happened",
    "updated_date": "when the page was edited, not when the process happened",
    "original_language": "the language the page was first written in",
    **{c: "the page's editors: personal data, not facts about the entry" for c in (
        "creator_id", "creator_name", "creator_profile_url", "last_updated_by_id", "last_updated_by_name",
        "last_updated_by_profile_url")},
    **{c: "street address: the graph places entries by city, country and coordinates" for c in (
        "address1", "address2", "postal_code", "province")},
    "is_component_of_title": "repeats the entry is_component_of_id names", "is_component_of_url": "repeats is_component_of_id",
    "primary_organizer_url": "repeats primary_organizer_id",
    "has_components_titles": "the export keeps only the last component; each component's is_component_of_id links it",
    "collections": "Participedia's reading lists; the export keeps only the last one",
    "funder": "free text naming funders, with nothing to identify them by",
    **{c: "counts of media on the page (in case exports, text lengths, not counts)" for c in (
        "files_count", "links_count", "photos_count", "videos_count", "audio_count", "evaluation_reports_count",
        "evaluation_links_count")},
}
#: Values that mean "no answer" in Participedia's facets.
NO_VALUE = {"", "n/a", "not_applicable", "dont", "not"}

_T = {name: iri(str(term)) for name, term in {
    "label": RDFS.label, "pref": SKOS.prefLabel, "inScheme": SKOS.inScheme, "exact": SKOS.exactMatch,
    "source": DCTERMS.source, "description": DCTERMS.description,
    "url": SCHEMA.url, "pid": DKG.participediaId, "start": SCHEMA.startDate, "end": SCHEMA.endDate,
    "country": DKG.country, "location": SCHEMA.location, "containedIn": SCHEMA.containedInPlace,
    "classification": ORG.classification, "method": DKG.usesMethod, "iap2": DKG.iap2Level,
    "participants": DKG.participantCount, "partOf": DCTERMS.isPartOf, "body": SCHEMA.text,
    "dctitle": DCTERMS.title,
    "lat": f"{GEO}lat", "long": f"{GEO}long",
}.items()}
_T.update({name: iri(str(DKG[name])) for name, _ in FACETS.values()})
_C = {name: iri(str(term)) for name, term in {
    "Case": DKG.Case, "Concept": SKOS.Concept, "Scheme": SKOS.ConceptScheme, "Organization": ORG.Organization,
}.items()}
_LINK = re.compile(r'\((\d+)(?:\.0)?,(\w+),((?:"(?:[^"\\]|\\.|"")*")|[^)]*)\)')
_ID = re.compile(r"^(\d+)(?:\.0)?$")


def clean_text(text: str) -> str:
    """HTML entities decoded, an extra layer of wrapping quotes removed, spaces trimmed."""
    text = html.unescape(text).strip()
    while len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1].strip()
    return text


def parse_links(text: str, *, strict: bool = False) -> list[tuple[str, str, str]]:
    """(id, type, title) of every entry linked in a Postgres array or single composite row.

    With ``strict``, text that is not wholly such links (an unclosed array, a stray element)
    raises :class:`ingest.sources.checks.FieldError` instead of yielding what could be read.

    >>> parse_links('{"(4328,method,ICT)",oops}', strict=True)
    Traceback (most recent call last):
    ...
    ingest.sources.checks.FieldError: not a list of linked entries ({"(id,type,title)",...}); unread: 'oops'
    """
    text = text.strip()
    array = text.startswith("{") and text.endswith("}")
    if array:
        # Array elements are quoted strings whose inner quotes are backslash-escaped.
        text = text[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    out = []
    for m in _LINK.finditer(text):
        title = m.group(3)
        if title.startswith('"') and title.endswith('"'):
            title = title[1:-1].replace('""', '"').replace('\\"', '"')
        out.append((m.group(1), m.group(2), clean_text(title)))
    if strict:
        rest = _LINK.sub("", text).replace('"', "").replace(",", "").strip()
        if rest or (text and not out) or (not array and text.count("(") > 1):
            raise FieldError(f"not a list of linked entries ({{\"(id,type,title)\",...}}); unread: {(rest or text)[:60]!r}")
    return out


def normalise_name(text: str) -> str:
    """A method or organisation name folded for matching: case, apostrophes, marks, punctuation.

    >>> normalise_name("Citizens’ Assembly "), normalise_name("Deliberative Polling®")
    ("citizens' assembly", 'deliberative polling')
    """
    text = clean_text(text).replace("\u2019", "'").replace("\u2018", "'").replace("®", "").replace("™", "")
    return " ".join(re.sub(r"[^\w' ]+", " ", text.casefold()).split())


def _values(row: dict[str, str], stem: str) -> list[str]:
    """All values of a multi-valued field: ``stem`` itself or ``stem_1``..``stem_n``."""
    out = []
    if stem in row:
        out.append(row[stem])
    n = 1
    while f"{stem}_{n}" in row:
        out.append(row[f"{stem}_{n}"])
        n += 1
    return [v.strip() for v in out if v.strip().casefold() not in NO_VALUE]


def _ident(value: str) -> str | None:
    try:
        return identifier(value) if value.strip() else None
    except FieldError:
        return None


def column_stem(column: str) -> str:
    """The field a column belongs to: ``purposes_2`` -> ``purposes``.

    >>> column_stem("purposes_2"), column_stem("is_component_of_id"), column_stem("files_count")
    ('purposes', 'is_component_of_id', 'files_count')
    """
    return re.sub(r"_[1-9]$", "", column)


def unmapped_columns(header: list[str], bodies: bool = True) -> list[tuple[str, str]]:
    """(column, reason) for every column of ``header`` whose values the adapter does not map."""
    out = []
    for column in header:
        stem = column_stem(column)
        if stem in MAPPED or stem in FACETS or stem in FLAGS:
            if stem == "body" and not bodies:
                out.append((column, "long text, stored only when the source sets bodies = true"))
            continue
        out.append((column, LEFT_OUT.get(stem, "a column Participedia's export layouts do not have; its values are not mapped")))
    return out


ERROR = "__error__"


def read_export(path: Path) -> tuple[str, list[str], list[tuple[int, dict[str, str]]]]:
    """The entry type of a Participedia export file, its header and its (line, row) pairs.

    A record that cannot be read (cells that do not match the header, bytes that are not
    UTF-8) comes as a row holding only ``__error__`` (the reason); empty records are dropped
    here and counted by the caller from the line numbers.
    """
    header, records = read_rows(path, delimiter=",")
    rows = []
    for record in progress(records, None, path.name):
        if record.error:
            rows.append((record.line, {ERROR: record.error}))
        elif not is_empty(record):
            rows.append((record.line, dict(zip(header, record.cells))))
        else:
            rows.append((record.line, {}))
    types = {r["type"].strip() for _, r in rows if r.get("type", "").strip()}
    if len(types) != 1:
        raise ValueError(f"{path}: not a Participedia export (expected one entry type in column 'type', found {sorted(types)})")
    return types.pop(), header, rows


def participedia_quads(paths: list[Path] | Path, source: str = "participedia", *, bodies: bool = False,
                       title: str = "Participedia exports", retrieved: str | None = None,
                       vocab=None) -> SourceResult:  # noqa: ANN001
    """Map Participedia export files (or every ``*.csv`` in a directory) into ``graph/<source>``.

    Every row is kept, filtered (empty rows) or rejected, per file (the result's ``ledgers``);
    every value is mapped or rejected as a field; every column the adapter does not map is
    reported once per file with the reason (``unmapped_columns``).
    """
    if vocab is None:
        from ontology.vocab import load_vocabularies

        vocab = load_vocabularies()
    if isinstance(paths, Path | str):
        paths = [Path(paths)]
    files = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(p.glob("*.csv"))
        elif p.is_file():
            files.append(p)
        else:
            raise FileNotFoundError(f"Participedia export not found: {p}")
    by_type: dict[str, list[tuple[Path, list]]] = {}
    headers: dict[Path, list[str]] = {}
    for f in files:
        kind, header, rows = read_export(f)
        headers[f] = header
        by_type.setdefault(kind, []).append((f, rows))
    unknown = set(by_type) - {"case", "method", "organization"}
    if unknown:
        raise ValueError(f"unknown Participedia entry type(s) {sorted(unknown)} in {[str(f) for k in unknown for f, _ in by_type[k]]}")

    g = iri(graph_iri(source))
    out: list[str] = []
    add = out.append
    rejects: list[Problem] = []
    counts: dict[str, int] = {}
    ledgers = {f: Ledger(f.name) for f in files}
    doc = iri(entity_iri("source", source))
    describe_source(add, g, doc, source, title=title, home="https://participedia.net/", licence=LICENCE,
                    retrieved=retrieved, attribution=ATTRIBUTION)
    matches = _own_method_labels(vocab)
    schemes_made: set[str] = set()
    concepts_made: set[str] = set()
    methods_made: set[str] = set()
    orgs_made: set[str] = set()
    classified: set[str] = set()  # organisations typed from an organisation export's sector
    entries_seen: set[str] = set()  # entries mapped from their own row (a second row with the id is a reject)

    def count(key: str) -> None:
        counts[key] = counts.get(key, 0) + 1

    def reject(file: Path, line: int, field_: str, value: str, reason: str, row: bool = True) -> None:
        rejects.append(Problem(file.name, line, field_, value, reason))
        if row:
            count("rejected rows")
            ledgers[file].rejected += 1

    for f, header in headers.items():
        for column, reason in unmapped_columns(header, bodies):
            if column_stem(column) not in LEFT_OUT and column_stem(column) != "body":
                reject(f, 1, column, column, reason, row=False)

    def scheme(suffix: str, label: str) -> str:
        s = iri(entity_iri("scheme", f"participedia-{suffix}"))
        if s not in schemes_made:
            schemes_made.add(s)
            add(quad(s, RDF_TYPE, _C["Scheme"], g))
            add(quad(s, _T["pref"], literal(label, lang="en"), g))
            add(quad(s, _T["dctitle"], literal(label, lang="en"), g))
            add(quad(s, _T["source"], doc, g))
        return s

    def facet(subject: str, prop: str, suffix: str, value: str, label: str | None = None) -> None:
        key = slug(value)
        if not key:
            return
        c = iri(entity_iri(f"participedia-{suffix}", key))
        if c not in concepts_made:
            concepts_made.add(c)
            add(quad(c, RDF_TYPE, _C["Concept"], g))
            add(quad(c, _T["pref"], literal(label or value), g))
            add(quad(c, _T["inScheme"], scheme(suffix, f"Participedia: {suffix.replace('-', ' ')}"), g))
            add(quad(c, _T["source"], doc, g))
        add(quad(subject, _T[prop], c, g))

    def facets(subject: str, row: dict[str, str], file: Path, line: int, skip: tuple[str, ...] = ()) -> None:
        for stem, (prop, suffix) in FACETS.items():
            if stem in skip:
                continue
            for value in _values(row, stem):
                if value.startswith(("(", "{")):
                    # A facet holds vocabulary keys; a link here is a layout this adapter does not know.
                    reject(file, line, stem, value[:80], "a facet holds vocabulary keys, not linked entries; value left out", row=False)
                    continue
                facet(subject, prop, suffix, value)
        for stem, suffix in FLAGS.items():
            value = row.get(stem, "").strip().casefold()
            value = value.removesuffix(".0")  # pandas re-saves the export's 1/0 as 1.0/0.0
            if value in {"1", "true", "yes"}:
                facet(subject, "facet", suffix, "yes", f"{stem.replace('_', ' ')}: yes")
            elif value in {"0", "false", "no"}:
                facet(subject, "facet", suffix, "no", f"{stem.replace('_', ' ')}: no")
            elif value and value not in NO_VALUE:
                reject(file, line, stem, row[stem], "a yes/no field holds 1 or 0; field left out", row=False)

    def method(mid: str, name: str) -> str:
        m = iri(entity_iri("participedia-method", mid))
        if m not in methods_made:
            methods_made.add(m)
            add(quad(m, RDF_TYPE, _C["Concept"], g))
            add(quad(m, _T["pref"], literal(name or f"Participedia method {mid}"), g))
            add(quad(m, _T["inScheme"], scheme("method", "Participedia: methods and tools"), g))
            add(quad(m, _T["pid"], literal(mid), g))
            add(quad(m, _T["url"], iri(f"https://participedia.net/method/{mid}"), g))
            add(quad(m, _T["source"], doc, g))
            own = matches.get(normalise_name(name))
            if own:
                add(quad(m, _T["exact"], iri(vocab.iri("method", own)), g))
                count("methods matched to the project's scheme")
        return m

    def organisation(oid: str, name: str) -> str:
        o = iri(entity_iri("organisation", f"participedia-{oid}"))
        if o not in orgs_made:
            orgs_made.add(o)
            add(quad(o, RDF_TYPE, _C["Organization"], g))
            add(quad(o, _T["label"], literal(name or f"Participedia organisation {oid}"), g))
            add(quad(o, _T["pid"], literal(oid), g))
            add(quad(o, _T["url"], iri(f"https://participedia.net/organization/{oid}"), g))
            add(quad(o, _T["source"], doc, g))
        return o

    def links(subject: str, row: dict[str, str], file: Path, line: int, columns: tuple[str, ...]) -> None:
        for column in columns:
            for value in _values(row, column):
                try:
                    found = parse_links(value, strict=True)
                except FieldError as err:
                    reject(file, line, column, value[:80], f"{err}; field left out", row=False)
                    continue
                for lid, ltype, lname in found:
                    if ltype == "method":
                        add(quad(subject, _T["method"], method(lid, lname), g))

    def place(subject: str, row: dict[str, str], file: Path, line: int) -> None:
        name = clean_text(row.get("country", ""))
        country = countries.lookup_name(name) if name else None
        if name and country is None:
            reject(file, line, "country", name, "unknown country name; field left out", row=False)
        if country is not None:
            add(quad(subject, _T["country"], iri(country.iri), g))
            c = city(add, g, doc, clean_text(row.get("city", "")), country)
            if c:
                add(quad(subject, _T["location"], c, g))
        for column, prop, bound in (("latitude", "lat", 90), ("longitude", "long", 180)):
            text = row.get(column, "").strip()
            if not text:
                continue
            try:
                value = coordinate(text, bound)
            except FieldError as err:
                reject(file, line, column, text, f"{err}; field left out", row=False)
                continue
            add(quad(subject, _T[prop], literal(value, XSD_DECIMAL), g))

    def common(subject: str, row: dict[str, str], file: Path, line: int, kind: str, pid: str) -> bool:
        name = clean_text(row.get("title", ""))
        if not name:
            reject(file, line, "title", "", "an entry needs a title")
            return False
        if re.search(r"\bTEST\s*$", name):
            reject(file, line, "title", name, "a test record (title ends in TEST); left out")
            return False
        if subject in entries_seen:
            reject(file, line, "id", pid, f"duplicate {kind} id; the first row stands")
            return False
        entries_seen.add(subject)
        url = row.get("url", "").strip()
        if not re.match(rf"^https://participedia\.net/{kind}/{pid}$", url):
            if url:
                reject(file, line, "url", url, "not the entry's participedia.net page; the page address is built from the id", row=False)
            url = f"https://participedia.net/{kind}/{pid}"
        add(quad(subject, _T["url"], iri(url), g))
        add(quad(subject, _T["pid"], literal(pid), g))
        add(quad(subject, _T["source"], doc, g))
        description = clean_text(row.get("description", ""))
        if description:
            add(quad(subject, _T["description"], literal(description), g))
        if bodies and row.get("body", "").strip():
            add(quad(subject, _T["body"], literal(clean_text(row["body"])), g))
            if len(row["body"]) >= BODY_LIMIT:
                reject(file, line, "body", f"{row['body'][:40]}...", f"the export cut this text at {BODY_LIMIT} "
                       "characters; stored as exported (read the rest on the entry's page)", row=False)
        return True

    def entries(kind: str, label: str):  # noqa: ANN202
        """(file, line, id, row) of every readable row of ``kind``; the others are counted here."""
        for file, rows in by_type.get(kind, []):
            ledger = ledgers[file]
            for line, row in rows:
                ledger.read += 1
                if not row:
                    ledger.filtered["empty row"] += 1
                    continue
                count(f"{label} read")
                if ERROR in row:
                    reject(file, line, "", "", row[ERROR])
                    continue
                pid = _ident(row.get("id", ""))
                if pid is None:
                    reject(file, line, "id", row.get("id", ""), "a Participedia id is a whole number in ASCII digits")
                    continue
                yield file, line, pid, row

    def mapped(file: Path, label: str) -> None:
        ledgers[file].kept += 1
        count(f"{label} mapped")

    # Methods first: cases and organisations link to them, and their titles decide the matches.
    for file, line, mid, row in entries("method", "methods"):
        m = iri(entity_iri("participedia-method", mid))
        if not common(m, row, file, line, "method", mid):
            continue
        mapped(file, "methods")
        method(mid, clean_text(row.get("title", "")))
        level = row.get("public_spectrum", "").strip()
        if level in IAP2:
            add(quad(m, _T["iap2"], iri(vocab.iri("iap2", IAP2[level])), g))
        elif level and level.casefold() not in NO_VALUE:
            reject(file, line, "public_spectrum", level, "not a level of the IAP2 spectrum; field left out", row=False)
        facets(m, row, file, line)
        for value in _values(row, "number_of_participants"):  # methods: size keys (small, large, ...)
            facet(m, "facet", "group-size", value)

    for file, line, oid, row in entries("organization", "organisations"):
        o = iri(entity_iri("organisation", f"participedia-{oid}"))
        if not common(o, row, file, line, "organization", oid):
            continue
        mapped(file, "organisations")
        organisation(oid, clean_text(row["title"]))
        sectors = _values(row, "sector")
        types = [SECTORS.get(s.casefold()) for s in sectors]
        for s, t in zip(sectors, types):
            if t is None:
                reject(file, line, "sector", s, "unknown sector; the organisation is typed as unspecified", row=False)
        for t in sorted({t for t in types if t} or {"unspecified"}):
            add(quad(o, _T["classification"], iri(vocab.iri("orgtype", t)), g))
        classified.add(o)
        place(o, row, file, line)
        links(o, row, file, line, ("specific_methods_tools_techniques",))
        facets(o, row, file, line)

    for file, line, cid, row in entries("case", "cases"):
        c = iri(entity_iri("case", f"participedia-{cid}"))
        if not common(c, row, file, line, "case", cid):
            continue
        mapped(file, "cases")
        add(quad(c, RDF_TYPE, _C["Case"], g))
        add(quad(c, _T["label"], literal(clean_text(row.get("title", ""))), g))
        dates = start_and_end(row, "start_date", "end_date",
                              lambda column, value, reason: reject(file, line, column, value, reason, row=False),
                              full=False)
        for prop, when in dates.items():
            add(quad(c, _T[prop], literal(when.lexical, when.datatype), g))
        place(c, row, file, line)
        parent_text = row.get("is_component_of_id", "").strip()
        parent = _ident(parent_text)
        if parent:
            add(quad(c, _T["partOf"], iri(entity_iri("case", f"participedia-{parent}")), g))
        elif parent_text:
            reject(file, line, "is_component_of_id", parent_text, "a Participedia id is a whole number; field left out", row=False)
        links(c, row, file, line, ("specific_methods_tools_techniques_titles", "specific_methods_tools_techniques"))
        level = row.get("public_spectrum", "").strip()
        if level in IAP2:
            add(quad(c, _T["iap2"], iri(vocab.iri("iap2", IAP2[level])), g))
        elif level and level.casefold() not in NO_VALUE:
            reject(file, line, "public_spectrum", level, "not a level of the IAP2 spectrum; field left out", row=False)
        facets(c, row, file, line)
        for value in _values(row, "number_of_participants"):
            try:
                n = count_of(value)
            except FieldError as err:
                reject(file, line, "number_of_participants", value[:80], f"{err}; field left out", row=False)
                continue
            if n is not None:
                add(quad(c, _T["participants"], literal(n, XSD_INTEGER), g))
        oid = _ident(row.get("primary_organizer_id", ""))
        if row.get("primary_organizer_id", "").strip() and oid is None:
            reject(file, line, "primary_organizer_id", row["primary_organizer_id"], "a Participedia id is a number; organiser left out", row=False)
        if oid:
            o = organisation(oid, clean_text(row.get("primary_organizer_title", "")))
            membership_quads(add, g, key=f"participedia-{oid}--organiser--participedia-case-{cid}", agent=o,
                             target=c, role="organiser", role_iri=iri(vocab.iri("role", "organiser")), sources=[doc])

    # Organisations only known as organisers of cases (no organisation export given) still
    # need a type for the shapes: unspecified, which says exactly that.
    for o in sorted(orgs_made - classified):
        add(quad(o, _T["classification"], iri(vocab.iri("orgtype", "unspecified")), g))
    counts["organisations (all, incl. organisers only named by cases)"] = len(orgs_made)
    counts["method concepts (all, incl. methods only named by links)"] = len(methods_made)
    return SourceResult(source, out, rejects, counts, ledgers=[ledgers[f] for f in files])


def _own_method_labels(vocab) -> dict[str, str]:  # noqa: ANN001
    """Normalised preferred and alternative labels of the project's methods -> concept key."""
    out: dict[str, str] = {}
    for key, label in vocab.labels.get("method", {}).items():
        out.setdefault(normalise_name(label), key)
    for key, labels in vocab.alt_labels.get("method", {}).items():
        for label in labels:
            out.setdefault(normalise_name(label), key)
    return out
