"""Table-driven tests of the built-in derivative rules (ast_ad.rules.VJPS).

One table entry per (primitive, argument shapes): the wrapper in
tests/rule_wrappers.py that calls the primitive from real source, the
primitives it exercises, and for each argument its shape and input domain
(positive for log/sqrt, (-0.9, 0.9) for arcsin, away from 0 for abs/cbrt/the
divisor, ...).  ``ast_ad.grad`` with respect to every argument is compared
with central finite differences (tests/fdcheck.py), never with ast_ad's own
output; fdcheck also checks that the gradient has the argument's shape and
dtype (a Python float for a Python float) and that no input is mutated.

Binary elementwise operations are run over the broadcasting cases in
``BCAST`` (matrix with matrix, Python float / 0-d array with matrix, row (4,)
with matrix (3, 4), column (3, 1) with matrix, column with row, float with
float), in both operand orders.

``test_every_public_rule_is_covered`` fails when a rule is registered for a
public numpy / math / builtins / operator callable that no entry exercises,
so a new rule cannot land untested.
"""
import builtins
import importlib.util
import math
import operator
import os
import sys
import zlib
from typing import Callable, NamedTuple, Optional

import numpy as np
import pytest

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

import fdcheck  # noqa: E402
import rule_wrappers as w  # noqa: E402


# ---------------------------------------------------------------- the table

class Arg(NamedTuple):
    """One argument: shape (None: a Python float, (): a 0-d array) and the
    interval its values are drawn from.  With ``away`` > 0 values are drawn
    from ``[away, hi]`` with a random sign (keeps clear of kinks and poles at
    0; then ``lo`` is ignored)."""
    shape: Optional[tuple]
    lo: float = -2.0
    hi: float = 2.0
    away: float = 0.0


def U(shape, lo=-2.0, hi=2.0):
    return Arg(shape, lo, hi)


def POS(shape):
    return Arg(shape, 0.3, 3.0)


def NZ(shape):
    return Arg(shape, -2.0, 2.0, away=0.3)


def UNIT(shape):            # arcsin / arccos
    return Arg(shape, -0.9, 0.9)


def ACOSH(shape):           # arccosh needs x > 1
    return Arg(shape, 1.2, 3.0)


def TAN(shape):             # away from the poles of tan
    return Arg(shape, -1.2, 1.2)


def LOG1P(shape):           # log1p needs x > -1
    return Arg(shape, -0.5, 2.0)


def PROD(shape):            # prod's rule divides by x: away from 0, moderate size
    return Arg(shape, -1.5, 1.5, away=0.5)


def CLIP(shape):            # around the clip bounds +-0.5 used by the wrappers
    return Arg(shape, -1.0, 1.0)


class Entry(NamedTuple):
    id: str
    fn: Callable
    prims: tuple            # the rule keys (callables) this entry exercises
    args: tuple             # of Arg
    wrt: object = None      # default: every argument
    xfail: Optional[str] = None


TABLE = []


def add(id, fn, prims, *args, wrt=None, xfail=None):
    prims = prims if isinstance(prims, tuple) else (prims,)
    TABLE.append(Entry(id, fn, prims, tuple(args), wrt, xfail))


def _s(shape):
    if shape is None:
        return "float"
    if shape == ():
        return "0d"
    return "x".join(map(str, shape))


UNARY_SHAPES = [None, (), (4,), (3, 4)]

BCAST = [((3, 4), (3, 4)), (None, (3, 4)), ((3, 4), None), ((), (3, 4)), ((3, 4), ()),
         ((4,), (3, 4)), ((3, 4), (4,)), ((3, 1), (3, 4)), ((3, 4), (3, 1)),
         ((3, 1), (4,)), (None, None)]


def add_unary(id, fn, prims, dom, shapes=UNARY_SHAPES, xfail=None):
    for s in shapes:
        add(f"{id}[{_s(s)}]", fn, prims, dom(s), xfail=xfail)


