"""The query editor ``dkg serve`` shows at ``/``: the project's page, offline, one file.

It replaces the generic Oxigraph page (which fetched prefixes from prefix.cc and knew nothing of
this graph): a text box that takes SPARQL without ``PREFIX`` lines (the endpoint declares the
project prefixes itself, see :mod:`graph.serve`), a results table, and every named question of the
library one click away, with its parameters filled in with their defaults. The page loads nothing
from anywhere: its script and style are inline, the questions are embedded as JSON, results are
written with ``textContent`` (never as HTML), and its Content-Security-Policy lets it talk only to
its own endpoint.

Examples
--------
>>> page = editor_page({})
>>> page.startswith("<!DOCTYPE html>") and "<title>democracy-kg: SPARQL query editor</title>" in page
True
"""

from __future__ import annotations

import html
import json

from ontology.namespaces import PREFIXES

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
    """The editor's HTML for the questions in ``library`` (``graph.library.load_library()``)."""
    data = json.dumps(_questions(library), ensure_ascii=False)
    # JSON inside <script>: "<" escaped, so no text in a question can close the element.
    data = data.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    prefixes = " ".join(f"{html.escape(p)}:" for p in sorted(PREFIXES))
    return _PAGE.replace("@PREFIXES@", prefixes).replace("@QUERY@", html.escape(FIRST_QUERY)).replace("@DATA@", data)


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>democracy-kg: SPARQL query editor</title>
<style>
body { font: 15px/1.4 system-ui, sans-serif; margin: 0; color: #1a1a1a; display: flex; min-height: 100vh; }
aside { width: 22rem; border-right: 1px solid #ddd; padding: 1rem; overflow-y: auto; max-height: 100vh; box-sizing: border-box; }
main { flex: 1; padding: 1rem 1.5rem; min-width: 0; }
h1 { font-size: 1.25rem; margin: 0 0 .25rem; } h2 { font-size: 1rem; margin: 1rem 0 .5rem; }
textarea { width: 100%; height: 14rem; font: 13px/1.4 ui-monospace, monospace; box-sizing: border-box; }
button { font: inherit; padding: .3rem .9rem; margin: .5rem .5rem .5rem 0; cursor: pointer; }
.question { display: block; width: 100%; text-align: left; margin: 0 0 .4rem; padding: .4rem .5rem;
  background: #f6f8fa; border: 1px solid #ddd; border-radius: 4px; }
.question b { display: block; font-family: ui-monospace, monospace; font-size: 12px; }
.question span { font-size: 13px; color: #444; }
table { border-collapse: collapse; font-size: 13px; margin-top: .5rem; }
th, td { border: 1px solid #ddd; padding: .2rem .5rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; } #status { color: #444; } .error { color: #b00020; white-space: pre-wrap; }
code { font-size: 12px; }
</style></head>
<body>
<aside>
<h1>democracy-kg</h1>
<p>The knowledge graph of democratic innovation, read-only. The default graph is the union of all
graphs; these prefixes need no <code>PREFIX</code> line: <code>@PREFIXES@</code></p>
<h2>Named questions</h2>
<div id="questions"></div>
</aside>
<main>
<label for="query"><b>SPARQL query</b></label>
<textarea id="query" spellcheck="false">@QUERY@</textarea>
<div><button id="run" type="button">Run</button>
<span id="status"></span></div>
<div id="result"></div>
</main>
<script id="library" type="application/json">@DATA@</script>
<script>
"use strict";
const questions = JSON.parse(document.getElementById("library").textContent);
const box = document.getElementById("query"), status = document.getElementById("status"),
      result = document.getElementById("result");
const list = document.getElementById("questions");
for (const q of questions) {
  const b = document.createElement("button");
  b.type = "button"; b.className = "question"; b.dataset.name = q.name;
  const name = document.createElement("b"); name.textContent = q.name;
  const text = document.createElement("span");
  text.textContent = q.question + (q.parameters.length ? " Parameters: " + q.parameters.join(", ") + "." : "");
  b.append(name, text);
  b.addEventListener("click", () => { box.value = q.text; run(); });
  list.append(b);
}
function cell(term) {
  if (!term) return "";
  if (term.type === "uri") return "<" + term.value + ">";
  return term.value + (term["xml:lang"] ? "@" + term["xml:lang"] : "");
}
async function run() {
  status.textContent = "running..."; result.replaceChildren();
  const started = performance.now();
  try {
    const response = await fetch("query", {method: "POST", headers: {
      "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"},
      body: new URLSearchParams({query: box.value})});
    const text = await response.text();
    if (!response.ok) throw new Error(text);
    const data = JSON.parse(text);
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    if ("boolean" in data) { status.textContent = "answer: " + data.boolean + " (" + seconds + " s)"; return; }
    const vars = data.head.vars, rows = data.results.bindings;
    status.textContent = rows.length + (rows.length === 1 ? " row" : " rows") + " (" + seconds + " s)";
    const table = document.createElement("table"), head = table.insertRow();
    for (const v of vars) { const th = document.createElement("th"); th.textContent = v; head.append(th); }
    for (const row of rows) {
      const tr = table.insertRow();
      for (const v of vars) tr.insertCell().textContent = cell(row[v]);
    }
    result.append(table);
  } catch (err) {
    status.textContent = "";
    const p = document.createElement("p"); p.className = "error"; p.textContent = String(err.message || err);
    result.append(p);
  }
}
document.getElementById("run").addEventListener("click", run);
box.addEventListener("keydown", e => { if ((e.ctrlKey || e.metaKey) && e.key === "Enter") run(); });
window.dkgEditor = {run};
</script>
</body></html>
"""
