"""Forward mode: IR -> tangent IR (the primal, with each active value's
tangent computed right after it).

Every active value ``v`` (activity.py: depends on a `wrt` input and reaches
the result) gets a tangent ``dv``, computed from the tangents of its operands
by the JVP rule of its operation, inlined from the rule's source like reverse
mode inlines VJP rules (inline.py).  Control flow keeps its shape: an `If`
gets one more phi per active phi, a `Loop` one more carry per active carry.
Forward mode needs no tape: a tangent is consumed in the iteration that
computes it.

The output is an `ir.Function` with the primal's parameters followed by one
tangent parameter per `wrt` position (``dx`` for ``x``), returning
``(value, tangent)``.

>>> from ast_ad.pipeline import run
>>> from ast_ad.avals import of_value
>>> def f(x, y):
...     z = x * y
...     return z + x
>>> print(run(f, "forward", wrt=(0,), param_avals=[of_value(1.0)] * 2, stop_after="emit").text)
def jvp_f(x, y, dx):
    z = x * y
    dz = dx * y
    value = z + x
    return value, dz + dx
<BLANKLINE>
"""
from __future__ import annotations

import inspect

import numpy as np

from . import ir, rules, runtime
from .activity import active as find_active
from .avals import Num, concrete
from .naming import Namer
from .errors import NoRuleError, DifferentiationError, no_rule
from .inline import rule_source, bind_env, lower_rule
from .ir import Var, Const, Op, If, Loop, Carry, Phi


def forward(fn: ir.Function, wrt: list, seeds=None) -> ir.Function:
    """The tangent function of `fn` along the parameters at positions `wrt`.
    With `seeds` (one constant per wrt position) the tangents are those
    constants instead of parameters: ``seeds=[1.0]`` gives the derivative.
    `fn.avals` say what the values are (numbers get ``0.0`` tangents)."""
    fn = ir.copy_function(fn)
    wrt_vars = [fn.params[i] for i in wrt]
    f = Forward(fn, wrt_vars)
    tan = {}
    tparams, tnames = [], []
    taken = Namer(fn.param_names)      # tangent parameters: dx, or dx_1 if dx is taken
    for k, (p, name) in enumerate(zip(wrt_vars, (fn.param_names[i] for i in wrt))):
        if seeds is not None:
            if p in f.active:
                tan[p] = Const(seeds[k])
            continue
        tname = taken.fresh("d" + name)
        t = Var(tname)
        tparams.append(t)
        tnames.append(tname)
        if p in f.active:
            tan[p] = t
    body = f.block(fn.body, tan)
    if isinstance(fn.ret, Var) and fn.ret in tan:
        dout = tan[fn.ret]
    else:
        dout = f.zero(fn.ret, body)
    result = Var("result")
    body.append(Op(result, runtime.make_tuple, [fn.ret, dout]))
    return ir.Function(fn.name, list(fn.params) + tparams, body, result,
                       param_names=list(fn.param_names) + tnames, origin=fn.origin,
                       structure=fn.structure, value=fn.ret, tangent_vars=[dout],
                       avals=fn.avals)


def _signature(fn):
    try:
        return inspect.signature(fn)
    except (TypeError, ValueError):
        return None


def _hint(var):
    h = var.hint if isinstance(var, Var) else ""
    return "d" + h if h else ""


