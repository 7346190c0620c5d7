"""Code specialised to the arguments' shapes: what it may assume, and that
the gradients stay exact (compared with central finite differences)."""
import math

import os
import sys

import numpy as np
import pytest

import ast_ad

sys.path.insert(0, os.path.dirname(__file__))
import fdcheck  # noqa: E402


def check_fd(f, args, tol=1e-6):
    for wrt in range(len(args)):
        got = ast_ad.grad(f, wrt)(*args)
        want = fdcheck.fd_grad(f, args, wrt)
        assert np.shape(got) == np.shape(args[wrt])
        assert np.allclose(got, want, rtol=tol, atol=tol), (wrt, got, want)


def reductions(x, w):
    s = np.sum(x * w, axis=0)
    return np.mean(s) + np.max(x, axis=1).sum() - np.min(w) + np.prod(w[:2])


def test_reductions_of_known_arrays_are_spelled_as_methods():
    # np.sum(x, axis=...) spends most of its time, on small arrays, in a
    # Python wrapper; the ndarray method does the same reduction without it
    rng = np.random.default_rng(0)
    args = (rng.standard_normal((4, 3)), rng.standard_normal((4, 3)))
    g = ast_ad.grad(reductions, (0, 1))
    g(*args)
    src = "\n".join(line for line in g.source.splitlines()
                    if not line.strip().startswith("#"))
    assert "np.sum(" not in src and "np.mean(" not in src and "np.max(" not in src
    assert ".max(axis=1)" in src and ".min()" in src
    check_fd(reductions, args)


def test_method_spelling_needs_an_array():
    # a Python float has no .sum(): the function form stays
    def f(x):
        return np.sum(x * 2.0) + np.max(x)
    g = ast_ad.grad(f)
    assert g(1.5) == pytest.approx(3.0)
    assert "np.sum(" in g.source or ".sum(" not in g.source


# ---------------------------------------------------------------- zero sums

def softmax_cross_entropy(logits, Y):
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return -np.mean(np.sum(Y * log_probs, axis=1))


def log_softmax_columns(z, w):
    shifted = z - np.max(z, axis=0, keepdims=True)
    return np.sum(w * (shifted - np.log(np.sum(np.exp(shifted), axis=-2, keepdims=True))))


def sum_of_squared_deviations(x):
    d = x - np.mean(x, axis=-1, keepdims=True)
    return np.sum(d * d)


def softmax_sum(x):
    # not shift-invariant: the gradient through the max is not zero
    return np.sum(np.exp(x - np.max(x, axis=1, keepdims=True)) * np.arange(1.0, 4.0))


def code_lines(g):
    return "\n".join(line for line in g.source.splitlines() if not line.strip().startswith("#"))


@pytest.mark.parametrize("f, make_args", [
    # soft labels: rows of Y do not sum to one
    (softmax_cross_entropy, lambda rng: (rng.standard_normal((5, 3)), rng.uniform(0, 1, (5, 3)))),
    (log_softmax_columns, lambda rng: (rng.standard_normal((4, 3)), rng.standard_normal((4, 3)))),
])
def test_shift_invariant_softmax_has_no_gradient_through_the_max(f, make_args):
    args = make_args(np.random.default_rng(3))
    g = ast_ad.grad(f, 0)
    g(*args)
    # the adjoint of the max subtraction sums to zero: no mask, no count
    assert "np.equal" not in code_lines(g) and "mask" not in code_lines(g)
    check_fd(f, args)


def test_centring_adjoint_sum_is_zero():
    x = np.random.default_rng(4).standard_normal((3, 5))
    g = ast_ad.grad(sum_of_squared_deviations)
    g(x)
    # the mean's adjoint is -sum(2 * d) / n, and sum(d) = 0 along the axis
    assert code_lines(g).count(".sum(") == 0, g.source
    check_fd(sum_of_squared_deviations, (x,))


def test_a_sum_that_is_not_zero_stays():
    x = np.random.default_rng(5).standard_normal((4, 3))
    g = ast_ad.grad(softmax_sum)
    g(x)
    assert "np.equal" in code_lines(g)
    check_fd(softmax_sum, (x,))


# ------------------------------------------------------- list-of-numbers check

def horner(coeffs, x):
    result = 0.0
    for c in coeffs:
        result = result * x + c
    return result


def horner_derivative(coeffs, x):
    n = len(coeffs) - 1
    return sum(c * (n - k) * x ** (n - k - 1) for k, c in enumerate(coeffs[:-1]))


