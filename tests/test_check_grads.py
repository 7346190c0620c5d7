"""ast_ad.check_grads: passes for right derivatives, raises for wrong ones
(a rule registered wrong on purpose), in both modes and at second order."""
import math

import numpy as np
import pytest

import ast_ad


def smooth(x, y):
    return np.sum(np.sin(x) * y) + math.exp(float(np.sum(x)) * 0.1)


def vector_valued(x):
    return np.tanh(x) * x[::-1]


def test_right_derivatives_pass():
    x = np.array([0.3, -0.7, 1.1])
    ast_ad.check_grads(smooth)(x, 0.5)
    ast_ad.check_grads(smooth, modes=("rev",), order=1, wrt="y")(x, 0.5)
    ast_ad.check_grads(vector_valued)(x)


@ast_ad.primitive
def cube(x):
    return x ** 3


ast_ad.defvjp(cube, lambda g, ans, x: g * 2.0 * x ** 2)        # wrong on purpose: 3x^2
ast_ad.defjvp(cube, lambda dx, ans, x: dx * 3.0 * x ** 2)      # right


def uses_cube(x):
    return np.sum(cube(x))


def test_a_wrong_rule_is_caught_in_reverse_mode_only():
    x = np.array([0.5, 1.5])
    ast_ad.check_grads(uses_cube, modes=("fwd",), order=1)(x)
    with pytest.raises(ast_ad.GradientCheckError, match="reverse mode"):
        ast_ad.check_grads(uses_cube, modes=("rev",), order=1)(x)


@ast_ad.primitive
def square(x):
    return x * x


ast_ad.defvjp(square, lambda g, ans, x: g * 2.0 * x)
ast_ad.defjvp(square, lambda dx, ans, x: dx * 2.0 * x)


def test_second_order_through_a_called_rule_is_checked():
    # the rules are lambdas: called by the gradient, and read (as the
    # functions of primitives they are) when the gradient is differentiated
    # again, so the Hessian is exact: d2/dx2 of 3 x^2 is 6
    def uses_square(x):
        return square(x) * 3.0
    ast_ad.check_grads(uses_square, order=2)(0.7)
    assert ast_ad.hessian(uses_square)(0.7) == pytest.approx(6.0)