"""The curator's decisions on resolution (``resolution.csv``): pins (``same``) and forbids (``different``)."""

from __future__ import annotations

import csv
from pathlib import Path

from ..records.load import Problem

RESOLUTION_FILE = "resolution.csv"


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
