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

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .. import countries
from ..mapping import membership_quads
from ..namespaces import DCTERMS, DKG, ORG, RDFS, SCHEMA, SKOS, entity_iri, graph_iri
from ..nquads import RDF_TYPE, XSD_DATE, XSD_DECIMAL, iri, literal, quad
from ..records.fields import When
from ..records.load import Problem
from . import SourceResult
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

    ``parts`` matches the H2020 ``programmePart`` (``SC6``, ``SWAFS``) or a prefix of the Horizon
    Europe ``legalBasis`` (``HORIZON.2.2``); ``since``/``until`` keep projects whose run overlaps
    those years; ``keywords`` match title or objective, case-insensitively.
    """

    parts: frozenset[str] = frozenset()
    frameworks: frozenset[str] = frozenset()
    since: int | None = None
    until: int | None = None
    keywords: tuple[str, ...] = ()
    project_ids: frozenset[str] = frozenset()

    def keeps(self, row: dict[str, str]) -> bool:
        if self.project_ids and row["id"] not in self.project_ids:
            return False
        if self.frameworks and row.get("frameworkProgramme", "") not in self.frameworks:
            return False
        if self.parts:
            part = row.get("programmePart", "")
            basis = row.get("legalBasis", "")
            if part not in self.parts and not any(basis == p or basis.startswith(p + ".") for p in self.parts):
                return False
        if self.since is not None and (row.get("endDate") or "9999")[:4] < f"{self.since:04d}":
            return False
        if self.until is not None and (row.get("startDate") or "0000")[:4] > f"{self.until:04d}":
            return False
        if self.keywords:
            text = f"{row.get('title', '')} {row.get('objective', '')}".casefold()
            if not any(k.casefold() in text for k in self.keywords):
                return False
        return True


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
        if not isinstance(value, int):
            raise ValueError(f"{where}: filter {key} must be a year (an integer), not {value!r}")
        return value

    return CordisFilter(frozenset(strings("parts")), frozenset(strings("frameworks")), year("since"), year("until"),
                        strings("keywords"), frozenset(strings("project_ids")))


def detect_delimiter(header: str) -> str:
    """``;`` or ``,``: whichever separates more fields of the header line.

    >>> detect_delimiter('id;acronym;title'), detect_delimiter('"id","acronym",title')
    (';', ',')
    """
    return ";" if header.count(";") > header.count(",") else ","


def read_table(path: Path) -> tuple[list[str], Iterable[tuple[int, dict[str, str]]]]:
    """Header and (line number, row) pairs of a CORDIS CSV file, separator detected."""
    text = path.read_text(encoding="utf-8-sig")
    first = text.split("\n", 1)[0]
    reader = csv.reader(text.splitlines(keepends=True), delimiter=detect_delimiter(first))
    header = [h.strip() for h in next(reader, [])]
    lines = text.count("\n")

    def rows() -> Iterable[tuple[int, dict[str, str]]]:
        end = reader.line_num
        for values in progress(reader, lines, f"{path.parent.name}/{path.name}"):
            # The line a record starts on (a quoted field may hold newlines).
            line, end = end + 1, reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                yield line, {"__error__": f"{len(values)} fields, the header has {len(header)}"}
                continue
            yield line, {h: v.strip() for h, v in zip(header, values)}
    return header, rows()


def decimal_or_none(text: str) -> str | None:
    """Canonical ``xsd:decimal`` lexical form of a CORDIS amount; ``None`` when empty.

    Raises ``ValueError`` on text that is not a number.
    """
    text = text.replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # decimal comma (official ;-separated files)
    elif "," in text:
        text = text.replace(",", "")  # thousands separators
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError("not a number") from None
    if not value.is_finite():
        raise ValueError("not a number")
    out = format(value.normalize(), "f")
    return out if "." in out else out + ".0"


def cordis_quads(directory: Path | str, source: str = "cordis", *, filters: CordisFilter | None = None,
                 title: str = "CORDIS projects and participations", retrieved: str | None = None,
                 role_iri=None, orgtype_iri=None) -> SourceResult:  # noqa: ANN001
    """Map ``project.csv`` and ``organization.csv`` in ``directory`` to N-Quads in ``graph/<source>``.

    ``role_iri`` and ``orgtype_iri`` turn a role or organisation-type key into its concept IRI
    (from :func:`ingest.vocab.load_vocabularies`); they default to the project's vocabularies.
    """
    if role_iri is None or orgtype_iri is None:
        from ..vocab import load_vocabularies

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

    def reject(file: str, line: int, field_: str, value: str, reason: str, row: bool = True) -> None:
        rejects.append(Problem(file, line, field_, value, reason))
        if row:
            counts["rejected rows"] += 1

    project_file = directory / "project.csv"
    org_file = directory / "organization.csv"
    for path in (project_file, org_file):
        if not path.is_file():
            raise FileNotFoundError(f"CORDIS table not found: {path}")

    projects: dict[str, str] = {}  # CORDIS id -> project IRI term, kept projects only
    programmes: set[str] = set()
    schemes: set[str] = set()
    header, rows = read_table(project_file)
    missing = [c for c in PROJECT_REQUIRED if c not in header]
    if missing:
        raise ValueError(f"{project_file}: not a CORDIS project table (no column {', '.join(missing)})")
    for line, row in rows:
        counts["projects read"] += 1
        if "__error__" in row:
            reject(project_file.name, line, "", "", row["__error__"])
            continue
        pid = row["id"].removesuffix(".0")
        if not _ID.match(pid):
            reject(project_file.name, line, "id", row["id"], "a CORDIS project id is a number")
            continue
        if pid in projects:
            reject(project_file.name, line, "id", pid, "duplicate project id")
            continue
        if not filters.keeps({**row, "id": pid}):
            continue
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
        if rcn and _ID.match(rcn):
            add(quad(p, _T["rcn"], literal(rcn), g))
        add(quad(p, _T["source"], doc, g))
        if acronym:
            add(quad(p, _T["acronym"], literal(acronym), g))
        dates = {}
        for column, predicate in (("startDate", "start"), ("endDate", "end")):
            text = row.get(column, "")
            if text:
                try:
                    when = When.parse(text[:10])
                    if when.datatype != XSD_DATE:
                        raise ValueError("expected a full date (YYYY-MM-DD)")
                    dates[predicate] = when
                    add(quad(p, _T[predicate], literal(when.lexical, XSD_DATE), g))
                except ValueError as err:
                    reject(project_file.name, line, column, text, f"date not read: {err}; field left out", row=False)
        if len(dates) == 2 and not dates["start"] <= dates["end"]:
            reject(project_file.name, line, "endDate", dates["end"].lexical, "end before start; both dates kept as given", row=False)
        for column, predicate in (("totalCost", "totalCost"), ("ecMaxContribution", "ecMax")):
            try:
                amount = decimal_or_none(row.get(column, ""))
            except ValueError as err:
                reject(project_file.name, line, column, row[column], f"{err}; field left out", row=False)
                continue
            if amount is not None:
                add(quad(p, _T[predicate], literal(amount, XSD_DECIMAL), g))
        framework = row.get("frameworkProgramme", "")
        part = row.get("programmePart") or row.get("legalBasis", "")
        funder = _programme(add, g, doc, framework, part, programmes)
        if funder:
            add(quad(p, _T["funder"], funder, g))
        scheme = row.get("fundingScheme", "")
        if scheme:
            s = iri(entity_iri("programme", f"cordis-scheme-{slug(scheme)}"))
            if scheme not in schemes:
                schemes.add(scheme)
                add(quad(s, RDF_TYPE, _C["FundingScheme"], g))
                add(quad(s, _T["label"], literal(f"CORDIS funding scheme {scheme}"), g))
                add(quad(s, _T["source"], doc, g))
            add(quad(p, _T["fundingScheme"], s, g))

    organisations: dict[str, str] = {}  # PIC -> label written
    header, rows = read_table(org_file)
    missing = [c for c in ORGANISATION_REQUIRED if c not in header]
    if missing:
        raise ValueError(f"{org_file}: not a CORDIS organisation table (no column {', '.join(missing)})")
    seen: set[str] = set()
    for line, row in rows:
        counts["participations read"] += 1
        if "__error__" in row:
            reject(org_file.name, line, "", "", row["__error__"])
            continue
        pid = row["projectID"].removesuffix(".0")
        if pid not in projects:
            if not _ID.match(pid):
                reject(org_file.name, line, "projectID", row["projectID"], "a CORDIS project id is a number")
            elif filters == CordisFilter():
                reject(org_file.name, line, "projectID", pid, "no project with this id in project.csv")
            continue  # otherwise the project was filtered out
        pic = row["organisationID"].removesuffix(".0")
        if not _ID.match(pic):
            reject(org_file.name, line, "organisationID", row["organisationID"], "a PIC is a number")
            continue
        role_key = ROLES.get(row["role"].replace("_", "").replace(" ", "").lower())
        if role_key is None:
            reject(org_file.name, line, "role", row["role"], f"unknown CORDIS role; expected one of {', '.join(sorted(ROLES))}")
            continue
        o = iri(entity_iri("organisation", f"pic-{pic}"))
        name = row.get("name", "")
        if pic not in organisations:
            organisations[pic] = name
            add(quad(o, RDF_TYPE, _C["Organization"], g))
            add(quad(o, _T["label"], literal(name or f"PIC {pic}"), g))
            add(quad(o, _T["pic"], literal(pic), g))
            add(quad(o, _T["source"], doc, g))
        elif name and not organisations[pic]:
            organisations[pic] = name  # a later row names an organisation first seen without one
            add(quad(o, _T["altLabel"], literal(name), g))
        elif name and name != organisations[pic]:
            add(quad(o, _T["altLabel"], literal(name), g))
        if row.get("shortName"):
            add(quad(o, _T["altLabel"], literal(row["shortName"]), g))
        activity = row.get("activityType", "")
        if activity:
            if activity in ACTIVITY_TYPES:
                add(quad(o, _T["classification"], iri(orgtype_iri(ACTIVITY_TYPES[activity])), g))
            else:
                reject(org_file.name, line, "activityType", activity, f"unknown activity type; expected one of {', '.join(ACTIVITY_TYPES)}; field left out", row=False)
        code = row.get("country", "")
        country = countries.lookup(code) if code else None
        if code and country is None:
            reject(org_file.name, line, "country", code, "unknown country code; field left out", row=False)
        elif country is not None:
            add(quad(o, _T["country"], iri(country.iri), g))
            name_of_city = row.get("city", "")
            c = city(add, g, doc, name_of_city.title() if name_of_city.isupper() else name_of_city, country)
            if c:
                add(quad(o, _T["location"], c, g))
        if row.get("organizationURL"):
            url = row["organizationURL"]
            if re.match(r"^https?://[^\s<>\"{}|\\^`]+$", url):
                add(quad(o, _T["url"], iri(url), g))
            else:
                reject(org_file.name, line, "organizationURL", url, "not a web address; field left out", row=False)
        key = f"pic-{pic}--{role_key}--cordis-{pid}"
        if key in seen:
            # The same organisation in the same role twice in one project (CORDIS lists some
            # twice, e.g. with two addresses): the first row stands, this one is reported.
            reject(org_file.name, line, "organisationID", pic,
                   f"repeats the participation {key} of an earlier row; this row's values "
                   f"(ecContribution={row.get('ecContribution', '')!r}) left out", row=False)
            counts["participations merged"] = counts.get("participations merged", 0) + 1
            continue
        seen.add(key)
        m = membership_quads(add, g, key=key, agent=o, target=projects[pid], role=role_key,
                             role_iri=iri(role_iri(role_key)), sources=[doc])
        try:
            amount = decimal_or_none(row.get("ecContribution", ""))
        except ValueError as err:
            reject(org_file.name, line, "ecContribution", row["ecContribution"], f"{err}; field left out", row=False)
        else:
            if amount is not None:
                add(quad(m, _T["ec"], literal(amount, XSD_DECIMAL), g))
        counts["participations kept"] += 1
    counts["organisations"] = len(organisations)
    return SourceResult(source, out, rejects, counts)


def _programme(add, g: str, doc: str, framework: str, part: str, seen: set[str]) -> str | None:  # noqa: ANN001
    """The programme entity a project is funded under: the part if given, else the framework."""
    if not framework:
        return None
    fkey, flabel = FRAMEWORKS.get(framework, (slug(framework), framework))
    f = iri(entity_iri("programme", f"cordis-{fkey}"))
    if f not in seen:
        seen.add(f)
        add(quad(f, RDF_TYPE, _C["Programme"], g))
        add(quad(f, RDF_TYPE, _C["FundingScheme"], g))
        add(quad(f, _T["label"], literal(flabel), g))
        add(quad(f, _T["dctype"], iri(entity_iri("programmetype", "framework-programme")), g))
        add(quad(f, _T["source"], doc, g))
    if not part or not slug(part):
        return f
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
