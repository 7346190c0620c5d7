"""Built-in JVP rules (forward mode): one rule per primitive, the twin of
rules/core.py.

Format: ``rule(dx, dy, ..., ans, x, y, ...)`` -- the tangents come first,
one per leading differentiable parameter, then ``ans`` (the primal result),
then the primal parameters with their defaults.  A tangent is ``None`` when
its argument is not active (or not passed); ``if dx is None`` is decided
when the rule is inlined, so the generated code holds only the live branch.
The rule returns the tangent of the result (``None``: zero).

Besides the user-facing primitives, the runtime helpers that VJP rules call
(`unbroadcast`, `index_adjoint`, `matmul_grad_a`, ...) have JVP rules too, so
forward mode can run over code that reverse mode generated
(Hessian-vector products, forward-over-reverse).

As plain Python functions the rules can be called on numbers directly
(`call_jvp` binds tangents the way the compiler does):

>>> import numpy as np
>>> float(call_jvp(np.sin, [1.0], np.sin(0.5), [0.5], {})) == float(np.cos(0.5))
True
>>> call_jvp(operator.mul, [2.0, None], 12.0, [3.0, 4.0], {})
8.0
"""
import builtins
import inspect
import math
import operator

import numpy as np

from .. import runtime as _ad
from . import jvp, vjp, jvp_rule
from .core import _ATTRIBUTE_OF_INPUTS

_TWO_OVER_SQRT_PI = 1.1283791670955126
# (called through another name: the lowering reads ``name.append(...)`` as a
# list append statement on `name`)
_append_to = _ad.append

# ---------------------------------------------------------------- arithmetic


@jvp(operator.add, np.add)
def _add(dx, dy, ans, x, y):
    if dy is None:
        return _ad.broadcast_against(dx, y)
    if dx is None:
        return _ad.broadcast_against(dy, x, False)
    return dx + dy


@jvp(operator.mod, np.mod, np.remainder)
def _mod(dx, dy, ans, x, y):
    if dy is None:
        return _ad.broadcast_against(dx, y)
    if dx is None:
        return _ad.broadcast_against(-dy * np.floor(x / y), x)
    return dx - dy * np.floor(x / y)


@jvp(operator.sub, np.subtract)
def _sub(dx, dy, ans, x, y):
    if dy is None:
        return _ad.broadcast_against(dx, y)
    if dx is None:
        return _ad.broadcast_against(-dy, x)
    return dx - dy


@jvp(operator.mul, np.multiply)
def _mul(dx, dy, ans, x, y):
    if dy is None:
        return dx * y
    if dx is None:
        return x * dy
    return dx * y + x * dy


@jvp(operator.truediv, np.divide, np.true_divide)
def _div(dx, dy, ans, x, y):
    if dy is None:
        return dx / y
    if dx is None:
        return -dy * ans / y
    return (dx - dy * ans) / y


@jvp(operator.neg, np.negative)
def _neg(dx, ans, x):
    return -dx


@jvp(operator.pos, np.positive, _ad.identity)
def _pos(dx, ans, x):
    return dx


@jvp(builtins.float)
def _float(dx, ans, x):
    return float(dx)


@jvp(_ad.add_at)
def _add_at(da, dindex, dv, ans, a, index, v):
    # (the index has no derivative, though it may be read from a tape)
    if dv is None:
        return da
    if da is None:
        return _ad.add_at(_ad.zeros_like(a), index, dv)
    return _ad.add_at(da, index, dv)


@jvp(_ad.like)
def _like(dg, dx, ans, g, x):
    if dg is None:
        return None
    return _ad.like(dg, x)


@jvp(_ad.scalar)
def _scalar(dx, ans, x):
    return _ad.scalar(dx)


@jvp(operator.pow, np.power, builtins.pow, _ad.float_power)
def _pow(dx, dy, ans, x, y):
    out = None
    c = _ad.constant(y)         # (decided when the code is made)
    if dx is not None and c != 0:
        if c is not None and c >= 1:
            out = dx * y * x ** (y - 1)
        else:
            out = _ad.pow_scaled(dx, x, y)
    if dy is not None:
        t = dy * ans * np.log(np.where(x > 0, x, 1.0))
        out = t if out is None else out + t
    return out


@jvp(math.pow)
def _mpow(dx, dy, ans, x, y):
    out = None
    c = _ad.constant(y)
    if dx is not None and c != 0:
        if c is not None and c >= 1:
            out = dx * y * math.pow(x, y - 1)
        else:
            out = _ad.pow_scaled(dx, x, y)
    if dy is not None:
        t = dy * ans * math.log(x) if x > 0 else 0.0
        out = t if out is None else out + t
    return out


@jvp(_ad.pow_scaled)
def _pow_scaled(dd, dx, dy, ans, d, x, y):
    out = None
    if dd is not None:
        out = _ad.pow_scaled(dd, x, y)
    if dx is not None:
        t = _ad.pow_scaled(d * y * dx, x, y - 1)
        out = t if out is None else out + t
    if dy is not None:
        t = _ad.pow_dy(d * dy, x, y)
        out = t if out is None else out + t
    return out


