"""The CORDIS adapter: project and organisation tables -> projects, organisations, participations.

:func:`cordis_quads` checks the tables are there and hands them to a :class:`_Mapping`, which
holds what one run writes (lines, rejects, counts, the two ledgers) and what it has seen:
the projects kept (participations refer to them), the filter that refused each other project,
and the organisations already described (:mod:`.programmes` keeps the programmes').
"""

from __future__ import annotations

import re
from pathlib import Path

from ontology import countries
from ontology.namespaces import DCTERMS, DKG, ORG, RDFS, SCHEMA, SKOS, entity_iri, graph_iri
from ontology.nquads import RDF_TYPE, XSD_DATE, XSD_DECIMAL, is_valid_iri, iri, literal, quad

from ...mapping import membership_quads
from ...records.load import Problem
from ..checks import FieldError, Ledger, amount, identifier, pic, start_and_end
from ..common import city, describe_source, slug
from ..result import SourceResult
from .filters import CordisFilter, programme_parts
from .programmes import Programmes
from .tables import EMPTY, ERROR, read_table

#: CORDIS participant roles -> keys of the project's role scheme.
ROLES = {"coordinator": "coordinator", "participant": "participant", "partner": "partner",
         "thirdparty": "third-party", "associatedpartner": "associated-partner"}
#: CORDIS activity types -> keys of the project's organisation-type scheme.
ACTIVITY_TYPES = {"HES": "university", "REC": "research-organisation", "PRC": "company",
                  "PUB": "public-body", "OTH": "other"}
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
PROJECT_REQUIRED = ("id",)
ORGANISATION_REQUIRED = ("projectID", "organisationID", "role")

_T = {name: iri(str(term)) for name, term in {
    "label": RDFS.label, "altLabel": SKOS.altLabel, "source": DCTERMS.source,
    "start": SCHEMA.startDate, "end": SCHEMA.endDate, "cordis": DKG.cordisProjectId, "rcn": DKG.cordisRcn, "acronym": DKG.acronym,
    "funder": SCHEMA.funder, "pic": DKG.pic, "country": DKG.country, "classification": ORG.classification,
    "totalCost": DKG.totalCost, "ecMax": DKG.ecMaxContribution, "ec": DKG.ecContribution,
    "fundingScheme": DKG.fundingScheme, "location": SCHEMA.location,
    "url": SCHEMA.url,
}.items()}
_C = {name: iri(str(term)) for name, term in {"Project": SCHEMA.Project, "Organization": ORG.Organization}.items()}


def cordis_quads(directory: Path | str, source: str = "cordis", *, filters: CordisFilter | None = None,
                 title: str = "CORDIS projects and participations", retrieved: str | None = None,
                 role_iri=None, orgtype_iri=None) -> SourceResult:  # noqa: ANN001
    """Map ``project.csv`` and ``organization.csv`` in ``directory`` to N-Quads in ``graph/<source>``.

    ``role_iri`` and ``orgtype_iri`` turn a role or organisation-type key into its concept IRI
    (from :func:`ontology.vocab.load_vocabularies`); they default to the project's vocabularies.
    Every row of both files is kept, filtered (by the :class:`CordisFilter` criterion that
    refused it, or because its project was) or rejected: the result's ``ledgers`` add up.

    Parameters
    ----------
    directory : Path or str
        The directory holding ``project.csv`` and ``organization.csv``.
    source : str
        The source's name: the lines go into the named graph ``graph/<source>``.
    filters : CordisFilter, optional
        Which projects to keep (all when not given).
    title, retrieved : str
        The source document's title and the date the tables were made (``YYYY-MM-DD``).
    role_iri, orgtype_iri : callable, optional
        Key -> concept IRI for roles and organisation types.

    Returns
    -------
    SourceResult
        The lines, rejects, counts and the two tables' ledgers.

    Examples
    --------
    >>> import ontology
    >>> tables = Path(ontology.ONTOLOGY_DIR).parent / "tests" / "fixtures" / "cordis" / "h2020"
    >>> result = cordis_quads(tables, filters=CordisFilter(parts=frozenset({"SC6"})))
    >>> result.accounts_close(), result.counts["projects kept"] <= result.counts["projects read"]
    (True, True)
    """
    if role_iri is None or orgtype_iri is None:
        from ontology.vocab import load_vocabularies

        vocab = load_vocabularies()
        role_iri = role_iri or (lambda key: vocab.iri("role", key))
        orgtype_iri = orgtype_iri or (lambda key: vocab.iri("orgtype", key))
    directory = Path(directory)
    run = _Mapping(source, filters or CordisFilter(), role_iri, orgtype_iri)
    describe_source(run.add, run.g, run.doc, source, title=title, home="https://cordis.europa.eu/", licence=LICENCE,
                    retrieved=retrieved)
    project_file = directory / "project.csv"
    org_file = directory / "organization.csv"
    for path in (project_file, org_file):
        if not path.is_file():
            raise FileNotFoundError(f"CORDIS table not found: {path}")
    run.map_projects(project_file)
    run.map_participations(org_file, project_file.name)
    return run.result(source)


