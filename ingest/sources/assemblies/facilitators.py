"""Facilitators written several ways in one file, joined into one organisation each.

Names are folded as entity resolution folds them (:func:`ingest.resolve.normalise_org_name`),
and folded names within :data:`ingest.resolve.NAME_THRESHOLD` of each other (rapidfuzz ratio)
are one facilitator.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz

from ontology.namespaces import slug

from ...resolve import NAME_THRESHOLD, normalise_org_name


@dataclass
class Facilitator:
    """One facilitator: its key, the spellings of its name (with how often each is written) and their lines."""

    key: str
    spellings: Counter
    lines: dict[str, list[int]]


def cluster_facilitators(names: list[tuple[str, int]]) -> tuple[dict[str, str], list[Facilitator]]:
    """Spelling -> facilitator key, and the facilitators with their spellings.

    Names with the same folded form are one; folded forms within ``NAME_THRESHOLD`` of each
    other (rapidfuzz ratio) are one, joined best match first; a key is the slug of the folded
    form written most often (ties: the longer, then the alphabetically first).
    """
    by_fold: dict[str, Counter] = defaultdict(Counter)
    lines: dict[str, list[int]] = defaultdict(list)
    for name, line in names:
        fold = normalise_org_name(name) or name.casefold()
        by_fold[fold][name] += 1
        lines[name].append(line)
    folds = sorted(by_fold)
    parent = {f: f for f in folds}

    def find(f: str) -> str:
        while parent[f] != f:
            f = parent[f]
        return f

    pairs = sorted((-fuzz.ratio(a, b), a, b) for i, a in enumerate(folds) for b in folds[i + 1:]
                   if re.findall(r"\d+", a) == re.findall(r"\d+", b))
    for negative, a, b in pairs:
        if -negative < NAME_THRESHOLD:
            break
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = defaultdict(list)
    for f in folds:
        groups[find(f)].append(f)
    spelling_key: dict[str, str] = {}
    out = []
    taken: set[str] = set()
    for members in groups.values():
        counts = Counter({f: sum(by_fold[f].values()) for f in members})
        # Most written first; on a tie the longer form, since a typo usually drops a letter.
        main = min(members, key=lambda f: (-counts[f], -len(f), f))
        key = slug(main) or "unnamed"
        while key in taken:  # two names that differ only in punctuation would share a slug
            key += "-x"
        taken.add(key)
        spellings: Counter = Counter()
        for f in members:
            spellings.update(by_fold[f])
        for name in spellings:
            spelling_key[name] = key
        out.append(Facilitator(key, spellings, {n: lines[n] for n in spellings}))
    return spelling_key, sorted(out, key=lambda f: f.key)
