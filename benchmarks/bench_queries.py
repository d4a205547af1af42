"""Query benchmark: median latency of every named question, Oxigraph against rdflib's in-memory store.

Data sets: the real H2020 build (curated records + the whole CORDIS H2020 export + Participedia,
when ``../shared/data`` has them) and the same with a seeded synthetic CORDIS at 10x instead,
each with its collaboration network analysed (degree, betweenness) and written back, as
``dkg analyse --write-back`` does, so that ``top-brokers`` has something to rank.
Each question runs with its example parameters (``graph/queries/*.rq``) through
:func:`graph.query.execute` on the built on-disk store (what ``dkg serve`` serves): median of
``--repeat`` runs after one warm-up, all measured before rdflib's copy is loaded into the
process (its millions of objects slow Python's garbage collector, and with it every query that
returns many rows). Side by side, in the same run, the same query text (the same ``VALUES``
binding) runs on an ``rdflib.Dataset`` with ``default_union=True`` loaded from the canonical
N-Quads dump, in a forked child stopped after ``--rdflib-cap`` seconds (the runs it finished by
then count).
rdflib is skipped above ``--rdflib-max-triples`` (it needs about 1.5 kB per triple).

Rows go to ``benchmarks/results/queries.jsonl`` as they are measured and a table to
``queries.md`` at the end. Targets (issue 4): every question <= 1 s median at H2020 scale;
>= 10x faster than rdflib on the join-heavy ones (:data:`JOIN_HEAVY`).

Usage: ``python benchmarks/bench_queries.py [--sets h2020,synthetic10] [--repeat 5]``.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from datasets import build_set, record_report, record_row, report_heading  # noqa: E402 - benchmarks/ is not a package
from machine import measure, reference_line  # noqa: E402
#: Questions whose plans join many patterns, follow property paths or group large joins.
JOIN_HEAVY = {"organisations-in-several-collaborations", "organisations-by-country-and-type", "coordinators-by-country",
              "participants-of-project", "same-organisation-across-sources", "projects-by-programme-and-year",
              "indirect-members", "organisations-without-identifier", "cases-by-iap2-and-method-family",
              "methods-of-programme"}


def _timed(run, repeat: int) -> tuple[float, int]:  # noqa: ANN001
    rows = run()  # warm-up (and the answer's size)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        run()
        times.append(time.perf_counter() - t)
    return statistics.median(times), rows


def _rdflib_child(dataset, text: str, repeat: int, conn) -> None:  # noqa: ANN001
    from ontology.namespaces import PREFIXES

    try:
        # Each run's time goes to the parent as soon as it is measured, so a child stopped at the
        # cap still reports the runs it finished (a slow engine gets fewer repetitions).
        for _ in range(repeat + 1):
            t = time.perf_counter()
            rows = len(list(dataset.query(text, initNs=PREFIXES)))
            conn.send(("time", time.perf_counter() - t, rows))
        conn.send(("done", None, rows))
    except Exception as err:  # noqa: BLE001 - reported in the table
        conn.send(("error", repr(err)[:200], 0))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sets", default="h2020,synthetic10")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rdflib-cap", type=float, default=180.0, help="seconds before an rdflib query is abandoned")
    parser.add_argument("--rdflib-max-triples", type=int, default=6_000_000)
    parser.add_argument("--no-memory", action="store_true", help="skip the in-memory Oxigraph column")
    args = parser.parse_args()
    speed = measure()  # the machine's speed as the run starts (benchmarks/machine.py)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DKG_PROGRESS", "0")
    from graph.library import load_library
    from graph.sparql import with_values
    from graph.network.analyse import analyse
    from graph.query import execute, select
    from graph.store import open_store

    library = load_library()
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="dkg-bench-queries-") as tmp:
        for label in args.sets.split(","):
            result = build_set(label, Path(tmp))
            if result is None:
                continue
            out = result.layout.root
            # top-brokers reads analyses written back into the store: give it one to read.
            t = time.perf_counter()
            analysis = Path(tmp) / f"analysis-{label}"  # its analysis.nq goes to the other two copies
            analyse(out, metrics=("degree", "betweenness"), out=analysis, write_back=True,
                    table_formats=(), graph_formats=())
            print(f"{label}: collaboration network analysed and written back in {time.perf_counter() - t:.0f} s",
                  flush=True)
            # Oxigraph first, with no rdflib dataset in the process: millions of rdflib objects
            # make Python's garbage collector slow down everything else that allocates.
            store = open_store(out)
            measured = []
            for name, query in library.items():
                median, answer = _timed(lambda q=query: len(execute(q, store, q.example_params).rows), args.repeat)
                measured.append({"set": label, "triples": result.triples, "question": name, "rows": answer,
                                 "oxigraph_ms": median * 1000, "join_heavy": name in JOIN_HEAVY})
                if query.form == "SELECT":  # what the pandas API adds to the engine's time
                    measured[-1]["select_ms"] = 1000 * _timed(
                        lambda q=query: len(select(q, store, **q.example_params)), args.repeat)[0]
            store = None
            if not args.no_memory:  # the same engine without RocksDB: where the time goes
                import pyoxigraph as ox

                memory = ox.Store()
                memory.bulk_load(path=str(out / "dumps" / "democracy-kg.nq"), format=ox.RdfFormat.N_QUADS)
                memory.bulk_load(path=str(out / "dumps" / "void.ttl"), format=ox.RdfFormat.TURTLE,
                                 to_graph=ox.NamedNode("https://w3id.org/democracy-kg/graph/void"))
                memory.bulk_load(path=str(analysis / "analysis.nq"), format=ox.RdfFormat.N_QUADS)
                for row, query in zip(measured, library.values()):
                    row["memory_ms"] = 1000 * _timed(lambda q=query: len(execute(q, memory, q.example_params).rows),
                                                     args.repeat)[0]
                memory = None
            dataset = None
            if result.triples <= args.rdflib_max_triples:
                import rdflib

                t = time.perf_counter()
                dataset = rdflib.Dataset(default_union=True)
                dataset.parse(out / "dumps" / "democracy-kg.nq", format="nquads")
                dataset.graph(rdflib.URIRef("https://w3id.org/democracy-kg/graph/void")).parse(out / "dumps" / "void.ttl")
                dataset.parse(analysis / "analysis.nq", format="nquads")
                print(f"{label}: rdflib loaded {len(dataset)} triples in {time.perf_counter() - t:.0f} s", flush=True)
            for row, query in zip(measured, library.values()):
                if dataset is not None:
                    text = with_values(query.text, query.bind(query.example_params))
                    row.update(_rdflib(dataset, text, args.repeat, args.rdflib_cap))
                rows.append(row)
                record_row("queries", row)
                print(f"{label:<12} {row['question']:<42} {row['rows']:>7} rows  oxigraph {row['oxigraph_ms']:9.1f} ms  "
                      f"(in memory {row.get('memory_ms', float('nan')):7.1f} ms)  "
                      f"rdflib {row.get('rdflib', '-')}", flush=True)
            dataset = None  # free it before the next set
    _write(rows, speed, args.repeat)


def _rdflib(dataset, text: str, repeat: int, cap: float) -> dict:  # noqa: ANN001
    ctx = mp.get_context("fork")  # the child shares the loaded dataset copy-on-write
    parent, child = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_rdflib_child, args=(dataset, text, repeat, child))
    process.start()
    deadline = time.monotonic() + cap
    times, rows, error = [], 0, None
    while (left := deadline - time.monotonic()) > 0 and parent.poll(left):
        status, value, rows = parent.recv()
        if status == "time":
            times.append(value)
        elif status == "error":
            error = value
        if status != "time":
            break
    process.kill()
    process.join()
    if error is not None:
        return {"rdflib": f"error {error}"}
    if not times:
        return {"rdflib_ms": None, "rdflib": f"> {cap:.0f} s (stopped)", "rdflib_cap_s": cap}
    median = statistics.median(times[1:] or times)  # the first run is the warm-up when there are more
    runs = f" ({len(times)} runs in the {cap:.0f} s cap)" if len(times) < repeat + 1 else ""
    return {"rdflib_ms": median * 1000, "rdflib_rows": rows, "rdflib": f"{median * 1000:.1f} ms{runs}"}


def _write(rows: list[dict], speed: dict[str, float], repeat: int) -> None:
    lines = [report_heading("Query benchmark"), reference_line(speed, measure()) + "\n",
             f"Median of {repeat} run{'s' * (repeat != 1)} after a warm-up, each named question with its example parameters, on the built "
             "on-disk Oxigraph store (what `dkg serve` serves) and on rdflib's in-memory `Dataset` "
             "(`default_union=True`) loaded from the same dump; same query text. Speed-up = rdflib / Oxigraph "
             "(on disk). In memory = the same Oxigraph engine on an in-memory copy (no RocksDB). \\* = join-heavy.\n",
             "| set | triples | question | rows | Oxigraph ms (on disk) | in memory ms | rdflib ms | speed-up |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        rd = r.get("rdflib_ms")
        speed = f"{rd / r['oxigraph_ms']:.0f}x" if rd and r["oxigraph_ms"] > 0 else (
            f"> {r['rdflib_cap_s'] * 1000 / r['oxigraph_ms']:.0f}x" if r.get("rdflib_cap_s") else "-")
        mark = " \\*" if r["join_heavy"] else ""
        in_memory = f"{r['memory_ms']:.1f}" if "memory_ms" in r else "-"
        lines.append(f"| {r['set']} | {r['triples']} | {r['question']}{mark} | {r['rows']} | "
                     f"{r['oxigraph_ms']:.1f} | {in_memory} | {r.get('rdflib', 'not run (memory)')} | {speed} |")
    by_set: dict[str, list[dict]] = {}
    for r in rows:
        by_set.setdefault(r["set"], []).append(r)
    for label, group in by_set.items():
        worst = max(group, key=lambda r: r["oxigraph_ms"])
        lines.append(f"\n{label}: slowest question {worst['question']} at {worst['oxigraph_ms']:.0f} ms median; "
                     f"{sum(r['oxigraph_ms'] <= 1000 for r in group)}/{len(group)} questions <= 1 s.")
        heavy = [r for r in group if r["join_heavy"] and (r.get("rdflib_ms") or r.get("rdflib_cap_s"))]
        if heavy:
            ratios = [(r.get("rdflib_ms") or r["rdflib_cap_s"] * 1000) / r["oxigraph_ms"] for r in heavy]
            lines.append(f"{label}: join-heavy speed-up over rdflib: min {min(ratios):.0f}x, "
                         f"median {statistics.median(ratios):.0f}x ({len(heavy)} questions).")
    framed = [r for r in rows if "select_ms" in r]
    if framed:
        lines += ["\n`select()` (the same question into a typed pandas DataFrame), the slowest eight: what the "
                  "Python API adds to the engine's time.\n",
                  "| set | question | rows | Oxigraph ms | select() ms | select / Oxigraph |", "|---|---|---|---|---|---|"]
        for r in sorted(framed, key=lambda r: -r["select_ms"])[:8]:
            lines.append(f"| {r['set']} | {r['question']} | {r['rows']} | {r['oxigraph_ms']:.1f} | "
                         f"{r['select_ms']:.1f} | {r['select_ms'] / r['oxigraph_ms']:.2f} |")
    record_report("queries", lines)


if __name__ == "__main__":
    main()
