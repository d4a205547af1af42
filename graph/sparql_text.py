"""Checks on SPARQL text before any engine sees it: no ``SERVICE``, bounded length and nesting.

A read-only endpoint that runs ``SERVICE <http://…>`` fetches that address for whoever sent the
query: a proxy into its host's network. And the engines parse recursively, so a query of a few
kilobytes nested thousands of groups deep (``{{{{…}}}}`` or ``((((…))))``) overflows their stack
and kills the process. :func:`check_query` refuses both, and over-long text, before the query
reaches Oxigraph (``dkg serve``'s guard, ``dkg query`` on the embedded store).

The scan is lexical, not a parse: strings, IRIs and comments are blanked out first, so a
``SERVICE`` or a bracket inside them does not count, and a variable or prefixed name that
contains the word (``?service``, ``ex:SERVICE``) is not the keyword.

Examples
--------
>>> check_query("SELECT * WHERE { ?s ?p ?o }")
>>> check_query('SELECT * WHERE { ?s <http://x/SERVICE> "SERVICE" . ?service ?p ?o } # SERVICE')
>>> check_query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
Traceback (most recent call last):
...
graph.sparql_text.QueryRefused: line 1, column 18: SERVICE clauses are refused: this store does not fetch from other addresses (dkg query --allow-service runs them on your own machine)
>>> check_query("SELECT * WHERE " + "{" * 500 + "}" * 500)
Traceback (most recent call last):
...
graph.sparql_text.QueryRefused: line 1, column 144: groups nested more than 128 deep; no real question needs that many
"""

from __future__ import annotations

import re

from ontology.errors import DkgError

#: Longest query text accepted (characters). The longest named question is under 4,000.
MAX_QUERY_CHARS = 256_000
#: Deepest nesting of ``{ }``, ``( )`` and ``[ ]`` accepted. Oxigraph's parser overflows its
#: stack somewhere past a thousand; the deepest named question nests 7.
MAX_NESTING = 128

_LITERALS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n\r]*", re.S)
_SERVICE = re.compile(r"(?<![\w?$:.\-])SERVICE(?![\w:\-])", re.I)
_OPEN = set("{([")
_BRACKETS = re.compile(r"[{}()\[\]]")


class QueryRefused(DkgError, ValueError):
    """The query text is refused before it runs; the message says where and why."""


def code_only(text: str) -> str:
    """``text`` with strings, IRIs and comments blanked (same length, line breaks kept)."""
    return _LITERALS.sub(_blank, text)


def _blank(match: re.Match) -> str:
    found = match.group()
    return " " * len(found) if "\n" not in found else re.sub(r"[^\n]", " ", found)


def _where(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def check_query(text: str, *, allow_service: bool = False, max_chars: int = MAX_QUERY_CHARS,
                max_nesting: int = MAX_NESTING) -> None:
    """Raise :class:`QueryRefused` for a ``SERVICE`` clause (unless allowed), text longer than
    ``max_chars`` or brackets nested deeper than ``max_nesting``."""
    if len(text) > max_chars:
        raise QueryRefused(f"the query is {len(text):,} characters; this store takes at most {max_chars:,}")
    code = code_only(text)
    depth = 0
    for bracket in _BRACKETS.finditer(code):
        if bracket.group() in _OPEN:
            depth += 1
            if depth > max_nesting:
                raise QueryRefused(f"{_where(text, bracket.start())}: groups nested more than {max_nesting} deep; "
                                   "no real question needs that many")
        else:
            depth -= 1
    if not allow_service:
        found = _SERVICE.search(code)
        if found:
            raise QueryRefused(f"{_where(text, found.start())}: SERVICE clauses are refused: this store does not "
                               "fetch from other addresses (dkg query --allow-service runs them on your own machine)")
