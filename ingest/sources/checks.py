"""What every external value must be before it is mapped, and the ledger that counts every row.

External sources are lenient: a bad row or field becomes a reject and the build goes on. That
promise holds only if an adapter never writes a value the shapes (``ontology/shapes.ttl``)
refuse, because SHACL fails the whole build. So the checks here are the shapes' constraints on
source data, written as functions an adapter calls *before* it writes a quad:

======================  ======================================================  ======================
check                   shape it mirrors                                        store limit it keeps
======================  ======================================================  ======================
:func:`pic`             ``dkg:pic`` ``sh:pattern "^[0-9]{9}$"``                  -
:func:`amount`          ``xsd:decimal`` (``dkg:totalCost``, ``ecContribution``)  Oxigraph decimals:
                                                                                 |x| < 10^20, 18 places
:func:`count`           ``dkg:participantCount`` ``xsd:integer``                 64-bit integers
:func:`date`            ``schema:startDate`` ``xsd:date``                        years 1..9999
:func:`date_range`      ``dkgsh:startBeforeEnd``                                 -
:func:`coordinate`      ``geo:lat``/``geo:long`` ``xsd:decimal``                 plain decimal form
:func:`identifier`      ids are ASCII digits (``^[0-9]+$``)                      64-bit integers
======================  ======================================================  ======================

Each raises :class:`FieldError` (a ``ValueError``) whose message says what was expected; the
adapter turns it into a reject with file, line, field and value. A value the shapes would refuse
thus never reaches SHACL, and a SHACL failure on a source graph is a bug in an adapter.

:class:`Ledger` accounts for the rows of one input file: every row read is kept, filtered (by a
named filter) or rejected, and :meth:`Ledger.closes` says whether the counts add up.
:func:`read_rows` is the one CSV reader the adapters share: rows split only at real line ends
(never at U+2028, U+2029, form feed or NEL inside a quoted field), fields of any size, bytes that
are not UTF-8 and rows with too few or too many cells reported per line.

Examples
--------
>>> pic("999984059")
'999984059'
>>> pic("٩٩٩٩٨٤٠٥٩")
Traceback (most recent call last):
...
ingest.sources.checks.FieldError: a PIC is nine ASCII digits
>>> amount("1499998.0"), amount("1 234,50"), amount("")
('1499998.0', '1234.5', None)
>>> amount("1e309")
Traceback (most recent call last):
...
ingest.sources.checks.FieldError: an amount beyond what the store holds (at most 20 digits before the decimal mark)
>>> coordinate("0.00001", 90)
'0.00001'
>>> ledger = Ledger("project.csv")
>>> ledger.kept, ledger.filtered["parts"], ledger.rejected = 3, 2, 1
>>> ledger.read = 6
>>> ledger.closes(), str(ledger)
(True, 'project.csv: read 6 = kept 3 + filtered 2 (parts 2) + rejected 1')
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ontology.errors import DkgError

from ..records.fields import When
from ontology.nquads import XSD_DATE

#: A CSV field may be this long (Participedia bodies run to 32 KB; the csv module's default
#: limit of 128 KB would stop the whole file at one long cell).
FIELD_LIMIT = 64 << 20
_INT64 = 2**63 - 1
_DECIMAL_DIGITS = 20   # Oxigraph's xsd:decimal is a 128-bit fixed point with 18 decimal places
_DECIMAL_PLACES = 18
_PIC = re.compile(r"^[0-9]{9}$", re.ASCII)
_DIGITS = re.compile(r"^([0-9]+)(?:\.0+)?$", re.ASCII)


class FieldError(DkgError, ValueError):
    """A value an adapter cannot map; the message says what was expected."""


def pic(text: str) -> str:
    """A Participant Identification Code: nine ASCII digits (a float form ``…​.0`` is accepted)."""
    value = text.strip().removesuffix(".0")
    if not _PIC.match(value):
        raise FieldError("a PIC is nine ASCII digits")
    return value


def identifier(text: str) -> str:
    """A numeric record id (CORDIS project id, Participedia id): ASCII digits, a 64-bit number.

    >>> identifier("5168.0"), identifier(" 42 ")
    ('5168', '42')
    """
    m = _DIGITS.match(text.strip())
    if m is None:
        raise FieldError("an id is a whole number in ASCII digits")
    value = m.group(1).lstrip("0") or "0"
    if int(value) > _INT64:
        raise FieldError("an id beyond 64-bit numbers")
    return value


def count(text: str) -> str | None:
    """A non-negative whole number (``43`` or ``43.0``) that the store holds as a 64-bit integer.

    >>> count("43.0"), count("")
    ('43', None)
    """
    text = text.strip()
    if not text:
        return None
    m = _DIGITS.match(text)
    if m is None:
        raise FieldError("not a whole number in ASCII digits")
    value = int(m.group(1)) if len(m.group(1)) <= 19 else _INT64 + 1
    if value > _INT64:
        raise FieldError("a count beyond 64-bit numbers")
    return str(value)


def amount(text: str) -> str | None:
    """Canonical ``xsd:decimal`` lexical form of an amount of money; ``None`` when empty.

    Accepts ``.`` or ``,`` as decimal mark and spaces or ``,`` as thousands separators
    (CORDIS writes both), and refuses what the store cannot hold exactly.
    """
    text = text.replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # decimal comma (official ;-separated files)
    elif "," in text:
        text = text.replace(",", "")  # thousands separators
    if not text.isascii():
        raise FieldError("not a number in ASCII digits")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise FieldError("not a number") from None
    if not value.is_finite():
        raise FieldError("not a number")
    if value.adjusted() >= _DECIMAL_DIGITS:
        raise FieldError(f"an amount beyond what the store holds (at most {_DECIMAL_DIGITS} digits before the decimal mark)")
    value = value.normalize()
    if value.as_tuple().exponent < -_DECIMAL_PLACES:
        raise FieldError(f"more than {_DECIMAL_PLACES} decimal places")
    out = format(value, "f")
    return out if "." in out else out + ".0"


def coordinate(text: str, bound: int) -> str:
    """A latitude (``bound`` 90) or longitude (180) in plain ``xsd:decimal`` form (never ``1e-05``)."""
    try:
        value = Decimal(text.strip()) if text.strip().isascii() else Decimal("nan")
    except InvalidOperation:
        value = Decimal("nan")
    if not value.is_finite() or not -bound <= value <= bound:
        raise FieldError(f"not a coordinate (-{bound}..{bound})")
    if value.as_tuple().exponent < -_DECIMAL_PLACES:  # finer than the store keeps: rounded
        value = value.quantize(Decimal(1).scaleb(-_DECIMAL_PLACES))
    out = format(value.normalize(), "f")
    return out if "." in out else out + ".0"


def date(text: str, *, full: bool = True) -> When:
    """A date (``YYYY-MM-DD``, the first ten characters of a timestamp); any ISO precision unless ``full``."""
    try:
        when = When.parse(text.strip()[:10])
    except ValueError as err:
        raise FieldError(str(err)) from None
    if full and when.datatype != XSD_DATE:
        raise FieldError("expected a full date (YYYY-MM-DD)")
    return when


def date_range(start: When | None, end: When | None) -> None:
    """Refuse an end before the start (the shapes' ``startBeforeEnd``)."""
    if start is not None and end is not None and not start <= end:
        raise FieldError(f"the end ({end.lexical}) is before the start ({start.lexical})")


def start_and_end(row: dict[str, str], start: str, end: str, report, *, full: bool = True) -> dict[str, When]:  # noqa: ANN001
    """The ``start`` and ``end`` columns of ``row`` read as dates (keys ``"start"``, ``"end"``).

    A date that cannot be read, and an end before the start, are reported as
    ``report(column, value, reason)`` and left out (the end, for the pair), so the shapes'
    ``startBeforeEnd`` always holds.

    >>> problems = []
    >>> dates = start_and_end({"s": "2021-05-01", "e": "2020-01-01"}, "s", "e", lambda *p: problems.append(p))
    >>> sorted(dates), problems[0][:2]
    (['start'], ('e', '2020-01-01'))
    """
    dates: dict[str, When] = {}
    for column, key in ((start, "start"), (end, "end")):
        text = row.get(column, "").strip()
        if text:
            try:
                dates[key] = date(text, full=full)
            except FieldError as err:
                report(column, text, f"date not read ({err}); field left out")
    try:
        date_range(dates.get("start"), dates.get("end"))
    except FieldError as err:
        report(end, dates.pop("end").lexical, f"{err}; the end date left out")
    return dates


@dataclass
class Ledger:
    """The fate of every row of one input file: kept, filtered (by filter name) or rejected."""

    file: str
    read: int = 0
    kept: int = 0
    rejected: int = 0
    filtered: Counter = field(default_factory=Counter)

    def closes(self) -> bool:
        """``True`` when read = kept + filtered + rejected."""
        return self.read == self.kept + sum(self.filtered.values()) + self.rejected

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "read": self.read, "kept": self.kept, "rejected": self.rejected,
                "filtered": dict(sorted(self.filtered.items()))}

    def __str__(self) -> str:
        text = f"{self.file}: read {self.read} = kept {self.kept}"
        if self.filtered:
            named = ", ".join(f"{k} {v}" for k, v in sorted(self.filtered.items()))
            text += f" + filtered {sum(self.filtered.values())} ({named})"
        text += f" + rejected {self.rejected}"
        return text if self.closes() else text + " (DOES NOT ADD UP: a bug in the adapter)"


