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

from . import ir, primitives, rules, runtime, zero_sums
from .avals import (Array, Known, Map, Num, Seq, concrete, index_is_basic, is_float, is_mutable,
                    is_numeric, of_operand, shape_of, UNKNOWN)
from .infer import infer, op_aval
from .ir import Var, Const, Op, If, Loop

# operations with side effects or fresh mutable results: never merged (two
# buffers made alike are still two buffers: codegen may update either in place)
_IMPURE = {runtime.make_list, runtime.make_dict, runtime.append, print, np.zeros, np.ones,
           np.empty, np.full, np.zeros_like, np.ones_like, np.empty_like, np.full_like,
           np.array, np.copy, np.eye, np.identity, np.arange, np.linspace, runtime.zeros_like,
           runtime.astype, runtime.flatten}


def simplify(fn: ir.Function, param_avals, hints=None) -> ir.Function:
    """Simplify `fn` knowing its parameters' avals (and `hints`: avals
    already known for some Vars, e.g. the primal's).  Sets `fn.avals`."""
    facts = Facts(infer(fn, param_avals, hints))
    mapping = {}
    rewrite_block(fn.body, mapping, facts, {})
    fn.ret = _resolve(fn.ret, mapping)
    fn.value = _resolve(fn.value, mapping)
    fn.grad_vars = [_resolve(v, mapping) for v in fn.grad_vars]
    fn.body = dce_block(fn.body, {fn.ret} if isinstance(fn.ret, Var) else set())
    fn.avals = facts.avals
    return fn


def _resolve(o, mapping):
    while isinstance(o, Var) and o in mapping:
        o = mapping[o]
    return o


def _is(o, value):
    """`o` is the constant `value`, of its very type (1.0 is not 1: ``1.0 * i``
    is a float, ``1 * i`` is `i`)."""
    return isinstance(o, Const) and type(o.value) is type(value) and o.value == value


def rewrite_block(stmts, mapping, facts, available):
    """Rewrite in place.  `mapping` replaces Vars by operands; `available`
    maps (fn, operands) of pure ops already computed to their Var."""
    out = []
    sub = lambda o: _resolve(o, mapping)
    for s in stmts:
        if isinstance(s, Op):
            args = [sub(a) for a in s.args]
            kwargs = {k: sub(v) for k, v in s.kwargs.items()}
            changed = any(a is not b for a, b in zip(args, s.args)) or any(
                kwargs[k] is not v for k, v in s.kwargs.items())
            s.args, s.kwargs = args, kwargs
            if changed and s.target is not None and s.explode is None:
                # (an operand became a simpler one: what the result is may be known now)
                facts.avals[s.target] = op_aval(s, facts.avals)
            if s.target is not None:
                s = _specialize(s, facts, out, mapping, available)
                if s is None:
                    continue
            if s.target is not None:
                if s.fn is operator.mul and len(s.args) == 2 and not s.kwargs:
                    for k in (0, 1):
                        # (-1.0 * a is -a only for a number a: not for a bool)
                        if (_is(s.args[k], -1) or _is(s.args[k], -1.0)) \
                                and _floating(s.args[1 - k], facts):
                            s.fn, s.args = operator.neg, [s.args[1 - k]]
                            break
                if s.fn is runtime.add and all(
                        (isinstance(a, Const) and type(a.value) in (int, float))
                        or is_numeric(facts.aval(a)) for a in s.args):
                    s.fn = operator.add     # numbers and arrays: plain `+`
                if s.fn is runtime.assigned_grad and _basic_index(s.args[1], facts):
                    s.fn = operator.getitem     # (no index array: no repeated writes)
                _fold_negation(s, available)
                _hoist_negation(s, available, out, facts)
                _accumulate_at_index(s, available, facts)
                repl = _restored_at_index(s, facts)
                if repl is None:
                    repl = _fold_zero(s, available, facts)
                if repl is None:
                    repl = _identity(s, facts)
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
                facts.defs[s.target] = s
                if s.fn is operator.neg:
                    available[("neg of", id(s.target))] = s.args[0]
                if s.fn is runtime.index_adjoint:
                    available[("scatter", id(s.target))] = s
        elif isinstance(s, If):
            s.cond = sub(s.cond)
            if isinstance(s.cond, Const):
                # a branch decided at compile time: splice it in
                taken = s.body if s.cond.value else s.orelse
                rewrite_block(taken, mapping, facts, available)
                out.extend(taken)
                for p in s.phis:
                    mapping[p.var] = sub(p.then if s.cond.value else p.orelse)
                continue
            rewrite_block(s.body, mapping, facts, dict(available))
            rewrite_block(s.orelse, mapping, facts, dict(available))
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
            rewrite_block(s.cond_body, mapping, facts, inner)
            s.cond = sub(s.cond) if s.cond is not None else None
            rewrite_block(s.body, mapping, facts, inner)
            for c in s.carries:
                c.next = sub(c.next)
            s.exit_flag = sub(s.exit_flag) if s.exit_flag is not None else None
            if _drop_invariant_carries(s, mapping, facts):
                # (the constants that replaced them may fold further)
                rewrite_block(s.body, mapping, facts, dict(available))
                for c in s.carries:
                    c.next = sub(c.next)
        out.append(s)
    stmts[:] = out


