"""Shared fixtures: the seed records, a built seed graph, and editable copies of the records."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED_RECORDS = ROOT / "data" / "records"


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


@pytest.fixture
def records(tmp_path) -> Path:
    """An editable copy of the seed records."""
    target = tmp_path / "records"
    shutil.copytree(SEED_RECORDS, target)
    return target


def ask(store, sparql: str) -> list[tuple]:
    """Run a SELECT and return its rows as tuples of plain values (``None`` when unbound)."""
    from graph.query import run_query

    result = run_query(store, sparql)
    return [tuple(None if t is None else t.value for t in row) for row in result.rows]
