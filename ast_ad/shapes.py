"""Shape inference: the shape and dtype of every value, when the argument
shapes are known (the gradient is specialised per argument shapes, as JAX
specialises per shape).

Each primitive is evaluated once on stand-in arguments of the right shapes
(zero-strided views of a harmless value, so nothing large is allocated for
the inputs).  A result that can depend on the *values* of the arguments is
"unknown" (None): a shape computed from a run-time integer (``np.zeros(n)``,
``x[i:j]``), boolean-mask indexing, and anything the stand-ins cannot run.

A spec is ``("num", None)`` for a Python or NumPy scalar,
``("arr", shape, dtype)`` for an ndarray, ``("int", None)`` for a run-time
integer, or None.  The simplifier uses specs to drop `unbroadcast` where
shapes already agree and to write the reductions it cannot drop explicitly.
"""
from __future__ import annotations

import builtins
import operator
import warnings

import numpy as np

from . import ir, rules, runtime
from .ir import Var, Const, Op, If, Loop

NUM = ("num", None)
INT = ("int", None)
_MAX_ELEMENTS = 1 << 22       # larger stand-ins are not evaluated
_NO_EVAL = {runtime.global_value, print, runtime.check_scalar_output}


def spec_of_value(x):
    if isinstance(x, bool):
        return None
    if isinstance(x, (int, np.integer)):
        return INT
    if isinstance(x, (float, np.floating)):
        return NUM
    if isinstance(x, np.ndarray) and x.dtype.kind in "fcbiu":
        return ("arr", x.shape, x.dtype)
    if isinstance(x, (list, tuple)) and len(x) <= 4096:
        elts = tuple(spec_of_value(v) for v in x)
        return ("list" if isinstance(x, list) else "tuple", elts)
    return None


_STANDINS = {}      # (shape, dtype) -> read-only zero-strided array


def _standin(spec):
    kind = spec[0]
    if kind == "const":
        return spec[1]
    if kind == "num":
        return 0.5
    if kind == "arr":
        key = (tuple(spec[1]), spec[2])
        standin = _STANDINS.get(key)
        if standin is None:
            shape, dtype = key
            value = np.asarray(0.5 if dtype.kind in "fc" else (True if dtype.kind == "b" else 1),
                               dtype)
            standin = _STANDINS[key] = np.broadcast_to(value, shape)
        return standin
    raise ValueError(spec)


def infer(fn: ir.Function, param_specs) -> dict:
    """Var -> spec for every Var of `fn` (None where unknown)."""
    specs = {p: s for p, s in zip(fn.params, param_specs)}
    specs.update(getattr(fn, "spec_hints", {}))
    infer_block(fn.body, specs)
    return specs


def infer_block(body, specs):
    for s in body:
        if isinstance(s, Op):
            if s.target is not None and s.target not in specs:
                specs[s.target] = _op_spec(s, specs)
        elif isinstance(s, If):
            infer_block(s.body, specs)
            infer_block(s.orelse, specs)
            for p in s.phis:
                a, b = _spec(p.then, specs), _spec(p.orelse, specs)
                specs[p.var] = a if a == b else None
        elif isinstance(s, Loop):
            for c in s.carries:
                specs[c.var] = _spec(c.init, specs)
            for t in ir.loop_targets(s):
                specs.setdefault(t, INT if s.iter is not None and not isinstance(s.target, list)
                                 else None)
            for _ in range(3):
                trial = dict(specs)
                infer_block(s.cond_body, trial)
                infer_block(s.body, trial)
                stable = True
                for c in s.carries:
                    nxt = _spec(c.next, trial)
                    if nxt != specs[c.var]:
                        specs[c.var] = None
                        stable = False
                if stable:
                    specs.update(trial)
                    break
            else:
                infer_block(s.cond_body, specs)
                infer_block(s.body, specs)
    return specs


def _spec(o, specs):
    if isinstance(o, Const):
        return spec_of_value(o.value)
    return specs.get(o)


# Functions of shapes only: their result is known exactly (a "const" spec).
SHAPE_ONLY = {np.shape, np.ndim, np.size, runtime.reduced_count}


