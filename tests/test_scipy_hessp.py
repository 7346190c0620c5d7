"""ast_ad.hessp: the Hessian-vector product in scipy.optimize's argument
order, and examples/scipy_logistic.py.  Expected values are hand-written
derivatives of the logistic loss, and SciPy's own fit with them."""
import os
import re
import subprocess
import sys

import numpy as np
import pytest

import ast_ad

scipy_optimize = pytest.importorskip("scipy.optimize")

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "examples"))
import scipy_logistic as ex  # noqa: E402


def hand_grad(w, X, y, lam):
    m = y * (X @ w)
    s = 1.0 / (1.0 + np.exp(m))                 # sigmoid(-m)
    return -(X.T @ (y * s)) / len(y) + lam * w


def hand_hessp(w, p, X, y, lam):
    m = y * (X @ w)
    s = 1.0 / (1.0 + np.exp(m))
    return X.T @ (s * (1 - s) * (X @ p)) / len(y) + lam * p


def test_hessp_matches_the_hand_written_product():
    X, y, _ = ex.make_data(n=50, d=4, seed=3)
    rng = np.random.default_rng(1)
    w, p = rng.normal(size=4), rng.normal(size=4)
    np.testing.assert_allclose(ast_ad.grad(ex.loss)(w, X, y, 0.1), hand_grad(w, X, y, 0.1),
                               rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(ast_ad.hessp(ex.loss)(w, p, X, y, 0.1),
                               hand_hessp(w, p, X, y, 0.1), rtol=1e-12, atol=1e-14)


def test_hessp_of_a_float_and_its_repr():
    def cubic(x, a):
        return a * x ** 3
    h = ast_ad.hessp(cubic)
    assert h(2.0, 0.5, 3.0) == pytest.approx(3.0 * 6 * 2.0 * 0.5)
    assert repr(h) == "<hessp of test_hessp_of_a_float_and_its_repr.<locals>.cubic w.r.t. x>"
    assert "def " in h.source


def test_hvp_given_to_scipy_says_to_use_hessp():
    X, y, _ = ex.make_data(n=20, d=3)
    with pytest.raises(ast_ad.DifferentiationError, match="ast_ad.hessp"):
        scipy_optimize.minimize(ex.loss, np.zeros(3), args=(X, y, 0.1), method="trust-ncg",
                                jac=ast_ad.grad(ex.loss), hessp=ast_ad.hvp(ex.loss))


def test_the_fit_agrees_with_the_hand_written_derivatives():
    X, y, _ = ex.make_data()
    lam = 1e-2
    ours = ex.fit(X, y, lam)
    theirs = scipy_optimize.minimize(ex.loss, np.zeros(X.shape[1]), args=(X, y, lam),
                                     method="trust-ncg", jac=hand_grad, hessp=hand_hessp,
                                     options={"gtol": 1e-8})
    assert ours.success and theirs.success
    np.testing.assert_allclose(ours.x, theirs.x, rtol=1e-7, atol=1e-9)
    assert np.linalg.norm(hand_grad(ours.x, X, y, lam)) < 1e-7
    assert ours.nhev > 0          # the products were used


def test_the_example_runs():
    proc = subprocess.run([sys.executable, os.path.join(REPO, "examples", "scipy_logistic.py")],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "converged: True" in proc.stdout
    gnorm = float(re.search(r"\|gradient\| at the optimum: ([-\d.e+]+)", proc.stdout).group(1))
    assert gnorm < 1e-7
    accuracy = float(re.search(r"training accuracy: ([\d.]+)", proc.stdout).group(1))
    assert accuracy > 0.75
