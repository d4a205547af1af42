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

Examples
--------
>>> normalise_org_name("The Democracy Reporting International gGmbH")
'democracy reporting international'
>>> normalise_org_name("EUROCITIES AISBL"), normalise_org_name("Università di Bologna")
('eurocities', 'universita di bologna')
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from rapidfuzz import fuzz, process

from .csvsafe import spreadsheet_safe
from ontology.namespaces import DCAT, DCTERMS, DKG, ORG, OWL, RDFS, SCHEMA, SKOS, graph_iri
from ontology.nquads import RDF_TYPE, iri, literal, quad

from .records.load import Problem

NAME_THRESHOLD = 92
RESOLUTION_FILE = "resolution.csv"
#: Legal-form and similar suffix words dropped before names are compared.
LEGAL_FORMS = frozenset("""
    gmbh ggmbh ag ev e v aisbl asbl ivzw vzw sa sas sarl srl spa s p a sl slu bv b v nv n v
    ltd limited plc llc inc corp co cic cio oy ab as aps a s ks kft zrt sro s r o doo d o o
    ug kg ohg eg ry foundation
""".split())
CATALOGUE_HOSTS = frozenset({"participedia.net", "cordis.europa.eu", "ec.europa.eu", "www.wikidata.org",
                             "wikidata.org", "europa.eu"})
_P = {name: iri(str(term)) for name, term in {
    "label": RDFS.label, "alt": SKOS.altLabel, "country": DKG.country, "pic": DKG.pic,
    "participedia": DKG.participediaId, "sameAs": SCHEMA.sameAs, "url": SCHEMA.url,
}.items()}
_ORGANIZATION = iri(str(ORG.Organization))
_WANTED = frozenset(_P.values()) | {RDF_TYPE}
_UNESCAPE = re.compile(r'\\(["\\nrt]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})')
_DIGITS = re.compile(r"\d+")
_SIMPLE = {'"': '"', "\\": "\\", "n": "\n", "r": "\r", "t": "\t"}


@dataclass
class Entity:
    iri: str
    graph: str
    names: list[str] = field(default_factory=list)
    country: str | None = None
    ids: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


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


def normalise_org_name(name: str) -> str:
    """A name folded for comparison: accents, case, punctuation, legal forms, a leading "the"."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    if words and words[0] == "the":
        words = words[1:]
    while words and words[-1] in LEGAL_FORMS:
        words.pop()
    return " ".join(words)


def _unescape(body: str) -> str:
    def one(m: re.Match) -> str:
        code = m.group(1)
        return _SIMPLE[code] if code in _SIMPLE else chr(int(code[1:], 16))
    return _UNESCAPE.sub(one, body)


def _literal_value(term: str) -> str:
    end = term.rfind('"')
    return _unescape(term[1:end])


def organisations(lines: list[str]) -> dict[str, Entity]:
    """The organisations in some N-Quads lines, with names, country and identifiers."""
    facts: list[tuple[str, str, str, str]] = []
    for line in lines:
        s, p, rest = line.split(" ", 2)
        if p not in _WANTED:
            continue
        cut = rest.rfind(" <")
        facts.append((s, p, rest[:cut], rest[cut + 1:-2]))
    entities: dict[str, Entity] = {}
    for s, p, o, g in facts:
        if p == RDF_TYPE and o == _ORGANIZATION:
            entities.setdefault(s[1:-1], Entity(s[1:-1], g[1:-1]))
    for s, p, o, g in facts:
        e = entities.get(s[1:-1])
        if e is None or p == RDF_TYPE:
            continue
        if p in (_P["label"], _P["alt"]):
            e.names.append(_literal_value(o))
        elif p == _P["country"]:
            e.country = o[1:-1]
        elif p == _P["pic"]:
            e.ids["PIC"].add(_literal_value(o))
        elif p == _P["participedia"]:
            e.ids["Participedia id"].add(_literal_value(o))
        elif p == _P["sameAs"] and "wikidata.org/entity/" in o:
            e.ids["Wikidata"].add(o[1:-1].rsplit("/", 1)[-1])
        elif p == _P["url"]:
            host = (urlsplit(o[1:-1]).hostname or "").removeprefix("www.")
            if host and host not in CATALOGUE_HOSTS and "www." + host not in CATALOGUE_HOSTS:
                e.ids["web domain"].add(host)
    for e in entities.values():
        e.names = sorted(set(e.names))
    return entities


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


def read_decisions(path: Path | None) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]], list[Problem]]:
    """Curator pins and forbids: rows ``a,b,decision,note`` with decision ``same`` or ``different``.

    ``a`` and ``b`` are entity IRIs or ``organisation:<key>`` short forms.
    """
    pins, forbids, problems = [], [], []
    if path is None or not path.is_file():
        return pins, forbids, problems
    from ontology.namespaces import ID

    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames is None or not {"a", "b", "decision"} <= set(reader.fieldnames):
            return pins, forbids, [Problem(path.name, 1, "", "", "expected the columns a,b,decision,note")]
        for row in reader:
            line = reader.line_num
            a, b = (_expand(row["a"] or "", str(ID)), _expand(row["b"] or "", str(ID)))
            if not a or not b:
                problems.append(Problem(path.name, line, "a" if not a else "b", row["a"] if not a else row["b"],
                                        "expected an IRI or organisation:<key>"))
                continue
            decision = (row["decision"] or "").strip()
            if decision == "same":
                pins.append((a, b, (row.get("note") or "").strip()))
            elif decision == "different":
                forbids.append((a, b))
            else:
                problems.append(Problem(path.name, line, "decision", decision, "expected same or different"))
    return pins, forbids, problems


def _expand(text: str, base: str) -> str:
    text = text.strip()
    if text.startswith(("http://", "https://")):
        return text
    if ":" in text:
        kind, key = text.split(":", 1)
        if kind and key:
            return f"{base}{kind}/{key}"
    return ""


def resolve(lines: list[str], source_order: list[str], decisions: Path | None = None,
            threshold: int = NAME_THRESHOLD) -> Resolution:
    """Resolve the organisations in ``lines``; ``source_order`` lists source names by priority."""
    entities = organisations(lines)
    pins, forbids, problems = read_decisions(decisions)
    clusters = _Clusters(entities, forbids)
    counts = {"organisations": len(entities), "merged by curator": 0, "merged by identifier": 0,
              "merged by name": 0, "blocked by conflicting identifiers": 0}
    for a, b, note in pins:
        missing = [x for x in (a, b) if x not in entities]
        if missing:
            problems.append(Problem(RESOLUTION_FILE, 0, "a" if a in missing else "b", missing[0],
                                    "no organisation with this IRI in the graph; pin ignored"))
            continue
        if clusters.union(a, b, "curator", 100, note or "pinned in resolution.csv", force=True):
            counts["merged by curator"] += 1
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
    # Names, folded once for rules 3 and 4.
    folded = {k: {normalise_org_name(n) for n in e.names} for k, e in entities.items()}
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
    # Best first: a name that resembles two others joins the closer one.
    for negative, a, b, na, nb, country in sorted(candidates):
        if clusters.union(a, b, "name", -negative, f"{na!r} ~ {nb!r} in {country.rsplit('/', 1)[-1]}"):
            counts["merged by name"] += 1
        elif clusters.find(a) != clusters.find(b):
            counts["blocked by conflicting identifiers"] += 1

    # Organisations without a country: exact, unambiguous names only (rule 4).
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
    counts["clusters"] = sum(1 for m in clusters.members.values() if len(m) > 1)
    return Resolution(out, matches, counts, problems)


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
