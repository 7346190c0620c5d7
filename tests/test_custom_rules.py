"""User-defined primitives and rules (ast_ad.primitive / defvjp / defjvp):
the rule is what gets differentiated, under grad, jvp and hessian.

Expected values are analytic; a rule that differs on purpose from the
function's true derivative proves that the rule, not the source, was used.
"""
import numpy as np
import pytest

import ast_ad


@ast_ad.primitive
def round_ste(x):
    """Rounding with a straight-through gradient: the true derivative is 0
    almost everywhere, the registered rule says 1."""
    try:                      # (not in the supported subset: never looked inside)
        return np.round(x)
    except TypeError:
        return x


@ast_ad.defvjp(round_ste)
def _round_ste_vjp(g, ans, x):
    return g


@ast_ad.defjvp(round_ste)
def _round_ste_jvp(dx, ans, x):
    return dx


@ast_ad.primitive
def softplus(x):
    return np.log1p(np.exp(x))


@ast_ad.defvjp(softplus)
def _softplus_vjp(g, ans, x):
    return g / (1.0 + np.exp(-x))      # differentiable itself: hessian works


@ast_ad.defjvp(softplus)
def _softplus_jvp(dx, ans, x):
    return dx / (1.0 + np.exp(-x))


W = np.array([0.5, -2.0, 3.0])


def uses_ste(x):
    return np.sum(round_ste(x) * W)


def uses_softplus(x):
    return np.sum(softplus(x) * W)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


X = np.array([0.3, -1.2, 2.6])


def test_grad_uses_the_rule_not_the_source():
    np.testing.assert_allclose(ast_ad.grad(uses_ste)(X), W)   # the source would give 0


def test_jvp_uses_the_rule():
    v = np.array([1.0, 2.0, -1.0])
    out, t = ast_ad.jvp(uses_ste, (X,), (v,))
    assert out == pytest.approx(np.sum(np.round(X) * W))
    assert t == pytest.approx(np.sum(v * W))


def test_hessian_differentiates_the_rule():
    H = ast_ad.hessian(uses_softplus)(X)
    s = sigmoid(X)
    np.testing.assert_allclose(H, np.diag(W * s * (1 - s)), rtol=1e-12, atol=1e-14)


def test_grad_of_a_defvjp_primitive_matches_analytic():
    np.testing.assert_allclose(ast_ad.grad(uses_softplus)(X), W * sigmoid(X), rtol=1e-12)


def test_the_rule_is_inlined_into_the_generated_code():
    g = ast_ad.grad(uses_softplus)
    g(X)
    assert "softplus(x)" in g.source          # the primitive is called...
    assert "np.exp(-x)" in g.source           # ...and its rule written inline


def test_missing_rule_names_defvjp():
    @ast_ad.primitive
    def opaque(x):
        return x * 2.0

    def f(x):
        return np.sum(opaque(x))

    with pytest.raises(ast_ad.NoRuleError, match="defvjp"):
        ast_ad.grad(f)(X)