@jvp(_ad.pow_dy)
def _pow_dy(dd, dx, dy, ans, d, x, y):
    if dx is not None or dy is not None:
        _ad.refuse("third derivatives of a power with a variable or fractional exponent "
                   "are not supported")
    return _ad.pow_dy(dd, x, y)


@jvp(np.square)
def _square(dx, ans, x):
    return 2.0 * x * dx


@jvp(np.reciprocal)
def _reciprocal(dx, ans, x):
    return -dx * ans * ans


@jvp(operator.matmul, np.matmul)
def _matmul(da, db, ans, a, b):
    if db is None:
        return da @ b
    if da is None:
        return a @ db
    return da @ b + a @ db


@jvp(np.dot)
def _dot(da, db, ans, a, b):
    if db is None:
        return np.dot(da, b)
    if da is None:
        return np.dot(a, db)
    return np.dot(da, b) + np.dot(a, db)


@jvp(np.outer)
def _outer(da, db, ans, a, b):
    if db is None:
        return np.outer(da, b)
    if da is None:
        return np.outer(a, db)
    return np.outer(da, b) + np.outer(a, db)


@jvp(builtins.abs, operator.abs, np.abs, np.absolute)
def _abs(dx, ans, x):
    return dx * np.sign(x)


@jvp(math.fabs)
def _fabs(dx, ans, x):
    return dx * math.copysign(1.0, x) if x != 0 else 0.0


# --------------------------------------------------------- math (float) rules

@jvp(math.sin)
def _msin(dx, ans, x):
    return dx * math.cos(x)


@jvp(math.cos)
def _mcos(dx, ans, x):
    return -dx * math.sin(x)


@jvp(math.tan)
def _mtan(dx, ans, x):
    return dx * (1.0 + ans * ans)


@jvp(math.exp, np.exp)
def _exp(dx, ans, x):
    return dx * ans


@jvp(math.expm1, np.expm1)
def _expm1(dx, ans, x):
    return dx * (ans + 1.0)


@jvp(math.log)
def _mlog(dx, dbase, ans, x, base=None):
    if base is None:
        return dx / x
    if dbase is None:
        return dx / (x * math.log(base))
    t = -dbase * ans / (base * math.log(base))
    if dx is None:
        return t
    return dx / (x * math.log(base)) + t


@jvp(math.log1p)
def _mlog1p(dx, ans, x):
    return dx / (1.0 + x)


@jvp(math.log2)
def _mlog2(dx, ans, x):
    return dx / (x * math.log(2.0))


@jvp(math.log10)
def _mlog10(dx, ans, x):
    return dx / (x * math.log(10.0))


@jvp(math.sqrt, np.sqrt)
def _sqrt(dx, ans, x):
    return dx * 0.5 / ans


@jvp(math.tanh, np.tanh)
def _tanh(dx, ans, x):
    return dx * (1.0 - ans * ans)


@jvp(math.sinh)
def _msinh(dx, ans, x):
    return dx * math.cosh(x)


@jvp(math.cosh)
def _mcosh(dx, ans, x):
    return dx * math.sinh(x)


@jvp(math.asin)
def _masin(dx, ans, x):
    return dx / math.sqrt(1.0 - x * x)


@jvp(math.acos)
def _macos(dx, ans, x):
    return -dx / math.sqrt(1.0 - x * x)


@jvp(math.atan, np.arctan)
def _atan(dx, ans, x):
    return dx / (1.0 + x * x)


@jvp(math.atan2, np.arctan2)
def _atan2(dy, dx, ans, y, x):
    if dx is None:
        return dy * x / (x * x + y * y)
    if dy is None:
        return -dx * y / (x * x + y * y)
    return (dy * x - dx * y) / (x * x + y * y)


@jvp(math.hypot, np.hypot)
def _hypot(dx, dy, ans, x, y):
    h = ans + (ans == 0)        # (0 at the origin, as for np.linalg.norm: no 0 / 0)
    if dy is None:
        return dx * x / h
    if dx is None:
        return dy * y / h
    return (dx * x + dy * y) / h


@jvp(math.erf)
def _merf(dx, ans, x):
    return dx * _TWO_OVER_SQRT_PI * math.exp(-x * x)


@jvp(math.erfc)
def _merfc(dx, ans, x):
    return -dx * _TWO_OVER_SQRT_PI * math.exp(-x * x)


# -------------------------------------------------- numpy elementwise rules

@jvp(np.sin)
def _sin(dx, ans, x):
    return dx * np.cos(x)


@jvp(np.cos)
def _cos(dx, ans, x):
    return -dx * np.sin(x)


@jvp(np.tan)
def _tan(dx, ans, x):
    return dx * (1.0 + ans * ans)


@jvp(np.exp2)
def _exp2(dx, ans, x):
    return dx * ans * np.log(2.0)


@jvp(np.log)
def _log(dx, ans, x):
    return dx / x


@jvp(np.log2)
def _log2(dx, ans, x):
    return dx / (x * np.log(2.0))


@jvp(np.log10)
def _log10(dx, ans, x):
    return dx / (x * np.log(10.0))


@jvp(np.log1p)
def _log1p(dx, ans, x):
    return dx / (1.0 + x)


@jvp(np.cbrt)
def _cbrt(dx, ans, x):
    return dx / (3.0 * ans * ans)