def add_binary(id, fn, prims, dom_x, dom_y, shapes=BCAST, xfail=None):
    for sx, sy in shapes:
        add(f"{id}[{_s(sx)},{_s(sy)}]", fn, prims, dom_x(sx), dom_y(sy), xfail=xfail)


# -- math (Python floats)
for _name, _prim, _dom in [
        ("sin", math.sin, U), ("cos", math.cos, U), ("tan", math.tan, TAN),
        ("exp", math.exp, U), ("expm1", math.expm1, U), ("log", math.log, POS),
        ("log1p", math.log1p, LOG1P), ("log2", math.log2, POS), ("log10", math.log10, POS),
        ("sqrt", math.sqrt, POS), ("tanh", math.tanh, U), ("sinh", math.sinh, U),
        ("cosh", math.cosh, U), ("asin", math.asin, UNIT), ("acos", math.acos, UNIT),
        ("atan", math.atan, U), ("erf", math.erf, U), ("erfc", math.erfc, U),
        ("fabs", math.fabs, NZ), ("asinh", math.asinh, U), ("acosh", math.acosh, ACOSH),
        ("atanh", math.atanh, UNIT), ("radians", math.radians, U),
        ("degrees", math.degrees, U)]:
    add_unary(f"math.{_name}", getattr(w, f"m_{_name}"), _prim, _dom, shapes=[None])
add("math.log(x,2.0)", w.m_log_base2, math.log, POS(None))
add("math.log(x,base)", w.m_log_base, math.log, POS(None), Arg(None, 1.5, 4.0))
add("math.atan2", w.m_atan2, math.atan2, NZ(None), NZ(None))
add("math.hypot", w.m_hypot, math.hypot, NZ(None), NZ(None))
add("math.pow", w.m_pow, math.pow, POS(None), U(None))
if importlib.util.find_spec("scipy") is not None:      # (their rules use scipy.special)
    add("math.lgamma", w.m_lgamma, math.lgamma, POS(None))
    add("math.gamma", w.m_gamma, math.gamma, POS(None))

# -- numpy elementwise, unary
for _name, _dom in [
        ("sin", U), ("cos", U), ("tan", TAN), ("exp", U), ("exp2", U), ("expm1", U),
        ("log", POS), ("log2", POS), ("log10", POS), ("log1p", LOG1P), ("sqrt", POS),
        ("cbrt", NZ), ("tanh", U), ("sinh", U), ("cosh", U), ("arcsin", UNIT),
        ("arccos", UNIT), ("arctan", U), ("square", U), ("reciprocal", NZ),
        ("negative", U), ("positive", U), ("abs", NZ), ("absolute", NZ), ("arcsinh", U),
        ("arccosh", ACOSH), ("arctanh", UNIT), ("deg2rad", U), ("radians", U),
        ("rad2deg", U), ("degrees", U), ("fabs", NZ), ("sinc", U), ("ldexp", U), ("conj", U),
        ("conjugate", U)]:
    add_unary(f"np.{_name}", getattr(w, f"np_{_name}"), getattr(np, _name), _dom)

# -- operators and builtins, unary
add_unary("-x", w.op_neg, operator.neg, U)
add_unary("+x", w.op_pos, operator.pos, U)
add_unary("abs(x)", w.b_abs, builtins.abs, NZ)
add_unary("operator.abs", w.operator_abs, operator.abs, NZ)
add_unary("x**3", w.op_pow_int, operator.pow, U)
add_unary("x**0.5", w.op_pow_half, operator.pow, POS)
add_unary("2.0**x", w.op_rpow, operator.pow, U)

