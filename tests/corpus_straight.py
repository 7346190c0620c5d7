"""Straight-line corpus for ast_ad: functions without loop or if statements.

Every function here is written the way a NumPy / ML / science user would
write it.  Each is registered as a ``Case(id, fn, make_args, wrt)``:

* ``make_args()`` returns a fresh tuple of positional arguments, built from a
  fixed RNG seed and kept inside the function's smooth domain (positive for
  log/sqrt, |x| < 1 for arcsin, away from the kinks of abs/maximum/where/clip,
  away from ties for max/min);
* ``wrt`` is what is passed to ``ast_ad.grad(fn, wrt=wrt)``.

This module must import nothing but the standard library and NumPy: pytest
imports it on its own (``--doctest-modules --import-mode=importlib``).
Functions are registered with a plain call after the ``def`` (no decorators),
so that their source is exactly what a user writes.
"""
import math
from math import cos
from math import exp as mexp
from math import sin as msin
from typing import Any, Callable, NamedTuple

import numpy as np
import numpy as xp


class Case(NamedTuple):
    id: str
    fn: Callable
    make_args: Callable[[], tuple]
    wrt: Any = 0


CASES = []


def _add(case_id, fn, make_args, wrt=0):
    CASES.append(Case(case_id, fn, make_args, wrt))


def _rng(seed):
    return np.random.default_rng(seed)


def _uniform(seed, shape, lo, hi):
    return _rng(seed).uniform(lo, hi, size=shape)


def _signed(seed, shape, lo, hi):
    """Values with |v| in [lo, hi] and a random sign (keeps away from 0)."""
    rng = _rng(seed)
    mag = rng.uniform(lo, hi, size=shape)
    sign = np.where(rng.uniform(size=shape) < 0.5, -1.0, 1.0)
    return mag * sign


def _normal(seed, shape, scale=1.0):
    return _rng(seed).normal(0.0, scale, size=shape)


# Module-level constants read by functions below.
SCALE = 0.5
OFFSETS = np.array([0.1, -0.2, 0.3, 0.4])


# ---------------------------------------------------------------------------
# Classic seed examples
# ---------------------------------------------------------------------------

def x_squared(x):
    return x ** 2


_add("x_squared", x_squared, lambda: (2.0,))


def cubic_minus_square(a, b):
    return a ** 3 - b ** 2


_add("cubic_minus_square", cubic_minus_square, lambda: (5.0, 6.0), (0, 1))


def ln_example(x1, x2):
    return math.log(x1) + x1 * x2 - math.sin(x2)


_add("ln_example", ln_example, lambda: (2.0, 5.0), (0, 1))


def sigmoid_scalar(x):
    return 1.0 / (1.0 + math.exp(-x))


_add("sigmoid_scalar", sigmoid_scalar, lambda: (0.7,))


def sigmoid_array(z):
    s = 1.0 / (1.0 + np.exp(-z))
    return np.sum(s)


_add("sigmoid_array", sigmoid_array, lambda: (_normal(1, (6,), 1.5),))


# ---------------------------------------------------------------------------
# Python float arithmetic
# ---------------------------------------------------------------------------

def float_arith(x, y):
    return 3.0 * x ** 2 - 2.0 * x * y + y / x - 1.5 + x - y


_add("float_arith", float_arith, lambda: (1.3, -0.7), (0, 1))


def float_unary_minus_abs(x, y):
    return -x * abs(y) + abs(x - 3.0) - (-y) ** 2


_add("float_unary_minus_abs", float_unary_minus_abs, lambda: (1.2, -0.8), (0, 1))


def float_division_chain(a, b):
    return (a / b - b / a) / (a + b)


_add("float_division_chain", float_division_chain, lambda: (1.7, 0.6), (0, 1))


def float_pow(x):
    return x ** 2.5 + 2.0 ** x - x ** -1 + x ** 0.5


_add("float_pow", float_pow, lambda: (1.4,))


def float_pow_both(x, y):
    return x ** y


_add("float_pow_both", float_pow_both, lambda: (1.8, 2.3), (0, 1))


def float_int_constants(x):
    return 2 * x + 1 - x * 3 + x ** 3 / 4


