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

The adapter is in modules by topic: :mod:`.filters` (which projects a source keeps),
:mod:`.tables` (reading the CSV tables), :mod:`.programmes` (programmes and funding schemes) and
:mod:`.adapter` (:func:`cordis_quads`, row by row).

Examples
--------
>>> decimal_or_none("1499998.0"), decimal_or_none("1 234,50"), decimal_or_none("")
('1499998.0', '1234.5', None)
"""

from .adapter import ACTIVITY_TYPES, LICENCE, ORGANISATION_REQUIRED, PROJECT_REQUIRED, ROLES, cordis_quads
from .filters import CordisFilter, cordis_filter, programme_parts
from .programmes import FRAMEWORKS
from .tables import EMPTY, ERROR, decimal_or_none, read_table

__all__ = ["ACTIVITY_TYPES", "EMPTY", "ERROR", "FRAMEWORKS", "LICENCE", "ORGANISATION_REQUIRED", "PROJECT_REQUIRED",
           "ROLES", "CordisFilter", "cordis_filter", "cordis_quads", "decimal_or_none", "programme_parts", "read_table"]
