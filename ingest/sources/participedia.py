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

import csv
import html
import re
from pathlib import Path

from .. import countries
from ..mapping import membership_quads
from ..namespaces import DCTERMS, DKG, ORG, RDFS, SCHEMA, SKOS, entity_iri, graph_iri
from ..nquads import RDF_TYPE, XSD_DECIMAL, XSD_INTEGER, iri, literal, quad
from ..records.fields import When
from ..records.load import Problem
from . import SourceResult
from .common import city, describe_source, progress, slug

LICENCE = "https://creativecommons.org/licenses/by-nc-sa/3.0/"
ATTRIBUTION = "Participedia, participedia.net"
#: Participedia's exporter cuts long texts at this many characters (a spreadsheet cell limit).
BODY_LIMIT = 32_766
GEO = "http://www.w3.org/2003/01/geo/wgs84_pos#"
#: Participedia ``sector`` values (both vocabularies) -> keys of the organisation-type scheme.
SECTORS = {
    "non_profit_non_gov": "civil-society-organisation", "non-profit or non governmental": "civil-society-organisation",
    "community_based_organization": "civil-society-organisation", "community based organization": "civil-society-organisation",
    "social_movement": "civil-society-organisation", "social movement": "civil-society-organisation",
    "faith_based_organization": "civil-society-organisation", "faith-based organization": "civil-society-organisation",
    "governmental": "public-body", "governmental organization": "public-body", "government": "public-body",
    "government_owned_corporation": "public-body", "government owned corporation": "public-body",
    "academic_institution": "university", "academic institution": "university", "academic": "university",
    "research_institution": "research-organisation", "research institution": "research-organisation",
    "for_profit": "company", "for-profit business": "company", "for profit": "company",
    "philanthropic_organization": "funding-body", "philanthropic organization": "funding-body",
    "international_organization": "other", "international organization": "other",
    "think_tank": "think-tank", "think tank": "think-tank",
}
IAP2 = {"inform": "inform", "consult": "consult", "involve": "involve", "collaborate": "collaborate", "empower": "empower"}
#: Case facets kept as Participedia concepts: column stem -> (property, scheme suffix).
CASE_FACETS = {
    "purposes": ("purpose", "purpose"), "scope_of_influence": ("scope", "scope"),
    "recruitment_method": ("recruitment", "recruitment"), "decision_methods": ("decisionMethod", "decision-method"),
    "general_issues": ("issue", "issue"), "method_types": ("methodType", "method-type"),
    "open_limited": ("openness", "openness"), "facetoface_online_or_both": ("mode", "mode"),
}
METHOD_FACETS = {
    "method_types": ("methodType", "method-type"), "scope_of_influence": ("scope", "scope"),
    "purpose_method": ("purpose", "purpose"), "recruitment_method": ("recruitment", "recruitment"),
    "decision_methods": ("decisionMethod", "decision-method"), "open_limited": ("openness", "openness"),
    "facetoface_online_or_both": ("mode", "mode"),
}
ORGANISATION_FACETS = {"scope_of_influence": ("scope", "scope"), "general_issues": ("issue", "issue")}
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
_T.update({name: iri(str(DKG[name])) for spec in (CASE_FACETS, METHOD_FACETS, ORGANISATION_FACETS)
           for name, _ in spec.values()})
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


