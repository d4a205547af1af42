"""The Participedia adapter: export rows -> method concepts, organisations and cases.

:func:`participedia_quads` reads the files and hands each readable row to a :class:`_Mapping`,
which holds what one run writes (lines, rejects, counts, ledgers) and which nodes already have
their description, so that a method or organisation named by many rows is described once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ontology import countries
from ontology.namespaces import entity_iri, graph_iri
from ontology.nquads import RDF_TYPE, XSD_DECIMAL, XSD_INTEGER, iri, literal, quad

from ...mapping import membership_quads
from ...records.load import Problem
from ..checks import FieldError, Ledger, coordinate, identifier, start_and_end
from ..checks import count as count_of
from ..common import city, describe_source
from ..result import SourceResult
from .columns import FACETS, FLAGS, IAP2, LEFT_OUT, NO_VALUE, SECTORS, column_stem, field_values, unmapped_columns
from .exports import ERROR, export_files, read_exports
from .nodes import CLASSES as _C
from .nodes import TERMS as _T
from .nodes import Nodes
from .text import clean_text, parse_links

LICENCE = "https://creativecommons.org/licenses/by-nc-sa/3.0/"
ATTRIBUTION = "Participedia, participedia.net"
#: Participedia's exporter cuts long texts at this many characters (a spreadsheet cell limit).
BODY_LIMIT = 32_766



def participedia_quads(paths: list[Path] | Path, source: str = "participedia", *, bodies: bool = False,
                       title: str = "Participedia exports", retrieved: str | None = None,
                       vocab=None) -> SourceResult:  # noqa: ANN001
    """Map Participedia export files (or every ``*.csv`` in a directory) into ``graph/<source>``.

    Every row is kept, filtered (empty rows) or rejected, per file (the result's ``ledgers``);
    every value is mapped or rejected as a field; every column the adapter does not map is
    reported once per file with the reason (``unmapped_columns``).

    Parameters
    ----------
    paths : Path or list of Path
        Export files, or directories whose ``*.csv`` files are exports.
    source : str
        The source's name: the lines go into the named graph ``graph/<source>``.
    bodies : bool
        Also store the long ``body`` texts.
    title, retrieved : str
        The source document's title and the date the exports were made (``YYYY-MM-DD``).
    vocab : ontology.vocab.Vocabularies, optional
        The project's vocabularies (loaded when not given).

    Returns
    -------
    SourceResult
        The lines, rejects, counts and one ledger per file.

    Examples
    --------
    >>> import ontology
    >>> exports = Path(ontology.ONTOLOGY_DIR).parent / "tests" / "fixtures" / "participedia"
    >>> result = participedia_quads(exports)
    >>> result.accounts_close(), [ledger.file for ledger in result.ledgers]
    (True, ['cases.csv', 'methods.csv', 'organizations.csv'])
    """
    if vocab is None:
        from ontology.vocab import load_vocabularies

        vocab = load_vocabularies()
    files = export_files(paths)
    by_type, headers = read_exports(files)
    run = _Mapping(source, files, vocab, bodies)
    describe_source(run.add, run.g, run.doc, source, title=title, home="https://participedia.net/", licence=LICENCE,
                    retrieved=retrieved, attribution=ATTRIBUTION)
    run.report_unmapped_columns(headers)
    # Methods first: cases and organisations link to them, and their titles decide the matches.
    for entry in run.entries(by_type.get("method", []), "methods"):
        run.map_method(entry)
    for entry in run.entries(by_type.get("organization", []), "organisations"):
        run.map_organisation(entry)
    for entry in run.entries(by_type.get("case", []), "cases"):
        run.map_case(entry)
    return run.result(source, files)


@dataclass
class _Entry:
    """One readable export row: where it is, the entry's Participedia id and the row's cells."""

    file: Path
    line: int
    pid: str
    row: dict[str, str]


def _ident(value: str) -> str | None:
    """A Participedia id read from a cell, or ``None`` when the cell is empty or not an id."""
    try:
        return identifier(value) if value.strip() else None
    except FieldError:
        return None


class _Mapping:
    """One run of the adapter: the lines it writes, its rejects, counts and ledgers, and the
    nodes (schemes, concepts, methods, organisations) already described."""

    def __init__(self, source: str, files: list[Path], vocab, bodies: bool) -> None:  # noqa: ANN001
        self.g = iri(graph_iri(source))
        self.doc = iri(entity_iri("source", source))
        self.lines: list[str] = []
        self.add = self.lines.append
        self.rejects: list[Problem] = []
        self.counts: dict[str, int] = {}
        self.ledgers = {f: Ledger(f.name) for f in files}
        self.vocab = vocab
        self.bodies = bodies
        self.nodes = Nodes(self.add, self.g, self.doc, vocab, self.count)
        self.classified: set[str] = set()  # organisations typed from an organisation export's sector
        self.entries_seen: set[str] = set()  # entries mapped from their own row (a second row with the id is a reject)

    # -- bookkeeping -------------------------------------------------------------------------

    def count(self, key: str) -> None:
        self.counts[key] = self.counts.get(key, 0) + 1

    def reject(self, file: Path, line: int, field_: str, value: str, reason: str, row: bool = True) -> None:
        """Report a problem; with ``row`` (the default) the whole row is rejected and counted."""
        self.rejects.append(Problem(file.name, line, field_, value, reason))
        if row:
            self.count("rejected rows")
            self.ledgers[file].rejected += 1

    def leave_out(self, entry: _Entry, field_: str, value: str, reason: str) -> None:
        """Report a field left out of an entry that is otherwise mapped."""
        self.reject(entry.file, entry.line, field_, value, reason, row=False)

    def report_unmapped_columns(self, headers: dict[Path, list[str]]) -> None:
        """Each file's columns the register does not know, once per file (line 1)."""
        for f, header in headers.items():
            for column, reason in unmapped_columns(header, self.bodies):
                if column_stem(column) not in LEFT_OUT and column_stem(column) != "body":
                    self.reject(f, 1, column, column, reason, row=False)

    def entries(self, files_rows: list[tuple[Path, list]], label: str):  # noqa: ANN201
        """Every readable row of one entry type; the others are counted (and rejected) here."""
        for file, rows in files_rows:
            ledger = self.ledgers[file]
            for line, row in rows:
                ledger.read += 1
                if not row:
                    ledger.filtered["empty row"] += 1
                    continue
                self.count(f"{label} read")
                if ERROR in row:
                    self.reject(file, line, "", "", row[ERROR])
                    continue
                pid = _ident(row.get("id", ""))
                if pid is None:
                    self.reject(file, line, "id", row.get("id", ""), "a Participedia id is a whole number in ASCII digits")
                    continue
                yield _Entry(file, line, pid, row)

    def mapped(self, subject: str, entry: _Entry, kind: str, label: str) -> bool:
        """Whether the row is mapped (:meth:`first_good_row`); if so, what every entry has is
        written (:meth:`describe_entry`) and the row is counted as kept."""
        if not self.first_good_row(subject, entry, kind):
            return False
        self.describe_entry(subject, entry, kind)
        self.ledgers[entry.file].kept += 1
        self.count(f"{label} mapped")
        return True

    def result(self, source: str, files: list[Path]) -> SourceResult:
        """The run's lines, rejects, counts and ledgers, once every row is mapped."""
        # Organisations only known as organisers of cases (no organisation export given) still
        # need a type for the shapes: unspecified, which says exactly that.
        for o in sorted(self.nodes.organisations - self.classified):
            self.add(quad(o, _T["classification"], iri(self.vocab.iri("orgtype", "unspecified")), self.g))
        self.counts["organisations (all, incl. organisers only named by cases)"] = len(self.nodes.organisations)
        self.counts["method concepts (all, incl. methods only named by links)"] = len(self.nodes.methods)
        return SourceResult(source, self.lines, self.rejects, self.counts, ledgers=[self.ledgers[f] for f in files])

    # -- the three entry types ---------------------------------------------------------------

    def map_method(self, entry: _Entry) -> None:
        m = iri(entity_iri("participedia-method", entry.pid))
        if not self.mapped(m, entry, "method", "methods"):
            return
        self.nodes.method(entry.pid, clean_text(entry.row.get("title", "")))
        self.iap2_level(m, entry)
        self.facets(m, entry)
        for value in field_values(entry.row, "number_of_participants"):  # methods: size keys (small, large, ...)
            self.nodes.facet(m, "facet", "group-size", value)

    def map_organisation(self, entry: _Entry) -> None:
        o = iri(entity_iri("organisation", f"participedia-{entry.pid}"))
        if not self.mapped(o, entry, "organization", "organisations"):
            return
        self.nodes.organisation(entry.pid, clean_text(entry.row["title"]))
        self.sector_types(o, entry)
        self.place(o, entry)
        self.links(o, entry, ("specific_methods_tools_techniques",))
        self.facets(o, entry)

    def map_case(self, entry: _Entry) -> None:
        c = iri(entity_iri("case", f"participedia-{entry.pid}"))
        if not self.mapped(c, entry, "case", "cases"):
            return
        self.add(quad(c, RDF_TYPE, _C["Case"], self.g))
        self.add(quad(c, _T["label"], literal(clean_text(entry.row.get("title", ""))), self.g))
        dates = start_and_end(entry.row, "start_date", "end_date",
                              lambda column, value, reason: self.leave_out(entry, column, value, reason), full=False)
        for prop, when in dates.items():
            self.add(quad(c, _T[prop], literal(when.lexical, when.datatype), self.g))
        self.place(c, entry)
        self.parent_case(c, entry)
        self.links(c, entry, ("specific_methods_tools_techniques_titles", "specific_methods_tools_techniques"))
        self.iap2_level(c, entry)
        self.facets(c, entry)
        self.participant_counts(c, entry)
        self.organiser(c, entry)

    # -- what every entry has ----------------------------------------------------------------

    def first_good_row(self, subject: str, entry: _Entry, kind: str) -> bool:
        """Whether the row is mapped: it has a title, is no test record, and is the id's first row."""
        name = clean_text(entry.row.get("title", ""))
        if not name:
            self.reject(entry.file, entry.line, "title", "", "an entry needs a title")
            return False
        if re.search(r"\bTEST\s*$", name):
            self.reject(entry.file, entry.line, "title", name, "a test record (title ends in TEST); left out")
            return False
        if subject in self.entries_seen:
            self.reject(entry.file, entry.line, "id", entry.pid, f"duplicate {kind} id; the first row stands")
            return False
        self.entries_seen.add(subject)
        return True

    def describe_entry(self, subject: str, entry: _Entry, kind: str) -> None:
        """The entry's page, Participedia id, source, description and (with ``bodies``) body text."""
        row, g = entry.row, self.g
        url = row.get("url", "").strip()
        if not re.match(rf"^https://participedia\.net/{kind}/{entry.pid}$", url):
            if url:
                self.leave_out(entry, "url", url, "not the entry's participedia.net page; the page address is built from the id")
            url = f"https://participedia.net/{kind}/{entry.pid}"
        self.add(quad(subject, _T["url"], iri(url), g))
        self.add(quad(subject, _T["pid"], literal(entry.pid), g))
        self.add(quad(subject, _T["source"], self.doc, g))
        description = clean_text(row.get("description", ""))
        if description:
            self.add(quad(subject, _T["description"], literal(description), g))
        if self.bodies and row.get("body", "").strip():
            self.add(quad(subject, _T["body"], literal(clean_text(row["body"])), g))
            if len(row["body"]) >= BODY_LIMIT:
                self.leave_out(entry, "body", f"{row['body'][:40]}...", f"the export cut this text at {BODY_LIMIT} "
                               "characters; stored as exported (read the rest on the entry's page)")

    def iap2_level(self, subject: str, entry: _Entry) -> None:
        """``public_spectrum`` as a level of the project's IAP2 scheme."""
        level = entry.row.get("public_spectrum", "").strip()
        if level in IAP2:
            self.add(quad(subject, _T["iap2"], iri(self.vocab.iri("iap2", IAP2[level])), self.g))
        elif level and level.casefold() not in NO_VALUE:
            self.leave_out(entry, "public_spectrum", level, "not a level of the IAP2 spectrum; field left out")

    def facets(self, subject: str, entry: _Entry) -> None:
        """Every facet and yes/no column of the row, as concepts of Participedia's schemes."""
        for stem, (prop, suffix) in FACETS.items():
            for value in field_values(entry.row, stem):
                if value.startswith(("(", "{")):
                    # A facet holds vocabulary keys; a link here is a layout this adapter does not know.
                    self.leave_out(entry, stem, value[:80], "a facet holds vocabulary keys, not linked entries; value left out")
                    continue
                self.nodes.facet(subject, prop, suffix, value)
        for stem, suffix in FLAGS.items():
            value = entry.row.get(stem, "").strip().casefold()
            value = value.removesuffix(".0")  # pandas re-saves the export's 1/0 as 1.0/0.0
            if value in {"1", "true", "yes"}:
                self.nodes.facet(subject, "facet", suffix, "yes", f"{stem.replace('_', ' ')}: yes")
            elif value in {"0", "false", "no"}:
                self.nodes.facet(subject, "facet", suffix, "no", f"{stem.replace('_', ' ')}: no")
            elif value and value not in NO_VALUE:
                self.leave_out(entry, stem, entry.row[stem], "a yes/no field holds 1 or 0; field left out")

    def place(self, subject: str, entry: _Entry) -> None:
        """Country, city and coordinates."""
        name = clean_text(entry.row.get("country", ""))
        country = countries.lookup_name(name) if name else None
        if name and country is None:
            self.leave_out(entry, "country", name, "unknown country name; field left out")
        if country is not None:
            self.add(quad(subject, _T["country"], iri(country.iri), self.g))
            c = city(self.add, self.g, self.doc, clean_text(entry.row.get("city", "")), country)
            if c:
                self.add(quad(subject, _T["location"], c, self.g))
        for column, prop, bound in (("latitude", "lat", 90), ("longitude", "long", 180)):
            text = entry.row.get(column, "").strip()
            if not text:
                continue
            try:
                value = coordinate(text, bound)
            except FieldError as err:
                self.leave_out(entry, column, text, f"{err}; field left out")
                continue
            self.add(quad(subject, _T[prop], literal(value, XSD_DECIMAL), self.g))

    def links(self, subject: str, entry: _Entry, columns: tuple[str, ...]) -> None:
        """The methods the entry uses, from columns of links to other entries."""
        for column in columns:
            for value in field_values(entry.row, column):
                try:
                    found = parse_links(value, strict=True)
                except FieldError as err:
                    self.leave_out(entry, column, value[:80], f"{err}; field left out")
                    continue
                for lid, ltype, lname in found:
                    if ltype == "method":
                        self.add(quad(subject, _T["method"], self.nodes.method(lid, lname), self.g))

    # -- what only organisations and cases have ----------------------------------------------

    def sector_types(self, o: str, entry: _Entry) -> None:
        """The organisation's types from ``sector``; unspecified when none is known."""
        sectors = field_values(entry.row, "sector")
        types = [SECTORS.get(s.casefold()) for s in sectors]
        for s, t in zip(sectors, types):
            if t is None:
                self.leave_out(entry, "sector", s, "unknown sector; the organisation is typed as unspecified")
        for t in sorted({t for t in types if t} or {"unspecified"}):
            self.add(quad(o, _T["classification"], iri(self.vocab.iri("orgtype", t)), self.g))
        self.classified.add(o)

    def parent_case(self, c: str, entry: _Entry) -> None:
        """The case this one is a component of (``is_component_of_id``)."""
        parent_text = entry.row.get("is_component_of_id", "").strip()
        parent = _ident(parent_text)
        if parent:
            self.add(quad(c, _T["partOf"], iri(entity_iri("case", f"participedia-{parent}")), self.g))
        elif parent_text:
            self.leave_out(entry, "is_component_of_id", parent_text, "a Participedia id is a whole number; field left out")

    def participant_counts(self, c: str, entry: _Entry) -> None:
        """``number_of_participants`` of a case: whole numbers."""
        for value in field_values(entry.row, "number_of_participants"):
            try:
                n = count_of(value)
            except FieldError as err:
                self.leave_out(entry, "number_of_participants", value[:80], f"{err}; field left out")
                continue
            if n is not None:
                self.add(quad(c, _T["participants"], literal(n, XSD_INTEGER), self.g))

    def organiser(self, c: str, entry: _Entry) -> None:
        """The case's primary organiser, as a qualified ``organiser`` membership."""
        oid = _ident(entry.row.get("primary_organizer_id", ""))
        if entry.row.get("primary_organizer_id", "").strip() and oid is None:
            self.leave_out(entry, "primary_organizer_id", entry.row["primary_organizer_id"],
                           "a Participedia id is a number; organiser left out")
        if oid:
            o = self.nodes.organisation(oid, clean_text(entry.row.get("primary_organizer_title", "")))
            membership_quads(self.add, self.g, key=f"participedia-{oid}--organiser--participedia-case-{entry.pid}",
                             agent=o, target=c, role="organiser", role_iri=iri(self.vocab.iri("role", "organiser")),
                             sources=[self.doc])
