"""Tables of the knowledge graph that the network projections are built from.

:func:`extract` asks the store a handful of set-at-a-time SPARQL questions, each a scan of a few
predicates in long form (``?s ?p ?o`` with ``VALUES ?p``), reads the answers as CSV into pandas and
joins them there. On the on-disk store a scan costs about 5 µs a row while a per-row join costs
20-30 µs (RocksDB look-ups), so four scans and a pandas merge extract the 145k H2020
participations in a few seconds where one joined query takes over 12 s
(``docs/network.md``). The scans run on two threads: Oxigraph releases the GIL while it evaluates.

Every organisation is replaced by its canonical IRI (``dkg:canonical``, from entity resolution),
so one body described by several sources is one node; its attributes are taken from the canonical
record first and filled from the other records of its cluster.

The tables (all IRIs in full):

``ties``
    one row per qualified participation or membership (``org:Membership``): ``membership``,
    ``organisation`` (canonical; a city where a city takes part as itself), ``target`` (a project,
    network, event, programme or case), ``target_kind``, ``role`` (the role concept's key, e.g.
    ``coordinator``), ``start`` and ``end`` (the membership's own dates, else the target's; lexical
    forms, any precision), ``source`` (the name of the source graph the membership comes from:
    ``curated``, ``cordis-h2020-society``, ...; found through its source document).
``entities``
    one row per entity, indexed by IRI: ``label``, ``kind`` (organisation, network, project, event,
    programme, case, city, concept), ``country`` (ISO 3166 alpha-2 code),
    ``orgtype`` (organisation-type key), ``city`` (IRI), ``url`` (web page: an organisation's site,
    a source document's address), ``pic_only`` (an organisation no source names: its label is
    ``PIC <number>``).
``links``
    ``child``, ``relation``, ``parent``: hierarchy and classification links (``schema:funder``,
    ``dcterms:isPartOf``, ``skos:broader``, ``skos:exactMatch``, ``schema:superEvent``,
    ``dkg:usesMethod``) to filter by programme and method, narrower ones included; and
    ``dcterms:source`` (the source documents of each entity, for maps to link to).

Examples
--------
>>> from graph.network.extract import key
>>> key("https://w3id.org/democracy-kg/id/role/coordinator")
'coordinator'
>>> key("http://publications.europa.eu/resource/authority/country/BEL")
'BEL'
"""

from __future__ import annotations

import io
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyoxigraph as ox

from ontology.countries import all_countries
from ontology.namespaces import PREFIXES

from ..remote import EndpointError, SparqlEndpoint

__all__ = ["KnowledgeTables", "extract", "key", "KINDS"]

#: Entity kinds, from the most specific class (a case is not also a project, and so on). Cities
#: take part in programmes and awards as themselves (the European Capital of Democracy, a lab).
KINDS: dict[str, str] = {
    "dkg:Case": "case", "schema:Project": "project", "schema:Event": "event",
    "dkg:Programme": "programme", "org:Organization": "organisation", "schema:City": "city",
}
#: A label that says an organisation is known only by its EU Participant Identification Code.
PIC_ONLY = r"^PIC \d{9}$"

_SCANS = {
    # Split in two so that the two threads get about the same work.
    "ends": "SELECT ?s ?p ?o WHERE { VALUES ?p { org:member org:organization } ?s ?p ?o }",
    "qualifiers": "SELECT ?s ?p ?o WHERE { VALUES ?p { org:role schema:startDate schema:endDate } ?s ?p ?o }",
    "types": "SELECT ?s ?o WHERE { VALUES ?o { %s } ?s a ?o }" % " ".join(KINDS),
    "attributes": "SELECT ?s ?p ?o WHERE { VALUES ?p { rdfs:label skos:prefLabel dkg:country org:classification "
                  "schema:location schema:url dkg:canonical } ?s ?p ?o }",
    "links": "SELECT ?s ?p ?o WHERE { VALUES ?p { schema:funder dcterms:isPartOf skos:broader skos:exactMatch "
             "schema:superEvent dkg:usesMethod dcterms:source prov:wasDerivedFrom } ?s ?p ?o }",
}
_EXPAND = {f"{p}:{local}": PREFIXES[p] + local for p, local in
           (("org", "member"), ("org", "organization"), ("org", "role"), ("org", "classification"),
            ("schema", "startDate"), ("schema", "endDate"), ("schema", "location"), ("schema", "funder"),
            ("schema", "superEvent"), ("schema", "url"), ("dcterms", "source"), ("rdfs", "label"),
            ("skos", "prefLabel"), ("skos", "broader"),
            ("skos", "exactMatch"), ("dkg", "country"), ("dkg", "canonical"), ("dkg", "usesMethod"),
            ("dcterms", "isPartOf"), ("prov", "wasDerivedFrom"))}
