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

The adapter is in modules by topic: :mod:`.register` (the data package's columns and how their
cells read), :mod:`.facilitators` (joining spellings) and :mod:`.adapter`
(:func:`assemblies_quads`, row by row).

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

from .adapter import ATTRIBUTION, HOME, LICENCE, assemblies_quads
from .facilitators import Facilitator, cluster_facilitators
from .register import (AUTHORITY_TYPES, COLUMNS, REQUIRED, STATUSES, UK_PUBLIC, method_of, participants, read_register,
                       split_facilitators)

__all__ = ["ATTRIBUTION", "AUTHORITY_TYPES", "COLUMNS", "HOME", "LICENCE", "REQUIRED", "STATUSES", "UK_PUBLIC",
           "Facilitator", "assemblies_quads", "cluster_facilitators", "method_of", "participants", "read_register",
           "split_facilitators"]