def _drop_invariant_carries(loop, mapping, facts):
    """A carry the body never changes (``bs = 1.0`` carried through a
    backward loop where s is only added to) is its initial value throughout."""
    dropped = False
    while True:
        fixed = {c.var: c.init for c in loop.carries if c.next is c.var}
        if not fixed:
            return dropped
        dropped = True
        loop.carries = [c for c in loop.carries if c.var not in fixed]
        mapping.update(fixed)
        resolve = ir.substitute(loop.body, fixed)
        ir.substitute(loop.cond_body, fixed)
        loop.cond = resolve(loop.cond) if loop.cond is not None else None
        loop.exit_flag = resolve(loop.exit_flag) if loop.exit_flag is not None else None
        for c in loop.carries:
            c.next = resolve(c.next)


# zeros in, zeros out (of another shape)
_RESHAPES = primitives.array_functions(rearranges=True)


def _fold_zero(s, available, facts):
    """Zeros that algebra proves (zero_sums.py) and what they make zero:
    ``z * a``, ``z / a``, ``-z`` and sums of `z` are zeros, ``a + z`` is `a`
    (when that does not change the shape).  Returns the operand that replaces
    the op's result, or None (the op, possibly rewritten to ``np.zeros``,
    stays)."""
    f, a = s.fn, s.args
    zero = [isinstance(o, Var) and ("zero", id(o)) in available for o in a]
    if f in (np.sum, np.mean):
        if zero[:1] == [True] or zero_sums.is_zero_sum(s, facts.algebra()):
            return _make_zero(s, available, facts)
        return None
    if not any(zero):
        return None
    if f in _RESHAPES and zero[0]:
        return _make_zero(s, available, facts)
    if s.kwargs:
        return None
    if f in (operator.mul, operator.matmul) or f is operator.neg \
            or (f is operator.truediv and zero[0]):
        return _make_zero(s, available, facts)
    if f in (operator.add, operator.sub) and len(a) == 2:
        if all(zero):
            return _make_zero(s, available, facts)
        k = zero.index(False)
        kept = concrete(facts.aval(a[k]))
        shape = shape_of(kept)
        if kept != concrete(facts.aval(s.target)) or not (
                isinstance(kept, Num) or shape is not None and None not in shape):
            return None       # the zero may broadcast the other operand
        if f is operator.sub and k == 1:
            s.fn, s.args = operator.neg, [a[1]]
            return None
        return a[k]
    return None


def _emit_new(op, out, available, facts):
    """Append an op made by a rewrite (not seen by `rewrite_block`'s loop):
    known as a definition, and a sum that is zero becomes zeros."""
    if op.fn in (np.sum, np.mean) and op.target is not None:
        _fold_zero(op, available, facts)
    facts.defs[op.target] = op
    out.append(op)


def _make_zero(s, available, facts):
    """`s` computes zeros of its known shape: Const(0.0) for a number, else
    `s` becomes ``np.zeros(shape)`` (usually dead once its uses fold)."""
    a = facts.aval(s.target)
    if isinstance(a, Num) and a.kind == "f":
        return Const(0.0)
    if isinstance(a, Array) and shape_of(a) is not None and a.dtype == np.float64:
        s.fn, s.args, s.kwargs = np.zeros, [Const(tuple(a.shape))], {}
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


