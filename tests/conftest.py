"""Shared fixtures: the seed records, a built seed graph, editable copies of the records, the
tools outside Python some tests drive (chromium, rapper, node), and the two tiers of tests.

``make test`` runs every test. ``make check`` runs the fast tier, ``-m "not slow and not system"``:
a test is ``slow`` when it runs something else for long (a browser, a server or a build in another
process, a Jupyter kernel, pySHACL as the reference engine) and ``system`` when it needs a tool that
``make system-deps`` installs. Tests are marked by hand (``pytestmark``, ``@pytest.mark.slow``) or,
below, by the fixtures they use (:data:`TIER_MARKS`).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED_RECORDS = ROOT / "data" / "records"
LIBRARY_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "library"
#: Frozen records (the curated set before issue 15) that the network and map tests count on.
NETWORK_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "network"
JS = Path(__file__).resolve().parent / "js"

#: The markers a test gets from using a fixture: what keeps it out of ``make check``.
TIER_MARKS = {
    "browser": ("slow", "system"),  # Debian's chromium under Playwright
    "rapper": ("system",),  # raptor2-utils
    "read_gexf": ("system",),  # node and graphology-gexf (npm)
    "virtuoso": ("slow", "system"),  # virtuoso-opensource in a subprocess
    "oxigraph_server": ("slow",),  # ``oxigraph serve`` in a subprocess (tests/test_remote_stores.py)
    "remote": ("slow",),  # the same, tests/test_serve.py
    "served": ("slow",),  # ``dkg serve`` in a subprocess (tests/test_serve.py)
    "guarded": ("slow",),  # the same, tests/test_hostile.py
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        for fixture in getattr(item, "fixturenames", ()):  # every fixture it uses, directly or not
            for mark in TIER_MARKS.get(fixture, ()):
                item.add_marker(mark)


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory):
    """The seed graph built once into a temporary build directory."""
    from graph.build import build

    out = tmp_path_factory.mktemp("seed-build")
    return build(SEED_RECORDS, out)


@pytest.fixture(scope="session")
def seed_store(seed_build):
    from graph.store import open_store

    return open_store(seed_build.layout.root)


def library_records(target: Path, base: Path = SEED_RECORDS) -> Path:
    """The seed records (or ``base``) plus the library's invented rows (tests/fixtures/library/records/)."""
    shutil.copytree(base, target)
    for extra in sorted((LIBRARY_FIXTURE / "records").glob("*.csv")):
        rows = extra.read_text(encoding="utf-8").splitlines(keepends=True)[1:]  # without the header
        with (target / extra.name).open("a", encoding="utf-8") as f:
            f.writelines(rows)
    return target


@pytest.fixture(scope="session")
def library_build(tmp_path_factory):
    """Seed records, the library's rows and the CORDIS and Participedia fixtures, built once, with the
    collaboration analysis loaded into the store (as ``dkg analyse --write-back`` does)."""
    from graph.build import build
    from graph.network.analyse import analyse

    base = tmp_path_factory.mktemp("library-build")
    result = build(library_records(base / "records"), base / "build", sources=LIBRARY_FIXTURE / "sources.toml")
    analyse(base / "build", out=base / "analysis", write_back=True)
    return result


@pytest.fixture(scope="session")
def network_build(tmp_path_factory):
    """The frozen records of tests/fixtures/network, the library's rows and the CORDIS and Participedia
    fixtures, built once with the collaboration analysis loaded: the graph the network and map tests
    computed their expected values on by hand."""
    from graph.build import build
    from graph.network.analyse import analyse

    base = tmp_path_factory.mktemp("network-build")
    result = build(library_records(base / "records", NETWORK_FIXTURE / "records"), base / "build",
                   sources=NETWORK_FIXTURE / "sources.toml")
    analyse(base / "build", out=base / "analysis", write_back=True)
    return result


@pytest.fixture(scope="session")
def library_store(library_build):
    from graph.store import open_store

    return open_store(library_build.layout.root)


@pytest.fixture
def records(tmp_path) -> Path:
    """An editable copy of the seed records."""
    target = tmp_path / "records"
    shutil.copytree(SEED_RECORDS, target)
    return target


def ask(store, sparql: str) -> list[tuple]:
    """Run a SELECT and return its rows as tuples of plain values (``None`` when unbound)."""
    from graph.sparql import run_query

    result = run_query(store, sparql)
    return [tuple(None if t is None else t.value for t in row) for row in result.rows]


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """Debian's chromium driven by Playwright: headless, a fresh profile, background networking off."""
    from playwright import sync_api  # the test extra installs it; a missing one fails, it does not skip

    assert CHROMIUM.exists(), "Debian's chromium is needed: run 'make test' (it installs it when missing)"
    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=str(CHROMIUM), headless=True,
            args=["--disable-background-networking", "--no-first-run", "--disable-sync",
                  "--disable-component-update", "--no-sandbox"])
        yield context
        context.close()


@pytest.fixture(scope="session")
def rapper() -> str:
    """raptor's rapper, the independent parser; missing, the tests that use it fail (they do not skip)."""
    found = shutil.which("rapper")
    assert found, "raptor2-utils is missing: `make test` installs it (apt-get install raptor2-utils)"
    return found


@pytest.fixture(scope="session")
def read_gexf():
    """Gephi Lite's GEXF reader (graphology-gexf under node): ``read_gexf(path, node)`` is what it
    parsed of the file, with that node's attributes (tests/js/read-gexf.mjs)."""
    node = shutil.which("node")
    assert node and (JS / "node_modules" / "graphology-gexf").is_dir(), \
        "node and graphology-gexf are needed: run 'make test' (it installs them)"

    def read(path: Path, node_id: str) -> dict:
        answer = subprocess.run([node, str(JS / "read-gexf.mjs"), str(path), node_id],
                                capture_output=True, text=True, check=True, timeout=60)
        return json.loads(answer.stdout)

    return read
