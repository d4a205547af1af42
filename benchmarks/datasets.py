"""The data sets the query and network benchmarks build: the real H2020 export and synthetic ones.

``h2020`` is the curated records plus the whole CORDIS H2020 export and Participedia from
``../shared/data`` (skipped when absent); ``syntheticN`` is the curated records plus a seeded
synthetic CORDIS set N times the H2020 size (:func:`synthetic.generate_cordis`).
"""

from __future__ import annotations

import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = ROOT.parent / "shared" / "data"
REAL_H2020 = SHARED / "cordis" / "h2020-participations"
PARTICIPEDIA = SHARED / "participedia"
RECORDS = ROOT / "data" / "records"


def sources_config(directory: Path, cordis: Path) -> Path:
    """A ``sources.toml`` naming ``cordis`` (and Participedia when present), written in ``directory``."""
    text = f'[[source]]\nname = "cordis-h2020"\nadapter = "cordis"\npath = "{cordis}"\ntitle = "CORDIS H2020"\n'
    if PARTICIPEDIA.is_dir():
        text += f'\n[[source]]\nname = "participedia"\nadapter = "participedia"\npath = "{PARTICIPEDIA}"\n'
    path = directory / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def build_set(label: str, tmp: Path):  # noqa: ANN201 - a graph.build result, or None when skipped
    """Build the set ``label`` into ``tmp/build-<label>``; None (and a message) when its data is missing."""
    from graph.build import build
    from synthetic import generate_cordis

    if label == "h2020":
        if not REAL_H2020.is_dir():
            print(f"{REAL_H2020} not found: the H2020 set is skipped", flush=True)
            return None
        cordis = REAL_H2020
    elif label.startswith("synthetic"):
        cordis = tmp / label
        print(f"{label}: {generate_cordis(cordis, float(label.removeprefix('synthetic')))}", flush=True)
    else:
        raise SystemExit(f"unknown set {label!r}")
    started = time.perf_counter()
    result = build(RECORDS, tmp / f"build-{label}", sources=sources_config(tmp, cordis))
    print(f"{label}: built {result.triples} triples in {time.perf_counter() - started:.0f} s", flush=True)
    return result


RESULTS = HERE / "results"


def record_row(name: str, row: dict) -> None:
    """Append one measured row to ``results/<name>.jsonl`` as soon as it is measured."""
    import json

    RESULTS.mkdir(exist_ok=True)
    with (RESULTS / f"{name}.jsonl").open("a", encoding="utf-8") as f:
        f.write(json.dumps(row) + "\n")


def record_report(name: str, lines: list[str]) -> None:
    """Append a run's Markdown section to ``results/<name>.md`` and print it."""
    RESULTS.mkdir(exist_ok=True)
    with (RESULTS / f"{name}.md").open("a", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


def report_heading(title: str) -> str:
    """The heading of one run's section: what, when, on which Python and how many cores."""
    import datetime as dt
    import os
    import platform

    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"\n## {title}, {stamp} (Python {platform.python_version()}, {os.cpu_count()} cores)\n"
