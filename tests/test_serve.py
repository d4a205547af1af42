"""``dkg serve`` and the remote-store path, with real servers and real clients.

- ``dkg serve`` (Oxigraph's read-only server) is queried with SPARQLWrapper and with plain HTTP
  and Accept headers; updates and Graph Store writes must be refused; a query past the timeout
  is stopped and the server keeps answering; a build running meanwhile changes nothing served.
- A writable ``oxigraph serve`` on a temporary directory plays the remote store: ``dkg push``
  uploads the build, and the whole question library must answer there as it does locally.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
import rdflib
import requests
from SPARQLWrapper import CSV, JSON, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from graph.cli import main
from graph.library import load_library
from graph.query import compact, execute
from graph.serve import oxigraph_binary

from .conftest import SEED_RECORDS
from .stores import free_port, stop, wait_until_up

pytestmark = pytest.mark.slow
LIBRARY = load_library()
CURATED = "https://w3id.org/democracy-kg/graph/curated"


def start_dkg_serve(store: Path, port: int, timeout: int = 30) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "graph.cli", "serve", "--store", str(store), "--port", str(port),
                                "--timeout", str(timeout)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    wait_until_up(f"http://127.0.0.1:{port}/query", process)
    return process


def count(url: str, graph: str | None = None) -> int:
    where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    r = requests.post(url, data={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"},
                      headers={"Accept": "application/sparql-results+json"}, timeout=30)
    r.raise_for_status()
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def served(library_build):
    port = free_port()
    process = start_dkg_serve(library_build.layout.root, port, timeout=2)
    yield f"http://127.0.0.1:{port}", process
    stop(process)


def local_rows(store, name: str) -> list[tuple]:
    result = execute(name, store, LIBRARY[name].example_params)
    return [tuple(None if t is None else compact(t) for t in row) for row in result.rows]


# --- dkg serve -----------------------------------------------------------------------------------

def test_sparqlwrapper_gets_the_same_answer_as_dkg_query(served, library_store, capsys):
    base, _ = served
    query = LIBRARY["members-of-network"]
    # what a user pastes into the query page: the text `dkg query --show` prints
    assert main(["query", "--name", "members-of-network", "--show"]) == 0
    client = SPARQLWrapper(f"{base}/query")
    client.setQuery(capsys.readouterr().out)
    client.setReturnFormat(JSON)
    data = client.query().convert()
    rows = [tuple(b.get(v, {}).get("value") for v in data["head"]["vars"]) for b in data["results"]["bindings"]]
    expected = [tuple(None if t is None else t.value for t in row) for row in execute(query, library_store).rows]
    assert rows == expected and rows
    for fmt in (XML, CSV):
        client.setReturnFormat(fmt)
        assert client.query().convert()


@pytest.mark.parametrize("accept, media, marker", [
    ("application/sparql-results+json", "application/sparql-results+json", b'"bindings"'),
    ("application/sparql-results+xml", "application/sparql-results+xml", b"<sparql"),
    ("text/csv", "text/csv", b"n\r\n"),
    ("text/tab-separated-values", "text/tab-separated-values", b"?n"),
])
def test_results_content_negotiation(served, accept, media, marker):
    base, _ = served
    r = requests.get(f"{base}/query", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
                     headers={"Accept": accept}, timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith(media) and marker in r.content


@pytest.mark.parametrize("accept, rdflib_format", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld")])
def test_graphs_content_negotiation(served, library_build, accept, rdflib_format):
    base, _ = served
    r = requests.get(f"{base}/store", params={"graph": CURATED}, headers={"Accept": accept}, timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith(accept)
    g = rdflib.Graph().parse(data=r.content, format=rdflib_format)
    assert len(g) == library_build.graphs["curated"]


def test_the_union_default_graph_and_the_query_page(served, library_build):
    from graph.network.writeback import ANALYSIS_GRAPH

    base, _ = served
    # the build's graphs, its run metadata and description, and the analysis conftest loaded
    r = requests.post(f"{base}/query", data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                                                      f"FILTER(STRSTARTS(STR(?g), \"{ANALYSIS_GRAPH}\")) }}"},
                      headers={"Accept": "application/sparql-results+json"}, timeout=30)
    analyses = [b["g"]["value"] for b in r.json()["results"]["bindings"]]
    assert len(analyses) == 1
    assert count(f"{base}/query") == sum(library_build.graphs.values()) + count(
        f"{base}/query", "https://w3id.org/democracy-kg/graph/build") + count(
        f"{base}/query", "https://w3id.org/democracy-kg/graph/void") + count(f"{base}/query", analyses[0])
    page = requests.get(f"{base}/", timeout=10)
    # the project's own editor (issue 17), not Oxigraph's generic page
    assert page.status_code == 200 and "<title>democracy-kg: SPARQL query editor</title>" in page.text


def test_updates_and_graph_store_writes_are_refused(served):
    base, _ = served
    before = count(f"{base}/query")
    update = requests.post(f"{base}/update", data="DROP ALL", headers={"Content-Type": "application/sparql-update"},
                           timeout=10)
    assert update.status_code in (403, 405)
    client = SPARQLWrapper(f"{base}/update")
    client.setMethod("POST")
    client.setQuery("INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }")
    with pytest.raises((SPARQLWrapperException, OSError)):
        client.query()
    put = requests.put(f"{base}/store", params={"graph": CURATED}, data=b"<http://x/a> <http://x/b> <http://x/c> .",
                       headers={"Content-Type": "application/n-triples"}, timeout=10)
    delete = requests.delete(f"{base}/store", params={"graph": CURATED}, timeout=10)
    assert put.status_code in (403, 405) and delete.status_code in (403, 405)
    assert count(f"{base}/query") == before


def test_a_query_past_the_timeout_is_stopped_and_the_server_keeps_answering(served):
    base, process = served
    slow = "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i LIMIT 1"
    started = time.monotonic()
    r = requests.get(f"{base}/query", params={"query": slow}, timeout=60)
    assert r.status_code == 503 and "ran past the 2 s timeout" in r.text
    assert time.monotonic() - started < 30  # the timeout (2 s) stopped it, not our client
    assert process.poll() is None
    assert count(f"{base}/query") > 0


def test_a_query_that_never_yields_a_row_is_stopped_too(served):
    """Oxigraph's own timeout misses queries that compute without producing rows; the guard does not."""
    base, process = served
    backends_before = {p.pid for p in psutil.Process(process.pid).children()}
    empty = 'SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i FILTER(CONTAINS(CONCAT(STR(?c), STR(?f), STR(?i)), "zz")) }'
    started = time.monotonic()
    r = requests.get(f"{base}/query", params={"query": empty}, timeout=60)
    assert r.status_code == 503 and "timeout" in r.text
    assert time.monotonic() - started < 20
    assert count(f"{base}/query") > 0  # the fresh backend answers
    backends_after = {p.pid for p in psutil.Process(process.pid).children()}
    assert backends_after and not backends_after & backends_before  # the runaway's process is gone


