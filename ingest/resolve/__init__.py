"""Entity resolution: one canonical organisation for the same body described by several sources.

Each source keeps its own IRIs (``organisation:eurocities`` from the curated records,
``organisation:pic-999999999`` from CORDIS, ``organisation:participedia-901`` from
Participedia). Resolution finds which of them are the same organisation and writes, into its
own named graph ``graph/resolution``, ``owl:sameAs`` from every other member to the cluster's
canonical IRI and ``dkg:canonical`` from every member (the canonical one included), so analyses
and maps can group by ``dkg:canonical`` while SPARQL still shows which source said what.

Rules, in this order (:data:`NAME_THRESHOLD` is the fuzzy cut-off):

1. curator pins (``same``) from ``data/records/resolution.csv`` merge; curator forbids
   (``different``) are never merged by any later rule;
2. shared identifiers merge: PIC, Participedia id, Wikidata item, web domain (catalogue hosts
   such as participedia.net are not an organisation's domain);
3. names merge within the same country only, between different sources only: names are
   normalised (case, accents, punctuation, legal-form suffixes such as ``gGmbH`` or ``AISBL``,
   a leading "The"); equal normalised names score 100, otherwise rapidfuzz's
   ``token_sort_ratio`` must reach the threshold, and numbers in the names must agree ("School 2"
   is not "School 3"). Candidates are compared only inside blocks of the same country and the
   same first three letters, and only across two sources (blocking, not all pairs); the best
   scores merge first;
4. an organisation without a country (a facilitator named by the assemblies register, say)
   joins another source's organisation whose normalised name is exactly the same, but only when
   that name is unambiguous: all the organisations with a country that bear it are already one
   cluster. Otherwise organisations without a country are merged by identifiers only.

Two clusters are never merged when they hold different values of the same identifier (two
PICs, two Wikidata items): the identifiers say they are different organisations.

The canonical IRI of a cluster is the member of the highest-priority source (curated records
first, then sources in configuration order), ties broken by the smallest IRI.

The rules are in :mod:`.rules`; :mod:`.entities` reads the organisations from the lines and folds
their names, :mod:`.decisions` reads the curator's file.

Examples
--------
>>> normalise_org_name("The Democracy Reporting International gGmbH")
'democracy reporting international'
>>> normalise_org_name("EUROCITIES AISBL"), normalise_org_name("Università di Bologna")
('eurocities', 'universita di bologna')
"""

from .decisions import RESOLUTION_FILE, read_decisions
from .entities import CATALOGUE_HOSTS, FACT_MARKERS, LEGAL_FORMS, Entity, normalise_org_name, organisations
from .rules import NAME_THRESHOLD, Match, Resolution, resolve, write_matches

__all__ = ["CATALOGUE_HOSTS", "FACT_MARKERS", "LEGAL_FORMS", "NAME_THRESHOLD", "RESOLUTION_FILE", "Entity", "Match", "Resolution",
           "normalise_org_name", "organisations", "read_decisions", "resolve", "write_matches"]
