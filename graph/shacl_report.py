"""The SHACL report types both engines return (:mod:`graph.validate`'s pySHACL, :mod:`graph.shacl_sparql`'s
Oxigraph): a :class:`ShaclReport` of :class:`Violation` s against :data:`SHAPES_FILE`, and the
:class:`ShaclError` the build raises when the graph does not conform."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import pyoxigraph as ox

from ontology import ONTOLOGY_DIR
from ontology.errors import EXIT_INVALID, DkgError
from ontology.namespaces import GRAPH

SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"


@dataclass(frozen=True, order=True)
class Violation:
    """One SHACL result, reduced to what a curator needs to find and fix it."""

    focus: str
    path: str
    value: str
    message: str
    severity: str = "Violation"
    #: Where the focus node's triples are: ``graph/curated`` (fix the records) or a source graph
    #: (a value its adapter should have rejected: a bug to report). Filled in by the build.
    where: str = ""

    def __str__(self) -> str:
        path = f" {self.path}" if self.path else ""
        value = f" = {self.value}" if self.value else ""
        where = f" [{self.where}]" if self.where else ""
        return f"{self.focus}{path}{value}: {self.message}{where}"

    def as_dict(self) -> dict[str, str]:
        return {"focus": self.focus, "path": self.path, "value": self.value,
                "message": self.message, "severity": self.severity, "where": self.where}


@dataclass
class ShaclReport:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    triples: int = 0

    def __str__(self) -> str:
        if self.conforms:
            return f"SHACL: {self.triples} triples conform to {SHAPES_FILE.name}"
        lines = [f"SHACL: {len(self.violations)} violation(s) of {SHAPES_FILE.name}:"]
        lines += [f"  {v}" for v in self.violations]
        return "\n".join(lines)


class ShaclError(DkgError):
    """Raised by the build when the graph does not conform to the shapes."""

    exit_code = EXIT_INVALID

    def __init__(self, report: ShaclReport):
        self.report = report
        super().__init__(str(report))


def locate_violations(report: ShaclReport, store: ox.Store, limit: int = 200) -> ShaclReport:
    """The report with each violation saying which named graphs hold its focus node's triples."""
    located = []
    for i, v in enumerate(report.violations):
        focus = v.focus.strip("<>")
        if i < limit and focus.startswith(("http://", "https://")):
            graphs = sorted({q.graph_name.value for q in store.quads_for_pattern(ox.NamedNode(focus), None, None)
                             if isinstance(q.graph_name, ox.NamedNode)})
            names = [g.removeprefix(str(GRAPH)) for g in graphs]
            sources = [n for n in names if n not in ("curated", "ontology", "reference", "resolution")]
            where = "in graph " + ", ".join(names)
            if sources:
                where += ("; a source graph failing the shapes is a bug in its adapter (the value should have "
                          "been a reject): please report it with this message")
            v = dataclasses.replace(v, where=where)
        located.append(v)
    return dataclasses.replace(report, violations=located)
