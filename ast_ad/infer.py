"""One inference over the IR: the aval (avals.py) of every Var, from the
avals of the parameters.

`op_aval` is the transfer function of one operation, used both by the
lowering (as it emits each operation, to decide what ``+=`` and views do)
and by `infer` over whole functions (after differentiation).  It works from
the avals alone where it can (elementwise broadcasting, reductions, matrix
products, constructors) and otherwise evaluates the primitive once on
stand-in arguments (zero-strided views of a harmless value, so nothing large
is allocated).  A result that may depend on the *values* of its arguments
(``np.zeros(n)``'s length, a boolean mask) gets an aval with that part
unknown, never a guess.

>>> import numpy as np, operator
>>> from ast_ad.ir import Var, Const, Op
>>> from ast_ad.avals import of_value
>>> x = Var("x")
>>> s = Op(Var(), operator.add, [x, Const(1.0)])
>>> op_aval(s, {x: of_value(np.zeros((2, 3)))})
Array((2, 3), float64)
>>> op_aval(Op(Var(), np.zeros, [x]), {x: of_value(5)})
Array((None,), float64)
"""
from __future__ import annotations

import builtins
import math
import operator
import warnings

import numpy as np

from . import ir, primitives, rules, runtime
from .avals import (Aval, Array, Known, Map, Num, NUMERIC, Other, Seq, UNKNOWN, FLOAT, INT,
                    BOOL, concrete, join, of_value, of_operand, shape_of, is_numeric)
from .ir import Const, If, Loop, Op, Var

_MAX_ELEMENTS = 1 << 22       # larger stand-ins are not evaluated
_NO_EVAL = {runtime.global_value, print, runtime.check_scalar_output, runtime.tape_push}

ELEMENTWISE = primitives.having("elementwise") | primitives.ABS
BOOL_RESULT = primitives.having("elementwise", kind="compare") | {
               np.less, np.less_equal, np.greater, np.greater_equal, np.equal, np.not_equal,
               np.isfinite, np.isnan, np.isinf, np.logical_and, np.logical_or,
               np.logical_not}
REDUCTIONS = {np.sum, np.mean, np.max, np.min, np.prod, np.amax, np.amin}
# Functions of shapes only: their result is known when the code is made
SHAPE_ONLY = {np.shape, np.ndim, np.size, runtime.reduced_count}
# Functions whose result's shape depends on their arguments' values
VALUE_SHAPED = {np.arange}
# runtime helpers whose result has the shape of one of their arguments
SHAPE_OF_ARG = {runtime.matmul_grad_a: 1, runtime.matmul_grad_b: 2, runtime.dot_grad_a: 1,
                runtime.dot_grad_b: 2, runtime.broadcast_to_shape: 1,
                runtime.index_adjoint: 1, runtime.reshape_like: 1, runtime.maxmin_grad: 2,
                runtime.norm_grad: 2}
# results with the aval of an argument (same object, or an update of it)
SAME_AS_ARG = {runtime.setitem_copy: 0, runtime.setitem_grad_x: 0, runtime.add_at: 0,
               runtime.identity: 0, runtime.zeros_like: 0, runtime.add: 0}
CONSTRUCTORS = {np.zeros: 0, np.ones: 0, np.empty: 0, np.full: 0}
_MATH_INT = {math.floor, math.ceil, math.trunc, math.factorial, math.gcd, math.isqrt,
             getattr(math, "lcm", math.gcd), math.comb, math.perm}
_MATH_BOOL = {math.isnan, math.isinf, math.isfinite, math.isclose}


# --------------------------------------------------------------- functions

def _zeros_aval(a):
    """The aval of ``runtime.zeros_like(x)`` for `x` of aval `a` (the same
    structure and shapes, float where `x` is not float or complex), or None."""
    a = concrete(a)
    if isinstance(a, Num):
        if a.kind in "fc":
            return a
        return FLOAT if a.type in (int, bool) else Num(np.float64 if a.type is not None else None, "f")
    if isinstance(a, Array):
        if a.dtype is not None and a.dtype.kind not in "fc":
            return Array(a.shape, np.dtype(float))
        return a
    if isinstance(a, Seq):
        if a.elts is not None:
            elts = tuple(_zeros_aval(e) for e in a.elts)
            return None if any(e is None for e in elts) else Seq(a.type, elts)
        elt = _zeros_aval(a.elt) if a.elt is not UNKNOWN else UNKNOWN
        return None if elt is None else Seq(a.type, None, elt, a.length)
    if isinstance(a, Map):
        values = tuple(_zeros_aval(v) for v in a.values)
        return None if any(v is None for v in values) else Map(a.keys, values)
    return None