_SHORT = {v: k for k, v in _EXPAND.items()}


def key(iri: str) -> str:
    """The last path segment of an IRI: the key of a concept, country or entity.

    Parameters
    ----------
    iri : str
        Any IRI, ours or not.

    Returns
    -------
    str
        What follows the last ``/`` (a trailing one ignored) or ``#``.

    Examples
    --------
    >>> key("https://w3id.org/democracy-kg/id/organisation/pic-999999999/")
    'pic-999999999'
    >>> key("http://www.w3.org/ns/org#Organization")
    'Organization'
    """
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


@dataclass(frozen=True)
class KnowledgeTables:
    """The tables the projections are built from (see the module docstring).

    Attributes
    ----------
    ties : pandas.DataFrame
        One row per participation or membership.
    entities : pandas.DataFrame
        One row per entity, indexed by IRI.
    links : pandas.DataFrame
        ``child``, ``relation``, ``parent``.

    Examples
    --------
    >>> import pandas as pd
    >>> entities = pd.DataFrame({"label": ["EUROCITIES"], "kind": ["network"]}, index=["https://example.org/id/ec"])
    >>> tables = KnowledgeTables(pd.DataFrame(), entities, pd.DataFrame())
    >>> tables.entities.loc["https://example.org/id/ec", "kind"]
    'network'
    """

    ties: pd.DataFrame
    entities: pd.DataFrame
    links: pd.DataFrame

    def label(self, iri: str) -> str:
        """The entity's label, else its key.

        Parameters
        ----------
        iri : str
            An entity's IRI (a row of :attr:`entities`, or not).

        Returns
        -------
        str
            The ``label`` column, where the entity has a non-empty one; else :func:`key` of the IRI.

        Examples
        --------
        >>> import pandas as pd
        >>> tables = KnowledgeTables(pd.DataFrame(), pd.DataFrame({"label": ["Ghent"]}, index=["https://x.org/c/1"]),
        ...                          pd.DataFrame())
        >>> tables.label("https://x.org/c/1"), tables.label("https://x.org/c/2")
        ('Ghent', '2')
        """
        value = self.entities["label"].get(iri) if iri in self.entities.index else None
        return value if isinstance(value, str) and value else key(iri)


def _csv(store: ox.Store | SparqlEndpoint, sparql: str) -> pd.DataFrame:
    if isinstance(store, SparqlEndpoint):
        data = store.select_csv(sparql)
    else:
        data = store.query(sparql, use_default_graph_as_union=True, prefixes=PREFIXES).serialize(
            format=ox.QueryResultsFormat.CSV)
    # Every value as text, empty cells as "": labels such as "NA" or "null" stay what they are.
    try:
        frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, na_filter=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        if isinstance(store, SparqlEndpoint):
            raise EndpointError(f"{store.url}: the CSV results cannot be read: {err}") from None
        raise
    # The union default graph repeats a triple held in two named graphs.
    return frame.drop_duplicates(ignore_index=True)