# -- binary elementwise, over the broadcasting cases
add_binary("x+y", w.op_add, operator.add, U, U)
add_binary("x-y", w.op_sub, operator.sub, U, U)
add_binary("x*y", w.op_mul, operator.mul, U, U)
add_binary("x/y", w.op_div, operator.truediv, U, NZ)
add_binary("x**y", w.op_pow, operator.pow, POS, U)
add_binary("np.add", w.np_add, np.add, U, U)
add_binary("np.subtract", w.np_subtract, np.subtract, U, U)
add_binary("np.multiply", w.np_multiply, np.multiply, U, U)
add_binary("np.divide", w.np_divide, np.divide, U, NZ)
add_binary("np.true_divide", w.np_true_divide, np.true_divide, U, NZ)
add_binary("np.power", w.np_power, np.power, POS, U)
add_binary("np.arctan2", w.np_arctan2, np.arctan2, NZ, NZ)
add_binary("np.hypot", w.np_hypot, np.hypot, NZ, NZ)
add_binary("np.logaddexp", w.np_logaddexp, np.logaddexp, U, U)
add_binary("np.maximum", w.np_maximum, np.maximum, U, U)
add_binary("np.logaddexp2", w.np_logaddexp2, np.logaddexp2, U, U)
add_binary("np.fmax", w.np_fmax, np.fmax, U, U)
add_binary("np.fmin", w.np_fmin, np.fmin, U, U)
add_binary("np.heaviside", w.np_heaviside, np.heaviside, NZ, U)
add_binary("np.heaviside(0,h)", w.np_heaviside_at_0, np.heaviside, U, U)
add_unary("np.sinc(near 0)", w.np_sinc_near_0, np.sinc, U)
add_binary("np.minimum", w.np_minimum, np.minimum, U, U)
add_binary("np.where(MASK,x,y)", w.np_where, np.where, U, U)

# -- builtins
add_binary("pow(x,y)", w.b_pow, builtins.pow, POS, U,
           shapes=[(None, None), ((3, 4), (3, 4)), ((3, 4), None), (None, (4,))])
add("x%y", w.o_mod, operator.mod, U((3, 4), 0.1, 5.0), U((3, 4), 0.7, 1.3))
add("x%y[row]", w.o_mod, operator.mod, U((3, 4), 0.1, 5.0), U((4,), 0.7, 1.3))
add("np.mod", w.e_np_mod, np.mod, U((3, 4), 0.1, 5.0), U(None, 0.7, 1.3))
add("np.remainder", w.e_np_remainder, np.remainder, U((3, 4), 0.1, 5.0), U((3, 4), 0.7, 1.3))
add("max(x,y)", w.b_max, builtins.max, U(None), U(None))
add("min(x,y)", w.b_min, builtins.min, U(None), U(None))
add("max(x,y,z)", w.b_max3, builtins.max, U(None), U(None), U(None))
add("max(array)", w.b_max_iterable, builtins.max, U((4,)))
add("min([x,y])", w.b_min_list, builtins.min, U(None), U(None))
add("sum(vector)", w.b_sum_vector, builtins.sum, U((4,)))
add("sum(matrix)", w.b_sum_matrix, builtins.sum, U((3, 4)))
add("sum(list)", w.b_sum_list, builtins.sum, U(None), U(None), U(None))
add("math.fsum(list)", w.m_fsum, math.fsum, U(None), U(None), U(None))
add("list(matrix)", w.b_list_rows, builtins.list, U((3, 4)))
add("sum(x,start)", w.b_sum_start, builtins.sum, U((4,)), U(None))
add("float(array-sum)", w.b_float, builtins.float, U((3, 4)))
add("float(0d)", w.b_float_0d, builtins.float, U(()))

# -- where / clip / relu
add("np.where(x>0,x,0.1x)", w.e_where_cond, np.where, NZ((3, 4)))
add_unary("np.maximum(x,0.0)", w.e_relu, np.maximum, NZ, shapes=[None, (4,), (3, 4)])
add_unary("np.clip(x,-0.5,0.5)", w.e_clip, np.clip, CLIP, shapes=[None, (4,), (3, 4)])
add("np.clip(x,None,0.5)", w.e_clip_hi, np.clip, CLIP((3, 4)))
add("np.clip(x,-0.5,None)", w.e_clip_lo, np.clip, CLIP((3, 4)))
add("x.clip(-0.5,0.5)", w.e_clip_method, np.clip, CLIP((3, 4)))
add("np.clip(x,lo,hi)-wrt-x", w.e_clip_bounds, np.clip, CLIP((3, 4)),
    Arg(None, -0.6, -0.4), Arg(None, 0.4, 0.6), wrt=0)
