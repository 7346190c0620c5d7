"""np.median and np.cross, written out as formulas (rules/numpy_formulas.py):
values equal NumPy's, every mode up to second order against finite
differences, and the arguments a formula does not follow are refused at the
user's line."""
import warnings

import numpy as np
import pytest

import ast_ad

X = np.array([0.3, -0.7, 1.1, 2.0])
M = np.array([[0.3, -0.7, 1.1], [2.0, 0.5, -0.1]])


def median_all(x):
    return np.median(x) * 2.0 + np.median(x[:3]) ** 2


def median_axes(m):
    return np.sum(np.median(m, axis=0) ** 2) + np.sum(np.median(m, axis=1, keepdims=True) * m)


def cross3(m):
    return np.sum(np.cross(m, m[::-1] * 2.0) ** 2) + np.sum(np.cross(m[0], m[1] ** 2))


def cross2(m):
    return np.sum(np.cross(m[:, :2], m[:, 1:]) * np.array([1.0, -2.0]))


CASES = [(median_all, X), (median_axes, M), (cross3, M), (cross2, M)]


def _cross_takes_2_vectors():
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            np.cross(np.ones(2), np.ones(2))
        return True
    except ValueError:      # (newer NumPy: 3-vectors only)
        return False


@pytest.mark.parametrize("f, x", CASES, ids=[c[0].__name__ for c in CASES])
def test_value_and_every_mode(f, x):
    if f is cross2 and not _cross_takes_2_vectors():
        pytest.skip("this NumPy's np.cross takes 3-vectors only")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)    # (NumPy 2's 2-d cross)
        value, _ = ast_ad.value_and_grad(f)(x)
        assert value == pytest.approx(f(x), rel=1e-12)
        ast_ad.check_grads(f, modes=("fwd", "rev"), order=2)(x)


def test_median_of_values_with_a_nan_is_nan():
    value, _ = ast_ad.value_and_grad(lambda x: np.median(x))(np.array([1.0, np.nan, 2.0]))
    assert np.isnan(value)


def test_an_argument_the_formula_does_not_follow_is_refused_at_the_call():
    def f(m):
        return np.sum(np.cross(m, m, axis=0))
    with pytest.raises(ast_ad.NoRuleError, match="last axis") as info:
        ast_ad.grad(f)(np.ones((3, 2)))
    assert info.value.filename == __file__