def test_a_list_of_numbers_is_checked_by_its_element_types():
    # differentiated w.r.t. the list: its element types are checked first
    g = ast_ad.grad(horner, 0)
    floats = [0.5, -1.0, 2.0, 0.25]
    g(floats, 0.7)
    assert "list(map(type, coeffs)) != types" in g.source


def test_element_checks_of_a_data_list_are_deferred_to_the_results():
    # the coefficients are data and horner is plain arithmetic: the first
    # line checks the length, the last ones that the results are floats
    g = ast_ad.grad(horner, 1)
    floats = [0.5, -1.0, 2.0, 0.25]
    assert g(floats, 0.7) == pytest.approx(horner_derivative(floats, 0.7))
    assert "len(coeffs) != 4" in g.source and "list(map(type" not in g.source
    assert "return _strict(coeffs, x)" in g.source
    # other numbers, another length, NumPy scalars (the results are not
    # floats: the strict version answers); each is exact, and the floats
    # still take the fast path afterwards
    for coeffs in ([1, -1.0, 2, 0.25], [0.5, -1.0, 2.0],
                   [np.float64(0.5), -1.0, 2.0, 0.25], [0.5, 1j, 2.0, 0.25]):
        assert g(coeffs, 0.7) == pytest.approx(horner_derivative(coeffs, 0.7))
        assert g(floats, 0.7) == pytest.approx(horner_derivative(floats, 0.7))
    assert type(g(floats, 0.7)) is float


def test_deferred_checks_need_plain_arithmetic():
    g = ast_ad.grad(lambda_free_sum_horner, 1)
    g([0.5, -1.0, 2.0], 0.7)
    assert "list(map(type, coeffs)) != types" in g.source      # np.sum: not deferred
    with_array = [0.5, np.array([1.0, -1.0]), 2.0]
    # d/dx sum(0.5 x^2 + [1, -1] x + 2) = sum(x + [1, -1])
    assert g(with_array, 0.7) == pytest.approx(2 * 0.7)


def lambda_free_sum_horner(coeffs, x):
    return np.sum(horner(coeffs, x))


def weighted_recurrence(coeffs, x, y):
    s = 0.0
    for c in coeffs:
        s = s * x + math.sin(c * y)
    return s * y


def branch_on_element(coeffs, x):
    s = 0.0
    for c in coeffs:
        if c > 0:
            s = s + c * x
    return s


def test_deferred_checks_in_reverse_mode():
    g = ast_ad.value_and_grad(weighted_recurrence, (1, 2))
    coeffs, x, y = [0.5, -1.0, 2.0], 0.7, 1.3
    value, (gx, gy) = g(coeffs, x, y)
    assert "len(coeffs) != 3" in g.source and "_strict" in g.source
    eps = 1e-6
    assert value == pytest.approx(weighted_recurrence(coeffs, x, y))
    assert gx == pytest.approx((weighted_recurrence(coeffs, x + eps, y)
                                - weighted_recurrence(coeffs, x - eps, y)) / (2 * eps), rel=1e-6)
    assert gy == pytest.approx((weighted_recurrence(coeffs, x, y + eps)
                                - weighted_recurrence(coeffs, x, y - eps)) / (2 * eps), rel=1e-6)
    # an array element: math.sin refuses it in the primal too
    with pytest.raises(TypeError):
        g([0.5, np.array([1.0, 2.0]), 2.0], x, y)
    # NumPy scalars: the results are NumPy scalars, the strict version answers
    v2, (gx2, gy2) = g([np.float64(c) for c in coeffs], x, y)
    assert (v2, gx2, gy2) == pytest.approx((value, gx, gy))


def test_a_branch_on_an_element_keeps_the_checks_first():
    g = ast_ad.grad(branch_on_element, 1)
    assert g([0.5, -1.0, 2.0], 0.7) == pytest.approx(2.5)
    assert "list(map(type, coeffs)) != types" in g.source


def test_only_lists_checked_by_element_types_defer_their_checks():
    # NumPy scalar elements are checked by their types on the first line (the
    # version's cache key says what its first line checks)
    g = ast_ad.grad(horner, 1)
    coeffs = [np.float64(0.5), -1.0, 2.0]
    assert g(coeffs, 0.7) == pytest.approx(horner_derivative(coeffs, 0.7))
    assert "map(type, coeffs)" in g.source and "_strict" not in g.source
    floats = [0.5, -1.0, 2.0]
    assert g(floats, 0.7) == pytest.approx(horner_derivative(floats, 0.7))
    assert "len(coeffs) != 3" in g.source