def infer(fn: ir.Function, param_avals, hints=None) -> dict:
    """Var -> aval for every Var of `fn` (UNKNOWN where nothing is known).
    `hints`: avals already known for some Vars (e.g. values restored from a
    tape)."""
    avals = {p: a for p, a in zip(fn.params, param_avals)}
    if hints:
        avals.update(hints)
    infer_block(fn.body, avals)
    return avals


def infer_block(body, avals):
    for s in body:
        if isinstance(s, Op):
            if s.target is not None and avals.get(s.target, UNKNOWN) is UNKNOWN:
                # (a hint says nothing when UNKNOWN: an earlier pass may have
                # known less about the operands than is known now)
                avals[s.target] = op_aval(s, avals)
        elif isinstance(s, If):
            infer_block(s.body, avals)
            infer_block(s.orelse, avals)
            for p in s.phis:
                avals[p.var] = join(of_operand(p.then, avals), of_operand(p.orelse, avals))
        elif isinstance(s, Loop):
            _infer_loop(s, avals)
    return avals


def _infer_loop(s, avals):
    for c in s.carries:
        avals[c.var] = concrete(of_operand(c.init, avals))
    for t in ir.loop_targets(s):
        avals.setdefault(t, INT if s.iter is not None and not isinstance(s.target, list)
                         else UNKNOWN)
    for _ in range(4):
        trial = dict(avals)
        infer_block(s.cond_body, trial)
        infer_block(s.body, trial)
        stable = True
        for c in s.carries:
            new = join(avals[c.var], concrete(of_operand(c.next, trial)))
            if new != avals[c.var]:
                avals[c.var] = new
                stable = False
        if stable:
            avals.update(trial)
            return
    for c in s.carries:
        avals[c.var] = UNKNOWN
    infer_block(s.cond_body, avals)
    infer_block(s.body, avals)


# ------------------------------------------------------- one operation

def op_aval(s: Op, avals) -> Aval:
    """The aval of the result of operation `s`."""
    f = s.fn
    if f is runtime.global_value:
        return of_value(s.observed) if s.observed is not None else UNKNOWN
    if s.explode is not None:
        return s.explode if isinstance(s.explode, Aval) else UNKNOWN
    if f in _NO_EVAL or f in rules.OPAQUE:
        return UNKNOWN
    args = [of_operand(a, avals) for a in s.args]
    kwargs = {k: of_operand(v, avals) for k, v in s.kwargs.items()}
    try:
        key = (f, tuple(args), tuple(sorted(kwargs.items())))
        out = _MEMO.get(key)
    except TypeError:
        key = out = None
    if out is not None:
        return out
    try:
        out = _transfer(f, args, kwargs)
    except Exception:
        out = UNKNOWN
    if key is not None:
        if len(_MEMO) > 8192:
            _MEMO.clear()
        _MEMO[key] = out
    return out


# (f, operand avals) -> result aval: the same operations recur (a rule
# inlined again, a loop body lowered again, every specialisation)
_MEMO = {}


# operations folded when every operand is known (shape arithmetic)
_FOLDED = {operator.getitem, operator.add, operator.sub, operator.mul, operator.floordiv,
           operator.mod, operator.neg, operator.truediv, builtins.min, builtins.max, len,
           builtins.int, builtins.float, builtins.abs,
           # (comparisons of known sizes: ``x.shape[-1] == 3`` decides a branch
           # when the code is made)
           operator.eq, operator.ne, operator.lt, operator.le, operator.gt, operator.ge,
           operator.not_}


