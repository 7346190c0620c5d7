"""NumPy functions written out as what they compute, in functions that have
rules: a call is lowered as a call of its formula (inlined like a helper of
the user's), so it is differentiated in both modes and to any order.

A formula refuses (a located NoRuleError) the arguments it does not follow,
rather than compute something else.
"""
import numpy as np

from .. import runtime as _ad
from . import FORMULAS


def median(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    # the middle of the sorted values (the mean of the two middle ones for an
    # even count); NaN where a NaN is among them, as NumPy gives
    if out is not None:
        _ad.refuse("np.median(..., out=...) is not differentiated; assign the result instead")
    if axis is None:
        s = np.sort(np.ravel(a))
        n = s.shape[0]
        if n % 2 == 1:
            m = s[n // 2] * 1.0
        else:
            m = 0.5 * (s[n // 2 - 1] + s[n // 2])
        # ([()]: np.where gives a 0-d array, NumPy's median a scalar, which
        # is not changed in place through another name: seed 861744)
        m = np.where(np.any(np.isnan(a)), np.nan, m)[()]
        if keepdims:
            m = np.reshape(m, (1,) * np.ndim(a))
        return m
    if not isinstance(axis, int):
        _ad.refuse("np.median over several axes (a tuple) is not differentiated; move them "
                   "together and reshape first, or use one axis")
    s = np.sort(a, axis=axis)
    n = s.shape[axis]
    if n % 2 == 1:
        m = np.take(s, n // 2, axis=axis) * 1.0
    else:
        m = 0.5 * (np.take(s, n // 2 - 1, axis=axis) + np.take(s, n // 2, axis=axis))
    m = np.where(np.any(np.isnan(a), axis=axis), np.nan, m)
    if keepdims:
        m = np.expand_dims(m, axis)
    return m


def _cross_takes_2_vectors():
    """Whether this NumPy's np.cross accepts 2-vectors (newer ones raise)."""
    try:
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            np.cross(np.ones(2), np.ones(2))
        return True
    except ValueError:
        return False


_CROSS_2D = _cross_takes_2_vectors()


def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    # the cross product of 3-vectors (the z-component for 2-vectors) along
    # the last axis
    if axis is not None or axisa != -1 or axisb != -1 or axisc != -1:
        _ad.refuse("np.cross is differentiated along the last axis; move the axis "
                   "with np.moveaxis first")
    if a.shape[-1] == 3 and b.shape[-1] == 3:
        return np.stack([a[..., 1] * b[..., 2] - a[..., 2] * b[..., 1],
                         a[..., 2] * b[..., 0] - a[..., 0] * b[..., 2],
                         a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]], axis=-1)
    if a.shape[-1] == 2 and b.shape[-1] == 2 and _CROSS_2D:
        return a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]
    _ad.refuse("np.cross is differentiated for two 3-vectors or two 2-vectors")


def ptp(a, axis=None, out=None, keepdims=False):
    if out is not None:
        _ad.refuse("np.ptp(..., out=...) is not differentiated; assign the result instead")
    return np.max(a, axis=axis, keepdims=keepdims) - np.min(a, axis=axis, keepdims=keepdims)


def average(a, axis=None, weights=None, returned=False, keepdims=False):
    # as NumPy computes it: sum(a * w) / sum(w), with 1-d weights laid
    # along `axis`
    if weights is None:
        if returned:
            _ad.refuse("np.average(..., returned=True) without weights is not differentiated")
        return np.mean(a, axis=axis, keepdims=keepdims)
    a = np.asarray(a)
    w = np.asarray(weights)
    if np.ndim(w) != np.ndim(a):
        if axis is None or np.ndim(w) != 1:
            _ad.refuse("np.average: weights of another shape than the values need one axis")
        shape = [1] * np.ndim(a)
        shape[axis] = -1
        w = np.reshape(w, tuple(shape))
    scl = np.sum(w * np.ones_like(a), axis=axis, keepdims=keepdims)
    avg = np.sum(a * w, axis=axis, keepdims=keepdims) / scl
    if returned:
        return avg, scl
    return avg


def nansum(a, axis=None, dtype=None, out=None, keepdims=False):
    if dtype is not None or out is not None:
        _ad.refuse("np.nansum with dtype= or out= is not differentiated")
    return np.sum(np.where(np.isnan(a), 0.0, a), axis=axis, keepdims=keepdims)


def nanmean(a, axis=None, dtype=None, out=None, keepdims=False):
    if dtype is not None or out is not None:
        _ad.refuse("np.nanmean with dtype= or out= is not differentiated")
    kept = np.logical_not(np.isnan(a))
    total = np.sum(np.where(kept, a, 0.0), axis=axis, keepdims=keepdims)
    return total / np.sum(kept, axis=axis, keepdims=keepdims)


def nanmax(a, axis=None, out=None, keepdims=False):
    if out is not None:
        _ad.refuse("np.nanmax(..., out=...) is not differentiated; assign the result instead")
    gaps = np.isnan(a)
    m = np.max(np.where(gaps, -np.inf, a), axis=axis, keepdims=keepdims)
    return np.where(np.all(gaps, axis=axis, keepdims=keepdims), np.nan, m)[()]


def nanmin(a, axis=None, out=None, keepdims=False):
    if out is not None:
        _ad.refuse("np.nanmin(..., out=...) is not differentiated; assign the result instead")
    gaps = np.isnan(a)
    m = np.min(np.where(gaps, np.inf, a), axis=axis, keepdims=keepdims)
    return np.where(np.all(gaps, axis=axis, keepdims=keepdims), np.nan, m)[()]


def vdot(a, b):
    return np.dot(np.conj(np.ravel(a)), np.ravel(b))


def matrix_power(a, n):
    # the products NumPy makes, in its order (squares of a, multiplied in
    # by the binary digits of n), so that the value rounds as NumPy's does
    if n == 0:
        return np.zeros_like(a) + np.eye(np.shape(a)[-1])
    if n < 0:
        a = np.linalg.inv(a)
        n = -n
    if n == 1:
        return a                # (a itself, as NumPy returns it)
    if n == 2:
        return a @ a
    if n == 3:
        return (a @ a) @ a
    z = a
    while n % 2 == 0:
        z = z @ z
        n = n // 2
    result = z
    n = n // 2
    while n > 0:
        z = z @ z
        if n % 2 == 1:
            result = result @ z
        n = n // 2
    return result


def multi_dot(arrays, out=None):
    # the products in the order NumPy picks (by their cost), so that the
    # value rounds as NumPy's does
    if out is not None:
        _ad.refuse("np.linalg.multi_dot(..., out=...) is not differentiated")
    n = len(arrays)
    if n == 2:
        return np.dot(arrays[0], arrays[1])
    if n != 3:
        _ad.refuse("np.linalg.multi_dot is differentiated for two or three arrays (for more, "
                   "NumPy orders the products by a search whose rounding ast_ad does not "
                   "repeat): write the products out, a @ b @ c @ d")
    a, b, c = arrays[0], arrays[1], arrays[2]
    first, last = np.ndim(a), np.ndim(c)
    if first == 1:
        a = np.atleast_2d(a)
    if last == 1:
        c = np.atleast_2d(c).T
    a0, a1b0 = np.shape(a)
    b1c0, c1 = np.shape(c)
    if a0 * b1c0 * (a1b0 + c1) < a1b0 * c1 * (a0 + b1c0):
        result = np.dot(np.dot(a, b), c)
    else:
        result = np.dot(a, np.dot(b, c))
    if first == 1 and last == 1:
        return result[0, 0]
    if first == 1 or last == 1:
        return result.ravel()
    return result


def polyval(p, x):
    # Horner's scheme, as NumPy evaluates it
    y = np.zeros_like(x)
    for c in p:
        y = y * x + c
    return y


def cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None,
        dtype=None):
    if fweights is not None or aweights is not None or dtype is not None:
        _ad.refuse("np.cov with fweights=, aweights= or dtype= is not differentiated")
    X = np.atleast_2d(m)
    if not rowvar and np.shape(X)[0] != 1:
        X = X.T
    if y is not None:
        Y = np.atleast_2d(y)
        if not rowvar and np.shape(Y)[0] != 1:
            Y = Y.T
        X = np.concatenate((X, Y), axis=0)
    if ddof is None:
        ddof = 0 if bias else 1
    fact = np.shape(X)[1] - ddof
    X = X - np.mean(X, axis=1, keepdims=True)
    c = np.dot(X, np.conj(X.T)) * np.true_divide(1, fact)
    return np.squeeze(c)


def corrcoef(x, y=None, rowvar=True):
    c = cov(x, y, rowvar)
    if np.ndim(c) == 0:
        return c / c
    d = np.diag(c)
    stddev = np.sqrt(d)
    c = c / stddev[:, None]
    c = c / stddev[None, :]
    return np.clip(c, -1, 1)


def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    # x where it is finite; NumPy's fill values (constants) elsewhere
    if _ad.constant(nan) is None or (posinf is not None and _ad.constant(posinf) is None) \
            or (neginf is not None and _ad.constant(neginf) is None):
        _ad.refuse("np.nan_to_num is differentiated with constant fill values")
    return np.where(np.isfinite(x), x, _ad.nan_to_num_fill(x, nan, posinf, neginf))[()]


def meshgrid(x1, x2=None, x3=None, copy=True, sparse=False, indexing="xy"):
    # (up to three 1-d arrays; each output is its input spread over the grid)
    if sparse or indexing not in ("xy", "ij"):
        _ad.refuse("np.meshgrid is differentiated with sparse=False")
    xs = [np.ravel(x1)]
    if x2 is not None:
        xs.append(np.ravel(x2))
    if x3 is not None:
        xs.append(np.ravel(x3))
    sizes = [np.shape(v)[0] for v in xs]
    if indexing == "xy" and len(xs) > 1:
        shape = [sizes[1], sizes[0]] + sizes[2:]
    else:
        shape = sizes
    out = []
    for k in range(len(xs)):
        axis = k
        if indexing == "xy" and len(xs) > 1 and k < 2:
            axis = 1 - k
        place = [1] * len(xs)
        place[axis] = -1
        out.append(np.reshape(xs[k], tuple(place)) + np.zeros(tuple(shape)))
    return out


def divmod_(x1, x2):
    return np.floor_divide(x1, x2), np.mod(x1, x2)


def float_power(x1, x2):
    return _ad.float_power(np.asarray(x1, dtype=np.float64), np.asarray(x2, dtype=np.float64))


def cumprod(a, axis=None, dtype=None, out=None):
    # the running product, one multiplication per step as NumPy does: exact
    # derivatives where elements are 0 too
    if dtype is not None or out is not None:
        _ad.refuse("np.cumprod with dtype= or out= is not differentiated")
    if axis is None:
        a = np.ravel(a)
        axis = 0
    rows = np.moveaxis(a, axis, 0)
    acc = rows[0] * 1
    parts = [acc]
    for k in range(1, np.shape(rows)[0]):
        acc = acc * rows[k]
        parts.append(acc)
    return np.moveaxis(np.stack(parts), 0, axis)


def quantile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
             keepdims=False):
    # the default ("linear") method, as NumPy computes it, to the last bit
    # (a rounding difference can flip a branch on the value: seed 855822):
    # the sorted values at the virtual index (n - 1) q, interpolated
    if out is not None or method != "linear" or axis is not None or keepdims:
        _ad.refuse("np.quantile / np.percentile are differentiated over all the values "
                   "(axis=None) with the default method")
    if np.ndim(q) != 0:
        _ad.refuse("np.quantile / np.percentile are differentiated for one q at a time")
    s = np.sort(np.ravel(a))
    n = np.shape(s)[0]
    vi = (n - 1) * q
    lo = min(max(int(np.floor(vi)), 0), n - 1)
    hi = min(lo + 1, n - 1)
    t = vi - np.floor(vi)
    below, above = s[lo], s[hi]
    diff = above - below
    if t >= 0.5:
        r = above - diff * (1.0 - t)
    else:
        r = below + diff * t
    return np.where(np.any(np.isnan(a)), np.nan, r)[()]     # (a scalar, as NumPy's)


def percentile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
               keepdims=False):
    return quantile(a, np.true_divide(q, 100), axis, out, overwrite_input, method, keepdims)


for _formula, _of in ((median, np.median), (cross, np.cross), (ptp, np.ptp),
                      (average, np.average), (nansum, np.nansum), (nanmean, np.nanmean),
                      (nanmax, np.nanmax), (nanmin, np.nanmin), (vdot, np.vdot),
                      (matrix_power, np.linalg.matrix_power),
                      (multi_dot, np.linalg.multi_dot), (polyval, np.polyval),
                      (cov, np.cov), (corrcoef, np.corrcoef), (nan_to_num, np.nan_to_num),
                      (divmod_, np.divmod), (meshgrid, np.meshgrid), (float_power, np.float_power),
                      (cumprod, np.cumprod), (quantile, np.quantile),
                      (percentile, np.percentile)):
    FORMULAS[_of] = _formula
    FORMULAS[_formula] = _formula


def sorted_(iterable, key=None, reverse=False):
    # the elements in sorted order (a permutation: each one keeps its own
    # derivative); stable like Python's sort, ties in their original order
    if key is not None:
        _ad.refuse("sorted(..., key=...) is not differentiated; sort by np.argsort of the keys "
                   "and index instead")
    values = np.asarray(iterable)
    if reverse:
        order = np.argsort(-values, kind="stable")
    else:
        order = np.argsort(values, kind="stable")
    return [iterable[i] for i in order]


# (sorted is inlined as this formula only for numbers: lower.py decides)
FORMULAS[sorted_] = sorted_