def _op_spec(s, specs):
    f = s.fn
    if f is runtime.global_value and s.observed is not None:
        spec = spec_of_value(s.observed)
        return NUM if spec == INT else spec      # an int global: a number, not a shape
    if f in _NO_EVAL or s.explode is not None or f in rules.OPAQUE:
        return None
    args = [_spec(a, specs) if isinstance(a, Var) else ("const", a.value) for a in s.args]
    kwargs = {k: (_spec(v, specs) if isinstance(v, Var) else ("const", v.value))
              for k, v in s.kwargs.items()}
    every = args + list(kwargs.values())
    if any(a is None for a in every):
        return None
    if f is operator.getitem and args[0][0] in ("list", "tuple"):
        elts = args[0][1]
        if args[1][0] == "const" and isinstance(args[1][1], int) and -len(elts) <= args[1][1] < len(elts):
            return elts[args[1][1]]
        if args[1] == INT and elts and all(e == elts[0] for e in elts):
            return elts[0]      # a homogeneous list indexed at run time
        return None
    if any(a[0] in ("list", "tuple") for a in every):
        return None
    if f in (runtime.setitem_copy, runtime.setitem_grad_x, runtime.add_at) \
            and args[0][0] == "arr":
        return args[0]          # an update keeps the shape and dtype of what it updates
    if any(a == INT for a in every):
        return _int_op(s, args)
    if f in (runtime.make_tuple, runtime.make_list) and not kwargs:
        elts = tuple(spec_of_value(a[1]) if a[0] == "const" else a for a in args)
        return ("tuple" if f is runtime.make_tuple else "list", elts)
    if (isinstance(f, np.ufunc) and f.signature is None) or f in _ELEMENTWISE:
        return _elementwise_spec(f, args)
    if f in _REDUCTIONS:
        spec = _reduction_spec(args, kwargs)
        if spec is not None:
            return spec
    try:
        values = [a[1] if a[0] == "const" else _standin(a) for a in args]
        kw = {k: (a[1] if a[0] == "const" else _standin(a)) for k, a in kwargs.items()}
    except Exception:
        return None
    k = _SHAPE_OF_ARG.get(f)
    if k is not None and len(args) > k and args[k][0] == "arr":
        # a runtime helper whose result has the shape of one of its arguments
        dt = [a[2] for a in args if a[0] == "arr"]
        return ("arr", args[k][1], np.result_type(*dt))
    if f in (operator.matmul, np.matmul, np.dot) and not kwargs \
            and all(a[0] == "arr" for a in args[:2]) and len(args) == 2:
        return _matmul_spec(f, args[0], args[1])
    if f in (operator.getitem, runtime.setitem_copy, runtime.index_adjoint,
             runtime.setitem_grad_x):
        index = values[1] if f is not runtime.index_adjoint else values[2]
        if isinstance(index, np.ndarray) and index.dtype.kind == "b":
            return None  # boolean masks select a value-dependent number of elements
    size = 1
    for a in every:
        if a[0] == "arr":
            size = max(size, int(np.prod(a[1])) if a[1] else 1)
    if size > _MAX_ELEMENTS:
        return None
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = f(*values, **kw)
    except Exception:
        return None
    if f in SHAPE_ONLY or (f is len and args[0][0] == "arr") or (
            f is operator.getitem and args[0][0] == "const" and args[1][0] == "const"):
        return ("const", out)
    return spec_of_value(out)


def _elementwise_spec(f, args):
    """Broadcast shape and promoted dtype, from the specs alone."""
    if any(a[0] not in ("num", "arr", "const") for a in args):
        return None
    try:
        shape = np.broadcast_shapes(*[tuple(a[1]) if a[0] == "arr" else np.shape(a[1])
                                      if a[0] == "const" else () for a in args])
        if not shape and all(a[0] == "num" or a[0] == "const" for a in args):
            return NUM
        out_dtype = np.result_type(*[a[2] if a[0] == "arr" else
                                     (0.5 if a[0] == "num" else a[1]) for a in args])
    except Exception:
        return None
    if f in _BOOL_RESULT:
        out_dtype = np.dtype(bool)
    return ("arr", shape, out_dtype) if shape or any(a[0] == "arr" for a in args) else NUM


_REDUCTIONS = {np.sum, np.mean, np.max, np.min, np.prod}


