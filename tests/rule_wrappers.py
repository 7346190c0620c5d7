"""Wrappers for the table-driven rule tests (tests/test_rules.py).

ast_ad transforms source, so every primitive under test is called from a real
``def`` here.  Each wrapper applies one primitive (or operator) and reduces the
result to a scalar with a fixed random weight array, so the output depends on
every element with a different coefficient (a transposed or misplaced adjoint
cannot go unnoticed) and a rule's gradient is checked through a single
``np.sum(... * W)``.  Weight arrays are module-level constants: ast_ad reads
them as globals.

This module imports only the standard library and NumPy (pytest imports it on
its own for doctests).  The reduction wrappers (``r_<fn>_<axis>[_keep]``) are
regular enough to have been written by a small loop once; edit them by hand.
"""
import builtins  # noqa: F401  (documents that max/min/sum/abs/pow below are the builtins)
import math
import operator

import numpy as np

_rng = np.random.default_rng(20240601)
C = 1.37                                   # scalar weight for scalar results
W = _rng.uniform(0.5, 1.5, (3, 4))         # weight for (3, 4) results (and anything broadcasting to it)
W2 = _rng.uniform(0.5, 1.5, (2,))
W3 = _rng.uniform(0.5, 1.5, (3,))
W4 = _rng.uniform(0.5, 1.5, (4,))
W12 = _rng.uniform(0.5, 1.5, (12,))
W32 = _rng.uniform(0.5, 1.5, (3, 2))
W33 = np.array([[1.3, -0.7, 0.4], [0.9, 1.1, -1.2], [-0.5, 0.8, 1.4]])
W234 = _rng.uniform(0.5, 1.5, (2, 3, 4))
MASK = np.array([[True, False, True, True],
                 [False, True, False, True],
                 [True, True, False, False]])
WM = _rng.uniform(0.5, 1.5, (int(MASK.sum()),))


# ------------------------------------------------------------ math (floats)

def m_sin(x):
    return math.sin(x) * C


def m_cos(x):
    return math.cos(x) * C


def m_tan(x):
    return math.tan(x) * C


def m_exp(x):
    return math.exp(x) * C


def m_expm1(x):
    return math.expm1(x) * C


def m_log(x):
    return math.log(x) * C


def m_log_base(x, base):
    return math.log(x, base) * C


def m_log1p(x):
    return math.log1p(x) * C


def m_log2(x):
    return math.log2(x) * C


def m_log10(x):
    return math.log10(x) * C


def m_sqrt(x):
    return math.sqrt(x) * C


def m_tanh(x):
    return math.tanh(x) * C


def m_sinh(x):
    return math.sinh(x) * C


def m_cosh(x):
    return math.cosh(x) * C


def m_asin(x):
    return math.asin(x) * C


def m_acos(x):
    return math.acos(x) * C


def m_atan(x):
    return math.atan(x) * C


def m_atan2(y, x):
    return math.atan2(y, x) * C


def m_hypot(x, y):
    return math.hypot(x, y) * C


def m_pow(x, y):
    return math.pow(x, y) * C


def m_erf(x):
    return math.erf(x) * C


def m_erfc(x):
    return math.erfc(x) * C


def m_lgamma(x):
    return math.lgamma(x) * C


def m_gamma(x):
    return math.gamma(x) * C


def m_fabs(x):
    return math.fabs(x) * C


# --------------------------------------------------- builtins on numbers

def b_abs(x):
    return np.sum(abs(x) * W)


def b_pow(x, y):
    return np.sum(pow(x, y) * W)


def b_max(x, y):
    return max(x, y) * C


def b_min(x, y):
    return min(x, y) * C


def b_max3(x, y, z):
    return max(x, y, z) * C


def b_max_iterable(x):
    return max(x) * C


def b_min_list(x, y):
    return min([x, y]) * C


def b_sum_vector(x):
    return sum(x) * C


def b_sum_matrix(x):
    return np.sum(sum(x) * W4)


def b_sum_list(a, b, c):
    return sum([a, b * c, c]) * C


def m_fsum(a, b, c):
    return math.fsum([a, b * c, c * c]) * C


def b_sum_start(x, s):
    return sum(x, s) * C