def extract(store: ox.Store | SparqlEndpoint | Path | str = "build") -> KnowledgeTables:
    """Read the tables of the knowledge graph from a store, a build directory or an endpoint.

    Parameters
    ----------
    store : pyoxigraph.Store, graph.remote.SparqlEndpoint, Path or str
        The embedded store, a build directory (opened read-only), or a remote endpoint.

    Returns
    -------
    KnowledgeTables

    Raises
    ------
    graph.remote.EndpointError
        An endpoint's answers cannot be read.

    Examples
    --------
    An in-memory store with one membership:

    >>> import pyoxigraph as ox
    >>> store = ox.Store()
    >>> store.load("@prefix org: <http://www.w3.org/ns/org#> . @prefix schema: <https://schema.org/> . "
    ...            "@prefix : <https://w3id.org/democracy-kg/id/> . "
    ...            ":m1 org:member :org1 ; org:organization :p1 ; schema:startDate '2020-03-01' . "
    ...            ":org1 a org:Organization . :p1 a schema:Project .", format=ox.RdfFormat.TURTLE)
    >>> tables = extract(store)
    >>> tables.ties[["organisation", "target", "target_kind", "start"]].map(key).values.tolist()
    [['org1', 'p1', 'project', '2020-03-01']]
    >>> tables.entities["kind"].tolist()
    ['organisation', 'project']
    """
    from ..query import connect

    store = connect(store)
    with ThreadPoolExecutor(max_workers=2) as pool:
        frames = dict(zip(_SCANS, pool.map(lambda q: _csv(store, q), _SCANS.values())))
    return _assemble(frames)


def _wide(frame: pd.DataFrame) -> pd.DataFrame:
    """Long ``s p o`` rows to one column per predicate (the smallest value where there are several)."""
    if frame.empty:
        return pd.DataFrame()
    frame = frame.assign(p=frame["p"].map(_SHORT))
    return frame.groupby(["s", "p"], sort=True)["o"].min().unstack("p")


def _assemble(frames: dict[str, pd.DataFrame]) -> KnowledgeTables:
    attributes = frames["attributes"]
    canonical = attributes.loc[attributes["p"] == _EXPAND["dkg:canonical"]].set_index("s")["o"]
    canonical = canonical.groupby(level=0).min()

    def canon(series: pd.Series) -> pd.Series:
        if canonical.empty:  # no resolution links (a build without external sources)
            return series
        return series.map(canonical).fillna(series)

    entities = _entity_table(attributes, frames["types"])
    ties = _tie_table(frames["ends"], frames["qualifiers"], canon)
    # The source graph of each membership, through its source document (a graph is derived from
    # its documents: graph/curated from the curated pages, graph/<name> from source/<name>).
    # Every entity's documents map to graphs; a membership's documents all lie in its own source's
    # graph, so any one of them says which. (Mapping whole columns: an isin() of the links
    # against the 145k H2020 memberships cost seconds.)
    links = frames["links"]
    derived = links.loc[links["p"] == _EXPAND["prov:wasDerivedFrom"]]
    graph_of_doc = dict(zip(derived["o"].tolist(), derived["s"].map(key).tolist()))
    sources = links.loc[links["p"] == _EXPAND["dcterms:source"]]
    graph_of = dict(zip(sources["s"].tolist(), sources["o"].map(graph_of_doc).tolist()))
    ties["source"] = ties["membership"].map(graph_of)
    # Organisations that others are members of are networks.
    target_kind = entities["kind"].reindex(ties["target"]).to_numpy()
    ties["target_kind"] = pd.Series(target_kind, index=ties.index).replace({"organisation": "network"}).fillna("other")
    networks = set(ties.loc[ties["target_kind"] == "network", "target"])
    entities.loc[entities.index.isin(networks) & (entities["kind"] == "organisation"), "kind"] = "network"
    if not canonical.empty:
        entities = _merge_clusters(entities, canon(pd.Series(entities.index, index=entities.index)))
    entities["kind"] = entities["kind"].fillna("concept")
    entities = entities.sort_index()

    links = frames["links"].rename(columns={"s": "child", "p": "relation", "o": "parent"})
    links["relation"] = links["relation"].map(_SHORT)
    links["child"] = canon(links["child"])
    columns = ["membership", "organisation", "target", "target_kind", "role", "start", "end", "source"]
    ties = ties[columns].sort_values(columns, na_position="last", ignore_index=True)
    ties.columns.name = None
    return KnowledgeTables(ties=ties, entities=entities,
                           links=links.sort_values(["child", "relation", "parent"], ignore_index=True))


