"""The benchmark scripts (``make bench``): they start, and they report what they measured.

The benchmarks themselves take an hour on the full data and are not run here; these tests keep
the scripts from rotting between runs (each one a regression test of a bug they once had).
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
SCRIPTS = sorted(p.name for p in BENCHMARKS.glob("bench_*.py"))


@pytest.mark.slow  # each script in a process of its own
@pytest.mark.parametrize("script", SCRIPTS)
def test_benchmark_script_starts(script):
    # A script whose main() went missing in an edit only failed after its data sets were built.
    proc = subprocess.run([sys.executable, str(BENCHMARKS / script), "--help"], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "usage:" in proc.stdout


@pytest.fixture(scope="module")
def bench_queries():
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import bench_queries
        yield bench_queries
    finally:
        sys.path.remove(str(BENCHMARKS))


class _SlowDataset:
    """Stands in for rdflib's dataset: every query takes ``seconds``."""

    def __init__(self, seconds: float, fail: bool = False):
        self.seconds, self.fail = seconds, fail

    def query(self, text, initNs=None):  # noqa: ANN001, N803 - rdflib's signature
        if self.fail:
            raise ValueError("no such thing")
        time.sleep(self.seconds)
        return [("row",), ("row",)]


def _milliseconds(call) -> float:  # noqa: ANN001
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def test_rdflib_runs_stopped_at_the_cap_still_report_the_runs_they_finished(bench_queries):
    # Regression: a question whose runs took 17 s each was reported as "> 60 s (stopped)"
    # because the child only reported after all its repetitions.
    # The median is one run's time, compared with one run timed here (not the cap, not the sum).
    dataset = _SlowDataset(0.6)
    one_run_ms = _milliseconds(lambda: dataset.query("SELECT"))
    result = bench_queries._rdflib(dataset, "SELECT", repeat=5, cap=2)
    assert 0.7 < result["rdflib_ms"] / one_run_ms < 1.5 and result["rdflib_rows"] == 2
    assert re.fullmatch(r"\d+\.\d ms \([123] runs in the 2 s cap\)", result["rdflib"]), result


def test_rdflib_runs_report_median_stop_and_error(bench_queries):
    fast = bench_queries._rdflib(_SlowDataset(0.01), "SELECT", repeat=3, cap=30)
    slower = bench_queries._rdflib(_SlowDataset(0.2), "SELECT", repeat=3, cap=30)
    # runs 20 times shorter report a median well under the other's (a ratio within this one run)
    assert fast["rdflib_ms"] < slower["rdflib_ms"] / 4 and "cap" not in fast["rdflib"]
    stopped = bench_queries._rdflib(_SlowDataset(5), "SELECT", repeat=3, cap=1)
    assert stopped == {"rdflib_ms": None, "rdflib": "> 1 s (stopped)", "rdflib_cap_s": 1}
    failed = bench_queries._rdflib(_SlowDataset(0, fail=True), "SELECT", repeat=3, cap=30)
    assert failed["rdflib"].startswith("error ValueError")


@pytest.mark.slow  # the reference workload, in a process of its own
def test_machine_reference_runs_and_its_examples_hold():
    # Every benchmark report carries the machine's speed at the start and end of its run
    # (benchmarks/machine.py): runs hours apart differed by 1.8x for the same question.
    import doctest

    sys.path.insert(0, str(BENCHMARKS))
    try:
        import machine
    finally:
        sys.path.remove(str(BENCHMARKS))
    outcome = doctest.testmod(machine, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert outcome.attempted >= 4 and outcome.failed == 0
    speed = machine.measure()  # in a process of its own, as the benchmarks call it
    assert speed["python_ms"] > 0 and speed["oxigraph_ms"] > 0
    assert machine.reference_line(speed, speed).startswith("Machine reference (benchmarks/machine.py")
