"""Remote-store benchmark: push rate and every named question on Virtuoso and the Oxigraph server.

Side by side in one run, on the same build (the shipped records with the exports
``data/sources.toml`` names, as ``make run`` builds them, or ``--store BUILD_DIR``; the whole
H2020 export in one graph stalls Virtuoso's Graph Store endpoint, see docs/scale-out.md):

- **embedded**: the build's own on-disk Oxigraph store (``graph.query.execute``);
- **oxigraph server**: ``oxigraph serve`` on a fresh directory, loaded with ``dkg push``;
- **virtuoso**: Debian's ``virtuoso-opensource`` 7.2 on a fresh database, loaded with ``dkg push``
  (Graph Store Protocol, digest auth).

Per store: push time and triples per second; per question: the median of 3 runs (interleaved
across stores) and whether the answer equals the embedded store's (by value, as
``tests/test_remote_stores.py`` compares). Rows go to ``benchmarks/results/remote.jsonl`` and
a table to ``remote.md``; docs/scale-out.md quotes them.

Usage: ``python benchmarks/bench_remote.py [--store BUILD_DIR]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from datasets import record_report, record_row, report_heading  # noqa: E402
from machine import measure, reference_line  # noqa: E402


def _build(target: Path) -> Path:
    import subprocess

    subprocess.run([sys.executable, "-m", "graph.cli", "build", "--out", str(target / "build")], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    return target / "build"


def main() -> None:
    from graph.library import load_library
    from graph.query import execute
    from graph.remote import SparqlEndpoint, make_auth, push
    from graph.store import open_store
    from tests.stores import OxigraphServer, Virtuoso
    from tests.test_remote_stores import normalised

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, help="a build directory (default: build what make run builds)")
    args = parser.parse_args()
    library = load_library()
    start = measure()
    with tempfile.TemporaryDirectory(prefix="dkg-bench-remote-") as tmp:
        build = args.store or _build(Path(tmp))
        local = open_store(build)
        triples = sum(1 for _ in local.quads_for_pattern(None, None, None, None))
        servers = {"oxigraph server": OxigraphServer(Path(tmp) / "oxigraph"), "virtuoso": Virtuoso(Path(tmp) / "virtuoso")}
        try:
            os.environ["DKG_BENCH_VIRTUOSO_PASSWORD"] = Virtuoso.PASSWORD
            auth = {"oxigraph server": None, "virtuoso": make_auth(Virtuoso.USER, "DKG_BENCH_VIRTUOSO_PASSWORD", "digest")}
            pushed = {}
            for name, server in servers.items():
                started = time.perf_counter()
                push(local, server.store_url, auth=auth[name])
                pushed[name] = time.perf_counter() - started
            stores = {"embedded": local, **{n: SparqlEndpoint(s.query_url, timeout=600) for n, s in servers.items()}}
            times: dict[str, dict[str, list[float]]] = {q: {s: [] for s in stores} for q in library}
            same: dict[str, dict[str, bool]] = {q: {} for q in library}
            for name, query in sorted(library.items()):
                reference = None
                for _ in range(3):
                    for store_name, store in stores.items():
                        started = time.perf_counter()
                        try:
                            result = execute(query, store, query.example_params)
                        except Exception as err:  # noqa: BLE001 - a store's failure is a result here
                            times[name][store_name].append(float("nan"))
                            same[name][store_name] = False
                            print(f"{name} on {store_name}: {err}"[:300], flush=True)
                            continue
                        times[name][store_name].append(time.perf_counter() - started)
                        rows = sorted(tuple(normalised(t) for t in row) for row in result.rows or [])
                        if store_name == "embedded":
                            reference = rows
                        same[name][store_name] = rows == reference
        finally:
            for server in servers.values():
                server.stop()
    end = measure()
    lines = [report_heading(f"Remote stores: push and every named question ({triples:,} quads)"),
             reference_line(start, end), "",
             "| store | push s | triples/s |", "|---|---|---|"]
    for name, seconds in pushed.items():
        lines.append(f"| {name} | {seconds:.1f} | {triples / seconds:,.0f} |")
        record_row("remote", {"store": name, "push_s": seconds, "triples": triples, "machine": end})
    lines += ["", "| question | " + " | ".join(f"{s} ms" for s in stores) + " | same answer (server, Virtuoso) |",
              "|---|" + "---|" * len(stores) + "---|"]
    for name in sorted(library):
        medians = {s: statistics.median(v) * 1000 for s, v in times[name].items()}
        record_row("remote", {"question": name, **{f"{s}_ms": m for s, m in medians.items()},
                              "same": same[name], "machine": end})
        lines.append(f"| {name} | " + " | ".join(f"{m:,.0f}" for m in medians.values())
                     + f" | {same[name].get('oxigraph server')}, {same[name].get('virtuoso')} |")
    record_report("remote", lines)


if __name__ == "__main__":
    main()
