"""The organisations in N-Quads lines, as resolution sees them: names, country, identifiers."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ontology.namespaces import DKG, ORG, RDFS, SCHEMA, SKOS
from ontology.nquads import RDF_TYPE, iri

#: Legal-form and similar suffix words dropped before names are compared.
LEGAL_FORMS = frozenset("""
    gmbh ggmbh ag ev e v aisbl asbl ivzw vzw sa sas sarl srl spa s p a sl slu bv b v nv n v
    ltd limited plc llc inc corp co cic cio oy ab as aps a s ks kft zrt sro s r o doo d o o
    ug kg ohg eg ry foundation
""".split())
CATALOGUE_HOSTS = frozenset({"participedia.net", "cordis.europa.eu", "ec.europa.eu", "www.wikidata.org",
                             "wikidata.org", "europa.eu"})
_P = {name: iri(str(term)) for name, term in {
    "label": RDFS.label, "alt": SKOS.altLabel, "country": DKG.country, "pic": DKG.pic,
    "participedia": DKG.participediaId, "sameAs": SCHEMA.sameAs, "url": SCHEMA.url,
}.items()}
_ORGANIZATION = iri(str(ORG.Organization))
_WANTED = frozenset(_P.values()) | {RDF_TYPE}
#: Every line :func:`organisations` reads holds one of these (and most other lines none): a
#: reader may pass it only the lines that do (the build filters the dump with ``grep -F``).
FACT_MARKERS = tuple(sorted(f" {p} " for p in _P.values())) + (f" {RDF_TYPE} {_ORGANIZATION} ",)
_UNESCAPE = re.compile(r'\\(["\\nrt]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})')
_SIMPLE = {'"': '"', "\\": "\\", "n": "\n", "r": "\r", "t": "\t"}


@dataclass
class Entity:
    """One organisation of one source graph: its names, country and identifiers by kind."""

    iri: str
    graph: str
    names: list[str] = field(default_factory=list)
    country: str | None = None
    ids: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def normalise_org_name(name: str) -> str:
    """A name folded for comparison: accents, case, punctuation, legal forms, a leading "the"."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    if words and words[0] == "the":
        words = words[1:]
    while words and words[-1] in LEGAL_FORMS:
        words.pop()
    return " ".join(words)


def _unescape(body: str) -> str:
    def one(m: re.Match) -> str:
        code = m.group(1)
        return _SIMPLE[code] if code in _SIMPLE else chr(int(code[1:], 16))
    return _UNESCAPE.sub(one, body)


def _literal_value(term: str) -> str:
    end = term.rfind('"')
    return _unescape(term[1:end])


def organisations(lines: list[str]) -> dict[str, Entity]:
    """The organisations in some N-Quads lines, with names, country and identifiers."""
    facts: list[tuple[str, str, str, str]] = []
    for line in lines:
        s, p, rest = line.split(" ", 2)
        if p not in _WANTED:
            continue
        cut = rest.rfind(" <")
        facts.append((s, p, rest[:cut], rest[cut + 1:-2]))
    entities: dict[str, Entity] = {}
    for s, p, o, g in facts:
        if p == RDF_TYPE and o == _ORGANIZATION:
            entities.setdefault(s[1:-1], Entity(s[1:-1], g[1:-1]))
    for s, p, o, g in facts:
        e = entities.get(s[1:-1])
        if e is None or p == RDF_TYPE:
            continue
        if p in (_P["label"], _P["alt"]):
            e.names.append(_literal_value(o))
        elif p == _P["country"]:
            e.country = o[1:-1]
        elif p == _P["pic"]:
            e.ids["PIC"].add(_literal_value(o))
        elif p == _P["participedia"]:
            e.ids["Participedia id"].add(_literal_value(o))
        elif p == _P["sameAs"] and "wikidata.org/entity/" in o:
            e.ids["Wikidata"].add(o[1:-1].rsplit("/", 1)[-1])
        elif p == _P["url"]:
            host = (urlsplit(o[1:-1]).hostname or "").removeprefix("www.")
            if host and host not in CATALOGUE_HOSTS and "www." + host not in CATALOGUE_HOSTS:
                e.ids["web domain"].add(host)
    for e in entities.values():
        e.names = sorted(set(e.names))
    return entities