def _transfer(f, args, kwargs):
    every = args + list(kwargs.values())
    if f in _FOLDED and not kwargs and all(isinstance(a, Known) for a in args):
        try:
            return Known(f(*[a.value for a in args]))
        except Exception:
            pass
    if f is builtins.slice:
        return Other(slice)
    structural = _structural(f, args, kwargs)
    if structural is not None:
        return structural
    if f in SHAPE_ONLY and all(shape_of(a) is not None or isinstance(a, Known) for a in every):
        return Known(f(*map(_standin, args), **{k: _standin(v) for k, v in kwargs.items()}))
    if f is len:
        a = concrete(args[0])
        n = a.count() if isinstance(a, Seq) else (
            a.shape[0] if isinstance(a, Array) and a.shape and a.shape[0] is not None else None)
        return Known(n) if n is not None else INT
    if f is builtins.sum and len(args) == 1 and not kwargs and isinstance(concrete(args[0]), Seq):
        # the builtin sum of numbers is a number (the int 0 if the list may
        # be empty), never an array that `+=` would update in place
        a = concrete(args[0])
        elt = concrete(a.element(None))
        if isinstance(elt, Num) and a.count() != 0:
            return elt if a.count() is not None else join(Num(int, "i"), elt)
    if f in VALUE_SHAPED and not all(isinstance(a, Known) for a in every):
        return Array((None,), _dtype_guess(every))
    if f in CONSTRUCTORS:
        return _constructor(f, args, kwargs)
    if _is_elementwise(f) and not kwargs:
        out = _elementwise(f, args)
        if out is not None:
            return out
    if f in REDUCTIONS:
        out = _reduction(args, kwargs)
        if out is not None:
            return out
    if f in (operator.matmul, np.matmul, np.dot) and not kwargs and len(args) == 2:
        out = _matmul(f, concrete(args[0]), concrete(args[1]))
        if out is not None:
            return out
    if f is runtime.index_adjoint and len(args) == 3 and isinstance(concrete(args[1]), Seq):
        # zeros in the structure of the list, the adjoint added at one element
        zeros = _zeros_aval(concrete(args[1]))
        g = concrete(args[0])
        if zeros is not None and zeros.elts is not None:
            return Seq(zeros.type, tuple(join(e, g) for e in zeros.elts))
        if zeros is not None:
            return Seq(zeros.type, None, join(zeros.elt, g), zeros.length)
    k = SHAPE_OF_ARG.get(f)
    if k is not None and len(args) > k and isinstance(concrete(args[k]), Array):
        dts = [concrete(a).dtype for a in args if isinstance(concrete(a), Array)]
        dt = np.result_type(*dts) if all(d is not None for d in dts) else None
        return Array(concrete(args[k]).shape, dt)
    # (the adjoint of x[i] = v is g[i]: an element picked, like a read)
    if f is operator.getitem or f is runtime.assigned_grad:
        out = _getitem(args)
        if out is not None:
            return out
    out = _evaluate(f, args, kwargs)
    if out is not None:
        return out
    return _kind_level(f, args)


def _structural(f, args, kwargs):
    """Containers and the helpers whose result is (an update of) an argument."""
    if f is runtime.make_tuple and all(isinstance(a, Known) for a in args):
        return Known(tuple(a.value for a in args))      # (a shape built of known sizes)
    if f is runtime.like:
        a, b = concrete(args[0]), concrete(args[1])
        if isinstance(b, Array):
            kind = b.dtype.kind if b.dtype is not None else None
            return Array(b.shape, b.dtype if kind is None or kind in "fc" else np.dtype(float)) \
                if kind is not None else Array(b.shape, None)
        # (`g` itself when `x` is no array; when that is not known, either:
        # seed 853673, a 0-d array's gradient was taken for one already)
        if isinstance(b, Num) and b.type is float and isinstance(a, Array) and a.shape == ():
            return b        # (a 0-d array adjoint of a Python float: a float)
        return a if isinstance(b, (Num, Seq, Map)) or isinstance(b, Known) else UNKNOWN
    if f is runtime.make_tuple or f is runtime.make_list:
        return Seq(tuple if f is runtime.make_tuple else list,
                   tuple(concrete(a) for a in args))
    if f is runtime.make_dict:
        return Map(tuple(args[0].value), tuple(concrete(a) for a in args[1:]))
    if f is runtime.repeat_sequence:
        seq, n = concrete(args[0]), args[1]
        if not isinstance(seq, Seq):
            return UNKNOWN
        if isinstance(n, Known) and isinstance(n.value, (int, np.integer)) \
                and seq.elts is not None:
            return Seq(seq.type, tuple(seq.elts) * max(int(n.value), 0))
        count = seq.count()
        length = count * n.value if isinstance(n, Known) and count is not None else None
        return Seq(seq.type, None, seq.element(None), length)
    if f is runtime.append:
        lst = concrete(args[0])
        if isinstance(lst, Seq) and lst.elts is not None:
            return Seq(list, lst.elts + (concrete(args[1]),))
        if isinstance(lst, Seq):
            n = lst.length + 1 if lst.length is not None else None
            return Seq(list, None, join(lst.elt, concrete(args[1])), n)
        return Seq(list, None, UNKNOWN, None)
    if f is runtime.pop_last:
        lst = concrete(args[0])
        if isinstance(lst, Seq) and lst.type is list and lst.elts is not None:
            return Seq(list, lst.elts[:-1]) if lst.elts else UNKNOWN
        if isinstance(lst, Seq) and lst.type is list:
            n = lst.length - 1 if lst.length else None
            return Seq(list, None, lst.elt, n)
        return Seq(list, None, UNKNOWN, None)
    k = SAME_AS_ARG.get(f)
    if k is not None and args:
        a = concrete(args[k])
        if f is runtime.zeros_like:
            return _zeros_aval(a)
        if f is runtime.add and not isinstance(a, (Seq, Map)):
            return None     # (numbers and arrays: broadcasting, see _elementwise)
        return a
    if f is runtime.inplace_alias:
        return join(args[0], args[1])
    if f in (operator.add, operator.mul) and len(args) == 2:
        seqs = _sequence_arith(f, concrete(args[0]), concrete(args[1]), args)
        if seqs is not None:
            return seqs
    if f is runtime.unbroadcast:
        # the adjoint summed down to the shape of x
        g, x = concrete(args[0]), concrete(args[1])
        if isinstance(g, Num):
            return g            # (a number is returned as it is)
        if isinstance(g, Array) and isinstance(x, Num):
            return Num(g.dtype.type, g.dtype.kind) if g.dtype is not None else NUMERIC
        if isinstance(g, Array) and isinstance(x, Array):
            return Array(x.shape, g.dtype)
        return NUMERIC if is_numeric(g) else UNKNOWN
    if f is builtins.float or f is runtime.scalar:
        return FLOAT
    if f is builtins.int:
        return INT
    if f is builtins.bool or f in BOOL_RESULT and all(
            isinstance(concrete(a), Num) for a in args):
        return BOOL
    if f is builtins.range:
        return Other(range)
    if f is runtime.dtype_of:
        a = concrete(args[0])
        if isinstance(a, Array) and a.dtype is not None:
            return Known(a.dtype)
        return UNKNOWN
    return None


