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
from . import vjp, nondiff

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


@vjp(operator.pow, np.power, builtins.pow)
def _pow(g, ans, x, y):
    return (_ad.unbroadcast(g * y * x ** (y - 1), x),
            _ad.unbroadcast(g * ans * np.log(np.where(x > 0, x, 1.0)), y))


@vjp(math.pow)
def _mpow(g, ans, x, y):
    return g * y * math.pow(x, y - 1), g * ans * math.log(x) if x > 0 else 0.0


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
    return g * x / ans, g * y / ans


@vjp(math.erf)
def _merf(g, ans, x):
    return g * 1.1283791670955126 * math.exp(-x * x)


@vjp(math.erfc)
def _merfc(g, ans, x):
    return -g * 1.1283791670955126 * math.exp(-x * x)


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
    return _ad.unbroadcast(g * x / ans, x), _ad.unbroadcast(g * y / ans, y)


@vjp(np.logaddexp)
def _logaddexp(g, ans, x, y):
    return _ad.unbroadcast(g * np.exp(x - ans), x), _ad.unbroadcast(g * np.exp(y - ans), y)


@vjp(np.maximum)
def _maximum(g, ans, x, y):
    return (_ad.unbroadcast(g * (x >= y), x),
            _ad.unbroadcast(g * (x < y), y))


@vjp(np.minimum)
def _minimum(g, ans, x, y):
    return (_ad.unbroadcast(g * (x <= y), x),
            _ad.unbroadcast(g * (x > y), y))


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
    if a_min is None:
        glo = None
    else:
        glo = _ad.unbroadcast(g * (x < a_min), a_min)
    if a_max is None:
        ghi = None
    else:
        ghi = _ad.unbroadcast(g * (x > a_max), a_max)
    return gx, glo, ghi


# ---------------------------------------------------------------- reductions

@vjp(builtins.sum)
def _bsum(g, ans, x, start=0):
    return _ad.sum_grad(g, x), g


@vjp(np.sum)
def _sum(g, ans, x, axis=None, dtype=None, out=None, keepdims=False):
    return _ad.broadcast_to_shape(g, x, axis, keepdims)


@vjp(np.mean)
def _mean(g, ans, x, axis=None, dtype=None, out=None, keepdims=False):
    return _ad.broadcast_to_shape(g, x, axis, keepdims) / _ad.reduced_count(x, axis)


@vjp(np.prod)
def _prod(g, ans, x, axis=None, dtype=None, out=None, keepdims=False):
    return _ad.keep_reduced(g * ans, x, axis, keepdims) / x


@vjp(np.max, np.amax, np.min, np.amin)
def _max(g, ans, x, axis=None, out=None, keepdims=False):
    return _ad.maxmin_grad(g, ans, x, axis, keepdims)


@vjp(np.var)
def _var(g, ans, x, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    return _ad.var_grad(g, x, axis, ddof, keepdims)


@vjp(np.std)
def _std(g, ans, x, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    return _ad.var_grad(g / (2.0 * ans), x, axis, ddof, keepdims)


@vjp(np.linalg.norm)
def _norm(g, ans, x, ord=None, axis=None, keepdims=False):
    return _ad.norm_grad(g, ans, x, ord, axis, keepdims)


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


# --------------------------------------------------------- not differentiable

nondiff(
    len, range, int, bool, round, isinstance, type, print, slice, reversed,
    operator.lt, operator.le, operator.gt, operator.ge, operator.eq, operator.ne,
    operator.not_, operator.truth, operator.is_, operator.is_not, operator.contains,
    operator.floordiv, operator.invert, np.floor_divide,
    np.shape, np.ndim, np.size, np.zeros, np.ones, np.empty, np.full, np.eye,
    np.identity, np.arange, np.linspace, np.zeros_like, np.ones_like, np.empty_like,
    np.full_like, np.sign, np.floor, np.ceil, np.round, np.rint, np.trunc,
    np.argmax, np.argmin, np.argsort, np.isfinite, np.isnan, np.isinf,
    np.less, np.less_equal, np.greater, np.greater_equal, np.equal, np.not_equal,
    np.logical_and, np.logical_or, np.logical_not, np.all, np.any, np.random.rand,
    np.random.randn, np.random.normal, np.random.uniform, np.sort,
    math.floor, math.ceil, math.isfinite, math.isnan, math.copysign,
    _ad.zeros_like, _ad.reduced_count, _ad.clip_mask, _ad.global_value,
    _ad.check_scalar_output, _ad.tape_push, np.result_type, float.__round__, _ad.dtype_of,
)


# ------------------------------------------------------- indexing, mutation

@vjp(operator.getitem)
def _getitem(g, ans, x, index):
    return _ad.index_adjoint(g, x, index), None


@vjp(_ad.setitem_copy)
def _setitem(g, ans, x, index, v):
    gv = _ad.unbroadcast(g[index], v)      # (read before g is cleared: see inplace.py)
    return _ad.setitem_grad_x(g, index), None, gv


@vjp(_ad.add_at)
def _add_at(g, ans, a, index, v):
    return g, None, _ad.unbroadcast(g[index], v)


@vjp(_ad.append)
def _append(g, ans, lst, v):
    return _ad.pop_last(g), g[-1]


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
