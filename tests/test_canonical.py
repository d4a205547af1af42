"""The canonical dump sorted outside Python (graph.canonical) is the dump Python's sort gives."""

from __future__ import annotations

import shutil

import pytest

from graph.build import build, generate_lines
from graph.canonical import Spool, lines_containing_sorted, merge_sorted, sort_spool

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
    merge_sorted([target], lines[1::2], target, program=program)
    assert target.read_text(encoding="utf-8").splitlines() == lines
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.nq"]


@pytest.mark.parametrize("program", ["sort", None])
def test_merging_sorted_parts_is_sorting_their_union(tmp_path, program):
    """Parts that share lines (two sources naming one country) give each line once."""
    if program and not shutil.which(program):
        pytest.skip("no sort program")
    lines = sorted(set(TRICKY))
    parts = [lines[:5], lines[3:], lines[::3]]
    paths = []
    for i, part in enumerate(parts):
        paths.append(tmp_path / f"part{i}.nq")
        paths[-1].write_text("\n".join(part) + "\n", encoding="utf-8")
    extra = ['<https://e.org/0> <https://e.org/p> "link" <https://e.org/resolution> .', lines[1]]
    out = merge_sorted(paths, sorted(extra), tmp_path / "dump.nq", program=program)
    assert out.read_text(encoding="utf-8").splitlines() == sorted(set(lines) | set(extra))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dump.nq", "part0.nq", "part1.nq", "part2.nq"]
    marked = list(lines_containing_sorted(paths, ["Z", "upper"], program=program and "grep"))
    assert marked == [line for line in sorted(set(lines)) if "Z" in line or "upper" in line]


def test_the_build_s_dump_is_exactly_the_sorted_lines(tmp_path):
    result = build(SEED_RECORDS, tmp_path)
    dumped = (result.layout.dumps / "democracy-kg.nq").read_text(encoding="utf-8").splitlines()
    assert dumped == generate_lines(SEED_RECORDS)[0]
    assert not list(result.layout.current.glob("*.unsorted*"))


def test_lines_containing_picks_the_same_lines_with_grep_and_without(tmp_path):
    from graph.canonical import lines_containing

    lines = ['<https://ex.org/é> <https://ex.org/p> "Gdańsk 北京 \\u00e9" <https://ex.org/g> .',
             '<https://ex.org/a> <https://ex.org/q> "a <https://ex.org/p> in a literal" <https://ex.org/g> .',
             '<https://ex.org/b> <https://ex.org/r> "𝔘nicode" <https://ex.org/g> .']
    path = tmp_path / "d.nq"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    markers = [" <https://ex.org/p> "]
    assert list(lines_containing(path, markers)) == list(lines_containing(path, markers, program=None)) == lines[:2]
    assert list(lines_containing(path, [" <https://ex.org/none> "])) == []  # grep's exit status 1 is no error


def test_resolution_reads_only_the_marked_lines_and_links_the_same(network_build):
    from graph.canonical import lines_containing, read_lines
    from ingest.resolve import FACT_MARKERS, resolve

    nq = network_build.layout.dumps / "democracy-kg.nq"
    sources = ["curated"] + [r.name for r in network_build.sources]
    every, marked = resolve(read_lines(nq), sources), resolve(lines_containing(nq, FACT_MARKERS), sources)
    assert every.counts["organisations"] > 10 and every.lines
    assert (marked.lines, marked.counts, marked.matches) == (every.lines, every.counts, every.matches)