def _sequence_arith(f, a, b, args):
    """``xs + ys`` (concatenation) and ``xs * n`` (repetition) of lists or
    tuples, or None when these are not sequences."""
    if f is operator.add and isinstance(a, Seq) and isinstance(b, Seq) and a.type is b.type:
        if a.elts is not None and b.elts is not None and len(a.elts) + len(b.elts) <= 64:
            return Seq(a.type, a.elts + b.elts)
        n = a.count() + b.count() if a.count() is not None and b.count() is not None else None
        if a.count() == 0:
            return Seq(a.type, None, b.element(None), n)
        if b.count() == 0:
            return Seq(a.type, None, a.element(None), n)
        return Seq(a.type, None, join(a.element(None), b.element(None)), n)
    if f is operator.mul:
        seq, times = (a, args[1]) if isinstance(a, Seq) else (b, args[0])
        if not isinstance(seq, Seq):
            return None
        k = times.value if isinstance(times, Known) and isinstance(times.value, int) else None
        if k is not None and seq.elts is not None and len(seq.elts) * k <= 64:
            return Seq(seq.type, seq.elts * max(k, 0))
        n = seq.count() * max(k, 0) if k is not None and seq.count() is not None else None
        return Seq(seq.type, None, seq.element(None), n)
    return None


def _is_elementwise(f):
    return f in ELEMENTWISE or f is runtime.add or (isinstance(f, np.ufunc) and f.signature is None
                                                    and f.nin >= 1) or (
        getattr(f, "__module__", None) == "math" and f not in _MATH_INT and f not in _MATH_BOOL)


def _elementwise(f, args):
    """Broadcast shape and promoted type, from the avals alone."""
    cs = [concrete(a) for a in args]
    if any(not isinstance(a, (Num, Array)) for a in cs):
        if all(is_numeric(a) for a in cs):
            return NUMERIC
        return None
    if getattr(f, "__module__", None) == "math":
        return FLOAT
    arrays = [a for a in cs if isinstance(a, Array)]
    if not arrays:
        return _number_result(f, cs)
    shapes = [a.shape for a in arrays]
    if any(sh is None for sh in shapes):
        shape = None
    else:
        shape = _broadcast(shapes)
    try:
        dtype = np.result_type(*[_dtype_standin(a) for a in cs])
    except Exception:
        dtype = None
    if f in BOOL_RESULT:
        dtype = np.dtype(bool)
    elif dtype is not None and f in (operator.truediv, np.true_divide, np.divide) \
            and dtype.kind in "biu":
        dtype = np.dtype(float)
    elif dtype is not None and isinstance(f, np.ufunc) and dtype.kind in "biu" and \
            f.types and not _keeps_int(f):
        dtype = None            # (sin of ints is a float: let evaluation tell)
    if dtype is None:
        return None if shape is not None and None not in shape else Array(shape, None)
    if shape == ():
        return Num(dtype.type, dtype.kind)      # (a ufunc's 0-d result is a NumPy number)
    return Array(shape, dtype)


_INT_UFUNCS = {np.add, np.subtract, np.multiply, np.negative, np.positive, np.absolute,
               np.maximum, np.minimum, np.floor_divide, np.remainder, np.mod, np.square,
               np.sign, np.power}


def _keeps_int(f):
    return f in _INT_UFUNCS


