"""CORDIS project and organisation tables -> projects, organisations and participations.

Reads the two tables CORDIS publishes per framework programme (``project.csv`` and
``organization.csv``, Horizon Europe and H2020 layout) and maps them into the same model as the
curated records: ``schema:Project`` with its ``dkg:cordisProjectId``, organisations identified by
PIC (``id/organisation/pic-<PIC>``), and each participation as a qualified ``org:Membership``
plus its shortcut triples (:func:`ingest.mapping.membership_quads`).

Quirks handled (all seen in real exports): ``;`` or ``,`` separators (detected from the header),
quoted or bare fields, a BOM, ``True``/``False`` or ``true``/``false`` booleans, float or integer
amounts with ``.`` or ``,`` as decimal mark (``1499998.0``, ``1499998,5``), CORDIS's own country
codes ``EL`` (Greece) and ``UK`` (United Kingdom), organisations without a name (labelled by PIC).

Nothing is dropped silently: a row that cannot be mapped, or a field that cannot be read, is a
:class:`ingest.records.Problem` in the returned rejects (file, line, field, value, reason).

Examples
--------
>>> decimal_or_none("1499998.0"), decimal_or_none("1 234,50"), decimal_or_none("")
('1499998.0', '1234.5', None)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ontology import countries

from ..mapping import membership_quads
from ontology.namespaces import DCTERMS, DKG, ORG, RDFS, SCHEMA, SKOS, entity_iri, graph_iri
from ontology.nquads import RDF_TYPE, XSD_DATE, XSD_DECIMAL, is_valid_iri, iri, literal, quad

from ..records.load import Problem
from .result import SourceResult
from .checks import FieldError, Ledger, amount, identifier, is_empty, pic, read_rows, start_and_end
from .common import city, describe_source, progress, slug

#: CORDIS participant roles -> keys of the project's role scheme.
ROLES = {"coordinator": "coordinator", "participant": "participant", "partner": "partner",
         "thirdparty": "third-party", "associatedpartner": "associated-partner"}
#: CORDIS activity types -> keys of the project's organisation-type scheme.
ACTIVITY_TYPES = {"HES": "university", "REC": "research-organisation", "PRC": "company",
                  "PUB": "public-body", "OTH": "other"}
#: Framework programme codes -> (key, label) of the programme entity the source creates.
FRAMEWORKS = {"H2020": ("horizon-2020", "Horizon 2020"), "HORIZON": ("horizon-europe", "Horizon Europe"),
              "FP7": ("fp7", "Seventh Framework Programme (FP7)")}
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
PROJECT_REQUIRED = ("id",)
ORGANISATION_REQUIRED = ("projectID", "organisationID", "role")

_T = {name: iri(str(term)) for name, term in {
    "label": RDFS.label, "altLabel": SKOS.altLabel, "source": DCTERMS.source,
    "start": SCHEMA.startDate, "end": SCHEMA.endDate, "cordis": DKG.cordisProjectId, "rcn": DKG.cordisRcn, "acronym": DKG.acronym,
    "funder": SCHEMA.funder, "pic": DKG.pic, "country": DKG.country, "classification": ORG.classification,
    "totalCost": DKG.totalCost, "ecMax": DKG.ecMaxContribution, "ec": DKG.ecContribution,
    "fundingScheme": DKG.fundingScheme, "partOf": DCTERMS.isPartOf,
    "dctype": DCTERMS.type, "location": SCHEMA.location,
    "url": SCHEMA.url,
}.items()}
_C = {name: iri(str(term)) for name, term in {
    "Project": SCHEMA.Project, "Organization": ORG.Organization, "Programme": DKG.Programme,
    "FundingScheme": SCHEMA.FundingScheme,
}.items()}
_ID = re.compile(r"^\d+$")


@dataclass(frozen=True)
class CordisFilter:
    """Which projects to keep; every given criterion must hold (empty criteria keep everything).

    ``parts`` matches the H2020 ``programmePart`` (``SC6``, ``SWAFS``; a project listed under
    several parts, ``SC1,SC6``, matches when any of them does) or a prefix of the Horizon Europe
    ``legalBasis`` (``HORIZON.2.2``); ``since``/``until`` keep projects whose run overlaps those
    years; ``keywords`` match title or objective, case-insensitively.

    >>> CordisFilter(parts=frozenset({"SC6"})).refusing({"id": "1", "programmePart": "Innovation in SMEs,SC6"})
    >>> CordisFilter(parts=frozenset({"SC6"})).refusing({"id": "1", "programmePart": "SC1"})
    'parts'
    """

    parts: frozenset[str] = frozenset()
    frameworks: frozenset[str] = frozenset()
    since: int | None = None
    until: int | None = None
    keywords: tuple[str, ...] = ()
    project_ids: frozenset[str] = frozenset()

    def refusing(self, row: dict[str, str]) -> str | None:
        """The name of the first filter that refuses the project row, or ``None`` to keep it."""
        if self.project_ids and row["id"] not in self.project_ids:
            return "project_ids"
        if self.frameworks and row.get("frameworkProgramme", "") not in self.frameworks:
            return "frameworks"
        if self.parts:
            parts = programme_parts(row.get("programmePart", ""))
            basis = row.get("legalBasis", "")
            if not (self.parts.intersection(parts)
                    or any(basis == p or basis.startswith(p + ".") for p in self.parts)):
                return "parts"
        if self.since is not None and (row.get("endDate") or "9999")[:4] < f"{self.since:04d}":
            return "since"
        if self.until is not None and (row.get("startDate") or "0000")[:4] > f"{self.until:04d}":
            return "until"
        if self.keywords:
            text = f"{row.get('title', '')} {row.get('objective', '')}".casefold()
            if not any(k.casefold() in text for k in self.keywords):
                return "keywords"
        return None

    def keeps(self, row: dict[str, str]) -> bool:
        return self.refusing(row) is None


def programme_parts(text: str) -> list[str]:
    """The parts an H2020 ``programmePart`` lists (several are comma-separated).

    >>> programme_parts("Innovation in SMEs,SC6"), programme_parts(" SC6 "), programme_parts("")
    (['Innovation in SMEs', 'SC6'], ['SC6'], [])
    """
    return [p.strip() for p in text.split(",") if p.strip()]


def cordis_filter(options: dict, where: str = "") -> CordisFilter:
    """A :class:`CordisFilter` from a ``[source.filter]`` table; unknown keys are errors.

    >>> cordis_filter({"parts": ["SC6", "SWAFS"], "since": 2014}).parts == {"SC6", "SWAFS"}
    True
    """
    known = {"parts", "frameworks", "since", "until", "keywords", "project_ids"}
    unknown = set(options) - known
    if unknown:
        raise ValueError(f"{where}: unknown CORDIS filter(s) {', '.join(sorted(unknown))}; expected {', '.join(sorted(known))}")

    def strings(key: str) -> tuple[str, ...]:
        value = options.get(key, [])
        if isinstance(value, str | int):
            value = [value]
        return tuple(str(v) for v in value)

    def year(key: str) -> int | None:
        value = options.get(key)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError(f"{where}: filter {key} must be a year (an integer), not {value!r}")
        return value

    return CordisFilter(frozenset(strings("parts")), frozenset(strings("frameworks")), year("since"), year("until"),
                        strings("keywords"), frozenset(strings("project_ids")))


EMPTY = "__empty__"
ERROR = "__error__"


def read_table(path: Path) -> tuple[list[str], Iterable[tuple[int, dict[str, str]]]]:
    """Header and (line number, row) pairs of a CORDIS CSV file, separator detected.

    A record that cannot be read has the key ``__error__`` (the reason); an empty one ``__empty__``.
    """
    header, records = read_rows(path)
    with path.open("rb") as f:  # the progress bar's total
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))

    def rows() -> Iterable[tuple[int, dict[str, str]]]:
        for record in progress(records, lines, f"{path.parent.name}/{path.name}"):
            if record.error:
                yield record.line, {ERROR: record.error}
            elif is_empty(record):
                yield record.line, {EMPTY: ""}
            else:
                yield record.line, {h: v.strip() for h, v in zip(header, record.cells)}
    return header, rows()


def decimal_or_none(text: str) -> str | None:
    """Canonical ``xsd:decimal`` lexical form of a CORDIS amount (:func:`ingest.sources.checks.amount`)."""
    return amount(text)


def cordis_quads(directory: Path | str, source: str = "cordis", *, filters: CordisFilter | None = None,
                 title: str = "CORDIS projects and participations", retrieved: str | None = None,
                 role_iri=None, orgtype_iri=None) -> SourceResult:  # noqa: ANN001
    """Map ``project.csv`` and ``organization.csv`` in ``directory`` to N-Quads in ``graph/<source>``.

    ``role_iri`` and ``orgtype_iri`` turn a role or organisation-type key into its concept IRI
    (from :func:`ontology.vocab.load_vocabularies`); they default to the project's vocabularies.
    Every row of both files is kept, filtered (by the :class:`CordisFilter` criterion that
    refused it, or because its project was) or rejected: the result's ``ledgers`` add up.
    """
    if role_iri is None or orgtype_iri is None:
        from ontology.vocab import load_vocabularies

        vocab = load_vocabularies()
        role_iri = role_iri or (lambda key: vocab.iri("role", key))
        orgtype_iri = orgtype_iri or (lambda key: vocab.iri("orgtype", key))
    directory = Path(directory)
    filters = filters or CordisFilter()
    g = iri(graph_iri(source))
    out: list[str] = []
    add = out.append
    rejects: list[Problem] = []
    counts = {"projects read": 0, "projects kept": 0, "participations read": 0, "participations kept": 0,
              "organisations": 0, "rejected rows": 0}
    doc = iri(entity_iri("source", source))
    describe_source(add, g, doc, source, title=title, home="https://cordis.europa.eu/", licence=LICENCE,
                    retrieved=retrieved)
    project_file = directory / "project.csv"
    org_file = directory / "organization.csv"
    for path in (project_file, org_file):
        if not path.is_file():
            raise FileNotFoundError(f"CORDIS table not found: {path}")
    project_ledger, org_ledger = Ledger(project_file.name), Ledger(org_file.name)

    def reject(ledger: Ledger, line: int, field_: str, value: str, reason: str, row: bool = True) -> None:
        rejects.append(Problem(ledger.file, line, field_, value, reason))
        if row:
            counts["rejected rows"] += 1
            ledger.rejected += 1

    def keyed_rows(rows, ledger: Ledger, column: str, counter: str):  # noqa: ANN001, ANN202
        """(line, row, project id) of every row that can be read; the others are counted here, as
        filtered (empty) or rejected (unreadable, or a project id that is not a number)."""
        for line, row in rows:
            counts[counter] += 1
            ledger.read += 1
            if EMPTY in row:
                ledger.filtered["empty row"] += 1
                continue
            if ERROR in row:
                reject(ledger, line, "", "", row[ERROR])
                continue
            try:
                pid = identifier(row[column])
            except FieldError as err:
                reject(ledger, line, column, row[column], f"a CORDIS project id: {err}")
                continue
            yield line, row, pid

    projects: dict[str, str] = {}  # CORDIS id -> project IRI term, kept projects only
    refused: dict[str, str] = {}  # CORDIS id -> the filter that refused the project
    programmes: set[str] = set()
    schemes: set[str] = set()
    header, rows = read_table(project_file)
    missing = [c for c in PROJECT_REQUIRED if c not in header]
    if missing:
        raise ValueError(f"{project_file}: not a CORDIS project table (no column {', '.join(missing)})")
    for line, row, pid in keyed_rows(rows, project_ledger, "id", "projects read"):
        if pid in projects or pid in refused:
            reject(project_ledger, line, "id", pid, "duplicate project id")
            continue
        refusal = filters.refusing({**row, "id": pid})
        if refusal:
            refused[pid] = refusal
            project_ledger.filtered[refusal] += 1
            continue
        project_ledger.kept += 1
        # Some CORDIS-derived tables (the H2020 participations set) hold the record number
        # (rcn) in `id`, not the grant agreement number: then `rcn` repeats `id`, and the
        # project is keyed and labelled by its rcn instead.
        rcn = row.get("rcn", "").removesuffix(".0")
        by_rcn = rcn == pid
        p = iri(entity_iri("project", f"cordis-rcn-{pid}" if by_rcn else f"cordis-{pid}"))
        projects[pid] = p
        counts["projects kept"] += 1
        acronym = row.get("acronym", "")
        label = row.get("title") or acronym or (f"CORDIS project (record {pid})" if by_rcn else f"CORDIS project {pid}")
        add(quad(p, RDF_TYPE, _C["Project"], g))
        add(quad(p, _T["label"], literal(label), g))
        if not by_rcn:
            add(quad(p, _T["cordis"], literal(pid), g))
        if rcn and not by_rcn:
            try:
                add(quad(p, _T["rcn"], literal(identifier(rcn)), g))
            except FieldError as err:
                reject(project_ledger, line, "rcn", rcn, f"a record number: {err}; field left out", row=False)
        elif by_rcn:
            add(quad(p, _T["rcn"], literal(pid), g))
        add(quad(p, _T["source"], doc, g))
        if acronym:
            add(quad(p, _T["acronym"], literal(acronym), g))
        dates = start_and_end(row, "startDate", "endDate",
                              lambda column, value, reason: reject(project_ledger, line, column, value, reason, row=False))
        for predicate, when in dates.items():
            add(quad(p, _T[predicate], literal(when.lexical, XSD_DATE), g))
        for column, predicate in (("totalCost", "totalCost"), ("ecMaxContribution", "ecMax")):
            try:
                value = amount(row.get(column, ""))
            except FieldError as err:
                reject(project_ledger, line, column, row[column], f"{err}; field left out", row=False)
                continue
            if value is not None:
                add(quad(p, _T[predicate], literal(value, XSD_DECIMAL), g))
        framework = row.get("frameworkProgramme", "")
        parts = programme_parts(row.get("programmePart", "")) or programme_parts(row.get("legalBasis", ""))[:1]
        for funder in _programmes(add, g, doc, framework, parts, programmes):
            add(quad(p, _T["funder"], funder, g))
        scheme = row.get("fundingScheme", "")
        if scheme and slug(scheme):
            s = iri(entity_iri("programme", f"cordis-scheme-{slug(scheme)}"))
            if scheme not in schemes:
                schemes.add(scheme)
                add(quad(s, RDF_TYPE, _C["FundingScheme"], g))
                add(quad(s, _T["label"], literal(f"CORDIS funding scheme {scheme}"), g))
                add(quad(s, _T["source"], doc, g))
            add(quad(p, _T["fundingScheme"], s, g))
        elif scheme:
            reject(project_ledger, line, "fundingScheme", scheme, "no letters or digits to key the scheme by; field left out", row=False)

    organisations: dict[str, str] = {}  # PIC -> label written
    classified: set[str] = set()
    header, rows = read_table(org_file)
    missing = [c for c in ORGANISATION_REQUIRED if c not in header]
    if missing:
        raise ValueError(f"{org_file}: not a CORDIS organisation table (no column {', '.join(missing)})")
    seen: dict[str, int] = {}
    for line, row, pid in keyed_rows(rows, org_ledger, "projectID", "participations read"):
        if pid not in projects:
            if pid in refused:
                org_ledger.filtered[f"project not kept ({refused[pid]})"] += 1
            else:
                reject(org_ledger, line, "projectID", pid, f"no project with this id in {project_file.name}")
            continue
        try:
            pic_ = pic(row["organisationID"])
        except FieldError as err:
            reject(org_ledger, line, "organisationID", row["organisationID"], str(err))
            continue
        role_key = ROLES.get(row["role"].replace("_", "").replace(" ", "").lower())
        if role_key is None:
            reject(org_ledger, line, "role", row["role"], f"unknown CORDIS role; expected one of {', '.join(sorted(ROLES))}")
            continue
        key = f"pic-{pic_}--{role_key}--cordis-{pid}"
        if key in seen:
            # The same organisation in the same role twice in one project (CORDIS lists some
            # twice, e.g. with two addresses): the first row stands, this one is reported.
            reject(org_ledger, line, "organisationID", pic_,
                   f"repeats the participation {key} of line {seen[key]}; this row's values "
                   f"(ecContribution={row.get('ecContribution', '')!r}) left out")
            counts["participations merged"] = counts.get("participations merged", 0) + 1
            continue
        seen[key] = line
        org_ledger.kept += 1
        o = iri(entity_iri("organisation", f"pic-{pic_}"))
        name = row.get("name", "")
        if pic_ not in organisations:
            organisations[pic_] = name
            add(quad(o, RDF_TYPE, _C["Organization"], g))
            add(quad(o, _T["label"], literal(name or f"PIC {pic_}"), g))
            add(quad(o, _T["pic"], literal(pic_), g))
            add(quad(o, _T["source"], doc, g))
        elif name and not organisations[pic_]:
            organisations[pic_] = name  # a later row names an organisation first seen without one
            add(quad(o, _T["altLabel"], literal(name), g))
        elif name and name != organisations[pic_]:
            add(quad(o, _T["altLabel"], literal(name), g))
        if row.get("shortName"):
            add(quad(o, _T["altLabel"], literal(row["shortName"]), g))
        activity = row.get("activityType", "")
        if activity:
            if activity in ACTIVITY_TYPES:
                add(quad(o, _T["classification"], iri(orgtype_iri(ACTIVITY_TYPES[activity])), g))
                classified.add(pic_)
            else:
                reject(org_ledger, line, "activityType", activity, f"unknown activity type; expected one of "
                       f"{', '.join(ACTIVITY_TYPES)}; field left out (typed unspecified unless another row types it)", row=False)
        code = row.get("country", "")
        country = countries.lookup(code) if code else None
        if code and country is None:
            reject(org_ledger, line, "country", code, "unknown country code; field left out", row=False)
        elif country is not None:
            add(quad(o, _T["country"], iri(country.iri), g))
            name_of_city = row.get("city", "")
            c = city(add, g, doc, name_of_city.title() if name_of_city.isupper() else name_of_city, country)
            if c:
                add(quad(o, _T["location"], c, g))
        if row.get("organizationURL"):
            url = row["organizationURL"]
            if re.match(r"^https?://[^\s<>\"{}|\\^`]+$", url) and is_valid_iri(url):
                add(quad(o, _T["url"], iri(url), g))
            else:
                reject(org_ledger, line, "organizationURL", url, "not a web address; field left out", row=False)
        m = membership_quads(add, g, key=key, agent=o, target=projects[pid], role=role_key,
                             role_iri=iri(role_iri(role_key)), sources=[doc])
        try:
            value = amount(row.get("ecContribution", ""))
        except FieldError as err:
            reject(org_ledger, line, "ecContribution", row["ecContribution"], f"{err}; field left out", row=False)
        else:
            if value is not None:
                add(quad(m, _T["ec"], literal(value, XSD_DECIMAL), g))
        counts["participations kept"] += 1
    # The shapes want every organisation typed; one whose rows gave no known activity type is
    # typed unspecified, which says exactly that.
    for pic_ in sorted(set(organisations) - classified):
        add(quad(iri(entity_iri("organisation", f"pic-{pic_}")), _T["classification"], iri(orgtype_iri("unspecified")), g))
    counts["organisations"] = len(organisations)
    return SourceResult(source, out, rejects, counts, ledgers=[project_ledger, org_ledger])


def _programmes(add, g: str, doc: str, framework: str, parts: list[str], seen: set[str]) -> list[str]:  # noqa: ANN001
    """The programme entities a project is funded under: its parts if given, else the framework."""
    if not framework or not slug(framework):
        return []
    fkey, flabel = FRAMEWORKS.get(framework, (slug(framework), framework))
    f = iri(entity_iri("programme", f"cordis-{fkey}"))
    if f not in seen:
        seen.add(f)
        add(quad(f, RDF_TYPE, _C["Programme"], g))
        add(quad(f, RDF_TYPE, _C["FundingScheme"], g))
        add(quad(f, _T["label"], literal(flabel), g))
        add(quad(f, _T["dctype"], iri(entity_iri("programmetype", "framework-programme")), g))
        add(quad(f, _T["source"], doc, g))
    out = [_part(add, g, doc, f, fkey, flabel, part, seen) for part in parts if slug(part)]
    return out or [f]


def _part(add, g: str, doc: str, f: str, fkey: str, flabel: str, part: str, seen: set[str]) -> str:  # noqa: ANN001
    p = iri(entity_iri("programme", f"cordis-{fkey}-{slug(part)}"))
    if p not in seen:
        seen.add(p)
        add(quad(p, RDF_TYPE, _C["Programme"], g))
        add(quad(p, RDF_TYPE, _C["FundingScheme"], g))
        add(quad(p, _T["label"], literal(f"{flabel}: {part}"), g))
        add(quad(p, _T["dctype"], iri(entity_iri("programmetype", "programme-strand")), g))
        add(quad(p, _T["partOf"], f, g))
        add(quad(p, _T["source"], doc, g))
    return p