@jvp(np.sinh)
def _sinh(dx, ans, x):
    return dx * np.cosh(x)


@jvp(np.cosh)
def _cosh(dx, ans, x):
    return dx * np.sinh(x)


@jvp(np.arcsin)
def _arcsin(dx, ans, x):
    return dx / np.sqrt(1.0 - x * x)


@jvp(np.arccos)
def _arccos(dx, ans, x):
    return -dx / np.sqrt(1.0 - x * x)


@jvp(np.logaddexp)
def _logaddexp(dx, dy, ans, x, y):
    if dy is None:
        return dx * np.exp(x - ans)
    if dx is None:
        return dy * np.exp(y - ans)
    return dx * np.exp(x - ans) + dy * np.exp(y - ans)


@jvp(builtins.max)
def _bmax(dx, dy, ans, x, y=None):
    if y is None:       # max(iterable): the tangent of the element chosen
        return _ad.select_tangent(dx, ans, x)
    # (written out: a rule calling another rule would be a call in the code)
    if dy is None:
        return dx * (x >= y)
    if dx is None:
        return dy * (x < y)
    return dx * (x >= y) + dy * (x < y)


@jvp(builtins.min)
def _bmin(dx, dy, ans, x, y=None):
    if y is None:
        return _ad.select_tangent(dx, ans, x)
    if dy is None:
        return dx * (x <= y)
    if dx is None:
        return dy * (x > y)
    return dx * (x <= y) + dy * (x > y)


@jvp(np.maximum)
def _maximum(dx, dy, ans, x, y):
    if dy is None:
        return dx * np.greater_equal(x, y)
    if dx is None:
        return dy * np.less(x, y)
    return dx * np.greater_equal(x, y) + dy * np.less(x, y)


@jvp(np.minimum)
def _minimum(dx, dy, ans, x, y):
    if dy is None:
        return dx * np.less_equal(x, y)
    if dx is None:
        return dy * np.greater(x, y)
    return dx * np.less_equal(x, y) + dy * np.greater(x, y)


@jvp(np.where)
def _where(dc, dx, dy, ans, c, x, y):
    if dx is None and dy is None:
        return None
    if dx is None:
        return _ad.broadcast_against(np.where(c, 0.0, dy), x)
    if dy is None:
        return _ad.broadcast_against(np.where(c, dx, 0.0), y)
    return np.where(c, dx, dy)


@jvp(getattr)
def _getattr_jvp(dobj, dname, ans, obj, name):
    # (see rules/core.py: an object made from the inputs)
    _ad.refuse(_ATTRIBUTE_OF_INPUTS)


@jvp(np.clip)
def _clip(dx, dlo, dhi, ans, x, a_min=None, a_max=None):
    out = None
    if dx is not None:
        out = dx * _ad.clip_mask(x, a_min, a_max)
    # (NumPy computes minimum(maximum(x, a_min), a_max): where a_min > a_max
    # every element is a_max)
    if dlo is not None:     # where x is below the lower bound, the result is the bound
        if a_max is None:
            t = dlo * np.less(x, a_min)
        else:
            t = dlo * (np.less(x, a_min) & np.less_equal(a_min, a_max))
        out = t if out is None else out + t
    if dhi is not None:
        if a_min is None:
            t = dhi * np.greater(x, a_max)
        else:
            t = dhi * np.greater(np.maximum(x, a_min), a_max)
        out = t if out is None else out + t
    return out


# ---------------------------------------------------------------- reductions

@jvp(math.fsum)
def _fsum(dx, ans, x):
    return math.fsum(dx)


@jvp(builtins.sum)
def _bsum(dx, dstart, ans, x, start=0):
    if dstart is None:
        return sum(dx)
    if dx is None:
        return _ad.broadcast_against(dstart, ans)
    return sum(dx) + dstart


@jvp(np.sum)
def _sum(dx, ans, x, axis=None, dtype=None, out=None, keepdims=False):
    if keepdims:
        return np.sum(dx, axis=axis, keepdims=keepdims)
    if axis is None:
        return np.sum(dx)
    return np.sum(dx, axis=axis)


@jvp(np.mean)
def _mean(dx, ans, x, axis=None, dtype=None, out=None, keepdims=False):
    if keepdims:
        return np.mean(dx, axis=axis, keepdims=keepdims)
    if axis is None:
        return np.mean(dx)
    return np.mean(dx, axis=axis)


@jvp(np.prod)
def _prod(dx, ans, x, axis=None, dtype=None, keepdims=False):
    t = dx * _ad.prod_others(x, axis)
    if axis is None and not keepdims:
        return np.sum(t)
    return np.sum(t, axis=axis, keepdims=keepdims)


@jvp(_ad.prod_others)
def _prod_others(dx, ans, x, axis=None):
    return _ad.prod_others_jvp(dx, x, axis)


@jvp(_ad.prod_others_jvp)
def _prod_others_jvp(ddx, dx_, ans, dx, x, axis=None):
    # linear in the tangent dx; its derivative in x is a third derivative of np.prod
    if dx_ is not None:
        _ad.refuse("derivatives of np.prod beyond the second are not supported")
    return _ad.prod_others_jvp(ddx, x, axis)