def parse_links(text: str) -> list[tuple[str, str, str]]:
    """(id, type, title) of every entry linked in a Postgres array or single composite row."""
    text = text.strip()
    if text.startswith("{") and text.endswith("}"):
        # Array elements are quoted strings whose inner quotes are backslash-escaped.
        text = text[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    out = []
    for m in _LINK.finditer(text):
        title = m.group(3)
        if title.startswith('"') and title.endswith('"'):
            title = title[1:-1].replace('""', '"').replace('\\"', '"')
        out.append((m.group(1), m.group(2), clean_text(title)))
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
    m = _ID.match(value.strip())
    return m.group(1) if m else None


def read_export(path: Path) -> tuple[str, list[tuple[int, dict[str, str]]]]:
    """The entry type of a Participedia export file and its (line, row) pairs."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        rows = []
        reader.fieldnames  # noqa: B018 - reads the header now, so that line_num counts it
        end = reader.line_num  # the header's last line
        for row in progress(reader, None, path.name):
            # Report the line a record starts on (records may span lines: embedded newlines).
            start, end = end + 1, reader.line_num
            rows.append((start, {(k or "").strip(): (v if isinstance(v, str) else "") for k, v in row.items()}))
    types = {r["type"].strip() for _, r in rows if r.get("type")}
    if len(types) != 1:
        raise ValueError(f"{path}: not a Participedia export (expected one entry type in column 'type', found {sorted(types)})")
    return types.pop(), rows


def participedia_quads(paths: list[Path] | Path, source: str = "participedia", *, bodies: bool = False,
                       title: str = "Participedia exports", retrieved: str | None = None,
                       vocab=None) -> SourceResult:  # noqa: ANN001
    """Map Participedia export files (or every ``*.csv`` in a directory) into ``graph/<source>``."""
    if vocab is None:
        from ..vocab import load_vocabularies

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
    for f in files:
        kind, rows = read_export(f)
        by_type.setdefault(kind, []).append((f, rows))
    unknown = set(by_type) - {"case", "method", "organization"}
    if unknown:
        raise ValueError(f"unknown Participedia entry type(s) {sorted(unknown)} in {[str(f) for k in unknown for f, _ in by_type[k]]}")

    g = iri(graph_iri(source))
    out: list[str] = []
    add = out.append
    rejects: list[Problem] = []
    counts: dict[str, int] = {}
    doc = iri(entity_iri("source", source))
    describe_source(add, g, doc, source, title=title, home="https://participedia.net/", licence=LICENCE,
                    retrieved=retrieved, attribution=ATTRIBUTION)
    matches = _own_method_labels(vocab)
    schemes_made: set[str] = set()
    concepts_made: set[str] = set()
    methods_made: set[str] = set()
    orgs_made: set[str] = set()
    classified: set[str] = set()  # organisations typed from an organisation export's sector

    def count(key: str) -> None:
        counts[key] = counts.get(key, 0) + 1

    def reject(file: Path, line: int, field_: str, value: str, reason: str, row: bool = True) -> None:
        rejects.append(Problem(file.name, line, field_, value, reason))
        if row:
            count("rejected rows")

    def scheme(suffix: str, label: str) -> str:
        s = iri(entity_iri("scheme", f"participedia-{suffix}"))
        if s not in schemes_made:
            schemes_made.add(s)
            add(quad(s, RDF_TYPE, _C["Scheme"], g))
            add(quad(s, _T["pref"], literal(label, lang="en"), g))
            add(quad(s, _T["dctitle"], literal(label, lang="en"), g))
            add(quad(s, _T["source"], doc, g))
        return s

    def facet(subject: str, prop: str, suffix: str, value: str) -> None:
        key = slug(value)
        if not key:
            return
        c = iri(entity_iri(f"participedia-{suffix}", key))
        if c not in concepts_made:
            concepts_made.add(c)
            add(quad(c, RDF_TYPE, _C["Concept"], g))
            add(quad(c, _T["pref"], literal(value), g))
            add(quad(c, _T["inScheme"], scheme(suffix, f"Participedia: {suffix.replace('-', ' ')}"), g))
            add(quad(c, _T["source"], doc, g))
        add(quad(subject, _T[prop], c, g))

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
                value = float(text)
                if not -bound <= value <= bound:
                    raise ValueError
            except ValueError:
                reject(file, line, column, text, f"not a coordinate (-{bound}..{bound}); field left out", row=False)
                continue
            add(quad(subject, _T[prop], literal(repr(value), XSD_DECIMAL), g))

    def common(subject: str, row: dict[str, str], file: Path, line: int, kind: str, pid: str) -> bool:
        name = clean_text(row.get("title", ""))
        if not name:
            reject(file, line, "title", "", "an entry needs a title")
            return False
        if re.search(r"\bTEST\s*$", name):
            reject(file, line, "title", name, "a test record (title ends in TEST); left out")
            return False
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

    # Methods first: cases and organisations link to them, and their titles decide the matches.
    for file, rows in by_type.get("method", []):
        for line, row in rows:
            count("methods read")
            mid = _ident(row.get("id", ""))
            if mid is None:
                reject(file, line, "id", row.get("id", ""), "a Participedia id is a number")
                continue
            m = iri(entity_iri("participedia-method", mid))
            if m in methods_made:
                reject(file, line, "id", mid, "duplicate method id")
                continue
            name = clean_text(row.get("title", ""))
            if not common(m, row, file, line, "method", mid):
                continue
            method(mid, name)
            level = row.get("public_spectrum", "").strip()
            if level in IAP2:
                add(quad(m, _T["iap2"], iri(vocab.iri("iap2", IAP2[level])), g))
            for stem, (prop, suffix) in METHOD_FACETS.items():
                for value in _values(row, stem):
                    facet(m, prop, suffix, value)
            count("methods mapped")

    for file, rows in by_type.get("organization", []):
        for line, row in rows:
            count("organisations read")
            oid = _ident(row.get("id", ""))
            if oid is None:
                reject(file, line, "id", row.get("id", ""), "a Participedia id is a number")
                continue
            o = iri(entity_iri("organisation", f"participedia-{oid}"))
            if o in orgs_made:
                reject(file, line, "id", oid, "duplicate organisation id")
                continue
            if not common(o, row, file, line, "organization", oid):
                continue
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
            for stem in ("type_method", "type_tool", "specific_methods_tools_techniques"):
                for value in _values(row, stem):
                    for lid, ltype, lname in parse_links(value):
                        if ltype == "method":
                            add(quad(o, _T["method"], method(lid, lname), g))
            for stem, (prop, suffix) in ORGANISATION_FACETS.items():
                for value in _values(row, stem):
                    facet(o, prop, suffix, value)
            count("organisations mapped")

    for file, rows in by_type.get("case", []):
        for line, row in rows:
            count("cases read")
            cid = _ident(row.get("id", ""))
            if cid is None:
                reject(file, line, "id", row.get("id", ""), "a Participedia id is a number")
                continue
            c = iri(entity_iri("case", f"participedia-{cid}"))
            name = clean_text(row.get("title", ""))
            if not common(c, row, file, line, "case", cid):
                continue
            add(quad(c, RDF_TYPE, _C["Case"], g))
            add(quad(c, _T["label"], literal(name), g))
            dates = {}
            for column, prop in (("start_date", "start"), ("end_date", "end")):
                text = row.get(column, "").strip()
                if not text:
                    continue
                try:
                    when = When.parse(text[:10])
                    dates[prop] = when
                    add(quad(c, _T[prop], literal(when.lexical, when.datatype), g))
                except ValueError as err:
                    reject(file, line, column, text, f"date not read ({err}); field left out", row=False)
            if len(dates) == 2 and not dates["start"] <= dates["end"]:
                reject(file, line, "end_date", dates["end"].lexical, "end before start; end date left out", row=False)
                out.remove(quad(c, _T["end"], literal(dates["end"].lexical, dates["end"].datatype), g))
            place(c, row, file, line)
            parent = _ident(row.get("is_component_of_id", ""))
            if parent:
                add(quad(c, _T["partOf"], iri(entity_iri("case", f"participedia-{parent}")), g))
            for column in ("specific_methods_tools_techniques_titles", "specific_methods_tools_techniques"):
                for lid, ltype, lname in parse_links(row.get(column, "")):
                    if ltype == "method":
                        add(quad(c, _T["method"], method(lid, lname), g))
            level = row.get("public_spectrum", "").strip()
            if level in IAP2:
                add(quad(c, _T["iap2"], iri(vocab.iri("iap2", IAP2[level])), g))
            elif level and level.casefold() not in NO_VALUE:
                reject(file, line, "public_spectrum", level, "not a level of the IAP2 spectrum; field left out", row=False)
            for stem, (prop, suffix) in CASE_FACETS.items():
                for value in _values(row, stem):
                    facet(c, prop, suffix, value)
            for value in _values(row, "number_of_participants"):
                n = _ident(value)
                if n is None:
                    reject(file, line, "number_of_participants", value, "not a whole number; field left out", row=False)
                else:
                    add(quad(c, _T["participants"], literal(n, XSD_INTEGER), g))
            oid = _ident(row.get("primary_organizer_id", ""))
            if row.get("primary_organizer_id", "").strip() and oid is None:
                reject(file, line, "primary_organizer_id", row["primary_organizer_id"], "a Participedia id is a number; organiser left out", row=False)
            if oid:
                o = organisation(oid, clean_text(row.get("primary_organizer_title", "")))
                membership_quads(add, g, key=f"participedia-{oid}--organiser--participedia-case-{cid}", agent=o,
                                 target=c, role="organiser", role_iri=iri(vocab.iri("role", "organiser")), sources=[doc])
            count("cases mapped")

    # Organisations only known as organisers of cases (no organisation export given) still
    # need a type for the shapes: unspecified, which says exactly that.
    for o in sorted(orgs_made - classified):
        add(quad(o, _T["classification"], iri(vocab.iri("orgtype", "unspecified")), g))
    counts["organisations (all, incl. organisers only named by cases)"] = len(orgs_made)
    counts["method concepts (all, incl. methods only named by links)"] = len(methods_made)
    return SourceResult(source, out, rejects, counts)


def _own_method_labels(vocab) -> dict[str, str]:  # noqa: ANN001
    """Normalised preferred and alternative labels of the project's methods -> concept key."""
    out: dict[str, str] = {}
    for key, label in vocab.labels.get("method", {}).items():
        out.setdefault(normalise_name(label), key)
    for key, labels in vocab.alt_labels.get("method", {}).items():
        for label in labels:
            out.setdefault(normalise_name(label), key)
    return out
