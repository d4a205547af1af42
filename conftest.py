"""What the doctests of the front door share: the shipped records, built once per test session.

``demo_build()`` in a doctest is that build's directory: the graph ``make run`` builds without
sources (in process, a few thousand triples, well under a second), built when first asked for.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent


@pytest.fixture(scope="session", autouse=True)
def _front_door_examples(doctest_namespace: dict, tmp_path_factory: pytest.TempPathFactory) -> None:
    @functools.cache
    def demo_build() -> Path:
        from graph.api import build

        out = tmp_path_factory.mktemp("demo-build")
        build(ROOT / "data" / "records", out)
        return out

    doctest_namespace["demo_build"] = demo_build
