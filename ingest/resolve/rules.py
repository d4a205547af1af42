"""The resolution rules, in order, over clusters that refuse forbidden merges; and their output.

:func:`resolve` applies the four rules of :mod:`ingest.resolve` one after the other to a
:class:`_Clusters` (union-find) of the organisations, then writes ``graph/resolution`` and the
match report.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process

from ontology.namespaces import DCAT, DCTERMS, DKG, OWL, RDFS, graph_iri
from ontology.nquads import RDF_TYPE, iri, literal, quad

from ..csvsafe import spreadsheet_safe
from ..records.load import Problem
from .decisions import RESOLUTION_FILE, read_decisions
from .entities import Entity, normalise_org_name, organisations

NAME_THRESHOLD = 92
_DIGITS = re.compile(r"\d+")


@dataclass
class Match:
    """One member of a merged cluster, with the evidence that put it there."""

    canonical: str
    member: str
    graph: str
    rule: str
    score: int
    evidence: str


@dataclass
class Resolution:
    lines: list[str]
    matches: list[Match]
    counts: dict[str, int]
    problems: list[Problem] = field(default_factory=list)


class _Clusters:
    """Union-find that refuses merges that identifiers or curators forbid."""

    def __init__(self, entities: dict[str, Entity], forbidden: list[tuple[str, str]]):
        self.parent = {k: k for k in entities}
        self.ids = {k: {t: set(v) for t, v in e.ids.items()} for k, e in entities.items()}
        self.members = {k: {k} for k in entities}
        self.forbidden = forbidden
        self.evidence: dict[str, tuple[str, int, str]] = {}

    def find(self, k: str) -> str:
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def conflict(self, a: str, b: str) -> str:
        ra, rb = self.find(a), self.find(b)
        for kind in ("PIC", "Wikidata", "Participedia id"):
            x, y = self.ids[ra].get(kind), self.ids[rb].get(kind)
            if x and y and not x & y:
                return f"different {kind}s"
        for x, y in self.forbidden:
            if (x in self.members[ra] and y in self.members[rb]) or (y in self.members[ra] and x in self.members[rb]):
                return "a curator forbids this match"
        return ""

    def union(self, a: str, b: str, rule: str, score: int, evidence: str, force: bool = False) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb or (not force and self.conflict(a, b)):
            return False
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] |= self.members.pop(rb)
        for kind, values in self.ids.pop(rb).items():
            self.ids[ra].setdefault(kind, set()).update(values)
        self.evidence.setdefault(b, (rule, score, evidence))
        self.evidence.setdefault(a, (rule, score, evidence))
        return True


def resolve(lines: list[str], source_order: list[str], decisions: Path | None = None,
            threshold: int = NAME_THRESHOLD) -> Resolution:
    """Resolve the organisations in ``lines``; ``source_order`` lists source names by priority.

    Parameters
    ----------
    lines : list of str
        N-Quads lines of every graph that describes organisations.
    source_order : list of str
        Source (graph) names, highest priority first: a cluster's canonical IRI is its member
        from the first of them.
    decisions : Path, optional
        The curator's ``resolution.csv`` (pins and forbids).
    threshold : int
        The fuzzy name score (0-100) two names must reach to merge.

    Returns
    -------
    Resolution
        The ``graph/resolution`` lines, the matches (one per merged member), counts by rule,
        and problems in the decisions file.

    Examples
    --------
    >>> org, pic = "<http://www.w3.org/ns/org#Organization>", "<https://w3id.org/democracy-kg/ontology#pic>"
    >>> lines = [quad(iri(f"https://example.org/{k}"), p, v, iri(f"https://example.org/graph/{k[0]}"))
    ...          for k in ("a1", "b1") for p, v in ((RDF_TYPE, org), (pic, literal("999999999")))]
    >>> resolve(lines, ["a", "b"]).counts["merged by identifier"]
    1
    """
    entities = organisations(lines)
    pins, forbids, problems = read_decisions(decisions)
    clusters = _Clusters(entities, forbids)
    counts = {"organisations": len(entities), "merged by curator": 0, "merged by identifier": 0,
              "merged by name": 0, "blocked by conflicting identifiers": 0}
    _merge_pinned(pins, entities, clusters, counts, problems)
    _merge_by_identifier(entities, clusters, counts)
    # Names, folded once for rules 3 and 4.
    folded = {k: {normalise_org_name(n) for n in e.names} for k, e in entities.items()}
    _merge_by_name(_name_candidates(entities, folded, threshold), clusters, counts)
    _merge_by_name_without_country(entities, folded, clusters, counts)
    out, matches = _resolution_lines(entities, clusters, source_order, threshold)
    counts["clusters"] = sum(1 for m in clusters.members.values() if len(m) > 1)
    return Resolution(out, matches, counts, problems)


def _merge_pinned(pins: list[tuple[str, str, str]], entities: dict[str, Entity], clusters: _Clusters,
                  counts: dict[str, int], problems: list[Problem]) -> None:
    """Rule 1: the curator's pins merge, whatever the identifiers say."""
    for a, b, note in pins:
        missing = [x for x in (a, b) if x not in entities]
        if missing:
            problems.append(Problem(RESOLUTION_FILE, 0, "a" if a in missing else "b", missing[0],
                                    "no organisation with this IRI in the graph; pin ignored"))
            continue
        if clusters.union(a, b, "curator", 100, note or "pinned in resolution.csv", force=True):
            counts["merged by curator"] += 1


