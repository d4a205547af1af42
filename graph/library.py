"""The named question library: the competency questions in ``graph/queries/*.rq``, runnable by name.

Each ``.rq`` file starts with a comment header that states the question, its parameters and an
example result, then the SPARQL (the project prefixes are predeclared)::

    # Question: Who are the members of a network, in which role, and when?
    #
    # Parameters:
    #   network (iri, default organisation:nets4dem): the network.
    #   role (iri, optional): only members in this role, e.g. role:coordinator.
    #
    # Example:
    #   member | memberName | memberRole | start | end | source
    #   ...
    SELECT ?member ?role ?start ?end WHERE { ... }

A parameter line is ``name (kind[, default VALUE | , optional]): description``; a parameter with
neither a default nor ``optional`` is required. The example is the answer on the seed records
plus the test fixtures with the default parameters, or with those the heading names
(``# Example (text=cities):``); ``python -m graph.examples BUILD_DIR`` rewrites
the examples and ``tests/test_library.py`` checks that they are still true. Kinds (:data:`KINDS`) say how a value given as
text (``--param key=value``) becomes an RDF term: ``iri`` (``<http://...>``, ``http(s)://...``,
a project prefixed name such as ``organisation:nets4dem``, or ``kind/key`` for ``id/kind/key``),
``string``, ``integer``, ``decimal``, ``date``, ``year`` (an ``xsd:integer``), ``boolean``.

Values are bound as RDF terms (:mod:`graph.sparql`), never pasted into the query text.

Examples
--------
>>> q = get_query("members-of-network")
>>> [p.name for p in q.parameters]
['network', 'role']
>>> str(q.bind({"network": "organisation:eurocities"})["network"])
'<https://w3id.org/democracy-kg/id/organisation/eurocities>'
>>> q.bind({"colour": "red"})
Traceback (most recent call last):
...
graph.sparql.ParameterError: members-of-network: unknown parameter 'colour'; it takes network, role
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from ontology.errors import DkgError
from ontology.namespaces import ID, PREFIXES

from .sparql import ParameterError, query_form

QUERIES_DIR = Path(__file__).resolve().parent / "queries"
XSD = "http://www.w3.org/2001/XMLSchema#"
KINDS = ("iri", "string", "integer", "decimal", "date", "year", "boolean")
#: Keyword arguments of :func:`graph.query.select` that a parameter may not shadow.
RESERVED_NAMES = frozenset({"store", "endpoint", "auth"})

_PARAM_LINE = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<kind>[a-z]+)(?:,\s*(?P<extra>[^)]*))?\)\s*:\s*(?P<description>.*)$")


class LibraryError(DkgError, ValueError):
    """A query file of the library is malformed (named with its path)."""


class QueryNotFound(DkgError, KeyError):
    """No question of that name in the library."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class Parameter:
    """One declared parameter of a named question."""

    name: str
    kind: str
    description: str
    default: str | None = None
    optional: bool = False

    @property
    def required(self) -> bool:
        return self.default is None and not self.optional

    def term(self, value: str | int | float | bool | Decimal | dt.date | ox.NamedNode | ox.Literal) -> ox.NamedNode | ox.Literal:
        """The RDF term for ``value`` (text as given on the command line, or a Python value)."""
        if isinstance(value, (ox.NamedNode, ox.Literal)):
            return value
        try:
            return _CONVERTERS[self.kind](value)
        except (ValueError, TypeError, InvalidOperation) as err:
            raise ParameterError(f"parameter {self.name!r} ({self.kind}): {value!r} is not valid: {err}") from None


@dataclass(frozen=True)
class NamedQuery:
    """A question of the library: its header facts and its SPARQL text."""

    name: str
    question: str
    text: str
    parameters: tuple[Parameter, ...] = ()
    example: str = ""
    example_params: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    form: str = field(default="SELECT")

    def bind(self, values: dict[str, object]) -> dict[str, ox.NamedNode | ox.Literal]:
        """RDF terms for the given values plus the defaults; checks names, kinds and required ones."""
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise ParameterError(f"{self.name}: unknown parameter {unknown[0]!r}; "
                                 f"it takes {', '.join(known) or 'no parameters'}")
        bound = {}
        for p in self.parameters:
            value = values.get(p.name, p.default)
            if value is None:
                if p.required:
                    raise ParameterError(f"{self.name}: parameter {p.name!r} ({p.kind}) is required: {p.description}")
                continue
            bound[p.name] = p.term(value)
        return bound