def _accumulate_at_index(s, available, facts):
    """``a + index_adjoint(g, x, i)`` -> ``add_at(a, i, g)``: an adjoint
    accumulated element by element adds at the index instead of adding a
    whole array of zeros (done in place where possible, see inplace.py)."""
    if s.fn not in (operator.add, runtime.add) or len(s.args) != 2 or s.kwargs:
        return
    for k in (0, 1):
        t, a = s.args[k], s.args[1 - k]
        scatter = available.get(("scatter", id(t))) if isinstance(t, Var) else None
        if scatter is None or not isinstance(a, Var):
            continue
        g, x, index = scatter.args
        if _same_array_shape(facts.aval(a), facts.aval(x)) \
                or (_same_list_length(facts.aval(a), facts.aval(x))
                    and _int_index(index, facts)):
            s.fn, s.args = runtime.add_at, [a, index, g]
            return


def _restored_at_index(s, facts):
    """``add_at(setitem_grad_x(g, i), i, g[i])`` is `g`: the adjoint of
    ``x[i] += v`` clears the element's adjoint and adds back what it held
    (for an index without index arrays, which cannot repeat an element)."""
    if s.fn is not runtime.add_at or len(s.args) != 3 or s.kwargs:
        return None
    cleared, index, back = s.args
    c = facts.defs.get(cleared) if isinstance(cleared, Var) else None
    r = facts.defs.get(back) if isinstance(back, Var) else None
    if c is None or r is None or c.fn is not runtime.setitem_grad_x \
            or r.fn not in (operator.getitem, runtime.assigned_grad):
        return None
    g = c.args[0]
    if r.args[0] is not g or not _basic_index(index, facts) \
            or not (_same_operand(c.args[1], index) and _same_operand(r.args[1], index)):
        return None
    a = concrete(facts.aval(g))
    float_adjoint = (isinstance(a, Seq) and a.type is list) or (
        isinstance(a, Array) and a.dtype is not None and a.dtype.kind in "fc")
    return g if float_adjoint else None


def _same_operand(a, b):
    return a is b or (isinstance(a, Const) and isinstance(b, Const)
                      and type(a.value) is type(b.value) and a.value == b.value)


def _same_list_length(a, b):
    """Two lists of one known length (an adjoint of a list and the list)."""
    a, b = concrete(a), concrete(b)
    return isinstance(a, Seq) and isinstance(b, Seq) and a.type is list and b.type is list \
        and a.count() is not None and a.count() == b.count()


def _int_index(o, facts):
    """One integer position (the adjoint of a list element; a slice of a
    list is not accumulated element by element)."""
    if isinstance(o, Const):
        return isinstance(o.value, (int, np.integer)) and not isinstance(o.value, bool)
    a = concrete(facts.aval(o))
    return isinstance(a, Num) and a.kind in "iu"


def _same_array_shape(a, b):
    return isinstance(a, Array) and isinstance(b, Array) and shape_of(a) is not None \
        and shape_of(a) == shape_of(b)


def _hoist_negation(s, available, out, facts):
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
    facts.avals[inner.target] = op_aval(inner, facts.avals)
    _emit_new(inner, out, available, facts)
    s.fn, s.args, s.kwargs = operator.neg, [inner.target], {}


def _cse_key(s):
    if s.fn in _IMPURE or s.fn is runtime.global_value or rules.has_effects(s.fn):
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


