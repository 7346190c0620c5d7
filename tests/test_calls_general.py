"""Calls as real code writes them: functions passed as values, partial
application, ``*args``/``**kwargs`` (in helpers, in calls and in the
differentiated function), zip/enumerate/reversed nested in a for loop, and
the methods dict.get, list.extend/pop/insert.  Every gradient is checked
against finite differences of the same function run by Python."""
import functools
import os
import sys

import numpy as np
import pytest

import ast_ad

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fdcheck import assert_grad_matches_fd, fd_grad  # noqa: E402

X3 = np.array([0.3, -0.7, 1.1])
RS = np.random.RandomState(3)
A = RS.randn(5, 3)
Y = RS.randn(5)


def square(z):
    return z * z


# ------------------------------------------------------- functions as values

def apply_sum(x, g):
    return np.sum(g(x))


@pytest.mark.parametrize("g", [np.sin, np.tanh, np.exp, square, lambda z: z ** 3,
                               np.square],
                         ids=["sin", "tanh", "exp", "user", "lambda", "square"])
def test_a_function_passed_as_an_argument_is_called(g):
    assert_grad_matches_fd(apply_sum, (X3, g), wrt=0)


def test_a_partial_passed_as_an_argument():
    # (fdcheck's own check that arguments are unchanged compares a copy of a
    # partial, which is never equal to it: compare with the differences here)
    g = functools.partial(np.multiply, 3.0)
    np.testing.assert_allclose(ast_ad.grad(apply_sum)(X3, g), fd_grad(apply_sum, (X3, g), 0),
                               rtol=1e-6)


def test_each_function_passed_gets_its_own_version():
    gf = ast_ad.grad(apply_sum)
    for g, want in [(np.sin, np.cos(X3)), (square, 2 * X3), (np.sin, np.cos(X3)),
                    (np.tanh, 1 - np.tanh(X3) ** 2)]:
        np.testing.assert_allclose(gf(X3, g), want, rtol=1e-12)
    assert "is not np.tanh" in gf.source     # (the version checks which function it calls)


def model(w, X, activation=np.tanh):
    return np.mean(activation(X @ w) ** 2)


def test_a_default_function_and_a_keyword_one():
    assert_grad_matches_fd(model, (X3, A), wrt=0)
    assert_grad_matches_fd(model, (X3, A, np.sin), wrt=0)
    got = ast_ad.grad(model)(X3, A, activation=np.sin)
    np.testing.assert_allclose(got, fd_grad(model, (X3, A, np.sin), 0), rtol=1e-6)


def test_value_and_grad_and_hessian_with_a_function_argument():
    value, g = ast_ad.value_and_grad(apply_sum)(X3, np.exp)
    assert value == pytest.approx(np.sum(np.exp(X3)))
    np.testing.assert_allclose(g, np.exp(X3), rtol=1e-12)
    np.testing.assert_allclose(ast_ad.hessian(apply_sum)(X3, np.sin), np.diag(-np.sin(X3)),
                               atol=1e-12)


def test_differentiating_with_respect_to_a_function_is_a_clear_error():
    with pytest.raises(ast_ad.DifferentiationError, match="is a function"):
        ast_ad.grad(apply_sum, wrt=1)(X3, np.sin)


def test_generic_source_of_a_call_of_a_parameter_says_why():
    with pytest.raises(ast_ad.UnsupportedSyntaxError, match="known only from the arguments"):
        ast_ad.source(apply_sum)


def partial_inside(x):
    p = functools.partial(np.power, x)
    scaled = functools.partial(square)
    return np.sum(p(3.0)) + np.sum(scaled(x))


def test_partial_made_inside_the_function():
    assert_grad_matches_fd(partial_inside, (X3,), wrt=0)


# ------------------------------------------------------------ *args, **kwargs

def total(*xs, scale=1.0, **kw):
    return scale * sum(xs) * kw["w"]


def star_calls(x):
    kw = {"w": 2.0}
    shape = x.shape
    return total(*x, scale=3.0, **kw) + total(x[0], w=x[1]) + np.sum(np.zeros(*shape) + x ** 2)


def test_star_args_in_helpers_and_calls():
    assert_grad_matches_fd(star_calls, (X3,), wrt=0)


def loss_args(w, *args):
    X, y = args
    return np.mean((X @ w - y) ** 2)