def b_float(x):
    return float(np.sum(x * W)) * C


def b_float_0d(x):
    return float(x) * C


# ---------------------------------------------------- unary operators

def op_neg(x):
    return np.sum(-x * W)


def op_pos(x):
    return np.sum(+x * W)


def operator_abs(x):
    return np.sum(operator.abs(x) * W)


def op_pow_int(x):
    return np.sum(x ** 3 * W)


def op_pow_half(x):
    return np.sum(x ** 0.5 * W)


def op_rpow(x):
    return np.sum(2.0 ** x * W)


# -------------------------------------------- numpy elementwise, unary

def np_sin(x):
    return np.sum(np.sin(x) * W)


def np_cos(x):
    return np.sum(np.cos(x) * W)


def np_tan(x):
    return np.sum(np.tan(x) * W)


def np_exp(x):
    return np.sum(np.exp(x) * W)


def np_exp2(x):
    return np.sum(np.exp2(x) * W)


def np_expm1(x):
    return np.sum(np.expm1(x) * W)


def np_log(x):
    return np.sum(np.log(x) * W)


def np_log2(x):
    return np.sum(np.log2(x) * W)


def np_log10(x):
    return np.sum(np.log10(x) * W)


def np_log1p(x):
    return np.sum(np.log1p(x) * W)


def np_sqrt(x):
    return np.sum(np.sqrt(x) * W)


def np_cbrt(x):
    return np.sum(np.cbrt(x) * W)


def np_tanh(x):
    return np.sum(np.tanh(x) * W)


def np_sinh(x):
    return np.sum(np.sinh(x) * W)


def np_cosh(x):
    return np.sum(np.cosh(x) * W)


def np_arcsin(x):
    return np.sum(np.arcsin(x) * W)


def np_arccos(x):
    return np.sum(np.arccos(x) * W)


def np_arctan(x):
    return np.sum(np.arctan(x) * W)


def np_square(x):
    return np.sum(np.square(x) * W)


def np_reciprocal(x):
    return np.sum(np.reciprocal(x) * W)


def np_negative(x):
    return np.sum(np.negative(x) * W)


def np_positive(x):
    return np.sum(np.positive(x) * W)


def np_abs(x):
    return np.sum(np.abs(x) * W)


def np_absolute(x):
    return np.sum(np.absolute(x) * W)


# ----------------------------------------- binary elementwise (broadcasting)

def op_add(x, y):
    return np.sum((x + y) * W)


def op_sub(x, y):
    return np.sum((x - y) * W)


def op_mul(x, y):
    return np.sum((x * y) * W)


def op_div(x, y):
    return np.sum((x / y) * W)


def op_pow(x, y):
    return np.sum((x ** y) * W)


def np_add(x, y):
    return np.sum(np.add(x, y) * W)


def np_subtract(x, y):
    return np.sum(np.subtract(x, y) * W)


def np_multiply(x, y):
    return np.sum(np.multiply(x, y) * W)


def np_divide(x, y):
    return np.sum(np.divide(x, y) * W)


def np_true_divide(x, y):
    return np.sum(np.true_divide(x, y) * W)


def np_power(x, y):
    return np.sum(np.power(x, y) * W)


def np_arctan2(y, x):
    return np.sum(np.arctan2(y, x) * W)


def np_hypot(x, y):
    return np.sum(np.hypot(x, y) * W)


def np_logaddexp(x, y):
    return np.sum(np.logaddexp(x, y) * W)


def np_maximum(x, y):
    return np.sum(np.maximum(x, y) * W)


def np_minimum(x, y):
    return np.sum(np.minimum(x, y) * W)


def np_where(x, y):
    return np.sum(np.where(MASK, x, y) * W)


# ------------------------------------------------- where / clip / relu

def e_where_cond(x):
    return np.sum(np.where(x > 0, x, 0.1 * x) * W)


def e_relu(x):
    return np.sum(np.maximum(x, 0.0) * W)


def e_clip(x):
    return np.sum(np.clip(x, -0.5, 0.5) * W)


def e_clip_hi(x):
    return np.sum(np.clip(x, None, 0.5) * W)


