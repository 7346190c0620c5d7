"""np.einsum: gradients in both modes and second order against finite
differences (check_grads), and the forms that are refused."""
import numpy as np
import pytest

import ast_ad

RNG = np.random.default_rng(1)
A = RNG.normal(size=(3, 4))
B = RNG.normal(size=(4, 2))
C = RNG.normal(size=(2, 3))
V = RNG.normal(size=4)


def matmul(a):
    return np.sum(np.sin(np.einsum('ij,jk->ik', a, B)))


def matvec(a):
    return np.sum(np.einsum('ij,j->i', a, V) ** 2)


def implicit_output(a):
    return np.sum(np.einsum('ij,jk', a, B) ** 2)


def summed_in_one_operand(a):
    return np.sum(np.einsum('ij->i', a) ** 2)


def outer(x):
    return np.sum(np.einsum('i,j->ij', x, x) ** 2)


def dot(x):
    return np.einsum('i,i->', x, x) ** 2


def chain_of_three(a):
    return np.sum(np.einsum('ij,jk,kl->il', a, B, C) ** 2)


def batched(a):
    return np.sum(np.einsum('bij,bj->bi', np.stack([a, 2.0 * a]), np.stack([V, V])) ** 2)


def bilinear_form(x, M):
    return np.einsum('i,ij,j->', x, M, x)


CASES = [matmul, matvec, implicit_output, summed_in_one_operand, chain_of_three, batched]


@pytest.mark.parametrize("f", CASES, ids=[f.__name__ for f in CASES])
def test_matrix_argument(f):
    ast_ad.check_grads(f, modes=("fwd", "rev"), order=2)(A)


@pytest.mark.parametrize("f", [outer, dot], ids=["outer", "dot"])
def test_vector_argument(f):
    ast_ad.check_grads(f, modes=("fwd", "rev"), order=2)(V)


def test_bilinear_form_both_arguments():
    M = RNG.normal(size=(4, 4))
    gx, gM = ast_ad.grad(bilinear_form, wrt=(0, 1))(V, M)
    np.testing.assert_allclose(gx, (M + M.T) @ V, rtol=1e-12)
    np.testing.assert_allclose(gM, np.outer(V, V), rtol=1e-12)


def test_diagonal_and_ellipsis_are_refused_with_location():
    def trace(x):
        return np.einsum('ii->', x)

    def ellipsis(x):
        return np.sum(np.einsum('...i->...', x))
    for f in (trace, ellipsis):
        with pytest.raises(ast_ad.NoRuleError) as info:
            ast_ad.grad(f)(np.eye(3))
        assert info.value.lineno is not None