_add("float_int_constants", float_int_constants, lambda: (0.9,))


# ---------------------------------------------------------------------------
# math module
# ---------------------------------------------------------------------------

def math_trig(x):
    return math.sin(x) * math.cos(x) + math.tan(x)


_add("math_trig", math_trig, lambda: (0.6,))


def math_exp_log(x):
    return math.exp(x) + math.log(x) + math.log1p(x) * math.expm1(-x)


_add("math_exp_log", math_exp_log, lambda: (0.7,))


def math_sqrt_hyperbolic(x):
    return math.sqrt(x) * math.tanh(x) + math.sinh(x) - math.cosh(0.5 * x)


_add("math_sqrt_hyperbolic", math_sqrt_hyperbolic, lambda: (1.3,))


def math_inverse_trig(x):
    return math.asin(x) + 2.0 * math.acos(x) + math.atan(3.0 * x)


_add("math_inverse_trig", math_inverse_trig, lambda: (0.35,))


def math_atan2_hypot(y, x):
    return math.atan2(y, x) * math.hypot(x, y)


_add("math_atan2_hypot", math_atan2_hypot, lambda: (0.8, -1.1), (0, 1))


def math_erf(x):
    return math.erf(x) * x + math.erf(2.0 * x)


_add("math_erf", math_erf, lambda: (0.45,))


def math_pow(x, y):
    return math.pow(x, 3.0) + math.pow(2.0, y) + math.pow(x, y)


_add("math_pow", math_pow, lambda: (1.5, 0.8), (0, 1))


def from_import_alias(x):
    return msin(x) * mexp(-x) + cos(x)


_add("from_import_alias", from_import_alias, lambda: (0.9,))


def black_scholes_call(S, K, r, sigma, T):
    d1 = (math.log(S / K) + (r + 0.5 * sigma ** 2) * T) / (sigma * math.sqrt(T))
    d2 = d1 - sigma * math.sqrt(T)
    n1 = 0.5 * (1.0 + math.erf(d1 / math.sqrt(2.0)))
    n2 = 0.5 * (1.0 + math.erf(d2 / math.sqrt(2.0)))
    return S * n1 - K * math.exp(-r * T) * n2


_add("black_scholes_call", black_scholes_call,
     lambda: (100.0, 95.0, 0.03, 0.25, 0.5), ("S", "sigma", "T"))


def projectile_range(v, theta, g):
    return v ** 2 * math.sin(2.0 * theta) / g


_add("projectile_range", projectile_range, lambda: (12.0, 0.6, 9.81), (0, 1))


# ---------------------------------------------------------------------------
# NumPy elementwise
# ---------------------------------------------------------------------------

def np_trig(x):
    return np.sum(np.sin(x) + np.cos(2.0 * x) * np.tan(x))


_add("np_trig", np_trig, lambda: (_uniform(10, (5,), -1.0, 1.0),))


def np_exp_log(x):
    return np.sum(np.exp(-x) + np.log(x) * np.log1p(x) - np.expm1(0.5 * x))


_add("np_exp_log", np_exp_log, lambda: (_uniform(11, (6,), 0.2, 2.0),))


def np_sqrt_square(x):
    return np.sum(np.sqrt(x) + np.square(x - 1.0))


_add("np_sqrt_square", np_sqrt_square, lambda: (_uniform(12, (3, 4), 0.1, 3.0),))


def np_hyperbolic(x):
    return np.sum(np.tanh(x) * np.sinh(x) + np.cosh(x))


_add("np_hyperbolic", np_hyperbolic, lambda: (_normal(13, (5,)),))


def np_inverse_trig(x):
    return np.sum(np.arcsin(x) - np.arccos(x) * np.arctan(x))


_add("np_inverse_trig", np_inverse_trig, lambda: (_uniform(14, (6,), -0.9, 0.9),))


def np_arctan2(y, x):
    return np.sum(np.arctan2(y, x) * x)


# y > 0 keeps away from the branch cut of arctan2 (y = 0, x < 0).
_add("np_arctan2", np_arctan2,
     lambda: (_uniform(15, (5,), 0.2, 1.5), _normal(16, (5,))), (0, 1))


