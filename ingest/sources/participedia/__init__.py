"""Participedia CSV exports (cases, methods, organizations) -> cases, method concepts, organisations.

Reads the files participedia.net's "download CSV" writes, one per entry type, recognised by
their ``type`` column: ``case``, ``method``, ``organization``. Every entity keeps its
Participedia id (``dkg:participediaId``) and page (``schema:url``); titles and the short
``description`` are stored, the long ``body`` only when ``bodies=True``. The source graph
records the licence (CC BY-NC-SA 3.0) and the attribution Participedia asks for.

- methods -> ``skos:Concept`` in the scheme ``id/scheme/participedia-method``
  (``id/participedia-method/<id>``), with ``skos:exactMatch`` to the project's own method
  concept when the (normalised) title is that concept's preferred or alternative label;
- organizations -> ``org:Organization`` ``id/organisation/participedia-<id>`` with a type from
  ``sector`` (both of Participedia's vocabularies), country, city, coordinates and the methods
  and tools it uses;
- cases -> ``dkg:Case`` ``id/case/participedia-<id>`` with dates, city, country, coordinates,
  organiser (a qualified ``organiser`` membership plus ``schema:organizer``), methods, IAP2 level
  (``public_spectrum`` onto the project's IAP2 scheme), and Participedia's own facets (purposes,
  scope, recruitment, decision methods, ...) as concepts in ``id/scheme/participedia-<facet>``.

Quirks handled (all seen in real exports): a BOM; ``_1``..``_n`` columns whose later values
start with a space; two vocabularies mixed in one column (``non_profit_non_gov`` and
``Non-Profit or Non Governmental``); country names in other languages (``Italia``); link fields
that are Postgres arrays of composite rows (``{"(4328,method,\\"ICT\\")","(145,method,X)"}``)
or a single composite row; names wrapped in an extra layer of quotes; HTML entities; embedded
newlines; trailing spaces; typographic apostrophes; float ids (``5168.0``); test records (a
title ending in ``TEST``), which are reported and left out.

The adapter is in modules by topic: :mod:`.columns` (the column register: what becomes of every
column), :mod:`.text` (reading cell text and links), :mod:`.exports` (finding and reading the
files), :mod:`.nodes` (schemes, concepts, methods and organisations described once) and
:mod:`.adapter` (:func:`participedia_quads`, row by row).

Examples
--------
>>> parse_links('{"(4328,method,\\\\"ICT, online\\\\")","(145,method,Survey)"}')
[('4328', 'method', 'ICT, online'), ('145', 'method', 'Survey')]
>>> parse_links('(4232,method,"Online Deliberation")')
[('4232', 'method', 'Online Deliberation')]
>>> clean_text('  &quot;Citizens&#039; Assembly&quot; ')
"Citizens' Assembly"
"""

from .adapter import ATTRIBUTION, BODY_LIMIT, LICENCE, participedia_quads
from .columns import FACETS, FLAGS, IAP2, LEFT_OUT, MAPPED, NO_VALUE, SECTORS, column_stem, field_values, unmapped_columns
from .exports import ERROR, read_export
from .nodes import GEO
from .text import clean_text, normalise_name, parse_links

__all__ = ["ATTRIBUTION", "BODY_LIMIT", "ERROR", "FACETS", "FLAGS", "GEO", "IAP2", "LEFT_OUT", "LICENCE", "MAPPED",
           "NO_VALUE", "SECTORS", "clean_text", "column_stem", "field_values", "normalise_name", "parse_links",
           "participedia_quads", "read_export", "unmapped_columns"]
