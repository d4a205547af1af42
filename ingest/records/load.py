"""Read and validate the curated record files, reporting every problem at once.

:func:`load_records` never stops at the first problem: it reads every file and every row, then
checks what needs the whole set (duplicate ids, references, vocabulary keys, date order), and
returns all problems, each naming the file, line, field, value and what was expected.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "sources.csv").write_text("id,title,type\\ndoc,A page,web-page\\n", encoding="utf-8")
>>> _ = (d / "cities.csv").write_text("id,name,country,source\\nghent,Ghent,XX,doc\\n", encoding="utf-8")
>>> records, problems = load_records(d)
>>> print(problems[0])
cities.csv:2: country = 'XX': expected an ISO 3166-1 alpha-2 country code such as 'BE' (EL and UK are accepted)
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ValidationError

from ontology.errors import EXIT_INVALID, DkgError
from ontology.namespaces import city_key
from ontology.vocab import Vocabularies, load_vocabularies

from .models import CONCEPTS, MODELS, REFERENCES, TYPE_SCHEMES, City, Claim, Participation

_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input: where it is, what it holds and what was expected."""

    file: str
    line: int
    field: str
    value: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        what = f" {self.field} = {self.value!r}:" if self.field else ""
        return f"{where}:{what} {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "field": self.field, "value": self.value, "message": self.message}


@dataclass
class Row:
    """A validated record with the place it came from."""

    record: BaseModel
    file: str
    line: int


@dataclass
class RecordSet:
    """All records, by model class, plus an index of ids to rows."""

    rows: dict[type[BaseModel], list[Row]] = field(default_factory=lambda: defaultdict(list))
    index: dict[str, Row] = field(default_factory=dict)

    def of(self, model: type[BaseModel]) -> list[BaseModel]:
        return [r.record for r in self.rows.get(model, [])]

    def kind_of(self, key: str) -> str:
        return type(self.index[key].record).kind  # type: ignore[attr-defined]

    def __len__(self) -> int:
        return sum(len(v) for v in self.rows.values())


class RecordError(DkgError):
    """Raised by :func:`require_records` when the records have problems."""

    exit_code = EXIT_INVALID

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the records:\n" + "\n".join(map(str, problems)))

    def __reduce__(self) -> tuple:
        # Rebuilt from its problems (the build reads records in a child process and raises its errors here).
        return type(self), (self.problems,)


def load_records(directory: Path | str, vocab: Vocabularies | None = None) -> tuple[RecordSet, list[Problem]]:
    """Read every record file in ``directory``; return the records and all problems found."""
    directory = Path(directory)
    vocab = vocab or load_vocabularies()
    problems: list[Problem] = []
    records = RecordSet()
    if not directory.is_dir():
        return records, [Problem(str(directory), 0, "", "", "records directory not found")]
    known = {m.file for m in MODELS}  # type: ignore[attr-defined]
    for path in sorted(directory.glob("*.csv")):
        if path.name == "resolution.csv":
            continue  # curator decisions for entity resolution, read by ingest.resolve
        if path.name not in known:
            problems.append(Problem(path.name, 0, "", "", f"unknown record file; expected one of {', '.join(sorted(known))}"))
    for model in MODELS:
        path = directory / model.file  # type: ignore[attr-defined]
        if path.exists():
            _read_file(path, model, records, problems)
    _check_references(records, vocab, problems)
    return records, sorted(problems)


def require_records(directory: Path | str, vocab: Vocabularies | None = None) -> RecordSet:
    """Like :func:`load_records`, but raise :class:`RecordError` listing all problems."""
    records, problems = load_records(directory, vocab)
    if problems:
        raise RecordError(problems)
    return records


def _decode(path: Path, problems: list[Problem]) -> str | None:
    name = path.name
    data = path.read_bytes()
    if not data.strip():
        problems.append(Problem(name, 0, "", "", "empty file; expected a header row and records"))
        return None
    if data.startswith(_BOM):
        problems.append(Problem(name, 1, "", "", "file starts with a byte order mark (BOM); save it as UTF-8 without BOM"))
        data = data[len(_BOM):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        bad = data[err.start:err.end].hex(" ")
        problems.append(Problem(name, line, "", bad, f"not UTF-8 (byte {err.start}); save the file as UTF-8"))
        return None


def _read_file(path: Path, model: type[BaseModel], records: RecordSet, problems: list[Problem]) -> None:
    name = path.name
    text = _decode(path, problems)
    if text is None:
        return
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error) as err:
        problems.append(Problem(name, 1, "", "", f"unreadable header row: {err}"))
        return
    fields = model.model_fields
    required = {n for n, f in fields.items() if f.is_required()}
    header_ok = True
    for column in header:
        if column not in fields:
            problems.append(Problem(name, 1, column, column, f"unknown field; expected one of {', '.join(fields)}"))
            header_ok = False
    for column in sorted({c for c in header if header.count(c) > 1}):
        problems.append(Problem(name, 1, column, column, "field appears twice in the header"))
        header_ok = False
    for column in sorted(required - set(header)):
        problems.append(Problem(name, 1, column, "", "required field missing from the header"))
        header_ok = False
    if not header_ok:
        return
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            problems.append(Problem(name, line, "", "", f"malformed CSV: {err}"))
            break
        start, line = line, reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(Problem(name, start, "", ",".join(cells)[:80], f"row has {len(cells)} cells; the header has {len(header)}"))
            continue
        values = {h: c for h, c in zip(header, cells) if c.strip()}
        try:
            record = model.model_validate(values)
        except ValidationError as err:
            for e in err.errors():
                column = str(e["loc"][0]) if e["loc"] else ""
                message = e["msg"].removeprefix("Value error, ")
                if e["type"] == "missing":
                    message = "required field is empty"
                problems.append(Problem(name, start, column, values.get(column, ""), message))
            continue
        records.rows[model].append(Row(record, name, start))


