"""No warnings: importing ast_ad and using it under ``-W error`` works, so
downstream test suites that turn warnings into errors can use it."""
import math
import os
import subprocess
import sys
import warnings

import numpy as np
import pytest

import ast_ad


def test_import_is_clean_under_W_error():
    proc = subprocess.run([sys.executable, "-W", "error", "-c", "import ast_ad, ast_ad.cli"],
                          capture_output=True, text=True,
                          env={**os.environ, "PYTHONWARNINGS": "error"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""


# ------------------------------------------------ functions used under -W error

def baydin(x1, x2):
    return math.log(x1) + x1 * x2 - math.sin(x2)


def branches(x, n):
    s = 0.0
    for i in range(n):
        if s > 1.0:
            s = s * 0.5
        else:
            s = s + x ** -0.5 + (-1.0) ** i
    return s


def arrays(W, b, x):
    h = np.tanh(W @ x + b)
    return np.sum(h ** 2) / h.shape[0]


def with_aux(x):
    loss = np.sum(x ** 2)
    aux = x * 2.0
    return loss, aux


def loss_of_with_aux(x):
    return with_aux(x)[0]


@pytest.fixture
def warnings_are_errors():
    ast_ad.cache.clear()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def test_use_is_clean_under_W_error(warnings_are_errors):
    g1, g2 = ast_ad.grad(baydin, wrt=(0, 1))(2.0, 5.0)
    assert g1 == pytest.approx(5.0 + 1 / 2.0)
    assert g2 == pytest.approx(2.0 - math.cos(5.0))

    # at x=4 (x**-0.5 = 0.5): s = 0.5 + 1 = 1.5, halved to 0.75, then
    # 0.75 + 0.5 + 1: ds/dx = (0.5 + 1) * d(x**-0.5)/dx
    x = 4.0
    d = ast_ad.grad(branches)(x, 3)
    assert d == pytest.approx(1.5 * -0.5 * x ** -1.5)

    rng = np.random.default_rng(0)
    W, b, v = rng.normal(size=(3, 2)), rng.normal(size=3), rng.normal(size=2)
    gW = ast_ad.grad(arrays)(W, b, v)
    h = np.tanh(W @ v + b)
    np.testing.assert_allclose(gW, np.outer(2 * h * (1 - h ** 2) / 3, v))

    H = ast_ad.hessian(baydin)(2.0, 5.0)
    assert H == pytest.approx(-1 / 4.0)
    out, t = ast_ad.jvp(baydin, (2.0, 5.0), (0.0, 1.0))
    assert t == pytest.approx(2.0 - math.cos(5.0))
    for mode in ("reverse", "forward", "ssa"):
        ast_ad.source(arrays, mode=mode)


def test_a_function_returning_loss_and_aux(warnings_are_errors):
    # the adjoint of a tuple-valued result used to be printed as `(1.0)[0]`,
    # a SyntaxWarning when the code was compiled; now grad says what is wrong
    x = np.array([1.0, -2.0, 3.0])
    for transform in (ast_ad.grad, ast_ad.value_and_grad):
        with pytest.raises(ast_ad.NonScalarOutputError, match="returns a tuple") as e:
            transform(with_aux)(x)
        assert e.value.lineno == with_aux.__code__.co_firstlineno + 3
    with pytest.raises(ast_ad.NonScalarOutputError):
        ast_ad.source(with_aux)
    np.testing.assert_allclose(ast_ad.grad(loss_of_with_aux)(x), 2 * x)
    out, vjp_fn = ast_ad.vjp(with_aux, x)
    (g,) = vjp_fn((1.0, np.ones(3)))
    np.testing.assert_allclose(g, 2 * x + 2.0)