def _identity(s, facts):
    """An operand equal to the op's result when the op does nothing."""
    f, a = s.fn, s.args
    if s.kwargs:
        return None
    num = lambda o: (isinstance(o, Const) and type(o.value) in (int, float)) or isinstance(
        concrete(facts.aval(o)), Num)
    if f is operator.mul and len(a) == 2:
        # 1.0 * a is a only for a float a (1.0 * True is 1.0, 1.0 * 3 is 3.0)
        for k in (0, 1):
            if (_is(a[k], 1.0) and _floating(a[1 - k], facts)) or (
                    _is(a[k], 1) and _is_number(a[1 - k], facts)):
                return a[1 - k]
    if f is operator.pow and len(a) == 2 and _is(a[1], 1):
        return a[0]
    if f is operator.truediv and len(a) == 2 and (_is(a[1], 1.0) or _is(a[1], 1)) \
            and _floating(a[0], facts):
        return a[0]         # (i / 1 is a float too)
    # (x + 0.0 is a float: x itself only when x is one; x + 0 is x)
    if f in (operator.add, operator.sub) and len(a) == 2 and is_numeric(facts.aval(a[0])) \
            and ((_is(a[1], 0.0) and _floating(a[0], facts)) or _is(a[1], 0)):
        return a[0]
    if f is operator.add and len(a) == 2 and is_numeric(facts.aval(a[1])) \
            and ((_is(a[0], 0.0) and _floating(a[1], facts)) or _is(a[0], 0)):
        return a[1]
    if f is runtime.identity:
        return a[0]
    if f is runtime.inplace_alias:
        return settled_alias(a[0], a[1], facts.aval(a[0]))
    if f is runtime.like and ((num(a[1]) and num(a[0]))
                              or _same_array(facts.aval(a[0]), facts.aval(a[1]))):
        return a[0]
    if f is runtime.unbroadcast:
        g, x = a
        if num(x) and num(g):
            return g
    if f is runtime.expand_axes and isinstance(a[2], Const) and a[2].value == () \
            and _same_array(facts.aval(a[0]), facts.aval(a[1])):
        return a[0]         # (no axis to put back: the einsum adjoint has x's shape)
    if all(isinstance(o, Const) for o in a) and f in _FOLD:
        try:
            return Const(f(*[o.value for o in a]))
        except Exception:
            return None
    return None


def _python_numbers(a):
    """A list whose elements are all Python floats, ints or bools."""
    a = concrete(a)
    if not (isinstance(a, Seq) and a.type is list):
        return False
    elts = a.elts if a.elts is not None else (a.elt,)
    return all(isinstance(concrete(e), Num) and concrete(e).type in (float, int, bool)
               for e in elts)


def _same_array(a, b):
    """Two arrays of one known shape and dtype."""
    a, b = concrete(a), concrete(b)
    return isinstance(a, Array) and isinstance(b, Array) and shape_of(a) is not None \
        and a.shape == b.shape and a.dtype is not None and a.dtype == b.dtype


def _basic_index(o, facts):
    """An index without integer arrays or lists: ints, slices, None, `...`."""
    if isinstance(o, Const):
        parts = o.value if isinstance(o.value, tuple) else (o.value,)
        return all(p is None or p is Ellipsis or isinstance(p, (int, slice)) for p in parts)
    a = concrete(facts.aval(o))
    return isinstance(a, Num) and a.kind in "iu"


def _index_is_basic(o, facts):
    """True for an index of ints, slices, None and `...`, False for one with
    index arrays (a copy is read), None when the avals do not tell."""
    if isinstance(o, Const):
        return _basic_index(o, facts)
    return index_is_basic(facts.aval(o))


def _floating(o, facts):
    """Known to be a float (a Python float, a float array or NumPy float):
    what ``1.0 * o`` leaves unchanged."""
    if isinstance(o, Const):
        return type(o.value) is float
    a = concrete(facts.aval(o))
    # (a number of unknown type is taken for a float: an int stays an int
    # through 1.0 * i -> i, which is the same number)
    return is_float(a) or (isinstance(a, Num) and a.type is None and a.kind in "fiu")


def _is_number(o, facts):
    """Known to be an int or a float (not a bool): what ``1 * o`` leaves."""
    if isinstance(o, Const):
        return type(o.value) in (int, float)
    a = concrete(facts.aval(o))
    if isinstance(a, Num):
        return a.kind in "iufc"
    return isinstance(a, Array) and a.dtype is not None and a.dtype.kind in "iufc"


_FOLD = {operator.add, operator.sub, operator.mul, operator.truediv, operator.neg,
         operator.pow, math.log, math.sqrt, math.exp, np.log, np.sqrt,
         # (a condition of constants: its `if` is decided when the code is made)
         operator.not_, operator.truth, operator.lt, operator.le, operator.gt, operator.ge,
         operator.eq, operator.ne}


# -------------------------------------------------------------------- DCE

def dce_block(stmts, live):
    """Remove what does not contribute to `live` (the Vars needed after the
    block).  `live` is updated in place to the Vars needed before it."""
    out = []
    for s in reversed(stmts):
        if isinstance(s, Op):
            if s.target is None or s.target in live or rules.has_effects(s.fn):
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

