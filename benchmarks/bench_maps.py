"""Map benchmark: generation time and file size at 500, 2,000 and 10,000 nodes, against plain pyvis.

Graphs are seeded random collaboration-like graphs (a power-law cluster graph, five ties per node:
10,000 nodes and about 50,000 ties at the top) with the attributes a real projection carries.
Per size, side by side in the same run, each in a fresh process with a time cap:

- **ours**: :func:`graph.maps.draw.network_map` (layout included) and :func:`render_html`;
- **plain pyvis**: ``Network(cdn_resources="in_line").from_nx(g)`` and ``write_html`` (its
  ``add_edge`` scans every edge already added, so it grows quadratically).

Then the time until a 2,000-node map is interactive in headless Debian chromium: from
``page.goto`` to the page's ``dkgMap.ready`` (vis-network has drawn the first frame).

Rows go to ``benchmarks/results/maps.jsonl`` and a table to ``maps.md``. Targets (issue 6):
generation linear; 10,000 nodes / 50,000 edges <= 10 s; a 2,000-node map interactive <= 5 s.

Usage: ``python benchmarks/bench_maps.py [--sizes 500,2000,10000] [--pyvis-cap 300]``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from datasets import record_report, record_row, report_heading  # noqa: E402 - benchmarks/ is not a package
from machine import measure, reference_line  # noqa: E402


def graph(n: int, seed: int = 42):  # noqa: ANN201 - a networkx.Graph
    import random

    import networkx as nx

    g = nx.powerlaw_cluster_graph(n, 5, 0.3, seed=seed)
    rng = random.Random(seed)
    g = nx.relabel_nodes(g, {i: f"https://w3id.org/democracy-kg/id/organisation/bench-{i}" for i in g})
    countries = ["BE", "DE", "FR", "IT", "ES", "NL", "PL", "SE", "AT", "PT", "GR", "IE", "FI", "DK"]
    for i, node in enumerate(sorted(g)):
        g.nodes[node].update(label=f"Organisation {i}", kind="organisation", country=rng.choice(countries),
                             community=rng.randrange(12), degree=g.degree(node))
    for u, v in g.edges():
        g.edges[u, v]["shared"] = rng.randint(1, 5)
    return g


def _ours(n: int, out: str, queue) -> None:  # noqa: ANN001
    sys.path.insert(0, str(ROOT))
    from graph.maps.draw import network_map, render_html

    g = graph(n)
    started = time.perf_counter()
    page = render_html(network_map(g, color_by="community", size_by="degree"))
    seconds = time.perf_counter() - started
    Path(out).write_text(page, encoding="utf-8")
    queue.put({"seconds": seconds, "bytes": len(page.encode("utf-8")), "edges": g.number_of_edges()})


def _pyvis(n: int, out: str, queue) -> None:  # noqa: ANN001
    sys.path.insert(0, str(ROOT))
    from pyvis.network import Network

    g = graph(n)
    started = time.perf_counter()
    net = Network(cdn_resources="in_line")
    net.from_nx(g)
    net.write_html(out, notebook=False)
    queue.put({"seconds": time.perf_counter() - started, "bytes": Path(out).stat().st_size})


def _child(target, n: int, out: Path, cap: float) -> dict:  # noqa: ANN001
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    process = ctx.Process(target=target, args=(n, str(out), queue))
    process.start()
    process.join(cap)
    if process.is_alive():
        process.kill()
        process.join()
        return {"timeout_s": cap}
    return queue.get() if not queue.empty() else {"failed": process.exitcode}


def _interactive(path: Path) -> float:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                    args=["--disable-background-networking", "--no-sandbox"])
        page = browser.new_page()
        started = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-ready='true']", state="attached", timeout=120_000)  # no eval under the CSP
        seconds = time.perf_counter() - started
        browser.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="500,2000,10000")
    parser.add_argument("--pyvis-cap", type=float, default=300.0)
    args = parser.parse_args()
    speed = measure()  # the machine's speed as the run starts (benchmarks/machine.py)
    rows = []
    with tempfile.TemporaryDirectory(prefix="dkg-bench-maps-") as tmp:
        for n in map(int, args.sizes.split(",")):
            ours = _child(_ours, n, Path(tmp) / f"ours-{n}.html", 600)
            plain = _child(_pyvis, n, Path(tmp) / f"pyvis-{n}.html", args.pyvis_cap)
            row = {"nodes": n, "ours": ours, "pyvis": plain}
            if n == 2000 and "seconds" in ours:
                row["interactive_s"] = _interactive(Path(tmp) / f"ours-{n}.html")
            rows.append(row)
            print(json.dumps(row), flush=True)
            record_row("maps", row)
    lines = [report_heading("Map benchmark"), reference_line(speed, measure()) + "\n",
             "Seeded power-law cluster graphs (5 ties per node). Ours = `network_map` (seeded layout included) + "
             "`render_html`; plain pyvis = `from_nx` + `write_html` (`cdn_resources=\"in_line\"`, still not "
             "offline). Interactive = `goto` to the first drawn frame in headless chromium.\n",
             "| nodes | edges | ours s | ours MB | plain pyvis s | plain pyvis MB | interactive s |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        o, p = r["ours"], r["pyvis"]
        plain_s = f"{p['seconds']:.2f}" if "seconds" in p else f"> {p.get('timeout_s', 0):.0f} (stopped)"
        plain_mb = f"{p['bytes'] / 1e6:.2f}" if "bytes" in p else "-"
        interactive = f"{r['interactive_s']:.2f}" if "interactive_s" in r else "-"
        lines.append(f"| {r['nodes']} | {o.get('edges', '-')} | {o['seconds']:.2f} | {o['bytes'] / 1e6:.2f} | "
                     f"{plain_s} | {plain_mb} | {interactive} |")
    record_report("maps", lines)


if __name__ == "__main__":
    main()