def np_power(x, p):
    return np.sum(np.power(x, 3) + np.power(x, p))


_add("np_power", np_power,
     lambda: (_uniform(17, (5,), 0.3, 2.0), _uniform(18, (5,), 0.5, 2.0)), (0, 1))


def np_abs(x):
    return np.sum(np.abs(x) * np.cos(x))


_add("np_abs", np_abs, lambda: (_signed(19, (6,), 0.1, 1.5),))


def np_maximum_minimum(x, y):
    return np.sum(np.maximum(x, y) ** 2 + np.minimum(x, 0.3) * y)


def _maxmin_args():
    x = _signed(20, (6,), 0.1, 1.0) + 0.3     # |x - 0.3| >= 0.1
    gap = _signed(21, (6,), 0.1, 0.6)          # |x - y| >= 0.1
    return (x, x + gap)


_add("np_maximum_minimum", np_maximum_minimum, _maxmin_args, (0, 1))


def np_where(x):
    return np.sum(np.where(x > 0, x ** 2, -0.5 * x))


_add("np_where", np_where, lambda: (_signed(22, (7,), 0.1, 1.5),))


def np_where_two_arrays(x, y):
    return np.sum(np.where(x > y, x * y, x - y))


def _where2_args():
    x = _normal(23, (6,))
    return (x, x + _signed(24, (6,), 0.1, 0.8))


_add("np_where_two_arrays", np_where_two_arrays, _where2_args, (0, 1))


def np_clip(x):
    return np.sum(np.clip(x, -0.5, 0.5) * x)


def _clip_args():
    # values in (-1.5,-0.6) U (-0.4,0.4) U (0.6,1.5): away from the clip bounds
    v = _uniform(25, (8,), -1.5, 1.5)
    v = np.where(np.abs(np.abs(v) - 0.5) < 0.1, v * 0.6, v)
    return (v,)


_add("np_clip", np_clip, _clip_args)


def np_negative_reciprocal(x):
    return np.sum(np.negative(x) + np.reciprocal(x) ** 2)


_add("np_negative_reciprocal", np_negative_reciprocal,
     lambda: (_uniform(26, (5,), 0.5, 2.0),))


# ---------------------------------------------------------------------------
# Reductions (axis / keepdims)
# ---------------------------------------------------------------------------

def sum_axis(A, w):
    return np.sum(np.sum(A, axis=0) * w) + np.sum(np.sum(A, axis=1) ** 2)


_add("sum_axis", sum_axis, lambda: (_normal(30, (3, 4)), _normal(31, (4,))), (0, 1))


def mean_keepdims_center(A):
    centered = A - np.mean(A, axis=1, keepdims=True)
    return np.sum(centered ** 2) + np.mean(A) ** 2


_add("mean_keepdims_center", mean_keepdims_center, lambda: (_normal(32, (4, 5)),))


def prod_axis(A):
    return np.sum(np.prod(A, axis=0)) + np.prod(A)


_add("prod_axis", prod_axis, lambda: (_uniform(33, (3, 4), 0.7, 1.3),))


def max_min_axis(A):
    return np.sum(np.max(A, axis=1) ** 2) + np.sum(np.min(A, axis=0)) + np.max(A)


_add("max_min_axis", max_min_axis, lambda: (_normal(34, (4, 5)),))


def max_keepdims(A):
    return np.sum(np.exp(A - np.max(A, axis=1, keepdims=True)))


_add("max_keepdims", max_keepdims, lambda: (_normal(35, (3, 5)),))


def var_std(A):
    return (np.sum(np.var(A, axis=0)) + np.std(A)
            + np.sum(np.std(A, axis=1, keepdims=True) * A))


_add("var_std", var_std, lambda: (_normal(36, (4, 3)),))


def linalg_norm(x, A):
    return np.linalg.norm(x) + np.sum(np.linalg.norm(A, axis=1))


_add("linalg_norm", linalg_norm, lambda: (_normal(37, (5,)), _normal(38, (3, 4))), (0, 1))


def normalize_columns(A):
    P = A / np.sum(A, axis=0, keepdims=True)
    return np.sum(P ** 2 * np.arange(1.0, A.shape[1] + 1.0))


