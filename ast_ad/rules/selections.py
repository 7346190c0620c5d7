"""Rules for NumPy functions that only move, copy or drop elements (or fill
zeros): flips, rolls, tiles, diagonals, triangles, axis moves, stacks,
splits, `take`, `pad` -- and the two linear ones near them, `cumsum` and
`trace`.

One mechanism serves every selection: the function applied to the
positions of its argument's elements tells where each result element came
from, and `runtime.selection_adjoint` adds the adjoint back there.  Their
tangent is the function applied to the tangent (they are linear).  The
helpers have rules of their own, so second derivatives pass through.
"""
import numpy as np

from .. import runtime as _ad
from . import vjp, jvp

_PAD_MODES = ("constant", "edge", "reflect", "symmetric", "wrap")

# ------------------------------------------------------------- the helpers


@vjp(_ad.selection_adjoint)
def _selection_adjoint(gg, ans, g, x, name, args):
    return _ad.apply_selection(gg, name, args), None


@jvp(_ad.selection_adjoint)
def _selection_adjoint_jvp(dg, dx, ans, g, x, name, args):
    if dg is None:
        return None
    return _ad.selection_adjoint(dg, x, name, args)


@vjp(_ad.apply_selection)
def _apply_selection(g, ans, x, name, args):
    return _ad.selection_adjoint(g, x, name, args)


@jvp(_ad.apply_selection)
def _apply_selection_jvp(dx, ans, x, name, args):
    return _ad.apply_selection(dx, name, args)


# --------------------------------------------------------------- one array

@vjp(np.flip)
def _flip(g, ans, m, axis=None):
    return _ad.selection_adjoint(g, m, "flip", (axis,))


@jvp(np.flip)
def _flip_jvp(dm, ans, m, axis=None):
    return np.flip(dm, axis)


@vjp(np.fliplr)
def _fliplr(g, ans, m):
    return np.fliplr(g)


@jvp(np.fliplr)
def _fliplr_jvp(dm, ans, m):
    return np.fliplr(dm)


@vjp(np.flipud)
def _flipud(g, ans, m):
    return np.flipud(g)


@jvp(np.flipud)
def _flipud_jvp(dm, ans, m):
    return np.flipud(dm)


@vjp(np.roll)
def _roll(g, ans, a, shift, axis=None):
    return _ad.selection_adjoint(g, a, "roll", (shift, axis))


@jvp(np.roll)
def _roll_jvp(da, ans, a, shift, axis=None):
    return np.roll(da, shift, axis)


@vjp(np.tile)
def _tile(g, ans, A, reps):
    return _ad.selection_adjoint(g, A, "tile", (reps,))


@jvp(np.tile)
def _tile_jvp(dA, ans, A, reps):
    return np.tile(dA, reps)


@vjp(np.repeat)
def _repeat(g, ans, a, repeats, axis=None):
    return _ad.selection_adjoint(g, a, "repeat", (repeats, axis))


@jvp(np.repeat)
def _repeat_jvp(da, ans, a, repeats, axis=None):
    return np.repeat(da, repeats, axis)


@vjp(np.diag)
def _diag(g, ans, v, k=0):
    return _ad.selection_adjoint(g, v, "diag", (k,))


@jvp(np.diag)
def _diag_jvp(dv, ans, v, k=0):
    return np.diag(dv, k)


@vjp(np.diagonal)
def _diagonal(g, ans, a, offset=0, axis1=0, axis2=1):
    return _ad.selection_adjoint(g, a, "diagonal", (offset, axis1, axis2))


@jvp(np.diagonal)
def _diagonal_jvp(da, ans, a, offset=0, axis1=0, axis2=1):
    return np.diagonal(da, offset, axis1, axis2)


@vjp(np.triu)
def _triu(g, ans, m, k=0):
    return np.triu(g, k)


@jvp(np.triu)
def _triu_jvp(dm, ans, m, k=0):
    return np.triu(dm, k)


@vjp(np.tril)
def _tril(g, ans, m, k=0):
    return np.tril(g, k)


@jvp(np.tril)
def _tril_jvp(dm, ans, m, k=0):
    return np.tril(dm, k)


@vjp(np.moveaxis)
def _moveaxis(g, ans, a, source, destination):
    return np.moveaxis(g, destination, source)


@jvp(np.moveaxis)
def _moveaxis_jvp(da, ans, a, source, destination):
    return np.moveaxis(da, source, destination)


@vjp(np.swapaxes)
def _swapaxes(g, ans, a, axis1, axis2):
    return np.swapaxes(g, axis1, axis2)


@jvp(np.swapaxes)
def _swapaxes_jvp(da, ans, a, axis1, axis2):
    return np.swapaxes(da, axis1, axis2)


@vjp(np.rollaxis)
def _rollaxis(g, ans, a, axis, start=0):
    return _ad.selection_adjoint(g, a, "rollaxis", (axis, start))


@jvp(np.rollaxis)
def _rollaxis_jvp(da, ans, a, axis, start=0):
    return np.rollaxis(da, axis, start)


@vjp(np.atleast_1d)
def _atleast_1d(g, ans, ary):
    return _ad.selection_adjoint(g, ary, "atleast_1d", ())


@jvp(np.atleast_1d)
def _atleast_1d_jvp(dary, ans, ary):
    return np.atleast_1d(dary)


@vjp(np.atleast_2d)
def _atleast_2d(g, ans, ary):
    return _ad.selection_adjoint(g, ary, "atleast_2d", ())


@jvp(np.atleast_2d)
def _atleast_2d_jvp(dary, ans, ary):
    return np.atleast_2d(dary)


@vjp(np.atleast_3d)
def _atleast_3d(g, ans, ary):
    return _ad.selection_adjoint(g, ary, "atleast_3d", ())


