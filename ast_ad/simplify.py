"""Simplify generated IR: what a careful person would not have written goes.

* `rewrite`: a forward pass that drops identities (``g * 1.0``, ``x + 0.0``
  of numbers, ``--x``), folds constants, removes `unbroadcast` where the
  kinds say no broadcasting can have happened, and merges repeated pure
  operations on the same operands (common subexpressions); sums that
  algebra proves zero (zero_sums.py) become zeros, which then fold away;
* `dce`: removes every statement, phi and loop carry whose value is not used.

Both keep the IR invariants (`ir.verify`).
"""
from __future__ import annotations

import math
import operator

import numpy as np

from . import ir, runtime, shapes
from .activity import kinds as find_kinds
from .ir import Var, Const, Op, If, Loop
from . import zero_sums

# operations with side effects or fresh mutable results: never merged
_IMPURE = {runtime.make_list, runtime.make_dict, runtime.append, print}


def simplify(fn: ir.Function, param_kinds=None, param_specs=None, known_specs=None) -> ir.Function:
    kinds = find_kinds(fn, param_kinds or [None] * len(fn.params))
    if param_specs is not None:
        # `known_specs`: specs already inferred for some of the Vars (the primal's)
        hints = dict(known_specs or {})
        hints.update(getattr(fn, "spec_hints", {}))
        fn.spec_hints = hints
        kinds = _SpecKinds(kinds, shapes.infer(fn, param_specs))
    mapping = {}
    rewrite_block(fn.body, mapping, kinds, {})
    fn.ret = _resolve(fn.ret, mapping)
    for name in ("value",):
        if hasattr(fn, name):
            setattr(fn, name, _resolve(getattr(fn, name), mapping))
    for name in ("grad_vars",):
        if hasattr(fn, name):
            setattr(fn, name, [_resolve(v, mapping) for v in getattr(fn, name)])
    fn.body = dce_block(fn.body, {fn.ret} if isinstance(fn.ret, Var) else set())
    fn.specs = kinds.specs if isinstance(kinds, _SpecKinds) else {}
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
            if s.target is not None and isinstance(kinds, _SpecKinds):
                s = _specialize(s, kinds, out, mapping, available)
                if s is None:
                    continue
            if s.target is not None:
                if s.fn is operator.mul and len(s.args) == 2 and not s.kwargs:
                    for k in (0, 1):
                        if _is(s.args[k], -1) or _is(s.args[k], -1.0):
                            s.fn, s.args = operator.neg, [s.args[1 - k]]
                            break
                if s.fn is runtime.add and all(
                        (isinstance(a, Const) and type(a.value) in (int, float))
                        or kinds.get(a) in ("num", "arr") for a in s.args):
                    s.fn = operator.add     # numbers and arrays: plain `+`
                _fold_negation(s, available)
                _hoist_negation(s, available, out, kinds)
                _accumulate_at_index(s, available, kinds)
                repl = _fold_zero(s, available, kinds)
                if repl is None:
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
                if isinstance(kinds, _SpecKinds):
                    kinds.defs[s.target] = s
                if s.fn is operator.neg:
                    available[("neg of", id(s.target))] = s.args[0]
                if s.fn is runtime.index_adjoint:
                    available[("scatter", id(s.target))] = s
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


# zeros in, zeros out (of another shape)
_RESHAPES = {np.broadcast_to, np.expand_dims, np.reshape, np.transpose, np.squeeze, np.ravel}


