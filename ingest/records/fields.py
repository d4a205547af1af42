"""Field types shared by every record model: keys, key lists, partial dates, countries, URLs.

Each type is a pydantic ``Annotated`` type whose validator raises ``ValueError`` with a message
that says what was expected; :mod:`ingest.records.load` turns those into problems naming the
file, line, field and value.

Examples
--------
>>> When.parse("2023-06").datatype.rsplit("#")[1]
'gYearMonth'
>>> When.parse("2020-11-02") <= When.parse("2022-11-01")
True
>>> When.parse("2024-06-27T10:00+02:00").lexical
'2024-06-27T10:00:00+02:00'
>>> When.parse("01/11/2022")
Traceback (most recent call last):
...
ValueError: expected an ISO 8601 date: YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss]±hh:mm
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal, InvalidOperation
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator

from ontology import countries
from ontology.namespaces import KEY_PATTERN
from ontology.nquads import XSD_DATE, XSD_DATETIME, XSD_GYEAR, XSD_GYEARMONTH, is_valid_iri

#: Separator of several values in one cell (ids and keys never contain it).
LIST_SEPARATOR = "|"

_DATE_FORMS = "expected an ISO 8601 date: YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss]±hh:mm"
_WHEN = re.compile(
    r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2})"
    r"(?:T(?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?P<tz>Z|[+-]\d{2}:\d{2}))?)?)?$"
)


@dataclass(frozen=True, order=False)
class When:
    """A date of year, month, day or minute precision, as curators write it.

    ``lower``/``upper`` are the first and last instant the value can mean (UTC), so that values of
    different precision compare sensibly: ``2009`` <= ``2009-05-01`` <= ``2020``.
    """

    lexical: str
    datatype: str
    lower: dt.datetime
    upper: dt.datetime

    @classmethod
    def parse(cls, text: str) -> When:
        m = _WHEN.match(text)
        if m is None:
            raise ValueError(_DATE_FORMS)
        y = int(m["y"])
        try:
            if m["m"] is None:
                lo, hi = dt.datetime(y, 1, 1), dt.datetime(y, 12, 31, 23, 59, 59)
                return cls(text, XSD_GYEAR, _utc(lo), _utc(hi))
            mo = int(m["m"])
            if m["d"] is None:
                last = calendar.monthrange(y, mo)[1]
                lo, hi = dt.datetime(y, mo, 1), dt.datetime(y, mo, last, 23, 59, 59)
                return cls(text, XSD_GYEARMONTH, _utc(lo), _utc(hi))
            day = dt.date(y, mo, int(m["d"]))
            if m["H"] is None:
                lo = dt.datetime.combine(day, dt.time())
                return cls(text, XSD_DATE, _utc(lo), _utc(lo.replace(hour=23, minute=59, second=59)))
            tz = m["tz"]
            offset = dt.timezone.utc if tz == "Z" else _offset(tz)
            moment = dt.datetime(y, mo, day.day, int(m["H"]), int(m["M"]), int(m["S"] or 0), tzinfo=offset)
            lexical = f"{day.isoformat()}T{m['H']}:{m['M']}:{m['S'] or '00'}{tz}"
            return cls(lexical, XSD_DATETIME, moment, moment)
        except ValueError:
            raise ValueError(f"{_DATE_FORMS}; {text!r} is not a calendar date") from None

    def __le__(self, other: When) -> bool:
        """``a <= b`` when ``a`` can be no later than ``b`` (compares earliest with latest)."""
        return self.lower <= other.upper

    def __str__(self) -> str:
        return self.lexical


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=dt.timezone.utc)


def _offset(tz: str) -> dt.timezone:
    sign = 1 if tz[0] == "+" else -1
    hours, minutes = int(tz[1:3]), int(tz[4:6])
    if hours > 14 or minutes > 59:
        raise ValueError(_DATE_FORMS)
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def _check_key(value: str) -> str:
    if not KEY_PATTERN.match(value):
        raise ValueError("expected a key: lower-case letters and digits in words joined by single hyphens, e.g. 'ec-net'")
    return value


def _split(value: object) -> object:
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(LIST_SEPARATOR))
    return value


def _check_keys(values: tuple[str, ...]) -> tuple[str, ...]:
    for v in values:
        _check_key(v)
    if len(set(values)) != len(values):
        raise ValueError(f"a value is listed twice; separate distinct values with '{LIST_SEPARATOR}'")
    return values


def _check_country(value: str) -> str:
    country = countries.lookup(value)
    if country is None or len(value) != 2:
        raise ValueError("expected an ISO 3166-1 alpha-2 country code such as 'BE' (EL and UK are accepted)")
    return country.alpha_2


def _check_url(value: str) -> str:
    if not re.match(r"^https?://[^/\s]+", value) or not is_valid_iri(value):
        raise ValueError("expected an absolute http(s) URL without spaces, quotes or angle brackets")
    return value


def _check_text(value: str) -> str:
    # NFC so that the same text typed on different systems gives the same bytes in dumps.
    return unicodedata.normalize("NFC", value)


def _check_bool(value: object) -> object:
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in {"true", "yes"}:
            return True
        if lowered in {"false", "no"}:
            return False
        raise ValueError("expected true or false")
    return value


def _check_number(value: str) -> str:
    # Plain decimal notation only: "1e5" or "1_000" would need a conversion the curator did not
    # write, and the store holds integers up to 18 digits and decimals up to 20.
    text = value.replace("_", "") if re.fullmatch(r"[0-9]{1,3}(?:_[0-9]{3})+(?:\.[0-9]+)?", value, re.ASCII) else value
    if not re.fullmatch(r"[0-9]{1,18}(?:\.[0-9]{1,18})?", text, re.ASCII):
        raise ValueError("expected a non-negative number in plain digits such as 600 or 12.5 "
                         "(no exponent, no thousands separators, at most 18 digits before the point)")
    return text


def _check_wikidata(value: str) -> str:
    if not re.match(r"^Q[1-9]\d*$", value):
        raise ValueError("expected a Wikidata item id such as Q12345")
    return value


def _check_cordis(value: str) -> str:
    if not re.match(r"^[1-9]\d{3,8}$", value):
        raise ValueError("expected a CORDIS project id (grant agreement number) such as 101112280")
    return value


def _check_participedia(value: str) -> str:
    if not re.match(r"^[1-9]\d{0,8}$", value):
        raise ValueError("expected the number of a Participedia entry, such as 6302 (participedia.net/organization/6302)")
    return value


def _check_pic(value: str) -> str:
    if not re.match(r"^\d{9}$", value):
        raise ValueError("expected a nine-digit PIC")
    return value


Key = Annotated[str, AfterValidator(_check_key)]
Keys = Annotated[tuple[str, ...], BeforeValidator(_split), AfterValidator(_check_keys)]
Text = Annotated[str, AfterValidator(_check_text)]
Texts = Annotated[tuple[Text, ...], BeforeValidator(_split)]
# Records repeat the same few thousand dates; When is immutable, so parse each text once.
_parse_when = lru_cache(maxsize=65536)(When.parse)
Date = Annotated[When, BeforeValidator(lambda v: _parse_when(v) if isinstance(v, str) else v)]
Country = Annotated[str, AfterValidator(_check_country)]
Url = Annotated[str, AfterValidator(_check_url)]
Bool = Annotated[bool, BeforeValidator(_check_bool)]
Number = Annotated[str, AfterValidator(_check_number)]
WikidataId = Annotated[str, AfterValidator(_check_wikidata)]
Pic = Annotated[str, AfterValidator(_check_pic)]
ParticipediaId = Annotated[str, AfterValidator(_check_participedia)]
CordisId = Annotated[str, AfterValidator(_check_cordis)]