_add("normalize_columns", normalize_columns, lambda: (_uniform(39, (3, 4), 0.5, 2.0),))


# ---------------------------------------------------------------------------
# Linear algebra and shape manipulation
# ---------------------------------------------------------------------------

def dot_vectors(x, y):
    return np.dot(x, y) * np.dot(x, x)


_add("dot_vectors", dot_vectors, lambda: (_normal(40, (5,)), _normal(41, (5,))), (0, 1))


def matvec_dot(A, x):
    return np.sum(np.dot(A, x) ** 2)


_add("matvec_dot", matvec_dot, lambda: (_normal(42, (3, 4)), _normal(43, (4,))), (0, 1))


def matmul_operator(A, B):
    return np.sum(np.sin(A @ B))


_add("matmul_operator", matmul_operator,
     lambda: (_normal(44, (3, 4)), _normal(45, (4, 2))), (0, 1))


def np_matmul_fn(A, B):
    return np.sum(np.matmul(A, B) ** 2)


_add("np_matmul_fn", np_matmul_fn, lambda: (_normal(46, (2, 3)), _normal(47, (3, 3))), (0, 1))


def outer_product(u, v, M):
    return np.sum(np.outer(u, v) * M)


_add("outer_product", outer_product,
     lambda: (_normal(48, (3,)), _normal(49, (4,)), _normal(50, (3, 4))), (0, 1))


def transpose_fn(A, B):
    return np.sum(np.transpose(A) @ B)


_add("transpose_fn", transpose_fn, lambda: (_normal(51, (4, 3)), _normal(52, (4, 2))), (0, 1))


def gram_T(A, C):
    G = A.T @ A
    return np.sum(G * C)


_add("gram_T", gram_T, lambda: (_normal(53, (4, 3)), _normal(54, (3, 3))))


def reshape_matvec(x, w):
    return np.sum(np.tanh(np.reshape(x, (3, 4)) @ w))


_add("reshape_matvec", reshape_matvec, lambda: (_normal(55, (12,)), _normal(56, (4,))), (0, 1))


def reshape_neg1(A):
    v = np.reshape(A, (-1,))
    return np.dot(v, np.arange(v.shape[0]) * 0.1 + 1.0) + np.sum(v ** 3)


_add("reshape_neg1", reshape_neg1, lambda: (_normal(57, (2, 3)),))


def expand_squeeze(x, A):
    col = np.expand_dims(x, axis=1)
    return (np.sum(np.expand_dims(x, 0) * A) + np.sum(np.squeeze(col) ** 3)
            + np.sum(np.squeeze(A[:1, :], axis=0) * x))


_add("expand_squeeze", expand_squeeze, lambda: (_normal(58, (4,)), _normal(59, (3, 4))), (0, 1))


def concatenate_vectors(x, y, w):
    return np.dot(np.concatenate([x, 2.0 * y]), w)


_add("concatenate_vectors", concatenate_vectors,
     lambda: (_normal(60, (3,)), _normal(61, (2,)), _normal(62, (5,))), (0, 1, 2))


def concatenate_axis1(A, B):
    C = np.concatenate((A, B), axis=1)
    return np.sum(C ** 2 * np.arange(C.shape[1]))


_add("concatenate_axis1", concatenate_axis1,
     lambda: (_normal(63, (3, 2)), _normal(64, (3, 3))), (0, 1))


def stack_fn(x, y):
    S = np.stack([x, y ** 2], axis=1)
    return np.sum(np.sin(S @ np.array([1.0, -2.0]))) + np.sum(np.stack((x, y)) ** 2)


_add("stack_fn", stack_fn, lambda: (_normal(65, (4,)), _normal(66, (4,))), (0, 1))


# ---------------------------------------------------------------------------
# Array methods
# ---------------------------------------------------------------------------

def methods_sum_mean(A):
    return A.sum() * A.mean() + A.sum(axis=1).dot(A.mean(axis=1))


_add("methods_sum_mean", methods_sum_mean, lambda: (_normal(70, (3, 4)),))


def method_dot(x, y):
    return x.dot(y) + x.dot(x) * y.sum()