add("np.clip(x,lo,hi)[floats]", w.e_clip_bounds, np.clip, CLIP((3, 4)),
    Arg(None, -0.6, -0.4), Arg(None, 0.4, 0.6))
add("np.clip(x,lo,hi)[rows]", w.e_clip_bounds, np.clip, CLIP((3, 4)),
    Arg((4,), -0.6, -0.4), Arg((4,), 0.4, 0.6))

# -- reductions: np.sum/mean/prod/max/min/var/std/linalg.norm, axis None/0/1,
#    keepdims False/True, on a (3, 4) matrix
for _name, _prim, _dom in [
        ("sum", np.sum, U), ("mean", np.mean, U), ("prod", np.prod, PROD),
        ("max", np.max, U), ("min", np.min, U), ("var", np.var, U), ("std", np.std, U),
        ("norm", np.linalg.norm, U)]:
    for _axis in ("all", "ax0", "ax1"):
        for _keep in ("", "_keep"):
            _fn = getattr(w, f"r_{_name}_{_axis}{_keep}")
            add(f"np.{_name}[{_axis}{_keep}]", _fn, _prim, _dom((3, 4)))
add("np.amax", w.r_amax, np.amax, U((3, 4)))
add("np.amax[ax1]", w.r_amax_ax1, np.amax, U((3, 4)))
add("np.amin", w.r_amin, np.amin, U((3, 4)))
add("np.amin[ax0_keep]", w.r_amin_ax0_keep, np.amin, U((3, 4)))
add("np.var[ddof=1,ax0]", w.r_var_ddof1, np.var, U((3, 4)))
add("np.std[ddof=1]", w.r_std_ddof1, np.std, U((3, 4)))
add("np.sum[axis=(0,2)]", w.r_sum_axis_tuple, np.sum, U((2, 3, 4)))
add("np.mean[axis=(0,2)]", w.r_mean_axis_tuple, np.mean, U((2, 3, 4)))
add("np.sum[axis=-1]", w.r_sum_axis_neg, np.sum, U((3, 4)))
add("np.max[vector]", w.r_max_vector, np.max, U((4,)))
for name, shape in [("flip", (3, 4)), ("fliplr", (3, 4)), ("flipud", (3, 4)), ("roll", (3, 4)),
                    ("tile", (4,)), ("repeat", (3, 4)), ("diag", (4,)), ("diagonal", (3, 4)),
                    ("triu", (3, 4)), ("tril", (3, 4)), ("moveaxis", (3, 4)),
                    ("swapaxes", (3, 4)), ("rollaxis", (3, 4)), ("atleast_1d", None),
                    ("atleast_2d", (4,)), ("atleast_3d", (3, 4)), ("take", (3, 4)),
                    ("take_along_axis", (3, 4)), ("pad", (3, 4)), ("hstack", (4,)),
                    ("vstack", (4,)), ("dstack", (3, 4)), ("column_stack", (4,)),
                    ("split", (3, 4)), ("array_split", (4,)), ("hsplit", (3, 4)),
                    ("vsplit", (3, 4)), ("cumsum", (3, 4)), ("trace", (3, 3))]:
    add(f"np.{name}", getattr(w, "r_" + name), getattr(np, name), U(shape))