def _fold_zero(s, available, kinds):
    """Zeros that algebra proves (zero_sums.py) and what they make zero:
    ``z * a``, ``z / a``, ``-z`` and sums of `z` are zeros, ``a + z`` is `a`
    (when that does not change the shape).  Returns the operand that replaces
    the op's result, or None (the op, possibly rewritten to ``np.zeros``,
    stays)."""
    if not isinstance(kinds, _SpecKinds):
        return None
    f, a = s.fn, s.args
    zero = [isinstance(o, Var) and ("zero", id(o)) in available for o in a]
    if f in (np.sum, np.mean):
        if zero[:1] == [True] or zero_sums.is_zero_sum(s, kinds.algebra()):
            return _make_zero(s, available, kinds)
        return None
    if not any(zero):
        return None
    if f in _RESHAPES and zero[0]:
        return _make_zero(s, available, kinds)
    if s.kwargs:
        return None
    if f in (operator.mul, operator.matmul) or f is operator.neg \
            or (f is operator.truediv and zero[0]):
        return _make_zero(s, available, kinds)
    if f in (operator.add, operator.sub) and len(a) == 2:
        if all(zero):
            return _make_zero(s, available, kinds)
        k = zero.index(False)
        if kinds.spec(a[k]) != kinds.specs.get(s.target) or kinds.spec(a[k]) is None:
            return None       # the zero broadcasts the other operand
        if f is operator.sub and k == 1:
            s.fn, s.args = operator.neg, [a[1]]
            return None
        return a[k]
    return None


def _emit_new(op, out, available, kinds):
    """Append an op made by a rewrite (not seen by `rewrite_block`'s loop):
    known as a definition, and a sum that is zero becomes zeros."""
    if op.fn in (np.sum, np.mean) and op.target is not None:
        _fold_zero(op, available, kinds)
    if isinstance(kinds, _SpecKinds):
        kinds.defs[op.target] = op
    out.append(op)


def _make_zero(s, available, kinds):
    """`s` computes zeros of its known shape: Const(0.0) for a number, else
    `s` becomes ``np.zeros(shape)`` (usually dead once its uses fold)."""
    sp = kinds.specs.get(s.target)
    if sp is not None and sp[0] == "num":
        return Const(0.0)
    if sp is not None and sp[0] == "arr" and sp[1] is not None and sp[2] == np.float64:
        s.fn, s.args, s.kwargs = np.zeros, [Const(tuple(sp[1]))], {}
        available[("zero", id(s.target))] = True
    return None


def _fold_negation(s, available):
    """``a + (-b)`` -> ``a - b``, ``(-a) + b`` -> ``b - a``, ``a - (-b)`` ->
    ``a + b``: the negation is then usually dead."""
    if s.kwargs or len(s.args) != 2 or s.fn not in (operator.add, operator.sub):
        return
    a, b = s.args
    neg_b = available.get(("neg of", id(b))) if isinstance(b, Var) else None
    neg_a = available.get(("neg of", id(a))) if isinstance(a, Var) else None
    if neg_b is not None:
        s.fn = operator.sub if s.fn is operator.add else operator.add
        s.args = [a, neg_b]
    elif neg_a is not None and s.fn is operator.add:
        s.fn, s.args = operator.sub, [b, neg_a]


def _accumulate_at_index(s, available, kinds):
    """``a + index_adjoint(g, x, i)`` -> ``add_at(a, i, g)``: an adjoint
    accumulated element by element adds at the index instead of adding a
    whole array of zeros (done in place where possible, see inplace.py)."""
    if s.fn not in (operator.add, runtime.add) or len(s.args) != 2 or s.kwargs:
        return
    for k in (0, 1):
        t, a = s.args[k], s.args[1 - k]
        scatter = available.get(("scatter", id(t))) if isinstance(t, Var) else None
        if scatter is not None and isinstance(a, Var) and isinstance(kinds, _SpecKinds) \
                and _same_array_shape(kinds.spec(a), kinds.spec(scatter.args[1])):
            g, _, index = scatter.args
            s.fn, s.args = runtime.add_at, [a, index, g]
            return


def _same_array_shape(sa, sb):
    return bool(sa and sb and sa[0] == "arr" and sb[0] == "arr" and tuple(sa[1]) == tuple(sb[1]))