def test_oversized_requests_are_refused(served):
    base, _ = served
    r = requests.post(f"{base}/query", data=b"x" * (9 << 20), headers={"Content-Type": "application/sparql-query"},
                      timeout=30)
    assert r.status_code == 413
    assert count(f"{base}/query") > 0


def test_the_server_listens_on_loopback_only(served):
    _, process = served
    children = psutil.Process(process.pid).children(recursive=True)
    listening = [c.laddr for p in children for c in p.net_connections(kind="inet") if c.status == psutil.CONN_LISTEN]
    assert listening and all(addr.ip == "127.0.0.1" for addr in listening)


def test_serving_a_missing_store_or_a_staging_directory_is_refused(tmp_path, capsys):
    assert main(["serve", "--store", str(tmp_path / "nothing")]) == 2
    assert "no built store" in capsys.readouterr().err
    staging = tmp_path / "releases" / ".staging-1-1"
    staging.mkdir(parents=True)
    assert main(["serve", "--store", str(staging)]) == 2
    assert "in progress" in capsys.readouterr().err


def test_a_build_running_meanwhile_changes_nothing_served(tmp_path, records):
    from graph.build import build

    out = tmp_path / "build"
    build(SEED_RECORDS, out)
    port = free_port()
    server = start_dkg_serve(out, port)
    url = f"http://127.0.0.1:{port}/query"
    try:
        served_release = (out / "current").resolve()
        before = count(url)
        with (records / "organisations.csv").open("a", encoding="utf-8") as f:
            f.write("fixture-late,Fixture Late Organisation,,,network,,,,,,,active,,An invented network.,,,nets4dem-about,\n")
        env = dict(os.environ, DKG_TEST_PAUSE_BEFORE_SWAP="2", DKG_PROGRESS="0")
        builder = subprocess.Popen([sys.executable, "-m", "graph.cli", "build", "--records", str(records), "--out",
                                    str(out), "--no-sources"], env=env, stdout=subprocess.DEVNULL)
        while builder.poll() is None:  # during the build: the snapshot, whole and unchanged
            assert count(url) == before
            time.sleep(0.2)
        assert builder.returncode == 0
        for _ in range(2):  # two more builds would prune the served release if it were not pinned
            build(records, out)
        assert served_release.is_dir() and count(url) == before
    finally:
        stop(server)
    assert not list(served_release.glob(".serving-*"))  # unpinned when the server stops
    build(records, out)
    assert not served_release.exists()  # and pruned by the next build
    server = start_dkg_serve(out, port)
    try:
        assert count(url) > before  # a restart serves the newest build
    finally:
        stop(server)