def e_clip_lo(x):
    return np.sum(np.clip(x, -0.5, None) * W)


def e_clip_method(x):
    return np.sum(x.clip(-0.5, 0.5) * W)


def e_clip_bounds(x, lo, hi):
    return np.sum(np.clip(x, lo, hi) * W)


# ---------------------------------------------------------- reductions

def r_sum_all(x):
    return np.sum(x) * C


def r_sum_all_keep(x):
    return np.sum(np.sum(x, keepdims=True) * W)


def r_sum_ax0(x):
    return np.sum(np.sum(x, axis=0) * W4)


def r_sum_ax0_keep(x):
    return np.sum(np.sum(x, axis=0, keepdims=True) * W)


def r_sum_ax1(x):
    return np.sum(np.sum(x, axis=1) * W3)


def r_sum_ax1_keep(x):
    return np.sum(np.sum(x, axis=1, keepdims=True) * W)


def r_mean_all(x):
    return np.mean(x) * C


def r_mean_all_keep(x):
    return np.sum(np.mean(x, keepdims=True) * W)


def r_mean_ax0(x):
    return np.sum(np.mean(x, axis=0) * W4)


def r_mean_ax0_keep(x):
    return np.sum(np.mean(x, axis=0, keepdims=True) * W)


def r_mean_ax1(x):
    return np.sum(np.mean(x, axis=1) * W3)


def r_mean_ax1_keep(x):
    return np.sum(np.mean(x, axis=1, keepdims=True) * W)


def r_prod_all(x):
    return np.prod(x) * C


def r_prod_all_keep(x):
    return np.sum(np.prod(x, keepdims=True) * W)


def r_prod_ax0(x):
    return np.sum(np.prod(x, axis=0) * W4)


def r_prod_ax0_keep(x):
    return np.sum(np.prod(x, axis=0, keepdims=True) * W)


def r_prod_ax1(x):
    return np.sum(np.prod(x, axis=1) * W3)


def r_prod_ax1_keep(x):
    return np.sum(np.prod(x, axis=1, keepdims=True) * W)


def r_max_all(x):
    return np.max(x) * C


def r_max_all_keep(x):
    return np.sum(np.max(x, keepdims=True) * W)


def r_max_ax0(x):
    return np.sum(np.max(x, axis=0) * W4)


def r_max_ax0_keep(x):
    return np.sum(np.max(x, axis=0, keepdims=True) * W)


def r_max_ax1(x):
    return np.sum(np.max(x, axis=1) * W3)


def r_max_ax1_keep(x):
    return np.sum(np.max(x, axis=1, keepdims=True) * W)


def r_min_all(x):
    return np.min(x) * C


def r_min_all_keep(x):
    return np.sum(np.min(x, keepdims=True) * W)


def r_min_ax0(x):
    return np.sum(np.min(x, axis=0) * W4)


def r_min_ax0_keep(x):
    return np.sum(np.min(x, axis=0, keepdims=True) * W)


def r_min_ax1(x):
    return np.sum(np.min(x, axis=1) * W3)


def r_min_ax1_keep(x):
    return np.sum(np.min(x, axis=1, keepdims=True) * W)


def r_var_all(x):
    return np.var(x) * C


def r_var_all_keep(x):
    return np.sum(np.var(x, keepdims=True) * W)


def r_var_ax0(x):
    return np.sum(np.var(x, axis=0) * W4)


def r_var_ax0_keep(x):
    return np.sum(np.var(x, axis=0, keepdims=True) * W)


def r_var_ax1(x):
    return np.sum(np.var(x, axis=1) * W3)


def r_var_ax1_keep(x):
    return np.sum(np.var(x, axis=1, keepdims=True) * W)


def r_std_all(x):
    return np.std(x) * C


def r_std_all_keep(x):
    return np.sum(np.std(x, keepdims=True) * W)


def r_std_ax0(x):
    return np.sum(np.std(x, axis=0) * W4)


def r_std_ax0_keep(x):
    return np.sum(np.std(x, axis=0, keepdims=True) * W)


def r_std_ax1(x):
    return np.sum(np.std(x, axis=1) * W3)


def r_std_ax1_keep(x):
    return np.sum(np.std(x, axis=1, keepdims=True) * W)