def _hoist_negation(s, available, out, kinds):
    """``np.sum(-a)`` -> ``-np.sum(a)``, ``(-a) * b`` -> ``-(a * b)``: the
    negation moves outwards (to a smaller array, after a reduction) until an
    addition or subtraction absorbs it (see `_fold_negation`)."""
    if s.fn is np.sum and s.args:
        slots = [0]
    elif s.fn in (operator.mul, operator.truediv) and len(s.args) == 2 and not s.kwargs:
        slots = [0, 1]
    else:
        return
    negated = [k for k in slots if isinstance(s.args[k], Var)
               and ("neg of", id(s.args[k])) in available]
    if len(negated) != 1:
        return
    k = negated[0]
    args = list(s.args)
    args[k] = available[("neg of", id(args[k]))]
    inner = Op(Var(), s.fn, args, dict(s.kwargs), s.loc)
    if getattr(s, "_backward", False):
        inner._backward = True
    if isinstance(kinds, _SpecKinds):
        kinds.specs[inner.target] = shapes._op_spec(inner, kinds.specs)
    kinds[inner.target] = kinds.get(s.target)
    _emit_new(inner, out, available, kinds)
    s.fn, s.args, s.kwargs = operator.neg, [inner.target], {}


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
    if f is runtime.inplace_alias:
        return _settled_alias(a[0], a[1], kinds.get(a[0]),
                              kinds.spec(a[0]) if isinstance(kinds, _SpecKinds) else None)
    if f is runtime.like and (kinds.get(a[1]) == "num" or (
            isinstance(a[1], Const) and type(a[1].value) in (int, float))):
        return a[0]
    if f is runtime.unbroadcast:
        g, x = a
        if isinstance(x, Const) and type(x.value) in (int, float) or kinds.get(x) == "num":
            if num(g):
                return g
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
                # (on copies: only the liveness is wanted until the fixpoint)
                dce_block(ir.copy_block(s.body), body_live)
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


# ------------------------------------------------------ shape specialisation

class _SpecKinds(dict):
    """The kinds map, plus shape specs (shapes.py) for specialised code."""

    def __init__(self, kinds, specs):
        super().__init__(kinds)
        self.specs = specs
        self.defs = {}            # Var -> the op that defines it (SSA: one)
        self._algebra = None
        for v, sp in specs.items():
            if sp is not None and sp[0] in ("num", "arr") and self.get(v) is None:
                self[v] = sp[0]

    def algebra(self):
        """One zero_sums.Algebra per simplification, so that the values it
        expands are expanded once (ops are rewritten only into equal values)."""
        if self._algebra is None:
            self._algebra = zero_sums.Algebra(self.defs.get, self.spec)
        return self._algebra

    def spec(self, o):
        if isinstance(o, Const):
            return shapes.spec_of_value(o.value)
        sp = self.specs.get(o)
        if sp is not None and sp[0] == "const":
            return shapes.spec_of_value(sp[1])
        return sp


