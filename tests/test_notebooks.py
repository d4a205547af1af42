"""The analyst notebooks: paired with their scripts, stored without outputs, and executed top to
bottom by a real Jupyter kernel (nbclient) on the shipped records; any error fails the test."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import jupytext
import nbformat
import pytest
from jupytext.paired_paths import paired_paths
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
NAMES = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))


def paired_script(notebook: Path) -> Path:
    """The script jupytext pairs with ``notebook`` under the formats of notebooks/jupytext.toml."""
    formats = tomllib.loads((NOTEBOOKS / "jupytext.toml").read_text(encoding="utf-8"))["formats"]
    return Path(next(path for path, fmt in paired_paths(str(notebook), "ipynb", formats) if fmt["extension"] == ".py"))


def test_every_notebook_has_its_paired_script_and_every_script_its_notebook():
    assert NAMES, "no notebooks in notebooks/"
    scripts = {paired_script(NOTEBOOKS / f"{name}.ipynb") for name in NAMES}
    assert [s.name for s in sorted(scripts) if not s.is_file()] == [], "run jupytext --sync notebooks/*.ipynb"
    # one entry per notebook in JupyterLab: the paired scripts live in scripts/, none beside the notebooks
    stored = {p for p in NOTEBOOKS.rglob("*.py") if not any(part.startswith(".") for part in p.parts)}
    assert stored == scripts and not list(NOTEBOOKS.glob("*.py"))
    # and notebooks/README.md lists exactly these notebooks
    readme = (NOTEBOOKS / "README.md").read_text(encoding="utf-8")
    assert re.findall(r"^\| `([^`]+)` \|", readme, flags=re.MULTILINE) == NAMES


def test_open_graph_opens_the_project_build_and_reuses_one_cache(tmp_path, monkeypatch, library_build):
    from graph.notebook import open_graph

    monkeypatch.setenv("DKG_BUILD", str(library_build.layout.root))
    assert open_graph() == library_build.layout.root  # make run's build: the numbers dkg query gives
    monkeypatch.setenv("DKG_BUILD", str(tmp_path / "none"))
    monkeypatch.setenv("DKG_CACHE", str(tmp_path / "cache"))
    first = open_graph(analyse_network=False)
    second = open_graph(analyse_network=False)
    assert first == second == tmp_path / "cache" / "democracy-kg" / "notebook-build"
    assert len(list((first / "releases").iterdir())) <= 2  # replaced, not piled up


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_paired_stripped_and_says_what_it_answers(name):
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    script = jupytext.read(NOTEBOOKS / "scripts" / f"{name}.py")
    # the reviewable script and the notebook hold the same cells (jupytext --sync keeps them so)
    assert [(c.cell_type, c.source) for c in nb.cells] == [(c.cell_type, c.source) for c in script.cells]
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{name}: outputs are stored"
    first = nb.cells[0]
    assert first.cell_type == "markdown" and "**Answers:**" in first.source and "**Takes:**" in first.source
    parameters = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(parameters) == 1 and "SOURCES = None" in parameters[0].source


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_top_to_bottom(name, tmp_path):
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}})
    # No project build here (DKG_BUILD points nowhere), so the notebook builds into its cache
    # directory, kept inside pytest's tmp_path.
    env = {**os.environ, "DKG_BUILD": str(tmp_path / "no-build"), "DKG_CACHE": str(tmp_path / "cache")}
    client.execute(env=env)  # raises CellExecutionError, naming the cell
    assert (tmp_path / "cache" / "democracy-kg" / "notebook-build" / "current").exists()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    if name == "02-collaboration-networks":  # the map renders inline: the whole page is in the output
        html = [o["data"]["text/html"] for o in outputs if o.output_type in ("display_data", "execute_result")
                and "text/html" in o.get("data", {})]
        assert any('<iframe sandbox="allow-scripts" srcdoc="&lt;!DOCTYPE html&gt;' in h for h in html)