def _merge_by_identifier(entities: dict[str, Entity], clusters: _Clusters, counts: dict[str, int]) -> None:
    """Rule 2: organisations holding the same identifier merge (unless others conflict)."""
    for kind in ("PIC", "Participedia id", "Wikidata", "web domain"):
        holders: dict[str, list[str]] = defaultdict(list)
        for k in sorted(entities):
            for value in entities[k].ids.get(kind, ()):
                holders[value].append(k)
        for value, members in sorted(holders.items()):
            for other in members[1:]:
                if clusters.union(members[0], other, kind, 100, f"same {kind} {value}"):
                    counts["merged by identifier"] += 1
                elif clusters.find(members[0]) != clusters.find(other):
                    counts["blocked by conflicting identifiers"] += 1


def _name_candidates(entities: dict[str, Entity], folded: dict[str, set[str]],
                     threshold: int) -> list[tuple[int, str, str, str, str, str]]:
    """Rule 3's pairs: (-score, a, b, name a, name b, country) of names alike within one country."""
    # Names: blocks of (country, first three letters), compared across sources only.
    blocks: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for k in sorted(entities):
        e = entities[k]
        if not e.country:
            continue
        for name in folded[k]:
            if len(name) >= 3:
                blocks[(e.country, name[:3])].append((k, name))
    candidates: list[tuple[int, str, str, str, str, str]] = []
    for (country, _), items in sorted(blocks.items()):
        by_graph: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for k, name in items:
            by_graph[entities[k].graph].append((k, name))
        graphs = sorted(by_graph)
        # Only pairs from two different sources are compared: a source's own identifiers
        # already tell its entities apart.
        for x, gx in enumerate(graphs):
            for gy in graphs[x + 1:]:
                left, right = by_graph[gx], by_graph[gy]
                scores = process.cdist([n for _, n in left], [n for _, n in right], scorer=fuzz.token_sort_ratio,
                                       score_cutoff=threshold, dtype="uint8")
                for i, j in zip(*scores.nonzero()):
                    (a, na), (b, nb) = left[i], right[j]
                    if _DIGITS.findall(na) != _DIGITS.findall(nb):
                        continue  # "School 2" and "School 3" are different bodies
                    score = 100 if na == nb else int(scores[i, j])
                    candidates.append((-score, a, b, na, nb, country))
    return candidates