def r_norm_all(x):
    return np.linalg.norm(x) * C


def r_norm_all_keep(x):
    return np.sum(np.linalg.norm(x, keepdims=True) * W)


def r_norm_ax0(x):
    return np.sum(np.linalg.norm(x, axis=0) * W4)


def r_norm_ax0_keep(x):
    return np.sum(np.linalg.norm(x, axis=0, keepdims=True) * W)


def r_norm_ax1(x):
    return np.sum(np.linalg.norm(x, axis=1) * W3)


def r_norm_ax1_keep(x):
    return np.sum(np.linalg.norm(x, axis=1, keepdims=True) * W)



def r_amax(x):
    return np.amax(x) * C


def r_amax_ax1(x):
    return np.sum(np.amax(x, axis=1) * W3)


def r_amin(x):
    return np.amin(x) * C


def r_amin_ax0_keep(x):
    return np.sum(np.amin(x, axis=0, keepdims=True) * W)


def r_var_ddof1(x):
    return np.sum(np.var(x, axis=0, ddof=1) * W4)


def r_std_ddof1(x):
    return np.std(x, ddof=1) * C


def r_sum_axis_tuple(x):
    return np.sum(np.sum(x, axis=(0, 2)) * W3)


def r_mean_axis_tuple(x):
    return np.sum(np.mean(x, axis=(0, 2)) * W3)


def r_sum_axis_neg(x):
    return np.sum(np.sum(x, axis=-1) * W3)


def r_max_vector(x):
    return np.max(x) * C


def r_norm_vector(x):
    return np.linalg.norm(x) * C


def r_norm_ord2_vector(x):
    return np.linalg.norm(x, 2) * C


def r_norm_fro(x):
    return np.linalg.norm(x, "fro") * C


def r_norm_ord1_vector(x):
    return np.linalg.norm(x, 1) * C


def r_norm_inf_vector(x):
    return np.linalg.norm(x, np.inf) * C


def r_sum_method(x):
    return np.sum(x.sum(axis=1) * W3)


def r_mean_method(x):
    return x.mean() * C


def r_max_method(x):
    return np.sum(x.max(axis=0) * W4)


def r_min_method(x):
    return x.min() * C


def r_prod_method(x):
    return x.prod() * C


def r_var_method(x):
    return x.var() * C


def r_std_method(x):
    return np.sum(x.std(axis=1) * W3)


# ------------------------------------------------------ linear algebra

def la_matmul_op_vv(a, b):
    return (a @ b) * C


def la_matmul_op_mv(a, b):
    return np.sum((a @ b) * W3)


def la_matmul_op_vm(a, b):
    return np.sum((a @ b) * W4)


def la_matmul_op_mm(a, b):
    return np.sum((a @ b) * W32)


def la_matmul_vv(a, b):
    return np.matmul(a, b) * C


def la_matmul_mv(a, b):
    return np.sum(np.matmul(a, b) * W3)


def la_matmul_vm(a, b):
    return np.sum(np.matmul(a, b) * W4)


def la_matmul_mm(a, b):
    return np.sum(np.matmul(a, b) * W32)


def la_dot_vv(a, b):
    return np.dot(a, b) * C


def la_dot_mv(a, b):
    return np.sum(np.dot(a, b) * W3)


def la_dot_vm(a, b):
    return np.sum(np.dot(a, b) * W4)


def la_dot_mm(a, b):
    return np.sum(np.dot(a, b) * W32)


def la_dot_method_vv(a, b):
    return a.dot(b) * C


def la_dot_method_mv(a, b):
    return np.sum(a.dot(b) * W3)


def la_dot_method_vm(a, b):
    return np.sum(a.dot(b) * W4)


def la_dot_method_mm(a, b):
    return np.sum(a.dot(b) * W32)


def la_dot_scalar(s, x):
    return np.sum(np.dot(s, x) * W)


def la_matmul_batched(a, b):
    return np.sum((a @ b) * W234)


def la_outer(a, b):
    return np.sum(np.outer(a, b) * W)


def la_outer_2d(a, b):
    return np.sum(np.outer(a, b) * W)