def _dtype_standin(a):
    """What np.result_type should see for `a` (Python numbers are weak)."""
    if isinstance(a, Num):
        if a.type in (float, int, bool):
            return a.type(1)
        if a.type is not None:
            return np.dtype(a.type)
        return {"f": 1.0, "i": 1, "b": True, "c": 1j}.get(a.kind, 1.0)
    if a.dtype is None:
        raise TypeError("unknown dtype")
    return a.dtype


def _number_result(f, nums):
    """The aval of an operation on numbers only."""
    if f in BOOL_RESULT:
        return BOOL
    values = []
    for a in nums:
        if a.type is None:
            kinds = {n.kind for n in nums}
            if kinds <= set("fc"):
                return Num(None, "f")
            if kinds <= set("biufn"):
                # (real numbers, one of int-or-float type: a number again)
                floats = "f" in kinds or f in (operator.truediv, np.true_divide, np.divide)
                return Num(None, "f" if floats else "n")
            return UNKNOWN
        values.append(a.type(0.5) if a.kind in "fc" else a.type(2))
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = f(*values)
    except Exception:
        return None
    a = of_value(out)
    return a if isinstance(a, Num) else None


def _broadcast(shapes):
    n = max(len(s) for s in shapes)
    out = []
    for i in range(n):
        dims = [s[len(s) - n + i] for s in shapes if len(s) - n + i >= 0]
        known = [d for d in dims if d is not None and d != 1]
        if known:
            if len(set(known)) > 1:
                raise ValueError(f"shapes {shapes} do not broadcast")
            out.append(known[0])
        elif any(d is None for d in dims):
            out.append(None)
        else:
            out.append(1)
    return tuple(out)


def _reduction(args, kwargs):
    """np.sum(x, axis=..., keepdims=...) of an array, from its aval."""
    if len(args) != 1 or set(kwargs) - {"axis", "keepdims"} \
            or any(not isinstance(k, Known) for k in kwargs.values()):
        return None
    a = concrete(args[0])
    if isinstance(a, Num):
        return a
    if not isinstance(a, Array) or a.shape is None or a.dtype is None:
        return None
    shape = a.shape
    axis = kwargs["axis"].value if "axis" in kwargs else None
    keepdims = kwargs["keepdims"].value if "keepdims" in kwargs else False
    n = len(shape)
    if axis is None:
        axes = set(range(n))
    else:
        try:
            axes = {x % n if -n <= x < n else None for x in
                    (axis if isinstance(axis, tuple) else (axis,))}
        except TypeError:
            return None
        if None in axes or keepdims not in (True, False):
            return None
    if any(shape[x] == 0 for x in axes):
        return None     # (max of nothing raises; leave it to evaluation)
    dtype = a.dtype
    if dtype.kind in "biu":
        return None     # (sum of bools is an int, mean a float: let evaluation tell)
    out = tuple(1 if i in axes else d for i, d in enumerate(shape)) if keepdims else \
        tuple(d for i, d in enumerate(shape) if i not in axes)
    if out:
        return Array(out, dtype)
    return Num(dtype.type, dtype.kind)


def _matmul(f, a, b):
    """Shape of a matrix product by the rule (a zero-strided stand-in cannot
    use BLAS: large products would be slow)."""
    if not isinstance(a, Array) or not isinstance(b, Array) or a.shape is None \
            or b.shape is None or None in a.shape or None in b.shape:
        return None
    sa, sb = a.shape, b.shape
    if a.dtype is None or b.dtype is None or not sa or not sb:
        return None
    dtype = np.result_type(a.dtype, b.dtype)
    if f is np.dot and (len(sa) > 2 or len(sb) > 2):
        return None
    if len(sa) == 1 and len(sb) == 1:
        return Num(dtype.type, dtype.kind) if sa == sb else None
    if len(sa) == 1:
        if sa[0] != sb[-2]:
            return None
        shape = sb[:-2] + sb[-1:]
    elif len(sb) == 1:
        if sa[-1] != sb[0]:
            return None
        shape = sa[:-1]
    else:
        if sa[-1] != sb[-2]:
            return None
        batch = np.broadcast_shapes(sa[:-2], sb[:-2])
        shape = tuple(batch) + (sa[-2], sb[-1])
    return Array(shape, dtype)