# --- remote store: dkg push, then the whole library there -------------------------------------------

@pytest.fixture(scope="module")
def remote(tmp_path_factory):
    port = free_port()
    location = tmp_path_factory.mktemp("remote-store")
    process = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                                "--union-default-graph"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    wait_until_up(f"http://127.0.0.1:{port}/query", process)
    yield f"http://127.0.0.1:{port}"
    stop(process)
    shutil.rmtree(location, ignore_errors=True)


def test_push_then_the_whole_library_answers_the_same_remotely(remote, library_build, library_store, capsys):
    root = str(library_build.layout.root)
    args = ["push", "--store", root, "--endpoint", f"{remote}/store", "--query-endpoint", f"{remote}/query"]
    assert main(args) == 0
    assert "every graph has the triples sent" in capsys.readouterr().out
    assert main(args) == 0  # pushing again replaces each graph: same counts, no duplicates
    assert "every graph has the triples sent" in capsys.readouterr().out
    for name in LIBRARY:
        assert local_rows(f"{remote}/query", name) == local_rows(library_store, name), name
    # the CLI gives the same text locally and remotely
    for fmt in ("csv", "json"):
        assert main(["query", "--store", root, "--name", "participants-of-project", "--format", fmt]) == 0
        here = capsys.readouterr().out
        assert main(["query", "--endpoint", f"{remote}/query", "--name", "participants-of-project", "--format", fmt]) == 0
        assert capsys.readouterr().out == here


def test_the_pandas_api_against_a_remote_store(remote, library_build, library_store):
    from graph.query import select

    main(["push", "--store", str(library_build.layout.root), "--endpoint", f"{remote}/store"])
    here = select("participants-of-project", library_store)
    there = select("participants-of-project", f"{remote}/query")
    assert here.equals(there) and list(there.dtypes.astype(str)) == list(here.dtypes.astype(str))


