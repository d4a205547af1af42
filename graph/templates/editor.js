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
