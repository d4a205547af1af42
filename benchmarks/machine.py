"""A fixed reference workload, timed with every benchmark run, so that runs can be compared.

This machine's speed changes from hour to hour by up to 1.8x (shared cores, a page cache that
is emptied): the same H2020 question took 1.1 s in one run and 2.0 s in the next. A number in
``results/`` means little without the machine's speed at the time. Each benchmark times this
workload, in a process of its own, when it starts and when it ends and writes both into its
report; to compare two runs, compare each measured time with its run's reference.

The workload is small (about 0.25 s a repetition on a quiet machine) and close to what the
benchmarks spend their time on: pure-Python work over records, and Oxigraph on disk joining,
sorting and returning strings.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time

SUBJECTS = 5_000
SEED = 20261123


def _python_work(rng: random.Random) -> int:
    words = ["".join(rng.choice("abcdefghij") for _ in range(12)) for _ in range(20_000)]
    index: dict[str, int] = {}
    for position, word in enumerate(sorted(words)):
        index.setdefault(word[:6], position)
    return len(index)


def _store_text() -> str:
    ex = "https://example.org/reference/"
    lines = []
    for i in range(SUBJECTS):
        s = f"<{ex}thing/{i:06d}>"
        # Labels longer than 15 bytes are stored apart from the triples, as real names are.
        label = f"reference thing number {(i * 7919) % SUBJECTS:06d}"
        lines.append(f'{s} <http://www.w3.org/2000/01/rdf-schema#label> "{label}" .')
        lines.append(f"{s} <{ex}group> <{ex}group/{i % 50}> .")
        lines.append(f'{s} <{ex}value> "{i % 97}"^^<http://www.w3.org/2001/XMLSchema#integer> .')
    return "\n".join(lines) + "\n"


QUERY = """SELECT ?thing ?label ?group ?value WHERE {
  { SELECT ?thing ?group WHERE { ?thing <https://example.org/reference/group> ?group } }
  { SELECT ?thing ?label WHERE { ?thing <http://www.w3.org/2000/01/rdf-schema#label> ?label } }
  { SELECT ?thing ?value WHERE { ?thing <https://example.org/reference/value> ?value } }
} ORDER BY ?value ?label"""


def reference(repeat: int = 5) -> dict[str, float]:
    """Median milliseconds of the reference workload: ``python_ms``, ``oxigraph_ms`` and their ``total_ms``.

    Examples
    --------
    >>> speed = reference(repeat=1)
    >>> sorted(speed)
    ['oxigraph_ms', 'python_ms', 'total_ms']
    >>> speed["total_ms"] == round(speed["python_ms"] + speed["oxigraph_ms"], 1)
    True
    """
    import pyoxigraph as ox

    python, oxigraph = [], []
    with tempfile.TemporaryDirectory(prefix="dkg-machine-") as tmp:
        store = ox.Store(tmp)
        store.bulk_load(_store_text().encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
        store.flush()
        for _ in range(repeat):
            t = time.perf_counter()
            _python_work(random.Random(SEED))
            python.append(time.perf_counter() - t)
            t = time.perf_counter()
            rows = [list(solution) for solution in store.query(QUERY)]
            oxigraph.append(time.perf_counter() - t)
            assert len(rows) == SUBJECTS
        del store
    p, o = round(statistics.median(python) * 1000, 1), round(statistics.median(oxigraph) * 1000, 1)
    return {"python_ms": p, "oxigraph_ms": o, "total_ms": round(p + o, 1)}


def measure() -> dict[str, float]:
    """:func:`reference` in a new Python process, so that the benchmark's own heap (an rdflib
    dataset, a NetworkX graph) does not slow the reference down with it."""
    import json
    import subprocess
    import sys

    done = subprocess.run([sys.executable, __file__], capture_output=True, text=True, check=True, timeout=600)
    return json.loads(done.stdout)


def reference_line(start: dict[str, float], end: dict[str, float]) -> str:
    """The report's sentence on the machine's speed during the run (see the module docstring).

    Examples
    --------
    >>> reference_line({"python_ms": 100.0, "oxigraph_ms": 150.0, "total_ms": 250.0},
    ...                {"python_ms": 110.0, "oxigraph_ms": 160.0, "total_ms": 270.0})  # doctest: +NORMALIZE_WHITESPACE
    'Machine reference (benchmarks/machine.py, lower is faster): 250 ms (Python 100, Oxigraph 150)
    when the run started, 270 ms (Python 110, Oxigraph 160) when it ended.'
    """
    def part(r: dict[str, float]) -> str:
        return f"{r['total_ms']:.0f} ms (Python {r['python_ms']:.0f}, Oxigraph {r['oxigraph_ms']:.0f})"

    return (f"Machine reference (benchmarks/machine.py, lower is faster): {part(start)} when the run started, "
            f"{part(end)} when it ended.")


if __name__ == "__main__":
    import json

    print(json.dumps(reference()))
