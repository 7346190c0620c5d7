"""examples/tour.ipynb runs top to bottom (its cells check their numbers
against hand-worked values with `assert`), and its outputs use the notebook
reprs: code as markdown/HTML, the trace as an HTML table.  Needs the
``notebook`` extra (nbformat, nbclient, ipykernel); skipped without it."""
import json
import os
import sys

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOTEBOOK = os.path.join(REPO, "examples", "tour.ipynb")


def test_the_tour_notebook_runs(tmp_path, monkeypatch):
    # a kernel on this very interpreter, whatever kernels are installed
    spec = tmp_path / "jupyter" / "kernels" / "ast_ad_test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "ast_ad test", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), \
        "commit the notebook without outputs"
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="ast_ad_test",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()         # raises CellExecutionError on a failing cell
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    rich = [o.data for o in outputs if o.output_type == "execute_result"]
    html = [d["text/html"] for d in rich if "text/html" in d]
    assert any("<table>" in h and "log(v-1)" in h for h in html)      # the trace
    markdown = [d["text/markdown"] for d in rich if "text/markdown" in d]
    assert any(m.startswith("**grad of y w.r.t. a, b**") and "```python\ndef grad_y" in m
               for m in markdown)
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "w = [ 2. -3.], b = 1.000000" in text
    assert "training accuracy 1.000" in text or "training accuracy 0.9" in text
