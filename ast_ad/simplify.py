"""Simplify generated IR: what a careful person would not have written goes.

* `rewrite`: a forward pass that drops identities (``g * 1.0``, ``x + 0.0``
  of numbers, ``--x``), folds constants, removes `unbroadcast` where the
  kinds say no broadcasting can have happened, and merges repeated pure
  operations on the same operands (common subexpressions);
* `dce`: removes every statement, phi and loop carry whose value is not used.

Both keep the IR invariants (`ir.verify`).
"""
from __future__ import annotations

import builtins
import math
import operator

import numpy as np

from . import ir, runtime
from .activity import kinds as find_kinds
from .ir import Var, Const, Op, If, Loop

# operations with side effects or fresh mutable results: never merged
_IMPURE = {runtime.make_list, runtime.make_dict, runtime.append, print}


def simplify(fn: ir.Function, param_kinds=None) -> ir.Function:
    kinds = find_kinds(fn, param_kinds or [None] * len(fn.params))
    mapping = {}
    rewrite_block(fn.body, mapping, kinds, {})
    fn.ret = _resolve(fn.ret, mapping)
    for name in ("grad_vars",):
        if hasattr(fn, name):
            setattr(fn, name, [_resolve(v, mapping) for v in getattr(fn, name)])
    fn.body = dce_block(fn.body, {fn.ret} if isinstance(fn.ret, Var) else set())
    return fn


def _resolve(o, mapping):
    while isinstance(o, Var) and o in mapping:
        o = mapping[o]
    return o


def _is(o, value):
    return isinstance(o, Const) and type(o.value) in (int, float) and o.value == value


def rewrite_block(stmts, mapping, kinds, available):
    """Rewrite in place.  `mapping` replaces Vars by operands; `available`
    maps (fn, operands) of pure ops already computed to their Var."""
    out = []
    sub = lambda o: _resolve(o, mapping)
    for s in stmts:
        if isinstance(s, Op):
            s.args = [sub(a) for a in s.args]
            s.kwargs = {k: sub(v) for k, v in s.kwargs.items()}
            if s.target is not None:
                if s.fn is operator.mul and len(s.args) == 2 and not s.kwargs:
                    for k in (0, 1):
                        if _is(s.args[k], -1) or _is(s.args[k], -1.0):
                            s.fn, s.args = operator.neg, [s.args[1 - k]]
                            break
                repl = _identity(s, kinds)
                if repl is not None:
                    mapping[s.target] = repl
                    if isinstance(repl, Var) and not repl.hint:
                        repl.hint = s.target.hint
                    continue
                key = _cse_key(s)
                if key is not None:
                    prev = available.get(key)
                    if prev is not None:
                        mapping[s.target] = prev
                        continue
                    available[key] = s.target
        elif isinstance(s, If):
            s.cond = sub(s.cond)
            if isinstance(s.cond, Const):
                # a branch decided at compile time: splice it in
                taken = s.body if s.cond.value else s.orelse
                rewrite_block(taken, mapping, kinds, available)
                out.extend(taken)
                for p in s.phis:
                    mapping[p.var] = sub(p.then if s.cond.value else p.orelse)
                continue
            rewrite_block(s.body, mapping, kinds, dict(available))
            rewrite_block(s.orelse, mapping, kinds, dict(available))
            for p in s.phis:
                p.then, p.orelse = sub(p.then), sub(p.orelse)
        elif isinstance(s, Loop):
            for c in s.carries:
                c.init = sub(c.init)
            if s.iter is not None:
                s.iter = sub(s.iter)
            # values computed before the loop stay available inside it; values
            # computed inside are not available after it
            inner = dict(available)
            rewrite_block(s.cond_body, mapping, kinds, inner)
            s.cond = sub(s.cond) if s.cond is not None else None
            rewrite_block(s.body, mapping, kinds, inner)
            for c in s.carries:
                c.next = sub(c.next)
            s.exit_flag = sub(s.exit_flag) if s.exit_flag is not None else None
        out.append(s)
    stmts[:] = out


def _cse_key(s):
    if s.fn in _IMPURE or s.fn is runtime.global_value:
        return None
    if isinstance(s.fn, type(np.random.rand)) and getattr(s.fn, "__module__", None) is None \
            and "random" in repr(s.fn):
        return None
    try:
        key = (s.fn, tuple(_okey(a) for a in s.args),
               tuple(sorted((k, _okey(v)) for k, v in s.kwargs.items())))
        hash(key)
        return key
    except TypeError:
        return None