def _merge_by_name(candidates: list[tuple[int, str, str, str, str, str]], clusters: _Clusters,
                   counts: dict[str, int]) -> None:
    """Rule 3: names alike within one country merge, best first: a name that resembles two others
    joins the closer one."""
    for negative, a, b, na, nb, country in sorted(candidates):
        if clusters.union(a, b, "name", -negative, f"{na!r} ~ {nb!r} in {country.rsplit('/', 1)[-1]}"):
            counts["merged by name"] += 1
        elif clusters.find(a) != clusters.find(b):
            counts["blocked by conflicting identifiers"] += 1


def _merge_by_name_without_country(entities: dict[str, Entity], folded: dict[str, set[str]], clusters: _Clusters,
                                   counts: dict[str, int]) -> None:
    """Rule 4: organisations without a country: exact, unambiguous names only."""
    counts["merged by name without country"] = 0
    named: dict[str, list[str]] = defaultdict(list)
    for k in sorted(entities):
        for name in folded[k]:
            if len(name) >= 3:
                named[name].append(k)
    for name, holders in sorted(named.items()):
        countryless = [k for k in holders if not entities[k].country]
        placed = {clusters.find(k) for k in holders if entities[k].country}
        if not countryless or len({entities[k].graph for k in holders}) < 2 or len(placed) > 1:
            continue
        anchor = next(iter(placed)) if placed else clusters.find(countryless[0])
        for k in countryless:
            others = [h for h in holders if entities[h].graph != entities[k].graph]
            if not others or clusters.find(k) == clusters.find(anchor):
                continue
            if clusters.union(anchor, k, "name (no country)", 100,
                              f"{name!r} is the exact name of one organisation of another source; {k.rsplit('/', 1)[-1]} has no country"):
                counts["merged by name without country"] += 1
            else:
                counts["blocked by conflicting identifiers"] += 1


def _resolution_lines(entities: dict[str, Entity], clusters: _Clusters, source_order: list[str],
                      threshold: int) -> tuple[list[str], list[Match]]:
    """``graph/resolution``: its description, then ``dkg:canonical`` and ``owl:sameAs`` of every
    merged cluster's members; and the matches, one per member that is not canonical."""
    priority = {graph_iri(name): i for i, name in enumerate(source_order)}
    g = iri(graph_iri("resolution"))
    out = _describe(g, threshold)
    matches: list[Match] = []
    same_as, canonical_p = iri(str(OWL.sameAs)), iri(str(DKG.canonical))
    for root, members in sorted(clusters.members.items()):
        if len(members) < 2:
            continue
        canonical = min(members, key=lambda k: (priority.get(entities[k].graph, len(priority)), k))
        for m in sorted(members):
            out.append(quad(iri(m), canonical_p, iri(canonical), g))
            if m != canonical:
                out.append(quad(iri(m), same_as, iri(canonical), g))
                rule, score, evidence = clusters.evidence.get(m, ("", 0, ""))
                matches.append(Match(canonical, m, entities[m].graph.rsplit("/", 1)[-1], rule, score, evidence))
    return out, matches


def _describe(g: str, threshold: int) -> list[str]:
    return [
        quad(g, RDF_TYPE, iri(str(DCAT.Dataset)), g),
        quad(g, iri(str(RDFS.label)), literal("Entity resolution: the same organisation across sources"), g),
        quad(g, iri(str(DCTERMS.description)), literal(
            "owl:sameAs and dkg:canonical links computed by democracy-kg (ingest/resolve.py): curator "
            "decisions, then shared identifiers (PIC, Participedia id, Wikidata, web domain), then "
            f"normalised names within one country (rapidfuzz token_sort_ratio >= {threshold}).", lang="en"), g),
        quad(g, iri(str(DCTERMS.license)), iri("https://creativecommons.org/licenses/by/4.0/"), g),
    ]


def write_matches(matches: list[Match], path: Path) -> None:
    """The match report: every merge with its rule, score and evidence."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["canonical", "member", "member_source", "rule", "score", "evidence"])
        for m in matches:
            writer.writerow([spreadsheet_safe(v) for v in (m.canonical, m.member, m.graph, m.rule, m.score, m.evidence)])
