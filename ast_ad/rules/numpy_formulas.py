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
        m = np.where(np.any(np.isnan(a)), np.nan, m)
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


for _formula, _of in ((median, np.median), (cross, np.cross)):
    FORMULAS[_of] = _formula
    FORMULAS[_formula] = _formula