def _getitem(args):
    base, index = concrete(args[0]), args[1]
    if isinstance(base, (Seq, Map)):
        if isinstance(index, Known):
            if isinstance(base, Map):
                return base.element(index.value)
            if isinstance(index.value, int):
                return base.element(index.value)
            if isinstance(index.value, slice) and isinstance(base, Seq):
                # xs[1:], xs[::-1]: the elements picked, or how many
                if base.elts is not None:
                    return Seq(base.type, tuple(base.elts[index.value]))
                if base.length is not None:
                    return Seq(base.type, None, base.elt,
                               len(range(base.length)[index.value]))
                return Seq(base.type, None, base.elt)
            return None
        if isinstance(base, Seq) and concrete(index) == INT:
            return base.element(None)
        if isinstance(base, Map) and base.values:
            # (a run-time key: one of the values)
            out = base.values[0]
            for v in base.values[1:]:
                out = join(out, v)
            return out
        return UNKNOWN
    if base == Other(range):
        # (an element of a range is an int; a slice of it, a range)
        idx = concrete(index)
        return INT if idx == INT else (base if idx == Other(slice) else None)
    if isinstance(base, Array) and base.shape and not isinstance(index, Known) \
            and concrete(index) == Other(slice):
        # x[i:j] with run-time bounds: the first extent is not known
        return Array((None,) + tuple(base.shape[1:]), base.dtype)
    if isinstance(base, Array) and concrete(index) == INT and base.shape:
        rest = base.shape[1:]
        if base.dtype is None:
            return Array(rest, None) if rest else UNKNOWN
        return Array(rest, base.dtype) if rest else Num(base.dtype.type, base.dtype.kind)
    idx = concrete(index)
    if isinstance(base, Array) and base.shape and isinstance(idx, Seq) and idx.type is list \
            and idx.count() is not None and idx.count() > 0 and all(
                isinstance(concrete(e), Num) and concrete(e).kind in "iu"
                for e in (idx.elts if idx.elts is not None else (idx.elt,))):
        # x[[i, j, ...]]: the rows picked by a list of integers (a new array)
        return Array((idx.count(),) + tuple(base.shape[1:]), base.dtype)
    return None


def _constructor(f, args, kwargs):
    """np.zeros/ones/empty/full: the shape from the shape argument, each
    extent known or not."""
    shape = args[0] if args else kwargs.get("shape", UNKNOWN)
    if isinstance(shape, Known) and all(isinstance(a, Known) or a == FLOAT or a == INT
                                        for a in args[1:] + list(kwargs.values())):
        out = _evaluate(f, args, kwargs)
        if out is not None:
            return out
    dims = _dims(shape)
    dtype = kwargs.get("dtype", args[2] if f is np.full and len(args) > 2 else
                       args[1] if f is not np.full and len(args) > 1 else Known(None))
    if isinstance(dtype, Known):
        if dtype.value is None:
            dt = np.dtype(float) if f is not np.full else _fill_dtype(args)
        else:
            dt = np.dtype(dtype.value)
    else:
        dt = None
    return Array(dims, dt)


def _fill_dtype(args):
    fill = concrete(args[1]) if len(args) > 1 else UNKNOWN
    if isinstance(fill, Num) and fill.type is not None:
        return np.result_type(fill.type(0))
    if isinstance(fill, Array):
        return fill.dtype
    return None


def _dims(shape):
    """A shape argument as a tuple of extents (None: known only at run time)."""
    if isinstance(shape, Known):
        v = shape.value
        return (v,) if isinstance(v, int) else tuple(v)
    c = concrete(shape)
    if isinstance(c, Num) and c.kind in "iu":
        return (None,)
    if isinstance(c, Seq) and c.elts is not None:
        return tuple(e.value if isinstance(e, Known) and isinstance(e.value, int) else None
                     for e in c.elts)
    return None


def _dtype_guess(avals):
    kinds = {concrete(a).kind for a in avals if isinstance(concrete(a), Num)}
    return np.dtype(float) if "f" in kinds else None


# ------------------------------------------------------------ stand-ins

_STANDINS = {}      # (shape, dtype) -> read-only zero-strided array


# functions whose result's shape depends on the values of an integer array
# argument (after the first)
_SIZES_FROM_VALUES = {np.split, np.array_split, np.hsplit, np.vsplit, np.dsplit, np.repeat,
                      np.reshape, np.tile, np.pad, np.broadcast_to, np.resize, np.full,
                      np.bincount, np.insert, np.delete}


# functions whose result's shape depends on the values (the number of
# nonzero elements, of distinct ones): run on stand-ins, only the kinds,
# dtypes and numbers of axes of the result are kept, not its lengths
_SHAPE_FROM_VALUES = {np.nonzero, np.flatnonzero, np.argwhere, np.unique, np.extract,
                      np.compress, np.trim_zeros, np.intersect1d, np.union1d, np.setdiff1d,
                      np.setxor1d, np.histogram_bin_edges, np.histogram} | {
    f for f in (getattr(np, n, None) for n in ("unique_values", "unique_counts",
                                                "unique_inverse", "unique_all"))
    if f is not None}


def _lengths_unknown(a):
    """`a` with every length of every array in it unknown."""
    if isinstance(a, Array) and a.shape is not None:
        return Array(tuple(None for _ in a.shape), a.dtype)
    if isinstance(a, Seq) and a.elts is not None:
        return Seq(a.type, tuple(_lengths_unknown(e) for e in a.elts))
    if isinstance(a, Seq):
        return Seq(a.type, None, _lengths_unknown(a.elt), a.length)
    if isinstance(a, (Array, Num)):
        return a
    return UNKNOWN


