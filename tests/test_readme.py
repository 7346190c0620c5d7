"""The README tells the truth about what is in the repository: every
example is named, the install line is there; `make bench` writes no file
unless asked."""
import os
import re
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def readme():
    path = os.path.join(REPO, "README.md")
    if not os.path.exists(path):
        pytest.skip("no README.md next to tests/")
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def test_every_example_is_named_with_a_line():
    text = readme()
    examples = sorted(n for n in os.listdir(os.path.join(REPO, "examples"))
                      if n.endswith((".py", ".ipynb")))
    assert examples
    for name in examples:
        rows = [line for line in text.splitlines() if f"`examples/{name}`" in line
                and line.startswith("|")]
        assert len(rows) == 1, f"examples/{name} has no row in the README's examples table"
        assert len(rows[0].split("|")[2].strip()) > 20


def test_install_line_and_no_words_about_how_the_work_was_done():
    text = readme()
    assert re.search(r"^pip install \.", text, re.M)
    for phrase in ("session", "final run", "met its target", "target"):
        assert phrase not in text.lower(), phrase


def test_bench_writes_results_only_when_asked(tmp_path):
    run_py = os.path.join(REPO, "benchmarks", "run.py")
    if not os.path.exists(run_py):
        pytest.skip("no benchmarks/ next to tests/")
    args = [sys.executable, run_py, "--quick", "--only", "baydin", "--no-peers",
            "--transform-reps", "1", "--output-dir", str(tmp_path)]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "baydin" in proc.stdout and os.listdir(tmp_path) == []
    proc = subprocess.run(args + ["--write"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert sorted(os.listdir(tmp_path)) == ["results.json", "results.md"]