def test_push_selected_graphs_and_errors(remote, library_build, capsys):
    root = str(library_build.layout.root)
    assert main(["push", "--store", root, "--endpoint", f"{remote}/store", "--graph", "curated"]) == 0
    assert "in 1 graphs" in capsys.readouterr().out
    assert main(["push", "--store", root, "--endpoint", f"{remote}/store", "--graph", "nope"]) == 2
    assert "no such graph" in capsys.readouterr().err
    assert main(["push", "--store", root, "--endpoint", f"http://127.0.0.1:{free_port()}/store"]) == 2
    assert "cannot reach" in capsys.readouterr().err
    assert main(["push", "--store", root, "--endpoint", f"{remote}/store", "--user", "ana",
                 "--password-env", "DKG_TEST_UNSET_PASSWORD"]) == 2
    assert "DKG_TEST_UNSET_PASSWORD" in capsys.readouterr().err
    assert main(["query", "--endpoint", f"{remote}/nowhere", "--name", "method-matches"]) == 2
    assert "HTTP 404" in capsys.readouterr().err


def test_network_tables_extracted_over_http_equal_the_local_ones(served, library_build):
    """dkg analyse --endpoint: the same SPARQL scans through the guarded endpoint, read as CSV."""
    import pandas as pd

    from graph.network.extract import extract
    from graph.remote import SparqlEndpoint

    url, _ = served
    remote = extract(SparqlEndpoint(f"{url}/query"))
    local = extract(library_build.layout.root)
    pd.testing.assert_frame_equal(remote.ties, local.ties)
    pd.testing.assert_frame_equal(remote.entities, local.entities)
    pd.testing.assert_frame_equal(remote.links, local.links)


# --- the query editor: the project's page, in a real browser -----------------------------------------

def test_the_query_editor_runs_a_query_without_prefixes_and_a_named_question(served, browser):
    base, _ = served
    page = browser.new_page()
    requests_seen, errors = [], []
    page.on("request", lambda r: requests_seen.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"{base}/")
        assert page.title() == "democracy-kg: SPARQL query editor"
        # a query without PREFIX lines: the endpoint declares the project prefixes
        page.fill("#query", "SELECT ?network ?name WHERE { ?network a org:Organization ; rdfs:label ?name } LIMIT 5")
        page.click("#run")
        page.wait_for_selector("#result table", timeout=30_000)
        assert page.locator("#result tr").count() == 6 and "5 rows" in page.inner_text("#status")
        # every named question is one click away, with its defaults bound
        assert page.locator("button.question").count() == len(LIBRARY)
        page.click('button.question[data-name="members-of-network"]')
        page.wait_for_selector("#result table", timeout=30_000)  # (the click cleared the last table)
        assert page.locator("#result tr").count() > 1
        assert "Founding member" in page.inner_text("#result")  # the members of Nets4Dem, the default network
        # an error is shown as text, not a blank page
        page.fill("#query", "SELEC nonsense")
        page.click("#run")
        page.wait_for_selector("#result .error", timeout=30_000)
    finally:
        page.close()
    assert all(u.startswith(base) for u in requests_seen), [u for u in requests_seen if not u.startswith(base)]
    assert not [e for e in errors if "400" not in e], errors  # only the deliberate bad query fails


def test_prefixes_are_declared_at_the_endpoint_for_any_client(served):
    base, _ = served
    bare = "SELECT (COUNT(*) AS ?n) WHERE { ?m org:memberOf ?network }"
    for how in ("get", "form", "direct"):
        if how == "get":
            r = requests.get(f"{base}/query", params={"query": bare}, headers={"Accept": "text/csv"}, timeout=30)
        elif how == "form":
            r = requests.post(f"{base}/query", data={"query": bare}, headers={"Accept": "text/csv"}, timeout=30)
        else:
            r = requests.post(f"{base}/query", data=bare, headers={"Accept": "text/csv",
                              "Content-Type": "application/sparql-query"}, timeout=30)
        assert r.status_code == 200 and int(r.text.split()[1]) > 0, (how, r.text)
    description = requests.get(f"{base}/query", headers={"Accept": "text/turtle"}, timeout=30).text
    assert f"<{base}/query>" in description and "BasicFederatedQuery" not in description