def _entity_table(attributes: pd.DataFrame, types: pd.DataFrame) -> pd.DataFrame:
    """One row per entity: kinds by the most specific class, attributes by predicate."""
    types = types.copy()
    full_kinds = {PREFIXES[c.split(":")[0]] + c.split(":")[1]: k for c, k in KINDS.items()}
    types["rank"] = types["o"].map({iri: i for i, iri in enumerate(full_kinds)})
    types = types.sort_values(["s", "rank"]).drop_duplicates("s")
    kind = types.set_index("s")["o"].map(full_kinds)
    wide = _wide(attributes.loc[attributes["p"] != _EXPAND["dkg:canonical"]])
    entities = pd.DataFrame(index=kind.index.union(wide.index))
    entities["label"] = wide.get("rdfs:label", pd.Series(dtype=str)).combine_first(
        wide.get("skos:prefLabel", pd.Series(dtype=str)))
    entities["kind"] = kind
    alpha_2 = {c.alpha_3: c.alpha_2 for c in all_countries()}
    entities["country"] = wide.get("dkg:country", pd.Series(dtype=str)).map(
        lambda iri: alpha_2.get(key(iri), key(iri)), na_action="ignore")
    entities["orgtype"] = wide.get("org:classification", pd.Series(dtype=str)).map(key, na_action="ignore")
    entities["city"] = wide.get("schema:location", pd.Series(dtype=str))
    entities["url"] = wide.get("schema:url", pd.Series(dtype=str))
    # All labels of an organisation are PIC placeholders: no source gives its name.
    labels = attributes.loc[attributes["p"] == _EXPAND["rdfs:label"]]
    placeholder = labels["o"].str.match(PIC_ONLY)
    named = set(labels.loc[~placeholder, "s"])
    entities["pic_only"] = entities.index.isin(set(labels.loc[placeholder, "s"]) - named)
    return entities


def _tie_table(ends: pd.DataFrame, qualifiers: pd.DataFrame,
               canon: Callable[[pd.Series], pd.Series]) -> pd.DataFrame:
    """The two ends (canonical) and the qualifiers of each membership (no ``source``, ``target_kind`` yet)."""
    ends = _wide(ends)
    qualifiers = _wide(qualifiers)
    if ends.empty:
        return pd.DataFrame(columns=["membership", "organisation", "target", "role", "start", "end"])
    ties = ends.rename(columns={"org:member": "organisation", "org:organization": "target"})
    ties = ties.dropna(subset=["organisation", "target"]).rename_axis("membership").reset_index()
    dates = qualifiers.reindex(columns=["org:role", "schema:startDate", "schema:endDate"])
    ties = ties.join(dates, on="membership")
    target_dates = dates.reindex(ties["target"])
    ties["role"] = ties.pop("org:role").map(key, na_action="ignore")
    ties["start"] = ties.pop("schema:startDate").fillna(pd.Series(target_dates["schema:startDate"].to_numpy(),
                                                                   index=ties.index))
    ties["end"] = ties.pop("schema:endDate").fillna(pd.Series(target_dates["schema:endDate"].to_numpy(),
                                                               index=ties.index))
    ties["organisation"] = canon(ties["organisation"])
    ties["target"] = canon(ties["target"])
    return ties


def _merge_clusters(entities: pd.DataFrame, canonical: pd.Series) -> pd.DataFrame:
    """One row per canonical entity: its own values first, then the cluster's."""
    entities = entities.assign(_canonical=canonical)
    # A cluster is known by a PIC only when none of its members is named.
    any_named = (~entities["pic_only"]).groupby(entities["_canonical"]).any()
    entities["_own"] = entities.index == entities["_canonical"]
    entities = (entities.sort_values(["_canonical", "_own"], ascending=[True, False], kind="stable")
                .groupby("_canonical", sort=True).first()
                .drop(columns="_own"))
    entities.index.name = None
    entities["pic_only"] = ~any_named.reindex(entities.index, fill_value=True)
    return entities
