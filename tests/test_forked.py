"""graph.forked: work shared with one forked process gives what one process gives, and fails loudly."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from graph.forked import run_split, split_tasks


def test_results_come_back_in_the_tasks_order_from_both_processes():
    here = os.getpid()
    pids = run_split([os.getpid] * 4, costs=[1.0, 1.0, 1.0, 1.0])
    assert pids[0] == pids[2] == here and pids[1] == pids[3] != here


def test_tasks_pinned_here_run_in_the_caller():
    here = os.getpid()
    assert run_split([os.getpid] * 3, costs=[1.0, 5.0, 1.0], here=[1])[1] == here


def test_serial_and_one_worker_run_everything_in_the_caller(monkeypatch):
    here = os.getpid()
    assert set(run_split([os.getpid] * 3, serial=True)) == {here}
    monkeypatch.setenv("DKG_WORKERS", "1")
    assert set(run_split([os.getpid] * 3)) == {here}


def test_the_split_balances_costs_and_is_the_same_every_time():
    assert split_tasks([7.2, 5.6, 3.4, 2.7, 2.5]) == ([0, 3], [1, 2, 4])
    assert split_tasks([3.2, 3.7, 11.0, 4.5, 4.6], here=[0]) == ([0, 3, 4], [1, 2])


def test_a_childs_error_is_raised_in_the_caller_with_its_type():
    def fails():
        raise KeyError("missing")

    with pytest.raises(KeyError, match="missing"):
        run_split([lambda: 1, fails])


def test_an_error_that_cannot_travel_comes_back_as_its_text():
    class Local(Exception):  # a local class cannot be pickled by reference
        pass

    def fails():
        raise Local("only here")

    with pytest.raises(RuntimeError, match="Local: only here"):
        run_split([lambda: 1, fails])


def test_a_child_that_dies_is_an_error_not_a_missing_result():
    with pytest.raises(RuntimeError, match="without an answer .killed by signal 9"):
        run_split([lambda: 1, lambda: os.kill(os.getpid(), signal.SIGKILL)])


def test_an_error_in_the_caller_stops_the_child_and_leaves_no_process_behind():
    import time

    def slow():
        time.sleep(60)

    def fails():
        raise ValueError("here")

    before = _children()
    started = time.monotonic()
    with pytest.raises(ValueError, match="here"):
        run_split([fails, slow])
    assert time.monotonic() - started < 30
    assert _children() == before  # killed and reaped: not even a zombie


def _children() -> set[str]:
    return set(open(f"/proc/self/task/{os.getpid()}/children", encoding="ascii").read().split())


def test_an_analysis_shared_between_processes_writes_what_one_process_writes(network_build, tmp_path, monkeypatch):
    """Every file of the analysis (tables, GEXF, GraphML, JSON, analysis.nq), byte for byte, with
    the metrics and the writers split between two processes and with everything in one."""
    import graph.network._metrics as metrics
    import graph.network.analyse as analysis

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = network_build.layout.root
    monkeypatch.setenv("DKG_WORKERS", "1")
    analysis.analyse(root, out=tmp_path / "one")
    monkeypatch.delenv("DKG_WORKERS")
    monkeypatch.setattr(metrics, "SPLIT_FROM_EDGES", 0)
    monkeypatch.setattr(analysis, "SPLIT_FROM_EDGES", 0)
    analysis.analyse(root, out=tmp_path / "two")
    one = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file())
    assert one == sorted(p.relative_to(tmp_path / "two") for p in (tmp_path / "two").rglob("*") if p.is_file())
    assert len(one) > 20
    for name in one:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


@pytest.mark.slow
def test_forking_from_a_jupyter_kernel_returns_and_prints_nothing_twice(tmp_path):
    """A notebook analysing a large network, or building from large exports, forks its kernel:
    the child must come back (the kernel's threads and ZMQ sockets are not the child's to use)
    and what the kernel printed before the fork must appear once."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import os, sys\n"
        f"sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})\n"
        "from graph.forked import run_split, run_in_child\n"
        "print('before the fork', end='')\n"
        "pids = run_split([os.getpid, os.getpid])\n"
        "print()\n"
        "print(pids[0] == os.getpid() != pids[1], run_in_child(lambda: 6 * 7))")]
    NotebookClient(nb, timeout=120, kernel_name="python3").execute(cwd=str(tmp_path))
    text = "".join(o.get("text", "") for o in nb.cells[0].outputs if o.output_type == "stream")
    assert text == "before the fork\nTrue 42\n"