def _shape_safe(a):
    """A container whose stand-in gives results of the right avals: its
    items are known values, arrays or floats (no run-time integer, which
    could be a size or a split point)."""
    if isinstance(a, Known):
        return True
    a = concrete(a)
    if isinstance(a, Seq):
        items = a.elts if a.elts is not None else ((a.elt,) if a.length is not None else None)
        return items is not None and all(_shape_safe(e) for e in items)
    if isinstance(a, Num):
        return a.kind in "fc"
    return isinstance(a, Array)


def _standin(a):
    if isinstance(a, Known):
        return a.value
    if isinstance(a, Num):
        if a.type is None:
            raise TypeError("no stand-in for a number of unknown type")
        return a.type(0.5) if a.kind in "fc" else (a.type(True) if a.kind == "b" else a.type(1))
    if isinstance(a, Array) and a.shape is not None and None not in a.shape \
            and a.dtype is not None:
        key = (a.shape, a.dtype)
        standin = _STANDINS.get(key)
        if standin is None:
            dtype = a.dtype
            value = np.asarray(0.5 if dtype.kind in "fc" else (True if dtype.kind == "b" else 1),
                               dtype)
            standin = _STANDINS[key] = np.broadcast_to(value, a.shape)
        return standin
    if isinstance(a, Seq) and a.type in (list, tuple):
        # (np.array([[a, -b], [-c, d]]): the shape and dtype come from the items)
        if a.elts is not None:
            return a.type(_standin(concrete(e)) for e in a.elts)
        if a.length is not None and a.length <= _MAX_ELEMENTS:
            return a.type([_standin(concrete(a.elt))] * a.length)
    raise TypeError(f"no stand-in for {a}")


_LINALG = {np.linalg.inv, np.linalg.det, np.linalg.solve, np.linalg.slogdet,
           np.linalg.cholesky, np.linalg.eigh, np.linalg.pinv, runtime.logabsdet,
           runtime.slogdet_sign, runtime.eigh_values, runtime.eigh_vectors}


def _evaluate(f, args, kwargs):
    """The aval of `f` run on stand-ins (None when it cannot be run, or when
    its result could depend on values the stand-ins do not have)."""
    every = args + list(kwargs.values())
    # a run-time integer (a loop index, a length) may set a shape: only
    # integer arithmetic and indexing by it are safe to evaluate
    if any(concrete(a) == INT and not isinstance(a, Known) for a in every):
        return _int_op(f, args)
    if f in _SIZES_FROM_VALUES and any(
            isinstance(concrete(a), Array) and concrete(a).dtype is not None
            and concrete(a).dtype.kind in "biu" and not isinstance(a, Known) for a in every[1:]):
        return None     # (split points, repeat counts, a shape given as an int array)
    if any(isinstance(a, (Seq, Map)) and not _shape_safe(a) for a in every) \
            and f is not np.array and f is not np.asarray:
        return None     # (a container of run-time integers: no stand-in)
    try:
        values = [_standin(concrete(a)) if not isinstance(a, Known) else a.value for a in args]
        kw = {k: (_standin(concrete(a)) if not isinstance(a, Known) else a.value)
              for k, a in kwargs.items()}
    except Exception:
        return None
    if f in _LINALG:
        # (a stand-in of ones is singular: evaluate on identity matrices)
        values = [np.broadcast_to(np.eye(v.shape[-1], dtype=v.dtype), v.shape)
                  if isinstance(v, np.ndarray) and v.ndim >= 2 and v.shape[-1] == v.shape[-2]
                  else v for v in values]
    if f in (operator.getitem, runtime.setitem_copy, runtime.index_adjoint,
             runtime.setitem_grad_x, runtime.assigned_grad):
        index = values[1] if f is not runtime.index_adjoint else values[2]
        if isinstance(index, np.ndarray) and index.dtype.kind == "b":
            return _masked(args)
    size = 1
    for a in every:
        a = concrete(a)
        if isinstance(a, Array):
            size = max(size, int(np.prod(a.shape)) if a.shape else 1)
    if size > _MAX_ELEMENTS:
        return None
    if f is np.random.RandomState or f is np.random.default_rng:
        return Other(np.random.RandomState if f is np.random.RandomState else np.random.Generator)
    if rules.has_effects(f):
        f = _private_generator(f)       # (the user's random state stays untouched)
        if f is None:
            return None
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = f(*values, **kw)
    except Exception:
        return None
    if f is operator.getitem and all(isinstance(a, Known) for a in args):
        return Known(out)
    if f in _SHAPE_FROM_VALUES or (f is np.where and len(args) + len(kwargs) == 1):
        return _lengths_unknown(of_value(out))
    return of_value(out)


