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


# --- ODE sensitivities, MLP with Adam, Newton's method, higher order --------

def test_ode_rk4():
    out = run_example("ode_rk4.py")
    rows = re.findall(r"dy\(T\)/(dk|dy0)\s+= ([-\d.]+)\s+FD ([-\d.]+)\s+rel\. diff ([-\d.e]+)",
                      out)
    assert [r[0] for r in rows] == ["dk", "dy0"]
    for _, ad, fd, rel in rows:
        assert float(ad) == pytest.approx(float(fd), rel=1e-6)
        assert float(rel) < 1e-6
    # dy(T)/dy0 of a linear ODE is (nearly) the exact flow's exp(-k T), k = 0.7, T = 2
    assert float(rows[1][1]) == pytest.approx(math.exp(-1.4), rel=1e-8)
    # the RK4 solution matches the closed form
    rk4 = float(re.search(r"y\(T\) by RK4\s+= ([-\d.]+)", out).group(1))
    exact = float(re.search(r"y\(T\) closed form\s+= ([-\d.]+)", out).group(1))
    assert rk4 == pytest.approx(exact, abs=1e-9)
    # the generated code is shown: a forward loop that tapes, a reversed loop
    assert "def grad_final_state(k, y0)" in out
    assert "tape.append(" in out and "reversed(" in out


def test_mlp_numpy():
    out = run_example("mlp_numpy.py")
    assert "type: list, shapes: [(5, 10), (10,), (10, 1), (1,)]" in out
    worst = float(re.search(r"central finite differences: ([-\d.e+]+)", out).group(1))
    assert worst < 1e-5
    losses = [float(x) for x in re.findall(r"epoch\s+\d+\s+loss ([-\d.]+)", out)]
    assert len(losses) == 11                 # epochs 0, 10, ..., 100
    assert losses[-1] < losses[0] / 5
    assert losses[-1] < min(losses[:-1])     # still improving at the end
    assert "OK: the loss fell" in out


def test_newton_optimize_gradient():
    out = run_example("newton_optimize.py")
    assert "gradient at x0 = [-1.2  1. ]: [-215.6  -88. ]" in out


def test_newton_optimize():
    out = run_example("newton_optimize.py")
    assert "[[1330.  480.]\n [ 480.  200.]]" in out          # Hessian at (-1.2, 1)
    m = re.search(r"converged in (\d+) iterations to x = \[([-\d.]+), ([-\d.]+)\], "
                  r"max error ([-\d.e+]+)", out)
    assert m, out
    assert int(m.group(1)) < 50
    assert abs(float(m.group(2)) - 1) < 1e-8 and abs(float(m.group(3)) - 1) < 1e-8
    if "SciPy is not installed" not in out:
        m = re.search(r"success: True\s+x = \[([-\d.]+), ([-\d.]+)\]", out)
        assert m, out
        assert abs(float(m.group(1)) - 1) < 1e-8 and abs(float(m.group(2)) - 1) < 1e-8
    assert "OK: Newton's method reached (1, 1)" in out


def test_newton_optimize_scipy_rosen():
    pytest.importorskip("scipy")
    out = run_example("newton_optimize.py")
    diff = float(re.search(r"rosen max abs difference: ([-\d.e+]+)", out).group(1))
    assert diff < 1e-10


def test_higher_order():
    out = run_example("higher_order.py")
    assert "f''(2)  = 12.0" in out                            # the seed's 12.0
    assert "f'''(2) = 6.0" in out
    ad = float(re.search(r"g''\(x\) by grad\(grad\(g\)\)\s+= ([-\d.]+)", out).group(1))
    fd = float(re.search(r"g''\(x\) by FD of grad\(g\)\s+= ([-\d.]+)", out).group(1))
    exact = -sum(i * i * math.sin(0.3 * i) for i in range(1, 6))
    assert ad == pytest.approx(exact, abs=1e-10)
    assert ad == pytest.approx(fd, rel=1e-7)
    assert "def grad_grad_cube(x)" in out


def test_higher_order_hvp():
    out = run_example("higher_order.py")
    d_full = float(re.search(r"hvp vs hessian @ v max abs difference: ([-\d.e+]+)", out)
                   .group(1))
    d_fd = float(re.search(r"hvp vs FD max rel\. difference: ([-\d.e+]+)", out).group(1))
    assert d_full < 1e-12 and d_fd < 1e-7


# --- programs of real shape: GP, mixture model, variational inference -------

def test_gaussian_process():
    out = run_example("gaussian_process.py")
    worst = float(re.search(r"max difference to finite differences: ([-\d.e+]+)", out).group(1))
    assert worst < 1e-6
    nlls = [float(v) for v in re.findall(r"step\s+\d+\s+-log p\(y\) ([-\d.]+)", out)]
    assert nlls[-1] < nlls[0] - 20 and nlls[-1] <= min(nlls) + 1e-6
    noise = float(re.search(r"noise variance ([\d.]+)", out).group(1))
    assert 0.002 < noise < 0.03          # the data's noise: 0.1² = 0.01


def test_mixture_model():
    pytest.importorskip("scipy")
    out = run_example("mixture_model.py")
    worst = float(re.search(r"max difference to finite differences: ([-\d.e+]+)", out).group(1))
    assert worst < 1e-5
    means = [float(v) for v in re.search(r"means \[\s*([-\d.]+)\s+([-\d.]+)\]", out).groups()]
    assert means[0] == pytest.approx(-2.0, abs=0.2) and means[1] == pytest.approx(1.5, abs=0.2)


def test_variational_inference():
    out = run_example("variational_inference.py")
    assert "same estimate as the function itself: True" in out
    worst = float(re.search(r"same estimate: ([-\d.e+]+)", out).group(1))
    assert worst < 1e-5
    mean = [float(v) for v in re.search(r"posterior mean \[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\]",
                                        out).groups()]
    assert mean[0] > 0.5 and mean[1] < -0.5        # the signs of the true weights (1.5, -2)
