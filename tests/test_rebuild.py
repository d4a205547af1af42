"""A rebuild from the published release (graph.rebuild): the same release a full build makes,
and a focused validation that finds what a whole validation finds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

import graph.loading
from graph.build import build
from graph.canonical import read_lines
from graph.rebuild import MAX_CHANGED_LINES, changed_lines, derive_store, focus_nodes
from graph.shacl_report import ShaclError
from graph.shacl_sparql import validate_focus, validate_store
from graph.store import derive_release

ROOT = Path(__file__).resolve().parent.parent
SEED_RECORDS = ROOT / "data" / "records"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
CURATED = "<https://w3id.org/democracy-kg/graph/curated>"
ORG = "<http://www.w3.org/ns/org#"


def _content(store_dir: Path) -> list[str]:
    """Every quad of a store but the build's own metadata, as sorted N-Quads."""
    store = ox.Store.read_only(str(store_dir))
    out = ox.serialize(store.quads_for_pattern(None, None, None), format=ox.RdfFormat.N_QUADS).decode()
    return sorted(line for line in out.splitlines() if "/graph/build>" not in line)


def _edit(records: Path) -> None:
    organisations = records / "organisations.csv"
    text = organisations.read_text(encoding="utf-8")
    assert "Democracy Reporting International" in text
    organisations.write_text(text.replace("Democracy Reporting International", "Democracy Reporting Intl.", 1), encoding="utf-8")


@pytest.fixture()
def records(tmp_path):
    target = tmp_path / "records"
    shutil.copytree(SEED_RECORDS, target)
    return target


def test_a_rebuild_makes_the_release_a_full_build_makes(records, tmp_path, monkeypatch):
    calls = []
    original = graph.loading.derive_validated
    monkeypatch.setattr(graph.loading, "derive_validated", lambda *a, **k: calls.append(1) or original(*a, **k))
    first = build(records, tmp_path / "a")
    assert first.changed is None and not calls  # nothing published yet: a full build
    _edit(records)
    rebuilt = build(records, tmp_path / "a")
    full = build(records, tmp_path / "b")
    assert calls == [1]  # the rebuild took the shortcut; the full build into b had nothing to start from
    assert rebuilt.changed is not None and 0 < rebuilt.changed < 20
    assert full.changed is None
    for name in ("democracy-kg.nq", "void.ttl"):
        assert (rebuilt.layout.dumps / name).read_bytes() == (full.layout.dumps / name).read_bytes()
    assert rebuilt.graphs == full.graphs
    assert _content(rebuilt.layout.store) == _content(full.layout.store)
    assert "rebuilt from the published release" in rebuilt.summary()


def test_a_written_back_graph_is_not_carried_into_a_rebuild(records, tmp_path):
    first = build(records, tmp_path)
    analysis = ox.NamedNode("https://w3id.org/democracy-kg/graph/analysis/test")
    derive_release(tmp_path, lambda store: store.add(ox.Quad(ox.NamedNode("https://example.org/x"),
                                                             ox.NamedNode("https://example.org/p"), ox.Literal("1"), analysis)))
    _edit(records)
    rebuilt = build(records, tmp_path)
    assert rebuilt.changed is not None
    assert analysis not in set(ox.Store.read_only(str(rebuilt.layout.store)).named_graphs())
    assert rebuilt.graphs == first.graphs


def test_a_change_that_breaks_the_shapes_stops_the_rebuild(records, tmp_path, monkeypatch):
    import graph.front_end as b

    first = build(records, tmp_path)
    before = (first.layout.dumps / "democracy-kg.nq").read_bytes()
    original = b.line_groups

    def without_a_type(*args, **kwargs):
        for group in original(*args, **kwargs):
            yield [line for line in group if line != TYPE_LINE]

    monkeypatch.setattr(b, "line_groups", without_a_type)
    with pytest.raises(ShaclError) as err:
        build(records, tmp_path)
    # The organisation lost its type; the memberships pointing to it are what fails.
    assert "org#member" in str(err.value) or "org#organization" in str(err.value)
    assert (first.layout.dumps / "democracy-kg.nq").read_bytes() == before
    assert not list((tmp_path / "releases").glob(".staging-*"))


TYPE_LINE = f"<https://w3id.org/democracy-kg/id/organisation/eurocities> {RDF_TYPE} {ORG}Organization> {CURATED} ."