add("np.linalg.inv", w.r_inv, np.linalg.inv, U((3, 3), -0.5, 0.5))
add("np.linalg.det", w.r_det, np.linalg.det, U((3, 3), -0.5, 0.5))
add("np.linalg.cholesky", w.r_cholesky, np.linalg.cholesky, U((3, 3), -0.5, 0.5))
add("np.linalg.eigvalsh", w.r_eigvalsh, np.linalg.eigvalsh, U((3, 3), -0.5, 0.5))
add("np.linalg.solve[vector]", w.r_solve_vec, np.linalg.solve, U((3, 3), -0.5, 0.5), U((3,)))
add("np.linalg.solve[matrix]", w.r_solve_mat, np.linalg.solve, U((3, 3), -0.5, 0.5), U((3, 2)))
add("np.linalg.norm[vector]", w.r_norm_vector, np.linalg.norm, U((4,)))
add("np.linalg.norm[vector,ord=2]", w.r_norm_ord2_vector, np.linalg.norm, U((4,)))
add("np.linalg.norm[fro]", w.r_norm_fro, np.linalg.norm, U((3, 4)))
add("np.linalg.norm[vector,ord=1]", w.r_norm_ord1_vector, np.linalg.norm, NZ((4,)))
add("np.linalg.norm[vector,ord=inf]", w.r_norm_inf_vector, np.linalg.norm, U((4,)))
add("x.sum(axis=1)", w.r_sum_method, np.sum, U((3, 4)))
add("x.mean()", w.r_mean_method, np.mean, U((3, 4)))
add("x.max(axis=0)", w.r_max_method, np.max, U((3, 4)))
add("x.min()", w.r_min_method, np.min, U((3, 4)))
add("x.prod()", w.r_prod_method, np.prod, PROD((3, 4)))
add("x.var()", w.r_var_method, np.var, U((3, 4)))
add("x.std(axis=1)", w.r_std_method, np.std, U((3, 4)))

# -- linear algebra: vector.vector, matrix.vector, vector.matrix, matrix.matrix
_LA_SHAPES = {"vv": ((4,), (4,)), "mv": ((3, 4), (4,)), "vm": ((3,), (3, 4)),
              "mm": ((3, 4), (4, 2))}
for _kind, (_sa, _sb) in _LA_SHAPES.items():
    add(f"a@b[{_kind}]", getattr(w, f"la_matmul_op_{_kind}"), operator.matmul, U(_sa), U(_sb))
    add(f"np.matmul[{_kind}]", getattr(w, f"la_matmul_{_kind}"), np.matmul, U(_sa), U(_sb))
    add(f"np.dot[{_kind}]", getattr(w, f"la_dot_{_kind}"), np.dot, U(_sa), U(_sb))
    add(f"a.dot(b)[{_kind}]", getattr(w, f"la_dot_method_{_kind}"), np.dot, U(_sa), U(_sb))
add("np.dot(scalar,x)[float]", w.la_dot_scalar, np.dot, U(None), U((3, 4)))
add("np.dot(scalar,x)[0d]", w.la_dot_scalar, np.dot, U(()), U((3, 4)))
add("a@b[batched 2x3x5 @ 2x5x4]", w.la_matmul_batched, operator.matmul,
    U((2, 3, 5)), U((2, 5, 4)))
add("a@b[broadcast 2x3x5 @ 5x4]", w.la_matmul_batched, operator.matmul,
    U((2, 3, 5)), U((5, 4)))
for _sa, _sb in [((3,), (2, 3, 4)), ((2, 3), (2, 3, 4)), ((2, 4, 3), (3,)),
                 ((2, 2, 3), (4, 3, 5))]:
    add(f"np.dot[{_s(_sa)},{_s(_sb)}]", w.la_dot_nd, np.dot, U(_sa), U(_sb))
for _sa, _sb in [((3,), (2, 3, 4)), ((2, 4, 3), (3,)), ((2, 3, 4), (4, 5)), ((4, 5), (2, 5, 3))]:
    add(f"np.matmul[{_s(_sa)},{_s(_sb)}]", w.la_matmul_nd, np.matmul, U(_sa), U(_sb))
