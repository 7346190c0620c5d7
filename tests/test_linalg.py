"""np.linalg.inv, det, slogdet, solve and cholesky, and the products
tensordot, inner and kron: gradients (both modes) and second order against
finite differences, for matrices and stacks of them."""
import os
import sys

import numpy as np
import pytest

import ast_ad

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fdcheck import assert_grad_matches_fd, fd_grad  # noqa: E402

RNG = np.random.default_rng(7)
A = RNG.normal(size=(3, 3)) + 3.0 * np.eye(3)
A2 = RNG.normal(size=(3, 3)) + 2.0 * np.eye(3)
B = RNG.normal(size=(3, 2))
b = RNG.normal(size=3)
STACK = np.stack([A, A2])


def inv_sq(a):
    return np.sum(np.linalg.inv(a) ** 2)


def det_sq(a):
    return np.linalg.det(a) ** 2


def logdet(a):
    return np.log(np.abs(np.linalg.det(a)))


def solve_vec(a, v):
    return np.sum(np.linalg.solve(a, v) ** 2)


def solve_mat(a, m):
    return np.sum(np.sin(np.linalg.solve(a, m)))


def det_stack(s):
    return np.sum(np.linalg.det(s) * np.array([1.0, -0.5]))


def inv_stack(s):
    return np.sum(np.linalg.inv(s)[:, 0, :] ** 2)


def gaussian_nll(L, y):
    # a covariance made positive definite, its inverse and log-determinant
    S = L @ L.T + np.eye(3)
    return 0.5 * (np.log(np.linalg.det(S)) + y @ np.linalg.inv(S) @ y)


def solve_in_loop(a, v):
    x = v
    for _ in range(3):
        x = np.linalg.solve(a, x) + v
    return np.sum(x * x)


def slogdet_parts(a):
    sign, logabs = np.linalg.slogdet(a)
    return sign * logabs + np.linalg.slogdet(a @ a.T)[1]


def slogdet_stack(s):
    return np.sum(np.linalg.slogdet(s)[1] * np.array([1.0, -0.5]))


def cholesky_loss(a):
    L = np.linalg.cholesky(a @ a.T + np.eye(3))
    return np.sum(np.log(np.diag(L))) + np.sum(np.sin(L))


def cholesky_stack(s):
    L = np.linalg.cholesky(s @ np.swapaxes(s, -1, -2) + np.eye(3))
    return np.sum(L[:, :, 0] ** 2) + np.sum(L[1] * A)


def eigh_parts(a):
    w, v = np.linalg.eigh(a + a.T)
    return np.sum(w * np.array([1.0, -2.0, 0.5])) + np.sum(v[:, 0] ** 2 * np.arange(1.0, 4.0))


def eigh_lower_triangle(a):
    # (a non-symmetric argument: NumPy reads its lower triangle)
    w, v = np.linalg.eigh(a)
    return np.sum(np.sin(w)) + np.sum((v * v) @ np.arange(1.0, 4.0)) + np.sum(
        np.linalg.eigvalsh(a @ a.T))


def tensordot_axes(a, m):
    return np.sum(np.tanh(np.tensordot(a, m, axes=([0], [0])))) + np.sum(
        np.tensordot(a, a, axes=2) * np.tensordot(a, m[:, 0], 1))


def inner_kron(a, v):
    return np.sum(np.inner(a, v) ** 2) + np.sum(np.kron(a, a[:2, :2]) ** 2) + np.sum(
        np.kron(v, v) * np.arange(9.0))


CASES = [
    (inv_sq, (A,), 0), (det_sq, (A,), 0), (logdet, (A2,), 0),
    (solve_vec, (A, b), (0, 1)), (solve_mat, (A, B), (0, 1)),
    (det_stack, (STACK,), 0), (inv_stack, (STACK,), 0),
    (gaussian_nll, (A, b), (0, 1)), (solve_in_loop, (A, b), (0, 1)),
    (slogdet_parts, (A,), 0), (slogdet_stack, (STACK,), 0),
    (cholesky_loss, (A,), 0), (cholesky_stack, (STACK,), 0),
    (tensordot_axes, (A, B), (0, 1)), (inner_kron, (A, b), (0, 1)),
    (eigh_parts, (A,), 0), (eigh_lower_triangle, (A,), 0),
]


def test_products_are_printed_as_the_einsum_they_compute():
    g = ast_ad.grad(tensordot_axes)
    g(A, B)
    assert "np.einsum('ab,ac->bc'" in g.source


@pytest.mark.parametrize("f,args,wrt", CASES, ids=[c[0].__name__ for c in CASES])
def test_reverse_matches_fd(f, args, wrt):
    assert_grad_matches_fd(f, args, wrt=wrt)


@pytest.mark.parametrize("f,args,wrt", CASES, ids=[c[0].__name__ for c in CASES])
def test_forward_matches_fd(f, args, wrt):
    x = args[0]
    direction = np.random.default_rng(1).normal(size=x.shape)
    tangents = (direction,) + tuple(np.zeros_like(a) for a in args[1:])
    _, tangent = ast_ad.jvp(f, args, tangents)
    expected = np.sum(fd_grad(f, args, wrt=0) * direction)
    assert np.allclose(tangent, expected, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("f,args,wrt", CASES, ids=[c[0].__name__ for c in CASES])
def test_hvp_matches_fd_of_gradient(f, args, wrt):
    x = args[0]
    v = np.random.default_rng(2).normal(size=x.shape)
    hv = ast_ad.hvp(f)(*args, v)
    g = ast_ad.grad(f)
    h = 1e-5
    plus = g(*((x + h * v,) + args[1:]))
    minus = g(*((x - h * v,) + args[1:]))
    assert np.allclose(hv, (plus - minus) / (2 * h), rtol=1e-4, atol=1e-6)



# ------------------------------------------- spectral norms of a matrix

SPECTRAL = np.array([[1.0, 0.3, 0.2], [0.1, 2.0, 0.4], [0.3, 0.5, 1.5], [0.2, -0.3, 0.7]])


def spectral_penalty(W):
    return (np.sum(W ** 2) + 0.1 * np.linalg.norm(W @ W.T + W[:, :1], 2)
            + np.linalg.norm(W, -2) + 0.5 * np.linalg.norm(W * 2.0, "nuc"))


def test_matrix_2_and_nuclear_norms_first_order():
    assert_grad_matches_fd(spectral_penalty, (SPECTRAL,), wrt=0)
    _, tangent = ast_ad.jvp(spectral_penalty, (SPECTRAL,), (np.ones_like(SPECTRAL),))
    assert tangent == pytest.approx(np.sum(fd_grad(spectral_penalty, (SPECTRAL,), 0)), rel=1e-6)


def test_matrix_2_norm_hessian_is_refused_not_wrong():
    with pytest.raises(ast_ad.DifferentiationError, match="second derivatives"):
        ast_ad.hessian(spectral_penalty)(SPECTRAL)