class Facts:
    """What simplification knows: the aval of every Var (infer.py), the op
    defining each Var (SSA: one), and the broadcasts `_sink_broadcast` saw."""

    def __init__(self, avals):
        self.avals = avals
        self.defs = {}
        self.broadcasts = {}      # Var -> (source operand, shape) of np.broadcast_to
        self._algebra = None

    def aval(self, o):
        return of_operand(o, self.avals)

    def algebra(self):
        """One zero_sums.Algebra per simplification, so that the values it
        expands are expanded once (ops are rewritten only into equal values)."""
        if self._algebra is None:
            self._algebra = zero_sums.Algebra(self.defs.get, self.aval)
        return self._algebra


def _specialize(s, facts, out, mapping, available):
    """Rewrite a runtime-helper call into plain NumPy when the avals tell
    what it does: what a person writes once they know the shapes.  Returns
    the op to keep (possibly `s` itself), or None when `s` became an alias."""
    f, a = s.fn, s.args
    av = lambda o: concrete(facts.aval(o))
    new = None
    known = facts.aval(s.target)
    if isinstance(known, Known) and not rules.has_effects(f):
        return _alias(s, Const(known.value), mapping)
    if f is runtime.unbroadcast:
        g, x = a
        ag, ax = av(g), av(x)
        sg, sx = shape_of(ag), shape_of(ax)
        if sg is not None and sx is not None:
            if sg == sx and (type(ag) is type(ax) or isinstance(ag, Array)):
                return _alias(s, g, mapping)
            if isinstance(ax, Num) and isinstance(ag, Array):
                new = [Op(s.target, np.sum, [g], {}, s.loc)]
            elif isinstance(ax, Array) and isinstance(ag, Array):
                lead = len(sg) - len(sx)
                keep = [i for i, n in enumerate(sx) if n == 1 and sg[lead + i] != 1]
                if lead > 0 and not keep:
                    axis = 0 if lead == 1 else tuple(range(lead))
                    new = [Op(s.target, np.sum, [g], {"axis": Const(axis)}, s.loc)]
                elif lead == 0 and keep:
                    axis = keep[0] if len(keep) == 1 else tuple(keep)
                    new = [Op(s.target, np.sum, [g], {"axis": Const(axis),
                                                      "keepdims": Const(True)}, s.loc)]
                elif lead < 0 and all(n == 1 for n in sx[:-lead]) and tuple(sx[-lead:]) == sg:
                    # (leading 1s NumPy dropped when assigning: put back)
                    new = [Op(s.target, np.reshape, [g, Const(tuple(sx))], {}, s.loc)]
    elif f is runtime.broadcast_to_shape:
        g, x = a[0], a[1]
        axis = a[2] if len(a) > 2 else Const(None)
        keepdims = a[3] if len(a) > 3 else Const(False)
        ax, ag = av(x), av(g)
        if isinstance(ax, Num):
            return _alias(s, g, mapping)
        if isinstance(ax, Array) and shape_of(ax) is not None and ag is not UNKNOWN \
                and isinstance(axis, Const) and isinstance(keepdims, Const) \
                and (ax.dtype == np.float64 or (isinstance(ag, Array) and ag.dtype == ax.dtype)):
            shape = Const(tuple(ax.shape))
            if axis.value is None or keepdims.value:
                new = [Op(s.target, np.broadcast_to, [g, shape], {}, s.loc)]
            else:
                t = Var()
                new = [Op(t, np.expand_dims, [g, axis], {}, s.loc),
                       Op(s.target, np.broadcast_to, [t, shape], {}, s.loc)]
    elif f is runtime.reduced_count:
        sx = shape_of(av(a[0]))
        axis = a[1] if len(a) > 1 else Const(None)
        if sx is not None and isinstance(axis, Const):
            return _alias(s, Const(runtime.reduced_count(np.empty(sx), axis.value)), mapping)
    elif f in (runtime.matmul_grad_a, runtime.matmul_grad_b, runtime.dot_grad_a,
               runtime.dot_grad_b):
        g, x, y = a
        ax, ay = av(x), av(y)
        if isinstance(ax, Array) and isinstance(ay, Array) and ax.shape is not None \
                and ay.shape is not None and 1 <= len(ax.shape) <= 2 \
                and 1 <= len(ay.shape) <= 2:
            new = _matmul_grad(s, f in (runtime.matmul_grad_a, runtime.dot_grad_a),
                               g, x, y, len(ax.shape), len(ay.shape))
    elif f is runtime.maxmin_grad and len(a) >= 3:
        g, ans, x = a[:3]
        axis = a[3] if len(a) > 3 else Const(None)
        keepdims = a[4] if len(a) > 4 else Const(False)
        ax = av(x)
        if isinstance(ax, Array) and ax.dtype == np.float64 and isinstance(axis, Const) \
                and isinstance(keepdims, Const) and (keepdims.value or axis.value is None):
            # split the adjoint equally between the elements that attain the extremum
            mask, count, share = Var("mask"), Var(), Var()
            kw = {"axis": axis, "keepdims": Const(True)} if axis.value is not None else {}
            new = [Op(mask, np.equal, [x, ans], {}, s.loc),
                   Op(count, np.sum, [mask], kw, s.loc),
                   Op(share, operator.mul, [g, mask], {}, s.loc),
                   Op(s.target, operator.truediv, [share, count], {}, s.loc)]
    elif f is runtime.zeros_like:
        ax = av(a[0])
        if isinstance(ax, Num) and ax.kind in "fiub":
            return _alias(s, Const(0.0), mapping)
        if isinstance(ax, Array) and shape_of(ax) is not None and ax.dtype == np.float64:
            new = [Op(s.target, np.zeros, [Const(tuple(ax.shape))], {}, s.loc)]
        elif _python_numbers(ax) and ax.count() is not None:
            # a list of Python numbers: [0.0] * n (the generic helper visits
            # every element: most of list_fill's gradient time, issue 13)
            zero = Var()
            new = [Op(zero, runtime.make_list, [Const(0.0)], {}, s.loc),
                   Op(s.target, runtime.repeat_sequence, [zero, Const(ax.count())], {}, s.loc)]
    elif f is runtime.add:
        if is_numeric(av(a[0])) and is_numeric(av(a[1])):
            new = [Op(s.target, operator.add, list(a), {}, s.loc)]
    elif f is runtime.write_through:
        base, index, old, value = a
        shares = _shares(av(base), av(old), index, facts)
        if shares is True:
            new = [Op(s.target, runtime.setitem_copy, [base, index, value], {}, s.loc)]
        elif shares is False:
            return _alias(s, base, mapping)
    elif f in (runtime.view_refresh, runtime.element_refresh):
        old, base, index = a[:3]
        written = a[3] if len(a) > 3 else Const(None)
        ab, ao = av(base), av(old)
        if f is runtime.view_refresh and isinstance(ab, Array):
            shares = _shares(ab, ao, index, facts)
        elif isinstance(index, Const) and isinstance(written, Const) and (
                f is runtime.element_refresh or isinstance(concrete(ab), (Seq, Map))):
            # (an element of a container; a base that may be an array at run
            # time keeps the run-time test: seed 885294, a view of the sum of
            # a list was not read again after the sum changed in place)
            shares = index == written and is_mutable(ao) if written.value is not None else False
        else:
            shares = None
        if shares is True:
            new = [Op(s.target, operator.getitem, [base, index], {}, s.loc)]
        elif shares is False:
            return _alias(s, old, mapping)
    if new is None:
        new = _sink_broadcast(s, facts)
    else:
        sunk = []
        for op in new:
            sunk.extend(_sink_broadcast(op, facts) or [op])
        new = sunk
    if new is None:
        return s
    if s.backward:      # keep the backward sweep's start mark
        for op in new:
            op.backward = True
    for op in new:
        op.args = [_resolve(o, mapping) for o in op.args]
        op.kwargs = {k: _resolve(v, mapping) for k, v in op.kwargs.items()}
    for op in new[:-1]:
        facts.avals[op.target] = op_aval(op, facts.avals)
        zero = _fold_zero(op, available, facts)
        if zero is not None:
            _alias(op, zero, mapping)
            continue
        _fold_negation(op, available)
        _hoist_negation(op, available, out, facts)
        if op.fn is operator.neg:
            available[("neg of", id(op.target))] = op.args[0]
        _emit_new(op, out, available, facts)
    last = new[-1]
    facts.avals[last.target] = op_aval(last, facts.avals)
    return last