def test_differentiated_function_with_star_args():
    want = 2 * A.T @ (A @ X3 - Y) / len(Y)
    g = ast_ad.grad(loss_args)
    np.testing.assert_allclose(g(X3, A, Y), want, rtol=1e-12)
    np.testing.assert_allclose(g(X3, A, Y), want, rtol=1e-12)      # (the cached version)
    assert_grad_matches_fd(loss_args, (X3, A, Y), wrt=0)
    value, (gw, gargs) = ast_ad.value_and_grad(loss_args, wrt=(0, 1))(X3, A, Y)
    assert value == pytest.approx(loss_args(X3, A, Y))
    fd = fd_grad(lambda w, X, y: loss_args(w, X, y), (X3, A, Y), wrt=(1, 2))
    np.testing.assert_allclose(gargs[0], fd[0], rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(gargs[1], fd[1], rtol=1e-5, atol=1e-7)


def loss_kwargs(w, **options):
    return np.sum((A @ w) ** 2) * options["scale"]


def test_differentiated_function_with_star_star_kwargs():
    got = ast_ad.grad(loss_kwargs)(X3, scale=2.5)
    np.testing.assert_allclose(got, 2.5 * 2 * A.T @ (A @ X3), rtol=1e-12)


def test_other_transformations_of_star_args_say_so():
    with pytest.raises(ast_ad.DifferentiationError, match=r"\*args"):
        ast_ad.vjp(loss_args, X3, A, Y)


# ----------------------------------------------------------- loop iterables

def nested_iterables(x):
    t = 0.0
    for i, (a, b) in enumerate(zip(x, x[::-1]), start=1):
        t += i * a * b
    for a, (i, b) in zip(x, enumerate(reversed(x))):
        t += a * b * i
    pairs = [(x[0], x[1]), (x[2], x[0])]
    for a, b in zip(*pairs):
        t += a * b
    return t + sum([i * a for i, a in enumerate(x)])


def test_zip_enumerate_reversed_nested():
    assert_grad_matches_fd(nested_iterables, (X3,), wrt=0)


# ----------------------------------------------------- container methods

def container_methods(x):
    d = {"a": x[0], "b": x[1]}
    xs = [x[0]]
    xs.extend([x[1], x[2] * 2])
    last = xs.pop()
    first = xs.pop(0)
    xs.insert(0, last * first)
    ys = []
    for i in range(3):
        ys.extend([x[i], x[i] ** 2])
    return d.get("a") * d.get("c", 2.0) + d.get("b", 0.0) + sum(xs) + last + np.sum(
        np.array(ys))


def test_dict_get_and_list_extend_pop_insert():
    assert_grad_matches_fd(container_methods, (X3,), wrt=0)



# ------------------------------------ zip, map & co. outside a for loop

def iterators_as_values(x, w):
    pairs = [(x[0], 1.0), (2.0, x[1])]
    a, b = zip(*pairs)
    total = sum(map(np.sin, [x[0], 2.0 * x[2]]))
    total = total + np.sum(np.array(list(map(lambda u, v: u * v, x, w))))
    total = total + sum(filter(lambda v: v > 0.0, [x[0], -x[1], 3.0 * x[2]]))
    numbered = list(enumerate([x[1], x[2] ** 2]))
    backwards = list(reversed([x[0], 2.0 * x[1]]))
    for y in map(square, x):
        total = total + y * 0.5
    rows = list(np.outer(x, w))
    return (total + a[0] * b[1] + numbered[1][0] * numbered[1][1] + backwards[0] * 3.0
            + np.sum(rows[1] * rows[2]))


def test_zip_map_filter_enumerate_reversed_outside_a_for_loop():
    assert_grad_matches_fd(iterators_as_values, (X3, np.array([2.0, -1.0, 0.5])), wrt=(0, 1))
    ast_ad.check_grads(lambda x: iterators_as_values(x, np.array([2.0, -1.0, 0.5])),
                       modes=("fwd", "rev"), order=2)(X3)


# ------------------------------------ array methods that are NumPy functions
def m_cumsum(x): return np.sum(x.cumsum(axis=1) ** 2)
def m_cumprod(x): return np.sum(x.cumprod() * 2.0)
def m_swapaxes(x): return np.sum(x.swapaxes(0, 1) @ x)
def m_repeat(x): return np.sum(x.repeat(2, axis=0) ** 2)
def m_take(x): return np.sum(x.take([0, 2, 2], axis=1) ** 2)
def m_diagonal_trace(x): return np.sum(x[:, :2].diagonal() ** 3) + x[:, :2].trace()
def m_mT(x): return np.sum(x.mT @ x)
def m_argsort(x): return np.sum(x[0][x[0].argsort()] * x[1])


@pytest.mark.parametrize("f", [m_cumsum, m_cumprod, m_swapaxes, m_repeat, m_take,
                               m_diagonal_trace, m_mT, m_argsort], ids=lambda f: f.__name__)
def test_array_methods(f):
    import fdcheck
    x = np.array([[0.3, 0.7, 1.1], [2.0, 0.5, -0.1]])
    value, g = ast_ad.value_and_grad(f)(x)
    assert value == pytest.approx(f(x), rel=1e-12)
    np.testing.assert_allclose(g, fdcheck.fd_grad(f, (x,), 0), rtol=1e-5, atol=1e-7)
