"""Countries as EU Publications Office country authority resources.

Codes and English names come from pycountry (ISO 3166-1). Country IRIs use the authority's
three-letter codes, e.g. ``http://publications.europa.eu/resource/authority/country/BEL``.
CORDIS writes ``EL`` for Greece and ``UK`` for the United Kingdom; both are accepted as aliases.

Examples
--------
>>> lookup("be").alpha_2
'BE'
>>> country_iri("BE")
'http://publications.europa.eu/resource/authority/country/BEL'
>>> lookup("EL").name, lookup("UK").alpha_2
('Greece', 'GB')
>>> lookup("XX") is None
True
>>> [lookup_name(n).alpha_2 for n in ("Italy", "Italia", "Belgio", "United States", "Deutschland")]
['IT', 'IT', 'BE', 'US', 'DE']
>>> [lookup_name(n).alpha_2 for n in ("ישראל", "Palestinian Territory", "Россия", "South Korea")]
['IL', 'PS', 'RU', 'KR']
>>> lookup_name("Atlantis") is None
True
"""

from __future__ import annotations

import gettext
import os
import unicodedata
from dataclasses import dataclass
from functools import cache

import pycountry

from .namespaces import COUNTRY, COUNTRY_SCHEME, GRAPH, SCHEMA, SKOS
from .nquads import RDF_TYPE, iri, literal, quad

# Codes used by EU sources that differ from ISO 3166-1 alpha-2.
EU_ALIASES = {"EL": "GR", "UK": "GB"}
# Kosovo has no ISO 3166-1 code; the EU authority lists it as XKX and EU sources write XK.
_EXTRA = {"XK": ("XKX", "Kosovo")}


@dataclass(frozen=True)
class Country:
    """One country: ISO alpha-2 and alpha-3 codes and its English short name."""

    alpha_2: str
    alpha_3: str
    name: str

    @property
    def iri(self) -> str:
        return f"{COUNTRY}{self.alpha_3}"


@cache
def _by_alpha2() -> dict[str, Country]:
    table = {c.alpha_2: Country(c.alpha_2, c.alpha_3, c.name) for c in pycountry.countries}
    for a2, (a3, name) in _EXTRA.items():
        table[a2] = Country(a2, a3, name)
    return table


def lookup(code: str) -> Country | None:
    """Find a country by ISO 3166-1 alpha-2 code (case-insensitive; EU aliases EL/UK accepted)."""
    key = code.strip().upper()
    key = EU_ALIASES.get(key, key)
    return _by_alpha2().get(key)


#: English names in common use that ISO 3166 no longer (or never) uses.
_ENGLISH_ALIASES = {"turkey": "TR", "swaziland": "SZ", "macedonia": "MK", "burma": "MM", "cape verde": "CV",
                    "holland": "NL", "great britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
                    "northern ireland": "GB", "usa": "US", "united states of america": "US", "ivory coast": "CI",
                    "czech republic": "CZ", "east timor": "TL", "vatican": "VA", "palestine": "PS",
                    "palestinian territory": "PS", "occupied palestinian territory": "PS",
                    "occupied palestinian territories": "PS"}


def _fold(name: str) -> str:
    # Accents go (``Österreich`` = ``osterreich``) but letters of every script stay: folding to
    # ASCII would turn ``ישראל`` into an empty name.
    text = "".join(ch for ch in unicodedata.normalize("NFKD", name.replace("\u2019", "'"))
                   if not unicodedata.combining(ch)).casefold()
    text = " ".join(text.replace(",", " ").replace(".", " ").split())
    return text.removeprefix("the ")


@cache
def _by_name() -> dict[str, str]:
    """Folded country names in every language pycountry ships -> alpha-2.

    Sources such as Participedia write country names in the contributor's language (``Italia``,
    ``Belgio``); pycountry's ISO 3166 translations cover them. A name that means different
    countries in different languages is left out rather than guessed.
    """
    names: dict[str, set[str]] = {}
    countries = list(pycountry.countries)
    for c in countries:
        for name in {c.name, getattr(c, "official_name", c.name), getattr(c, "common_name", c.name), c.alpha_2, c.alpha_3}:
            names.setdefault(_fold(name), set()).add(c.alpha_2)
    english = {n for n in names}
    for lang in sorted(os.listdir(pycountry.LOCALES_DIR)):
        try:
            tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
        except OSError:
            continue
        for c in countries:
            for name in {c.name, getattr(c, "common_name", c.name)}:
                folded = _fold(tr.gettext(name))
                if folded not in english:
                    names.setdefault(folded, set()).add(c.alpha_2)
    names.setdefault("kosovo", set()).add("XK")
    for alias, code in _ENGLISH_ALIASES.items():
        names[alias] = {code}
    return {name: codes.pop() for name, codes in names.items() if len(codes) == 1}


@cache
def _by_cldr_name() -> dict[str, str]:
    """Folded country names from CLDR (via Babel) in every language it has -> alpha-2.

    Second tier, read only when pycountry's tables do not know a name (it takes about a
    second): CLDR has the short names people write (``Russia``, ``South Korea``,
    ``Palestinian Territories``) and names in scripts pycountry's translations lack. Names
    that mean different countries in different languages are left out.
    """
    try:
        from babel import Locale, localedata
    except ImportError:  # Babel is a dependency; without it the first tier still works
        return {}
    known = _by_alpha2()
    names: dict[str, set[str]] = {}
    for ident in sorted(i for i in localedata.locale_identifiers() if "_" not in i):
        for code, name in Locale.parse(ident).territories.items():
            if code in known:
                names.setdefault(_fold(name), set()).add(code)
    return {name: codes.pop() for name, codes in names.items() if len(codes) == 1}


def lookup_name(name: str) -> Country | None:
    """Find a country by its name in English or another language, or by its ISO code."""
    folded = _fold(name)
    if not folded:
        return None
    code = _by_name().get(folded) or _by_cldr_name().get(folded)
    return _by_alpha2().get(code) if code else lookup(name) if len(name.strip()) == 2 else None


def country_iri(code: str) -> str:
    """IRI of the country with this alpha-2 code; ``KeyError`` when the code is unknown."""
    country = lookup(code)
    if country is None:
        raise KeyError(code)
    return country.iri


def all_countries() -> list[Country]:
    """Every known country, sorted by alpha-2 code."""
    return sorted(_by_alpha2().values(), key=lambda c: c.alpha_2)


def reference_quads(graph: str | None = None) -> list[str]:
    """N-Quads describing every country (type, scheme, ISO codes, English name).

    >>> any('"BE"' in q for q in reference_quads())
    True
    """
    g = iri(graph or f"{GRAPH}reference")
    scheme = iri(COUNTRY_SCHEME)
    out = []
    for c in all_countries():
        s = iri(c.iri)
        out += [
            quad(s, RDF_TYPE, iri(str(SCHEMA.Country)), g),
            quad(s, RDF_TYPE, iri(str(SKOS.Concept)), g),
            quad(s, iri(str(SKOS.inScheme)), scheme, g),
            quad(s, iri(str(SKOS.notation)), literal(c.alpha_2), g),
            quad(s, iri(str(SKOS.prefLabel)), literal(c.name, lang="en"), g),
        ]
    out.append(quad(scheme, RDF_TYPE, iri(str(SKOS.ConceptScheme)), g))
    out.append(quad(scheme, iri(str(SKOS.prefLabel)), literal("Countries (EU Publications Office authority table)", lang="en"), g))
    return out
