"""Built-in VJP rules: a cheat sheet of derivatives, one rule per primitive.

`a * b` and `np.multiply(a, b)` are the same primitive and share one rule;
`math.sin` and `np.sin` are different primitives (one takes floats, the other
arrays) and each has its own, so float code stays float code.
"""
import builtins
import math
import operator

import numpy as np

from .. import runtime as _ad
from . import vjp, nondiff, STATIC_CALLS
from ..ir import Const
from ..errors import NoRuleError

# ---------------------------------------------------------------- arithmetic


@vjp(operator.add, np.add)
def _add(g, ans, x, y):
    return _ad.unbroadcast(g, x), _ad.unbroadcast(g, y)


@vjp(operator.sub, np.subtract)
def _sub(g, ans, x, y):
    return _ad.unbroadcast(g, x), _ad.unbroadcast(-g, y)


@vjp(operator.mul, np.multiply)
def _mul(g, ans, x, y):
    return _ad.unbroadcast(g * y, x), _ad.unbroadcast(g * x, y)


@vjp(operator.truediv, np.divide, np.true_divide)
def _div(g, ans, x, y):
    return _ad.unbroadcast(g / y, x), _ad.unbroadcast(-g * ans / y, y)


@vjp(operator.neg, np.negative)
def _neg(g, ans, x):
    return -g


@vjp(operator.pos, np.positive, _ad.identity)
def _pos(g, ans, x):
    return g


@vjp(builtins.float)
def _float(g, ans, x):
    return _ad.like(g, x)       # a 0-d array argument gets a 0-d array gradient


@vjp(_ad.like)
def _like(g, ans, gg, x):
    return _ad.like(g, gg), None


@vjp(operator.pow, np.power, builtins.pow, _ad.float_power)
def _pow(g, ans, x, y):
    gy = _ad.unbroadcast(g * ans * np.log(np.where(x > 0, x, 1.0)), y)
    c = _ad.constant(y)         # (decided when the code is made)
    if c == 0:
        return None, gy
    if c is not None and c >= 1:
        # y * x ** (y - 1) is finite everywhere: write it out
        return _ad.unbroadcast(g * y * x ** (y - 1), x), gy
    return _ad.unbroadcast(_ad.pow_scaled(g, x, y), x), gy


@vjp(math.pow)
def _mpow(g, ans, x, y):
    gy = g * ans * math.log(x) if x > 0 else 0.0
    c = _ad.constant(y)
    if c == 0:
        return None, gy
    if c is not None and c >= 1:
        return g * y * math.pow(x, y - 1), gy
    return _ad.pow_scaled(g, x, y), gy


@vjp(_ad.pow_scaled)
def _pow_scaled(g, ans, d, x, y):
    # linear in d; in x it is the next power down
    return (_ad.unbroadcast(_ad.pow_scaled(g, x, y), d),
            _ad.unbroadcast(_ad.pow_scaled(g * d * y, x, y - 1), x),
            _ad.unbroadcast(_ad.pow_dy(g * d, x, y), y))


@vjp(operator.mod, np.mod, np.remainder)
def _mod(g, ans, x, y):
    # x % y = x - floor(x / y) * y, and floor is piecewise constant
    return _ad.unbroadcast(g, x), _ad.unbroadcast(-g * np.floor(x / y), y)


@vjp(np.square)
def _square(g, ans, x):
    return g * 2 * x


@vjp(np.reciprocal)
def _reciprocal(g, ans, x):
    return -g * ans * ans


@vjp(operator.matmul, np.matmul)
def _matmul(g, ans, a, b):
    return _ad.matmul_grad_a(g, a, b), _ad.matmul_grad_b(g, a, b)


@vjp(np.dot)
def _dot(g, ans, a, b):
    return _ad.dot_grad_a(g, a, b), _ad.dot_grad_b(g, a, b)


@vjp(np.outer)
def _outer(g, ans, a, b):
    return np.dot(g, np.ravel(b)).reshape(np.shape(a)), np.dot(np.ravel(a), g).reshape(np.shape(b))


