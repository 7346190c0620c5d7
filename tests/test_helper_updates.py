"""Python passes objects: a helper that updates its argument in place
(boundary conditions in simulation code, ``u[0] = 0.0``) changes the
caller's array.  The inlined code must do the same.  Values are compared
with running the plain Python function, gradients with finite differences."""
import os
import sys

import numpy as np
import pytest

import ast_ad

sys.path.insert(0, os.path.dirname(__file__))
import fdcheck  # noqa: E402


def fd_grad(f, x):
    """Central differences of f at x (f gets a copy: it may update it)."""
    return fdcheck.fd_grad(lambda v: f(v.copy()), (x,))


def clamp_ends(u):
    u[0] = 0.0
    u[-1] = 0.0


def smooth_in_place(u):
    for i in range(1, len(u) - 1):
        u[i] = 0.5 * u[i] + 0.25 * (u[i - 1] + u[i + 1])
    return u.sum()


def scale_copy(u):
    u = u * 2.0          # a new object: the caller's array is untouched
    u[0] = 10.0
    return u.sum()


def bump(a):
    a += 1.0             # in place for arrays, a rebinding for floats
    return a


def helper_updates(x):
    y = x * x
    clamp_ends(y)
    return np.sum(y * x)


def helper_with_loop(x):
    y = np.sin(x)
    s = smooth_in_place(y)
    return s + np.sum(y * y)


def called_in_a_loop(x):
    y = x * 1.0
    total = 0.0
    for k in range(3):
        clamp_ends(y)
        y = y * x + 1.0
        total = total + np.sum(y)
    return total


def copy_does_not_leak(x):
    y = x * 3.0
    s = scale_copy(y)
    return s + np.sum(y * x)


def float_is_rebound(x):
    t = x[0] * 1.0
    bumped = bump(t)
    return bumped * t + np.sum(bump(x * 1.0) * x)


def closure_updates(x):
    y = np.cos(x)

    def pin():
        y[1] = 2.0
    pin()
    return np.sum(y * x)


def alias_sees_append(x):
    xs = [x[0]]
    ys = xs
    ys.append(x[1] * 2.0)
    return xs[0] * xs[1]


def list_plus_equals(x):
    xs = [x[0]]
    ys = xs
    ys += [x[1] * 2.0]       # lists are extended in place: xs sees it
    return xs[0] * xs[-1] + len(xs)


def halve_first(u):
    u[0] = u[0] * 0.5


def updated_in_a_loop_through_an_alias(x):
    y = x * 1.0
    z = y                        # the same object
    for k in range(2):
        halve_first(y)           # (y is not assigned in the loop)
    return np.sum(z * x) + np.sum(y)


def closure_called_in_a_loop(x):
    y = x * 1.0

    def pin():
        y[1] = y[1] * 0.5
    for k in range(2):
        pin()
    return np.sum(y * x)


CASES = [updated_in_a_loop_through_an_alias, closure_called_in_a_loop, list_plus_equals, helper_updates, helper_with_loop, called_in_a_loop, copy_does_not_leak,
         float_is_rebound, closure_updates, alias_sees_append]


@pytest.mark.parametrize("f", CASES, ids=lambda f: f.__name__)
def test_value_is_python_s_and_gradient_matches_fd(f):
    x = np.array([0.3, -1.2, 0.8, 1.5])
    value, grad = ast_ad.value_and_grad(f)(x.copy())
    assert np.isclose(value, f(x.copy()))
    np.testing.assert_allclose(grad, fd_grad(f, x), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("f", CASES, ids=lambda f: f.__name__)
def test_forward_mode_agrees(f):
    x = np.array([0.3, -1.2, 0.8, 1.5])
    v = np.array([1.0, 0.5, -2.0, 0.25])
    out, tangent = ast_ad.jvp(f, (x.copy(),), (v,))
    assert np.isclose(out, f(x.copy()))
    assert np.isclose(tangent, fd_grad(f, x) @ v, rtol=1e-6, atol=1e-8)


def test_the_input_itself_is_never_changed():
    x = np.array([0.3, -1.2, 0.8, 1.5])
    keep = x.copy()
    ast_ad.grad(lambda_free_update)(x)
    np.testing.assert_array_equal(x, keep)


def lambda_free_update(x):
    clamp_ends(x)
    return np.sum(x * x)


def iterate(a, n):
    for i in range(n):
        a = a * 1.5 + np.sin(a)     # rebinds `a`: the caller's object is untouched
    return a


def calls_iterate(x):
    y = x * 2.0
    z = iterate(y, 3)
    return np.sum(z * y)


def test_a_name_the_loop_does_not_change_is_not_carried():
    # the caller's object, seen by `iterate` under a hidden name, is not
    # carried through its loop (nor copied before it)
    ssa = ast_ad.source(calls_iterate, mode="ssa")
    assert ssa.count(" = y\n") == 1, ssa          # a = y, nothing else
    x = np.array([0.3, -1.2, 0.8])
    np.testing.assert_allclose(ast_ad.grad(calls_iterate)(x), fd_grad(calls_iterate, x),
                               rtol=1e-6)