def _masked(args):
    """x[mask]: a boolean mask selects a value-dependent number of elements."""
    base = concrete(args[0])
    if isinstance(base, Array) and base.dtype is not None:
        mask = concrete(args[1])
        rest = base.shape[mask.ndim:] if base.shape is not None and isinstance(mask, Array) \
            and mask.shape is not None else None
        return Array((None,) + tuple(rest) if rest is not None else None, base.dtype)
    return None


def _int_op(f, args):
    """Ops reading a run-time integer: integer arithmetic, numbers, and
    indexing an array by one integer have a value-independent aval."""
    cs = [concrete(a) for a in args]
    if all(isinstance(a, Num) or isinstance(a, Known) and isinstance(a.value, (int, float))
           for a in args):
        nums = [a if isinstance(a, Num) else of_value(a.value) for a in cs]
        if all(isinstance(n, Num) for n in nums) and (
                _is_elementwise(f) or f in (builtins.min, builtins.max, len)):
            return _number_result(f, nums)
    if f is operator.getitem or f is runtime.assigned_grad:
        return _getitem(args)
    return None


def _private_generator(f):
    """The same random function on a generator of its own, or None."""
    name = getattr(f, "__name__", None)
    owner = getattr(f, "__self__", None)
    if isinstance(owner, np.random.Generator):
        return getattr(np.random.default_rng(0), name, None)
    if isinstance(owner, np.random.RandomState):
        return getattr(np.random.RandomState(0), name, None)
    return None


# NumPy functions whose result is a list or tuple (never a number or an
# array, which `+` would add instead of concatenating)
_SEQUENCE_RESULTS = {np.split, np.array_split, np.hsplit, np.vsplit, np.dsplit, np.meshgrid,
                     np.broadcast_arrays, np.nonzero, np.unravel_index, np.histogram,
                     np.linalg.eigh, np.linalg.eig, np.linalg.slogdet, np.linalg.svd,
                     np.linalg.qr, np.linalg.lstsq, np.gradient, np.indices}


def _kind_level(f, args):
    """What the kinds of the arguments alone say."""
    cs = [concrete(a) for a in args]
    module = getattr(f, "__module__", None) or ""
    if module == "math":
        if f in _MATH_INT:
            return INT
        if f in _MATH_BOOL:
            return BOOL
        return FLOAT
    if f is operator.getitem and cs and isinstance(cs[0], Array):
        return NUMERIC      # an element (a NumPy number) or a sub-array
    if _is_elementwise(f) and cs and all(is_numeric(a) for a in cs):
        if any(isinstance(a, Array) for a in cs):
            return Array(None, None)
        return NUMERIC
    if isinstance(module, str) and module.startswith("numpy") and any(
            is_numeric(a) for a in cs) and f not in _SEQUENCE_RESULTS:
        return NUMERIC
    return UNKNOWN


def scalars_behind(block, value):
    """Vars that must be scalars because `value` is one (grad checks that
    its result is a scalar before the backward sweep runs): the operands of
    an elementwise operation whose result is a scalar are scalars too.
    Followed through straight-line code only."""
    out = {value} if isinstance(value, Var) else set()
    for s in reversed(block):
        if isinstance(s, Op) and s.target in out and _is_elementwise(s.fn) and not s.kwargs:
            out.update(a for a in s.args if isinstance(a, Var))
    return out


def shape_mismatch(s: Op, avals):
    """The message NumPy would raise for operation `s` whose operands'
    shapes are all known and do not fit (broadcasting, a matrix product's
    inner dimensions), or None."""
    f = s.fn
    if s.kwargs or not s.args:
        return None
    args = [concrete(of_operand(a, avals)) for a in s.args]
    shapes = [shape_of(a) for a in args]
    if any(sh is None for sh in shapes) or not all(isinstance(a, (Num, Array)) for a in args):
        return None
    if _is_elementwise(f) and f not in (runtime.add,):
        try:
            np.broadcast_shapes(*shapes)
        except ValueError:
            return ("operands could not be broadcast together with shapes "
                    + " ".join(str(tuple(sh)) for sh in shapes))
    if f in (operator.matmul, np.matmul) and len(shapes) == 2:
        a, b = shapes
        if not a or not b:
            return "matmul: an operand is a scalar (use * to multiply by a number)"
        k_a = a[-1]
        k_b = b[0] if len(b) == 1 else b[-2]
        if k_a != k_b:
            return (f"matmul: the inner dimensions of shapes {tuple(a)} and {tuple(b)} "
                    f"differ ({k_a} != {k_b})")
    return None