# --------------------------------------------------------------- shapes

def s_T(x):
    return np.sum(x.T * W)


def s_transpose(x):
    return np.sum(np.transpose(x) * W)


def s_transpose_axes(x):
    return np.sum(np.transpose(x, (2, 0, 1)) * W234)


def s_reshape(x):
    return np.sum(np.reshape(x, (3, 4)) * W)


def s_reshape_neg(x):
    return np.sum(np.reshape(x, (-1, 4)) * W)


def s_reshape_method(x):
    return np.sum(x.reshape(3, 4) * W)


def s_expand_dims0(x):
    return np.sum(np.expand_dims(x, 0) * W)


def s_expand_dims1(x):
    return np.sum(np.expand_dims(x, 1) * W)


def s_squeeze(x):
    return np.sum(np.squeeze(x) * W)


def s_squeeze_axis(x):
    return np.sum(np.squeeze(x, axis=1) * W)


def s_ravel(x):
    return np.sum(np.ravel(x) * W12)


def s_ravel_method(x):
    return np.sum(x.ravel() * W12)


def s_concatenate(x, y):
    return np.sum(np.concatenate([x, y]) * W)


def s_concatenate_axis1(x, y):
    return np.sum(np.concatenate([x, y], axis=1) * W)


def s_concatenate_repeat(x, y):
    return np.sum(np.concatenate((x, y, x)) * W)


def s_stack(x, y):
    return np.sum(np.stack([x, y, x]) * W)


def s_stack_axis1(x, y):
    return np.sum(np.stack([x, y, x, y], axis=1) * W)


def s_broadcast_to(x):
    return np.sum(np.broadcast_to(x, (3, 4)) * W)


def s_array_floats(a, b):
    return np.sum(np.array([a, b, a * b]) * W3)


def s_array_arrays(x, y):
    return np.sum(np.array([x, y, x]) * W)


def s_asarray(x):
    return np.sum(np.asarray(x) * W)


def s_asarray_list(a, b):
    return np.sum(np.asarray([a, b]) * W2)


def s_astype(x):       # (np.astype: NumPy >= 2.1; SciPy's array-API code calls it)
    return np.sum(np.astype(x, np.float64) * W)


# ------------------------------------------------------- indexing reads

def i_first(x):
    return np.sum(x[0] * W4)


def i_last(x):
    return np.sum(x[-1] * W4)


def i_first_scalar(x):
    return x[0] * C


def i_slice(x):
    return np.sum(x[1:4] * W3)


def i_step(x):
    return np.sum(x[::2] * W3)


def i_newaxis(x):
    return np.sum(x[:, None] * W)


def i_fancy_repeated(x):
    return np.sum(x[[0, 2, 2]] * W3)


def i_fancy_negative(x):
    return np.sum(x[[-1, 0]] * W2)


def i_element(x):
    return x[1, 2] * C


def i_column(x):
    return np.sum(x[:, 1] * W3)


def i_2d_slice(x):
    return np.sum(x[1:, ::2] * W[1:, ::2])


def i_ellipsis(x):
    return np.sum(x[..., 0] * W3)


def i_mask(x):
    return np.sum(x[MASK] * WM)


def m_log_base2(x):
    return math.log(x, 2.0) * C


def o_mod(x, y):
    return np.sum((x % y) * W)


def e_np_mod(x, y):
    return np.sum(np.mod(x, y) * W)


def e_np_remainder(x, y):
    return np.sum(np.remainder(x, y) * W)


# ------------------------------------------------- array building and sorting

def b_full(v):
    return np.sum(np.full((3, 4), v) * W)


def b_full_row(v):
    return np.sum(np.full((3, 4), v) * W)


def b_full_like(x, v):
    return np.sum(np.full_like(x, v) * W)


def b_linspace(a, b):
    return np.sum(np.linspace(a, b, 4) * W4)


def b_linspace_open(a, b):
    return np.sum(np.linspace(a, b, 4, endpoint=False) * W4)


def b_linspace_vec(a, b):
    return np.sum(np.linspace(a, b, 3) * W)


def b_arange(a, step):
    return np.sum(np.arange(a, a + 3.5, step) * W4)


