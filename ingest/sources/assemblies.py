"""The UK Citizens' Assembly Register (mySociety) -> cases, commissioning bodies and facilitators.

The register (``register.csv`` of mySociety's ``citizen-assembly-data`` data package, CC BY 4.0)
lists citizens' assemblies and juries held or commissioned by UK public bodies, one row each. Every
row becomes a ``dkg:Case`` ``id/case/mysociety-<unique_id>`` in the same model as Participedia's
cases, and the two organisations in it become qualified memberships like every other source's:

- the **commissioner** (``org_name``), an organisation typed from ``authority_type`` (a council
  is local government, which is a public body); councils are keyed by mySociety's local authority
  code (``id/organisation/uk-council-<code>``, ``dkg:localAuthorityCode``), so one council written
  two ways ("Borough of Barrow-in-Furness", "Barrow-in-Furness Borough Council") is one node;
  other bodies by their name (``id/organisation/mysociety-<name>``);
- the **facilitator(s)** (``faciliator``, misspelt in the source): a cell may name several
  (``Democratic Society/Sorition Foundation``, ``Sortition Foundation and Involve Foundation``).
  Names are folded as entity resolution folds them (case, a leading "The", legal-form words such
  as "Foundation"), and spellings of one file that differ by a typo (``Citizn Juries`` /
  ``Citizens Juries``) are joined when rapidfuzz's ratio reaches
  :data:`ingest.resolve.NAME_THRESHOLD`. Each joined spelling is reported as a match
  (``matches.csv``, rule ``spelling``), with the rows it came from.

The method is the project's ``citizens-jury`` concept when the record calls the process a jury
or a panel (in its id, description, theme or web addresses; a facilitator's name does not count),
else ``citizens-assembly``. The register's descriptions are prose: they are read to choose the
method and never stored.

Every column of the data package is mapped or deliberately left out (:data:`COLUMNS`); a column
the package does not define is reported once; a bad row is a reject with file, line and field;
a bad field is left out and reported, and the row goes on. Counts add up: ``rows read`` =
``cases mapped`` + ``rejected rows`` + ``empty rows``.

Examples
--------
>>> split_facilitators("Democratic Society/Sorition Foundation")
['Democratic Society', 'Sorition Foundation']
>>> split_facilitators("Sortition Foundation and Involve Foundation")
['Sortition Foundation', 'Involve Foundation']
>>> method_of("la-bar-2021-climate-assembly", "A jury of 25 residents ...")
'citizens-jury'
>>> participants("43.0"), participants("")
(43, None)
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from ontology import countries

from ..mapping import membership_quads
from ontology.namespaces import ADMS, DCTERMS, DKG, ORG, RDFS, SCHEMA, SKOS, entity_iri, graph_iri, slug
from ontology.nquads import RDF_TYPE, XSD_GYEAR, XSD_INTEGER, is_valid_iri, iri, literal, quad

from ..records.load import Problem
from ..resolve import NAME_THRESHOLD, Match, normalise_org_name
from .result import SourceResult
from .checks import Ledger, read_rows
from .common import describe_source

LICENCE = "https://creativecommons.org/licenses/by/4.0/"
ATTRIBUTION = "Citizens' Assembly Register, mySociety"
HOME = "https://github.com/mysociety/citizen-assembly-data"
#: Every column of the register's data package (version 0.6.0) and what becomes of it.
COLUMNS = {
    "unique_id": "the case's key: id/case/mysociety-<unique_id> (dcterms:identifier)",
    "authority_type": "the commissioner's type (org:classification)",
    "local_authority_code": "the commissioner's key for councils, dkg:localAuthorityCode",
    "org_name": "the commissioner's name (rdfs:label; other spellings skos:altLabel)",
    "url": "the case's web page (schema:url)",
    "report_pdf_url": "the case's report (dkg:report)",
    "faciliator": "the facilitator(s): organisations in the facilitator role",
    "assembly_status": "the case's status (adms:status: completed or active)",
    "assembly_year": "the case's start (schema:startDate, xsd:gYear)",
    "number_participants": "dkg:participantCount",
    "assembly_description": "read to choose the method; not stored (the register's prose)",
    "thematic_grouping": "the case's theme (dkg:theme, a concept of scheme/assembly-theme)",
    "source_notes": "the register's notes on finding the record (skos:editorialNote)",
    "data_source": "the research through which the record was found (dkg:recordedVia)",
    "licence_notes": "the report's licence or copyright notice (dcterms:rights on the report)",
    "cached_report_url": "mySociety's archived copy of the report (schema:archivedAt on the report)",
    "__index_level_0__": "left out: a row number the export wrote from its data frame's index, not data",
}
REQUIRED = ("unique_id",)
#: ``authority_type`` -> organisation-type key (the data package's enum).
AUTHORITY_TYPES = {"local authority": "local-government", "town council": "local-government",
                   "nhs": "public-body", "nation": "public-body", "other": "other"}
#: Authority types that are UK public bodies, whose commissioners (and cases) are placed in GB.
UK_PUBLIC = frozenset({"local authority", "town council", "nhs", "nation"})
STATUSES = {"finished": "completed", "ongoing": "active"}
_JURY = re.compile(r"\bjur(?:y|ies)\b|\bpanels?\b|\bjuror", re.IGNORECASE)
_SPLIT = re.compile(r"\s*(?:/|;|\band\b)\s*")
_YEAR = re.compile(r"^([0-9]{4})(?:\.0+)?$", re.ASCII)
_COUNT = re.compile(r"^([0-9]{1,7})(?:\.0+)?$", re.ASCII)
_CODE = re.compile(r"^[A-Z]{3,4}$")

_T = {name: iri(str(term)) for name, term in {
    "label": RDFS.label, "alt": SKOS.altLabel, "source": DCTERMS.source, "identifier": DCTERMS.identifier,
    "url": SCHEMA.url, "report": DKG.report, "archived": SCHEMA.archivedAt, "rights": DCTERMS.rights,
    "status": ADMS.status, "start": SCHEMA.startDate, "participants": DKG.participantCount,
    "theme": DKG.theme, "note": SKOS.editorialNote, "via": DKG.recordedVia, "classification": ORG.classification,
    "country": DKG.country, "code": DKG.localAuthorityCode, "method": DKG.usesMethod, "pref": SKOS.prefLabel,
    "inScheme": SKOS.inScheme, "broadMatch": SKOS.broadMatch,
}.items()}
_C = {name: iri(str(term)) for name, term in {
    "Case": DKG.Case, "Organization": ORG.Organization, "Concept": SKOS.Concept, "Scheme": SKOS.ConceptScheme,
}.items()}


def split_facilitators(cell: str) -> list[str]:
    """The organisations a ``faciliator`` cell names (several are joined by ``/``, ``;`` or "and")."""
    return [" ".join(part.split()) for part in _SPLIT.split(cell.strip()) if part.strip()]


def method_of(*texts: str) -> str:
    """``citizens-jury`` when any text calls the process a jury or panel, else ``citizens-assembly``."""
    return "citizens-jury" if any(_JURY.search(t.replace("-", " ")) for t in texts if t) else "citizens-assembly"


def participants(text: str) -> int | None:
    """A participant count written as an integer or a float with no fraction (``43.0``).

    Raises ``ValueError`` for anything else (fractions, negative or absurdly large numbers).
    """
    text = text.strip()
    if not text:
        return None
    m = _COUNT.match(text)
    if m is None:
        raise ValueError("not a whole number of participants")
    return int(m.group(1))


@dataclass
class _Facilitator:
    key: str
    spellings: Counter
    lines: dict[str, list[int]]


def _cluster_facilitators(names: list[tuple[str, int]]) -> tuple[dict[str, str], list[_Facilitator]]:
    """Spelling -> facilitator key, and the facilitators with their spellings.

    Names with the same folded form are one; folded forms within ``NAME_THRESHOLD`` of each
    other (rapidfuzz ratio) are one, joined best match first; a key is the slug of the folded
    form written most often (ties: the longer, then the alphabetically first).
    """
    by_fold: dict[str, Counter] = defaultdict(Counter)
    lines: dict[str, list[int]] = defaultdict(list)
    for name, line in names:
        fold = normalise_org_name(name) or name.casefold()
        by_fold[fold][name] += 1
        lines[name].append(line)
    folds = sorted(by_fold)
    parent = {f: f for f in folds}

    def find(f: str) -> str:
        while parent[f] != f:
            f = parent[f]
        return f

    pairs = sorted((-fuzz.ratio(a, b), a, b) for i, a in enumerate(folds) for b in folds[i + 1:]
                   if re.findall(r"\d+", a) == re.findall(r"\d+", b))
    for negative, a, b in pairs:
        if -negative < NAME_THRESHOLD:
            break
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = defaultdict(list)
    for f in folds:
        groups[find(f)].append(f)
    spelling_key: dict[str, str] = {}
    out = []
    taken: set[str] = set()
    for members in groups.values():
        counts = Counter({f: sum(by_fold[f].values()) for f in members})
        # Most written first; on a tie the longer form, since a typo usually drops a letter.
        main = min(members, key=lambda f: (-counts[f], -len(f), f))
        key = slug(main) or "unnamed"
        while key in taken:  # two names that differ only in punctuation would share a slug
            key += "-x"
        taken.add(key)
        spellings: Counter = Counter()
        for f in members:
            spellings.update(by_fold[f])
        for name in spellings:
            spelling_key[name] = key
        out.append(_Facilitator(key, spellings, {n: lines[n] for n in spellings}))
    return spelling_key, sorted(out, key=lambda f: f.key)


def read_register(path: Path) -> tuple[list[str], list[tuple[int, list[str], str]]]:
    """Header and (line, cells, error) rows of a register CSV (a BOM is allowed; quoted newlines
    kept); ``error`` says why a record could not be read (bytes that are not UTF-8, broken CSV)."""
    header, records = read_rows(path, delimiter=",")
    # The cell-count check is the caller's (it names the row's values); only unreadable records
    # carry an error here.
    return header, [(r.line, r.cells, r.error if not r.cells else "") for r in records]


def assemblies_quads(path: Path | str, source: str = "assemblies", *, title: str = "Citizens' Assembly Register",
                     retrieved: str | None = None, vocab=None) -> SourceResult:  # noqa: ANN001
    """Map the register (``register.csv``, or a directory holding it) into ``graph/<source>``."""
    if vocab is None:
        from ontology.vocab import load_vocabularies

        vocab = load_vocabularies()
    path = Path(path)
    file = path / "register.csv" if path.is_dir() else path
    if not file.is_file():
        raise FileNotFoundError(f"Citizens' Assembly Register not found: {file}")
    g = iri(graph_iri(source))
    out: list[str] = []
    add = out.append
    rejects: list[Problem] = []
    counts = {"rows read": 0, "cases mapped": 0, "rejected rows": 0, "empty rows": 0}
    matches: list[Match] = []
    doc = iri(entity_iri("source", source))
    describe_source(add, g, doc, source, title=title, home=HOME, licence=LICENCE, retrieved=retrieved,
                    attribution=ATTRIBUTION)

    def reject(line: int, field_: str, value: str, reason: str, row: bool = False) -> None:
        rejects.append(Problem(file.name, line, field_, value, reason))
        if row:
            counts["rejected rows"] += 1

    header, rows = read_register(file)
    for column in header:
        if column not in COLUMNS:
            reject(1, column, column, "column not in the register's data package (0.6.0); its values are not mapped")
    missing = [c for c in REQUIRED if c not in header]

    # First pass: which rows are mapped, and every facilitator spelling (they are joined file-wide).
    good: list[tuple[int, dict[str, str]]] = []
    seen: dict[str, int] = {}
    for line, cells, error in rows:
        counts["rows read"] += 1
        if error:
            reject(line, "", "", error, row=True)
            continue
        if not any(c.strip() for c in cells):
            counts["empty rows"] += 1
            continue
        if missing:
            reject(line, missing[0], "", f"the file has no {missing[0]} column; the row cannot be keyed", row=True)
            continue
        if len(cells) != len(header):
            reject(line, "", ",".join(cells)[:80], f"row has {len(cells)} cells; the header has {len(header)}", row=True)
            continue
        row = {h: c.strip() for h, c in zip(header, cells)}
        key = slug(row["unique_id"])
        if not key:
            reject(line, "unique_id", row["unique_id"], "an assembly needs an id", row=True)
            continue
        if key in seen:
            reject(line, "unique_id", row["unique_id"], f"duplicate id (first at line {seen[key]})", row=True)
            continue
        seen[key] = line
        good.append((line, row))
    spelling_key, facilitators = _cluster_facilitators(
        [(name, line) for line, row in good for name in split_facilitators(row.get("faciliator", ""))])

    facilitator_iri = {}
    for f in facilitators:
        o = iri(entity_iri("organisation", f"mysociety-{f.key}"))
        facilitator_iri[f.key] = o
        # The name written most often labels it; on a tie the longer, then the one with fewer
        # capitals ("Shared Future" before "SHared Future").
        names = sorted(f.spellings, key=lambda n: (-f.spellings[n], -len(n), sum(ch.isupper() for ch in n), n))
        add(quad(o, RDF_TYPE, _C["Organization"], g))
        add(quad(o, _T["label"], literal(names[0]), g))
        for other in names[1:]:
            add(quad(o, _T["alt"], literal(other), g))
        add(quad(o, _T["classification"], iri(vocab.iri("orgtype", "unspecified")), g))
        add(quad(o, _T["source"], doc, g))
        if len(names) > 1:
            counts["facilitator spellings joined"] = counts.get("facilitator spellings joined", 0) + len(names) - 1
            for other in names[1:]:
                score = round(fuzz.ratio(normalise_org_name(other), normalise_org_name(names[0])))
                evidence = (f"{other!r} (line {', '.join(map(str, f.lines[other]))}) and {names[0]!r} (line "
                            f"{', '.join(map(str, f.lines[names[0]]))}) name one facilitator")
                matches.append(Match(o[1:-1], other, source, "spelling", score, evidence))
    counts["facilitators"] = len(facilitators)

    # Commissioners: one per council code, else per name; the name of the latest record is the label.
    commissioners: dict[str, dict] = {}
    themes: set[str] = set()
    role = {k: iri(vocab.iri("role", k)) for k in ("commissioner", "facilitator")}
    scheme = iri(entity_iri("scheme", "assembly-theme"))
    for line, row in good:
        c = iri(entity_iri("case", f"mysociety-{slug(row['unique_id'])}"))
        authority = row.get("authority_type", "").casefold()
        org_name = " ".join(row.get("org_name", "").split())
        commissioner = None
        if org_name:
            code = row.get("local_authority_code", "").upper()
            if code and not _CODE.match(code):
                reject(line, "local_authority_code", row["local_authority_code"],
                       "not a mySociety local authority code (three or four letters); the body is keyed by its name")
                code = ""
            key = f"uk-council-{code.lower()}" if code else f"mysociety-{slug(normalise_org_name(org_name) or org_name)}"
            entry = commissioners.setdefault(key, {"names": Counter(), "latest": (0, ""), "types": set(),
                                                   "code": code, "uk": False})
            entry["names"][org_name] += 1
            year = _YEAR.match(row.get("assembly_year", ""))
            entry["latest"] = max(entry["latest"], (int(year.group(1)) if year else 0, org_name))
            if authority in AUTHORITY_TYPES:
                entry["types"].add(AUTHORITY_TYPES[authority])
                entry["uk"] = entry["uk"] or authority in UK_PUBLIC
            elif authority:
                reject(line, "authority_type", row["authority_type"],
                       f"unknown authority type; expected one of {', '.join(sorted(AUTHORITY_TYPES))}; the body's type is left unstated")
            commissioner = key
        else:
            reject(line, "org_name", "", "no commissioning body named; the case is kept without one")

        method = method_of(row["unique_id"], row.get("assembly_description", ""), row.get("thematic_grouping", ""),
                           row.get("url", ""), row.get("report_pdf_url", ""))
        theme = " ".join(row.get("thematic_grouping", "").split())
        year_text = row.get("assembly_year", "")
        year = _YEAR.match(year_text)
        if year_text and not year:
            reject(line, "assembly_year", year_text, "not a year (YYYY); field left out")
        label = f"{org_name or 'Unnamed body'} {vocab.label('method', method).casefold()}"
        label += f" {year.group(1)}" if year else ""
        label += f": {theme}" if theme else ""
        add(quad(c, RDF_TYPE, _C["Case"], g))
        add(quad(c, _T["label"], literal(label), g))
        add(quad(c, _T["identifier"], literal(row["unique_id"]), g))
        add(quad(c, _T["source"], doc, g))
        add(quad(c, _T["method"], iri(vocab.iri("method", method)), g))
        if year:
            add(quad(c, _T["start"], literal(year.group(1), XSD_GYEAR), g))
        if authority in UK_PUBLIC:
            add(quad(c, _T["country"], iri(countries.lookup("GB").iri), g))  # type: ignore[union-attr]
        try:
            n = participants(row.get("number_participants", ""))
        except ValueError as err:
            reject(line, "number_participants", row["number_participants"], f"{err}; field left out")
        else:
            if n is not None:
                add(quad(c, _T["participants"], literal(str(n), XSD_INTEGER), g))
        status = row.get("assembly_status", "")
        if status.casefold() in STATUSES:
            add(quad(c, _T["status"], iri(vocab.iri("status", STATUSES[status.casefold()])), g))
        elif status:
            reject(line, "assembly_status", status, f"unknown status; expected {' or '.join(s.title() for s in STATUSES)}; field left out")
        if theme:
            t = iri(entity_iri("assembly-theme", slug(theme)))
            if t not in themes:
                themes.add(t)
                add(quad(t, RDF_TYPE, _C["Concept"], g))
                add(quad(t, _T["pref"], literal(theme), g))
                add(quad(t, _T["inScheme"], scheme, g))
                add(quad(t, _T["source"], doc, g))
                if "climate" in theme.casefold():
                    add(quad(t, _T["broadMatch"], iri(vocab.iri("theme", "climate")), g))
            add(quad(c, _T["theme"], t, g))
        web = {}
        for column in ("url", "report_pdf_url", "cached_report_url"):
            value = row.get(column, "")
            if not value:
                continue
            if re.match(r"^https?://[^/\s]+", value) and is_valid_iri(value):
                web[column] = value
            else:
                reject(line, column, value, "not a web address (http or https); field left out")
        if "url" in web:
            add(quad(c, _T["url"], iri(web["url"]), g))
        report = web.get("report_pdf_url") or web.get("cached_report_url")
        if report:
            add(quad(c, _T["report"], iri(report), g))
            if "cached_report_url" in web and web["cached_report_url"] != report:
                add(quad(iri(report), _T["archived"], iri(web["cached_report_url"]), g))
            if row.get("licence_notes"):
                add(quad(iri(report), _T["rights"], literal(row["licence_notes"]), g))
        elif row.get("licence_notes"):
            reject(line, "licence_notes", row["licence_notes"], "licence notes for a report without an address; field left out")
        if row.get("source_notes"):
            add(quad(c, _T["note"], literal(row["source_notes"].lstrip("# ").strip()), g))
        if row.get("data_source"):
            add(quad(c, _T["via"], literal(row["data_source"]), g))
        case_key = f"mysociety-{slug(row['unique_id'])}"
        if commissioner:
            membership_quads(add, g, key=f"{commissioner}--commissioner--{case_key}",
                             agent=iri(entity_iri("organisation", commissioner)), target=c, role="commissioner",
                             role_iri=role["commissioner"], sources=[doc])
        for name in dict.fromkeys(split_facilitators(row.get("faciliator", ""))):
            key = spelling_key[name]
            membership_quads(add, g, key=f"mysociety-{key}--facilitator--{case_key}", agent=facilitator_iri[key],
                             target=c, role="facilitator", role_iri=role["facilitator"], sources=[doc])
        counts["cases mapped"] += 1

    for key, entry in sorted(commissioners.items()):
        o = iri(entity_iri("organisation", key))
        label = entry["latest"][1]
        add(quad(o, RDF_TYPE, _C["Organization"], g))
        add(quad(o, _T["label"], literal(label), g))
        for other in sorted(set(entry["names"]) - {label}):
            add(quad(o, _T["alt"], literal(other), g))
        for t in sorted(entry["types"] or {"unspecified"}):
            add(quad(o, _T["classification"], iri(vocab.iri("orgtype", t)), g))
        if entry["code"]:
            add(quad(o, _T["code"], literal(entry["code"]), g))
        if entry["uk"]:
            add(quad(o, _T["country"], iri(countries.lookup("GB").iri), g))  # type: ignore[union-attr]
        add(quad(o, _T["source"], doc, g))
    if themes:
        add(quad(scheme, RDF_TYPE, _C["Scheme"], g))
        add(quad(scheme, _T["pref"], literal("Citizens' Assembly Register: themes", lang="en"), g))
        add(quad(scheme, _T["source"], doc, g))
    counts["commissioning bodies"] = len(commissioners)
    rejects.sort(key=lambda p: p.line)
    ledger = Ledger(file.name, read=counts["rows read"], kept=counts["cases mapped"], rejected=counts["rejected rows"])
    if counts["empty rows"]:
        ledger.filtered["empty row"] = counts["empty rows"]
    return SourceResult(source, out, rejects, counts, matches=matches, ledgers=[ledger])
