"""Compiled derivatives (``jit=True``): the generated code through Numba.

Skipped where Numba is not installed (it is the optional ``jit`` extra;
CI installs it).  Values are compared with plain Python running the same
function, gradients with central finite differences."""
import math
import warnings

import numpy as np
import pytest

import ast_ad

numba = pytest.importorskip("numba")

SCALE = 0.5     # a module global the differentiated code reads


def fd(f, args, k, h=1e-6):
    """Central difference of f w.r.t. argument k (a float or an array)."""
    x = args[k]
    if isinstance(x, float):
        up = list(args); up[k] = x + h
        dn = list(args); dn[k] = x - h
        return (f(*up) - f(*dn)) / (2 * h)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x); e[i] = h
        up = list(args); up[k] = x + e
        dn = list(args); dn[k] = x - e
        g[i] = (f(*up) - f(*dn)) / (2 * h)
    return g


def decay(k, y0, dt, n):
    y = y0
    t = 0.0
    for i in range(n):
        y = y + dt * (math.sin(t) - k * y)
        t = t + dt
    return y


def horner(coeffs, x):
    p = 0.0
    for c in coeffs:
        p = p * x + c
    return p


def prices(S, K, sigma):
    total = 0.0
    for i in range(len(S)):
        d = (math.log(S[i] / K[i]) + 0.5 * sigma[i] ** 2) / sigma[i]
        total += S[i] * 0.5 * (1.0 + math.erf(d / math.sqrt(2.0))) * SCALE
    return total


def pairwise(pos, m):
    e = 0.0
    for i in range(pos.shape[0]):
        for j in range(i + 1, pos.shape[0]):
            d = pos[j] - pos[i]
            e -= m[i] * m[j] / np.sqrt(np.sum(d * d) + 0.1)
    return e


def logistic(w, X, y):
    p = 1.0 / (1.0 + np.exp(-(X @ w)))
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


_R = np.random.default_rng(3)
CASES = [
    (decay, (0.7, 1.0, 0.01, 50), (0, 1)),
    (horner, (_R.normal(size=8), 0.6), (0, 1)),
    (prices, (_R.uniform(80, 120, 6), _R.uniform(80, 120, 6), _R.uniform(0.1, 0.4, 6)), (0, 2)),
    (pairwise, (_R.normal(size=(4, 3)), _R.uniform(1, 2, 4)), (0, 1)),
    (logistic, (_R.normal(size=3), _R.normal(size=(10, 3)), (_R.uniform(size=10) > 0.5) * 1.0),
     (0,)),
]


@pytest.mark.parametrize("f, args, wrt", CASES, ids=[c[0].__name__ for c in CASES])
def test_compiled_value_and_gradient(f, args, wrt):
    vg = ast_ad.value_and_grad(f, wrt=wrt, jit=True)
    value, grads = vg(*args)
    assert value == pytest.approx(f(*args), rel=1e-12, abs=1e-12)
    for k, g in zip(wrt, grads):
        np.testing.assert_allclose(g, fd(f, args, k), rtol=1e-5, atol=1e-7)
        assert np.shape(g) == np.shape(args[k])
    assert "@numba.njit" in vg.source
    # a second call takes the compiled fast path and gives the same numbers
    again = vg(*args)
    assert again[0] == value


def test_global_is_read_at_each_call():
    global SCALE
    S, K, s = _R.uniform(80, 120, 3), _R.uniform(80, 120, 3), _R.uniform(0.1, 0.4, 3)
    g = ast_ad.value_and_grad(prices, jit=True)
    v1 = g(S, K, s)[0]
    old, SCALE = SCALE, 2.0 * SCALE
    try:
        v2 = g(S, K, s)[0]
        assert v2 == pytest.approx(prices(S, K, s), rel=1e-12)
        assert v2 == pytest.approx(2.0 * v1, rel=1e-12)
    finally:
        SCALE = old


