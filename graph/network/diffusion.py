"""Method diffusion: do organisations take up a method after a partner has used it?

Democratic innovations are said to spread through networks: a city runs a citizens' assembly
after a partner in an earlier project ran one. :func:`method_diffusion` checks the first half of
that story against the graph's dated participations: for each organisation's first use of each
method, was one of its earlier collaboration partners already a user? It is an exposure count,
not a causal estimate: a method that everyone adopts will show many exposed adopters by chance,
so compare the shares across methods and with the number of pioneers (:func:`diffusion_summary`).

Definitions
-----------
The ties are those :func:`graph.network.select.select_ties` keeps (default: ties to projects,
networks, events and cases, :data:`DIFFUSION_KINDS`); a tie's years are those of
:func:`graph.network.select.year_span`, and a tie without a start year cannot be placed in time
and is left out (the table's ``method`` says how many).

*Uses.* A collaboration (the target of a tie) uses method ``m`` when it has a ``dkg:usesMethod``
link to ``m`` or to a method under ``m`` (``skos:broader`` and ``skos:exactMatch`` followed
upwards, so a Participedia method counts as the method it matches and a citizens' jury counts as
a deliberative process too): exactly the collaborations ``TieFilter(methods=(m,))`` keeps, so a
network's own ``dkg:usesMethod`` counts for its members' ties to it, as in that filter.
An organisation uses ``m`` in year ``y`` when it has a tie starting in ``y`` to a collaboration
that uses ``m``.

*Adoption.* The organisation's adoption year of ``m`` is the first year it uses ``m``.

*Partners.* Organisations ``o`` and ``p`` (``o != p``) become partners in year ``t`` when both
have ties to the same collaboration whose years overlap; ``t`` is the later of the two ties'
start years, and the pair's partnership year is the earliest such ``t`` over their shared
collaborations. Former partners stay partners: a partnership that ended before the adoption
still counts.

*Exposure.* The adoption of ``m`` by ``o`` in year ``a`` is exposed when at least one partner
``p`` was a partner of ``o`` before ``a`` (partnership year ``< a``) and adopted ``m`` before
``a`` (adoption year ``< a``). Both comparisons are strict because dates are compared by year:
within one year the order of events is unknown, so a partner met in the project through which
``o`` adopts, or a partner adopting in the same year, does not count. ``exposing_partners``
counts such partners; ``first_exposure_year`` is the first year ``o`` had one, the earliest
``max(partnership year, partner's adoption year)`` over them.

Examples
--------
>>> import pandas as pd
>>> from graph.network.extract import KnowledgeTables
>>> ties = pd.DataFrame({"organisation": ["a", "b", "a", "b"], "target": ["p1", "p1", "p2", "p3"],
...                      "target_kind": "project", "start": ["2018", "2018", "2019", "2021"],
...                      "end": ["2019", "2019", "2019", "2021"]})
>>> links = pd.DataFrame({"child": ["p2", "p3"], "relation": "dkg:usesMethod", "parent": ["m", "m"]})
>>> table = method_diffusion(KnowledgeTables(ties, pd.DataFrame(), links))
>>> table.frame[["organisation", "adoption_year", "exposed", "first_exposure_year"]].values.tolist()
[['a', 2019, False, <NA>], ['b', 2021, True, 2019]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .extract import KnowledgeTables
from .result import MetricTable
from .select import HIERARCHIES, TieFilter, select_ties, year_span

__all__ = ["method_diffusion", "diffusion_summary", "DIFFUSION_KINDS"]

#: The collaborations whose ties count by default: methods are recorded on projects, events and
#: cases, and co-membership of a network makes partners.
DIFFUSION_KINDS = ("project", "network", "event", "case")

_COLUMNS = ["organisation", "method", "adoption_year", "exposed", "exposing_partners", "first_exposure_year"]


def _methods_of(tables: KnowledgeTables, targets: pd.Index) -> pd.DataFrame:
    """``target``, ``method``: every method each target uses, broader and matched methods included."""
    links = tables.links
    uses = links.loc[(links["relation"] == "dkg:usesMethod") & links["child"].isin(targets), ["child", "parent"]]
    up = links.loc[links["relation"].isin(HIERARCHIES["method"])]
    broader: dict[str, list[str]] = {}
    for child, parent in zip(up["child"].tolist(), up["parent"].tolist()):
        broader.setdefault(child, []).append(parent)
    closure: dict[str, set[str]] = {}

    def above(method: str) -> set[str]:
        # The method and everything it reaches upwards (an iterative walk: cycles are possible
        # through skos:exactMatch in both directions).
        if method not in closure:
            seen, stack = {method}, [method]
            while stack:
                for parent in broader.get(stack.pop(), ()):
                    if parent not in seen:
                        seen.add(parent)
                        stack.append(parent)
            closure[method] = seen
        return closure[method]

    pairs = {(t, m) for t, direct in zip(uses["child"].tolist(), uses["parent"].tolist()) for m in above(direct)}
    return pd.DataFrame(sorted(pairs), columns=["target", "method"])


def method_diffusion(tables: KnowledgeTables, tie_filter: TieFilter | None = None) -> MetricTable:
    """Each organisation's first use of each method, and whether a partner had used it before.

    Parameters
    ----------
    tables : KnowledgeTables
        From :func:`graph.network.extract.extract`.
    tie_filter : TieFilter, optional
        Which ties count, for uses and partnerships alike (default: ties to
        :data:`DIFFUSION_KINDS`). A filter's ``methods`` keeps only the ties to collaborations
        using those methods, so partners met elsewhere are not seen; leave it empty and pick
        methods from the result instead.

    Returns
    -------
    MetricTable
        One row per adopting organisation and method (``level`` ``node``), sorted by method,
        adoption year and organisation: ``organisation``, ``method`` (IRIs), ``adoption_year``,
        ``exposed``, ``exposing_partners`` and ``first_exposure_year`` (``<NA>`` when not
        exposed), as defined in the module docstring. ``method`` says how many selected ties
        were undated and left out.

    Raises
    ------
    FilterError
        As :func:`graph.network.select.select_ties`, for a value of ``tie_filter``.

    See Also
    --------
    diffusion_summary : the shares of exposed adopters per method.

    Examples
    --------
    A project using a jury, a kind of deliberation: its partner adopts both methods; an undated
    tie cannot be placed in time.

    >>> import pandas as pd
    >>> from graph.network.extract import KnowledgeTables
    >>> ties = pd.DataFrame({"organisation": ["a", "b"], "target": ["p", "q"], "target_kind": "project",
    ...                      "start": ["2019", None], "end": None})
    >>> links = pd.DataFrame({"child": ["p", "q", "jury"], "parent": ["jury", "jury", "deliberation"],
    ...                       "relation": ["dkg:usesMethod", "dkg:usesMethod", "skos:broader"]})
    >>> table = method_diffusion(KnowledgeTables(ties, pd.DataFrame(), links))
    >>> table.frame[["organisation", "method", "adoption_year"]].values.tolist()
    [['a', 'deliberation', 2019], ['a', 'jury', 2019]]
    >>> table.method
    'exact; 1 of 2 selected ties undated, left out'
    """
    flt = tie_filter or TieFilter(kinds=DIFFUSION_KINDS)
    ties = select_ties(tables, flt).ties
    first, last = year_span(ties["start"].astype(object), ties["end"].astype(object))
    dated = ~np.isnan(first)
    ties = pd.DataFrame({"organisation": ties["organisation"].to_numpy()[dated],
                         "target": ties["target"].to_numpy()[dated], "first": first[dated], "last": last[dated]})
    how = f"exact; {int((~dated).sum())} of {len(dated)} selected ties undated, left out"
    parameters = {"filter": flt.describe() if tie_filter else f"kinds={','.join(DIFFUSION_KINDS)}"}

    methods = _methods_of(tables, pd.Index(ties["target"].unique()))
    uses = ties.merge(methods, on="target")
    adoptions = (uses.groupby(["organisation", "method"], sort=False)["first"].min()
                 .rename("adoption_year").reset_index())
    if adoptions.empty:
        frame = pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(
            _COLUMNS, [object, object, np.int64, bool, np.int64, "Int64"])})
        return MetricTable("method_diffusion", frame, how, parameters, level="node")

    frame = adoptions.join(_exposures(adoptions, ties), on=["organisation", "method"])
    frame["exposing_partners"] = frame["exposing_partners"].fillna(0).astype(np.int64)
    frame["exposed"] = frame["exposing_partners"] > 0
    frame["adoption_year"] = frame["adoption_year"].astype(np.int64)
    frame["first_exposure_year"] = frame["first_exposure_year"].astype("Int64")
    frame["organisation"] = frame["organisation"].astype(object)
    frame["method"] = frame["method"].astype(object)
    frame = frame[_COLUMNS].sort_values(["method", "adoption_year", "organisation"], ignore_index=True)
    return MetricTable("method_diffusion", frame, how, parameters, level="node")


def _exposures(adoptions: pd.DataFrame, ties: pd.DataFrame) -> pd.DataFrame:
    """``exposing_partners`` and ``first_exposure_year`` of the exposed adoptions, indexed by
    ``organisation`` and ``method`` (the module docstring defines them)."""
    # Candidate exposures: another adopter of the same method who adopted earlier.
    earlier = adoptions.merge(adoptions, on="method", suffixes=("", "_partner"))
    earlier = earlier.loc[earlier["adoption_year_partner"] < earlier["adoption_year"]]
    # Partnership years, only among organisations that appear in a candidate pair.
    involved = set(earlier["organisation"]) | set(earlier["organisation_partner"])
    partnered = _partnership_years(ties.loc[ties["organisation"].isin(involved)])
    exposures = earlier.merge(partnered, on=["organisation", "organisation_partner"])
    exposures = exposures.loc[exposures["since"] < exposures["adoption_year"]]
    exposures = exposures.assign(exposed_from=np.maximum(exposures["since"], exposures["adoption_year_partner"]))
    return exposures.groupby(["organisation", "method"]).agg(exposing_partners=("organisation_partner", "size"),
                                                             first_exposure_year=("exposed_from", "min"))


def _partnership_years(ties: pd.DataFrame) -> pd.DataFrame:
    """``organisation``, ``organisation_partner``, ``since``: the first year each ordered pair
    shared a collaboration with overlapping ties."""
    pairs = ties.merge(ties, on="target", suffixes=("", "_partner"))
    pairs = pairs.loc[pairs["organisation"] != pairs["organisation_partner"]]
    since = np.maximum(pairs["first"], pairs["first_partner"])
    overlap = since <= np.minimum(pairs["last"], pairs["last_partner"])
    pairs = pairs.assign(since=since).loc[overlap]
    return pairs.groupby(["organisation", "organisation_partner"], as_index=False)["since"].min()


def diffusion_summary(table: MetricTable) -> MetricTable:
    """Per method: how many adopters, how many of them exposed, and the share.

    Parameters
    ----------
    table : MetricTable
        From :func:`method_diffusion`.

    Returns
    -------
    MetricTable
        Level ``graph``, indexed by ``method``: ``adopters``, ``exposed``, ``share``
        (``exposed / adopters``), ``first_year`` (the method's first adoption year) and
        ``pioneers`` (adopters in that year, who could not have been exposed: with few adopters
        after them the share says little), sorted by adopters (most first) then method.

    Examples
    --------
    >>> import pandas as pd
    >>> from graph.network.result import MetricTable
    >>> rows = pd.DataFrame({"organisation": ["a", "b", "c"], "method": "m", "adoption_year": [2019, 2021, 2021],
    ...                      "exposed": [False, True, False], "exposing_partners": [0, 1, 0],
    ...                      "first_exposure_year": pd.array([None, 2019, None], dtype="Int64")})
    >>> diffusion_summary(MetricTable("method_diffusion", rows, "exact")).frame.reset_index().to_dict("records")
    [{'method': 'm', 'adopters': 3, 'exposed': 1, 'share': 0.3333333333333333, 'first_year': 2019, 'pioneers': 1}]
    """
    frame = table.frame
    grouped = frame.groupby("method", sort=True)
    summary = pd.DataFrame({"adopters": grouped.size(), "exposed": grouped["exposed"].sum(),
                            "first_year": grouped["adoption_year"].min()})
    summary["share"] = summary["exposed"] / summary["adopters"]
    first = frame["method"].map(summary["first_year"])
    summary["pioneers"] = (frame["adoption_year"] == first).groupby(frame["method"]).sum()
    summary = summary.astype({"adopters": np.int64, "exposed": np.int64, "first_year": np.int64,
                              "pioneers": np.int64})
    summary = summary[["adopters", "exposed", "share", "first_year", "pioneers"]]
    summary = summary.sort_values("adopters", ascending=False, kind="stable").rename_axis("method")
    return MetricTable("diffusion_summary", summary, table.method, dict(table.parameters), level="graph")
