"""The column register of Participedia's exports: what the adapter makes of every column.

A column is mapped by code of its own (:data:`MAPPED`), a facet (:data:`FACETS`), a yes/no
flag (:data:`FLAGS`), or deliberately left out with the reason (:data:`LEFT_OUT`, listed in
``docs/sources.md``); any other column is reported once per file (:func:`unmapped_columns`).
The value maps for ``sector`` (:data:`SECTORS`) and ``public_spectrum`` (:data:`IAP2`) are here
too: they say what a cell's value becomes in the project's own vocabularies.
"""

from __future__ import annotations

import re

#: Participedia ``sector`` values (the four keys of its organisation form, their English labels,
#: and older values still in the data) -> keys of the organisation-type scheme.
SECTORS = {
    "non_profit_non_gov": "civil-society-organisation", "non-profit or non governmental": "civil-society-organisation",
    "community_based_organization": "civil-society-organisation", "community based organization": "civil-society-organisation",
    "social_movement": "civil-society-organisation", "social movement": "civil-society-organisation",
    "faith_based_organization": "civil-society-organisation", "faith-based organization": "civil-society-organisation",
    "governmental": "public-body", "governmental organization": "public-body", "government": "public-body",
    "government_owned_corporation": "public-body", "government owned corporation": "public-body",
    "higher_ed": "university", "higher education or research": "university",
    "academic_institution": "university", "academic institution": "university", "academic": "university",
    "research_institution": "research-organisation", "research institution": "research-organisation",
    "for_profit": "company", "for-profit business": "company", "for profit": "company",
    "philanthropic_organization": "funding-body", "philanthropic organization": "funding-body",
    "international_organization": "other", "international organization": "other",
    "think_tank": "think-tank", "think tank": "think-tank",
}
IAP2 = {"inform": "inform", "consult": "consult", "involve": "involve", "collaborate": "collaborate", "empower": "empower"}
#: Facet columns (stems: ``<stem>_1``..``<stem>_5`` share one) -> (property, scheme suffix). Each
#: cell holds one key of Participedia's vocabulary for that field (``deliberative``,
#: ``facilitate``), kept as a concept ``id/participedia-<suffix>/<key>`` in the scheme
#: ``id/scheme/participedia-<suffix>``. The organisation form's ``type_method``/``type_tool`` use
#: the same keys as the case form's ``method_types``/``tools_techniques_types``, so they share a
#: scheme. Facets without a property of their own use ``dkg:facet``; the scheme names the facet.
FACETS = {
    "purposes": ("purpose", "purpose"), "purpose_method": ("purpose", "purpose"),
    "scope_of_influence": ("scope", "scope"), "recruitment_method": ("recruitment", "recruitment"),
    "decision_methods": ("decisionMethod", "decision-method"), "general_issues": ("issue", "issue"),
    "method_types": ("methodType", "method-type"), "type_method": ("methodType", "method-type"),
    "open_limited": ("openness", "openness"), "facetoface_online_or_both": ("mode", "mode"),
    "tools_techniques_types": ("facet", "tool-type"), "type_tool": ("facet", "tool-type"),
    "specific_topics": ("facet", "topic"), "approaches": ("facet", "approach"),
    "targeted_participants": ("facet", "targeted-participants"),
    "participants_interactions": ("facet", "interaction"), "learning_resources": ("facet", "learning-resource"),
    "if_voting": ("facet", "voting"), "insights_outcomes": ("facet", "outcome"),
    "organizer_types": ("facet", "organiser-type"), "funder_types": ("facet", "funder-type"),
    "change_types": ("facet", "change-type"), "implementers_of_change": ("facet", "change-implementer"),
    "time_limited": ("facet", "time-limit"), "facilitator_training": ("facet", "facilitator-training"),
    "level_polarization": ("facet", "polarisation"), "level_complexity": ("facet", "complexity"),
}
#: Yes/no columns (``1``/``0``) -> scheme suffix: concepts ``yes`` and ``no`` under ``dkg:facet``.
FLAGS = {"ongoing": "ongoing", "legality": "legality", "facilitators": "facilitators", "staff": "staff",
         "volunteers": "volunteers", "impact_evidence": "impact-evidence", "formal_evaluation": "formal-evaluation"}
