"""CSV cells that a spreadsheet opens as text, never as a formula.

Files written for people to open in a spreadsheet (``rejects.csv``, ``matches.csv``, the network
tables) carry values from external exports. A cell starting with ``=``, ``+``, ``-`` or ``@``
(or a tab or carriage return before them) is run as a formula by Excel, LibreOffice and Google
Sheets: a reject's value ``=HYPERLINK("http://…")`` would become a live link. Such cells get a
leading apostrophe, which spreadsheets hide and read as "this is text" (OWASP's advice); numbers
such as ``-3.5`` stay as they are. The N-Quads dumps and SPARQL CSV answers are data formats that
must round-trip and are left alone.

Examples
--------
>>> [spreadsheet_safe(v) for v in ("=1+1", "@SUM(A1)", "-3.5", "+49 30 1234", "plain", 7)]
["'=1+1", "'@SUM(A1)", '-3.5', "'+49 30 1234", 'plain', 7]
"""

from __future__ import annotations

import re

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def spreadsheet_safe(value: object) -> object:
    """``value`` with a leading apostrophe when a spreadsheet would read it as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value
