"""The analyst notebooks: paired with their scripts, stored without outputs, and executed top to
bottom by a real Jupyter kernel (nbclient) on the shipped records; any error fails the test."""

from __future__ import annotations

import os
from pathlib import Path

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
NAMES = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))


def test_the_four_notebooks_are_there():
    assert NAMES == ["01-quickstart", "02-collaboration-networks", "03-methods-landscape", "04-publish-a-map"]


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_paired_stripped_and_says_what_it_answers(name):
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    script = jupytext.read(NOTEBOOKS / f"{name}.py")
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
    # The notebooks build into a new temporary directory: keep it inside pytest's tmp_path
    # (which pytest prunes) rather than leaving one build per run in /tmp.
    client.execute(env={**os.environ, "TMPDIR": str(tmp_path)})  # raises CellExecutionError, naming the cell
    assert list(tmp_path.glob("dkg-notebook-*/build/current"))
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    if name == "02-collaboration-networks":  # the map renders inline: the whole page is in the output
        html = [o["data"]["text/html"] for o in outputs if o.output_type in ("display_data", "execute_result")
                and "text/html" in o.get("data", {})]
        assert any('<iframe sandbox="allow-scripts" srcdoc="&lt;!DOCTYPE html&gt;' in h for h in html)
