"""Source-ingest benchmark: CORDIS H2020 (real, when ../shared has it) and a seeded synthetic 10x.

Each row is one ``dkg build`` of the curated records plus one CORDIS source (parse, map, resolve,
validate, bulk-load, dump), in its own process, side by side with the naive path (the same
records and mapping, then rdflib ``Graph.add`` into an oxrdflib store) where memory allows.
Rows are appended to ``benchmarks/results/sources.jsonl`` as they are measured and a table to
``sources.md`` at the end.

Usage: ``python benchmarks/bench_sources.py [--synthetic-scales 1,10] [--naive-max-triples 2000000]``.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from datasets import REAL_H2020, RECORDS, record_report, record_row, report_heading  # noqa: E402 - benchmarks/ is not a package


def _config(directory: Path, data: Path, name: str) -> Path:
    path = directory / f"{name}.toml"
    path.write_text(f'[[source]]\nname = "{name}"\nadapter = "cordis"\npath = "{data}"\n', encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--synthetic-scales", default="1,10")
    parser.add_argument("--naive-max-triples", type=int, default=2_000_000,
                        help="skip the naive path above this size (it needs about 2.3 kB per triple)")
    args = parser.parse_args()
    from bench_build import run
    from machine import measure
    from synthetic import generate_cordis

    speed = measure()  # the machine's speed as the run starts (benchmarks/machine.py)

    rows = []
    with tempfile.TemporaryDirectory(prefix="dkg-bench-sources-") as tmp:
        sets = []
        if REAL_H2020.is_dir():
            sets.append(("H2020 (real)", 1.0, REAL_H2020))
        else:
            print(f"{REAL_H2020} not found: real H2020 rows skipped", flush=True)
        for scale in (float(s) for s in args.synthetic_scales.split(",") if s):
            data = Path(tmp) / f"synthetic-{scale:g}"
            counts = generate_cordis(data, scale)
            print(f"synthetic {scale:g}x: {counts}", flush=True)
            sets.append((f"synthetic {scale:g}x", scale, data))
        for label, scale, data in sets:
            config = _config(Path(tmp), data, "cordis")
            dkg = run("dkg", RECORDS, Path(tmp) / f"out-{label}-dkg", config)
            # The store's own ceiling for the same quads: bulk_load of the dkg dump, alone.
            load = run("store-load", Path(tmp) / f"out-{label}-dkg" / "dumps" / "democracy-kg.nq",
                       Path(tmp) / f"out-{label}-store-load")
            load["seconds"] = load["timings"]["bulk_load"]
            modes = [dkg, load]
            if dkg["triples"] <= args.naive_max_triples:
                modes.append(run("naive", RECORDS, Path(tmp) / f"out-{label}-naive", config))
            for r in modes:
                r.update(set=label, scale=scale, tps=r["triples"] / r["seconds"])
                rows.append(r)
                record_row("sources", r)
                print(f"{label:<16} {r['mode']:<6} {r['triples']:>9} triples {r['seconds']:7.1f} s "
                      f"{r['tps']:>8.0f} triples/s peak {r['peak_mb']:6.0f} MB", flush=True)
    _write(rows, speed)


def _write(rows: list[dict], speed: dict[str, float]) -> None:
    from machine import measure, reference_line

    lines = [report_heading("Source ingest benchmark"),
             reference_line(speed, measure()) + "\n",
             "dkg = `dkg build` of the curated records plus one CORDIS source: parse, map, resolve, SHACL, "
             "bulk load, dumps. naive = same mapping, then rdflib `Graph.add` into oxrdflib. store-load = "
             "Oxigraph's `bulk_load` of dkg's canonical N-Quads dump into a new on-disk store, alone: the "
             "store's own ceiling, which no build into it can beat.\n",
             "CPU s = user + system time of the whole process, all threads; CPU s / cores is a floor under "
             "the wall time of that much work on this machine.\n",
             "| set | path | triples | seconds | triples/s | peak MB | CPU s |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        cpu = f"{r['cpu_s']:.1f}" if "cpu_s" in r else "-"
        lines.append(f"| {r['set']} | {r['mode']} | {r['triples']} | {r['seconds']:.1f} | {r['tps']:.0f} | "
                     f"{r['peak_mb']:.0f} | {cpu} |")
    dkg = [r for r in rows if r["mode"] == "dkg" and r["set"].startswith("synthetic")]
    if len(dkg) >= 2:
        a, b = dkg[0], dkg[-1]
        k = math.log(b["seconds"] / a["seconds"]) / math.log(b["triples"] / a["triples"])
        lines.append(f"\nGrowth exponent (time ~ triples^k), {a['set']} -> {b['set']}: k = {k:.2f}")
    lines.append("\nStep times (s): " + "; ".join(
        f"{r['set']}: " + ", ".join(f"{k} {v:.1f}" for k, v in r["timings"].items()) for r in rows if r["mode"] == "dkg"))
    floors = []
    for r in rows:
        load = next((s for s in rows if s["mode"] == "store-load" and s["set"] == r["set"]), None)
        if r["mode"] == "dkg" and load:
            python = sum(r["timings"].get(k, 0) for k in ("sources", "records", "map", "resolve"))
            floors.append(f"{r['set']}: {python:.1f} + {load['seconds']:.1f} = {python + load['seconds']:.1f}")
    lines.append("\nFloor of the build's critical path (s): the N-Quads must be read, mapped and resolved in Python "
                 "(sources + map + resolve) before the loader has them, then loaded: " + "; ".join(floors))
    record_report("sources", lines)


if __name__ == "__main__":
    main()
