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
"""

from __future__ import annotations

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