add("np.outer", w.la_outer, np.outer, U((3,)), U((4,)))
add("np.outer[2d arg]", w.la_outer_2d, np.outer, U((3,)), U((2, 2)))

# -- shapes
add("x.T", w.s_T, np.transpose, U((4, 3)))
add("np.transpose", w.s_transpose, np.transpose, U((4, 3)))
add("np.transpose(axes)", w.s_transpose_axes, np.transpose, U((3, 4, 2)))
add("np.reshape", w.s_reshape, np.reshape, U((12,)))
add("np.reshape[2x6]", w.s_reshape, np.reshape, U((2, 6)))
add("np.reshape(-1,4)", w.s_reshape_neg, np.reshape, U((2, 6)))
add("x.reshape(3,4)", w.s_reshape_method, np.reshape, U((12,)))
add("np.expand_dims(x,0)", w.s_expand_dims0, np.expand_dims, U((4,)))
add("np.expand_dims(x,1)", w.s_expand_dims1, np.expand_dims, U((3,)))
add("np.squeeze", w.s_squeeze, np.squeeze, U((3, 1, 4)))
add("np.squeeze(axis=1)", w.s_squeeze_axis, np.squeeze, U((3, 1, 4)))
add("np.ravel", w.s_ravel, np.ravel, U((3, 4)))
add("np.ravel[2x6]", w.s_ravel, np.ravel, U((2, 6)))
add("x.ravel()", w.s_ravel_method, np.ravel, U((3, 4)))
add("np.concatenate", w.s_concatenate, np.concatenate, U((2, 4)), U((1, 4)))
add("np.concatenate(axis=1)", w.s_concatenate_axis1, np.concatenate, U((3, 1)), U((3, 3)))
add("np.concatenate((x,y,x))", w.s_concatenate_repeat, np.concatenate, U((1, 4)), U((1, 4)))
add("np.stack", w.s_stack, np.stack, U((4,)), U((4,)))
add("np.stack(axis=1)", w.s_stack_axis1, np.stack, U((3,)), U((3,)))
add_unary("np.broadcast_to", w.s_broadcast_to, np.broadcast_to, U,
          shapes=[None, (), (4,), (3, 1), (1, 4)])
add("np.array([a,b,a*b])", w.s_array_floats, np.array, U(None), U(None))
add("np.array([x,y,x])", w.s_array_arrays, np.array, U((4,)), U((4,)))
add("np.asarray(x)", w.s_asarray, np.asarray, U((3, 4)))
add("np.asarray([a,b])", w.s_asarray_list, np.asarray, U(None), U(None))
if hasattr(np, "astype"):
    add("np.astype(x, float64)", w.s_astype, np.astype, U((3, 4)))

# -- indexing reads
for _id, _fn, _shape in [
        ("x[0]", w.i_first, (3, 4)), ("x[-1]", w.i_last, (3, 4)),
        ("x[0][vector]", w.i_first_scalar, (5,)), ("x[1:4]", w.i_slice, (5,)),
        ("x[::2]", w.i_step, (5,)), ("x[:,None]", w.i_newaxis, (3,)),
        ("x[[0,2,2]]", w.i_fancy_repeated, (5,)), ("x[[-1,0]]", w.i_fancy_negative, (5,)),
        ("x[1,2]", w.i_element, (3, 4)), ("x[:,1]", w.i_column, (3, 4)),
        ("x[1:,::2]", w.i_2d_slice, (3, 4)), ("x[...,0]", w.i_ellipsis, (3, 4)),
        ("x[MASK]", w.i_mask, (3, 4))]:
    add(_id, _fn, operator.getitem, U(_shape))

