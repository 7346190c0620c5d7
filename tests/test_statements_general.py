"""Statements and idioms of real code: random draws inside the function
(the reparameterisation trick), branches holding code outside the subset
(a plot under ``if ax:``), assert and raise, ``with np.errstate``,
``for ... else``, comprehensions with several ``for`` clauses, attributes
of plain objects and methods of the user's classes.  Gradients are checked
against finite differences of the same function run by Python."""
import os
import sys
import types

import numpy as np
import pytest

import ast_ad

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fdcheck import assert_grad_matches_fd, fd_grad  # noqa: E402

X3 = np.array([0.3, -0.7, 1.1])


# ------------------------------------------------------------- random draws

RS = np.random.RandomState(0)


def elbo_like(mu, rs=RS):
    eps = rs.randn(*mu.shape)
    z = mu + 0.1 * eps
    return np.sum(z ** 2 * rs.normal(size=3))


def made_inside(mu):
    rng = np.random.default_rng(5)
    z = mu + 0.5 * rng.standard_normal(3)
    w = rng.normal(0.0, 1.0, size=(3,))
    return np.sum(np.sin(z) * w) + np.sum(mu * np.random.RandomState(1).randn(3))


def global_stream(mu):
    a = RS.randn(3)
    b = RS.randn(3)
    c = np.random.randn(3)
    return np.sum(mu * b + a) + np.sum(mu * c ** 2)


def _fd_with_reset(f, x, reset):
    out = np.zeros_like(x)
    for i in range(x.size):
        d = np.zeros_like(x)
        d[i] = 1e-6
        reset()
        hi = f(x + d)
        reset()
        lo = f(x - d)
        out[i] = (hi - lo) / 2e-6
    return out


def _reset():
    RS.seed(0)
    np.random.seed(0)


@pytest.mark.parametrize("f", [elbo_like, made_inside, global_stream])
def test_random_draws_are_the_primal_draws(f):
    _reset()
    value, g = ast_ad.value_and_grad(f)(X3)
    _reset()
    assert value == f(X3)           # the same numbers, drawn in the same order
    np.testing.assert_allclose(g, _fd_with_reset(f, X3, _reset), rtol=1e-5, atol=1e-7)


def pathwise(mu):
    return np.sum(RS.normal(mu, 2.0) ** 2) + np.sum(np.random.uniform(mu, mu + 1.0))


def test_a_draw_is_differentiated_along_its_path():
    # (the sample as a function of its parameters: mu + 2 * eps)
    _reset()
    g = ast_ad.grad(pathwise)(X3)
    np.testing.assert_allclose(g, _fd_with_reset(pathwise, X3, _reset), rtol=1e-5, atol=1e-7)


def test_a_draw_without_a_rule_is_refused():
    def f(mu):
        return np.sum(np.random.gamma(mu))
    with pytest.raises(ast_ad.DifferentiationError, match="gamma"):
        ast_ad.grad(f)(X3)


# ------------------------------------------------- branches outside the subset

def with_plot(x, ax=None, verbose=False):
    if ax:
        ax.plot(x)
    y = np.sum(x ** 2)
    if verbose:
        print(f"loss {y}")
    return y


def test_code_outside_the_subset_in_a_branch_not_taken():
    assert_grad_matches_fd(with_plot, (X3,), wrt=0)


def test_the_branch_raises_its_located_error_when_it_runs():
    axes = types.SimpleNamespace(plot=print)     # (not a method of a class of the user's)
    with pytest.raises(ast_ad.UnsupportedSyntaxError, match=r"\.plot\(\)") as info:
        ast_ad.grad(with_plot)(X3, axes)
    assert info.value.filename == __file__ and info.value.lineno is not None


def logged(x, w):
    loss = np.sum((x * w) ** 2)
    key = f"step{1}"                        # made when the code is made
    record = {key: loss, "w": w}             # (a key known when the code is made)
    print(f"loss {loss:.3f} {{w}} {w!r} n={len(x)}")
    return record["step1"] * 2.0 + record[key] * record["w"]


def test_f_strings_print_what_python_prints(capsys):
    assert_grad_matches_fd(logged, (X3, 0.7), wrt=1)
    capsys.readouterr()
    ast_ad.grad(logged, wrt=1)(X3, 0.7)
    logged(X3, 0.7)
    ours, python = capsys.readouterr().out.splitlines()
    assert ours == python == f"loss {np.sum((X3 * 0.7) ** 2):.3f} {{w}} 0.7 n=3"


# ---------------------------------------------------------- assert, raise

def validated(x, n=2):
    assert x.ndim == 1, "a vector"
    assert n > 0
    for _ in range(n):
        if np.any(np.isnan(x)):
            raise FloatingPointError("nan")
        x = x * 2.0
    if x[0] > 100:
        raise ValueError("too big")
    return np.sum(x ** 2)


def test_assert_and_raise_are_kept():
    assert_grad_matches_fd(validated, (X3,), wrt=0)
    with pytest.raises(ValueError, match="too big"):
        ast_ad.grad(validated)(np.array([300.0, 1.0, 1.0]))
    with pytest.raises(AssertionError):
        ast_ad.grad(validated)(X3, 0)


