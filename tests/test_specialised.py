"""Code specialised to the arguments' shapes: what it may assume, and that
the gradients stay exact (compared with central finite differences)."""
import numpy as np
import pytest

import ast_ad


def fd_grad(f, args, wrt, eps=1e-6):
    x = np.array(args[wrt], dtype=float)
    g = np.zeros_like(x)
    for k in range(x.size):
        e = np.zeros_like(x)
        e.flat[k] = eps
        plus = list(args); plus[wrt] = x + e
        minus = list(args); minus[wrt] = x - e
        g.flat[k] = (f(*plus) - f(*minus)) / (2 * eps)
    return g


def check_fd(f, args, tol=1e-6):
    for wrt in range(len(args)):
        got = ast_ad.grad(f, wrt)(*args)
        want = fd_grad(f, args, wrt)
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