# -- array building, sorting, signs, random draws
add("np.full[float]", w.b_full, np.full, U(None))
add("np.full[row]", w.b_full_row, np.full, U((4,)))
add("np.full_like", w.b_full_like, np.full_like, U((3, 4)), U(None), wrt=1)
add("np.linspace", w.b_linspace, np.linspace, U(None), U(None))
add("np.linspace[open]", w.b_linspace_open, np.linspace, U(None), U(None))
add("np.linspace[vectors]", w.b_linspace_vec, np.linspace, U((4,)), U((4,)))
add("np.arange(a,b,step)", w.b_arange, np.arange, U(None), Arg(None, 0.9, 1.1))
add("np.sort", w.b_sort, np.sort, U((3, 4)))
add("np.sort[axis=0]", w.b_sort_ax0, np.sort, U((3, 4)))
add("np.sort[axis=None]", w.b_sort_flat, np.sort, U((3, 4)))
add("math.copysign", w.m_copysign, math.copysign, NZ(None), NZ(None))
add("np.copysign", w.np_copysign, np.copysign, NZ((3, 4)), NZ((4,)))
add("np.r_[x,a,x]", w.b_r_, (), U((4,)), U(None))
add("np.c_[x,y]", w.b_c_, (), U((3,)), U((3,)))
add("np.random.normal", w.b_random_normal, np.random.normal, U(None), POS((4,)))
add("np.random.uniform", w.b_random_uniform, np.random.uniform, U(None), Arg(None, 2.5, 3.0))
add("x.astype(int)", w.b_astype_int, (), U((3, 4)))
add("np.diff", w.b_diff, np.diff, U((3, 4)))
add("np.diff(n=2,axis=0)", w.b_diff2_ax0, np.diff, U((3, 4)))
add("np.copy (then updated)", w.s_copy, np.copy, U((3, 4)))
add("x.copy() (then updated)", w.s_copy_method, np.copy, U((3, 4)))

# ------------------------------------------------------------- the checks

def make_args(entry):
    """Deterministic arguments for `entry` (seeded by its id)."""
    rng = np.random.default_rng(zlib.crc32(entry.id.encode()))
    out = []
    for a in entry.args:
        shape = () if a.shape is None else a.shape
        if a.away:
            v = rng.uniform(a.away, a.hi, shape) * rng.choice([-1.0, 1.0], shape)
        else:
            v = rng.uniform(a.lo, a.hi, shape)
        out.append(float(v) if a.shape is None else np.asarray(v, dtype=np.float64))
    return tuple(out)


def entry_wrt(entry):
    if entry.wrt is not None:
        return entry.wrt
    return 0 if len(entry.args) == 1 else tuple(range(len(entry.args)))


def _params():
    for e in TABLE:
        marks = [pytest.mark.xfail(strict=True, reason=e.xfail)] if e.xfail else []
        yield pytest.param(e, id=e.id, marks=marks)


def test_table_ids_are_unique():
    ids = [e.id for e in TABLE]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


@pytest.mark.parametrize("entry", list(_params()))
def test_rule_against_finite_differences(entry):
    args = make_args(entry)
    # sanity of the table itself: the wrapper runs and returns a scalar
    assert np.ndim(entry.fn(*args)) == 0
    fdcheck.assert_grad_matches_fd(entry.fn, args, entry_wrt(entry))


# ------------------------------------------------------- analytic checks

def test_repeated_fancy_index_accumulates():
    import ast_ad
    x = np.arange(5.0)
    g = ast_ad.grad(w.i_fancy_repeated)(x)
    expected = np.zeros(5)
    expected[0] = w.W3[0]
    expected[2] = w.W3[1] + w.W3[2]     # index 2 is read twice
    np.testing.assert_allclose(g, expected, rtol=1e-12, atol=0)


def test_std_of_equal_elements_is_flat():
    """All elements equal (here: one value spread by a formula, equal to the
    last bit or not): std does not move in the constant direction, and the
    derivative is 0, not the quotient of rounding noise by rounding noise."""
    import ast_ad

    def f(s):
        z = np.sqrt((s * np.ones((3, 2))) ** 2 + 0.5) ** 3
        return 5.0 * s + z.std() + np.sum(np.std(z, axis=0))
    for s in (1.459, 0.3, 2.0):
        assert ast_ad.grad(f)(s) == 5.0
        assert ast_ad.hessian(f)(s) == 0.0
        assert ast_ad.jvp(f, (s,), (1.0,))[1] == 5.0


