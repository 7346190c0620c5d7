"""Gradient objects pickle by their function and `wrt` (multiprocessing
sends them to workers); the code is made again where they are loaded."""
import math
import pickle

import numpy as np

import ast_ad


def f(x, y):
    return math.sin(x) * y


def g(w):
    return np.sum(np.tanh(w) ** 2)


def test_grad_round_trips_after_use():
    obj = ast_ad.grad(f, ("x", "y"))
    obj(0.4, 1.5)                         # specialised: the object's class changed
    again = pickle.loads(pickle.dumps(obj))
    assert type(again).__mro__[1] is ast_ad.api.Grad
    gx, gy = again(0.4, 1.5)
    assert math.isclose(gx, math.cos(0.4) * 1.5) and math.isclose(gy, math.sin(0.4))


def test_value_and_grad_round_trips_before_use():
    again = pickle.loads(pickle.dumps(ast_ad.value_and_grad(g)))
    w = np.array([0.2, -0.7])
    value, grad = again(w)
    t = np.tanh(w)
    assert np.isclose(value, np.sum(t ** 2))
    np.testing.assert_allclose(grad, 2 * t * (1 - t ** 2))