_add("method_dot", method_dot, lambda: (_normal(71, (4,)), _normal(72, (4,))), (0, 1))


def method_reshape_T(x):
    M = x.reshape(2, 3)
    return (M.T @ M).sum() + M.T.reshape(-1).dot(x)


_add("method_reshape_T", method_reshape_T, lambda: (_normal(73, (6,)),))


def method_max(A):
    return A.max() + A.max(axis=0).sum() - A.min() * A.mean()


_add("method_max", method_max, lambda: (_normal(74, (3, 4)),))


# ---------------------------------------------------------------------------
# Basic indexing / slicing reads
# ---------------------------------------------------------------------------

def index_first_last_slice(x):
    return x[0] * x[-1] + np.sum(x[1:4] ** 2)


_add("index_first_last_slice", index_first_last_slice, lambda: (_normal(80, (6,)),))


def index_none_broadcast(x, y):
    return np.sum(np.exp(-(x[:, None] - y[None, :]) ** 2))


_add("index_none_broadcast", index_none_broadcast,
     lambda: (_normal(81, (4,)), _normal(82, (3,))), (0, 1))


def index_matrix_elements(A):
    return A[1, 2] * A[0, 0] + A[-1, -1] ** 2


_add("index_matrix_elements", index_matrix_elements, lambda: (_normal(83, (3, 4)),))


def index_rows_cols(A):
    return np.dot(A[1], A[:, 2]) + np.sum(A[1:3, ::2] ** 2)


_add("index_rows_cols", index_rows_cols, lambda: (_normal(84, (4, 4)),))


def bool_mask_index(x):
    return np.sum(x[x > 0] ** 2) - np.sum(x[x < 0])


_add("bool_mask_index", bool_mask_index, lambda: (_signed(85, (7,), 0.1, 1.5),))


# ---------------------------------------------------------------------------
# Broadcasting
# ---------------------------------------------------------------------------

def broadcast_scalar_matrix(a, M):
    return np.sum((a * M + M / a) ** 2) + a


_add("broadcast_scalar_matrix", broadcast_scalar_matrix,
     lambda: (1.3, _normal(90, (3, 4))), (0, 1))


def broadcast_row(M, b):
    return np.sum(np.tanh(M + b) * b)


_add("broadcast_row", broadcast_row, lambda: (_normal(91, (3, 4)), _normal(92, (4,))), (0, 1))


def broadcast_column(M, c):
    return np.sum(M * c[:, None] - c.reshape(-1, 1) ** 2 / M)


_add("broadcast_column", broadcast_column,
     lambda: (_uniform(93, (3, 4), 0.5, 2.0), _normal(94, (3,))), (0, 1))


# ---------------------------------------------------------------------------
# Unpacking, conditional expressions, comparisons, shape constants
# ---------------------------------------------------------------------------

def tuple_unpack(x):
    a, b = x[0], x[1]
    c, d = b * 2.0, a - b
    return a * b + c ** 2 - d


_add("tuple_unpack", tuple_unpack, lambda: (_normal(100, (3,)),))


def ifexp_scalar(x):
    return x ** 2 if x > 0 else -x ** 3


_add("ifexp_scalar_pos", ifexp_scalar, lambda: (0.8,))
_add("ifexp_scalar_neg", ifexp_scalar, lambda: (-0.7,))


def ifexp_array_sum(x):
    s = np.sum(x)
    y = s * 2.0 if s > 0 else s * 3.0
    return y * np.sum(x ** 2)


_add("ifexp_array_sum_pos", ifexp_array_sum, lambda: (_uniform(101, (4,), 0.1, 1.0),))
_add("ifexp_array_sum_neg", ifexp_array_sum, lambda: (_uniform(102, (4,), -1.0, -0.1),))


def comparison_mask(x):
    mask = x > 0
    return np.sum(x ** 2 * mask) + np.sum(np.where(mask, 0.0, x))


_add("comparison_mask", comparison_mask, lambda: (_signed(103, (6,), 0.1, 1.5),))


def comparison_count(x):
    n_pos = np.sum(x > 0)
    return np.sum(x ** 2) / n_pos + float(n_pos)