def _specialize(s, kinds, out, mapping, available):
    """Rewrite a runtime-helper call into plain NumPy when the shapes are
    known: what a person writes once they know the shapes.  Returns the op
    to keep (possibly `s` itself), or None when `s` became an alias."""
    f, a = s.fn, s.args
    sp = kinds.spec
    new = None
    known = kinds.specs.get(s.target)
    if known is not None and known[0] == "const":
        return _alias(s, Const(known[1]), mapping, kinds)
    if f is runtime.unbroadcast:
        g, x = a
        sg, sx = sp(g), sp(x)
        if sg and sx and _shape(sg) is not None and _shape(sx) is not None:
            if _shape(sg) == _shape(sx) and (sx[0] == sg[0] or sg[0] == "arr"):
                return _alias(s, g, mapping, kinds)
            if sx[0] in ("num", "int") and sg[0] == "arr":
                new = [Op(s.target, np.sum, [g], {}, s.loc)]
            elif sx[0] == "arr" and sg[0] == "arr":
                lead = len(sg[1]) - len(sx[1])
                keep = [i for i, n in enumerate(sx[1]) if n == 1 and sg[1][lead + i] != 1]
                if lead > 0 and not keep:
                    axis = 0 if lead == 1 else tuple(range(lead))
                    new = [Op(s.target, np.sum, [g], {"axis": Const(axis)}, s.loc)]
                elif lead == 0 and keep:
                    axis = keep[0] if len(keep) == 1 else tuple(keep)
                    new = [Op(s.target, np.sum, [g], {"axis": Const(axis),
                                                      "keepdims": Const(True)}, s.loc)]
    elif f is runtime.broadcast_to_shape:
        g, x = a[0], a[1]
        axis = a[2] if len(a) > 2 else Const(None)
        keepdims = a[3] if len(a) > 3 else Const(False)
        sx = sp(x)
        if sx and sx[0] == "num":
            return _alias(s, g, mapping, kinds)
        sg = sp(g)
        if sx and sx[0] == "arr" and sg and isinstance(axis, Const) and isinstance(keepdims, Const) \
                and (sx[2] == np.float64 or (sg[0] == "arr" and sg[2] == sx[2])):
            shape = Const(tuple(sx[1]))
            if axis.value is None or keepdims.value:
                new = [Op(s.target, np.broadcast_to, [g, shape], {}, s.loc)]
            else:
                t = Var()
                new = [Op(t, np.expand_dims, [g, axis], {}, s.loc),
                       Op(s.target, np.broadcast_to, [t, shape], {}, s.loc)]
    elif f is runtime.reduced_count:
        sx = sp(a[0])
        axis = a[1] if len(a) > 1 else Const(None)
        if sx and isinstance(axis, Const):
            return _alias(s, Const(runtime.reduced_count(shapes._standin(sx), axis.value)),
                          mapping, kinds)
    elif f in (runtime.matmul_grad_a, runtime.matmul_grad_b, runtime.dot_grad_a,
               runtime.dot_grad_b):
        g, x, y = a
        sx, sy = sp(x), sp(y)
        if sx and sy and sx[0] == "arr" and sy[0] == "arr" and 1 <= len(sx[1]) <= 2 \
                and 1 <= len(sy[1]) <= 2:
            new = _matmul_grad(s, f in (runtime.matmul_grad_a, runtime.dot_grad_a),
                               g, x, y, len(sx[1]), len(sy[1]))
    elif f is runtime.maxmin_grad and len(a) >= 3:
        g, ans, x = a[:3]
        axis = a[3] if len(a) > 3 else Const(None)
        keepdims = a[4] if len(a) > 4 else Const(False)
        sx = sp(x)
        if sx and sx[0] == "arr" and sx[2] == np.float64 and isinstance(axis, Const) \
                and isinstance(keepdims, Const) and (keepdims.value or axis.value is None):
            # split the adjoint equally between the elements that attain the extremum
            mask, count, share = Var("mask"), Var(), Var()
            kw = {"axis": axis, "keepdims": Const(True)} if axis.value is not None else {}
            new = [Op(mask, np.equal, [x, ans], {}, s.loc),
                   Op(count, np.sum, [mask], kw, s.loc),
                   Op(share, operator.mul, [g, mask], {}, s.loc),
                   Op(s.target, operator.truediv, [share, count], {}, s.loc)]
    elif f is runtime.zeros_like:
        sx = sp(a[0])
        if sx and sx[0] == "num":
            return _alias(s, Const(0.0), mapping, kinds)
        if sx and sx[0] == "arr" and sx[2] == np.float64:
            new = [Op(s.target, np.zeros, [Const(tuple(sx[1]))], {}, s.loc)]
    elif f is runtime.add:
        sx, sy = sp(a[0]), sp(a[1])
        if sx and sy and sx[0] in ("num", "arr") and sy[0] in ("num", "arr"):
            new = [Op(s.target, operator.add, list(a), {}, s.loc)]
    if new is None:
        new = _sink_broadcast(s, kinds)
    else:
        sunk = []
        for op in new:
            sunk.extend(_sink_broadcast(op, kinds) or [op])
        new = sunk
    if new is None:
        return s
    if getattr(s, "_backward", False):      # keep the backward sweep's start mark
        for op in new:
            op._backward = True
    for op in new:
        op.args = [_resolve(o, mapping) for o in op.args]
        op.kwargs = {k: _resolve(v, mapping) for k, v in op.kwargs.items()}
    for op in new[:-1]:
        kinds.specs[op.target] = shapes._op_spec(op, kinds.specs)
        zero = _fold_zero(op, available, kinds)
        if zero is not None:
            _alias(op, zero, mapping, kinds)
            continue
        _fold_negation(op, available)
        _hoist_negation(op, available, out, kinds)
        if op.fn is operator.neg:
            available[("neg of", id(op.target))] = op.args[0]
        _emit_new(op, out, available, kinds)
    last = new[-1]
    kinds.specs[last.target] = shapes._op_spec(last, kinds.specs)
    return last


