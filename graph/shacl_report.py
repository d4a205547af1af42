"""The SHACL report types both engines return (:mod:`graph.validate`'s pySHACL, :mod:`graph.shacl_sparql`'s
Oxigraph): a :class:`ShaclReport` of :class:`Violation` s against :data:`SHAPES_FILE`, and the
:class:`ShaclError` the build raises when the graph does not conform."""

from __future__ import annotations

from dataclasses import dataclass, field

from ontology import ONTOLOGY_DIR
from ontology.errors import EXIT_INVALID, DkgError

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