def _mutations(lines: list[str]) -> dict[str, tuple[list[str], list[str]]]:
    """Changes to a conforming graph, each (removed, added), that break a shape in a different way."""
    member_of = [line for line in lines if f" {ORG}member> " in line]
    target = member_of[0].split(" ")[2]  # an organisation some membership points to
    typed = [line for line in lines if line.startswith(target + " " + RDF_TYPE)]
    source = next(line for line in lines if "<http://purl.org/dc/terms/source>" in line and "/id/organisation/" in line.split(" ")[0])
    start = next(line for line in lines if "<https://schema.org/startDate>" in line)
    late = start.replace('"', '"3', 1) if '"' in start else start
    return {
        "a value's type removed (sh:class, seen from the node pointing to it)": (typed, []),
        "a required source removed": ([source], []),
        "a start date after the end": ([start], [late]),
        "an entity without source added": ([], [f"<https://w3id.org/democracy-kg/id/organisation/ghost> {RDF_TYPE} {ORG}Organization> {CURATED} ."]),
        "a value of the wrong datatype added": ([], [start.replace("^^<http://www.w3.org/2001/XMLSchema#gYear>", "")]),
    }


@pytest.fixture(scope="module")
def conforming(tmp_path_factory):
    out = tmp_path_factory.mktemp("conforming")
    result = build(SEED_RECORDS, out)
    return result.layout.current.resolve(), list(read_lines(result.layout.dumps / "democracy-kg.nq"))


@pytest.mark.parametrize("case", range(5))
def test_focused_validation_finds_what_a_whole_validation_finds(conforming, tmp_path, case):
    release, lines = conforming
    name, (removed, added) = list(_mutations(lines).items())[case]
    graphs = {line.rsplit(" ", 2)[-2][1:-1] for line in lines}
    store = derive_store(release, tmp_path / "store", removed, added, graphs)
    whole = validate_store(store)
    focused = validate_focus(store, focus_nodes(store, removed, added))
    assert not whole.conforms, name
    assert focused.violations == whole.violations, name


def test_changes_the_shortcut_does_not_cover_fall_back(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    base = ['<https://e.org/a> <https://e.org/p> "1" <https://e.org/g> .']
    old.write_text("\n".join(base) + "\n", encoding="utf-8")
    for extra in ('<https://e.org/o> <https://e.org/p> "2" <https://w3id.org/democracy-kg/graph/ontology> .',
                  '<https://e.org/c> <https://e.org/p> "2" <https://w3id.org/democracy-kg/graph/reference> .',
                  '_:b <https://e.org/p> "2" <https://e.org/g> .'):
        new.write_text("\n".join(sorted(base + [extra])) + "\n", encoding="utf-8")
        assert changed_lines(old, new) is None, extra
    many = sorted(f'<https://e.org/n{i:06d}> <https://e.org/p> "x" <https://e.org/g> .' for i in range(11))
    new.write_text("\n".join(many) + "\n", encoding="utf-8")
    assert changed_lines(old, new, limit=10) is None
    assert changed_lines(old, new, limit=12) == (base, many)
    assert MAX_CHANGED_LINES >= 10_000


def test_changed_lines_is_the_set_difference(tmp_path):
    import random

    rng = random.Random(19)
    universe = [f'<https://e.org/s{i:05d}> <https://e.org/p> "{"x" * rng.randrange(1, 300)}" <https://e.org/g> .'
                for i in range(20_000)]
    for trial in range(6):
        old = sorted(rng.sample(universe, rng.randrange(0, 5_000)))
        new = sorted(set(old) - set(rng.sample(old, min(len(old), rng.randrange(0, 50))))
                     | set(rng.sample(universe, rng.randrange(0, 50 if trial % 2 else 5_000))))
        (tmp_path / "old").write_text("".join(line + "\n" for line in old), encoding="utf-8")
        (tmp_path / "new").write_text("".join(line + "\n" for line in new), encoding="utf-8")
        removed, added = changed_lines(tmp_path / "old", tmp_path / "new", limit=10_000)
        assert removed == sorted(set(old) - set(new)), trial
        assert added == sorted(set(new) - set(old)), trial


def test_a_release_validated_under_other_shapes_is_not_reused(records, tmp_path):
    from graph.rebuild import reusable_release, validation_key
    from graph.shacl_report import SHAPES_FILE
    from graph.store import BuildLayout

    build(records, tmp_path / "out")
    layout = BuildLayout(tmp_path / "out")
    assert reusable_release(layout) == layout.current.resolve()
    other = tmp_path / "shapes.ttl"
    other.write_bytes(SHAPES_FILE.read_bytes() + b"\n# another shape would go here\n")
    assert validation_key(other) != validation_key()
    report = layout.current / "report.json"
    report.write_text(report.read_text(encoding="utf-8").replace(validation_key(), validation_key(other)), encoding="utf-8")
    assert reusable_release(layout) is None