@dataclass(frozen=True)
class RawRow:
    """One CSV record: the line it starts on, its cells, and what is wrong with it as a whole."""

    line: int
    cells: list[str]
    error: str = ""


def read_rows(path: Path, delimiter: str | None = None) -> tuple[list[str], Iterator[RawRow]]:
    """Header and records of a CSV file; ``delimiter`` ``None`` detects ``;`` or ``,`` from the header.

    Records split only at ``\\n``, ``\\r\\n`` or ``\\r`` outside quotes. A record whose bytes are
    not UTF-8, which the CSV parser cannot read, or whose cell count differs from the header's
    comes with ``error`` set (and its cells as far as they were read), so the adapter rejects it
    with its line and goes on.
    """
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    # Bytes that are not UTF-8 become lone surrogates, found per record below, so that one bad
    # byte costs one row, not the file.
    text = data.decode("utf-8", errors="surrogateescape")
    first = text.split("\n", 1)[0]
    if delimiter is None:  # CORDIS writes both: official files ";", re-saved ones ","
        delimiter = ";" if first.count(";") > first.count(",") else ","
    csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader, [])]
    except csv.Error as err:
        raise FieldError(f"{path}: line 1: the header cannot be read as CSV ({err})") from None
    if any(_has_surrogate(h) for h in header):
        raise FieldError(f"{path}: line 1: the header is not UTF-8 text")

    def records() -> Iterator[RawRow]:
        end = reader.line_num
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                line, end = end + 1, reader.line_num
                yield RawRow(line, [], f"not readable as CSV ({err})")
                continue
            line, end = end + 1, reader.line_num  # the line a record starts on
            if not any(c.strip() for c in cells):
                yield RawRow(line, cells, "")
                continue
            bad = next((c for c in cells if _has_surrogate(c)), None)
            if bad is not None:
                shown = bad.encode("utf-8", errors="surrogateescape")[:60]
                yield RawRow(line, [], f"bytes that are not UTF-8 text: {shown!r}")
            elif len(cells) != len(header):
                yield RawRow(line, cells, f"{len(cells)} cells, the header has {len(header)}")
            else:
                yield RawRow(line, cells)
    return header, records()


def is_empty(row: RawRow) -> bool:
    """A record with no text in any cell (a blank line, or only separators)."""
    return not row.error and not any(c.strip() for c in row.cells)


def _has_surrogate(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text)
