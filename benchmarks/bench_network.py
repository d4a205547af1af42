"""Network benchmark: projection and metric times and peak memory, against the naive NetworkX path.

Data sets: the real H2020 build (curated records + the whole CORDIS H2020 export + Participedia,
when ``../shared/data`` has them) and seeded synthetic CORDIS sets at 1x and 10x the H2020 size
(``benchmarks/synthetic.py``), for growth. Each set is built once; then, each in a fresh process
so that peak memory (``VmHWM``) belongs to that path alone:

- **ours**: :func:`graph.network.extract.extract` (SPARQL scans into pandas), the collaboration
  projection (sparse products, bulk adjacency) and every metric of :func:`graph.network.analyse`,
  each timed; betweenness sampled from k=256 sources (exact betweenness is estimated as
  ``time(k=256) * n / 256``, since one search per node is what exact costs);
- **naive**: the same extraction, then a bipartite NetworkX graph built node by node and edge by
  edge and ``networkx.algorithms.bipartite.weighted_projected_graph``.

Rows go to ``benchmarks/results/network.jsonl`` as they are measured and a table to
``network.md``. Targets (issue 5): projection <= 10 s and >= 3x the naive path; all metrics
except exact betweenness <= 60 s together; sampled betweenness (k=256) <= 60 s; peak <= 4 GB.

Usage: ``python benchmarks/bench_network.py [--sets h2020,synthetic1,synthetic10]
[--reuse label=BUILD_DIR ...] [--naive-cap 900]``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from datasets import build_set, record_report, record_row, report_heading  # noqa: E402 - benchmarks/ is not a package
from machine import measure, reference_line  # noqa: E402
GB = 1024 ** 3


def _peak_bytes() -> int:
    """This process's peak resident memory. Not ``ru_maxrss``: Linux carries it over from the parent
    across fork and exec, so a child would report the parent's peak (the build's) as its own.
    ``VmHWM`` belongs to the process's own address space, which exec makes anew."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # not Linux: the best there is


def _ours(build: str, queue) -> None:  # noqa: ANN001
    sys.path.insert(0, str(ROOT))
    from graph.network.analyse import analyse
    from graph.network.collaboration import collaboration_graph
    from graph.network.extract import extract
    from graph.network.select import select_ties

    row: dict = {}
    t = time.perf_counter()
    tables = extract(build)
    row["extract_s"] = time.perf_counter() - t
    t = time.perf_counter()
    selection = select_ties(tables)
    g = collaboration_graph(tables, selection=selection)
    row["project_s"] = time.perf_counter() - t
    row.update(nodes=g.number_of_nodes(), edges=g.number_of_edges(), participations=len(selection.ties))
    row["peak_after_projection_gb"] = _peak_bytes() / GB
    del g
    result = analyse(tables=tables, out=None)
    row["metric_s"] = {name: seconds for name, seconds in result.timings.items() if name not in ("project",)}
    row["methods"] = {t.metric: t.method for t in result.tables}
    row["metrics_total_s"] = sum(row["metric_s"].values())
    row["exact_betweenness_estimate_s"] = row["metric_s"]["betweenness"] * result.graph.number_of_nodes() / 256
    row["peak_gb"] = _peak_bytes() / GB
    queue.put(row)


def _naive(build: str, queue) -> None:  # noqa: ANN001
    sys.path.insert(0, str(ROOT))
    import networkx as nx
    from networkx.algorithms import bipartite

    from graph.network.extract import extract
    from graph.network.select import select_ties

    row: dict = {}
    t = time.perf_counter()
    ties = select_ties(extract(build)).ties
    row["extract_s"] = time.perf_counter() - t
    t = time.perf_counter()
    b = nx.Graph()
    organisations = sorted(set(ties["organisation"]))
    for o in organisations:
        b.add_node(o, bipartite=0)
    for p in sorted(set(ties["target"])):
        b.add_node(p, bipartite=1)
    for o, p in zip(ties["organisation"].tolist(), ties["target"].tolist()):
        b.add_edge(o, p)
    g = bipartite.weighted_projected_graph(b, organisations)
    row["project_s"] = time.perf_counter() - t
    row.update(nodes=g.number_of_nodes(), edges=g.number_of_edges())
    row["peak_gb"] = _peak_bytes() / GB
    queue.put(row)


