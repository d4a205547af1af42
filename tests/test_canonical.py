"""The canonical dump sorted outside Python (graph.canonical) is the dump Python's sort gives."""

from __future__ import annotations

import shutil

import pytest

from graph.build import build, generate_lines
from graph.canonical import Spool, merge_into, sort_spool

SEED_RECORDS = __import__("pathlib").Path(__file__).resolve().parent.parent / "data" / "records"

# Lines whose byte order and code-point order could part ways if the locale were not C: accents,
# case, CJK, a character outside the Basic Multilingual Plane, escapes, a repeated line.
TRICKY = [
    '<https://e.org/b> <https://e.org/p> "Zürich" <https://e.org/g> .',
    '<https://e.org/a> <https://e.org/p> "zurich" <https://e.org/g> .',
    '<https://e.org/a> <https://e.org/p> "Zurich" <https://e.org/g> .',
    '<https://e.org/a> <https://e.org/p> "\u4e2d\u6587" <https://e.org/g> .',
    '<https://e.org/a> <https://e.org/p> "\U0001F5F3 vote" <https://e.org/g> .',
    '<https://e.org/a> <https://e.org/p> "\uff21 fullwidth" <https://e.org/g> .',
    '<https://e.org/a> <https://e.org/p> "tab\\there" <https://e.org/g> .',
    '<https://e.org/A> <https://e.org/p> "upper" <https://e.org/g> .',
    '<https://e.org/b> <https://e.org/p> "Zürich" <https://e.org/g> .',
]


@pytest.mark.parametrize("program", ["sort", None])
def test_the_sorted_spool_is_python_s_sorted_set(tmp_path, program):
    if program and not shutil.which(program):
        pytest.skip("no sort program")
    with Spool(tmp_path / "spool") as spool:
        spool.write(TRICKY[:4])
        spool.write(TRICKY[4:])
    out = sort_spool(spool.path, tmp_path / "out.nq", program=program)
    assert out.read_text(encoding="utf-8").splitlines() == sorted(set(TRICKY))
    assert out.read_bytes().endswith(b" .\n")


@pytest.mark.parametrize("program", ["sort", None])
def test_merging_keeps_the_order(tmp_path, program):
    if program and not shutil.which(program):
        pytest.skip("no sort program")
    target = tmp_path / "d.nq"
    lines = sorted(set(TRICKY))
    target.write_text("\n".join(lines[::2]) + "\n", encoding="utf-8")
    merge_into(target, lines[1::2], program=program)
    assert target.read_text(encoding="utf-8").splitlines() == lines
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.nq"]


def test_the_build_s_dump_is_exactly_the_sorted_lines(tmp_path):
    result = build(SEED_RECORDS, tmp_path)
    dumped = (result.layout.dumps / "democracy-kg.nq").read_text(encoding="utf-8").splitlines()
    assert dumped == generate_lines(SEED_RECORDS)[0]
    assert not list(result.layout.current.glob("*.unsorted*"))
