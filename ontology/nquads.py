"""Write RDF terms and quads as N-Quads text.

The build generates N-Quads lines as plain strings and bulk-loads them into Oxigraph: this is
the fast path (no rdflib term objects per triple). Every function here produces canonical
N-Quads (https://www.w3.org/TR/n-quads/#canonical-quads is followed for escaping), so sorted
lines are a byte-stable dump.

Examples
--------
>>> iri("https://w3id.org/democracy-kg/id/city/barcelona")
'<https://w3id.org/democracy-kg/id/city/barcelona>'
>>> literal('Say "hi"\\n', lang="en")
'"Say \\\\"hi\\\\"\\\\n"@en'
>>> literal("2024-06-27", XSD_DATE)
'"2024-06-27"^^<http://www.w3.org/2001/XMLSchema#date>'
>>> quad(iri("http://a"), iri("http://b"), literal("c"), iri("http://g"))
'<http://a> <http://b> "c" <http://g> .'
"""

from __future__ import annotations

import re

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
XSD_DATE = XSD + "date"
XSD_DATETIME = XSD + "dateTime"
XSD_GYEAR = XSD + "gYear"
XSD_GYEARMONTH = XSD + "gYearMonth"
XSD_INTEGER = XSD + "integer"
XSD_DECIMAL = XSD + "decimal"
XSD_BOOLEAN = XSD + "boolean"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"

# Canonical N-Quads escapes only these in literals (plus other control characters as \uXXXX).
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r"}
_NEEDS_ESCAPE = re.compile(r'["\\\n\r\x00-\x1f\x7f]')
# Characters that may not appear in an IRI reference in N-Triples/N-Quads.
_BAD_IRI_CHARS = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _escape_char(match: re.Match[str]) -> str:
    ch = match.group(0)
    return _ESCAPES.get(ch) or f"\\u{ord(ch):04X}"


def escape_string(text: str) -> str:
    """Escape a lexical form for an N-Quads string literal."""
    if _NEEDS_ESCAPE.search(text) is None:
        return text
    return _NEEDS_ESCAPE.sub(_escape_char, text)


def is_valid_iri(value: str) -> bool:
    """Whether ``value`` is an absolute IRI that N-Quads can carry unescaped.

    >>> is_valid_iri("https://example.org/a b")
    False
    >>> is_valid_iri("https://example.org/a%20b")
    True
    """
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value)) and _BAD_IRI_CHARS.search(value) is None


def iri(value: str) -> str:
    """An IRI term. Callers pass IRIs minted from validated keys or checked with :func:`is_valid_iri`."""
    return f"<{value}>"


def literal(value: str, datatype: str | None = None, lang: str | None = None) -> str:
    """A literal term; plain strings are written without ``^^xsd:string`` (RDF 1.1 canonical form)."""
    body = f'"{escape_string(value)}"'
    if lang:
        return f"{body}@{lang}"
    if datatype and datatype != XSD_STRING:
        return f"{body}^^<{datatype}>"
    return body


def quad(subject: str, predicate: str, obj: str, graph: str) -> str:
    """One N-Quads line (without the newline)."""
    return f"{subject} {predicate} {obj} {graph} ."