_add("comparison_count", comparison_count, lambda: (_signed(104, (6,), 0.1, 1.5),))


def comparison_astype(x, y):
    w = (x > y).astype(np.float64)
    return np.sum(w * x ** 3 + (1.0 - w) * y)


_add("comparison_astype", comparison_astype, _where2_args, (0, 1))


def shape_len_constants(x):
    n = x.shape[0]
    return np.sum(x) / n + np.sum(x ** 2) / len(x) + n * x[0]


_add("shape_len_constants", shape_len_constants, lambda: (_normal(105, (5,)),))


def shape_matrix_constants(A):
    rows, cols = A.shape
    return np.sum(A ** 2) / (rows * cols) + A.size * A[rows - 1, cols - 1]


_add("shape_matrix_constants", shape_matrix_constants, lambda: (_normal(106, (3, 4)),))


# ---------------------------------------------------------------------------
# Aliases, globals, wrt forms
# ---------------------------------------------------------------------------

def xp_alias(x):
    return xp.sum(xp.exp(-x ** 2)) + xp.mean(xp.tanh(x))


_add("xp_alias", xp_alias, lambda: (_normal(110, (5,)),))


def global_constants(x):
    return SCALE * np.sum((x - OFFSETS) ** 2)


_add("global_constants", global_constants, lambda: (_normal(111, (4,)),))


def wrt_by_name(x, y):
    return np.sum(x * np.sin(y))


_add("wrt_by_name", wrt_by_name, lambda: (_normal(112, (4,)), _normal(113, (4,))), "y")


def wrt_names_tuple(W, b, x):
    return np.sum(np.tanh(x @ W + b))


_add("wrt_names_tuple", wrt_names_tuple,
     lambda: (_normal(114, (3, 2)), _normal(115, (2,)), _normal(116, (4, 3))), ("W", "b"))


def wrt_reordered(x, y, z):
    return np.sum(x * y) + np.sum(z ** 2 * x)


# Gradients come back in the order of ``wrt``: (d/dz, d/dx).
_add("wrt_reordered", wrt_reordered,
     lambda: (_normal(117, (3,)), _normal(118, (3,)), _normal(119, (3,))), (2, 0))


def wrt_single_tuple(x, y):
    return np.sum(x ** 2 * y)


_add("wrt_single_tuple", wrt_single_tuple,
     lambda: (_normal(120, (3,)), _normal(121, (3,))), (1,))


def some_args_not_differentiated(x, n, scale, offset):
    return scale * np.sum((x - offset) ** n) + n


_add("some_args_not_differentiated", some_args_not_differentiated,
     lambda: (_normal(122, (4,)), 3, 0.7, 0.25), (0, 2))


# ---------------------------------------------------------------------------
# ML / science programs
# ---------------------------------------------------------------------------

def mse_linreg(w, b, X, y):
    pred = X @ w + b
    return np.mean((pred - y) ** 2)


def _linreg_args():
    X = _normal(130, (8, 3))
    y = X @ np.array([0.5, -1.0, 2.0]) + _normal(131, (8,), 0.1)
    return (_normal(132, (3,)), 0.3, X, y)


_add("mse_linreg", mse_linreg, _linreg_args, (0, 1))


def softmax_xent(logits, labels):
    z = logits - np.max(logits, axis=1, keepdims=True)
    logp = z - np.log(np.sum(np.exp(z), axis=1, keepdims=True))
    return -np.mean(np.sum(labels * logp, axis=1))


def _xent_args():
    logits = _normal(133, (4, 3), 2.0)
    labels = np.eye(3)[np.array([0, 2, 1, 2])]
    return (logits, labels)


_add("softmax_xent", softmax_xent, _xent_args)


def mlp_tanh_layer(W, b, x, v):
    h = np.tanh(x @ W + b)
    return np.sum(h @ v)


_add("mlp_tanh_layer", mlp_tanh_layer,
     lambda: (_normal(134, (3, 5), 0.5), _normal(135, (5,)), _normal(136, (4, 3)),
              _normal(137, (5,))), ("W", "b", "x"))


def logsumexp(x):
    m = np.max(x)
    return m + np.log(np.sum(np.exp(x - m)))