@vjp(builtins.abs, operator.abs, np.abs, np.absolute)
def _abs(g, ans, x):
    return g * np.sign(x)


@vjp(math.fabs)
def _fabs(g, ans, x):
    return g * math.copysign(1.0, x) if x != 0 else 0.0


# --------------------------------------------------------- math (float) rules

@vjp(math.sin)
def _msin(g, ans, x):
    return g * math.cos(x)


@vjp(math.cos)
def _mcos(g, ans, x):
    return -g * math.sin(x)


@vjp(math.tan)
def _mtan(g, ans, x):
    return g * (1.0 + ans * ans)


@vjp(math.exp)
def _mexp(g, ans, x):
    return g * ans


@vjp(math.expm1)
def _mexpm1(g, ans, x):
    return g * (ans + 1.0)


@vjp(math.log)
def _mlog(g, ans, x, base=None):
    if base is None:
        return g / x
    return g / (x * math.log(base)), -g * ans / (base * math.log(base))


@vjp(math.log1p)
def _mlog1p(g, ans, x):
    return g / (1.0 + x)


@vjp(math.log2)
def _mlog2(g, ans, x):
    return g / (x * math.log(2.0))


@vjp(math.log10)
def _mlog10(g, ans, x):
    return g / (x * math.log(10.0))


@vjp(math.sqrt)
def _msqrt(g, ans, x):
    return g * 0.5 / ans


@vjp(math.tanh)
def _mtanh(g, ans, x):
    return g * (1.0 - ans * ans)


@vjp(math.sinh)
def _msinh(g, ans, x):
    return g * math.cosh(x)


@vjp(math.cosh)
def _mcosh(g, ans, x):
    return g * math.sinh(x)


@vjp(math.asin)
def _masin(g, ans, x):
    return g / math.sqrt(1.0 - x * x)


@vjp(math.acos)
def _macos(g, ans, x):
    return -g / math.sqrt(1.0 - x * x)


@vjp(math.atan)
def _matan(g, ans, x):
    return g / (1.0 + x * x)


@vjp(math.atan2)
def _matan2(g, ans, y, x):
    return g * x / (x * x + y * y), -g * y / (x * x + y * y)


@vjp(math.hypot)
def _mhypot(g, ans, x, y):
    h = ans + (ans == 0)        # (0 at the origin, as for np.linalg.norm: no 0 / 0)
    return g * x / h, g * y / h


@vjp(math.erf)
def _merf(g, ans, x):
    return g * 1.1283791670955126 * math.exp(-x * x)


@vjp(math.erfc)
def _merfc(g, ans, x):
    return -g * 1.1283791670955126 * math.exp(-x * x)


@vjp(math.asinh)
def _masinh(g, ans, x):
    return g / math.sqrt(x * x + 1.0)


@vjp(math.acosh)
def _macosh(g, ans, x):
    return g / (math.sqrt(x - 1.0) * math.sqrt(x + 1.0))


@vjp(math.atanh)
def _matanh(g, ans, x):
    return g / (1.0 - x * x)


@vjp(math.radians)
def _mradians(g, ans, x):
    return g * 0.017453292519943295


@vjp(math.degrees)
def _mdegrees(g, ans, x):
    return g * 57.29577951308232


# -------------------------------------------------- numpy elementwise rules

@vjp(np.sin)
def _sin(g, ans, x):
    return g * np.cos(x)


@vjp(np.cos)
def _cos(g, ans, x):
    return -g * np.sin(x)


@vjp(np.tan)
def _tan(g, ans, x):
    return g * (1.0 + ans * ans)


@vjp(np.exp)
def _exp(g, ans, x):
    return g * ans


@vjp(np.exp2)
def _exp2(g, ans, x):
    return g * ans * np.log(2.0)


@vjp(np.expm1)
def _expm1(g, ans, x):
    return g * (ans + 1.0)


@vjp(np.log)
def _log(g, ans, x):
    return g / x