def _shares(base, old, index, facts):
    """Whether ``old = base[index]`` is part of `base` (an array view, a
    mutable element object): True, False, or None when the avals do not
    tell (see runtime.write_through)."""
    if isinstance(base, Array):
        basic = _index_is_basic(index, facts)
        if isinstance(old, Num) or basic is False:
            return False
        return True if isinstance(old, Array) and basic else None
    if isinstance(base, (Seq, Map)):
        return is_mutable(old)
    if isinstance(base, Num):
        return False
    return None


def _alias(s, operand, mapping):
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


_ELEMENTWISE_2 = primitives.having("arithmetic", kind="binary")


def _sink_broadcast(s, facts):
    """Move `np.broadcast_to` towards the uses of its value, where it usually
    disappears: ``broadcast_to(g, S) * c`` with scalar c becomes
    ``broadcast_to(g * c, S)`` (and g * c may fold to a constant); with c of
    shape S it becomes ``g * c``; nested broadcasts and expand_dims of a
    broadcast scalar merge into one broadcast."""
    f, a = s.fn, s.args
    seen = facts.broadcasts
    av = lambda o: concrete(facts.aval(o))
    if f is np.broadcast_to and isinstance(a[1], Const):
        inner = seen.get(a[0]) if isinstance(a[0], Var) else None
        if inner is not None:
            s = Op(s.target, np.broadcast_to, [inner[0], a[1]], {}, s.loc)
        src = s.args[0]
        if isinstance(av(src), (Num, Array)):
            seen[s.target] = (src, a[1].value)
        return [s] if inner is not None else None
    if f is np.expand_dims and isinstance(a[0], Var) and a[0] in seen and isinstance(a[1], Const) \
            and isinstance(av(seen[a[0]][0]), Num):
        g, shape = seen[a[0]]
        new_shape = np.expand_dims(np.empty(shape, dtype=bool), a[1].value).shape
        op = Op(s.target, np.broadcast_to, [g, Const(new_shape)], {}, s.loc)
        seen[s.target] = (g, new_shape)
        return [op]
    if f in _ELEMENTWISE_2 and len(a) == 2 and not s.kwargs:
        for k in (0, 1):
            b, c = a[k], a[1 - k]
            if not (isinstance(b, Var) and b in seen):
                continue
            g, shape = seen[b]
            ac = av(c)
            if isinstance(c, Const) and type(c.value) in (int, float):
                ac = Num(type(c.value))
            if isinstance(ac, Num) and isinstance(av(g), Num):
                t = Var()
                args = [g, c] if k == 0 else [c, g]
                op = Op(t, f, args, {}, s.loc)
                facts.avals[t] = op_aval(op, facts.avals)
                folded = _identity(op, facts)
                src = folded if folded is not None else t
                out = Op(s.target, np.broadcast_to, [src, Const(shape)], {}, s.loc)
                seen[s.target] = (src, shape)
                return ([op] if folded is None else []) + [out]
            if isinstance(ac, Array) and shape_of(ac) == tuple(shape):
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
    return not (f in _IMPURE or f is runtime.global_value or f is runtime.tape_push
                or rules.has_effects(f))


