"""One pydantic model per record file in ``data/records/`` (documented in ``docs/records.md``).

A model checks one row on its own: types, formats, required fields. What needs the whole record
set (references between records, duplicate ids, vocabulary keys, dates that must be ordered) is
checked by :mod:`ingest.records.load`, which also knows, for each field, what it refers to
(:data:`REFERENCES`, :data:`CONCEPTS`).
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from .fields import (Bool, CordisId, Country, Date, Key, Keys, Number, ParticipediaId, Pic, Text, Texts, Url,
                     WikidataId)


class Record(BaseModel):
    """Base of all record models: unknown fields are errors; rows are immutable once read."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    #: Name of the CSV file in ``data/records/`` holding these records.
    file: ClassVar[str]
    #: IRI segment of the entities (``id/<kind>/<key>``); ``None`` where the row has no own id.
    kind: ClassVar[str | None]

    id: Key
    source: Keys
    note: Text | None = None


class Described(Record):
    name: Text
    description: Text | None = None
    methods: Keys = ()
    themes: Keys = ()


class Source(BaseModel):
    """A document or export that facts were taken from."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    file: ClassVar[str] = "sources.csv"
    kind: ClassVar[str | None] = "source"

    id: Key
    title: Text
    type: Key
    url: Url | None = None
    publisher: Text | None = None
    retrieved: Date | None = None
    licence: Url | None = None
    local_copy: Text | None = None
    note: Text | None = None


class City(Record):
    file: ClassVar[str] = "cities.csv"
    kind: ClassVar[str | None] = "city"

    name: Text
    country: Country
    wikidata: WikidataId | None = None


class Organisation(Described):
    file: ClassVar[str] = "organisations.csv"
    kind: ClassVar[str | None] = "organisation"

    type: Key
    alt_names: Texts = ()
    acronym: Text | None = None
    city: Key | None = None
    country: Country | None = None
    website: Url | None = None
    wikidata: WikidataId | None = None
    pic: Pic | None = None
    participedia: ParticipediaId | None = None
    status: Key | None = None
    established_by: Keys = ()


class Programme(Described):
    file: ClassVar[str] = "programmes.csv"
    kind: ClassVar[str | None] = "programme"

    type: Key
    part_of: Keys = ()
    start: Date | None = None
    end: Date | None = None
    website: Url | None = None
    audience: Keys = ()


class Project(Described):
    file: ClassVar[str] = "projects.csv"
    kind: ClassVar[str | None] = "project"

    acronym: Text | None = None
    cordis_id: CordisId | None = None
    start: Date | None = None
    end: Date | None = None
    funder: Keys = ()
    part_of: Keys = ()
    website: Url | None = None
    audience: Keys = ()
    status: Key | None = None


class Event(Described):
    file: ClassVar[str] = "events.csv"
    kind: ClassVar[str | None] = "event"

    start: Date
    end: Date | None = None
    city: Key | None = None
    online: Bool | None = None
    part_of: Keys = ()
    about: Keys = ()
    website: Url | None = None
    audience: Keys = ()


class Participation(BaseModel):
    """An organisation's (or a city's) membership of a network or part in a project, programme or event.

    ``contribution`` says in a few words of our own what the participant brought: the challenge a
    city worked on at a Democracy Lab, the plan an organisation developed in an accelerator.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    file: ClassVar[str] = "participations.csv"
    kind: ClassVar[str | None] = None

    agent: Key
    target: Key
    role: Key
    start: Date | None = None
    end: Date | None = None
    contribution: Text | None = None
    source: Keys
    note: Text | None = None

    @property
    def key(self) -> str:
        """Stable key of the membership node: ``<agent>--<role>--<target>[--<start>]``."""
        base = f"{self.agent}--{self.role}--{self.target}"
        return f"{base}--{self.start.lexical}" if self.start else base


class Output(Described):
    file: ClassVar[str] = "outputs.csv"
    kind: ClassVar[str | None] = "output"

    type: Key
    producer: Keys
    date: Date | None = None
    website: Url | None = None
    status: Key | None = None


class Claim(Record):
    file: ClassVar[str] = "claims.csv"
    kind: ClassVar[str | None] = "claim"

    about: Key
    quantity: Key
    qualifier: Key
    value: Number | None = None
    start: Date | None = None
    end: Date | None = None
    context: Keys = ()


#: Record files in load order (references may point to any file).
MODELS: tuple[type[BaseModel], ...] = (
    Source, City, Organisation, Programme, Project, Event, Participation, Output, Claim,
)

#: Fields that hold ids of other records, and the kinds they may refer to.
REFERENCES: dict[str, tuple[str, ...]] = {
    "source": ("source",),
    "city": ("city",),
    "established_by": ("project", "programme"),
    "part_of": ("programme", "project", "event"),
    "funder": ("programme", "organisation"),
    "about": ("organisation", "programme", "project", "event", "output", "city"),
    "agent": ("organisation", "city"),
    "target": ("organisation", "project", "programme", "event"),
    "producer": ("project", "programme", "event", "organisation"),
    "context": ("programme", "project", "event", "organisation"),
}

#: Fields that hold concept keys, and the scheme (ontology/*.ttl) they come from, per model.
CONCEPTS: dict[str, str] = {
    "methods": "method",
    "themes": "theme",
    "audience": "audience",
    "status": "status",
    "role": "role",
    "quantity": "quantity",
    "qualifier": "qualifier",
}
#: ``type`` means a different scheme in each file.
TYPE_SCHEMES: dict[str, str] = {
    "organisations.csv": "orgtype",
    "programmes.csv": "programmetype",
    "outputs.csv": "outputtype",
    "sources.csv": "sourcetype",
}
