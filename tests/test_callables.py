"""grad & co. of callables without Python source of their own: a primitive
with a derivative rule (``grad(np.sin)``) and ``functools.partial``.
Expected values are the analytic derivatives."""
import functools
import math
import pickle

import numpy as np
import pytest

import ast_ad


def scaled_sin(a, x, scale=1.0):
    return scale * a * np.sin(x)


def weighted(w, x):
    return np.sum(w * np.tanh(x))


X = 0.7


def test_grad_of_a_ufunc_and_a_math_function():
    assert ast_ad.grad(np.sin)(X) == pytest.approx(math.cos(X))
    assert ast_ad.grad(math.exp)(X) == pytest.approx(math.exp(X))
    assert ast_ad.grad(np.tanh)(X) == pytest.approx(1 - math.tanh(X) ** 2)
    v, g = ast_ad.value_and_grad(np.log)(X)
    assert (v, g) == (pytest.approx(math.log(X)), pytest.approx(1 / X))
    g1, g2 = ast_ad.grad(math.atan2, wrt=(0, 1))(1.0, 2.0)
    assert (g1, g2) == (pytest.approx(2 / 5), pytest.approx(-1 / 5))
    g1, g2 = ast_ad.grad(np.hypot, wrt=(0, 1))(3.0, 4.0)
    assert (g1, g2) == (pytest.approx(3 / 5), pytest.approx(4 / 5))


def test_every_mode_of_a_primitive():
    assert ast_ad.hessian(np.sin)(X) == pytest.approx(-math.sin(X))
    assert ast_ad.hvp(np.sin)(X, 2.0) == pytest.approx(-2 * math.sin(X))
    out, t = ast_ad.jvp(np.exp, (X,), (3.0,))
    assert (out, t) == (pytest.approx(math.exp(X)), pytest.approx(3 * math.exp(X)))
    x = np.array([0.1, -0.4, 2.0])
    for mode in ("fwd", "rev"):
        np.testing.assert_allclose(ast_ad.jacobian(np.sin, mode=mode)(x), np.diag(np.cos(x)))
    out, vjp_fn = ast_ad.vjp(np.cos, x)
    np.testing.assert_allclose(vjp_fn(np.ones(3))[0], -np.sin(x))
    np.testing.assert_allclose(ast_ad.grad(np.sum)(x), np.ones(3))
    np.testing.assert_allclose(ast_ad.grad(np.mean)(x), np.full(3, 1 / 3))


def test_a_primitive_shows_its_code_and_trace():
    assert "np.cos(x)" in ast_ad.source(np.sin)
    assert "np.sin(x)" in str(ast_ad.ssa(np.sin))
    rows = ast_ad.trace(np.sin, X).rows
    assert rows[-1].value == pytest.approx(math.sin(X))
    assert rows[0].adjoint == pytest.approx(math.cos(X))


def test_a_user_primitive_uses_its_rule():
    @ast_ad.primitive
    def cube(x):            # (a `try` is outside the subset: only the rule can be used)
        try:
            return x * x * x
        except TypeError:
            return None

    @ast_ad.defvjp(cube)
    def cube_vjp(g, ans, x):
        return g * 3.0 * x * x

    assert ast_ad.grad(cube)(2.0) == pytest.approx(12.0)


def test_the_object_keeps_what_was_given():
    g = ast_ad.grad(np.sin)
    assert g.__wrapped__ is np.sin and g.__name__ == "sin"
    assert repr(g) == "<grad of sin w.r.t. x>"
    assert pickle.loads(pickle.dumps(g))(X) == pytest.approx(math.cos(X))


def test_grad_of_a_partial():
    p = functools.partial(scaled_sin, 2.0, scale=3.0)
    assert ast_ad.grad(p)(X) == pytest.approx(6 * math.cos(X))
    # a bound keyword: the parameters after it are left to the caller
    q = functools.partial(scaled_sin, a=2.0)
    assert ast_ad.grad(q)(x=X) == pytest.approx(2 * math.cos(X))
    assert ast_ad.grad(q, wrt="x")(X) == pytest.approx(2 * math.cos(X))
    # the partial's own default is kept
    r = functools.partial(scaled_sin, 2.0)
    assert ast_ad.grad(r, wrt="x")(X) == pytest.approx(2 * math.cos(X))
    assert ast_ad.grad(r, wrt=(0, 1))(X, 5.0) == (pytest.approx(10 * math.cos(X)),
                                                    pytest.approx(2 * math.sin(X)))
    assert ast_ad.hessian(r)(X) == pytest.approx(-2 * math.sin(X))


def test_a_partial_binding_an_array_and_of_a_ufunc():
    w = np.array([1.0, -2.0, 0.5])
    x = np.array([0.3, 0.1, -1.2])
    np.testing.assert_allclose(ast_ad.grad(functools.partial(weighted, w))(x),
                               w * (1 - np.tanh(x) ** 2))
    two_to_the = functools.partial(np.power, 2.0)
    assert ast_ad.grad(two_to_the)(3.0) == pytest.approx(8 * math.log(2))
    v, g = ast_ad.value_and_grad(two_to_the)(3.0)
    assert v == pytest.approx(8.0)


def test_a_callable_without_a_signature_or_rule_says_why():
    class Opaque:
        def __call__(self, x):
            return x
    with pytest.raises(ast_ad.DifferentiationError):
        ast_ad.grad(Opaque())(1.0)
