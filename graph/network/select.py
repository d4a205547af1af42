"""Which ties a projection uses: filters by programme, years, method, country, type and role.

A :class:`TieFilter` names what to keep; :func:`select_ties` applies it to the ``ties`` table of
:class:`graph.network.extract.KnowledgeTables` and returns the rows that pass, plus a count of
what each filter removed (so a report can say why a network is small). Values may be full IRIs,
``kind/key`` or bare keys; programmes, methods and roles include everything narrower
(``schema:funder``/``dcterms:isPartOf``/``schema:superEvent`` and ``skos:broader`` walked up, and
``skos:exactMatch`` so that a Participedia method counts as ours). Countries are ISO codes or
English names.

``sources`` keeps the ties of some source graphs only (``curated``, ``participedia``, ...).
Time windows keep a tie whose years overlap ``[start_year, end_year]``; a tie without any date
cannot be placed in time and is left out (counted under ``years``). Missing end dates are taken as
"still running".

Examples
--------
>>> import pandas as pd
>>> from graph.network.select import TieFilter, year_span
>>> TieFilter(countries=("be",)).describe()
'countries=be'
>>> first, last = year_span(pd.Series(["2019-05-01", "2021", None]), pd.Series(["2020-12-31", None, None]))
>>> first.tolist(), last.tolist()
([2019.0, 2021.0, nan], [2020.0, inf, nan])
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd

from ontology.countries import lookup, lookup_name
from ontology.errors import DkgError
from ontology.namespaces import BASE

from .extract import KnowledgeTables, key

__all__ = ["TieFilter", "select_ties", "narrower_or_same", "year_span", "FilterError"]

#: Link relations that put a thing under a broader one, for each kind of filter.
HIERARCHIES = {
    "programme": ("schema:funder", "dcterms:isPartOf", "schema:superEvent"),
    "method": ("skos:broader", "skos:exactMatch"),
    "role": ("skos:broader",),
}


class FilterError(DkgError, ValueError):
    """A filter value names nothing in the graph (the message says which and offers near names).

    A :class:`ValueError` and a :class:`~ontology.errors.DkgError`.

    Parameters
    ----------
    message : str

    Examples
    --------
    >>> import pandas as pd
    >>> from graph.network.extract import KnowledgeTables
    >>> ties = pd.DataFrame({"organisation": ["a"], "target": ["p"], "target_kind": ["project"]})
    >>> select_ties(KnowledgeTables(ties, pd.DataFrame({"orgtype": ["ngo"]}, index=["a"]), pd.DataFrame()),
    ...             TieFilter(orgtypes=("university",)))
    Traceback (most recent call last):
    graph.network.select.FilterError: no organisation type university in the graph; known: ngo
    """


@dataclass(frozen=True)
class TieFilter:
    """What a projection keeps; an empty field keeps everything.

    Parameters
    ----------
    kinds : tuple of str
        Target kinds (``project``, ``network``, ``event``, ``programme``, ``case``).
    programmes, methods, roles : tuple of str
        Programmes, methods and roles (IRIs, ``kind/key`` or keys), narrower ones included.
    countries : tuple of str
        The organisations' countries: ISO 3166 codes or English names.
    orgtypes : tuple of str
        The organisations' types (keys).
    start_year, end_year : int, optional
        Keep ties whose years overlap ``[start_year, end_year]`` (undated ties are dropped).
    sources : tuple of str
        Source graphs (``curated``, ``participedia``, ...).

    Examples
    --------
    >>> flt = TieFilter(programmes=("h2020",), start_year=2018)
    >>> flt.describe(), flt.kinds
    ('programmes=h2020 start_year=2018', ('project', 'network'))
    """

    kinds: tuple[str, ...] = ("project", "network")
    programmes: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    orgtypes: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    start_year: int | None = None
    end_year: int | None = None
    sources: tuple[str, ...] = ()

    def describe(self) -> str:
        """The filter as ``name=value`` pairs, the default target kinds left out.

        Returns
        -------
        str
            Space-separated ``name=value`` pairs, several values ``,``-joined; empty for the
            default filter.

        Examples
        --------
        >>> TieFilter(kinds=("network",), countries=("BE", "NL")).describe()
        'kinds=network countries=BE,NL'
        >>> TieFilter().describe()
        ''
        """
        parts = []
        for f in fields(self):
            value = getattr(self, f.name)
            if value in (None, ()) or (f.name == "kinds" and value == f.default):
                continue
            parts.append(f"{f.name}={','.join(map(str, value)) if isinstance(value, tuple) else value}")
        return " ".join(parts)

    def as_dict(self) -> dict[str, object]:
        """The filter's fields as plain values (tuples as lists), for JSON.

        Returns
        -------
        dict

        Examples
        --------
        >>> d = TieFilter(countries=("BE",), start_year=2018).as_dict()
        >>> d["countries"], d["start_year"], d["end_year"]
        (['BE'], 2018, None)
        >>> TieFilter(**{k: tuple(v) if isinstance(v, list) else v for k, v in d.items()}).describe()
        'countries=BE start_year=2018'
        """
        return {f.name: list(v) if isinstance(v := getattr(self, f.name), tuple) else v for f in fields(self)}


@dataclass
class Selection:
    """The ties that passed, and how many rows each filter removed (in the order applied).

    Attributes
    ----------
    ties : pandas.DataFrame
        The rows kept, in table order, indexed from 0.
    removed : dict
        Filter name -> rows it removed.

    Examples
    --------
    >>> import pandas as pd
    >>> selection = Selection(pd.DataFrame({"organisation": ["a"], "target": ["p"]}), {"kinds": 2})
    >>> len(selection.ties), sum(selection.removed.values())
    (1, 2)
    """

    ties: pd.DataFrame
    removed: dict[str, int] = field(default_factory=dict)


def _resolve(tables: KnowledgeTables, value: str, kind: str) -> str:
    """A filter value as a full IRI: ``http...`` as is, ``kind/key`` or ``key`` under ``id/``."""
    if value.startswith(("http://", "https://")):
        return value
    candidates = [BASE + "id/" + value] if "/" in value else [BASE + f"id/{kind}/{value}"]
    for iri in candidates:
        if iri in tables.entities.index or iri in set(tables.links["parent"]):
            return iri
    # A key alone: any entity whose key is that value (programmes live under several kinds' paths).
    matches = sorted(i for i in tables.entities.index if key(i) == value.rsplit("/", 1)[-1])
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise FilterError(f"{kind} {value!r} is ambiguous: {', '.join(matches)}; give the full IRI")
    raise FilterError(f"no {kind} {value!r} in the graph")


def narrower_or_same(tables: KnowledgeTables, roots: set[str], relations: tuple[str, ...]) -> set[str]:
    """Everything that reaches one of ``roots`` by following ``relations`` upwards (roots included).

    Parameters
    ----------
    tables : KnowledgeTables
        Its ``links`` are followed from ``child`` to ``parent``.
    roots : set of str
    relations : tuple of str
        Link relations to follow (e.g. ``HIERARCHIES["method"]``).

    Returns
    -------
    set of str

    Examples
    --------
    >>> import pandas as pd
    >>> from graph.network.extract import KnowledgeTables
    >>> links = pd.DataFrame({"child": ["jury", "citizens-jury", "poll"], "relation": "skos:broader",
    ...                       "parent": ["deliberation", "jury", "survey"]})
    >>> sorted(narrower_or_same(KnowledgeTables(pd.DataFrame(), pd.DataFrame(), links), {"deliberation"},
    ...                         ("skos:broader",)))
    ['citizens-jury', 'deliberation', 'jury']
    """
    links = tables.links.loc[tables.links["relation"].isin(relations)]
    below: dict[str, list[str]] = defaultdict(list)
    for child, parent in zip(links["child"], links["parent"]):
        below[parent].append(child)
    seen, stack = set(roots), list(roots)
    while stack:
        for child in below.get(stack.pop(), ()):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return seen


def year_span(start: pd.Series, end: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """First and last year of each row from lexical dates of any precision (end missing: open).

    Parameters
    ----------
    start, end : pandas.Series
        Lexical dates (``2019``, ``2019-05``, ``2019-05-01``...) or missing values.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        The years as floats: NaN where the start is missing (and then the end too), ``inf``
        where only the end is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> first, last = year_span(pd.Series(["2019-05", None]), pd.Series([None, "2020"]))
    >>> first.tolist(), last.tolist()
    ([2019.0, nan], [inf, 2020.0])
    """
    first = pd.to_numeric(start.str[:4], errors="coerce").to_numpy(dtype=float)
    last = pd.to_numeric(end.str[:4], errors="coerce").to_numpy(dtype=float)
    last = np.where(np.isnan(last) & ~np.isnan(first), np.inf, last)
    return first, last


def _country_code(value: str) -> str:
    found = lookup(value) if len(value.strip()) == 2 else None
    if found is None:
        from ontology.countries import all_countries

        found = next((c for c in all_countries() if c.alpha_3 == value.strip().upper()), None) or lookup_name(value)
    if found is None:
        raise FilterError(f"unknown country {value!r}: give an ISO 3166 code or an English name")
    return found.alpha_2


def select_ties(tables: KnowledgeTables, tie_filter: TieFilter | None = None) -> Selection:
    """Apply ``tie_filter`` to ``tables.ties``.

    Parameters
    ----------
    tables : KnowledgeTables
    tie_filter : TieFilter, optional
        What to keep (default: ties to projects and networks).

    Returns
    -------
    Selection
        ``ties`` (the rows kept, in table order) and ``removed`` (rows removed per filter).

    Raises
    ------
    FilterError
        A programme, method or role names nothing in the graph, or a country is unknown.

    Examples
    --------
    Belgian organisations' ties overlapping 2019 or later: ``b`` is Dutch, ``c``'s tie is undated.

    >>> import pandas as pd
    >>> from graph.network.extract import KnowledgeTables
    >>> ties = pd.DataFrame({"organisation": ["a", "b", "c"], "target": ["p", "p", "net"],
    ...                      "target_kind": ["project", "project", "network"],
    ...                      "start": ["2018", "2022-01", None], "end": ["2020", None, None]})
    >>> entities = pd.DataFrame({"country": ["BE", "NL", "BE"]}, index=["a", "b", "c"])
    >>> selection = select_ties(KnowledgeTables(ties, entities, pd.DataFrame()),
    ...                         TieFilter(countries=("be",), start_year=2019))
    >>> selection.ties[["organisation", "target"]].values.tolist(), selection.removed
    ([['a', 'p']], {'kinds': 0, 'countries': 1, 'years': 1})
    """
    flt = tie_filter or TieFilter()
    ties, removed = tables.ties, {}

    def keep(name: str, mask) -> None:  # noqa: ANN001 - a boolean array or Series
        nonlocal ties
        mask = np.asarray(mask, dtype=bool)
        removed[name] = int((~mask).sum())
        ties = ties.loc[mask]

    if flt.kinds:
        keep("kinds", ties["target_kind"].isin(flt.kinds))
    if flt.programmes:
        roots = {_resolve(tables, v, "programme") for v in flt.programmes}
        keep("programmes", ties["target"].isin(narrower_or_same(tables, roots, HIERARCHIES["programme"])))
    if flt.methods:
        roots = {_resolve(tables, v, "method") for v in flt.methods}
        methods = narrower_or_same(tables, roots, HIERARCHIES["method"])
        uses = tables.links.loc[(tables.links["relation"] == "dkg:usesMethod") & tables.links["parent"].isin(methods)]
        keep("methods", ties["target"].isin(set(uses["child"])))
    entities = tables.entities
    if flt.countries:
        codes = {_country_code(v) for v in flt.countries}
        keep("countries", entities["country"].reindex(ties["organisation"]).isin(codes))
    if flt.orgtypes:
        wanted = {key(v) for v in flt.orgtypes}
        known = set(entities["orgtype"].dropna())
        if not wanted & known:
            raise FilterError(f"no organisation type {', '.join(sorted(wanted))} in the graph; "
                              f"known: {', '.join(sorted(known))}")
        keep("orgtypes", entities["orgtype"].reindex(ties["organisation"]).isin(wanted))
    if flt.roles:
        roots = {_resolve(tables, v, "role") for v in flt.roles}
        wanted = {key(r) for r in narrower_or_same(tables, roots, HIERARCHIES["role"])}
        keep("roles", ties["role"].isin(wanted))
    if flt.sources:
        known = set(tables.ties["source"].dropna())
        unknown = sorted(set(flt.sources) - known)
        if unknown:
            raise FilterError(f"no source graph {', '.join(unknown)} in the graph; known: {', '.join(sorted(known))}")
        keep("sources", ties["source"].isin(set(flt.sources)))
    if flt.start_year is not None or flt.end_year is not None:
        first, last = year_span(ties["start"], ties["end"])
        lo = -np.inf if flt.start_year is None else flt.start_year
        hi = np.inf if flt.end_year is None else flt.end_year
        keep("years", ~np.isnan(first) & (first <= hi) & (last >= lo))
    return Selection(ties.reset_index(drop=True), removed)