def _shape(spec):
    if spec[0] == "arr":
        return tuple(spec[1])
    return () if spec[0] in ("num", "int") else None


def _alias(s, operand, mapping, kinds):
    mapping[s.target] = operand
    if isinstance(operand, Var) and not operand.hint:
        operand.hint = s.target.hint
    return None


def _matmul_grad(s, wrt_first, g, x, y, nx, ny):
    """The adjoint of x @ y for ranks 1 and 2, as a person writes it."""
    loc = s.loc
    out = s.target
    if wrt_first:
        if nx == 2 and ny == 2:
            t = Var()
            return [Op(t, np.transpose, [y], {}, loc), Op(out, operator.matmul, [g, t], {}, loc)]
        if nx == 2 and ny == 1:
            return [Op(out, np.outer, [g, y], {}, loc)]
        if nx == 1 and ny == 2:
            return [Op(out, operator.matmul, [y, g], {}, loc)]
        return [Op(out, operator.mul, [g, y], {}, loc)]
    if nx == 2 and ny == 2:
        t = Var()
        return [Op(t, np.transpose, [x], {}, loc), Op(out, operator.matmul, [t, g], {}, loc)]
    if nx == 2 and ny == 1:
        t = Var()
        return [Op(t, np.transpose, [x], {}, loc), Op(out, operator.matmul, [t, g], {}, loc)]
    if nx == 1 and ny == 2:
        return [Op(out, np.outer, [x, g], {}, loc)]
    return [Op(out, operator.mul, [g, x], {}, loc)]


_ELEMENTWISE_2 = {operator.add, operator.sub, operator.mul, operator.truediv, operator.pow}


def _sink_broadcast(s, kinds):
    """Move `np.broadcast_to` towards the uses of its value, where it usually
    disappears: ``broadcast_to(g, S) * c`` with scalar c becomes
    ``broadcast_to(g * c, S)`` (and g * c may fold to a constant); with c of
    shape S it becomes ``g * c``; nested broadcasts and expand_dims of a
    broadcast scalar merge into one broadcast."""
    f, a = s.fn, s.args
    facts = kinds.__dict__.setdefault("broadcasts", {})
    sp = kinds.spec
    if f is np.broadcast_to and isinstance(a[1], Const):
        inner = facts.get(a[0]) if isinstance(a[0], Var) else None
        if inner is not None:
            s = Op(s.target, np.broadcast_to, [inner[0], a[1]], {}, s.loc)
        src = s.args[0]
        if sp(src) and sp(src)[0] in ("num", "arr"):
            facts[s.target] = (src, a[1].value)
        return [s] if inner is not None else None
    if f is np.expand_dims and isinstance(a[0], Var) and a[0] in facts and isinstance(a[1], Const) \
            and sp(facts[a[0]][0]) and sp(facts[a[0]][0])[0] == "num":
        g, shape = facts[a[0]]
        new_shape = np.expand_dims(np.empty(shape, dtype=bool), a[1].value).shape
        op = Op(s.target, np.broadcast_to, [g, Const(new_shape)], {}, s.loc)
        facts[s.target] = (g, new_shape)
        return [op]
    if f in _ELEMENTWISE_2 and len(a) == 2 and not s.kwargs:
        for k in (0, 1):
            b, c = a[k], a[1 - k]
            if not (isinstance(b, Var) and b in facts):
                continue
            g, shape = facts[b]
            sc = sp(c)
            if isinstance(c, Const) and type(c.value) in (int, float):
                sc = ("num", None)
            if sc is None:
                continue
            if sc[0] == "num" and sp(g) and sp(g)[0] == "num":
                t = Var()
                args = [g, c] if k == 0 else [c, g]
                op = Op(t, f, args, {}, s.loc)
                folded = _identity(op, kinds)
                src = folded if folded is not None else t
                out = Op(s.target, np.broadcast_to, [src, Const(shape)], {}, s.loc)
                facts[s.target] = (src, shape)
                return ([op] if folded is None else []) + [out]
            if sc[0] == "arr" and tuple(sc[1]) == tuple(shape):
                # numpy broadcasts `g` against `c` anyway
                args = [g, c] if k == 0 else [c, g]
                return [Op(s.target, f, args, {}, s.loc)]
    return None