class Forward:
    def __init__(self, fn, wrt_vars):
        self.fn = fn
        self.active = find_active(fn, wrt_vars)

    # ------------------------------------------------------------- tangents
    def is_num(self, o):
        if isinstance(o, Const):
            return isinstance(o.value, (int, float)) or (
                isinstance(o.value, np.generic) and o.value.dtype.kind in "biufc")
        return isinstance(concrete(self.fn.avals.get(o)), Num) if o in self.fn.avals else False

    def zero(self, o, block, loc=None):
        """A zero tangent for the value `o` (same structure and shape)."""
        if self.is_num(o):
            return Const(0.0)
        if isinstance(o, Const) and not isinstance(o.value, np.ndarray):
            return Const(runtime.zeros_like(o.value))
        z = Var(_hint(o))
        block.append(Op(z, runtime.zeros_like, [o], {}, loc))
        return z

    def tangent(self, o, tan, block, loc=None):
        """The tangent of operand `o` (a zero if `o` is not active)."""
        if isinstance(o, Var) and o in tan:
            return tan[o]
        return self.zero(o, block, loc)

    # --------------------------------------------------------------- blocks
    def block(self, stmts, tan):
        """The statements with the tangent code interleaved; `tan` maps
        primal Vars to their tangent operands and is updated in place."""
        out = []
        for s in stmts:
            if isinstance(s, Op):
                out.append(s)
                if s.target is not None and s.target in self.active:
                    self.op(s, tan, out)
            elif isinstance(s, If):
                self.branch(s, tan)
                out.append(s)
            elif isinstance(s, Loop):
                self.loop(s, tan, out)
                out.append(s)
            else:
                raise TypeError(s)
        return out

    def op(self, s, tan, out):
        """Append the tangent code of `s`.  A value whose tangent is zero
        by construction (no operand in a differentiable position has a
        tangent) gets none: it then counts as inactive downstream."""
        f = s.fn
        if f in (runtime.make_tuple, runtime.make_list, runtime.make_dict):
            items = s.args[1:] if f is runtime.make_dict else s.args
            if not any(isinstance(a, Var) and a in tan for a in items):
                return
            elts = [self.tangent(a, tan, out, s.loc) for a in items]
            t = Var(_hint(s.target))
            if f is runtime.make_dict:
                out.append(Op(t, f, [s.args[0]] + elts, {}, s.loc))
                self.fn.structure[t] = dict(zip(s.args[0].value, elts))
            else:
                out.append(Op(t, f, elts, {}, s.loc))
                self.fn.structure[t] = elts
        else:
            t = self.inline_rule(s, tan, out)
            if t is None:
                return
        tan[s.target] = t

    def inline_rule(self, s, tan, out):
        """Inline the JVP rule of `s`; return the tangent of its target
        (None: zero)."""
        rule = rules.jvp_rule(s.fn)
        if rule is None:
            raise no_rule(s.loc, s.fn, "defjvp", "forward-mode derivative rule")
        try:
            src, sig = rule_source(rule)
        except DifferentiationError:   # a lambda or C function: called, not inlined
            src, sig = None, _signature(rule)
        params = list(sig.parameters.values()) if sig is not None else []
        names = [p.name for p in params]
        # the tangents come before `ans`; a rule without a parameter named
        # `ans` takes one tangent per positional argument of the call
        k = names.index("ans") if "ans" in names else len(s.args)
        pnames = names[k + 1:]
        if sig is not None and k >= len(names):
            raise NoRuleError.at(s.loc, f"the JVP rule {getattr(rule, '__name__', rule)} does "
                                        "not accept this call: it needs a tangent per argument, "
                                        "then `ans`, then the arguments")
        if sig is not None:
            env = bind_env(rule, sig.replace(parameters=params[k + 1:]), s.args, s.kwargs, s.loc)
        else:
            env, pnames = {}, [f"_{i}" for i in range(len(s.args))]
            env.update(zip(pnames, s.args))
        tangents = []
        for pname in pnames[:k]:
            a = env.get(pname)
            t = tan.get(a) if isinstance(a, Var) else None
            tangents.append(t if t is not None else Const(None))
        tangents += [Const(None)] * (k - len(tangents))
        if not any(isinstance(t, Var) or (isinstance(t, Const) and t.value is not None)
                   for t in tangents):
            return None     # active only through arguments the rule does not differentiate
        if src is None:
            t = Var(_hint(s.target))
            out.append(Op(t, rule, tangents + [s.target] + list(s.args), dict(s.kwargs), s.loc))
            return t
        env.update(zip(names[:k], tangents))
        env[names[k]] = s.target
        sub = []
        # (operands of the call hold values, never None: `if x is None` folds)
        nonnull = {t for t in tangents if isinstance(t, Var)} | {
            a for a in list(s.args) + list(s.kwargs.values()) if isinstance(a, Var)}
        result = lower_rule(rule, env, self.fn.structure, sub, s.loc, nonnull=nonnull)
        result = self._tidy(sub, result)
        out.extend(sub)
        if isinstance(result, Const) and result.value is None:
            return None
        # the rule's own variable names mean nothing here (its `dx` is not
        # the user's `dx`): its intermediates are temporaries
        for v in ir.all_defs(sub):
            v.hint = ""
        if isinstance(result, Var) and result in ir.all_defs(sub):
            result.hint = _hint(s.target)
        return result

    def _tidy(self, sub, result):
        """Drop what the kinds make unnecessary in an inlined rule: zeros of
        numbers are ``0.0``; a tangent broadcast against a number is itself."""
        mapping = {}
        keep = []
        for st in sub:
            if isinstance(st, Op) and st.target is not None and not st.kwargs:
                a = [mapping.get(x, x) for x in st.args]
                if st.fn is runtime.zeros_like and self.is_num(a[0]):
                    mapping[st.target] = Const(0.0)
                    continue
                if st.fn is runtime.broadcast_against and self.is_num(a[1]):
                    mapping[st.target] = a[0]
                    continue
            keep.append(st)
        if not mapping:
            return result
        sub[:] = keep
        resolve = ir.substitute(sub, mapping)
        for k, v in list(self.fn.structure.items()):
            if isinstance(v, list) and any(isinstance(x, Var) and x in mapping for x in v):
                self.fn.structure[k] = [resolve(x) for x in v]
        return resolve(result)

    # ------------------------------------------------------------- branches
    def branch(self, s, tan):
        s.body = self.block(s.body, tan)
        s.orelse = self.block(s.orelse, tan)
        for p in list(s.phis):
            if p.var not in self.active or not (p.then in tan or p.orelse in tan):
                continue
            t_then = self.tangent(p.then, tan, s.body, s.loc)
            t_else = self.tangent(p.orelse, tan, s.orelse, s.loc)
            if t_then is t_else or (isinstance(t_then, Const) and t_then == t_else):
                tan[p.var] = t_then
                continue
            dv = Var(_hint(p.var))
            s.phis.append(Phi(dv, t_then, t_else))
            tan[p.var] = dv

    # ---------------------------------------------------------------- loops
    def loop(self, s, tan, out):
        """Add a tangent carry for each active carry; zero inits go to `out`
        (before the loop), zero nexts to the end of the body."""
        act = [c for c in s.carries if c.var in self.active]
        inits = [self.tangent(c.init, tan, out, s.loc) for c in act]
        tvars = []
        for c in act:
            dv = Var(_hint(c.var))
            tan[c.var] = dv
            tvars.append(dv)
        s.cond_body = self.block(s.cond_body, tan)
        s.body = self.block(s.body, tan)
        for c, dv, init in zip(act, tvars, inits):
            nxt = self.tangent(c.next, tan, s.body, s.loc)
            s.carries.append(Carry(dv, init, nxt))
