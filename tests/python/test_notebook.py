"""examples/notebooks runs top to bottom in a Jupyter kernel (Debian python3-nbclient, python3-ipykernel):
any error in a cell, including its own asserts, fails the test. The committed notebook has no outputs."""
import pathlib

import nbformat
import pytest

NOTEBOOKS = pathlib.Path(__file__).parents[2] / "examples" / "notebooks"


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_notebook_executes(path):
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code), "commit without outputs"
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    # The plots rendered: inventory (two), monthly, energy flow, reconciliation, MACC, allocation, event study.
    assert sum(1 for o in outputs if "image/png" in o.get("data", {})) == 7