_add("logsumexp", logsumexp, lambda: (_normal(138, (6,), 2.0),))


def gaussian_nll(mu, log_sigma, x):
    sigma = np.exp(log_sigma)
    return (np.sum(0.5 * ((x - mu) / sigma) ** 2 + log_sigma)
            + 0.5 * len(x) * math.log(2.0 * math.pi))


_add("gaussian_nll", gaussian_nll, lambda: (0.2, -0.3, _normal(139, (7,))), (0, 1))


def logistic_regression_l2(w, X, y, lam):
    z = X @ w
    return np.mean(np.log1p(np.exp(-y * z))) + lam * np.dot(w, w)


def _logreg_args():
    X = _normal(140, (10, 3))
    y = np.where(_normal(141, (10,)) > 0, 1.0, -1.0)
    return (_normal(142, (3,)), X, y, 0.1)


_add("logistic_regression_l2", logistic_regression_l2, _logreg_args)


def huber_loss(pred, target):
    r = pred - target
    return np.sum(np.where(np.abs(r) < 1.0, 0.5 * r ** 2, np.abs(r) - 0.5))


def _huber_args():
    target = _normal(143, (8,))
    r = _uniform(144, (8,), 0.1, 2.0)
    r = np.where(np.abs(r - 1.0) < 0.1, r + 0.3, r)     # stay away from |r| = 1
    sign = np.where(_normal(145, (8,)) > 0, 1.0, -1.0)
    return (target + sign * r, target)


_add("huber_loss", huber_loss, _huber_args)


def spring_energy(x, v, m, k):
    return 0.5 * m * v ** 2 + 0.5 * k * x ** 2


_add("spring_energy", spring_energy, lambda: (0.3, -1.2, 2.0, 5.0), (0, 1, 2, 3))


def pairwise_soft_distance(X):
    D = X[:, None, :] - X[None, :, :]
    return np.sum(np.sqrt(np.sum(D ** 2, axis=-1) + 1e-2))


_add("pairwise_soft_distance", pairwise_soft_distance, lambda: (_normal(146, (4, 2)),))


def rosen_np_sum(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2.0) ** 2.0 + (1 - x[:-1]) ** 2.0)


_add("rosen_np_sum", rosen_np_sum, lambda: (_uniform(147, (5,), -1.0, 1.5),))


def layer_norm(x, gamma, beta):
    mu = np.mean(x, axis=-1, keepdims=True)
    var = np.var(x, axis=-1, keepdims=True)
    y = (x - mu) / np.sqrt(var + 1e-5) * gamma + beta
    return np.sum(np.sin(y))


_add("layer_norm", layer_norm,
     lambda: (_normal(148, (3, 4)), _uniform(149, (4,), 0.5, 1.5), _normal(150, (4,))),
     (0, 1, 2))


def attention(Q, K, V):
    scores = Q @ K.T / np.sqrt(Q.shape[1])
    scores = scores - np.max(scores, axis=1, keepdims=True)
    weights = np.exp(scores) / np.sum(np.exp(scores), axis=1, keepdims=True)
    return np.sum((weights @ V) ** 2)


_add("attention", attention,
     lambda: (_normal(151, (3, 4)), _normal(152, (5, 4)), _normal(153, (5, 2))), (0, 1, 2))


def cosine_similarity(x, y):
    return np.dot(x, y) / (np.linalg.norm(x) * np.linalg.norm(y))


_add("cosine_similarity", cosine_similarity,
     lambda: (_normal(154, (5,)), _normal(155, (5,))), (0, 1))


def concatenations(x):
    xs = [x[0], x[1] * x[2]]
    ys = (x[3],) + (x[0] * 2.0,)
    zs = xs + [np.sin(x[2])] + xs
    return sum(zs) * zs[1] + ys[0] * ys[1] + len(zs)


_add("concatenations", concatenations, lambda: (_normal(156, (4,)),))


def concat_params(xs, ys):
    zs = xs + ys
    return np.sum(zs[0] * zs[-1]) + zs[1] * np.sum(zs[2])


_add("concat_params", concat_params,
     lambda: ([_normal(157, (3,)), 0.7], [_normal(158, (3,))]), (0, 1))
