"""What every source adapter returns: the lines, rejects, counts and ledgers of one source.

It lives apart from the package ``__init__`` (which picks the adapter for a configured source)
so that the adapters can return it without importing the module that imports them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..records.load import Problem


@dataclass
class SourceResult:
    """What mapping one source produced (or why it was skipped): every adapter returns one."""

    name: str
    lines: list[str] = field(default_factory=list)
    rejects: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    skipped: str = ""
    #: Names the source wrote several ways that the adapter joined (``ingest.resolve.Match``,
    #: rule ``spelling``); the build lists them in ``matches.csv`` with resolution's merges.
    matches: list = field(default_factory=list)
    #: One :class:`ingest.sources.checks.Ledger` per input file: every row kept, filtered (by
    #: a named filter) or rejected. The build prints them and refuses a ledger that does not add up.
    ledgers: list = field(default_factory=list)
    #: Where the rest of the source's lines are, sorted and each once, when they were kept in a
    #: file rather than in :attr:`lines` (:func:`ingest.sources.cache.cached_map_source`).
    lines_file: Path | None = None

    def accounts_close(self) -> bool:
        """``True`` when every input file's rows add up (read = kept + filtered + rejected)."""
        return all(ledger.closes() for ledger in self.ledgers)
