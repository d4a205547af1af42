"""SELECT answers as typed pandas DataFrames: one typing rule for every column.

Integers (and ``xsd:gYear``) become ``Int64``, decimals and doubles ``Float64``, booleans
``boolean``, ``xsd:date`` ``datetime64[ns]``, ``xsd:dateTime`` ``datetime64[ns, UTC]``; IRIs and
other literals are strings; a column that mixes kinds keeps each value's lexical form; a column
with blank nodes is of ``object`` dtype; unbound values are NA.

Examples
--------
>>> from graph.sparql import QueryResult
>>> xsd_integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
>>> rows = [[ox.Literal("1", datatype=xsd_integer), ox.Literal("Ghent", language="nl")], [None, ox.Literal("Liège")]]
>>> frame = to_dataframe(QueryResult(["n", "name"], rows=rows))
>>> frame.dtypes.astype(str).to_dict(), frame["name"].tolist()
({'n': 'Int64', 'name': 'string'}, ['Ghent', 'Liège'])
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox

if TYPE_CHECKING:
    import pandas as pd

    from .sparql import QueryResult

__all__ = ["to_dataframe"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {f"{_XSD}{t}" for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                                     "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong",
                                     "unsignedShort", "unsignedByte", "gYear")}
_FLOATS = {f"{_XSD}{t}" for t in ("decimal", "double", "float")}


def to_dataframe(result: QueryResult) -> pd.DataFrame:
    """The rows of a SELECT result (RDF terms) as a DataFrame typed per column.

    Parameters
    ----------
    result : graph.sparql.QueryResult
        A SELECT's answer with ``rows``.

    Returns
    -------
    pandas.DataFrame
        Columns in the SELECT order, typed as the module docstring says.

    Examples
    --------
    >>> from graph.sparql import QueryResult
    >>> to_dataframe(QueryResult(["x"], rows=[[ox.Literal("true", datatype=ox.NamedNode(_XSD + "boolean"))], [None]]))["x"].tolist()
    [True, <NA>]
    """
    import pandas as pd

    rows = result.rows or []
    columns = {}
    for i, name in enumerate(result.variables):
        terms = [row[i] for row in rows]
        kinds = {"iri" if isinstance(t, ox.NamedNode) else "literal" if isinstance(t, ox.Literal) else "bnode"
                 for t in terms if t is not None}
        values = [None if t is None else str(t) if isinstance(t, ox.BlankNode) else t.value for t in terms]
        datatypes = {t.datatype.value for t in terms if isinstance(t, ox.Literal)}
        columns[name] = _typed(values, kinds, datatypes, pd)
    return pd.DataFrame(columns, columns=result.variables, index=pd.RangeIndex(len(rows)))


def _typed(values: list, kinds: set[str], datatypes: set[str], pd):  # noqa: ANN001, ANN202 - pandas arrays
    """One column typed by the rule of the module docstring."""
    if not kinds:
        return pd.Series([pd.NA] * len(values), dtype="object")
    if kinds == {"iri"}:
        return pd.array(values, dtype="string")
    if kinds != {"literal"}:
        return pd.Series([pd.NA if v is None else v for v in values], dtype="object")
    try:
        if datatypes <= _INTEGERS:
            return pd.array([None if v is None else int(v) for v in values], dtype="Int64")
        if datatypes <= _FLOATS | _INTEGERS:
            return pd.array([None if v is None else float(v) for v in values], dtype="Float64")
        if datatypes == {f"{_XSD}boolean"}:
            return pd.array([None if v is None else v in ("true", "1") for v in values], dtype="boolean")
        if datatypes == {f"{_XSD}date"}:
            return pd.to_datetime(pd.Series(values, dtype="object"), format="%Y-%m-%d").astype("datetime64[ns]")
        if datatypes <= {f"{_XSD}dateTime", f"{_XSD}dateTimeStamp"}:
            return pd.to_datetime(pd.Series(values, dtype="object"), utc=True, format="ISO8601").astype("datetime64[ns, UTC]")
    except (ValueError, TypeError, OverflowError):
        pass  # an ill-typed lexical form: keep the text rather than fail or guess
    return pd.array(values, dtype="string")