class _Mapping:
    """One run of the adapter: the lines it writes, its rejects, counts and ledgers, and what it
    has seen (projects kept or refused, organisations, programmes and funding schemes described)."""

    def __init__(self, source: str, filters: CordisFilter, role_iri, orgtype_iri) -> None:  # noqa: ANN001
        self.g = iri(graph_iri(source))
        self.doc = iri(entity_iri("source", source))
        self.lines: list[str] = []
        self.add = self.lines.append
        self.rejects: list[Problem] = []
        self.counts = {"projects read": 0, "projects kept": 0, "participations read": 0, "participations kept": 0,
                       "organisations": 0, "rejected rows": 0}
        self.filters, self.role_iri, self.orgtype_iri = filters, role_iri, orgtype_iri
        self.project_ledger, self.org_ledger = Ledger("project.csv"), Ledger("organization.csv")
        self.projects: dict[str, str] = {}  # CORDIS id -> project IRI term, kept projects only
        self.refused: dict[str, str] = {}  # CORDIS id -> the filter that refused the project
        self.programmes = Programmes(self.add, self.g, self.doc)
        self.organisations: dict[str, str] = {}  # PIC -> label written
        self.classified: set[str] = set()  # PICs typed by a known activity type
        self.participations: dict[str, int] = {}  # participation key -> line of its row

    def reject(self, ledger: Ledger, line: int, field_: str, value: str, reason: str, row: bool = True) -> None:
        """Report a problem; with ``row`` (the default) the whole row is rejected and counted."""
        self.rejects.append(Problem(ledger.file, line, field_, value, reason))
        if row:
            self.counts["rejected rows"] += 1
            ledger.rejected += 1

    def leave_out(self, ledger: Ledger, line: int, field_: str, value: str, reason: str) -> None:
        """Report a field left out of a row that is otherwise mapped."""
        self.reject(ledger, line, field_, value, reason, row=False)

    def keyed_rows(self, rows, ledger: Ledger, column: str, counter: str):  # noqa: ANN001, ANN202
        """(line, row, project id) of every row that can be read; the others are counted here, as
        filtered (empty) or rejected (unreadable, or a project id that is not a number)."""
        for line, row in rows:
            self.counts[counter] += 1
            ledger.read += 1
            if EMPTY in row:
                ledger.filtered["empty row"] += 1
                continue
            if ERROR in row:
                self.reject(ledger, line, "", "", row[ERROR])
                continue
            try:
                pid = identifier(row[column])
            except FieldError as err:
                self.reject(ledger, line, column, row[column], f"a CORDIS project id: {err}")
                continue
            yield line, row, pid

    def result(self, source: str) -> SourceResult:
        """The run's lines, rejects, counts and ledgers, once both tables are mapped."""
        # The shapes want every organisation typed; one whose rows gave no known activity type is
        # typed unspecified, which says exactly that.
        for pic_ in sorted(set(self.organisations) - self.classified):
            self.add(quad(iri(entity_iri("organisation", f"pic-{pic_}")), _T["classification"],
                          iri(self.orgtype_iri("unspecified")), self.g))
        self.counts["organisations"] = len(self.organisations)
        return SourceResult(source, self.lines, self.rejects, self.counts, ledgers=[self.project_ledger, self.org_ledger])

    # -- projects ----------------------------------------------------------------------------

    def map_projects(self, path: Path) -> None:
        """Every row of the project table: a project kept, filtered (by name) or rejected."""
        header, rows = read_table(path)
        missing = [c for c in PROJECT_REQUIRED if c not in header]
        if missing:
            raise ValueError(f"{path}: not a CORDIS project table (no column {', '.join(missing)})")
        for line, row, pid in self.keyed_rows(rows, self.project_ledger, "id", "projects read"):
            if self.keeps_project(line, row, pid):
                p = self.project(line, row, pid)
                self.project_dates_and_amounts(p, line, row)
                self.project_funding(p, line, row)

    def keeps_project(self, line: int, row: dict[str, str], pid: str) -> bool:
        """Whether the project is kept: not a repeated id, and no filter refuses it."""
        if pid in self.projects or pid in self.refused:
            self.reject(self.project_ledger, line, "id", pid, "duplicate project id")
            return False
        refusal = self.filters.refusing({**row, "id": pid})
        if refusal:
            self.refused[pid] = refusal
            self.project_ledger.filtered[refusal] += 1
            return False
        self.project_ledger.kept += 1
        return True

    def project(self, line: int, row: dict[str, str], pid: str) -> str:
        """The project node with its label, identifiers and acronym; returns its term."""
        # Some CORDIS-derived tables (the H2020 participations set) hold the record number
        # (rcn) in `id`, not the grant agreement number: then `rcn` repeats `id`, and the
        # project is keyed and labelled by its rcn instead.
        rcn = row.get("rcn", "").removesuffix(".0")
        by_rcn = rcn == pid
        p = iri(entity_iri("project", f"cordis-rcn-{pid}" if by_rcn else f"cordis-{pid}"))
        self.projects[pid] = p
        self.counts["projects kept"] += 1
        acronym = row.get("acronym", "")
        label = row.get("title") or acronym or (f"CORDIS project (record {pid})" if by_rcn else f"CORDIS project {pid}")
        self.add(quad(p, RDF_TYPE, _C["Project"], self.g))
        self.add(quad(p, _T["label"], literal(label), self.g))
        if not by_rcn:
            self.add(quad(p, _T["cordis"], literal(pid), self.g))
        if rcn and not by_rcn:
            try:
                self.add(quad(p, _T["rcn"], literal(identifier(rcn)), self.g))
            except FieldError as err:
                self.leave_out(self.project_ledger, line, "rcn", rcn, f"a record number: {err}; field left out")
        elif by_rcn:
            self.add(quad(p, _T["rcn"], literal(pid), self.g))
        self.add(quad(p, _T["source"], self.doc, self.g))
        if acronym:
            self.add(quad(p, _T["acronym"], literal(acronym), self.g))
        return p

    def project_dates_and_amounts(self, p: str, line: int, row: dict[str, str]) -> None:
        """Start and end dates, total cost and the EU's maximum contribution."""
        dates = start_and_end(row, "startDate", "endDate",
                              lambda column, value, reason: self.leave_out(self.project_ledger, line, column, value, reason))
        for predicate, when in dates.items():
            self.add(quad(p, _T[predicate], literal(when.lexical, XSD_DATE), self.g))
        for column, predicate in (("totalCost", "totalCost"), ("ecMaxContribution", "ecMax")):
            try:
                value = amount(row.get(column, ""))
            except FieldError as err:
                self.leave_out(self.project_ledger, line, column, row[column], f"{err}; field left out")
                continue
            if value is not None:
                self.add(quad(p, _T[predicate], literal(value, XSD_DECIMAL), self.g))

    def project_funding(self, p: str, line: int, row: dict[str, str]) -> None:
        """The programmes that fund the project, and its funding scheme."""
        framework = row.get("frameworkProgramme", "")
        parts = programme_parts(row.get("programmePart", "")) or programme_parts(row.get("legalBasis", ""))[:1]
        for funder in self.programmes.funders(framework, parts):
            self.add(quad(p, _T["funder"], funder, self.g))
        scheme = row.get("fundingScheme", "")
        if scheme and slug(scheme):
            self.add(quad(p, _T["fundingScheme"], self.programmes.funding_scheme(scheme), self.g))
        elif scheme:
            self.leave_out(self.project_ledger, line, "fundingScheme", scheme,
                           "no letters or digits to key the scheme by; field left out")

    # -- participations ----------------------------------------------------------------------

    def map_participations(self, path: Path, project_table: str) -> None:
        """Every row of the organisation table: a participation kept, filtered or rejected."""
        header, rows = read_table(path)
        missing = [c for c in ORGANISATION_REQUIRED if c not in header]
        if missing:
            raise ValueError(f"{path}: not a CORDIS organisation table (no column {', '.join(missing)})")
        for line, row, pid in self.keyed_rows(rows, self.org_ledger, "projectID", "participations read"):
            kept = self.keeps_participation(line, row, pid, project_table)
            if kept is None:
                continue
            pic_, role_key, key = kept
            o = self.organisation(pic_, row)
            self.organisation_details(o, pic_, line, row)
            m = membership_quads(self.add, self.g, key=key, agent=o, target=self.projects[pid], role=role_key,
                                 role_iri=iri(self.role_iri(role_key)), sources=[self.doc])
            self.contribution(m, line, row)
            self.counts["participations kept"] += 1

    def keeps_participation(self, line: int, row: dict[str, str], pid: str,
                            project_table: str) -> tuple[str, str, str] | None:
        """(PIC, role key, participation key) of a row that is kept; ``None`` for a row filtered
        with its project or rejected (no such project, a bad PIC or role, a repeat)."""
        if pid not in self.projects:
            if pid in self.refused:
                self.org_ledger.filtered[f"project not kept ({self.refused[pid]})"] += 1
            else:
                self.reject(self.org_ledger, line, "projectID", pid, f"no project with this id in {project_table}")
            return None
        try:
            pic_ = pic(row["organisationID"])
        except FieldError as err:
            self.reject(self.org_ledger, line, "organisationID", row["organisationID"], str(err))
            return None
        role_key = ROLES.get(row["role"].replace("_", "").replace(" ", "").lower())
        if role_key is None:
            self.reject(self.org_ledger, line, "role", row["role"], f"unknown CORDIS role; expected one of {', '.join(sorted(ROLES))}")
            return None
        key = f"pic-{pic_}--{role_key}--cordis-{pid}"
        if key in self.participations:
            # The same organisation in the same role twice in one project (CORDIS lists some
            # twice, e.g. with two addresses): the first row stands, this one is reported.
            self.reject(self.org_ledger, line, "organisationID", pic_,
                        f"repeats the participation {key} of line {self.participations[key]}; this row's values "
                        f"(ecContribution={row.get('ecContribution', '')!r}) left out")
            self.counts["participations merged"] = self.counts.get("participations merged", 0) + 1
            return None
        self.participations[key] = line
        self.org_ledger.kept += 1
        return pic_, role_key, key

    def organisation(self, pic_: str, row: dict[str, str]) -> str:
        """The organisation of a PIC, described at its first row; later names become alternatives."""
        o = iri(entity_iri("organisation", f"pic-{pic_}"))
        name = row.get("name", "")
        if pic_ not in self.organisations:
            self.organisations[pic_] = name
            self.add(quad(o, RDF_TYPE, _C["Organization"], self.g))
            self.add(quad(o, _T["label"], literal(name or f"PIC {pic_}"), self.g))
            self.add(quad(o, _T["pic"], literal(pic_), self.g))
            self.add(quad(o, _T["source"], self.doc, self.g))
        elif name and not self.organisations[pic_]:
            self.organisations[pic_] = name  # a later row names an organisation first seen without one
            self.add(quad(o, _T["altLabel"], literal(name), self.g))
        elif name and name != self.organisations[pic_]:
            self.add(quad(o, _T["altLabel"], literal(name), self.g))
        if row.get("shortName"):
            self.add(quad(o, _T["altLabel"], literal(row["shortName"]), self.g))
        return o

    def organisation_details(self, o: str, pic_: str, line: int, row: dict[str, str]) -> None:
        """The organisation's type, country, city and web address, as this row gives them."""
        activity = row.get("activityType", "")
        if activity:
            if activity in ACTIVITY_TYPES:
                self.add(quad(o, _T["classification"], iri(self.orgtype_iri(ACTIVITY_TYPES[activity])), self.g))
                self.classified.add(pic_)
            else:
                self.leave_out(self.org_ledger, line, "activityType", activity, f"unknown activity type; expected one of "
                               f"{', '.join(ACTIVITY_TYPES)}; field left out (typed unspecified unless another row types it)")
        code = row.get("country", "")
        country = countries.lookup(code) if code else None
        if code and country is None:
            self.leave_out(self.org_ledger, line, "country", code, "unknown country code; field left out")
        elif country is not None:
            self.add(quad(o, _T["country"], iri(country.iri), self.g))
            name_of_city = row.get("city", "")
            c = city(self.add, self.g, self.doc, name_of_city.title() if name_of_city.isupper() else name_of_city, country)
            if c:
                self.add(quad(o, _T["location"], c, self.g))
        if row.get("organizationURL"):
            url = row["organizationURL"]
            if re.match(r"^https?://[^\s<>\"{}|\\^`]+$", url) and is_valid_iri(url):
                self.add(quad(o, _T["url"], iri(url), self.g))
            else:
                self.leave_out(self.org_ledger, line, "organizationURL", url, "not a web address; field left out")

    def contribution(self, m: str, line: int, row: dict[str, str]) -> None:
        """The EU's contribution to this participant, on the membership node."""
        try:
            value = amount(row.get("ecContribution", ""))
        except FieldError as err:
            self.leave_out(self.org_ledger, line, "ecContribution", row["ecContribution"], f"{err}; field left out")
        else:
            if value is not None:
                self.add(quad(m, _T["ec"], literal(value, XSD_DECIMAL), self.g))

