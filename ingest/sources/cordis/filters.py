"""Which CORDIS projects a source keeps: the ``[source.filter]`` table as a :class:`CordisFilter`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CordisFilter:
    """Which projects to keep; every given criterion must hold (empty criteria keep everything).

    ``parts`` matches the H2020 ``programmePart`` (``SC6``, ``SWAFS``; a project listed under
    several parts, ``SC1,SC6``, matches when any of them does) or a prefix of the Horizon Europe
    ``legalBasis`` (``HORIZON.2.2``); ``since``/``until`` keep projects whose run overlaps those
    years; ``keywords`` match title or objective, case-insensitively.

    >>> CordisFilter(parts=frozenset({"SC6"})).refusing({"id": "1", "programmePart": "Innovation in SMEs,SC6"})
    >>> CordisFilter(parts=frozenset({"SC6"})).refusing({"id": "1", "programmePart": "SC1"})
    'parts'
    """

    parts: frozenset[str] = frozenset()
    frameworks: frozenset[str] = frozenset()
    since: int | None = None
    until: int | None = None
    keywords: tuple[str, ...] = ()
    project_ids: frozenset[str] = frozenset()

    def refusing(self, row: dict[str, str]) -> str | None:
        """The name of the first filter that refuses the project row, or ``None`` to keep it."""
        if self.project_ids and row["id"] not in self.project_ids:
            return "project_ids"
        if self.frameworks and row.get("frameworkProgramme", "") not in self.frameworks:
            return "frameworks"
        if self.parts:
            parts = programme_parts(row.get("programmePart", ""))
            basis = row.get("legalBasis", "")
            if not (self.parts.intersection(parts)
                    or any(basis == p or basis.startswith(p + ".") for p in self.parts)):
                return "parts"
        if self.since is not None and (row.get("endDate") or "9999")[:4] < f"{self.since:04d}":
            return "since"
        if self.until is not None and (row.get("startDate") or "0000")[:4] > f"{self.until:04d}":
            return "until"
        if self.keywords:
            text = f"{row.get('title', '')} {row.get('objective', '')}".casefold()
            if not any(k.casefold() in text for k in self.keywords):
                return "keywords"
        return None

    def keeps(self, row: dict[str, str]) -> bool:
        return self.refusing(row) is None


def programme_parts(text: str) -> list[str]:
    """The parts an H2020 ``programmePart`` lists (several are comma-separated).

    >>> programme_parts("Innovation in SMEs,SC6"), programme_parts(" SC6 "), programme_parts("")
    (['Innovation in SMEs', 'SC6'], ['SC6'], [])
    """
    return [p.strip() for p in text.split(",") if p.strip()]


def cordis_filter(options: dict, where: str = "") -> CordisFilter:
    """A :class:`CordisFilter` from a ``[source.filter]`` table; unknown keys are errors.

    >>> cordis_filter({"parts": ["SC6", "SWAFS"], "since": 2014}).parts == {"SC6", "SWAFS"}
    True
    """
    known = {"parts", "frameworks", "since", "until", "keywords", "project_ids"}
    unknown = set(options) - known
    if unknown:
        raise ValueError(f"{where}: unknown CORDIS filter(s) {', '.join(sorted(unknown))}; expected {', '.join(sorted(known))}")

    def strings(key: str) -> tuple[str, ...]:
        value = options.get(key, [])
        if isinstance(value, str | int):
            value = [value]
        return tuple(str(v) for v in value)

    def year(key: str) -> int | None:
        value = options.get(key)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError(f"{where}: filter {key} must be a year (an integer), not {value!r}")
        return value

    return CordisFilter(frozenset(strings("parts")), frozenset(strings("frameworks")), year("since"), year("until"),
                        strings("keywords"), frozenset(strings("project_ids")))
