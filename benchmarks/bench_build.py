"""Build benchmark: democracy-kg's bulk build vs a naive rdflib ``Graph.add`` build, side by side.

For each scale of the synthetic CORDIS-sized record set (``benchmarks/synthetic.py``), each path
runs in its own process so that peak memory (max RSS) is its own:

- ``dkg``: the whole ``dkg build`` (``graph.build.build``): records -> validated -> N-Quads lines
  spooled unsorted -> in-memory load (beside ``sort`` writing the canonical dump) -> SHACL
  (shapes compiled to SPARQL) -> the in-memory copy freed -> Oxigraph ``bulk_load`` of the
  canonical dump on disk -> atomic swap -> TriG/Turtle;
- ``dkg+pyshacl``: the same with pySHACL, the reference engine, instead (small scales only);
- ``naive``: the same records and mapping, then rdflib parses the N-Quads and adds triple by
  triple into an on-disk Oxigraph store behind rdflib (oxrdflib); no validation, no dumps.
  It needs about 9 GB per unit of scale, so it is skipped above ``--naive-max-scale``.

Each row is appended to ``benchmarks/results/build.jsonl`` as soon as it is measured; the table
in ``build.md`` is written at the end.
Usage: ``python benchmarks/bench_build.py [--scales 0.1,1,3] [--pyshacl-scales 0.05] [--naive-max-scale 1]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from datasets import record_report, record_row  # noqa: E402 - benchmarks/ is not a package


def _child(mode: str, records: str, out: str, sources: str | None = None) -> None:
    """Run one build in this process and print a JSON line with its numbers."""
    t0 = time.perf_counter()
    if mode == "store-load":  # the store's own ceiling: bulk_load of the dkg dump, nothing else running
        import pyoxigraph as ox

        with open(records, "rb") as f:
            triples = sum(1 for _ in f)
        t = time.perf_counter()
        ox.Store(out).bulk_load(path=records, format=ox.RdfFormat.N_QUADS)
        timings = {"bulk_load": time.perf_counter() - t}
    elif mode in ("dkg", "dkg+pyshacl", "dkg-critical"):
        from graph.build import build

        # dkg-critical: until `current` points to the new release (what the user waits for with
        # `dkg build`, whose TriG and Turtle are written by a detached process afterwards);
        # dkg: the same plus the derived dumps written after the swap in this process.
        result = build(records, out, shacl="pyshacl" if mode == "dkg+pyshacl" else "oxigraph", sources=sources,
                       derived="none" if mode == "dkg-critical" else "after")
        triples, timings = result.triples, result.timings
    else:
        import rdflib

        from graph.build import generate_lines, map_sources

        timings: dict[str, float] = {}
        lines, _ = generate_lines(records, timings, map_sources(sources, timings))
        t = time.perf_counter()
        Path(out).mkdir(parents=True, exist_ok=True)
        ds = rdflib.Dataset(store="Oxigraph")
        ds.open(str(Path(out) / "store"), create=True)
        ds.parse(data="\n".join(lines), format="nquads")
        timings["rdflib-add"] = time.perf_counter() - t
        triples = len(lines)
        ds.close()
    elapsed = time.perf_counter() - t0
    usage = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    # Peak memory: of this process, or of its largest child if that is larger. A large build
    # reads and maps its input in a forked child (graph.build._front_end) while this process
    # waits, holding little of its own (the child's RSS counts the pages they share); the
    # system's ``sort`` keeps to its 64 MB buffer (graph.canonical.SORT_BUFFER).
    peak_mb = max(usage.ru_maxrss, children.ru_maxrss) / 1024
    # CPU seconds over all threads and the children: divided by the cores, a floor under the wall
    # time of this work
    cpu = usage.ru_utime + usage.ru_stime + children.ru_utime + children.ru_stime
    print(json.dumps({"mode": mode, "triples": triples, "seconds": elapsed, "peak_mb": peak_mb, "cpu_s": cpu,
                      "timings": timings}))


def run(mode: str, records: Path, out: Path, sources: Path | None = None) -> dict:
    """One build in a fresh process (so its peak memory is its own); its numbers."""
    extra = ["--child-sources", str(sources)] if sources else []
    proc = subprocess.run([sys.executable, __file__, "--child", mode, str(records), str(out), *extra],
                          capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(f"{mode} build failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", default="0.1,1,3")
    parser.add_argument("--pyshacl-scales", default="")
    parser.add_argument("--naive-max-scale", type=float, default=1.0)
    parser.add_argument("--child", nargs=3)
    parser.add_argument("--child-sources")
    parser.add_argument("--ratio-scales", default="1", help="scales at which build / bulk_load ratios are "
                        "measured, 3 interleaved repeats each (issue 19); empty: none")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--ratio-without-dumps", action="store_true",
                        help="measure the ratios without the build that also writes its derived dumps (large scales)")
    parser.add_argument("--incremental-sources", default="h2020",
                        help="sources file of the rebuild benchmark (a full build, then a rebuild after one curated "
                             "record changed); 'h2020': the whole CORDIS H2020 export and Participedia "
                             "(benchmarks/datasets.py), skipped when ../shared is absent; empty: no rebuild benchmark")
    parser.add_argument("--pipeline-sets", default="h2020",
                        help="sets (benchmarks/datasets.py: h2020, synthetic<scale>) on which `dkg build`, `dkg analyse` "
                             "and `dkg map` run one after the other as a user runs them (issue 19); empty: none")
    args = parser.parse_args()
    if args.child:
        _child(*args.child, sources=args.child_sources)
        return
    from machine import measure
    from synthetic import generate

    speed = measure()  # the machine's speed as the run starts (benchmarks/machine.py)

    scales = [float(s) for s in args.scales.split(",") if s]
    shacl_scales = {float(s) for s in args.pyshacl_scales.split(",") if s}
    rows = []
    with tempfile.TemporaryDirectory(prefix="dkg-bench-") as tmp:
        for scale in scales:
            records = Path(tmp) / f"records-{scale}"
            counts = generate(records, scale)
            modes = (["dkg"] + (["naive"] if scale <= args.naive_max_scale else [])
                     + (["dkg+pyshacl"] if scale in shacl_scales else []))
            for mode in modes:
                r = run(mode, records, Path(tmp) / f"out-{scale}-{mode}")
                if mode == "dkg":  # what Oxigraph's loader alone takes for the same quads
                    dump = Path(tmp) / f"out-{scale}-dkg" / "dumps" / "democracy-kg.nq"
                    load = run("store-load", dump, Path(tmp) / f"out-{scale}-store-load")
                    r["store_load_s"] = load["timings"]["bulk_load"]
                    r["store_load_qps"] = load["triples"] / load["timings"]["bulk_load"]
                r.update(scale=scale, records=sum(counts.values()), tps=r["triples"] / r["seconds"])
                rows.append(r)
                record_row("build", r)
                print(f"scale {scale:>4} {mode:<10} {r['triples']:>9} triples {r['seconds']:8.1f} s "
                      f"{r['tps']:>9.0f} triples/s peak {r['peak_mb']:7.0f} MB", flush=True)
    if rows:
        _write(rows, scales, speed)
    ratio_scales = [float(x) for x in args.ratio_scales.split(",") if x]
    if ratio_scales:
        _ratios(ratio_scales, args.repeats, speed, with_dumps=not args.ratio_without_dumps)
    pipeline_sets = [x for x in args.pipeline_sets.split(",") if x]
    if pipeline_sets:
        _pipeline(pipeline_sets, speed)
    if args.incremental_sources == "h2020":
        from datasets import REAL_H2020, sources_config

        if REAL_H2020.is_dir():
            with tempfile.TemporaryDirectory(prefix="dkg-h2020-") as tmp:
                _incremental(sources_config(Path(tmp), REAL_H2020), args.repeats, speed)
        else:
            print(f"rebuild benchmark skipped: {REAL_H2020} not found")
    elif args.incremental_sources:
        _incremental(Path(args.incremental_sources), args.repeats, speed)


def _source_names(sources: Path) -> list[str]:
    import tomllib

    return [s["name"] for s in tomllib.loads(sources.read_text(encoding="utf-8")).get("source", [])]


def _incremental(sources: Path, repeats: int, speed: dict[str, float]) -> None:
    """A full build with the configured sources (no cache), then a rebuild after one curated
    record changed (sources from the cache), interleaved; median of ``repeats`` (issue 19)."""
    import statistics

    from machine import measure, reference_line

    full, rebuild, triples = [], [], 0
    with tempfile.TemporaryDirectory(prefix="dkg-rebuild-") as tmp:
        records = Path(tmp) / "records"
        shutil.copytree(HERE.parent / "data" / "records", records)
        organisations = records / "organisations.csv"
        original = organisations.read_text(encoding="utf-8")
        for repeat in range(repeats):
            out = Path(tmp) / f"build-{repeat}"
            organisations.write_text(original, encoding="utf-8")
            r = run("dkg-critical", records, out, sources)
            full.append(r)
            organisations.write_text(original.replace("Democracy Reporting International",
                                                      "Democracy Reporting International (edited)", 1), encoding="utf-8")
            rebuild.append(run("dkg-critical", records, out, sources))
            triples = r["triples"]
            shutil.rmtree(out, ignore_errors=True)
    f, b = (statistics.median(x["seconds"] for x in runs) for runs in (full, rebuild))
    steps = ", ".join(f"{k} {v:.2f}" for k, v in rebuild[0]["timings"].items())
    lines = [f"\n## Rebuild after one curated record changed, {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M UTC} "
             f"(median of {repeats} interleaved runs)\n", reference_line(speed, measure()) + "\n",
             f"Sources: `{sources.relative_to(HERE.parent) if sources.is_relative_to(HERE.parent) else sources.name}` "
             f"({', '.join(_source_names(sources))}); "
             f"{triples:,} quads. Full = a build into an empty directory (every source read and mapped); "
             "rebuild = the same build directory after one organisation's name changed in "
             "`data/records/organisations.csv` (unchanged sources come from `<build>/cache/sources`). Both until "
             "`current` points to the new release.\n",
             "| full s | rebuild s | rebuild / full (target <= 0.25) |", "|---|---|---|",
             f"| {f:.2f} | {b:.2f} | {b / f:.2f}x |", f"\nSteps of one rebuild (s): {steps}\n"]
    record_row("build-rebuild", {"full_s": f, "rebuild_s": b, "ratio": b / f, "triples": triples,
                                 "full": [x["seconds"] for x in full], "rebuild": [x["seconds"] for x in rebuild]})
    record_report("build", lines)


def _pipeline(sets: list[str], speed: dict[str, float]) -> None:
    """``dkg build`` (until it returns; a large graph's TriG and Turtle follow in the background,
    as for a user), ``dkg analyse`` and ``dkg map`` of the collaboration network, each a command
    in its own process, as a user runs them; target: <= 60 s on the whole H2020 export."""
    from datasets import REAL_H2020, sources_config
    from machine import measure, reference_line
    from synthetic import generate_cordis

    lines = [f"\n## build + analyse + map, {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M UTC}\n",
             reference_line(speed, measure()) + "\n",
             "Each step is the `dkg` command in its own process, one after the other (`dkg build` with its default "
             "`--dumps auto`: a dump over 64 MB gets its TriG and Turtle from a background process, which runs "
             "while `analyse` and `map` do). Target: <= 60 s in all on the whole H2020 export.\n",
             "| set | quads | build s | analyse s | map s | total s |", "|---|---|---|---|---|---|"]
    for label in sets:
        with tempfile.TemporaryDirectory(prefix="dkg-pipeline-") as tmp:
            cordis = REAL_H2020 if label == "h2020" else Path(tmp) / label
            if label == "h2020" and not REAL_H2020.is_dir():
                print(f"pipeline benchmark skipped: {REAL_H2020} not found")
                continue
            if label != "h2020":
                generate_cordis(cordis, float(label.removeprefix("synthetic")))
            config, out = sources_config(Path(tmp), cordis), Path(tmp) / "build"
            steps = {"build": ["build", "--records", str(HERE.parent / "data" / "records"), "--sources", str(config),
                               "--out", str(out)],
                     "analyse": ["analyse", "--store", str(out), "--out", str(Path(tmp) / "analysis"), "--no-progress"],
                     "map": ["map", "--store", str(out), "--out", str(Path(tmp) / "collaboration.html")]}
            times = {}
            for step, argv in steps.items():
                t = time.perf_counter()
                proc = subprocess.run([sys.executable, "-m", "graph.cli", *argv], cwd=HERE.parent,
                                      capture_output=True, text=True)
                times[step] = time.perf_counter() - t
                if proc.returncode:
                    raise SystemExit(f"dkg {step} failed:\n{proc.stderr}")
            quads = json.loads((out / "current" / "report.json").read_text(encoding="utf-8"))["triples"]
            total = sum(times.values())
            record_row("build-pipeline", {"set": label, "quads": quads, **times, "total": total})
            lines.append(f"| {label} | {quads:,} | {times['build']:.1f} | {times['analyse']:.1f} | {times['map']:.1f} | "
                         f"{total:.1f} |")
            print(lines[-1], flush=True)
    record_report("build", lines)


def _ratios(scales: list[float], repeats: int, speed: dict[str, float], with_dumps: bool = True) -> None:
    """Build against the store's own bulk_load of the same quads, interleaved in one run (issue 19)."""
    import statistics

    from machine import measure, reference_line
    from synthetic import generate

    lines = [f"\n## Build / bulk_load ratios, {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M UTC} "
             f"(median of {repeats} interleaved runs)\n", reference_line(speed, measure()) + "\n",
             "critical = `dkg build` until `current` points to the new release (TriG and Turtle follow, off the "
             "critical path); with dumps = the same plus the derived dumps in the same process; bulk_load = "
             "pyoxigraph's `Store.bulk_load` of the build's own canonical N-Quads into a new on-disk store, "
             "nothing else running. CPU = user + system seconds of the process.\n",
             "| scale | quads | critical s | with dumps s | bulk_load s | wall ratio (target <= 1.6) | "
             "with dumps ratio | CPU ratio (target <= 2.0) | peak MB | bulk_load peak MB | memory ratio (target <= 1.5) |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory(prefix="dkg-ratios-") as tmp:
        for scale in scales:
            records = Path(tmp) / f"records-{scale}"
            generate(records, scale)
            modes = ("dkg-critical", "dkg") if with_dumps else ("dkg-critical",)
            runs: dict[str, list[dict]] = {mode: [] for mode in modes} | {"store-load": []}
            for repeat in range(repeats):
                for mode in modes:
                    runs[mode].append(run(mode, records, Path(tmp) / f"{scale}-{mode}-{repeat}"))
                dump = Path(tmp) / f"{scale}-dkg-critical-{repeat}" / "current" / "dumps" / "democracy-kg.nq"
                runs["store-load"].append(run("store-load", dump, Path(tmp) / f"{scale}-load-{repeat}"))
                for mode in modes:
                    shutil.rmtree(Path(tmp) / f"{scale}-{mode}-{repeat}", ignore_errors=True)
                shutil.rmtree(Path(tmp) / f"{scale}-load-{repeat}", ignore_errors=True)
            med = {mode: {k: statistics.median(r[k] for r in rs) for k in ("seconds", "cpu_s", "peak_mb")}
                   for mode, rs in runs.items()}
            load_s = statistics.median(r["timings"]["bulk_load"] for r in runs["store-load"])
            crit, load = med["dkg-critical"], med["store-load"]
            full = med.get("dkg", {"seconds": math.nan})
            row = {"scale": scale, "quads": runs["dkg-critical"][0]["triples"], "critical_s": crit["seconds"],
                   "with_dumps_s": full["seconds"], "bulk_load_s": load_s, "wall_ratio": crit["seconds"] / load_s,
                   "with_dumps_ratio": full["seconds"] / load_s, "cpu_ratio": crit["cpu_s"] / load["cpu_s"],
                   "peak_mb": crit["peak_mb"], "load_peak_mb": load["peak_mb"],
                   "memory_ratio": crit["peak_mb"] / load["peak_mb"],
                   "steps": runs["dkg-critical"][0]["timings"], "runs": runs}
            record_row("build-ratios", {k: v for k, v in row.items() if k != "runs"} | {
                "all_runs": {m: [{k: r[k] for k in ("seconds", "cpu_s", "peak_mb")} for r in rs] for m, rs in runs.items()}})
            lines.append(f"| {scale:g} | {row['quads']:,} | {crit['seconds']:.1f} | {full['seconds']:.1f} | {load_s:.1f} | "
                         f"{row['wall_ratio']:.2f}x | {row['with_dumps_ratio']:.2f}x | {row['cpu_ratio']:.2f}x | "
                         f"{crit['peak_mb']:,.0f} | {load['peak_mb']:,.0f} | {row['memory_ratio']:.2f}x |")
            steps = ", ".join(f"{k} {v:.1f}" for k, v in row["steps"].items())
            lines.append(f"\nSteps of one critical-path build at {scale:g} (s): {steps}\n")
            print(lines[-2], flush=True)
    record_report("build", lines)


def _write(rows: list[dict], scales: list[float], speed: dict[str, float]) -> None:
    from machine import measure, reference_line

    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    by = {(r["scale"], r["mode"]): r for r in rows}
    lines = [f"\n## Build benchmark, {stamp} (Python {platform.python_version()}, {platform.machine()}, "
             f"{os.cpu_count()} cores)\n",
             reference_line(speed, measure()) + "\n",
             "dkg = the whole `dkg build` including SHACL (shapes compiled to SPARQL) and dumps; "
             "naive = rdflib `Graph.add` into an oxrdflib store, no validation, no dumps. "
             "store ceiling = Oxigraph's `bulk_load` of the same canonical N-Quads into a new on-disk store, "
             "alone in its own process: no build into that store can be faster. dkg CPU s = user + system time "
             "of the build, all threads (divided by the cores: a floor under its wall time).\n",
             "| scale | records | triples | dkg s | dkg triples/s | dkg peak MB | dkg CPU s | naive s | naive triples/s "
             "| naive peak MB | speed-up | memory ratio | dkg+pySHACL s | store ceiling s | store ceiling quads/s |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for s in scales:
        d, n, v = by[(s, "dkg")], by.get((s, "naive")), by.get((s, "dkg+pyshacl"))
        naive = (f"{n['seconds']:.1f} | {n['tps']:.0f} | {n['peak_mb']:.0f} | {n['seconds'] / d['seconds']:.1f}x | "
                 f"{d['peak_mb'] / n['peak_mb']:.2f}") if n else "not run (memory) | - | - | - | -"
        pyshacl = f"{v['seconds']:.1f}" if v else "-"
        ceiling = f"{d['store_load_s']:.1f} | {d['store_load_qps']:.0f}" if "store_load_s" in d else "- | -"
        lines.append(f"| {s:g} | {d['records']} | {d['triples']} | {d['seconds']:.1f} | {d['tps']:.0f} | "
                     f"{d['peak_mb']:.0f} | {d.get('cpu_s', float('nan')):.1f} | {naive} | {pyshacl} | {ceiling} |")
    if len(scales) >= 2:
        for a_s, b_s in zip(scales, scales[1:]):
            a, b = by[(a_s, "dkg")], by[(b_s, "dkg")]
            exponent = math.log(b["seconds"] / a["seconds"]) / math.log(b["triples"] / a["triples"])
            lines.append(f"\nGrowth exponent of dkg build time (time ~ triples^k), scale {a_s:g} -> {b_s:g}: k = {exponent:.2f}")
    steps = {r["scale"]: r["timings"] for r in rows if r["mode"] == "dkg"}
    lines.append("\nStep times of the dkg build (s; memory/shacl/turtle run while the on-disk load runs): " + "; ".join(
        f"{s:g}: " + ", ".join(f"{k} {v:.1f}" for k, v in t.items()) for s, t in steps.items()))
    record_report("build", lines)


if __name__ == "__main__":
    main()
