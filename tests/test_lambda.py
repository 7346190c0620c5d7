"""A lambda as the function differentiated: ``grad(lambda w: loss(w, X))``."""
import math
import os
import sys

import numpy as np
import pytest

import ast_ad

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fdcheck import assert_grad_matches_fd  # noqa: E402

X = np.array([[1.0, 2.0], [0.5, -1.0], [2.0, 0.3]])
Y = np.array([1.0, 0.0, 2.0])


def loss(w, X, y):
    return np.sum((X @ w - y) ** 2)


def test_lambda_closing_over_data():
    w = np.array([0.3, -0.2])
    assert_grad_matches_fd(lambda w: loss(w, X, Y), (w,))
    np.testing.assert_allclose(ast_ad.grad(lambda w: loss(w, X, Y))(w), 2 * X.T @ (X @ w - Y))


def test_two_lambdas_on_one_line_are_told_apart():
    if sys.version_info < (3, 11):
        pytest.skip("code positions (co_positions) need Python 3.11")
    square, cube = ast_ad.grad(lambda a: a * a), ast_ad.grad(lambda a: a * a * a)
    assert square(2.0) == 4.0
    assert cube(2.0) == 12.0


def test_lambda_over_several_lines():
    g = ast_ad.grad(
        lambda w: np.sum(
            np.sin(w) * w))
    w = np.array([0.4, -1.1])
    np.testing.assert_allclose(g(w), np.cos(w) * w + np.sin(w))


def test_lambda_with_default_and_second_order():
    h = ast_ad.hessian(lambda w, k=3.0: k * np.sum(w ** 3))
    w = np.array([0.5, 2.0])
    np.testing.assert_allclose(h(w), np.diag(18.0 * w))
    assert ast_ad.grad(lambda x: math.exp(2.0 * x))(0.5) == pytest.approx(2.0 * math.exp(1.0))


def test_errors_in_a_lambda_point_at_its_line():
    with pytest.raises(ast_ad.UnsupportedSyntaxError) as info:
        ast_ad.grad(lambda x: x * undefined_name)(1.0)  # noqa: F821
    e = info.value
    assert e.filename == __file__
    assert "undefined_name" in e.source_line