def b_sort(x):
    return np.sum(np.sort(x) * W)


def b_sort_ax0(x):
    return np.sum(np.sort(x, axis=0) * W)


def b_sort_flat(x):
    return np.sum(np.sort(x, axis=None) * W12)


def m_copysign(x, y):
    return math.copysign(x, y) * C


def np_copysign(x, y):
    return np.sum(np.copysign(x, y) * W)


def b_r_(x, a):
    return np.sum(np.r_[x, a, x] * np.r_[W4, C, W4])


def b_c_(x, y):
    return np.sum(np.c_[x, y] * W32)


def b_random_normal(mu, sigma):
    np.random.seed(3)
    return np.sum(np.random.normal(mu, sigma, (3, 4)) * W)


def b_random_uniform(lo, hi):
    np.random.seed(4)
    return np.sum(np.random.uniform(lo, hi, (3, 4)) * W)


def b_astype_int(x):
    return np.sum(x.astype(int) * W) + np.sum(x * W)


def s_copy(x):
    y = np.copy(x)
    y[0] = 0.0
    return np.sum(y * W) + np.sum(x * W)


def s_copy_method(x):
    y = x.copy()
    y *= 2.0
    return np.sum(y * W) + np.sum(x * W)


def la_dot_nd(a, b):
    out = np.dot(a, b)
    return np.sum(out * np.linspace(0.5, 1.5, out.size).reshape(out.shape))


def la_matmul_nd(a, b):
    out = np.matmul(a, b)
    return np.sum(out * np.linspace(0.5, 1.5, out.size).reshape(out.shape))


def b_diff(x):
    return np.sum(np.diff(x) * W[:, :3])


def b_diff2_ax0(x):
    return np.sum(np.diff(x, 2, axis=0) * W[:1])


# linear algebra: the matrix is shifted by 4 I so that it stays well away
# from singular for entries in [-0.5, 0.5]
EYE3 = 4.0 * np.eye(3)


def r_inv(x):
    return np.sum(np.linalg.inv(x + EYE3) * W33)


def r_cholesky(x):
    # (a non-symmetric argument: NumPy reads its lower triangle)
    return np.sum(np.sin(np.linalg.cholesky(x + 3.0 * EYE3)) * W33)


def r_eigvalsh(x):
    # (a non-symmetric argument: NumPy reads its lower triangle)
    return np.sum(np.linalg.eigvalsh(x + EYE3) * np.array([1.0, -2.0, 0.5]))


def r_det(x):
    return np.linalg.det(x + EYE3) * C


def r_solve_vec(a, b):
    return np.sum(np.linalg.solve(a + EYE3, b) * W3)


def r_solve_mat(a, b):
    return np.sum(np.linalg.solve(a + EYE3, b) * W32)


# selections (rules/selections.py): a fixed weight per result element, so
# that every element's adjoint differs
def _weights(shape):
    return np.cos(np.arange(int(np.prod(shape))).reshape(shape) + 1.0)


def r_flip(x):
    return np.sum(np.flip(x, 1) * _weights((3, 4)) * x)


def r_fliplr(x):
    return np.sum(np.fliplr(x) ** 2 * _weights((3, 4)))


def r_flipud(x):
    return np.sum(np.flipud(x) * _weights((3, 4)) * x)


def r_roll(x):
    return np.sum(np.roll(x, 2, axis=1) * _weights((3, 4)) * x)


def r_tile(x):
    return np.sum(np.tile(x, (2, 3)) ** 2 * _weights((2, 12)))


def r_repeat(x):
    return np.sum(np.repeat(x, 2, axis=0) ** 2 * _weights((6, 4)))


def r_diag(x):
    return np.sum(np.diag(x, 1) ** 2 * _weights((5, 5)))


def r_diagonal(x):
    return np.sum(np.diagonal(x, 1) ** 3)


def r_triu(x):
    return np.sum(np.triu(x, 1) ** 2 * _weights((3, 4)))


def r_tril(x):
    return np.sum(np.tril(x) * x * _weights((3, 4)))


def r_moveaxis(x):
    return np.sum(np.moveaxis(x[:, :, None] * x[:, None, :], 0, -1) * _weights((4, 4, 3)))


