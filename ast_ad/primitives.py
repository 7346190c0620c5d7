"""Python's operators as primitives: one record each.

A record says how a call of the operator is written (its symbol and the
gast node of that syntax) and which families it belongs to.  The lowering
(syntax -> callable), codegen (callable -> syntax), the trace printer, the
emitter of augmented assignments, aval inference, simplification, the zero-
sum algebra and the deferred element checks all read their operator tables
from here, so that adding or changing an operator is one line.

    >>> import operator
    >>> OPERATORS[operator.mul].symbol, OPERATORS[operator.mul].linear
    ('*', True)
    >>> sorted(op.symbol for op in OPERATORS.values() if op.kind == "compare")[:3]
    ['!=', '<', '<=']
"""
from __future__ import annotations

import builtins
import operator
from dataclasses import dataclass
from typing import Optional

import gast
import numpy as np

from . import runtime


@dataclass(frozen=True)
class Operator:
    fn: object
    symbol: str            # as printed: "+", "<", "not " (unary ones before the operand)
    node: type             # the gast node class of that syntax (gast.Add, gast.Lt, gast.Not)
    kind: str              # "binary", "unary" or "compare"
    # applied element by element, its operands broadcast against each other
    elementwise: bool = False
    # a formula of numbers: on Python floats it gives a Python float
    arithmetic: bool = False
    # a ring operation of the zero-sum algebra (zero_sums.py): linear in each
    # operand (+, -, unary -) or a product or quotient of them
    linear: bool = False


def _ops(kind, rows, **props):
    return [Operator(fn, symbol, node, kind, **props) for fn, symbol, node in rows]


_ALL = (
    _ops("binary", [(operator.add, "+", gast.Add), (operator.sub, "-", gast.Sub),
                    (operator.mul, "*", gast.Mult), (operator.truediv, "/", gast.Div)],
         elementwise=True, arithmetic=True, linear=True)
    + _ops("binary", [(operator.pow, "**", gast.Pow)], elementwise=True, arithmetic=True)
    + _ops("binary", [(operator.floordiv, "//", gast.FloorDiv), (operator.mod, "%", gast.Mod)],
           elementwise=True)
    + _ops("binary", [(operator.matmul, "@", gast.MatMult), (operator.and_, "&", gast.BitAnd),
                      (operator.or_, "|", gast.BitOr), (operator.xor, "^", gast.BitXor)])
    + _ops("unary", [(operator.neg, "-", gast.USub)], elementwise=True, arithmetic=True,
           linear=True)
    + _ops("unary", [(operator.pos, "+", gast.UAdd)], elementwise=True, arithmetic=True)
    + _ops("unary", [(operator.not_, "not ", gast.Not), (operator.invert, "~", gast.Invert)])
    + _ops("compare", [(operator.lt, "<", gast.Lt), (operator.le, "<=", gast.LtE),
                       (operator.gt, ">", gast.Gt), (operator.ge, ">=", gast.GtE),
                       (operator.eq, "==", gast.Eq), (operator.ne, "!=", gast.NotEq)],
           elementwise=True)
    + _ops("compare", [(operator.is_, "is", gast.Is), (operator.is_not, "is not", gast.IsNot),
                       (runtime.is_in, "in", gast.In), (runtime.not_in, "not in", gast.NotIn)])
)

OPERATORS = {op.fn: op for op in _ALL}


def of_syntax(kind: str) -> dict:
    """{gast node class: callable} of the operators of `kind` (lowering)."""
    return {op.node: op.fn for op in _ALL if op.kind == kind}


def to_syntax(kind: str) -> dict:
    """{callable: gast node class} of the operators of `kind` (codegen)."""
    return {op.fn: op.node for op in _ALL if op.kind == kind}


def having(prop: str, kind: Optional[str] = None) -> frozenset:
    """The operators with the property `prop` (a field of Operator), of
    `kind` if given."""
    return frozenset(op.fn for op in _ALL if getattr(op, prop) and kind in (None, op.kind))


def symbol(fn) -> Optional[str]:
    op = OPERATORS.get(fn)
    return op.symbol if op is not None else None


# builtins.abs and operator.abs have no syntax, but belong with the
# elementwise arithmetic operators wherever those are listed
ABS = frozenset({builtins.abs, operator.abs})


# ------------------------------------------------------------ NumPy functions
#
# What the result of a NumPy function is to its first argument, as far as
# memory goes.  An update in place of either must be seen by the other, so
# the lowering follows these (lower.view_of), the in-place planner keeps
# them (inplace.py), and simplification knows zeros stay zeros through the
# ones that only move elements.  The list is complete for NumPy's namespace:
# tests/test_view_records.py calls every NumPy function and fails on one
# whose result shares memory with its argument and is missing here.

@dataclass(frozen=True)
class ArrayFunction:
    fn: object
    # "view": always a view, read again by re-applying fn after the base
    # changes; "maybe view": a view or a copy depending on memory layout or
    # arguments (an update of either while the other is bound is refused);
    # "views": a list or tuple of views
    result: str
    # its result is some of its argument's elements, moved or repeated, and
    # nothing else: zeros in, zeros out
    rearranges: bool = True


def _array_functions(result, fns, **props):
    return [ArrayFunction(fn, result, **props) for fn in fns if fn is not None]


def _np(*path):
    """A NumPy function by its dotted name, None where this NumPy has none."""
    obj = np
    for name in path:
        obj = getattr(obj, name, None)
    return obj


_ARRAY_FUNCTIONS = (
    _array_functions("view", [
        np.transpose, np.swapaxes, np.moveaxis, np.rollaxis, np.squeeze, np.expand_dims,
        np.broadcast_to, np.atleast_1d, np.atleast_2d, np.atleast_3d, np.flip, np.fliplr,
        np.flipud, np.rot90, _np("matrix_transpose"), _np("permute_dims"),
        _np("linalg", "matrix_transpose"), runtime.matrix_transpose])
    + _array_functions("maybe view", [
        np.reshape, np.ravel, np.diagonal, np.diag, _np("linalg", "diagonal"),
        np.trim_zeros])
    + _array_functions("maybe view", [
        np.real, np.imag, np.diff, np.asanyarray, np.ascontiguousarray, np.asfortranarray,
        np.asarray_chkfinite, np.require, np.real_if_close, np.asmatrix, np.polyder,
        np.polyint, np.lib.stride_tricks.as_strided,
        np.lib.stride_tricks.sliding_window_view], rearranges=False)
    + _array_functions("views", [
        np.split, np.array_split, np.hsplit, np.vsplit, np.dsplit, _np("unstack"),
        np.broadcast_arrays, np.ix_])
)

ARRAY_FUNCTIONS = {f.fn: f for f in _ARRAY_FUNCTIONS}


def array_functions(result=None, rearranges=None) -> frozenset:
    """The NumPy functions whose result is `result` ("view", "maybe view",
    "views") to their first argument, and that rearrange (if given)."""
    return frozenset(f.fn for f in _ARRAY_FUNCTIONS
                     if result in (None, f.result) and rearranges in (None, f.rearranges))
