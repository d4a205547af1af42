"""What the jobs of :mod:`graph.api` return: each has ``summary()`` (what ``dkg`` prints) and
``exit_code`` (what ``dkg`` returns).

Examples
--------
>>> r = PushResult("http://127.0.0.1:7879/store", {"https://w3id.org/democracy-kg/graph/curated": 12})
>>> print(r.summary()); r.exit_code
pushed 12 triples in 1 graphs to http://127.0.0.1:7879/store
0
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ontology.errors import EXIT_INVALID

if TYPE_CHECKING:
    import networkx as nx

    from ingest.sources import SourceResult

    from .shacl_report import ShaclReport

__all__ = ["Validation", "MapResult", "SiteResult", "PushResult"]


@dataclass
class Validation:
    """What :func:`validate` found: the records' problems, each source's rejects, the SHACL report."""

    records: int
    problems: list = field(default_factory=list)
    sources: list[SourceResult] = field(default_factory=list)
    report: ShaclReport | None = None

    @property
    def conforms(self) -> bool:
        """No record problem and no SHACL violation (sources' rejects are reported, not fatal)."""
        return not self.problems and self.report is not None and self.report.conforms

    @property
    def exit_code(self) -> int:
        return 0 if self.conforms else EXIT_INVALID

    def summary(self) -> str:
        """The human report ``dkg validate`` prints."""
        if self.problems:
            return f"{len(self.problems)} problem(s) in the records:\n" + "\n".join(f"  {p}" for p in self.problems)
        lines = [f"records: {self.records} records, no problems"]
        for s in self.sources:
            if s.skipped:
                lines.append(f"source {s.name}: skipped, {s.skipped}")
            else:
                lines.append(f"source {s.name}: {len(s.rejects)} reject(s)" + "".join(f"\n  {p}" for p in s.rejects))
        return "\n".join([*lines, str(self.report)])

    def as_dict(self) -> dict:
        """The report ``dkg validate --format json`` prints."""
        if self.problems:
            return {"conforms": False, "records": {"problems": [p.as_dict() for p in self.problems]}}
        out = {"conforms": self.report.conforms, "shacl": {
            "triples": self.report.triples, "violations": [v.as_dict() for v in self.report.violations]}}
        out["records"] = {"count": self.records, "problems": []}
        out["sources"] = {s.name: {"skipped": s.skipped, "counts": s.counts,
                                   "rejects": [p.as_dict() for p in s.rejects] if not s.skipped else []}
                          for s in self.sources}
        return out


@dataclass
class MapResult:
    """The map :func:`draw` wrote and the network it drew."""

    path: Path
    graph: nx.Graph
    exit_code: int = 0

    def summary(self) -> str:
        return (f"wrote {self.path} ({self.graph.number_of_nodes()} nodes, {self.graph.number_of_edges()} ties); "
                "open it in a browser, no network needed")


@dataclass
class SiteResult:
    """The pages :func:`publish` wrote."""

    out: Path
    pages: list[Path]
    exit_code: int = 0

    def summary(self) -> str:
        return (f"wrote {len(self.pages)} pages to {self.out}; open {self.out / 'index.html'} in a browser "
                "(works offline)")


@dataclass
class PushResult:
    """What :func:`push` sent, and what the remote store reported back when asked."""

    endpoint: str
    sent: dict[str, int]
    checked_at: str | None = None
    differ: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return EXIT_INVALID if self.differ else 0

    def summary(self) -> str:
        lines = [f"pushed {sum(self.sent.values())} triples in {len(self.sent)} graphs to {self.endpoint}"]
        if self.differ:
            lines.append("the server's counts differ from what was sent:\n" + "\n".join(self.differ))
        elif self.checked_at:
            lines.append(f"checked at {self.checked_at}: every graph has the triples sent")
        return "\n".join(lines)
