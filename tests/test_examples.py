"""Each example under examples/ runs on its own and prints the right numbers.

Expected numbers are worked out by hand (Baydin's f) or are the true
parameters of the generating model (linear regression).
"""
import math
import os
import re
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(REPO, "examples")


def run_example(name):
    proc = subprocess.run([sys.executable, os.path.join(EXAMPLES, name)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    return proc.stdout


def test_baydin():
    out = run_example("baydin.py")
    assert "5.5" in out
    assert "1.716" in out
    # the gradient lines, against 1/x1 + x2 and x1 - cos(x2) at (2, 5)
    dx1 = float(re.search(r"df/dx1 = ([-\d.]+)", out).group(1))
    dx2 = float(re.search(r"df/dx2 = ([-\d.]+)", out).group(1))
    assert dx1 == pytest.approx(5.5, abs=1e-6)
    assert dx2 == pytest.approx(2.0 - math.cos(5.0), abs=1e-6)
    # the SSA form and the trace table are printed too
    assert "def f(x1, x2)" in out
    assert "v-1" in out and "v0" in out
    assert "11.65" in out            # f(2, 5) = ln 2 + 10 - sin 5


def _recovered(out):
    found = re.findall(r"recovered w = \[([-\d.]+), ([-\d.]+)\], b = ([-\d.]+)", out)
    return [tuple(map(float, t)) for t in found]


def test_linear_regression():
    out = run_example("linear_regression.py")
    fits = _recovered(out)
    assert len(fits) == 2                    # 30 and 300 samples
    assert "30 samples" in out and "300 samples" in out
    w1, w2, b = fits[-1]
    assert abs(w1 - 2.0) < 0.05 and abs(w2 + 3.0) < 0.05 and abs(b - 1.0) < 0.05
    losses = [float(x) for x in re.findall(r"loss ([-\d.]+)", out)]
    assert losses[0] > 1.0 and losses[-1] < 0.02      # the loss went down


def test_demo():
    out = run_example("demo.py")
    assert "def grad_f" in out                        # the generated source
    assert "5.5" in out and "1.716" in out            # the gradient
    (w1, w2, b), = _recovered(out)
    assert abs(w1 - 2.0) < 0.05 and abs(w2 + 3.0) < 0.05 and abs(b - 1.0) < 0.05
    assert "not supported" in out                     # the located error message


def test_baydin_is_a_cli_target():
    proc = subprocess.run([sys.executable, "-m", "ast_ad", "check", "examples/baydin.py:f",
                           "2", "5"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "OK" in proc.stdout