@vjp(np.log2)
def _log2(g, ans, x):
    return g / (x * np.log(2.0))


@vjp(np.log10)
def _log10(g, ans, x):
    return g / (x * np.log(10.0))


@vjp(np.log1p)
def _log1p(g, ans, x):
    return g / (1.0 + x)


@vjp(np.sqrt)
def _sqrt(g, ans, x):
    return g * 0.5 / ans


@vjp(np.cbrt)
def _cbrt(g, ans, x):
    return g / (3.0 * ans * ans)


@vjp(np.tanh)
def _tanh(g, ans, x):
    return g * (1.0 - ans * ans)


@vjp(np.sinh)
def _sinh(g, ans, x):
    return g * np.cosh(x)


@vjp(np.cosh)
def _cosh(g, ans, x):
    return g * np.sinh(x)


@vjp(np.arcsin)
def _arcsin(g, ans, x):
    return g / np.sqrt(1.0 - x * x)


@vjp(np.arccos)
def _arccos(g, ans, x):
    return -g / np.sqrt(1.0 - x * x)


@vjp(np.arctan)
def _arctan(g, ans, x):
    return g / (1.0 + x * x)


@vjp(np.arctan2)
def _arctan2(g, ans, y, x):
    return (_ad.unbroadcast(g * x / (x * x + y * y), y),
            _ad.unbroadcast(-g * y / (x * x + y * y), x))


@vjp(np.hypot)
def _hypot(g, ans, x, y):
    h = ans + (ans == 0)
    return _ad.unbroadcast(g * x / h, x), _ad.unbroadcast(g * y / h, y)


@vjp(np.logaddexp)
def _logaddexp(g, ans, x, y):
    return _ad.unbroadcast(g * np.exp(x - ans), x), _ad.unbroadcast(g * np.exp(y - ans), y)


@vjp(np.maximum)
def _maximum(g, ans, x, y):
    return (_ad.unbroadcast(g * np.greater_equal(x, y), x),
            _ad.unbroadcast(g * np.less(x, y), y))


@vjp(np.minimum)
def _minimum(g, ans, x, y):
    return (_ad.unbroadcast(g * np.less_equal(x, y), x),
            _ad.unbroadcast(g * np.greater(x, y), y))


@vjp(builtins.max)
def _bmax(g, ans, x, y=None):
    if y is None:       # max(iterable)
        return _ad.select_grad(g, ans, x)
    return g * (x >= y), g * (x < y)


@vjp(builtins.min)
def _bmin(g, ans, x, y=None):
    if y is None:       # min(iterable)
        return _ad.select_grad(g, ans, x)
    return g * (x <= y), g * (x > y)


@vjp(np.where)
def _where(g, ans, c, x, y):
    return None, _ad.unbroadcast(np.where(c, g, 0.0), x), _ad.unbroadcast(np.where(c, 0.0, g), y)


@vjp(np.clip)
def _clip(g, ans, x, a_min=None, a_max=None):
    gx = _ad.unbroadcast(g * _ad.clip_mask(x, a_min, a_max), x)
    # (NumPy computes minimum(maximum(x, a_min), a_max): where a_min > a_max
    # every element is a_max)
    if a_min is None:
        glo = None
        ghi = _ad.unbroadcast(g * np.greater(x, a_max), a_max)
    elif a_max is None:
        glo = _ad.unbroadcast(g * np.less(x, a_min), a_min)
        ghi = None
    else:
        glo = _ad.unbroadcast(g * (np.less(x, a_min) & np.less_equal(a_min, a_max)), a_min)
        ghi = _ad.unbroadcast(g * np.greater(np.maximum(x, a_min), a_max), a_max)
    return gx, glo, ghi


# ---------------------------------------------------------------- reductions

@vjp(builtins.sum)
def _bsum(g, ans, x, start=0):
    return _ad.sum_grad(g, x), g


@vjp(math.fsum)
def _fsum(g, ans, x):
    return _ad.sum_grad(g, x)


