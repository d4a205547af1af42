"""Derived dumps (TriG, per-graph Turtle) come after the swap, in every mode, with the same bytes (issue 19)."""

from __future__ import annotations

import time

import pytest

import graph.build as build_module
from graph.build import build
from graph.dumps import COMPLETE, DUMP_NAME, ensure_derived, is_complete
from graph.store import derive_release

from .conftest import SEED_RECORDS

DERIVED = (f"{DUMP_NAME}.trig", "curated.ttl", "ontology.ttl", "reference.ttl")


def _derived_bytes(release):
    return {name: (release / "dumps" / name).read_bytes() for name in DERIVED}


@pytest.mark.slow  # waits for a detached writer process
def test_every_mode_writes_the_same_derived_dumps_and_only_after_the_swap(seed_build, tmp_path, monkeypatch):
    reference = _derived_bytes(seed_build.release)
    assert is_complete(seed_build.release)

    none = build(SEED_RECORDS, tmp_path / "none", derived="none")
    assert (none.layout.current / "dumps" / f"{DUMP_NAME}.nq").exists()
    assert not (none.layout.current / "dumps" / f"{DUMP_NAME}.trig").exists() and not is_complete(none.release)
    assert "dkg publish writes them" in none.summary()
    assert ensure_derived(none.release) is False and _derived_bytes(none.release) == reference

    background = build(SEED_RECORDS, tmp_path / "background", derived="background")
    deadline = time.monotonic() + 120
    while not is_complete(background.release) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _derived_bytes(background.release) == reference

    seen = []
    real = build_module.write_derived

    def spy(release):  # noqa: ANN001, ANN202
        seen.append((tmp_path / "after" / "current").resolve() == release.resolve())
        return real(release)

    monkeypatch.setattr(build_module, "write_derived", spy)
    after = build(SEED_RECORDS, tmp_path / "after")
    assert seen == [True]  # current already pointed to the new release
    assert _derived_bytes(after.release) == reference and "derived-dumps" in after.timings


def test_an_unknown_mode_is_refused_before_any_work(tmp_path):
    with pytest.raises(ValueError, match="derived-dumps mode"):
        build(SEED_RECORDS, tmp_path / "b", derived="later")
    assert not (tmp_path / "b").exists()


def test_a_derived_release_takes_finished_files_only(tmp_path):
    base = build(SEED_RECORDS, tmp_path / "build", derived="none")
    dumps = base.release / "dumps"
    (dumps / f".{DUMP_NAME}.trig.abc.tmp").write_text("half a file")  # a writer midway
    store_dir, _ = derive_release(tmp_path / "build", lambda store: None)
    copied = {p.name for p in (store_dir.parent / "dumps").iterdir()}
    assert f"{DUMP_NAME}.nq" in copied and not any(name.startswith(".") for name in copied)

    ensure_derived(store_dir.parent)
    again, _ = derive_release(tmp_path / "build", lambda store: None)
    assert (again.parent / "dumps" / COMPLETE).exists() and _derived_bytes(again.parent)


@pytest.mark.slow  # waits for a detached writer process
def test_a_release_derived_while_the_build_s_writer_works_gets_a_writer_of_its_own(tmp_path):
    from graph.dumps import PENDING

    base = build(SEED_RECORDS, tmp_path / "build", derived="none")
    (base.release / "dumps" / PENDING).touch()  # as start_background leaves it, the writer not done
    store_dir, _ = derive_release(tmp_path / "build", lambda store: None)
    deadline = time.monotonic() + 120
    while not is_complete(store_dir.parent) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _derived_bytes(store_dir.parent) == _derived_bytes(ensure_and_return(base.release))


def ensure_and_return(release):  # noqa: ANN001, ANN201
    ensure_derived(release)
    return release


def test_auto_writes_a_small_graph_s_dumps_here_and_a_large_one_s_in_the_background(seed_build, monkeypatch):
    import graph.dumps as dumps

    assert dumps.resolve_mode("auto", seed_build.release) == "after"
    monkeypatch.setattr(dumps, "IN_PROCESS_BYTES", 1000)  # the seed dump is far larger than that
    assert dumps.resolve_mode("auto", seed_build.release) == "background"
    assert dumps.resolve_mode("after", seed_build.release) == "after"


def test_a_derived_release_is_not_published_over_a_build_that_finished_first(tmp_path):
    from graph.store import LayoutError

    build(SEED_RECORDS, tmp_path / "build", derived="none")
    newer = []

    def meanwhile(store):  # noqa: ANN001, ANN202 - a build finishes while the copy is changed
        newer.append(build(SEED_RECORDS, tmp_path / "build", derived="none").release)

    with pytest.raises(LayoutError, match="a newer release"):
        derive_release(tmp_path / "build", meanwhile)
    assert (tmp_path / "build" / "current").resolve() == newer[0].resolve()
    assert not [p for p in (tmp_path / "build" / "releases").iterdir() if p.name.startswith(".staging")]


def test_the_background_writer_yields_the_cores_to_the_user_s_next_command(tmp_path):
    """The TriG and Turtle nobody waits for run at a lower priority than `dkg analyse` after the
    build (regression: on two cores the writer took one from the analysis)."""
    import os
    import shutil

    from graph.dumps import BACKGROUND_NICENESS, start_background

    if not shutil.which("nice"):
        pytest.skip("no nice program")
    release = tmp_path / "release"
    (release / "dumps").mkdir(parents=True)
    (release / "dumps" / f"{DUMP_NAME}.nq").write_text("")
    writer = start_background(release)
    try:
        seen = set()
        deadline = time.monotonic() + 5
        while writer.poll() is None and time.monotonic() < deadline:
            try:
                seen.add(os.getpriority(os.PRIO_PROCESS, writer.pid))
            except OSError:
                break
            if min(os.getpriority(os.PRIO_PROCESS, 0) + BACKGROUND_NICENESS, 19) in seen:
                break
            time.sleep(0.005)
        assert min(os.getpriority(os.PRIO_PROCESS, 0) + BACKGROUND_NICENESS, 19) in seen
    finally:
        writer.wait(timeout=60)
