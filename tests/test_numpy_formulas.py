"""np.median, np.cross, np.cov, np.quantile, np.cumprod & co., written out as formulas (rules/numpy_formulas.py):
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


def ptp_average(m):
    return (np.ptp(m) + np.sum(np.ptp(m, axis=0) ** 2) + np.average(m)
            + np.sum(np.average(m, axis=1, weights=[1.0, 2.0, 0.5]) ** 2)
            + np.average(m ** 2, weights=m * m + 1.0))


def nan_reductions(x):
    y = np.where(x > 1.5, np.nan, x)         # one NaN among the values
    return np.nansum(y * 2.0) + np.nanmean(y) ** 2 + np.nanmax(y * 2.0) - np.nanmin(y) ** 3


def products(m):
    v = m[0]
    return (np.vdot(m, m[::-1]) + np.sum(np.linalg.matrix_power(m[:, :2] + 1.0, 3))
            + np.sum(np.linalg.matrix_power(m + 2.0, -2))
            + np.sum(np.linalg.multi_dot([m, m.T, m]) ** 2) + np.sum(np.polyval(v, m) ** 2)
            + np.polyval([1.0, -2.0, 0.5], v[0]))


def statistics(m):
    return (np.sum(np.cov(m) ** 2) + np.sum(np.cov(m, rowvar=False, bias=True))
            + np.sum(np.cov(m[0], m[1] * m[0])) + np.sum(np.corrcoef(m) * np.eye(2, 2, 1)))


def running_product(m):
    z = m * np.array([1.0, 0.0, 1.0])          # a zero among the factors
    return (np.sum(np.cumprod(m) ** 2) + np.sum(np.cumprod(z, axis=1) * m)
            + np.sum(np.cumprod(m, axis=0)))


def quantiles(x):
    return (np.quantile(x, 0.3) + np.percentile(x * x, 75) ** 2 + np.quantile(x, 0.5)
            + np.percentile(x, 100) - np.quantile(x, 0.0))


def odd_ones(m):
    grid = np.meshgrid(m[0], m[1, :2])
    ij = np.meshgrid(m[0], m[1], indexing="ij")
    q, r = np.divmod(m * 3.0, 0.65)
    return (np.sum(grid[0] * grid[1] ** 2) + np.sum(ij[0] * ij[1]) + np.sum(r * m)
            + np.sum(np.float_power(m * m + 0.5, 1.5))
            + np.sum(np.nan_to_num(np.log(m * m)) * m))


def sorted_values(x):
    s = sorted(x)
    t = sorted([x[0] * 2.0, x[1], x[2] - 1.0], reverse=True)
    return s[0] + 2.0 * s[-1] ** 2 + sum(s[1:-1]) * 0.5 + t[0] * 3.0 - t[2] ** 2


CASES = [(sorted_values, X), (median_all, X), (median_axes, M), (cross3, M), (cross2, M), (ptp_average, M),
         (nan_reductions, X), (products, M[:, :2].T @ M[:, :2] + np.eye(2)),
         (statistics, M), (running_product, M), (quantiles, X), (odd_ones, M)]


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


def test_formula_refusals_are_located():
    def per_axis(x):
        return np.sum(np.quantile(x, 0.5, axis=0))

    def other_method(x):
        return np.percentile(x, 50, method="nearest")

    def several_q(x):
        return np.sum(np.quantile(x, [0.2, 0.8]))
    for f, words in ((per_axis, "axis=None"), (other_method, "default method"),
                     (several_q, "one q at a time")):
        with pytest.raises(ast_ad.NoRuleError, match=words) as info:
            ast_ad.grad(f)(M)
        assert info.value.filename == __file__


def test_nan_reductions_give_zero_gradient_where_the_nan_was():
    x = np.array([1.0, np.nan, 2.0])
    g = ast_ad.grad(lambda v: np.nansum(v) * 3.0 + np.nanmean(v))(x)
    np.testing.assert_allclose(g, [3.0 + 0.5, 0.0, 3.0 + 0.5])


def test_sorted_of_other_things_is_left_alone():
    def f(x, d):
        total = 0.0
        for k in sorted(d):              # dict keys: ordered, not differentiated
            total = total + d[k] * x
        pairs = sorted([(2, 1.0), (1, 3.0)])
        return total + pairs[0][1] * x + len(sorted("cba"))
    assert ast_ad.grad(f)(0.5, {"b": 2.0, "a": 1.0}) == pytest.approx(6.0)


def average_returned(x, y):
    return np.sum(np.average(x, axis=0, weights=y, returned=True)[0])


def std_positional(x):
    return np.sum(np.std(x, 1, None, None, 1)) + np.var(x, None, None, None, 1)


@pytest.mark.parametrize("f, args", [(average_returned, (M, np.abs(M) + 0.5)),
                                     (std_positional, (M,))], ids=["average", "std"])
def test_positional_and_returned_forms(f, args):
    import sys
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    import fdcheck
    wrt = tuple(range(len(args)))
    value, g = ast_ad.value_and_grad(f, wrt=wrt)(*args)
    assert value == pytest.approx(f(*args), rel=1e-12)
    for a, b in zip(g, fdcheck.fd_grad(f, args, wrt)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)