def test_abs_and_max_analytic():
    import ast_ad
    x = np.array([[-1.0, 2.0, -3.0, 4.0]] * 3)
    np.testing.assert_allclose(ast_ad.grad(w.np_abs)(x), np.sign(x) * w.W, rtol=1e-12)
    g = ast_ad.grad(w.r_max_ax1)(np.array([[1.0, 5.0, 2.0, 0.0],
                                           [9.0, 1.0, 2.0, 3.0],
                                           [0.0, 0.0, 0.0, 7.0]]))
    expected = np.zeros((3, 4))
    expected[0, 1], expected[1, 0], expected[2, 3] = w.W3
    np.testing.assert_allclose(g, expected, rtol=1e-12, atol=0)


def test_matmul_analytic():
    import ast_ad
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=(3, 4)), rng.normal(size=(4, 2))
    ga, gb = ast_ad.grad(w.la_matmul_op_mm, wrt=(0, 1))(a, b)
    np.testing.assert_allclose(ga, w.W32 @ b.T, rtol=1e-12)
    np.testing.assert_allclose(gb, a.T @ w.W32, rtol=1e-12)


# ---------------------------------------------------------- completeness

# Rule keys that are public numpy / math / builtins / operator callables but
# deliberately have no table entry, with the reason.  Keep this empty unless
# a primitive cannot be called from user code.
SKIPPED = {
    # (its rule refuses: an attribute of an object made from the inputs;
    # tests/test_no_silent_wrong.py::test_an_object_made_from_the_inputs_is_refused_not_zero)
    getattr: "refuses by design",
}

_PUBLIC_MODULES = ("numpy", "math", "builtins", "operator", "_operator")


def _describe(fn):
    mod = getattr(fn, "__module__", None) or type(fn).__module__
    return f"{mod}.{getattr(fn, '__name__', repr(fn))}"


def _is_public(fn):
    mod = getattr(fn, "__module__", None)
    if mod is None and isinstance(fn, np.ufunc) and getattr(np, fn.__name__, None) is fn:
        mod = "numpy"       # (SciPy's ufuncs have tests of their own: test_scipy_special.py)
    if mod is None:
        return False
    name = getattr(fn, "__name__", "")
    return mod.split(".")[0] in _PUBLIC_MODULES and not name.startswith("_")


def test_every_public_rule_is_covered():
    from ast_ad.rules import VJPS
    covered = {id(p) for e in TABLE for p in e.prims}
    skipped = {id(p) for p in SKIPPED}
    missing = [_describe(k) for k in VJPS
               if _is_public(k) and id(k) not in covered and id(k) not in skipped]
    assert not missing, ("rules without a table entry in tests/test_rules.py "
                         f"(add one, or list it in SKIPPED with a reason): {missing}")


def test_table_only_names_real_rules():
    """Every primitive the table claims to test has a rule (catches table typos,
    and rules that disappear)."""
    from ast_ad.rules import VJPS
    keys = {id(k) for k in VJPS}
    unknown = sorted({_describe(p) for e in TABLE for p in e.prims if id(p) not in keys})
    assert not unknown, f"table entries name callables without a VJP rule: {unknown}"
    stale = [_describe(p) for p in SKIPPED if id(p) not in keys]
    assert not stale, f"SKIPPED lists callables that no longer have a rule: {stale}"


def test_public_rule_keys_are_recognised():
    """The completeness check is not vacuous: it sees the math and numpy rules."""
    from ast_ad.rules import VJPS
    public = {k for k in VJPS if _is_public(k)}
    for fn in (math.sin, np.sin, np.sum, np.linalg.norm, operator.add, builtins.abs):
        assert fn in public