def _reduction_spec(args, kwargs):
    """np.sum(x, axis=..., keepdims=...) of a float array, from its spec (a
    reduction of a large stand-in costs real time).  None: evaluate."""
    if len(args) != 1 or args[0][0] != "arr" or args[0][2].kind != "f" \
            or set(kwargs) - {"axis", "keepdims"} \
            or any(k[0] != "const" for k in kwargs.values()):
        return None
    shape = tuple(args[0][1])
    axis = kwargs["axis"][1] if "axis" in kwargs else None
    keepdims = kwargs["keepdims"][1] if "keepdims" in kwargs else False
    n = len(shape)
    if axis is None:
        axes = set(range(n))
    else:
        try:
            axes = {a % n if -n <= a < n else None for a in
                    (axis if isinstance(axis, tuple) else (axis,))}
        except TypeError:
            return None
        if None in axes or not all(isinstance(a, int) for a in axes) or keepdims not in (
                True, False):
            return None
    if any(shape[a] == 0 for a in axes):
        return None     # (max of nothing raises; leave it to evaluation)
    out = tuple(1 if i in axes else d for i, d in enumerate(shape)) if keepdims else \
        tuple(d for i, d in enumerate(shape) if i not in axes)
    return ("arr", out, args[0][2]) if out else NUM


_SHAPE_OF_ARG = {runtime.matmul_grad_a: 1, runtime.matmul_grad_b: 2, runtime.dot_grad_a: 1,
                 runtime.dot_grad_b: 2, runtime.unbroadcast: 1, runtime.broadcast_to_shape: 1,
                 runtime.index_adjoint: 1, runtime.reshape_like: 1, runtime.maxmin_grad: 2,
                 runtime.norm_grad: 2}


def _matmul_spec(f, a, b):
    """Shape of a matrix product by the rule, not by multiplying stand-ins
    (a zero-strided stand-in cannot use BLAS: large products would be slow)."""
    sa, sb = tuple(a[1]), tuple(b[1])
    dtype = np.result_type(a[2], b[2])
    if not sa or not sb:
        return None
    if f is np.dot and (len(sa) > 2 or len(sb) > 2):
        return None
    if len(sa) == 1 and len(sb) == 1:
        return NUM if sa == sb else None
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
        try:
            batch = np.broadcast_shapes(sa[:-2], sb[:-2])
        except ValueError:
            return None
        shape = tuple(batch) + (sa[-2], sb[-1])
    return ("arr", shape, dtype)


def _int_op(s, args):
    """Ops reading a run-time integer: only integer arithmetic and indexing
    an array by one integer have a value-independent shape."""
    f = s.fn
    if f in (operator.add, operator.sub, operator.mul, operator.floordiv, operator.mod,
             operator.neg, len, builtins.min, builtins.max) and all(
                 a == INT or (a[0] == "const" and isinstance(a[1], int)) for a in args):
        return INT
    scalars = all(a in (INT, NUM) or (a[0] == "const" and isinstance(a[1], (int, float)))
                  for a in args)
    if scalars and (f in _ELEMENTWISE or (isinstance(f, np.ufunc) and f.signature is None) or
                    getattr(f, "__module__", None) == "math"):
        return NUM   # arithmetic on numbers: a number, whatever the values
    if f is operator.getitem and args[0][0] == "arr" and args[1] == INT and args[0][1]:
        shape = args[0][1][1:]
        return ("arr", shape, args[0][2]) if shape else NUM
    return None


_ELEMENTWISE = {operator.add, operator.sub, operator.mul, operator.truediv, operator.pow,
                operator.neg, operator.pos, operator.lt, operator.le, operator.gt,
                operator.ge, operator.eq, operator.ne, builtins.abs, operator.abs}
_BOOL_RESULT = {operator.lt, operator.le, operator.gt, operator.ge, operator.eq, operator.ne,
                np.less, np.less_equal, np.greater, np.greater_equal, np.equal, np.not_equal}


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


def _is_elementwise(f):
    import math
    return (f in _ELEMENTWISE or (isinstance(f, np.ufunc) and f.signature is None)
            or getattr(f, "__module__", None) == "math" or f is math.log)