def _okey(o):
    return ("v", id(o)) if isinstance(o, Var) else ("c", o)


def _identity(s, kinds):
    """An operand equal to the op's result when the op does nothing."""
    f, a = s.fn, s.args
    if s.kwargs:
        return None
    num = lambda o: (isinstance(o, Const) and type(o.value) in (int, float)) or kinds.get(o) == "num"
    if f is operator.mul and len(a) == 2:
        if _is(a[1], 1) or _is(a[1], 1.0):
            return a[0] if num(a[1]) else None
        if _is(a[0], 1) or _is(a[0], 1.0):
            return a[1]
    if f is operator.pow and len(a) == 2 and _is(a[1], 1):
        return a[0]
    if f is operator.truediv and len(a) == 2 and _is(a[1], 1.0) and not (
            isinstance(a[0], Const) and isinstance(a[0].value, int)):
        return a[0]
    if f in (operator.add, operator.sub) and len(a) == 2 and (_is(a[1], 0.0) or _is(a[1], 0)) \
            and kinds.get(a[0]) in ("num", "arr"):
        return a[0]
    if f is operator.add and len(a) == 2 and (_is(a[0], 0.0) or _is(a[0], 0)) \
            and kinds.get(a[1]) in ("num", "arr"):
        return a[1]
    if f is runtime.identity:
        return a[0]
    if f is runtime.unbroadcast:
        g, x = a
        if isinstance(x, Const) and type(x.value) in (int, float) or kinds.get(x) == "num":
            if num(g):
                return g
        if g is x:
            return g
    if f is operator.neg and isinstance(a[0], Var):
        return None
    if all(isinstance(o, Const) for o in a) and f in _FOLD:
        try:
            return Const(f(*[o.value for o in a]))
        except Exception:
            return None
    return None


_FOLD = {operator.add, operator.sub, operator.mul, operator.truediv, operator.neg,
         operator.pow, math.log, math.sqrt, math.exp, np.log, np.sqrt}


# -------------------------------------------------------------------- DCE

def dce_block(stmts, live):
    """Remove what does not contribute to `live` (the Vars needed after the
    block).  `live` is updated in place to the Vars needed before it."""
    out = []
    for s in reversed(stmts):
        if isinstance(s, Op):
            if s.target is None or s.target in live:
                live.discard(s.target)
                live.update(o for o in ir.operands_of(s) if isinstance(o, Var))
                out.append(s)
        elif isinstance(s, If):
            s.phis = [p for p in s.phis if p.var in live]
            lt = set(live) | {p.then for p in s.phis if isinstance(p.then, Var)}
            le = set(live) | {p.orelse for p in s.phis if isinstance(p.orelse, Var)}
            s.body = dce_block(s.body, lt)
            s.orelse = dce_block(s.orelse, le)
            if s.phis or s.body or s.orelse:
                for p in s.phis:
                    live.discard(p.var)
                live |= lt | le
                if isinstance(s.cond, Var):
                    live.add(s.cond)
                out.append(s)
        elif isinstance(s, Loop):
            needed = set(live)
            while True:
                body_live = {c.next for c in s.carries if c.var in needed and isinstance(c.next, Var)}
                if isinstance(s.exit_flag, Var):
                    body_live.add(s.exit_flag)
                body = dce_block(ir.copy_block(s.body), body_live)
                cond_live = set(body_live)
                if isinstance(s.cond, Var):
                    cond_live.add(s.cond)
                dce_block(ir.copy_block(s.cond_body), cond_live)
                grown = needed | {c.var for c in s.carries if c.var in cond_live}
                if grown == needed:
                    break
                needed = grown
            s.carries = [c for c in s.carries if c.var in needed]
            body_live = {c.next for c in s.carries if isinstance(c.next, Var)}
            if isinstance(s.exit_flag, Var):
                body_live.add(s.exit_flag)
            s.body = dce_block(s.body, body_live)
            if isinstance(s.cond, Var):
                body_live.add(s.cond)
            s.cond_body = dce_block(s.cond_body, body_live)
            if s.carries or s.body:
                defined = {c.var for c in s.carries} | set(ir.loop_targets(s))
                for c in s.carries:
                    live.discard(c.var)
                live |= {v for v in body_live if v not in defined}
                live |= {c.init for c in s.carries if isinstance(c.init, Var)}
                if isinstance(s.iter, Var):
                    live.add(s.iter)
                out.append(s)
    out.reverse()
    return out
