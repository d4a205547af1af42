"""The house rules of issue 18: no import circles, small functions and modules, one front door.

The structure tests read the code with ``ast``; the front-door tests run the jobs of
:mod:`graph.api` the way the CLI and the notebooks do.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest

from graph import api
from graph.cli import COMMANDS, main

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("ontology", "ingest", "graph")
#: The limits the issue set for the code in ingest/ and graph/.
MAX_FUNCTION_LINES, MAX_MODULE_LINES = 80, 400


def _modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def import_graph() -> nx.DiGraph:
    """Module -> module it imports, for every import anywhere in a module (inside functions and
    ``TYPE_CHECKING`` blocks too: an import moved into a function still closes a circle)."""
    modules = _modules()
    g = nx.DiGraph()
    g.add_nodes_from(modules)
    for name, path in modules.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative: from the package (or its parents), then the module named
                    base = ".".join(package[:len(package) - node.level + 1] + ([node.module] if node.module else []))
                else:
                    base = node.module
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            else:
                continue
            g.add_edges_from((name, t) for t in targets if t in modules and t != name)
    return g


def test_no_module_imports_one_that_imports_it_back():
    cycles = sorted(" -> ".join(c) for c in nx.simple_cycles(import_graph()))
    assert cycles == []


def test_the_import_graph_test_sees_a_circle():
    g = nx.DiGraph([("a", "b"), ("b", "a")])
    assert list(nx.simple_cycles(g))
    assert ("graph.cli", "graph.api") in import_graph().edges  # it reads relative imports


def _long_functions(limit: int) -> list[str]:
    found = []
    for name, path in _modules().items():
        if not name.startswith(("ingest", "graph")):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > limit:
                    found.append(f"{name}.{node.name}: {length} lines")
    return sorted(found)


def _long_modules(limit: int) -> dict[str, int]:
    return {name: n for name, path in _modules().items()
            if name.startswith(("ingest", "graph")) and (n := len(path.read_text(encoding="utf-8").splitlines())) > limit}


def test_no_function_over_80_lines():
    assert _long_functions(MAX_FUNCTION_LINES) == []


def test_no_module_over_400_lines():
    assert _long_modules(MAX_MODULE_LINES) == {}


def test_the_size_checks_see_a_long_function_and_a_long_module(tmp_path, monkeypatch):
    long = "def f():\n" + "    x = 1\n" * 100 + "\n" * 400
    (tmp_path / "graph").mkdir()
    (tmp_path / "graph" / "big.py").write_text(long, encoding="utf-8")
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    assert _long_functions(MAX_FUNCTION_LINES) == ["graph.big.f: 101 lines"]
    assert _long_modules(MAX_MODULE_LINES) == {"graph.big": 501}


def test_the_cli_and_the_notebooks_import_only_the_front_door():
    def imported(path: Path) -> set[str]:
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(("graph", "ingest")):
                found.add(node.module)
            elif isinstance(node, ast.ImportFrom) and node.level:
                found.update(f"graph.{a.name}" if not node.module else f"graph.{node.module}" for a in node.names)
        return found

    assert imported(ROOT / "graph" / "cli.py") <= {"graph.api", "graph.cli_options"}
    for script in sorted((ROOT / "notebooks" / "scripts").glob("*.py")):
        assert imported(script) <= {"graph.api"}, script.name


def test_the_quickstart_opens_the_build_and_asks_in_three_lines():
    text = (ROOT / "notebooks" / "scripts" / "01-quickstart.py").read_text(encoding="utf-8")
    assert "from graph.api import open_or_build" in text
    assert "kg = open_or_build(SOURCES)" in text and 'kg.select("members-of-network"' in text


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help(name, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([name, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert f"dkg {name}" in out and COMMANDS[name].description.split()[0] in out


def test_every_error_the_project_raises_on_purpose_has_one_root():
    from ingest.records import RecordError
    from ingest.sources import ConfigError
    from ingest.sources.checks import FieldError
    from ontology.errors import DkgError

    from graph.library import LibraryError, QueryNotFound
    from graph.network.select import FilterError
    from graph.remote import EndpointError
    from graph.serve import ServeError
    from graph.shacl_report import ShaclError
    from graph.shacl_sparql import UnsupportedShape
    from graph.sparql import ParameterError
    from graph.sparql_text import QueryRefused
    from graph.store import LayoutError, StoreNotFound

    errors = (RecordError, ConfigError, FieldError, LibraryError, QueryNotFound, FilterError, EndpointError,
              ServeError, UnsupportedShape, ParameterError, QueryRefused, LayoutError, StoreNotFound, ShaclError,
              api.OutputError, api.QuerySyntaxError)
    assert all(issubclass(e, DkgError) for e in errors)
    assert {e.exit_code for e in errors} == {1, 2}
    assert RecordError.exit_code == ShaclError.exit_code == 1


def test_a_release_opens_from_a_build_a_store_or_an_endpoint(library_build):
    from graph.remote import SparqlEndpoint

    by_build = api.open_release(library_build.layout.root)
    by_store = api.open_release(library_build.layout.root / "store")
    assert by_build.select("members-of-network").equals(by_store.select("members-of-network"))
    assert isinstance(api.open_release("http://127.0.0.1:9/query").store, SparqlEndpoint)
    assert api.open_release(by_build) is by_build
    assert "triples in" in by_build.summary()
    for ask in (by_build.execute, by_build.select, by_build.construct):
        with pytest.raises(api.QuerySyntaxError, match="malformed SPARQL"):
            ask("SELECT WHERE {")


def test_write_back_publishes_a_new_release_and_never_writes_the_published_one(library_build, tmp_path):
    import shutil

    build = tmp_path / "build"
    shutil.copytree(library_build.layout.root, build, symlinks=True)
    before = (build / "current").resolve()
    files = {p: p.stat().st_mtime_ns for p in before.rglob("*") if p.is_file()}
    reader = ox.Store.read_only(str(before / "store"))
    seen = len(reader)
    result = api.analyse(build, "actors", metrics=["degree"], out=tmp_path / "analysis", write_back=True)
    after = (build / "current").resolve()
    assert after != before and after.parent == before.parent
    assert result.store == after / "store" and result.analysis_triples > 0
    assert {p: p.stat().st_mtime_ns for p in before.rglob("*") if p.is_file()} == files
    assert len(ox.Store.read_only(str(before / "store"))) == seen == len(reader)
    graph = ox.NamedNode(f"https://w3id.org/democracy-kg/graph/analysis/{result.run}")
    assert ox.Store.read_only(str(after / "store")).contains_named_graph(graph)
    assert "new release" in result.summary()


def test_a_map_reads_the_metrics_dkg_analyse_wrote_and_draws_what_measuring_draws(library_build, tmp_path,
                                                                                  monkeypatch):
    import graph.maps.make as make

    root = library_build.layout.root  # analysed with --write-back (collaboration, no filter, seed 42)
    measured = make.make_map(root, tmp_path / "measured.html", recompute=True)[0].read_bytes()

    def no_measuring(*args, **kwargs):  # noqa: ANN002, ANN003
        raise AssertionError("the map measured the network instead of reading the written analysis")

    monkeypatch.setattr(make, "analyse", no_measuring)
    read = make.make_map(root, tmp_path / "read.html")[0].read_bytes()
    assert read == measured
    with pytest.raises(AssertionError, match="measured the network"):
        make.make_map(root, tmp_path / "other-seed.html", seed=7)  # no analysis with that seed: measures


def test_a_map_reads_what_dkg_analyse_kept_for_the_release_it_read(library_build, tmp_path, monkeypatch):
    """Without --write-back the release is untouched, but a map of the same projection, filter and
    seed reads the measures kept beside the build (and draws the page measuring draws); a newer
    release, or a folder kept for a release that is gone, is never read."""
    import shutil

    import graph.maps.make as make
    from graph.store import derive_release

    build = tmp_path / "build"
    shutil.copytree(library_build.layout.root, build, symlinks=True)
    release = (build / "current").resolve()
    files = {p: p.stat().st_mtime_ns for p in release.rglob("*") if p.is_file()}
    (build / "cache" / "analyses" / "20000101T000000000000Z-1").mkdir(parents=True)  # a release pruned long ago
    result = api.analyse(build, "collaboration", out=tmp_path / "analysis", seed=7)
    assert (build / "current").resolve() == release and result.store is None
    assert {p: p.stat().st_mtime_ns for p in release.rglob("*") if p.is_file()} == files
    assert [p.name for p in (build / "cache" / "analyses").iterdir()] == [release.name]  # the gone one removed
    assert [p.name for p in (build / "cache" / "analyses" / release.name).iterdir()] == [f"{result.run}.nq"]
    measured = make.make_map(build, tmp_path / "measured.html", seed=7, recompute=True)[0].read_bytes()

    def no_measuring(*args, **kwargs):  # noqa: ANN002, ANN003
        raise AssertionError("the map measured the network instead of reading the kept analysis")

    monkeypatch.setattr(make, "analyse", no_measuring)
    assert make.make_map(build, tmp_path / "read.html", seed=7)[0].read_bytes() == measured
    derive_release(build, lambda store: None)  # a new release: its content could differ
    with pytest.raises(AssertionError, match="measured the network"):
        make.make_map(build, tmp_path / "newer.html", seed=7)


def test_the_tables_of_a_release_are_extracted_once_and_read_back_exactly(library_build, tmp_path, monkeypatch):
    """dkg analyse and dkg map of one release share one extraction: kept as Parquet beside the
    build, read back equal value for value; a damaged kept table, or a new release, is read from
    the store again."""
    import shutil

    import pandas as pd

    import graph.network.kept_tables as kept
    from graph.network.extract import extract
    from graph.store import derive_release, release_of

    build = tmp_path / "build"
    shutil.copytree(library_build.layout.root, build, symlinks=True)
    release = release_of(build)
    first = kept.release_tables(release)
    folder = build / "cache" / "tables" / release.id / kept.code_key()
    assert sorted(p.name for p in folder.iterdir()) == ["entities.parquet", "links.parquet", "ties.parquet"]
    fresh = extract(build)

    def no_scans(*args, **kwargs):  # noqa: ANN002, ANN003
        raise AssertionError("the store was scanned again")

    monkeypatch.setattr(kept, "extract", no_scans)
    again = kept.release_tables(release)
    for name in ("ties", "entities", "links"):
        pd.testing.assert_frame_equal(getattr(again, name), getattr(fresh, name), check_exact=True)
        pd.testing.assert_frame_equal(getattr(first, name), getattr(fresh, name), check_exact=True)
    api.draw(build, tmp_path / "map.html", projection="actors")  # a map reads them too
    (folder / "ties.parquet").write_bytes(b"PAR1 cut short")
    with pytest.raises(AssertionError, match="scanned again"):
        kept.release_tables(release)
    derive_release(build, lambda store: None)
    with pytest.raises(AssertionError, match="scanned again"):
        kept.release_tables(release_of(build))


FRONT_DOOR_JOBS = ("build", "ingest", "validate", "select", "construct", "analyse", "draw", "publish", "push",
                   "open_release", "open_or_build", "questions")


@pytest.mark.parametrize("name", FRONT_DOOR_JOBS + tuple(f"Release.{m}" for m in (
    "execute", "select", "construct", "stats", "summary")))
def test_every_front_door_function_has_numpydoc_and_a_runnable_example(name):
    import inspect

    obj = api.Release if name.startswith("Release.") else api
    function = getattr(obj, name.split(".")[-1])
    doc = inspect.getdoc(function) or ""
    taken = [p for p in inspect.signature(function).parameters if p != "self"]
    sections = [s for s in ("Parameters", "Returns", "Examples") if f"{s}\n{'-' * len(s)}" in doc]
    assert sections == (["Parameters"] if taken else []) + ["Returns", "Examples"], name
    assert ">>> " in doc.split("Examples\n--------")[1], name