def _check_references(records: RecordSet, vocab: Vocabularies, problems: list[Problem]) -> None:
    # Ids are unique across all files: a reference names an id, and the id says what it is.
    memberships: dict[str, Row] = {}
    for rows in records.rows.values():
        for row in rows:
            rec = row.record
            if isinstance(rec, Participation):
                if rec.key in memberships:
                    first = memberships[rec.key]
                    problems.append(Problem(row.file, row.line, "agent", rec.key, f"duplicate participation (first at {first.file}:{first.line})"))
                memberships[rec.key] = row
                continue
            key = rec.id  # type: ignore[attr-defined]
            if key in records.index:
                first = records.index[key]
                problems.append(Problem(row.file, row.line, "id", key, f"duplicate id (first at {first.file}:{first.line})"))
            else:
                records.index[key] = row
    for rows in records.rows.values():
        for row in rows:
            _check_row(row, records, vocab, problems)


@lru_cache(maxsize=None)
def _fields(model: type) -> frozenset[str]:
    # Looked up once per model class: pydantic's model_fields property is slow on a hot path.
    return frozenset(model.model_fields)


def _check_row(row: Row, records: RecordSet, vocab: Vocabularies, problems: list[Problem]) -> None:
    rec = row.record
    fields = _fields(type(rec))
    for name, kinds in REFERENCES.items():
        if name not in fields:
            continue
        value = getattr(rec, name)
        for key in value if isinstance(value, tuple) else (value,) if value else ():
            target = records.index.get(key)
            if target is None:
                problems.append(Problem(row.file, row.line, name, key, f"no record has this id; expected the id of {_any(kinds)}"))
            elif type(target.record).kind not in kinds:  # type: ignore[attr-defined]
                got = type(target.record).kind  # type: ignore[attr-defined]
                problems.append(Problem(row.file, row.line, name, key, f"refers to {_any((got,))}; expected {_any(kinds)}"))
            elif name in ("part_of", "about") and key == getattr(rec, "id", None):
                problems.append(Problem(row.file, row.line, name, key, "a record cannot refer to itself"))
    schemes = dict(CONCEPTS)
    if row.file in TYPE_SCHEMES:
        schemes["type"] = TYPE_SCHEMES[row.file]
    for name, scheme in schemes.items():
        if name not in fields:
            continue
        value = getattr(rec, name)
        allowed = vocab.keys(scheme)
        for key in value if isinstance(value, tuple) else (value,) if value else ():
            if key not in allowed:
                problems.append(Problem(row.file, row.line, name, key, f"unknown {scheme} concept; expected one of the keys in scheme/{scheme} (ontology/*.ttl)"))
    start, end = getattr(rec, "start", None), getattr(rec, "end", None)
    if start is not None and end is not None and not start <= end:
        problems.append(Problem(row.file, row.line, "end", end.lexical, f"end is before start ({start.lexical})"))
    if isinstance(rec, Claim):
        if rec.value is None and rec.qualifier != "almost-all":
            problems.append(Problem(row.file, row.line, "value", "", "required field is empty (only qualifier 'almost-all' goes without a number)"))
        if rec.value is not None and rec.qualifier == "almost-all":
            problems.append(Problem(row.file, row.line, "value", rec.value, "qualifier 'almost-all' takes no number; use 'almost' with a number"))
    if isinstance(rec, Participation) and rec.agent == rec.target:
        problems.append(Problem(row.file, row.line, "target", rec.target, "an organisation cannot take part in itself"))
    if isinstance(rec, City) and rec.id != city_key(rec.country, rec.name):
        # The id every source adapter mints for the same city, so that they all meet in one node.
        problems.append(Problem(row.file, row.line, "id", rec.id,
                                f"a city's id is its country code and name: expected {city_key(rec.country, rec.name)!r}"))


def _any(kinds: tuple[str, ...]) -> str:
    """``('event', 'project')`` -> ``'an event or a project'``."""
    return " or ".join(("an " if k[0] in "aeiou" else "a ") + k for k in kinds)
