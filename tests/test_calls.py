"""Calls to the user's own functions: inlined (read once), keyword and
default arguments, helpers from another module, and recursion refused with a
located error."""
import inspect
import math

import numpy as np
import pytest

import ast_ad
from ast_ad import pipeline


def scaled(x, factor=2.0, *, shift=0.0):
    return factor * x + shift


def twice(x):
    return scaled(x) * scaled(x, 3.0) + scaled(x, shift=1.0)


def test_helper_with_defaults_and_keywords():
    # d/dx [2x * 3x + 2x + 1] = 12x + 2
    assert ast_ad.grad(twice)(1.5) == pytest.approx(12 * 1.5 + 2)


def countdown(x, n):
    if n == 0:
        return x
    return countdown(math.sin(x), n - 1)


def test_recursion_raises_a_located_error():
    with pytest.raises(ast_ad.UnsupportedSyntaxError) as info:
        ast_ad.grad(countdown)(0.5, 3)
    e = info.value
    assert "recursive" in str(e) and "loop" in str(e)
    assert e.filename == __file__
    assert e.lineno == inspect.getsourcelines(countdown)[1] + 3
    assert "countdown(math.sin(x), n - 1)" in e.source_line


def test_a_helper_is_read_once():
    import importlib
    source = importlib.import_module("ast_ad.source")   # (ast_ad.source is also a function)
    calls = []
    original = source._read_source

    def counting(func):
        calls.append(func.__name__)
        return original(func)

    def fresh_twice(x):        # a new function, so nothing is cached for it yet
        return scaled(x) * scaled(x, 3.0) + scaled(x, shift=1.0)

    source._read_source = counting
    try:
        assert ast_ad.grad(fresh_twice)(1.5) == pytest.approx(12 * 1.5 + 2)
    finally:
        source._read_source = original
    assert calls.count("scaled") <= 1 and "fresh_twice" in calls


@pytest.fixture(autouse=True)
def _helper_module(tmp_path, monkeypatch):
    (tmp_path / "examples_helper_module.py").write_text(
        "import numpy as np\n\n"
        "def logistic_loss(z):\n"
        "    return np.mean(np.log1p(np.exp(-z)))\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield


def test_gradient_through_a_helper_in_another_module():
    import examples_helper_module as m

    def model(w, X):
        return m.logistic_loss(X @ w)

    X = np.array([[1.0, 2.0], [-0.5, 0.3], [0.2, -1.0]])
    w = np.array([0.4, -0.7])
    z = X @ w
    expected = X.T @ (-np.exp(-z) / (1 + np.exp(-z))) / len(z)
    np.testing.assert_allclose(ast_ad.grad(model)(w, X), expected, rtol=1e-12)
