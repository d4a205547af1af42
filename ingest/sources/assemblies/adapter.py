"""The register adapter: register rows -> cases, commissioning bodies and facilitators.

:func:`assemblies_quads` reads the file in two passes, through a :class:`_Mapping` that holds
what one run writes (lines, rejects, counts, matches): the first keeps the rows that can be
mapped and joins the facilitators' spellings file-wide; the second maps each row to a case and
gathers its commissioner, whose description (one per body) is written at the end.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from ontology import countries
from ontology.namespaces import ADMS, DCTERMS, DKG, ORG, RDFS, SCHEMA, SKOS, entity_iri, graph_iri, slug
from ontology.nquads import RDF_TYPE, XSD_GYEAR, XSD_INTEGER, is_valid_iri, iri, literal, quad

from ...mapping import membership_quads
from ...records.load import Problem
from ...resolve import Match, normalise_org_name
from ..checks import Ledger
from ..common import describe_source
from ..result import SourceResult
from .facilitators import Facilitator, cluster_facilitators
from .register import (AUTHORITY_TYPES, COLUMNS, COUNCIL_CODE, REQUIRED, STATUSES, UK_PUBLIC, YEAR, method_of,
                       participants, read_register, split_facilitators)

LICENCE = "https://creativecommons.org/licenses/by/4.0/"
ATTRIBUTION = "Citizens' Assembly Register, mySociety"
HOME = "https://github.com/mysociety/citizen-assembly-data"

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


def assemblies_quads(path: Path | str, source: str = "assemblies", *, title: str = "Citizens' Assembly Register",
                     retrieved: str | None = None, vocab=None) -> SourceResult:  # noqa: ANN001
    """Map the register (``register.csv``, or a directory holding it) into ``graph/<source>``.

    Parameters
    ----------
    path : Path or str
        ``register.csv``, or the data package directory holding it.
    source : str
        Names the graph the cases go into (``graph/<source>``) and the register's source document.
    title, retrieved : str
        How the source document is titled, and when the register was downloaded (``YYYY-MM-DD``).
    vocab : ontology.vocab.Vocabularies, optional
        Concepts for methods, roles, statuses, themes and organisation types (loaded when not given).

    Returns
    -------
    SourceResult
        The lines, rejects (sorted by line), counts, the facilitator spellings joined (``matches``)
        and the file's ledger.

    Examples
    --------
    >>> import ontology
    >>> register = Path(ontology.ONTOLOGY_DIR).parent / "tests" / "fixtures" / "assemblies"
    >>> result = assemblies_quads(register)
    >>> result.accounts_close(), result.counts["rows read"] == result.ledgers[0].read
    (True, True)
    """
    if vocab is None:
        from ontology.vocab import load_vocabularies

        vocab = load_vocabularies()
    path = Path(path)
    file = path / "register.csv" if path.is_dir() else path
    if not file.is_file():
        raise FileNotFoundError(f"Citizens' Assembly Register not found: {file}")
    run = _Mapping(source, file, vocab)
    describe_source(run.add, run.g, run.doc, source, title=title, home=HOME, licence=LICENCE, retrieved=retrieved,
                    attribution=ATTRIBUTION)
    header, rows = read_register(file)
    # First pass: which rows are mapped, and every facilitator spelling (they are joined file-wide).
    good = run.mappable_rows(header, rows)
    run.facilitators(good)
    # Second pass: the cases, gathering the commissioners described after them.
    for line, row in good:
        run.map_case(line, row)
    run.commissioners_and_themes()
    return run.result(source)


@dataclass
class _Commissioner:
    """A commissioning body as the rows name it: one per council code, else per name."""

    code: str
    names: Counter = field(default_factory=Counter)
    latest: tuple[int, str] = (0, "")  # (year, name) of the latest record: its name is the label
    types: set[str] = field(default_factory=set)
    uk: bool = False


class _Mapping:
    """One run of the adapter: the lines it writes, its rejects, counts and matches, the
    facilitators (file-wide), the commissioners gathered and the themes described."""

    def __init__(self, source: str, file: Path, vocab) -> None:  # noqa: ANN001
        self.source, self.file, self.vocab = source, file, vocab
        self.g = iri(graph_iri(source))
        self.doc = iri(entity_iri("source", source))
        self.lines: list[str] = []
        self.add = self.lines.append
        self.rejects: list[Problem] = []
        self.counts = {"rows read": 0, "cases mapped": 0, "rejected rows": 0, "empty rows": 0}
        self.matches: list[Match] = []
        self.spelling_key: dict[str, str] = {}  # facilitator spelling -> facilitator key
        self.facilitator_iri: dict[str, str] = {}  # facilitator key -> its term
        self.commissioners: dict[str, _Commissioner] = {}
        self.themes: set[str] = set()
        self.role = {k: iri(vocab.iri("role", k)) for k in ("commissioner", "facilitator")}
        self.scheme = iri(entity_iri("scheme", "assembly-theme"))

    def reject(self, line: int, field_: str, value: str, reason: str, row: bool = False) -> None:
        """Report a problem; with ``row`` the whole row is rejected and counted (else a field)."""
        self.rejects.append(Problem(self.file.name, line, field_, value, reason))
        if row:
            self.counts["rejected rows"] += 1

    def result(self, source: str) -> SourceResult:
        """The run's lines, rejects (by line), counts, matches and ledger."""
        self.counts["commissioning bodies"] = len(self.commissioners)
        self.rejects.sort(key=lambda p: p.line)
        counts = self.counts
        ledger = Ledger(self.file.name, read=counts["rows read"], kept=counts["cases mapped"], rejected=counts["rejected rows"])
        if counts["empty rows"]:
            ledger.filtered["empty row"] = counts["empty rows"]
        return SourceResult(source, self.lines, self.rejects, counts, matches=self.matches, ledgers=[ledger])

    # -- first pass --------------------------------------------------------------------------

    def mappable_rows(self, header: list[str], rows: list[tuple[int, list[str], str]]) -> list[tuple[int, dict[str, str]]]:
        """(line, row) of every row that can be mapped; the others are counted and rejected here."""
        for column in header:
            if column not in COLUMNS:
                self.reject(1, column, column, "column not in the register's data package (0.6.0); its values are not mapped")
        missing = [c for c in REQUIRED if c not in header]
        good: list[tuple[int, dict[str, str]]] = []
        seen: dict[str, int] = {}
        for line, cells, error in rows:
            self.counts["rows read"] += 1
            if error:
                self.reject(line, "", "", error, row=True)
                continue
            if not any(c.strip() for c in cells):
                self.counts["empty rows"] += 1
                continue
            if missing:
                self.reject(line, missing[0], "", f"the file has no {missing[0]} column; the row cannot be keyed", row=True)
                continue
            if len(cells) != len(header):
                self.reject(line, "", ",".join(cells)[:80], f"row has {len(cells)} cells; the header has {len(header)}", row=True)
                continue
            row = {h: c.strip() for h, c in zip(header, cells)}
            key = slug(row["unique_id"])
            if not key:
                self.reject(line, "unique_id", row["unique_id"], "an assembly needs an id", row=True)
                continue
            if key in seen:
                self.reject(line, "unique_id", row["unique_id"], f"duplicate id (first at line {seen[key]})", row=True)
                continue
            seen[key] = line
            good.append((line, row))
        return good

    def facilitators(self, good: list[tuple[int, dict[str, str]]]) -> None:
        """Every facilitator of the file, its spellings joined, described once."""
        self.spelling_key, facilitators = cluster_facilitators(
            [(name, line) for line, row in good for name in split_facilitators(row.get("faciliator", ""))])
        for f in facilitators:
            o = iri(entity_iri("organisation", f"mysociety-{f.key}"))
            self.facilitator_iri[f.key] = o
            # The name written most often labels it; on a tie the longer, then the one with fewer
            # capitals ("Shared Future" before "SHared Future").
            names = sorted(f.spellings, key=lambda n: (-f.spellings[n], -len(n), sum(ch.isupper() for ch in n), n))
            self.add(quad(o, RDF_TYPE, _C["Organization"], self.g))
            self.add(quad(o, _T["label"], literal(names[0]), self.g))
            for other in names[1:]:
                self.add(quad(o, _T["alt"], literal(other), self.g))
            self.add(quad(o, _T["classification"], iri(self.vocab.iri("orgtype", "unspecified")), self.g))
            self.add(quad(o, _T["source"], self.doc, self.g))
            if len(names) > 1:
                self.spellings_joined(o, f, names)
        self.counts["facilitators"] = len(facilitators)

    def spellings_joined(self, o: str, f: Facilitator, names: list[str]) -> None:
        """Each other spelling of a facilitator's name, reported as a match with its lines."""
        self.counts["facilitator spellings joined"] = self.counts.get("facilitator spellings joined", 0) + len(names) - 1
        for other in names[1:]:
            score = round(fuzz.ratio(normalise_org_name(other), normalise_org_name(names[0])))
            evidence = (f"{other!r} (line {', '.join(map(str, f.lines[other]))}) and {names[0]!r} (line "
                        f"{', '.join(map(str, f.lines[names[0]]))}) name one facilitator")
            self.matches.append(Match(o[1:-1], other, self.source, "spelling", score, evidence))

    # -- second pass -------------------------------------------------------------------------

    def map_case(self, line: int, row: dict[str, str]) -> None:
        """One row as a case, with its commissioner and facilitators as memberships."""
        c = iri(entity_iri("case", f"mysociety-{slug(row['unique_id'])}"))
        authority = row.get("authority_type", "").casefold()
        org_name = " ".join(row.get("org_name", "").split())
        commissioner = self.commissioner(line, row, authority, org_name)
        method = method_of(row["unique_id"], row.get("assembly_description", ""), row.get("thematic_grouping", ""),
                           row.get("url", ""), row.get("report_pdf_url", ""))
        theme = " ".join(row.get("thematic_grouping", "").split())
        year_text = row.get("assembly_year", "")
        year = YEAR.match(year_text)
        if year_text and not year:
            self.reject(line, "assembly_year", year_text, "not a year (YYYY); field left out")
        label = f"{org_name or 'Unnamed body'} {self.vocab.label('method', method).casefold()}"
        label += f" {year.group(1)}" if year else ""
        label += f": {theme}" if theme else ""
        self.add(quad(c, RDF_TYPE, _C["Case"], self.g))
        self.add(quad(c, _T["label"], literal(label), self.g))
        self.add(quad(c, _T["identifier"], literal(row["unique_id"]), self.g))
        self.add(quad(c, _T["source"], self.doc, self.g))
        self.add(quad(c, _T["method"], iri(self.vocab.iri("method", method)), self.g))
        if year:
            self.add(quad(c, _T["start"], literal(year.group(1), XSD_GYEAR), self.g))
        if authority in UK_PUBLIC:
            self.add(quad(c, _T["country"], iri(countries.lookup("GB").iri), self.g))  # type: ignore[union-attr]
        self.size_and_status(c, line, row)
        if theme:
            self.add(quad(c, _T["theme"], self.theme(theme), self.g))
        self.web_addresses(c, line, row)
        if row.get("source_notes"):
            self.add(quad(c, _T["note"], literal(row["source_notes"].lstrip("# ").strip()), self.g))
        if row.get("data_source"):
            self.add(quad(c, _T["via"], literal(row["data_source"]), self.g))
        self.memberships(c, row, commissioner)
        self.counts["cases mapped"] += 1

    def commissioner(self, line: int, row: dict[str, str], authority: str, org_name: str) -> str | None:
        """The key of the row's commissioning body (gathered for :meth:`commissioners_and_themes`)."""
        if not org_name:
            self.reject(line, "org_name", "", "no commissioning body named; the case is kept without one")
            return None
        code = row.get("local_authority_code", "").upper()
        if code and not COUNCIL_CODE.match(code):
            self.reject(line, "local_authority_code", row["local_authority_code"],
                        "not a mySociety local authority code (three or four letters); the body is keyed by its name")
            code = ""
        key = f"uk-council-{code.lower()}" if code else f"mysociety-{slug(normalise_org_name(org_name) or org_name)}"
        entry = self.commissioners.setdefault(key, _Commissioner(code))
        entry.names[org_name] += 1
        year = YEAR.match(row.get("assembly_year", ""))
        entry.latest = max(entry.latest, (int(year.group(1)) if year else 0, org_name))
        if authority in AUTHORITY_TYPES:
            entry.types.add(AUTHORITY_TYPES[authority])
            entry.uk = entry.uk or authority in UK_PUBLIC
        elif authority:
            self.reject(line, "authority_type", row["authority_type"],
                        f"unknown authority type; expected one of {', '.join(sorted(AUTHORITY_TYPES))}; the body's type is left unstated")
        return key

    def size_and_status(self, c: str, line: int, row: dict[str, str]) -> None:
        """The number of participants and whether the assembly is finished or ongoing."""
        try:
            n = participants(row.get("number_participants", ""))
        except ValueError as err:
            self.reject(line, "number_participants", row["number_participants"], f"{err}; field left out")
        else:
            if n is not None:
                self.add(quad(c, _T["participants"], literal(str(n), XSD_INTEGER), self.g))
        status = row.get("assembly_status", "")
        if status.casefold() in STATUSES:
            self.add(quad(c, _T["status"], iri(self.vocab.iri("status", STATUSES[status.casefold()])), self.g))
        elif status:
            self.reject(line, "assembly_status", status, f"unknown status; expected {' or '.join(s.title() for s in STATUSES)}; field left out")

    def theme(self, theme: str) -> str:
        """The theme concept of ``scheme/assembly-theme``, described on first use."""
        t = iri(entity_iri("assembly-theme", slug(theme)))
        if t not in self.themes:
            self.themes.add(t)
            self.add(quad(t, RDF_TYPE, _C["Concept"], self.g))
            self.add(quad(t, _T["pref"], literal(theme), self.g))
            self.add(quad(t, _T["inScheme"], self.scheme, self.g))
            self.add(quad(t, _T["source"], self.doc, self.g))
            if "climate" in theme.casefold():
                self.add(quad(t, _T["broadMatch"], iri(self.vocab.iri("theme", "climate")), self.g))
        return t

    def web_addresses(self, c: str, line: int, row: dict[str, str]) -> None:
        """The case's page and report (with its archived copy and licence notes)."""
        web = {}
        for column in ("url", "report_pdf_url", "cached_report_url"):
            value = row.get(column, "")
            if not value:
                continue
            if re.match(r"^https?://[^/\s]+", value) and is_valid_iri(value):
                web[column] = value
            else:
                self.reject(line, column, value, "not a web address (http or https); field left out")
        if "url" in web:
            self.add(quad(c, _T["url"], iri(web["url"]), self.g))
        report = web.get("report_pdf_url") or web.get("cached_report_url")
        if report:
            self.add(quad(c, _T["report"], iri(report), self.g))
            if "cached_report_url" in web and web["cached_report_url"] != report:
                self.add(quad(iri(report), _T["archived"], iri(web["cached_report_url"]), self.g))
            if row.get("licence_notes"):
                self.add(quad(iri(report), _T["rights"], literal(row["licence_notes"]), self.g))
        elif row.get("licence_notes"):
            self.reject(line, "licence_notes", row["licence_notes"], "licence notes for a report without an address; field left out")

    def memberships(self, c: str, row: dict[str, str], commissioner: str | None) -> None:
        """The commissioner and each facilitator as qualified memberships of the case."""
        case_key = f"mysociety-{slug(row['unique_id'])}"
        if commissioner:
            membership_quads(self.add, self.g, key=f"{commissioner}--commissioner--{case_key}",
                             agent=iri(entity_iri("organisation", commissioner)), target=c, role="commissioner",
                             role_iri=self.role["commissioner"], sources=[self.doc])
        for name in dict.fromkeys(split_facilitators(row.get("faciliator", ""))):
            key = self.spelling_key[name]
            membership_quads(self.add, self.g, key=f"mysociety-{key}--facilitator--{case_key}",
                             agent=self.facilitator_iri[key], target=c, role="facilitator",
                             role_iri=self.role["facilitator"], sources=[self.doc])

    # -- after the rows ----------------------------------------------------------------------

    def commissioners_and_themes(self) -> None:
        """Each commissioning body, labelled by its latest record's name; the theme scheme if used."""
        for key, entry in sorted(self.commissioners.items()):
            o = iri(entity_iri("organisation", key))
            label = entry.latest[1]
            self.add(quad(o, RDF_TYPE, _C["Organization"], self.g))
            self.add(quad(o, _T["label"], literal(label), self.g))
            for other in sorted(set(entry.names) - {label}):
                self.add(quad(o, _T["alt"], literal(other), self.g))
            for t in sorted(entry.types or {"unspecified"}):
                self.add(quad(o, _T["classification"], iri(self.vocab.iri("orgtype", t)), self.g))
            if entry.code:
                self.add(quad(o, _T["code"], literal(entry.code), self.g))
            if entry.uk:
                self.add(quad(o, _T["country"], iri(countries.lookup("GB").iri), self.g))  # type: ignore[union-attr]
            self.add(quad(o, _T["source"], self.doc, self.g))
        if self.themes:
            self.add(quad(self.scheme, RDF_TYPE, _C["Scheme"], self.g))
            self.add(quad(self.scheme, _T["pref"], literal("Citizens' Assembly Register: themes", lang="en"), self.g))
            self.add(quad(self.scheme, _T["source"], self.doc, self.g))