# ------------------------------------------------------ with, for ... else

def errstate_and_else(x):
    with np.errstate(divide="ignore"):
        y = np.log(x ** 2)
    t = 0.0
    for a in y:
        t = t + a
        if t > 0.5:
            t = t * 3
            break
    else:
        t = t - 10
    k = 0
    while k < 2:
        k += 1
    else:
        t = t * x[0]
    return t


@pytest.mark.parametrize("x", [X3, np.array([1.3, 2.7, 1.1])], ids=["else", "break"])
def test_with_errstate_and_loop_else(x):
    assert_grad_matches_fd(errstate_and_else, (x,), wrt=0)


def nested_for_else(x, limit):
    for i in range(3):
        for j in range(3):
            if x[j] * i > limit:
                break
        else:
            x = x * 1.1
    return np.sum(x ** 2)


@pytest.mark.parametrize("limit", [100.0, 1.0], ids=["else", "break"])
def test_for_else_inside_a_loop(limit):
    assert_grad_matches_fd(nested_for_else, (X3, limit), wrt=0)


def test_with_of_other_context_managers_is_refused():
    def f(x):
        with open(__file__):
            y = x * 2
        return y
    with pytest.raises(ast_ad.UnsupportedSyntaxError, match="np.errstate"):
        ast_ad.grad(f)(1.0)


# ----------------------------------------------------------- comprehensions

def nested_comprehensions(x):
    pairs = np.sum([a * b for a in x for b in x if a > b])
    m = np.outer(x, x)
    grid = np.array([[m[i, j] * x[j] for j in range(3)] for i in range(3)])
    return pairs + np.sum(grid ** 2) + sum(a * b * i for i, a in enumerate(x) if i for b in x[:i])


def test_comprehensions_with_several_for_clauses():
    assert_grad_matches_fd(nested_comprehensions, (X3,), wrt=0)


# ------------------------------------------------------ objects and classes

class Config:
    scale = 0.5


CONFIG = Config()


class Model:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        return np.tanh(self.W @ x + self.b)

    def loss(self, x, y):
        return np.sum((self.forward(x) - y) ** 2) * CONFIG.scale


MODEL = Model(RS.randn(2, 3), RS.randn(2))


def model_loss(x, model=MODEL):
    return model.loss(x, np.ones(2))


def test_attributes_and_methods_of_user_objects():
    assert_grad_matches_fd(model_loss, (X3,), wrt=0)
    got = ast_ad.grad(MODEL.loss)(X3, np.ones(2))        # a bound method
    np.testing.assert_allclose(got, fd_grad(model_loss, (X3,), 0), rtol=1e-6, atol=1e-8)


def test_an_attribute_is_never_updated_in_place():
    def f(x):
        W = MODEL.W
        W[0, 0] = 1.0
        return np.sum(W @ x)
    with pytest.raises(ast_ad.UnsupportedSyntaxError, match="in place"):
        ast_ad.grad(f)(X3)


# ------------------------------------------- dicts: comprehensions and views

def scaled_params(params):
    scaled = {k: 2.0 * v for k, v in params.items()}
    return np.sum(scaled["w"] ** 2) + scaled["b"] * np.sum(scaled["w"])


def squares_by_index(x):
    d = {i: x[i] ** 2 for i in range(3)}
    return d[0] * d[2] + d[1]


def sum_of_values(d):
    return sum(d.values()) + sum(v * v for k, v in d.items()) + len(list(d.keys()))


def values_then_rebind(d):
    vs = d.values()
    d["a"] = 10.0 * d["a"]          # Python's view shows the new value
    return sum(vs)


def test_dict_comprehensions_and_views():
    p = {"w": X3.copy(), "b": 0.4}
    assert_grad_matches_fd(scaled_params, (p,))
    assert_grad_matches_fd(squares_by_index, (X3,))
    assert_grad_matches_fd(sum_of_values, ({"a": 0.5, "b": -1.5},))
    # a dict rebound while a view of it is bound: refused, not answered stale
    with pytest.raises(ast_ad.UnsupportedSyntaxError, match="dict.values"):
        ast_ad.grad(values_then_rebind)({"a": 1.0, "b": 2.0})


# ------------------------------------- rows of one array copied into another

def copy_rows(x):
    U = np.zeros((3, 3))
    U[1, :] = x
    U[0, :] = U[1, :]
    U[:, 2] = 2.0 * U[:, 1]
    return np.sum(U ** 2)


def shift_rows(x):
    U = np.outer(x, x)
    U[1:, :] = U[:-1, :]            # overlapping rows: NumPy's order of copying
    return np.sum(U)


def test_copies_between_parts_that_share_no_memory():
    assert_grad_matches_fd(copy_rows, (X3,))
    with pytest.raises(ast_ad.UnsupportedSyntaxError, match="view of the same array"):
        ast_ad.grad(shift_rows)(X3)