def r_swapaxes(x):
    return np.sum(np.swapaxes(x, 0, 1) ** 2 * _weights((4, 3)))


def r_rollaxis(x):
    return np.sum(np.rollaxis(x[:, :, None] * x[:, None, :], 2) * _weights((4, 3, 4)))


def r_atleast_1d(x):
    return np.sum(np.atleast_1d(x) ** 2)


def r_atleast_2d(x):
    return np.sum(np.atleast_2d(x) ** 2 * _weights((1, 4)))


def r_atleast_3d(x):
    return np.sum(np.atleast_3d(x) ** 2 * _weights((3, 4, 1)))


def r_take(x):
    return np.sum(np.take(x, [1, 1, 0], axis=1) ** 2 * _weights((3, 3)))


def r_take_along_axis(x):
    return np.sum(np.take_along_axis(x, np.array([[2, 0], [1, 1], [3, 3]]), axis=1) ** 2
                  * _weights((3, 2)))


def r_pad(x):
    return np.sum(np.pad(x, ((1, 0), (2, 2)), "reflect") ** 2 * _weights((4, 8)))


def r_hstack(x):
    return np.sum(np.hstack([x, 2.0 * x, x ** 2]) * _weights((12,)))


def r_vstack(x):
    return np.sum(np.vstack([x, x ** 2]) ** 2 * _weights((2, 4)))


def r_dstack(x):
    return np.sum(np.dstack([x, x * x]) * _weights((3, 4, 2)))


def r_column_stack(x):
    return np.sum(np.column_stack([x, x ** 2]) ** 2 * _weights((4, 2)))


def r_split(x):
    left, right = np.split(x, 2, axis=1)
    return np.sum(right ** 2 * _weights((3, 2)) + left)


def r_array_split(x):
    return np.sum(np.array_split(x, 3)[0] ** 2)


def r_hsplit(x):
    return np.sum(np.hsplit(x, [1])[1] ** 2 * _weights((3, 3)))


def r_vsplit(x):
    return np.sum(np.vsplit(x, 3)[2] ** 3)


def r_cumsum(x):
    return np.sum(np.cumsum(x, axis=0) ** 2 * _weights((3, 4)))


def r_trace(x):
    return np.trace(x @ x) ** 2


def m_asinh(x):
    return math.asinh(x) * C


def m_acosh(x):
    return math.acosh(x) * C


def m_atanh(x):
    return math.atanh(x) * C


def m_radians(x):
    return math.radians(x) * C


def m_degrees(x):
    return math.degrees(x) * C


def np_arcsinh(x):
    return np.sum(np.arcsinh(x) * W)


def np_arccosh(x):
    return np.sum(np.arccosh(x) * W)


def np_arctanh(x):
    return np.sum(np.arctanh(x) * W)


def np_deg2rad(x):
    return np.sum(np.deg2rad(x) * W)


def np_radians(x):
    return np.sum(np.radians(x) * W)


def np_rad2deg(x):
    return np.sum(np.rad2deg(x) * W)


def np_degrees(x):
    return np.sum(np.degrees(x) * W)


def np_fabs(x):
    return np.sum(np.fabs(x) * W)


def np_sinc(x):
    return np.sum(np.sinc(x) * W)


def np_sinc_near_0(x):
    return np.sum(np.sinc(x * 1e-4) * W)


def np_ldexp(x):
    return np.sum(np.ldexp(x, 3) * W)


def np_logaddexp2(x, y):
    return np.sum(np.logaddexp2(x, y) * W)


def np_fmax(x, y):
    return np.sum(np.fmax(x, y) * W)


def np_fmin(x, y):
    return np.sum(np.fmin(x, y) * W)


def np_heaviside(x, h):
    return np.sum(np.heaviside(x, h) * W + x * h)


def np_heaviside_at_0(x, h):
    return np.sum(np.heaviside(x * 0.0, h) * W)


def np_conj(x):
    return np.sum(np.conj(x) * W)


def np_conjugate(x):
    return np.sum(np.conjugate(x) * W)


def b_list_rows(x):
    rows = list(x)
    return np.sum(rows[0] * rows[2] + rows[1]) * C
