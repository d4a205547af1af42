"""Endpoint benchmark: what the guard in front of Oxigraph costs, measured against Oxigraph alone.

``dkg serve`` reads every query before Oxigraph does (``SERVICE``, length and nesting checks)
and spools every answer before sending it (so its watchdog times the backend only and a cut
answer becomes an error). Side by side in one run, on the same store:

- **guard**: ``dkg serve`` (the guard and its Oxigraph backend);
- **direct**: ``oxigraph serve-read-only`` on the same store, no guard.

Measured: downloading the largest named graph as N-Triples (median of 3, interleaved), a
small query's round trip (median of 40, interleaved), the guard process's peak memory, and the
query check on the longest text it accepts. Targets (issue 16): a download through the guard
within 1.5x of Oxigraph alone; a small query within 2 ms more.

The store is the H2020 participations export (``../shared``) built without filters, or
``--store BUILD_DIR``. Rows go to ``benchmarks/results/serve.jsonl`` and a table to ``serve.md``.

Usage: ``python benchmarks/bench_serve.py [--store BUILD_DIR]``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from datasets import record_report, record_row, report_heading  # noqa: E402 - benchmarks/ is not a package
from machine import measure, reference_line  # noqa: E402
from tests.stores import wait_until_up  # noqa: E402

H2020 = ROOT.parent / "shared" / "data" / "cordis" / "h2020-participations"


def _build(target: Path) -> Path:
    if not H2020.is_dir():
        raise SystemExit(f"{H2020} not found: give --store BUILD_DIR")
    sources = target / "sources.toml"
    sources.write_text(f'[[source]]\nname = "cordis-h2020"\nadapter = "cordis"\npath = "{H2020}"\n', encoding="utf-8")
    subprocess.run([sys.executable, "-m", "graph.cli", "build", "--out", str(target / "build"), "--sources",
                    str(sources)], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return target / "build"


def _largest_graph(url: str) -> tuple[str, int]:
    import requests

    q = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY DESC(?n) LIMIT 1"
    row = requests.get(url, params={"query": q}, headers={"Accept": "application/sparql-results+json"},
                       timeout=120).json()["results"]["bindings"][0]
    return row["g"]["value"], int(row["n"]["value"])


def _download(base: str, graph: str) -> tuple[float, int]:
    import requests

    started = time.perf_counter()
    r = requests.get(f"{base}/store", params={"graph": graph}, headers={"Accept": "application/n-triples"},
                     timeout=600, stream=True)
    size = sum(len(chunk) for chunk in r.iter_content(1 << 20))
    r.raise_for_status()
    return time.perf_counter() - started, size


def _small(base: str) -> float:
    import requests

    started = time.perf_counter()
    requests.get(f"{base}/query", params={"query": "ASK { ?s ?p ?o }"}, timeout=30).raise_for_status()
    return time.perf_counter() - started


def main() -> None:
    import psutil

    from graph.serve import oxigraph_binary
    from graph.sparql_text import MAX_QUERY_CHARS, check_query
    from graph.store import resolve_store_path

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, help="a build directory (default: build the H2020 export)")
    args = parser.parse_args()
    start = measure()
    with tempfile.TemporaryDirectory(prefix="dkg-bench-serve-") as tmp:
        build = args.store or _build(Path(tmp))
        store = resolve_store_path(build)
        guard_port, direct_port = 7991, 7992
        guard = subprocess.Popen([sys.executable, "-m", "graph.cli", "serve", "--store", str(build), "--port",
                                  str(guard_port), "--timeout", "600"], cwd=ROOT, stdout=subprocess.DEVNULL)
        direct = subprocess.Popen([oxigraph_binary(), "serve-read-only", "--location", str(store), "--bind",
                                   f"127.0.0.1:{direct_port}", "--union-default-graph"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            bases = {"guard": f"http://127.0.0.1:{guard_port}", "direct": f"http://127.0.0.1:{direct_port}"}
            for base, process in zip(bases.values(), (guard, direct)):
                wait_until_up(f"{base}/query", process, 20)
            graph, triples = _largest_graph(f"{bases['direct']}/query")
            peak = [0]
            stop = threading.Event()

            def watch() -> None:  # the guard process's own memory (the spool lives there)
                process = psutil.Process(guard.pid)
                while not stop.wait(0.05):
                    peak[0] = max(peak[0], process.memory_info().rss)

            watcher = threading.Thread(target=watch, daemon=True)
            watcher.start()
            downloads = {"guard": [], "direct": []}
            sizes = {}
            for _ in range(3):
                for name, base in bases.items():
                    seconds, sizes[name] = _download(base, graph)
                    downloads[name].append(seconds)
            stop.set()
            watcher.join()
            small = {"guard": [], "direct": []}
            for _ in range(40):
                for name, base in bases.items():
                    small[name].append(_small(base))
        finally:
            for process in (guard, direct):
                process.terminate()
                process.wait(timeout=30)
    text = "SELECT * WHERE { " + " ".join(f'?s{i} <http://x/p> "v{i}" .' for i in range(20_000))
    text = text[:MAX_QUERY_CHARS - 2] + " }"
    started = time.perf_counter()
    check_query(text)
    check_ms = (time.perf_counter() - started) * 1000
    end = measure()
    d = {k: statistics.median(v) for k, v in downloads.items()}
    s = {k: statistics.median(v) * 1000 for k, v in small.items()}
    row = {"graph": graph, "triples": triples, "bytes": sizes["guard"], "same_bytes": sizes["guard"] == sizes["direct"],
           "download_guard_s": d["guard"], "download_direct_s": d["direct"], "download_ratio": d["guard"] / d["direct"],
           "small_guard_ms": s["guard"], "small_direct_ms": s["direct"], "small_extra_ms": s["guard"] - s["direct"],
           "guard_peak_rss_mb": peak[0] / 2**20, "check_longest_query_ms": check_ms, "machine": end}
    record_row("serve", row)
    record_report("serve", [
        report_heading("Endpoint: the guard against Oxigraph alone"),
        reference_line(start, end),
        "",
        "| measure | guard | Oxigraph alone | ratio / difference | target |",
        "|---|---|---|---|---|",
        f"| download {triples:,} triples ({sizes['guard'] / 2**20:.0f} MB N-Triples), median of 3 | "
        f"{d['guard']:.2f} s | {d['direct']:.2f} s | {row['download_ratio']:.2f}x | <= 1.5x |",
        f"| `ASK` round trip, median of 40 | {s['guard']:.1f} ms | {s['direct']:.1f} ms | +{row['small_extra_ms']:.1f} ms | <= +2 ms |",
        f"| guard process peak memory (Python and spool) during the downloads | {row['guard_peak_rss_mb']:.0f} MB | - | - | flat: the spool keeps at most 16 MB in memory |",
        f"| check of a {len(text):,}-character query | {check_ms:.1f} ms | - | - | - |",
        "",
        f"Same bytes through both: {row['same_bytes']}.",
    ])


if __name__ == "__main__":
    main()
