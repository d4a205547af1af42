"""The query editor ``dkg serve`` shows at ``/``: the project's page, offline, one file.

It replaces the generic Oxigraph page (which fetched prefixes from prefix.cc and knew nothing of
this graph): a text box that takes SPARQL without ``PREFIX`` lines (the endpoint declares the
project prefixes itself, see :mod:`graph.serve`), a results table, and every named question of the
library one click away, with its parameters filled in with their defaults. The page is the template
``graph/templates/editor.html`` (:mod:`graph.pages`). It loads nothing from anywhere: its script
(``editor.js``) and style are inline, the questions are embedded as JSON, results are
written with ``textContent`` (never as HTML), and its Content-Security-Policy lets it talk only to
its own endpoint.

Examples
--------
>>> page = editor_page({})
>>> page.startswith("<!DOCTYPE html>") and "<title>democracy-kg: SPARQL query editor</title>" in page
True
"""

from __future__ import annotations

import json

from markupsafe import Markup

from ontology.namespaces import PREFIXES

from .pages import render

#: The page's Content-Security-Policy: its own inline script and style, requests to itself only.
CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; "
       "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")

FIRST_QUERY = """SELECT ?network ?name (COUNT(?member) AS ?members) WHERE {
  ?member org:memberOf ?network .
  ?network rdfs:label ?name .
}
GROUP BY ?network ?name
ORDER BY DESC(?members)
LIMIT 20"""


def _questions(library: dict) -> list[dict]:
    """Each named question as the page needs it: name, question, parameters, and the query text
    with the defaults bound (prefix lines left out: the endpoint declares them)."""
    from .sparql import ParameterError, with_values

    out = []
    for name, query in sorted(library.items()):
        try:
            text = with_values(query.text, query.bind(query.example_params))
        except ParameterError:  # a question whose example cannot be bound still shows its text
            text = query.text
        out.append({"name": name, "question": " ".join(query.question.split()),
                    "parameters": [f"{p.name} ({p.kind})" for p in query.parameters], "text": text})
    return out


def editor_page(library: dict) -> str:
    """The editor's page for the questions in ``library``: the template ``editor.html``.

    Parameters
    ----------
    library : dict
        Named questions by name, as :func:`graph.library.load_library` returns them.

    Returns
    -------
    str
        The page, one file: its script (``editor.js``) and style inline, the questions as JSON.
    """
    data = json.dumps(_questions(library), ensure_ascii=False)
    # JSON inside <script>: "<" escaped, so no text in a question can close the element.
    data = data.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return render("editor.html", prefixes=" ".join(f"{p}:" for p in sorted(PREFIXES)), query=FIRST_QUERY,
                  data=Markup(data))