def settled_alias(old, new, aval):
    """``inplace_alias(old, new)`` (what another name sees after ``+=``) when
    the aval of `old` settles it: a number is rebound (`old`), an array or a
    list is updated in place (`new`); else None."""
    if not isinstance(old, Var):
        return old
    a = concrete(aval)
    if isinstance(a, (Num, Known)) or (isinstance(a, Seq) and a.type is tuple):
        return old
    if isinstance(a, Array) or (isinstance(a, Seq) and a.type is list):
        return new
    return None


def optimize_primal(fn, avals):
    """Clean the primal before differentiating it: settle what ``+=`` did
    where the avals tell, merge repeated computations (a helper inlined
    several times computes `-k` each time), hoist loop invariants, drop dead
    code.  Fewer values, fewer adjoints, smaller tapes.  `avals`: the
    primal's (infer.infer); it is kept up to date."""
    fn = ir.copy_function(fn)
    facts = Facts(avals)
    mapping = {}
    rewrite_block(fn.body, mapping, facts, {})
    fn.ret = _resolve(fn.ret, mapping)
    hoist_invariants(fn.body)
    live = {fn.ret} if isinstance(fn.ret, Var) else set()
    fn.body = dce_block(fn.body, live)
    fn.avals = facts.avals
    return fn