def _child(target, build: Path, cap: float) -> dict:  # noqa: ANN001
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    process = ctx.Process(target=target, args=(str(build), queue))
    process.start()
    deadline = time.monotonic() + cap
    while process.is_alive() and time.monotonic() < deadline:
        process.join(timeout=1)
        if not queue.empty():
            break
    if queue.empty() and process.is_alive():
        process.kill()
        process.join()
        return {"timeout_s": cap}
    row = queue.get()
    process.join()
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sets", default="h2020,synthetic1,synthetic10")
    parser.add_argument("--reuse", action="append", default=[], metavar="LABEL=BUILD_DIR",
                        help="use an existing build for a set instead of building it")
    parser.add_argument("--naive-cap", type=float, default=900.0, help="seconds before the naive path is abandoned")
    parser.add_argument("--cap", type=float, default=1800.0, help="seconds before our path is abandoned")
    args = parser.parse_args()
    speed = measure()  # the machine's speed as the run starts (benchmarks/machine.py)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DKG_PROGRESS", "0")

    reuse = dict(item.split("=", 1) for item in args.reuse)
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="dkg-bench-network-") as tmp:
        for label in args.sets.split(","):
            if label in reuse:
                out = Path(reuse[label])
                triples = None
            else:
                result = build_set(label, Path(tmp))
                if result is None:
                    continue
                out, triples = result.layout.root, result.triples
            ours = _child(_ours, out, args.cap)
            print(f"{label}: ours {json.dumps(ours)}", flush=True)
            naive = _child(_naive, out, args.naive_cap)
            print(f"{label}: naive {json.dumps(naive)}", flush=True)
            row = {"set": label, "triples": triples, "ours": ours, "naive": naive}
            rows.append(row)
            record_row("network", row)
            if label not in reuse:
                import shutil

                shutil.rmtree(out, ignore_errors=True)
    _write(rows, speed)


def _write(rows: list[dict], speed: dict[str, float]) -> None:
    lines = [report_heading("Network benchmark"), reference_line(speed, measure()) + "\n",
             "Each path in a fresh process (peak = its `VmHWM`). Projection = organisation-organisation "
             "collaboration ties from the extracted ties; naive = bipartite NetworkX graph built node by node, "
             "then `bipartite.weighted_projected_graph`. Extraction = the SPARQL scans into pandas, the same for "
             "both. Metrics = every metric of `dkg analyse` (betweenness and closeness sampled from 256 sources "
             "above 2,000 nodes).\n",
             "| set | participations | nodes | edges | extract s | projection s (ours) | projection s (naive) | "
             "speed-up | extract + projection s | metrics s (all) | betweenness k=256 s | exact betweenness s "
             "(estimate) | peak GB (ours) | peak GB (naive) |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        o, n = r["ours"], r["naive"]
        if "timeout_s" in o:
            lines.append(f"| {r['set']} | | | | | ours stopped after {o['timeout_s']:.0f} s | | | | | | | | |")
            continue
        naive_s = n.get("project_s")
        speed = f"{naive_s / o['project_s']:.1f}x" if naive_s else f"> {n['timeout_s'] / o['project_s']:.0f}x"
        naive_text = f"{naive_s:.2f}" if naive_s else f"> {n['timeout_s']:.0f} (stopped)"
        naive_peak = f"{n['peak_gb']:.2f}" if "peak_gb" in n else "-"
        lines.append(
            f"| {r['set']} | {o['participations']} | {o['nodes']} | {o['edges']} | {o['extract_s']:.2f} | "
            f"{o['project_s']:.2f} | {naive_text} | {speed} | {o['extract_s'] + o['project_s']:.2f} | "
            f"{o['metrics_total_s']:.1f} | {o['metric_s']['betweenness']:.2f} | "
            f"{o['exact_betweenness_estimate_s']:.0f} | {o['peak_gb']:.2f} | {naive_peak} |")
    for r in rows:
        o = r["ours"]
        if "metric_s" in o:
            times = ", ".join(f"{k} {v:.2f}" for k, v in o["metric_s"].items())
            lines.append(f"\n{r['set']}: seconds per step: {times}.")
    if len(rows) > 1 and all("edges" in r["ours"] for r in rows):
        base = rows[0]["ours"]
        for r in rows[1:]:
            o = r["ours"]
            lines.append(f"{r['set']} vs {rows[0]['set']}: {o['edges'] / max(base['edges'], 1):.1f}x the edges, "
                         f"{(o['extract_s'] + o['project_s']) / (base['extract_s'] + base['project_s']):.1f}x the "
                         f"projection time, {o['metrics_total_s'] / base['metrics_total_s']:.1f}x the metric time, "
                         f"{o['peak_gb'] / base['peak_gb']:.1f}x the peak memory.")
    record_report("network", lines)


if __name__ == "__main__":
    main()