#: Columns mapped by code of their own (not facets).
MAPPED = {"id", "type", "title", "url", "description", "body", "city", "country", "latitude", "longitude", "sector",
          "start_date", "end_date", "is_component_of_id", "specific_methods_tools_techniques",
          "specific_methods_tools_techniques_titles", "public_spectrum", "number_of_participants",
          "primary_organizer_id", "primary_organizer_title"}
#: Columns of the real export layouts (participedia/api, create-csv-data-dump.js) deliberately not
#: mapped, and why: ``docs/sources.md`` lists them. Any other column is reported once per file.
LEFT_OUT = {
    "featured": "Participedia's front-page flag, not a fact about the entry",
    "post_date": "when the page was written, not when the process happened",
    "updated_date": "when the page was edited, not when the process happened",
    "original_language": "the language the page was first written in",
    **{c: "the page's editors: personal data, not facts about the entry" for c in (
        "creator_id", "creator_name", "creator_profile_url", "last_updated_by_id", "last_updated_by_name",
        "last_updated_by_profile_url")},
    **{c: "street address: the graph places entries by city, country and coordinates" for c in (
        "address1", "address2", "postal_code", "province")},
    "is_component_of_title": "repeats the entry is_component_of_id names", "is_component_of_url": "repeats is_component_of_id",
    "primary_organizer_url": "repeats primary_organizer_id",
    "has_components_titles": "the export keeps only the last component; each component's is_component_of_id links it",
    "collections": "Participedia's reading lists; the export keeps only the last one",
    "funder": "free text naming funders, with nothing to identify them by",
    **{c: "counts of media on the page (in case exports, text lengths, not counts)" for c in (
        "files_count", "links_count", "photos_count", "videos_count", "audio_count", "evaluation_reports_count",
        "evaluation_links_count")},
}
#: Values that mean "no answer" in Participedia's facets.
NO_VALUE = {"", "n/a", "not_applicable", "dont", "not"}


def column_stem(column: str) -> str:
    """The field a column belongs to: ``purposes_2`` -> ``purposes``.

    >>> column_stem("purposes_2"), column_stem("is_component_of_id"), column_stem("files_count")
    ('purposes', 'is_component_of_id', 'files_count')
    """
    return re.sub(r"_[1-9]$", "", column)


def field_values(row: dict[str, str], stem: str) -> list[str]:
    """All answers in a multi-valued field: ``stem`` itself or ``stem_1``..``stem_n``, trimmed.

    Cells that mean "no answer" (:data:`NO_VALUE`) are left out.

    >>> field_values({"sector": "higher_ed"}, "sector"), field_values({"sector_1": "dont"}, "sector")
    (['higher_ed'], [])
    """
    out = []
    if stem in row:
        out.append(row[stem])
    n = 1
    while f"{stem}_{n}" in row:
        out.append(row[f"{stem}_{n}"])
        n += 1
    return [v.strip() for v in out if v.strip().casefold() not in NO_VALUE]


def unmapped_columns(header: list[str], bodies: bool = True) -> list[tuple[str, str]]:
    """(column, reason) for every column of ``header`` whose values the adapter does not map."""
    out = []
    for column in header:
        stem = column_stem(column)
        if stem in MAPPED or stem in FACETS or stem in FLAGS:
            if stem == "body" and not bodies:
                out.append((column, "long text, stored only when the source sets bodies = true"))
            continue
        out.append((column, LEFT_OUT.get(stem, "a column Participedia's export layouts do not have; its values are not mapped")))
    return out