def test_new_argument_types_get_their_own_version():
    g = ast_ad.grad(horner, wrt=1, jit=True)
    c = np.array([1.0, -2.0, 0.5])
    # d/dx (x^2 - 2x + 0.5) = 2x - 2
    assert g(c, 0.25) == pytest.approx(-1.5)
    assert g(c, 3) == pytest.approx(4.0)            # an int x: another compiled version


def test_function_compiled_by_numba_gets_a_compiled_gradient():
    fast = numba.njit(decay)
    g = ast_ad.grad(fast, wrt=(0, 1))
    args = (0.7, 1.0, 0.01, 30)
    gk, gy = g(*args)
    assert gk == pytest.approx(fd(decay, args, 0), rel=1e-6)
    assert gy == pytest.approx(fd(decay, args, 1), rel=1e-6)
    assert "@numba.njit" in g.source


def uses_einsum(x):
    return np.einsum("i,i->", x, x)


def test_what_numba_cannot_compile_is_a_located_error():
    with pytest.raises(ast_ad.DifferentiationError) as info:
        ast_ad.grad(uses_einsum, jit=True)(np.array([1.0, 2.0]))
    msg = str(info.value)
    assert "test_jit.py" in msg and "Numba cannot compile" in msg


def test_auto_falls_back_to_python_with_a_warning():
    g = ast_ad.grad(uses_einsum, jit="auto")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = g(np.array([1.0, 2.0]))
    np.testing.assert_allclose(out, [2.0, 4.0])
    assert any("plain Python" in str(w.message) for w in caught)


def test_list_argument_is_refused_by_name():
    with pytest.raises(ast_ad.DifferentiationError, match="NumPy arrays"):
        ast_ad.grad(horner, jit=True)([1.0, 2.0], 0.5)
    with pytest.raises(ast_ad.DifferentiationError, match="jit must be"):
        ast_ad.grad(horner, jit="yes")


def with_default(x, scale=2.0):
    return scale * x * x


def test_trailing_default_and_shared_arguments():
    g = ast_ad.grad(with_default, jit=True)
    assert g(1.5) == pytest.approx(6.0)          # d/dx 2 x^2 = 4x
    assert g(1.5, 1.0) == pytest.approx(3.0)


def test_forward_mode_entry_points_compiled():
    args = (0.7, 1.0, 0.01, 40)
    # d decay / dk along (1, 0), against finite differences
    out, t = ast_ad.jvp(decay, args, (1.0, 0.0, None, None), jit=True)
    assert out == pytest.approx(decay(*args), rel=1e-12)
    assert t == pytest.approx(fd(decay, args, 0), rel=1e-6)
    J = ast_ad.jacobian(decay, wrt=(0, 1), mode="fwd", jit=True)(*args)
    assert J[1] == pytest.approx(fd(decay, args, 1), rel=1e-6)
    # second order: the derivative of the gradient, by finite differences of
    # the (plain Python) gradient's finite differences
    d2 = (fd(decay, (0.7 + 1e-4,) + args[1:], 0) - fd(decay, (0.7 - 1e-4,) + args[1:], 0)) / 2e-4
    assert ast_ad.hvp(decay, jit=True)(*args, 1.0) == pytest.approx(d2, rel=1e-4)
    assert ast_ad.hessian(decay, jit=True)(*args) == pytest.approx(d2, rel=1e-4)
    with pytest.raises(ast_ad.DifferentiationError, match="mode='fwd'"):
        ast_ad.jacobian(decay, mode="rev", jit=True)


def uses_a_set(x):
    return sum({x, 2.0 * x})


def test_auto_does_not_hide_errors_of_the_code_itself():
    # the code is outside the subset whether compiled or not: the same
    # located error as without jit, and no warning about falling back
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ast_ad.UnsupportedSyntaxError, match="test_jit.py"):
            ast_ad.grad(uses_a_set, jit="auto")(1.5)


def noisy(x):
    return np.sum(x * np.random.randn(3))


def test_random_draws_are_refused():
    # Numba's generator is not NumPy's: the draws would differ silently
    with pytest.raises(ast_ad.DifferentiationError, match="random numbers"):
        ast_ad.grad(noisy, jit=True)(np.ones(3))