def parse_query_file(path: Path | str | None, text: str | None = None) -> NamedQuery:
    """Read a query file's header (question, parameters, example) and its SPARQL text.

    ``text`` given: parse it (``path``, if any, names it in messages). Queries without a header
    are accepted (ad-hoc queries): they have no declared parameters.
    """
    path = Path(path) if path is not None else None
    if text is None:
        if path is None:
            raise ValueError("give a path or a text")
        text = path.read_text(encoding="utf-8")
    question, example, parameters = [], [], []
    example_params: dict[str, str] = {}
    section = None
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.startswith("#"):
            if raw.strip():
                break
            continue
        line = raw[1:].strip()
        heading = line.split(":", 1)[0].lower()
        if heading == "question":
            section = "question"
            question.append(line.split(":", 1)[1].strip())
        elif heading == "parameters" and line.rstrip().endswith(":"):
            section = "parameters"
        elif heading.startswith("example"):
            section = "example"
            m = re.match(r"example\s*\((?P<params>[^)]*)\)\s*:", line, re.I)
            for item in (m["params"].split(",") if m else []):
                key, _, value = item.partition("=")
                example_params[key.strip()] = value.strip()
        elif section == "question" and line:
            question.append(line)
        elif section == "parameters" and line:
            parameters.append(_parse_parameter(line, path, number))
        elif section == "example":
            example.append(raw[1:].removeprefix("   "))
        elif not line:
            section = None if section == "question" else section
    names = [p.name for p in parameters]
    if len(set(names)) != len(names):
        raise LibraryError(f"{path or '<query text>'}: a parameter is declared twice: {', '.join(names)}")
    form = query_form(text)
    return NamedQuery(name=path.stem if path else "query", question=" ".join(question), text=text, parameters=tuple(parameters),
                      example="\n".join(example).strip("\n"), example_params=example_params, path=path, form=form)


def _parse_parameter(line: str, path: Path | None, number: int) -> Parameter:
    m = _PARAM_LINE.match(line)
    if not m:
        raise LibraryError(f"{path or '<query text>'}:{number}: parameter line not understood: {line!r}; "
                           "expected 'name (kind[, default VALUE | , optional]): description'")
    name, kind, extra = m["name"], m["kind"], (m["extra"] or "").strip()
    if kind not in KINDS:
        raise LibraryError(f"{path or '<query text>'}:{number}: parameter {name!r} has unknown kind {kind!r}; known: {', '.join(KINDS)}")
    if name in RESERVED_NAMES:
        raise LibraryError(f"{path or '<query text>'}:{number}: parameter name {name!r} is reserved ({', '.join(sorted(RESERVED_NAMES))})")
    default, optional = None, False
    if extra == "optional":
        optional = True
    elif extra.startswith("default "):
        default = extra.removeprefix("default ").strip()
    elif extra:
        raise LibraryError(f"{path or '<query text>'}:{number}: parameter {name!r}: expected 'default VALUE' or 'optional', got {extra!r}")
    parameter = Parameter(name, kind, m["description"].strip(), default, optional)
    if default is not None:
        try:
            parameter.term(default)
        except ParameterError as err:
            raise LibraryError(f"{path or '<query text>'}:{number}: default of {err}") from None
    return parameter


def load_library(directory: Path | str = QUERIES_DIR) -> dict[str, NamedQuery]:
    """Every question in ``directory``, by name (the file name without ``.rq``), sorted by name."""
    return {q.name: q for q in (parse_query_file(p) for p in sorted(Path(directory).glob("*.rq")))}


def get_query(name: str, directory: Path | str = QUERIES_DIR) -> NamedQuery:
    """The named question ``name``; :class:`QueryNotFound` lists the known names."""
    path = Path(directory) / f"{name}.rq"
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", name) or not path.is_file():
        known = ", ".join(load_library(directory))
        raise QueryNotFound(f"no question named {name!r} in the library; known: {known}")
    return parse_query_file(path)


def _iri(value: object) -> ox.NamedNode:
    text = str(value).strip()
    if text.startswith("<") and text.endswith(">"):
        return ox.NamedNode(text[1:-1])
    if re.match(r"^[a-z][a-z0-9+.-]*://", text, re.I) or text.startswith("urn:"):
        return ox.NamedNode(text)
    prefix, colon, local = text.partition(":")
    if colon and prefix in PREFIXES:
        return ox.NamedNode(PREFIXES[prefix] + local)
    kind, slash, key = text.partition("/")
    if slash and key and f"{kind}" in PREFIXES:
        return ox.NamedNode(f"{ID}{kind}/{key}")
    raise ValueError("expected <IRI>, http(s)://..., a prefixed name such as organisation:nets4dem, or kind/key")


def _boolean(value: object) -> ox.Literal:
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    text = str(value).strip().lower()
    if text not in ("true", "false", "1", "0", "yes", "no"):
        raise ValueError("expected true or false")
    return ox.Literal("true" if text in ("true", "1", "yes") else "false", datatype=ox.NamedNode(XSD + "boolean"))


def _integer(value: object) -> ox.Literal:
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise ValueError("expected an integer")
    return ox.Literal(str(int(str(value).strip()) if isinstance(value, str) else int(value)),
                      datatype=ox.NamedNode(XSD + "integer"))


def _year(value: object) -> ox.Literal:
    year = int(_integer(value).value)
    if not 1000 <= year <= 9999:
        raise ValueError("expected a four-digit year")
    return ox.Literal(str(year), datatype=ox.NamedNode(XSD + "integer"))


def _decimal(value: object) -> ox.Literal:
    number = Decimal(str(value).strip())
    if not number.is_finite():
        raise ValueError("expected a finite number")
    return ox.Literal(format(number, "f"), datatype=ox.NamedNode(XSD + "decimal"))


def _date(value: object) -> ox.Literal:
    day = value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else dt.date.fromisoformat(str(value).strip())
    return ox.Literal(day.isoformat(), datatype=ox.NamedNode(XSD + "date"))


_CONVERTERS = {"iri": _iri, "string": lambda v: ox.Literal(str(v)), "integer": _integer, "decimal": _decimal,
               "date": _date, "year": _year, "boolean": _boolean}
