"""Reading the text of Participedia's cells: HTML entities, extra quotes, links to other entries."""

from __future__ import annotations

import html
import re

from ..checks import FieldError

_LINK = re.compile(r'\((\d+)(?:\.0)?,(\w+),((?:"(?:[^"\\]|\\.|"")*")|[^)]*)\)')


def clean_text(text: str) -> str:
    """HTML entities decoded, an extra layer of wrapping quotes removed, spaces trimmed."""
    text = html.unescape(text).strip()
    while len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1].strip()
    return text


def parse_links(text: str, *, strict: bool = False) -> list[tuple[str, str, str]]:
    """(id, type, title) of every entry linked in a Postgres array or single composite row.

    With ``strict``, text that is not wholly such links (an unclosed array, a stray element)
    raises :class:`ingest.sources.checks.FieldError` instead of yielding what could be read.

    >>> parse_links('{"(4328,method,ICT)",oops}', strict=True)
    Traceback (most recent call last):
    ...
    ingest.sources.checks.FieldError: not a list of linked entries ({"(id,type,title)",...}); unread: 'oops'
    """
    text = text.strip()
    array = text.startswith("{") and text.endswith("}")
    if array:
        # Array elements are quoted strings whose inner quotes are backslash-escaped.
        text = text[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    out = []
    for m in _LINK.finditer(text):
        title = m.group(3)
        if title.startswith('"') and title.endswith('"'):
            title = title[1:-1].replace('""', '"').replace('\\"', '"')
        out.append((m.group(1), m.group(2), clean_text(title)))
    if strict:
        rest = _LINK.sub("", text).replace('"', "").replace(",", "").strip()
        if rest or (text and not out) or (not array and text.count("(") > 1):
            raise FieldError(f"not a list of linked entries ({{\"(id,type,title)\",...}}); unread: {(rest or text)[:60]!r}")
    return out


def normalise_name(text: str) -> str:
    """A method or organisation name folded for matching: case, apostrophes, marks, punctuation.

    >>> normalise_name("Citizens’ Assembly "), normalise_name("Deliberative Polling®")
    ("citizens' assembly", 'deliberative polling')
    """
    text = clean_text(text).replace("\u2019", "'").replace("\u2018", "'").replace("®", "").replace("™", "")
    return " ".join(re.sub(r"[^\w' ]+", " ", text.casefold()).split())