# ------------------------------------------------------------------- LICM

def hoist_invariants(block):
    """Move operations whose operands do not change in a loop out of it
    (innermost loops first), so they are computed once and, in reverse mode,
    never saved per iteration."""
    for s in block:
        if isinstance(s, If):
            hoist_invariants(s.body)
            hoist_invariants(s.orelse)
    out = []
    for s in block:
        if isinstance(s, Loop):
            hoist_invariants(s.body)
            varying = ir.all_defs(s.body) | ir.all_defs(s.cond_body) | set(ir.loop_targets(s)) \
                | {c.var for c in s.carries}
            kept = []
            for op in s.body:
                if isinstance(op, Op) and op.target is not None and _hoistable(op) and not any(
                        isinstance(o, Var) and o in varying for o in ir.operands_of(op)):
                    out.append(op)
                    varying.discard(op.target)
                else:
                    kept.append(op)
            s.body = kept
        out.append(s)
    block[:] = out
    return block


def _hoistable(op):
    f = op.fn
    if f in _IMPURE or f is runtime.global_value or f is runtime.tape_push:
        return False
    module = getattr(f, "__module__", "") or ""
    return "random" not in module


def _settled_alias(old, new, kind, spec):
    """``inplace_alias(old, new)`` (what another name sees after ``+=``) when
    the kind or shape settles it: a number is rebound (`old`), an array of
    rank >= 1 or a list is updated in place (`new`); else None.  (An array
    spec of shape () may be a NumPy scalar, which is rebound.)"""
    if not isinstance(old, Var) or kind == "num" or (spec and spec[0] in ("num", "int")):
        return old
    if spec and (spec[0] == "list" or (spec[0] == "arr" and len(spec[1]) > 0)):
        return new
    return None


def resolve_inplace_aliases(fn, specs):
    """Settle every `inplace_alias` the shapes decide, before differentiating,
    so that no adjoint of the run-time choice is made."""
    mapping = {}
    for s in ir.walk(fn.body):
        if isinstance(s, Op) and s.fn is runtime.inplace_alias:
            old, new = s.args
            settled = _settled_alias(old, new, None, specs.get(old))
            if settled is not None:
                mapping[s.target] = settled
    if mapping:
        ir.substitute(fn.body, mapping)
        fn.ret = _resolve(fn.ret, mapping)
        fn.body = dce_block(fn.body, {fn.ret} if isinstance(fn.ret, Var) else set())


def optimize_primal(fn, param_kinds=None):
    """Clean the primal before differentiating it: merge repeated
    computations (a helper inlined several times computes `-k` each time),
    hoist loop invariants, drop dead code.  Fewer values, fewer adjoints,
    smaller tapes."""
    fn = ir.copy_function(fn)
    kinds = find_kinds(fn, param_kinds or [None] * len(fn.params))
    mapping = {}
    rewrite_block(fn.body, mapping, kinds, {})
    fn.ret = _resolve(fn.ret, mapping)
    hoist_invariants(fn.body)
    live = {fn.ret} if isinstance(fn.ret, Var) else set()
    fn.body = dce_block(fn.body, live)
    return fn