@jvp(np.atleast_3d)
def _atleast_3d_jvp(dary, ans, ary):
    return np.atleast_3d(dary)


@vjp(np.take)
def _take(g, ans, a, indices, axis=None):
    return _ad.selection_adjoint(g, a, "take", (indices, axis))


@jvp(np.take)
def _take_jvp(da, ans, a, indices, axis=None):
    return np.take(da, indices, axis)


@vjp(np.take_along_axis)
def _take_along_axis(g, ans, arr, indices, axis):
    return _ad.selection_adjoint(g, arr, "take_along_axis", (indices, axis))


@jvp(np.take_along_axis)
def _take_along_axis_jvp(darr, ans, arr, indices, axis):
    return np.take_along_axis(darr, indices, axis)


@vjp(np.pad)
def _pad(g, ans, array, pad_width, mode="constant", constant_values=0):
    if mode not in _PAD_MODES:
        _ad.refuse("np.pad is differentiated with mode 'constant', 'edge', 'reflect', "
                   "'symmetric' or 'wrap'")
    # (filled constants do not depend on `array`: the positions are padded with 0)
    return _ad.selection_adjoint(g, array, "pad", (pad_width, mode))


@jvp(np.pad)
def _pad_jvp(darray, ans, array, pad_width, mode="constant", constant_values=0):
    if mode not in _PAD_MODES:
        _ad.refuse("np.pad is differentiated with mode 'constant', 'edge', 'reflect', "
                   "'symmetric' or 'wrap'")
    return np.pad(darray, pad_width, mode)


# ------------------------------------------------------- several arrays

@vjp(np.hstack)
def _hstack(g, ans, tup):
    return _ad.selection_adjoint(g, tup, "hstack", ())


@jvp(np.hstack)
def _hstack_jvp(dtup, ans, tup):
    return np.hstack(dtup)


@vjp(np.vstack)
def _vstack(g, ans, tup):
    return _ad.selection_adjoint(g, tup, "vstack", ())


@jvp(np.vstack)
def _vstack_jvp(dtup, ans, tup):
    return np.vstack(dtup)


@vjp(np.dstack)
def _dstack(g, ans, tup):
    return _ad.selection_adjoint(g, tup, "dstack", ())


@jvp(np.dstack)
def _dstack_jvp(dtup, ans, tup):
    return np.dstack(dtup)


@vjp(np.column_stack)
def _column_stack(g, ans, tup):
    return _ad.selection_adjoint(g, tup, "column_stack", ())


@jvp(np.column_stack)
def _column_stack_jvp(dtup, ans, tup):
    return np.column_stack(dtup)


# ---------------------------------------------------- splits (list results)

@vjp(np.split)
def _split(g, ans, ary, indices_or_sections, axis=0):
    return _ad.selection_adjoint(g, ary, "split", (indices_or_sections, axis))


@jvp(np.split)
def _split_jvp(dary, ans, ary, indices_or_sections, axis=0):
    return np.split(dary, indices_or_sections, axis)


@vjp(np.array_split)
def _array_split(g, ans, ary, indices_or_sections, axis=0):
    return _ad.selection_adjoint(g, ary, "array_split", (indices_or_sections, axis))


@jvp(np.array_split)
def _array_split_jvp(dary, ans, ary, indices_or_sections, axis=0):
    return np.array_split(dary, indices_or_sections, axis)


@vjp(np.hsplit)
def _hsplit(g, ans, ary, indices_or_sections):
    return _ad.selection_adjoint(g, ary, "hsplit", (indices_or_sections,))


@jvp(np.hsplit)
def _hsplit_jvp(dary, ans, ary, indices_or_sections):
    return np.hsplit(dary, indices_or_sections)


@vjp(np.vsplit)
def _vsplit(g, ans, ary, indices_or_sections):
    return _ad.selection_adjoint(g, ary, "vsplit", (indices_or_sections,))


@jvp(np.vsplit)
def _vsplit_jvp(dary, ans, ary, indices_or_sections):
    return np.vsplit(dary, indices_or_sections)


# ------------------------------------------------------- cumsum and trace

@vjp(np.cumsum)
def _cumsum(g, ans, a, axis=None):
    return _ad.cumsum_grad(g, a, axis)


@jvp(np.cumsum)
def _cumsum_jvp(da, ans, a, axis=None):
    return np.cumsum(da, axis)


@vjp(_ad.cumsum_grad)
def _cumsum_grad(gg, ans, g, x, axis=None):
    return np.cumsum(gg, axis), None


@jvp(_ad.cumsum_grad)
def _cumsum_grad_jvp(dg, dx, ans, g, x, axis=None):
    if dg is None:
        return None
    return _ad.cumsum_grad(dg, x, axis)


@vjp(np.trace)
def _trace(g, ans, a, offset=0, axis1=0, axis2=1):
    if axis1 != 0 or axis2 != 1:
        _ad.refuse("np.trace is differentiated over its first two axes (axis1=0, axis2=1)")
    return _ad.trace_grad(g, a, offset)


@jvp(np.trace)
def _trace_jvp(da, ans, a, offset=0, axis1=0, axis2=1):
    if axis1 != 0 or axis2 != 1:
        _ad.refuse("np.trace is differentiated over its first two axes (axis1=0, axis2=1)")
    return np.trace(da, offset)


@vjp(_ad.trace_grad)
def _trace_grad(gg, ans, g, x, offset=0):
    return np.trace(gg, offset), None


@jvp(_ad.trace_grad)
def _trace_grad_jvp(dg, dx, ans, g, x, offset=0):
    if dg is None:
        return None
    return _ad.trace_grad(dg, x, offset)
