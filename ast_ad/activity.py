"""Activity and kind analysis over the IR.

*Active* values depend on a `wrt` input (varied) and influence the result
(useful): only they get adjoints or tangents.

*Kinds* say what sort of Python value a Var holds, when that is known from the
kinds of the arguments the function was called with: ``"num"`` (a Python or
NumPy scalar), ``"arr"`` (an ndarray, or a NumPy scalar read out of one),
``"list"``, ``"tuple"``, ``"dict"``, or None (unknown).  The reverse pass uses
kinds to accumulate with ``+`` (numbers, arrays) or structurally (containers);
the simplifier uses them to drop `unbroadcast` between scalars.
"""
from __future__ import annotations

import builtins
import math
import operator

import numpy as np

from . import ir, rules, runtime
from .ir import Var, Const, Op, If, Loop

NUMERIC = ("num", "arr")


def varied(fn: ir.Function, seeds) -> set:
    """Vars that depend on any of `seeds` through differentiable operations."""
    out = set(seeds)

    def block(stmts):
        changed = False
        for s in stmts:
            if isinstance(s, Op):
                if s.target is not None and s.target not in out and not rules.is_nondiff(s.fn) \
                        and any(isinstance(a, Var) and a in out
                                for a in list(s.args) + list(s.kwargs.values())):
                    out.add(s.target)
                    changed = True
            elif isinstance(s, If):
                changed |= block(s.body)
                changed |= block(s.orelse)
                for p in s.phis:
                    if p.var not in out and (p.then in out or p.orelse in out):
                        out.add(p.var)
                        changed = True
            elif isinstance(s, Loop):
                while True:
                    step = False
                    for c in s.carries:
                        if c.var not in out and (c.init in out or c.next in out):
                            out.add(c.var)
                            step = True
                    step |= block(s.body)
                    changed |= step
                    if not step:
                        break
        return changed

    block(fn.body)
    return out


def useful(fn: ir.Function, roots) -> set:
    """Vars whose value can influence any of `roots` (data dependence)."""
    out = {r for r in roots if isinstance(r, Var)}

    def mark(o):
        if isinstance(o, Var) and o not in out:
            out.add(o)
            return True
        return False

    def block(stmts):
        changed = False
        for s in reversed(stmts):
            if isinstance(s, Op):
                if s.target in out:
                    for a in list(s.args) + list(s.kwargs.values()):
                        changed |= mark(a)
            elif isinstance(s, If):
                for p in s.phis:
                    if p.var in out:
                        changed |= mark(p.then)
                        changed |= mark(p.orelse)
                changed |= block(s.body)
                changed |= block(s.orelse)
            elif isinstance(s, Loop):
                while True:
                    step = False
                    for c in s.carries:
                        if c.var in out:
                            step |= mark(c.next)
                            step |= mark(c.init)
                    step |= block(s.body)
                    changed |= step
                    if not step:
                        break
        return changed

    block(fn.body)
    return out


def active(fn: ir.Function, wrt_params) -> set:
    return varied(fn, wrt_params) & useful(fn, [fn.ret])


# ------------------------------------------------------------------- kinds

def kind_of_value(x):
    if isinstance(x, bool):
        return None
    if isinstance(x, (int, float)):
        return "num"
    if isinstance(x, np.ndarray):
        return "arr"
    if isinstance(x, np.generic) and x.dtype.kind in "fc":
        return "num"
    # containers: their structure is part of the kind (and of the cache key)
    if isinstance(x, list):
        return ("list", tuple(kind_of_value(v) for v in x))
    if isinstance(x, tuple):
        return ("tuple", tuple(kind_of_value(v) for v in x))
    if isinstance(x, dict):
        return ("dict", tuple((k, kind_of_value(v)) for k, v in x.items()))
    return None



_SCALAR_FNS = {v for k, v in vars(math).items() if callable(v)}
_SHAPE_FNS = {np.shape, np.ndim, np.size, len, builtins.range, runtime.reduced_count}
_ARITH = {operator.add, operator.sub, operator.mul, operator.truediv, operator.pow,
          operator.neg, operator.pos, builtins.abs, operator.abs, builtins.pow,
          builtins.max, builtins.min}


def kinds(fn: ir.Function, param_kinds) -> dict:
    """Infer the kind of every Var from the parameters' kinds."""
    k = {p: pk for p, pk in zip(fn.params, param_kinds)}
    k.update(getattr(fn, "kind_hints", {}))
    for st in fn.body:   # elements of exploded container parameters
        if isinstance(st, Op) and st.explode is not None:
            k[st.target] = st.explode
    return infer_kinds(fn.body, k)


def infer_kinds(body, k: dict) -> dict:
    """Extend the kinds map `k` with every Var defined in `body`."""

    def of(o):
        if isinstance(o, Const):
            return kind_of_value(o.value)
        return k.get(o)

    def op_kind(s):
        f = s.fn
        args = [of(a) for a in s.args]
        if f is runtime.global_value:
            return kind_of_value(s.observed) if s.observed is not None else None
        if f is runtime.make_tuple:
            return "tuple"
        if f is runtime.make_list or f is runtime.append:
            return "list"
        if f is runtime.make_dict:
            return "dict"
        if f in (runtime.setitem_copy, runtime.identity, runtime.unbroadcast,
                 runtime.zeros_like, runtime.add):
            return args[1] if f is runtime.unbroadcast else args[0]
        if f is operator.getitem and isinstance(args[0], tuple):
            elts = args[0][1]
            if isinstance(s.args[1], Const):
                key = s.args[1].value
                if args[0][0] == "dict":
                    return dict(elts).get(key)
                if isinstance(key, int) and -len(elts) <= key < len(elts):
                    return elts[key]
            elif args[0][0] in ("list", "tuple") and elts and all(e == elts[0] for e in elts):
                return elts[0]      # a homogeneous list indexed at run time
        if f is builtins.float or f is runtime.scalar:
            return "num"
        if f in _SHAPE_FNS:
            return None
        if f in _SCALAR_FNS:
            return "num"
        if f is operator.getitem:
            return "arr" if args[0] == "arr" else None
        if f in _ARITH or (isinstance(f, np.ufunc) and f.signature is None):
            if args and all(a == "num" for a in args):
                return "num"
            if "arr" in args and all(a in NUMERIC for a in args):
                return "arr"
            return None
        if getattr(f, "__module__", "") and str(getattr(f, "__module__", "")).startswith("numpy"):
            return "arr" if any(a in NUMERIC for a in args) else None
        return None

    def block(stmts):
        for s in stmts:
            if isinstance(s, Op):
                if s.target is not None and s.explode is None:
                    kind = op_kind(s)
                    k[s.target] = kind if kind is not None else k.get(s.target)
            elif isinstance(s, If):
                block(s.body)
                block(s.orelse)
                for p in s.phis:
                    a, b = of(p.then), of(p.orelse)
                    k[p.var] = a if a == b else None
            elif isinstance(s, Loop):
                for c in s.carries:
                    k[c.var] = of(c.init)
                for _ in range(3):
                    block(s.cond_body)
                    for t in ir.loop_targets(s):
                        k.setdefault(t, None)
                    block(s.body)
                    stable = True
                    for c in s.carries:
                        a, b = of(c.init), of(c.next)
                        new = a if a == b else None
                        if k.get(c.var) != new:
                            k[c.var] = new
                            stable = False
                    if stable:
                        break
    block(body)
    return k
