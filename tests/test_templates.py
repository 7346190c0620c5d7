"""Inlined derivative rules are lowered once per binding pattern and copied
afterwards (inline._TEMPLATES).  A copy must behave exactly like a fresh
lowering: same operand aliasing, same constants, fresh variables."""
import numpy as np

import ast_ad
from ast_ad import inline


def squares(x, y):
    return x * x + x * y + y * y + (x * 2.0) * (y * 3.0)


def test_aliased_and_distinct_operands_are_different_patterns():
    # x * x binds one Var twice; x * y two Vars: their rules differ
    g = ast_ad.grad(squares, (0, 1))
    for x, y in [(1.5, -0.5), (0.25, 2.0)]:
        gx, gy = g(x, y)
        assert np.isclose(gx, 2 * x + y + 6.0 * y)
        assert np.isclose(gy, x + 2 * y + 6.0 * x)


def sums(a):
    return np.sum(np.sum(a, axis=0) ** 2) + np.sum(np.sum(a, axis=1) ** 3) + np.sum(a, axis=-1)[0]


def test_constants_are_part_of_the_pattern():
    a = np.arange(6.0).reshape(2, 3) / 7.0
    want = 2 * np.sum(a, axis=0)[None, :] + 3 * np.sum(a, axis=1)[:, None] ** 2
    want = want + np.array([[1.0], [0.0]])
    np.testing.assert_allclose(ast_ad.grad(sums)(a), want)


def test_copies_generate_the_same_code_as_fresh_lowerings():
    for mode in ("reverse", "forward"):
        inline._TEMPLATES.clear()
        fresh = ast_ad.source(squares, mode=mode, wrt=(0, 1))
        assert inline._TEMPLATES
        assert ast_ad.source(squares, mode=mode, wrt=(0, 1)) == fresh
        inline._TEMPLATES.clear()
        fresh = ast_ad.source(sums, mode=mode)
        assert ast_ad.source(sums, mode=mode) == fresh