@vjp(np.sum)
def _sum(g, ans, x, axis=None, dtype=None, out=None, keepdims=False):
    return _ad.broadcast_to_shape(g, x, axis, keepdims)


@vjp(np.mean)
def _mean(g, ans, x, axis=None, dtype=None, out=None, keepdims=False):
    return _ad.broadcast_to_shape(g, x, axis, keepdims) / _ad.reduced_count(x, axis)


@vjp(np.prod)
def _prod(g, ans, x, axis=None, dtype=None, keepdims=False):
    # (the product of the other factors, not ans / x: exact where x has zeros)
    return _ad.keep_reduced(g, x, axis, keepdims) * _ad.prod_others(x, axis)


@vjp(_ad.prod_others)
def _prod_others(g, ans, x, axis=None):
    # (its Jacobian is symmetric: the tangent map is its own transpose)
    return _ad.prod_others_jvp(g, x, axis)


@vjp(np.max, np.amax, np.min, np.amin)
def _max(g, ans, x, axis=None, out=None, keepdims=False):
    return _ad.maxmin_grad(g, ans, x, axis, keepdims)


@vjp(np.var)
def _var(g, ans, x, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    return _ad.var_grad(g, x, axis, ddof, keepdims)


@vjp(np.std)
def _std(g, ans, x, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    return _ad.var_grad(g * 0.5 * _ad.reciprocal_std(ans, x, axis, keepdims), x, axis, ddof,
                        keepdims)


@vjp(np.linalg.norm)
def _norm(g, ans, x, ord=None, axis=None, keepdims=False):
    return _ad.norm_grad(g, ans, x, ord, axis, keepdims)


# ----------------------------------------------------------- linear algebra
# (for a matrix or a stack of them; `matrix_transpose` swaps the last two axes)

@vjp(_ad.matrix_transpose)
def _matrix_transpose(g, ans, x):
    return _ad.matrix_transpose(g)


@vjp(np.linalg.inv)
def _inv(g, ans, a):
    ans_t = _ad.matrix_transpose(ans)
    return -(ans_t @ g @ ans_t)


@vjp(np.linalg.det)
def _det(g, ans, a):
    # d det(A) / dA = det(A) inv(A)^T
    scale = np.expand_dims(np.expand_dims(g * ans, -1), -1)
    return scale * _ad.matrix_transpose(np.linalg.inv(a))


@vjp(_ad.logabsdet)
def _logabsdet(g, ans, a):
    # d log|det(A)| / dA = inv(A)^T
    return np.expand_dims(np.expand_dims(g, -1), -1) * _ad.matrix_transpose(np.linalg.inv(a))


@vjp(np.linalg.cholesky)
def _cholesky(g, ans, a):
    # A = L L^T (Murray 2016): S = L^-T Phi(L^T G) L^-1, where Phi keeps the
    # lower triangle with its diagonal halved; (S + S^T) / 2 is the adjoint
    # for symmetric changes of A.  NumPy reads A's lower triangle only (an
    # entry below the diagonal stands for itself and its mirror): the
    # adjoint is that lower triangle, doubled off the diagonal
    half = 1.0 - 0.5 * np.eye(ans.shape[-1])
    inv = np.linalg.inv(ans)
    s = _ad.matrix_transpose(inv) @ (np.tril(_ad.matrix_transpose(ans) @ g) * half) @ inv
    return np.tril(s + _ad.matrix_transpose(s)) * half


# eigh: NumPy reads the lower triangle of A (as cholesky does): the adjoint
# for symmetric changes, S, becomes that triangle, doubled off the diagonal

@vjp(_ad.eigh_values, np.linalg.eigvalsh)
def _eigh_values(g, ans, a, UPLO="L"):
    # dw_k = v_k^T dA v_k
    if UPLO != "L":
        _ad.refuse("np.linalg.eigvalsh is differentiated for UPLO='L' (NumPy's default)")
    v = _ad.eigh_vectors(a)
    s = (v * np.expand_dims(g, -2)) @ _ad.matrix_transpose(v)
    return np.tril(s + _ad.matrix_transpose(s)) * (1.0 - 0.5 * np.eye(ans.shape[-1]))


@vjp(_ad.eigh_vectors)
def _eigh_vectors(g, ans, a):
    # dV = V (F o (V^T dA V)), F_ij = 1 / (w_j - w_i) off the diagonal
    n = ans.shape[-1]
    w = _ad.eigh_values(a)
    f = (1.0 - np.eye(n)) / (np.expand_dims(w, -2) - np.expand_dims(w, -1) + np.eye(n))
    s = ans @ (f * (_ad.matrix_transpose(ans) @ g)) @ _ad.matrix_transpose(ans)
    s = 0.5 * (s + _ad.matrix_transpose(s))
    return np.tril(s + _ad.matrix_transpose(s)) * (1.0 - 0.5 * np.eye(n))


@vjp(np.linalg.solve)
def _solve(g, ans, a, b):
    # x = A^-1 b: b's adjoint solves with A^T, A's is minus its outer product with x
    g_cols = np.linalg.solve(_ad.matrix_transpose(a), _ad.as_columns(g, b))
    ga = -(g_cols @ _ad.matrix_transpose(_ad.as_columns(ans, b)))
    return _ad.unbroadcast(ga, a), _ad.unbroadcast(_ad.from_columns(g_cols, b), b)


@vjp(_ad.as_columns)
def _as_columns(g, ans, x, b):
    return _ad.from_columns(g, b), None


@vjp(_ad.from_columns)
def _from_columns(g, ans, x, b):
    return _ad.as_columns(g, b), None


# ------------------------------------------------------------------- shapes

@vjp(np.transpose)
def _transpose(g, ans, x, axes=None):
    return _ad.transpose_grad(g, axes)


@vjp(np.reshape)
def _reshape(g, ans, x, shape=None):
    return np.reshape(g, np.shape(x))


@vjp(np.ravel)
def _ravel(g, ans, x):
    return np.reshape(g, np.shape(x))


@vjp(np.squeeze, np.expand_dims)
def _squeeze(g, ans, x, axis=None):
    return np.reshape(g, np.shape(x))


@vjp(np.array, np.asarray)
def _array(g, ans, x, dtype=None):
    if dtype is None:
        return _ad.array_grad(g, x)
    kind = _ad.dtype_kind(dtype)        # (decided when the code is made)
    if kind is None:
        return _ad.cast_grad(g, x, dtype)
    if kind not in "fc":
        return None                     # a cast to integers is piecewise constant
    return _ad.array_grad(g, x)


@vjp(np.broadcast_to)
def _broadcast_to(g, ans, x, shape):
    return _ad.unbroadcast(g, x)


@vjp(_ad.unbroadcast)
def _unbroadcast(g, ans, x, target):
    return np.broadcast_to(g, np.shape(x))


@vjp(_ad.broadcast_to_shape)
def _broadcast_to_shape(g, ans, x, target, axis=None, keepdims=False):
    return np.sum(g, axis=axis, keepdims=keepdims)


@vjp(_ad.keep_reduced)
def _keep_reduced(g, ans, x, target, axis=None, keepdims=False):
    return np.reshape(g, np.shape(x))


@vjp(_ad.index_adjoint)
def _index_adjoint(g, ans, gx, x, index):
    return g[index]


@vjp(_ad.reshape_like)
def _reshape_like(g, ans, x, target):
    return np.reshape(g, np.shape(x))


@vjp(_ad.scalar)
def _scalar(g, ans, x):
    return g


# ------------------------------------------------- attributes of objects

# An attribute of a plain object (cfg.lr, model.W) is read when the code
# runs, a constant to differentiation: right for objects made outside the
# function, but an object made inside it from the inputs (m = Model(w);
# m.loss(x) reading self.w) would hand on their values without derivatives.
# Such a read is active, and refused here (a zero gradient otherwise).
_ATTRIBUTE_OF_INPUTS = ("an attribute of an object made inside the function from the "
                        "differentiated inputs carries no derivative (ast_ad reads "
                        "attributes when the code runs); make the object outside the "
                        "function and differentiate its method (grad(model.loss)), or pass "
                        "the arrays themselves")


@vjp(getattr)
def _getattr(g, ans, obj, name, *default):
    _ad.refuse(_ATTRIBUTE_OF_INPUTS)


# --------------------------------------------------------- not differentiable

nondiff(
    len, range, int, bool, round, isinstance, type, print, slice, reversed,
    operator.lt, operator.le, operator.gt, operator.ge, operator.eq, operator.ne,
    operator.not_, operator.truth, operator.is_, operator.is_not, operator.contains,
    operator.floordiv, operator.invert, np.floor_divide,
    np.shape, np.ndim, np.size, np.zeros, np.ones, np.empty, np.eye,
    np.identity, np.zeros_like, np.ones_like, np.empty_like,
    np.sign, np.floor, np.ceil, np.round, np.rint, np.trunc,
    np.argmax, np.argmin, np.argsort, np.isfinite, np.isnan, np.isinf,
    np.less, np.less_equal, np.greater, np.greater_equal, np.equal, np.not_equal,
    np.logical_and, np.logical_or, np.logical_not, np.all, np.any, np.random.rand,
    np.random.randn, math.floor, math.ceil, math.isfinite, math.isnan,
    _ad.zeros_like, _ad.reduced_count, _ad.clip_mask, _ad.global_value,
    _ad.check_scalar_output, _ad.tape_push, np.result_type, float.__round__, _ad.dtype_of,
    _ad.slogdet_sign,
)

# evaluated when the code is made: the exponent of a power, if it is a constant
STATIC_CALLS[_ad.constant] = lambda o: (
    o.value if isinstance(o, Const) and type(o.value) in (int, float) else None)


def _refuse(message):
    raise NoRuleError(message.value)


# a rule that cannot differentiate a call says so when it is lowered
STATIC_CALLS[_ad.refuse] = _refuse
nondiff(_ad.format_string, _ad.first_order_only, _ad.constant, _ad.refuse, _ad.unsupported, _ad.raise_exception, _ad.dtype_kind, _ad.linspace_weights,
        _ad.nan_to_num_fill)


def _dtype_kind(dtype):
    """The kind letter of a dtype that is a constant, else None."""
    if not isinstance(dtype, Const):
        return None
    try:
        return np.dtype(dtype.value).kind
    except TypeError:
        return None


STATIC_CALLS[_ad.dtype_kind] = _dtype_kind


# ---------------------------------------------------- array building, sorting

@vjp(np.full)
def _full(g, ans, shape, fill_value, dtype=None):
    if _ad.dtype_kind(dtype) is not None and _ad.dtype_kind(dtype) not in "fc":
        return None, None
    return None, _ad.unbroadcast(g, fill_value)


@vjp(np.full_like)
def _full_like(g, ans, a, fill_value, dtype=None):
    # (the values of `a` do not matter, only its shape and dtype)
    return None, _ad.unbroadcast(_ad.where_float(g, ans), fill_value)


@vjp(np.linspace)
def _linspace(g, ans, start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    if retstep:
        _ad.refuse("np.linspace(..., retstep=True) is not differentiated; "
                   "compute the step as (stop - start) / (num - 1)")
    t = _ad.linspace_weights(g, num, endpoint, axis)
    return (_ad.unbroadcast(np.sum(g * (1.0 - t), axis=axis), start),
            _ad.unbroadcast(np.sum(g * t, axis=axis), stop))


@vjp(np.arange)
def _arange(g, ans, start, stop=None, step=None, dtype=None):
    # start + i * step: one argument is the stop, which only sets the length
    if stop is None:
        return None
    if step is None:
        return np.sum(g), None
    return np.sum(g), None, np.sum(g * np.arange(np.size(g)))


@vjp(np.sort)
def _sort(g, ans, a, axis=-1, kind=None):
    return _ad.sort_grad(g, a, axis)


@vjp(_ad.sort_grad)
def _sort_grad(g, ans, gg, x, axis=-1):
    return _ad.sort_tangent(g, x, axis), None


@vjp(_ad.sort_tangent)
def _sort_tangent(g, ans, dx, x, axis=-1):
    return _ad.sort_grad(g, x, axis), None


@vjp(math.copysign)
def _mcopysign(g, ans, x, y):
    # |x| with the sign of y: x's slope is the product of the signs
    return g * math.copysign(1.0, x) * math.copysign(1.0, y), None


@vjp(np.copysign)
def _copysign(g, ans, x, y):
    return _ad.unbroadcast(g * np.copysign(1.0, x) * np.copysign(1.0, y), x), None


@vjp(_ad.index_trick)
def _index_trick(g, ans, trick, items):
    return None, _ad.index_trick_grad(g, trick, items)


@vjp(_ad.cast_grad)
def _cast_grad(g, ans, gg, x, dtype):
    return _ad.cast_grad(g, x, dtype), None, None


@vjp(_ad.index_trick_grad)
def _index_trick_grad(g, ans, gg, trick, items):
    return _ad.index_trick(trick, g), None, None


# random draws: the sample as a function of its parameters (the
# reparameterisation of variational inference): the same numbers are drawn

@vjp(np.random.normal)
def _normal(g, ans, loc=0.0, scale=1.0, size=None):
    return _ad.unbroadcast(g, loc), _ad.unbroadcast(g * (ans - loc) / scale, scale)


@vjp(np.random.uniform)
def _uniform(g, ans, low=0.0, high=1.0, size=None):
    u = (ans - low) / (high - low)
    return _ad.unbroadcast(g * (1.0 - u), low), _ad.unbroadcast(g * u, high)


# ------------------------------------------------------- indexing, mutation

@vjp(operator.getitem)
def _getitem(g, ans, x, index):
    return _ad.index_adjoint(g, x, index), None


@vjp(_ad.setitem_copy)
def _setitem(g, ans, x, index, v):
    gv = _ad.unbroadcast(_ad.assigned_grad(g, index), v)   # (read before g is cleared: see inplace.py)
    return _ad.setitem_grad_x(g, index), None, gv


@vjp(_ad.add_at)
def _add_at(g, ans, a, index, v):
    return g, None, _ad.unbroadcast(g[index], v)


@vjp(_ad.repeat_sequence)
def _repeat_sequence(g, ans, seq, n):
    return _ad.repeat_sequence_grad(g, seq), None


@vjp(_ad.append)
def _append(g, ans, lst, v):
    gv = g[-1]      # (read before the list's adjoint drops it: done in place, see inplace.py)
    return _ad.pop_last(g), gv


@vjp(_ad.pop_last)
def _pop_last(g, ans, lst):
    return _ad.append(g, _ad.zeros_like(lst[-1]))


@vjp(_ad.add)
def _structural_add(g, ans, a, b):
    return g, g


@vjp(np.concatenate)
def _concatenate(g, ans, xs, axis=0):
    return _ad.concatenate_grad(g, xs, axis)


@vjp(np.stack)
def _stack(g, ans, xs, axis=0):
    return _ad.stack_grad(g, xs, axis)



@vjp(_ad.inplace_alias)
def _inplace_alias(g, ans, old, new):
    if_array = isinstance(old, np.ndarray)
    return g * (1.0 - if_array), g * if_array


@vjp(_ad.select_grad)
def _select_grad_vjp(g, ans, gg, chosen, xs):
    return _ad.select_tangent(g, chosen, xs), None, None


@vjp(_ad.select_tangent)
def _select_tangent_vjp(g, ans, dxs, chosen, xs):
    return _ad.select_grad(g, chosen, xs), None, None



# ------------------------------------------------ copies and updates in place

@vjp(np.copy)
def _copy(g, ans, x):
    return g


@vjp(_ad.astype)
def _astype(g, ans, x, dtype):
    kind = _ad.dtype_kind(dtype)        # (decided when the code is made)
    if kind is None:
        return _ad.cast_grad(g, x, dtype)
    if kind not in "fc":
        return None                     # a cast to integers is piecewise constant
    return _ad.array_grad(g, x)


@vjp(_ad.flatten)
def _flatten(g, ans, x):
    return np.reshape(g, np.shape(x))


@vjp(_ad.write_through)
def _write_through(g, ans, base, index, old, new):
    grads = _ad.write_through_grads(g, base, index, old)
    return grads[0], None, None, grads[1]


@vjp(_ad.view_refresh, _ad.element_refresh)
def _view_refresh(g, ans, old, base, index, written=None):
    grads = _ad.refresh_grads(g, old, base, index, written)
    return grads[0], grads[1]



@vjp(np.diff)
def _diff(g, ans, a, n=1, axis=-1):
    return _ad.diff_grad(g, n, axis)


@vjp(_ad.diff_grad)
def _diff_grad(g, ans, gg, n=1, axis=-1):
    return np.diff(g, n, axis)


# ------------------------------------- more elementwise functions of NumPy

@vjp(np.arcsinh)
def _arcsinh(g, ans, x):
    return g / np.sqrt(x * x + 1.0)


@vjp(np.arccosh)
def _arccosh(g, ans, x):
    return g / (np.sqrt(x - 1.0) * np.sqrt(x + 1.0))


@vjp(np.arctanh)
def _arctanh(g, ans, x):
    return g / (1.0 - x * x)


@vjp(np.deg2rad, np.radians)
def _deg2rad(g, ans, x):
    return g * 0.017453292519943295


@vjp(np.rad2deg, np.degrees)
def _rad2deg(g, ans, x):
    return g * 57.29577951308232


@vjp(np.fabs)
def _npfabs(g, ans, x):
    return g * np.sign(x)


@vjp(np.sinc)
def _sinc(g, ans, x):
    return g * _ad.sinc_derivative(x, 1)


@vjp(_ad.sinc_derivative)
def _sinc_derivative(g, ans, x, n):
    return g * _ad.sinc_derivative(x, n + 1), None


@vjp(np.logaddexp2)
def _logaddexp2(g, ans, x, y):
    return (_ad.unbroadcast(g * np.exp2(x - ans), x),
            _ad.unbroadcast(g * np.exp2(y - ans), y))


@vjp(np.fmax)
def _fmax(g, ans, x, y):
    # (the other operand where one is NaN, as fmax gives)
    pick_x = np.logical_or(np.greater_equal(x, y), np.isnan(y))
    return _ad.unbroadcast(g * pick_x, x), _ad.unbroadcast(g * np.logical_not(pick_x), y)


@vjp(np.fmin)
def _fmin(g, ans, x, y):
    pick_x = np.logical_or(np.less_equal(x, y), np.isnan(y))
    return _ad.unbroadcast(g * pick_x, x), _ad.unbroadcast(g * np.logical_not(pick_x), y)


@vjp(np.heaviside)
def _heaviside(g, ans, x, h):
    # a step: flat in x; equal to h where x == 0
    return None, _ad.unbroadcast(g * np.equal(x, 0), h)


@vjp(np.ldexp)
def _ldexp(g, ans, x, n):
    return _ad.unbroadcast(np.ldexp(g, n), x), None



@vjp(np.conj, np.conjugate)
def _conj(g, ans, x):
    return np.conj(g)



@vjp(builtins.list)
def _list(g, ans, x):
    return _ad.list_grad(g, x)


@vjp(_ad.list_grad)
def _list_grad(g, ans, gx, x):
    return list(g), None



@vjp(_ad.reciprocal_std)
def _reciprocal_std(g, ans, std, x, axis=None, keepdims=False):
    # (the mask of flat places is constant almost everywhere)
    return -g * ans * ans, None
