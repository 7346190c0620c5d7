"""Rules for ``np.einsum`` (explicit or implicit output, one to three
operands; no '...' and no diagonals).

The lowering calls einsum through `runtime.einsum1/2/3`, one primitive per
number of operands, so that each has rules of fixed arity.  The adjoint of
operand k is itself an einsum of the result's adjoint with the other
operands (`runtime.einsum_spec`, worked out when the code is made), spread
along the axes summed in operand k alone (`expand_axes`); the tangent is
the sum of the einsums with one operand replaced by its tangent.  Both are
written with einsum again, so second derivatives work.
"""
import numpy as np

from .. import runtime as _ad
from . import vjp, jvp, STATIC_CALLS, nondiff

# worked out when the code is made, from the constant subscripts
STATIC_CALLS[_ad.einsum_spec] = lambda s, k, n: _ad.einsum_spec(s.value, k.value, n.value)
STATIC_CALLS[_ad.einsum_missing] = lambda s, k, n: _ad.einsum_missing(s.value, k.value, n.value)
nondiff(_ad.einsum_spec, _ad.einsum_missing)


@vjp(_ad.einsum1)
def _einsum1(g, ans, subscripts, a):
    ga = np.einsum(_ad.einsum_spec(subscripts, 0, 1), g)
    return None, _ad.expand_axes(ga, a, _ad.einsum_missing(subscripts, 0, 1))


@jvp(_ad.einsum1)
def _einsum1_jvp(dsubscripts, da, ans, subscripts, a):
    return np.einsum(subscripts, da)


@vjp(_ad.einsum2)
def _einsum2(g, ans, subscripts, a, b):
    ga = np.einsum(_ad.einsum_spec(subscripts, 0, 2), g, b)
    gb = np.einsum(_ad.einsum_spec(subscripts, 1, 2), g, a)
    return (None, _ad.expand_axes(ga, a, _ad.einsum_missing(subscripts, 0, 2)),
            _ad.expand_axes(gb, b, _ad.einsum_missing(subscripts, 1, 2)))


@jvp(_ad.einsum2)
def _einsum2_jvp(dsubscripts, da, db, ans, subscripts, a, b):
    if db is None:
        return np.einsum(subscripts, da, b)
    if da is None:
        return np.einsum(subscripts, a, db)
    return np.einsum(subscripts, da, b) + np.einsum(subscripts, a, db)


@vjp(_ad.einsum3)
def _einsum3(g, ans, subscripts, a, b, c):
    ga = np.einsum(_ad.einsum_spec(subscripts, 0, 3), g, b, c)
    gb = np.einsum(_ad.einsum_spec(subscripts, 1, 3), g, a, c)
    gc = np.einsum(_ad.einsum_spec(subscripts, 2, 3), g, a, b)
    return (None, _ad.expand_axes(ga, a, _ad.einsum_missing(subscripts, 0, 3)),
            _ad.expand_axes(gb, b, _ad.einsum_missing(subscripts, 1, 3)),
            _ad.expand_axes(gc, c, _ad.einsum_missing(subscripts, 2, 3)))


@jvp(_ad.einsum3)
def _einsum3_jvp(dsubscripts, da, db, dc, ans, subscripts, a, b, c):
    out = None
    if da is not None:
        out = np.einsum(subscripts, da, b, c)
    if db is not None:
        t = np.einsum(subscripts, a, db, c)
        out = t if out is None else out + t
    if dc is not None:
        t = np.einsum(subscripts, a, b, dc)
        out = t if out is None else out + t
    return out


@vjp(_ad.expand_axes)
def _expand_axes(g, ans, r, x, axes):
    return np.sum(g, axis=axes), None


@jvp(_ad.expand_axes)
def _expand_axes_jvp(dr, dx, ans, r, x, axes):
    if dr is None:
        return None
    return _ad.expand_axes(dr, x, axes)
