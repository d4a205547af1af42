"""The register's data package: its columns, and how the adapter reads their cells."""

from __future__ import annotations

import re
from pathlib import Path

from ..checks import read_rows

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
#: A year, as the register writes it (``2021`` or ``2021.0``).
YEAR = re.compile(r"^([0-9]{4})(?:\.0+)?$", re.ASCII)
_COUNT = re.compile(r"^([0-9]{1,7})(?:\.0+)?$", re.ASCII)
#: A mySociety local authority code.
COUNCIL_CODE = re.compile(r"^[A-Z]{3,4}$")


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
    m = _COUNT.match(text)
    if m:
        return int(m.group(1))
    if text:
        raise ValueError("not a whole number of participants")
    return None


def read_register(path: Path) -> tuple[list[str], list[tuple[int, list[str], str]]]:
    """Header and (line, cells, error) rows of a register CSV (a BOM is allowed; quoted newlines
    kept); ``error`` says why a record could not be read (bytes that are not UTF-8, broken CSV)."""
    header, records = read_rows(path, delimiter=",")
    # The cell-count check is the caller's (it names the row's values); only unreadable records
    # carry an error here.
    return header, [(r.line, r.cells, r.error if not r.cells else "") for r in records]