@jvp(np.max, np.amax, np.min, np.amin)
def _max(dx, ans, x, axis=None, out=None, keepdims=False):
    # split equally between the elements that attain the extremum
    if axis is None and not keepdims:
        mask = np.equal(x, ans)
        return np.sum(dx * mask) / np.sum(mask)
    mask = np.equal(x, _ad.keep_reduced(ans, x, axis, keepdims))
    return np.sum(dx * mask, axis=axis, keepdims=keepdims) / np.sum(mask, axis=axis,
                                                                    keepdims=keepdims)


@jvp(np.var)
def _var(dx, ans, x, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    n = _ad.reduced_count(x, axis) if ddof == 0 else _ad.reduced_count(x, axis) - ddof
    if axis is None and not keepdims:
        return 2.0 * np.sum((x - np.mean(x)) * dx) / n
    centred = x - np.mean(x, axis=axis, keepdims=True)
    return 2.0 * np.sum(centred * dx, axis=axis, keepdims=keepdims) / n


@jvp(np.std)
def _std(dx, ans, x, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    n = _ad.reduced_count(x, axis) if ddof == 0 else _ad.reduced_count(x, axis) - ddof
    if axis is None and not keepdims:
        return np.sum((x - np.mean(x)) * dx) / n * _ad.reciprocal_std(ans, x)
    centred = x - np.mean(x, axis=axis, keepdims=True)
    return np.sum(centred * dx, axis=axis, keepdims=keepdims) / n \
        * _ad.reciprocal_std(ans, x, axis, keepdims)


@jvp(_ad.matrix_transpose)
def _matrix_transpose(dx, ans, x):
    return _ad.matrix_transpose(dx)


@jvp(np.linalg.inv)
def _inv(da, ans, a):
    return -(ans @ da @ ans)


@jvp(np.linalg.det)
def _det(da, ans, a):
    # d det(A) = det(A) tr(A^-1 dA)
    return ans * np.sum(_ad.matrix_transpose(np.linalg.inv(a)) * da, axis=(-2, -1))


@jvp(_ad.logabsdet)
def _logabsdet(da, ans, a):
    # d log|det(A)| = tr(A^-1 dA)
    return np.sum(_ad.matrix_transpose(np.linalg.inv(a)) * da, axis=(-2, -1))


@jvp(np.linalg.cholesky)
def _cholesky(da, ans, a):
    # dL = L Phi(L^-1 dA L^-T), Phi: the lower triangle, its diagonal halved;
    # dA is the symmetric change NumPy sees (it reads the lower triangle)
    inv = np.linalg.inv(ans)
    seen = np.tril(da) + _ad.matrix_transpose(np.tril(da, -1))
    inner = inv @ seen @ _ad.matrix_transpose(inv)
    return ans @ (np.tril(inner) * (1.0 - 0.5 * np.eye(ans.shape[-1])))


@jvp(_ad.eigh_values, np.linalg.eigvalsh)
def _eigh_values(da, ans, a, UPLO="L"):
    if UPLO != "L":
        _ad.refuse("np.linalg.eigvalsh is differentiated for UPLO='L' (NumPy's default)")
    v = _ad.eigh_vectors(a)
    seen = np.tril(da) + _ad.matrix_transpose(np.tril(da, -1))
    return np.sum(v * (seen @ v), axis=-2)


@jvp(_ad.eigh_vectors)
def _eigh_vectors(da, ans, a):
    n = ans.shape[-1]
    w = _ad.eigh_values(a)
    f = (1.0 - np.eye(n)) / (np.expand_dims(w, -2) - np.expand_dims(w, -1) + np.eye(n))
    seen = np.tril(da) + _ad.matrix_transpose(np.tril(da, -1))
    return ans @ (f * (_ad.matrix_transpose(ans) @ seen @ ans))


@jvp(np.linalg.solve)
def _solve(da, db, ans, a, b):
    # A dx = db - dA x
    if da is None:
        return np.linalg.solve(a, db)
    rhs = -(da @ _ad.as_columns(ans, b))
    if db is not None:
        rhs = rhs + _ad.as_columns(db, b)
    return _ad.from_columns(np.linalg.solve(a, rhs), b)


@jvp(_ad.as_columns)
def _as_columns(dx, ans, x, b):
    return _ad.as_columns(dx, b)


@jvp(_ad.from_columns)
def _from_columns(dx, ans, x, b):
    return _ad.from_columns(dx, b)


@jvp(np.linalg.norm)
def _norm(dx, ans, x, ord=None, axis=None, keepdims=False):
    if ord is None and axis is None and not keepdims:
        return np.sum(x * dx) / np.where(ans == 0, 1.0, ans)
    if ord is None:
        return np.sum(x * dx, axis=axis, keepdims=keepdims) / np.where(ans == 0, 1.0, ans)
    # other orders: norm_grad checks which it supports
    return np.sum(_ad.norm_grad(np.ones_like(ans), ans, x, ord, axis, keepdims) * dx,
                  axis=axis, keepdims=keepdims)


# ------------------------------------------------------------------- shapes

@jvp(np.transpose)
def _transpose(dx, ans, x, axes=None):
    if axes is None:
        return np.transpose(dx)
    return np.transpose(dx, axes)


@jvp(np.reshape)
def _reshape(dx, ans, x, shape=None):
    return np.reshape(dx, shape)


@jvp(np.ravel)
def _ravel(dx, ans, x):
    return np.ravel(dx)


@jvp(np.squeeze)
def _squeeze(dx, ans, x, axis=None):
    if axis is None:
        return np.squeeze(dx)
    return np.squeeze(dx, axis)


@jvp(np.expand_dims)
def _expand_dims(dx, ans, x, axis):
    return np.expand_dims(dx, axis)


@jvp(np.array, np.asarray)
def _array(dx, ans, x, dtype=None):
    if dtype is None:
        return np.asarray(dx)
    kind = _ad.dtype_kind(dtype)        # (decided when the code is made)
    if kind is None:
        return _ad.where_float(np.asarray(dx), ans)
    if kind not in "fc":
        return None                     # a cast to integers is piecewise constant
    return np.asarray(dx, dtype)


@jvp(_ad.cast_grad)
def _cast_grad(dg, dx, ddtype, ans, g, x, dtype):
    if dg is None:
        return None
    return _ad.cast_grad(dg, x, dtype)


@jvp(_ad.where_float)
def _where_float(dg, dans, ans, g, a):
    if dg is None:
        return None
    return _ad.where_float(dg, a)


@vjp(_ad.where_float)
def _where_float_vjp(g, ans, gg, a):
    return _ad.where_float(g, a), None


# ---------------------------------------------------- array building, sorting

@jvp(np.full)
def _full(dshape, dfill, ans, shape, fill_value, dtype=None):
    if dfill is None:
        return None
    return _ad.where_float(np.full(np.shape(ans), dfill), ans)


@jvp(np.full_like)
def _full_like(da, dfill, ans, a, fill_value, dtype=None):
    if dfill is None:
        return None
    return _ad.where_float(np.full(np.shape(ans), dfill), ans)


@jvp(np.linspace)
def _linspace(dstart, dstop, ans, start, stop, num=50, endpoint=True, retstep=False,
              dtype=None, axis=0):
    if retstep:
        _ad.refuse("np.linspace(..., retstep=True) is not differentiated; "
                   "compute the step as (stop - start) / (num - 1)")
    # linear in (start, stop)
    if dstart is None:
        dstart = 0.0
    if dstop is None:
        dstop = 0.0
    return np.linspace(dstart, dstop, num, endpoint=endpoint, axis=axis)


@jvp(np.arange)
def _arange(dstart, dstop, dstep, ans, start, stop=None, step=None, dtype=None):
    if stop is None:
        return None
    out = None
    if dstart is not None:
        out = np.full(np.shape(ans), dstart)
    if dstep is not None:
        t = dstep * np.arange(np.size(ans))
        out = t if out is None else out + t
    return out


@jvp(np.sort)
def _sort(da, ans, a, axis=-1, kind=None):
    return _ad.sort_tangent(da, a, axis)


@jvp(_ad.sort_grad)
def _sort_grad(dg, dx, ans, g, x, axis=-1):
    if dg is None:
        return None
    return _ad.sort_grad(dg, x, axis)


@jvp(_ad.sort_tangent)
def _sort_tangent(ddx, dx_, ans, dx, x, axis=-1):
    if ddx is None:
        return None
    return _ad.sort_tangent(ddx, x, axis)


@jvp(math.copysign)
def _mcopysign(dx, dy, ans, x, y):
    if dx is None:
        return None
    return dx * math.copysign(1.0, x) * math.copysign(1.0, y)


@jvp(np.copysign)
def _copysign(dx, dy, ans, x, y):
    if dx is None:
        return None
    return dx * np.copysign(1.0, x) * np.copysign(1.0, y)


@jvp(_ad.index_trick)
def _index_trick(dtrick, ditems, ans, trick, items):
    return _ad.index_trick(trick, ditems)


@jvp(_ad.index_trick_grad)
def _index_trick_grad(dg, dtrick, ditems, ans, g, trick, items):
    if dg is None:
        return None
    return _ad.index_trick_grad(dg, trick, items)


@jvp(np.random.normal)
def _normal(dloc, dscale, ans, loc=0.0, scale=1.0, size=None):
    out = None
    if dloc is not None:
        out = _ad.broadcast_against(dloc, ans)
    if dscale is not None:
        t = dscale * (ans - loc) / scale
        out = t if out is None else out + t
    return out


@jvp(np.random.uniform)
def _uniform(dlow, dhigh, ans, low=0.0, high=1.0, size=None):
    u = (ans - low) / (high - low)
    out = None
    if dlow is not None:
        out = dlow * (1.0 - u)
    if dhigh is not None:
        t = dhigh * u
        out = t if out is None else out + t
    return out


@jvp(np.broadcast_to)
def _broadcast_to(dx, ans, x, shape):
    return np.broadcast_to(dx, shape)


@jvp(np.concatenate)
def _concatenate(dxs, ans, xs, axis=0):
    return np.concatenate(dxs, axis=axis)


@jvp(np.stack)
def _stack(dxs, ans, xs, axis=0):
    return np.stack(dxs, axis=axis)


# ------------------------------------------------------- indexing, mutation

@jvp(operator.getitem)
def _getitem(dx, ans, x, index):
    return dx[index]


@jvp(_ad.setitem_copy)
def _setitem(dx, dindex, dv, ans, x, index, v):
    if dx is None:
        dx = _ad.zeros_like(x)
    if dv is None:
        dv = _ad.zeros_like(v)
    return _ad.setitem_copy(dx, index, dv)


@jvp(_ad.repeat_sequence)
def _repeat_sequence(dseq, dn, ans, seq, n):
    if dseq is None:
        dseq = _ad.zeros_like(seq)
    return _ad.repeat_sequence(dseq, n)


@jvp(_ad.repeat_sequence_grad)
def _repeat_sequence_grad(dg, dseq, ans, g, seq):
    if dg is None:
        return None
    return _ad.repeat_sequence_grad(dg, seq)


@jvp(_ad.append)
def _append(dlst, dv, ans, lst, v):
    if dlst is None:
        dlst = _ad.zeros_like(lst)
    if dv is None:
        dv = _ad.zeros_like(v)
    return _append_to(dlst, dv)


@jvp(_ad.add)
def _structural_add(da, db, ans, a, b):
    if da is None:
        da = _ad.zeros_like(a)
    if db is None:
        db = _ad.zeros_like(b)
    return _ad.add(da, db)


@jvp(_ad.inplace_alias)
def _inplace_alias(dold, dnew, ans, old, new):
    # the same selection as the primal: `new` for arrays, `old` for numbers
    if dold is None:
        dold = _ad.zeros_like(old)
    if dnew is None:
        dnew = _ad.zeros_like(new)
    return _ad.inplace_alias(dold, dnew)


@jvp(_ad.pop_last)
def _pop_last(dlst, ans, lst):
    return _ad.pop_last(dlst)


# ------------------------------------- helpers that reverse-mode code calls
# Linear in the adjoint `g` (and, for the products, in the other factor), so
# forward-over-reverse (Hessian-vector products) goes through them.

@jvp(_ad.unbroadcast)
def _unbroadcast(dx, ans, x, target):
    return _ad.unbroadcast(dx, target)


@jvp(_ad.broadcast_to_shape)
def _broadcast_to_shape(dx, ans, x, target, axis=None, keepdims=False):
    return _ad.broadcast_to_shape(dx, target, axis, keepdims)


@jvp(_ad.keep_reduced)
def _keep_reduced(dx, ans, x, target, axis=None, keepdims=False):
    return _ad.keep_reduced(dx, target, axis, keepdims)


@jvp(_ad.broadcast_against)
def _broadcast_against(dt, ans, t, other, left=True):
    return _ad.broadcast_against(dt, other, left)


@vjp(_ad.broadcast_against)
def _broadcast_against_vjp(g, ans, t, other, left=True):
    return _ad.unbroadcast(g, t)


@jvp(_ad.index_adjoint)
def _index_adjoint(dg, ans, g, x, index):
    return _ad.index_adjoint(dg, x, index)


@jvp(_ad.reshape_like)
def _reshape_like(dg, ans, g, x):
    return _ad.reshape_like(dg, x)


@jvp(_ad.assigned_grad)
def _assigned_grad(dg, dindex, ans, g, index):
    # (the index has no derivative: only the adjoint's tangent moves it)
    if dg is None:
        return None
    return _ad.assigned_grad(dg, index)


@jvp(_ad.setitem_grad_x)
def _setitem_grad_x(dg, ans, g, index):
    return _ad.setitem_grad_x(dg, index)


@jvp(_ad.sum_grad)
def _sum_grad(dg, ans, g, x):
    return _ad.sum_grad(dg, x)


@jvp(_ad.array_grad)
def _array_grad(dg, ans, g, x):
    return _ad.array_grad(dg, x)


@jvp(_ad.concatenate_grad)
def _concatenate_grad(dg, ans, g, xs, axis=0):
    return _ad.concatenate_grad(dg, xs, axis)


@jvp(_ad.stack_grad)
def _stack_grad(dg, ans, g, xs, axis=0):
    return _ad.stack_grad(dg, xs, axis)


@jvp(_ad.transpose_grad)
def _transpose_grad(dg, ans, g, axes=None):
    return _ad.transpose_grad(dg, axes)


@jvp(_ad.maxmin_grad)
def _maxmin_grad(dg, ans, g, m, x, axis=None, keepdims=False):
    # the mask of the elements attaining the extremum is piecewise constant
    return _ad.maxmin_grad(dg, m, x, axis, keepdims)


@jvp(_ad.var_grad)
def _var_grad(dg, dx, ans, g, x, axis=None, ddof=0, keepdims=False):
    # var_grad is linear in g and in x
    if dx is None:
        return _ad.var_grad(dg, x, axis, ddof, keepdims)
    if dg is None:
        return _ad.var_grad(g, dx, axis, ddof, keepdims)
    return _ad.var_grad(dg, x, axis, ddof, keepdims) + _ad.var_grad(g, dx, axis, ddof, keepdims)


@jvp(_ad.norm_grad)
def _norm_grad(dg, dn, dx, ans, g, n, x, ord=None, axis=None, keepdims=False):
    if ord == 2 or ord == -2 or ord == "nuc":
        _ad.first_order_only(x, ord, axis)
    # 1- and max-norms: the adjoint is g times a piecewise-constant factor
    if ord == 1 or ord == np.inf or ord == -np.inf:
        if dg is None:
            return None
        return _ad.norm_grad(dg, n, x, ord, axis, keepdims)
    # norm_grad = keep(g) * x / keep(n)
    a = _ad.keep_reduced(np.where(n == 0, 1.0, n), x, axis, keepdims)
    out = None
    if dg is not None:
        out = _ad.norm_grad(dg, n, x, ord, axis, keepdims)
    if dx is not None:
        t = _ad.keep_reduced(g, x, axis, keepdims) * dx / a
        out = t if out is None else out + t
    if dn is not None:
        t = -_ad.keep_reduced(g, x, axis, keepdims) * x * _ad.keep_reduced(dn, x, axis, keepdims) / (a * a)
        out = t if out is None else out + t
    return out


@jvp(_ad.matmul_grad_a)
def _matmul_grad_a(dg, da, db, ans, g, a, b):
    # linear in g and in b; `a` matters only through its rank
    if dg is None and db is None:
        return None
    if db is None:
        return _ad.matmul_grad_a(dg, a, b)
    if dg is None:
        return _ad.matmul_grad_a(g, a, db)
    return _ad.matmul_grad_a(dg, a, b) + _ad.matmul_grad_a(g, a, db)


@jvp(_ad.matmul_grad_b)
def _matmul_grad_b(dg, da, db, ans, g, a, b):
    # linear in g and in a; `b` matters only through its rank
    if dg is None and da is None:
        return None
    if da is None:
        return _ad.matmul_grad_b(dg, a, b)
    if dg is None:
        return _ad.matmul_grad_b(g, da, b)
    return _ad.matmul_grad_b(dg, a, b) + _ad.matmul_grad_b(g, da, b)


@jvp(_ad.dot_grad_a)
def _dot_grad_a(dg, da, db, ans, g, a, b):
    if dg is None and db is None:
        return None
    if db is None:
        return _ad.dot_grad_a(dg, a, b)
    if dg is None:
        return _ad.dot_grad_a(g, a, db)
    return _ad.dot_grad_a(dg, a, b) + _ad.dot_grad_a(g, a, db)


@jvp(_ad.dot_grad_b)
def _dot_grad_b(dg, da, db, ans, g, a, b):
    if dg is None and da is None:
        return None
    if da is None:
        return _ad.dot_grad_b(dg, a, b)
    if dg is None:
        return _ad.dot_grad_b(g, da, b)
    return _ad.dot_grad_b(dg, a, b) + _ad.dot_grad_b(g, da, b)


# ------------------------------------------------ copies and updates in place

@jvp(np.copy)
def _copy(dx, ans, x):
    return dx


@jvp(builtins.list)
def _list(dx, ans, x):
    # (generated code copies a list a loop updates in place: list(xs))
    return list(dx)


@jvp(_ad.shallow_copy)
def _shallow_copy(dx, ans, x):
    return _ad.shallow_copy(dx)      # (a copy is linear; the tangent is copied too)


@jvp(_ad.write_through_tangent)
def _write_through_tangent(ddbase, ddnew, dbase_p, dindex, dold, ans, dbase, dnew, base, index,
                           old):
    # linear in the tangents (dbase, dnew); the choice is made on the primal values
    if ddbase is None:
        ddbase = _ad.zeros_like(dbase)
    if ddnew is None:
        ddnew = _ad.zeros_like(dnew)
    return _ad.write_through_tangent(ddbase, ddnew, base, index, old)


@jvp(_ad.astype)
def _astype(dx, ans, x, dtype):
    kind = _ad.dtype_kind(dtype)        # (decided when the code is made)
    if kind is None:
        return _ad.where_float(np.asarray(dx), ans)
    if kind not in "fc":
        return None
    return _ad.astype(dx, dtype)


@jvp(_ad.flatten)
def _flatten(dx, ans, x):
    return _ad.flatten(dx)


@jvp(_ad.write_through)
def _write_through(dbase, dindex, dold, dnew, ans, base, index, old, new):
    if dbase is None:
        dbase = _ad.zeros_like(base)
    if dnew is None:
        dnew = _ad.zeros_like(new)
    return _ad.write_through_tangent(dbase, dnew, base, index, old)


@jvp(_ad.view_refresh, _ad.element_refresh)
def _view_refresh(dold, dbase, ans, old, base, index, written=None):
    if dold is None:
        dold = _ad.zeros_like(old)
    if dbase is None:
        dbase = _ad.zeros_like(base)
    return _ad.refresh_tangent(dold, dbase, old, base, index, written)


@jvp(_ad.refresh_tangent)
def _refresh_tangent(ddold, ddbase, ans, dold, dbase, old, base, index, written=None):
    # (linear in the tangents it chooses between; the choice is the primal's)
    if ddold is None:
        ddold = _ad.zeros_like(dold)
    if ddbase is None:
        ddbase = _ad.zeros_like(dbase)
    return _ad.refresh_tangent(ddold, ddbase, old, base, index, written)


@jvp(_ad.write_through_grads)
def _write_through_grads(dg, dbase, dindex, dold, ans, g, base, index, old):
    if dg is None:
        return None
    return _ad.write_through_grads(dg, base, index, old)


@jvp(_ad.refresh_grads)
def _refresh_grads(dg, dold, dbase, dindex, dwritten, ans, g, old, base, index, written=None):
    if dg is None:
        return None
    return _ad.refresh_grads(dg, old, base, index, written)


@jvp(np.diff)
def _diff(da, ans, a, n=1, axis=-1):
    return np.diff(da, n, axis)


@jvp(_ad.diff_grad)
def _diff_grad(dg, ans, g, n=1, axis=-1):
    return _ad.diff_grad(dg, n, axis)


# ----------------------------------------------------------- numeric calls

def call_jvp(fn, tangents, ans, args, kwargs):
    """Evaluate the JVP rule of `fn` on numbers: `tangents` has one entry
    per positional argument in `args` (None: inactive), bound to the rule's
    tangent parameters the way forward mode binds them (by the name of the
    primal parameter they belong to)."""
    rule = jvp_rule(fn)
    try:
        sig = inspect.signature(rule)
    except (TypeError, ValueError):
        sig = None
    names = list(sig.parameters) if sig is not None else []
    if "ans" not in names:      # one tangent per positional argument
        return rule(*tangents, ans, *args, **kwargs)
    k = names.index("ans")
    primal_sig = sig.replace(parameters=list(sig.parameters.values())[k + 1:])
    pnames = list(primal_sig.parameters)
    bound = primal_sig.bind(*args, **kwargs)
    by_name = dict(zip(pnames, tangents))
    ts = [by_name.get(p) if p in bound.arguments else None for p in pnames[:k]]
    return rule(*ts, ans, *args, **kwargs)


@jvp(_ad.select_grad)
def _select_grad(dg, dchosen, dxs, ans, g, chosen, xs):
    if dg is None:
        return None
    return _ad.select_grad(dg, chosen, xs)


@jvp(_ad.select_tangent)
def _select_tangent(ddxs, dchosen, dxs_, ans, dxs, chosen, xs):
    if ddxs is None:
        return None
    return _ad.select_tangent(ddxs, chosen, xs)


# ------------------------------------- more elementwise functions of NumPy

@jvp(math.asinh, np.arcsinh)
def _asinh(dx, ans, x):
    return dx / np.sqrt(x * x + 1.0)


@jvp(math.acosh, np.arccosh)
def _acosh(dx, ans, x):
    return dx / (np.sqrt(x - 1.0) * np.sqrt(x + 1.0))


@jvp(math.atanh, np.arctanh)
def _atanh(dx, ans, x):
    return dx / (1.0 - x * x)


@jvp(math.radians, np.deg2rad, np.radians)
def _radians(dx, ans, x):
    return dx * 0.017453292519943295


@jvp(math.degrees, np.rad2deg, np.degrees)
def _degrees(dx, ans, x):
    return dx * 57.29577951308232


@jvp(np.fabs)
def _npfabs(dx, ans, x):
    return dx * np.sign(x)


@jvp(np.sinc)
def _sinc(dx, ans, x):
    return dx * _ad.sinc_derivative(x, 1)


@jvp(_ad.sinc_derivative)
def _sinc_derivative(dx, dn, ans, x, n):
    if dx is None:
        return None
    return dx * _ad.sinc_derivative(x, n + 1)


@jvp(np.logaddexp2)
def _logaddexp2(dx, dy, ans, x, y):
    if dy is None:
        return dx * np.exp2(x - ans)
    if dx is None:
        return dy * np.exp2(y - ans)
    return dx * np.exp2(x - ans) + dy * np.exp2(y - ans)


@jvp(np.fmax)
def _fmax(dx, dy, ans, x, y):
    pick_x = np.logical_or(np.greater_equal(x, y), np.isnan(y))
    if dy is None:
        return dx * pick_x
    if dx is None:
        return dy * np.logical_not(pick_x)
    return dx * pick_x + dy * np.logical_not(pick_x)


@jvp(np.fmin)
def _fmin(dx, dy, ans, x, y):
    pick_x = np.logical_or(np.less_equal(x, y), np.isnan(y))
    if dy is None:
        return dx * pick_x
    if dx is None:
        return dy * np.logical_not(pick_x)
    return dx * pick_x + dy * np.logical_not(pick_x)


@jvp(np.heaviside)
def _heaviside(dx, dh, ans, x, h):
    if dh is None:
        return np.zeros_like(ans)
    return dh * np.equal(x, 0)


@jvp(np.ldexp)
def _ldexp(dx, dn, ans, x, n):
    if dx is None:
        return None
    return np.ldexp(dx, n)



@jvp(np.conj, np.conjugate)
def _conj(dx, ans, x):
    return np.conj(dx)



@jvp(_ad.list_grad)
def _list_grad(dg, dx, ans, g, x):
    # (linear in g; x only gives the structure)
    if dg is None:
        return _ad.zeros_like(ans)
    return _ad.list_grad(dg, x)



@jvp(_ad.reciprocal_std)
def _reciprocal_std(dstd, dx, ans, std, x, axis=None, keepdims=False):
    # (the mask of flat places is constant almost everywhere)
    if dstd is None:
        return None
    return -dstd * ans * ans
