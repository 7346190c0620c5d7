"""Reverse mode: IR -> adjoint IR (forward sweep, then backward sweep).

Because the IR is in SSA form, the backward sweep is written correctly the
first time: the first contribution to an adjoint *is* the adjoint (no
zero-initialised accumulator), later ones add.  Straight-line code reads the
primal values directly and needs no tape.  A loop overwrites its values, so
the forward sweep appends, once per iteration, exactly the values the
backward body reads (nothing else) to a list, and the backward loop walks that
list in reverse.  Branches are replayed with the same condition.

The output is an ordinary `ir.Function` with the primal's parameters (plus
the output cotangent in vjp mode) returning ``(value, gradients)``.
"""
from __future__ import annotations

import builtins
import operator

from . import ir, rules, runtime
from .activity import active as find_active
from .avals import Array, Map, Num, Seq, concrete, is_numeric, of_operand, UNKNOWN
from .errors import DifferentiationError, no_rule
from .infer import infer_block
from .ir import Var, Const, Op, If, Loop, Carry, Phi
from . import inline, simplify


def reverse(fn: ir.Function, wrt: list, seed_param=False, output="both",
            wrap_single=False) -> ir.Function:
    """The adjoint of `fn` w.r.t. the parameters at positions `wrt`.  The
    result returns ``(value, gradients)`` (output="both") or the gradients
    alone (output="grads"); gradients are one value for one `wrt`, else a
    tuple (also for one `wrt` when `wrap_single`).  `fn.avals` (the
    primal's, infer.py) say what the values are; the result's `avals` hold
    them and those of the values the backward sweep restores from tapes."""
    fn = ir.copy_function(fn)
    wrt_vars = [fn.params[i] for i in wrt]
    r = Reverser(fn, wrt_vars)
    adj = {}
    params = list(fn.params)
    if seed_param:
        seed = Var("b" + (fn.ret.hint if isinstance(fn.ret, Var) and fn.ret.hint else "out"))
        params.insert(0, seed)
    else:
        seed = Const(1.0)
    if isinstance(fn.ret, Var) and fn.ret in r.active:
        adj[fn.ret] = seed
    fwd, bwd = r.block(fn.body, adj)
    for st in bwd:
        st.backward = True
    grads = [r.gradient(p, adj, bwd) for p in wrt_vars]
    out_block = fwd + bwd
    if len(grads) == 1 and not wrap_single:
        g = grads[0]
    else:
        g = Var("grads")
        out_block.append(Op(g, runtime.make_tuple, grads))
    if output == "grads":
        result = g
    else:
        result = Var("result")
        out_block.append(Op(result, runtime.make_tuple, [fn.ret, g]))
    return ir.Function(fn.name, params, out_block, result, param_names=fn.param_names,
                       origin=fn.origin, structure=fn.structure, value=fn.ret,
                       grad_vars=grads, avals=r.avals)


class Reverser:
    def __init__(self, fn, wrt_vars):
        self.fn = fn
        # what the values are: the primal's, then the adjoints' and the
        # values restored from tapes, as they are made (loop bodies are
        # simplified before taping, so that only what they read is saved)
        self.avals = dict(fn.avals)
        # elements of unpacked container parameters (lower.unpack_param)
        self.exploded = {}
        explode_ops = [s for s in fn.body if isinstance(s, Op) and s.explode is not None]
        for s in explode_ops:
            self.exploded[s.args[0]] = fn.structure.get(s.args[0])
        self.defined = ir.all_defs(fn.body) | set(fn.params)
        seeds = list(wrt_vars)
        for s in explode_ops:      # an element of an input is an input
            if s.args[0] in seeds:
                seeds.append(s.target)
        self.active = find_active(fn, seeds)

    # ------------------------------------------------------------ adjoints
    def acc(self, adj, var, contrib, block, loc=None):
        """Add `contrib` to the adjoint of `var` (the first one assigns)."""
        if not isinstance(var, Var) or var not in self.active:
            return
        if isinstance(contrib, Const) and contrib.value is None:
            return
        name = "b" + var.hint if var.hint else ""
        if var not in adj:
            if isinstance(contrib, Var) and not contrib.hint:
                contrib.hint = name
            adj[var] = contrib
            return
        total = Var(name)
        scatter = self.scatter_into(var, contrib, block)
        if scatter is not None:
            # one element's adjoint: added at its index, not as a whole list
            # of zeros (the adjoint of a list is a list of its length)
            block.append(Op(total, runtime.add_at, [adj[var], scatter.args[2], scatter.args[0]],
                            {}, loc))
        else:
            fn = operator.add if is_numeric(self.aval(var)) else runtime.add
            block.append(Op(total, fn, [adj[var], contrib], {}, loc))
        adj[var] = total

    def scatter_into(self, var, contrib, block):
        """The ``index_adjoint(g, var, i)`` op that made `contrib`, when `var`
        is a list (whose adjoint is a list of the same length)."""
        a = self.aval(var)
        if not (isinstance(a, Seq) and a.type is list) or not isinstance(contrib, Var):
            return None
        for s in reversed(block[-8:]):
            if isinstance(s, Op) and s.target is contrib:
                if s.fn is runtime.index_adjoint and len(s.args) == 3 and not s.kwargs \
                        and s.args[1] is var:
                    return s
                return None
        return None

    def gradient(self, var, adj, block):
        """The adjoint of an input: for an unpacked container parameter, the
        container of its elements' adjoints (plus any adjoint the container
        got as a whole, e.g. from params[i] with a run-time i)."""
        elts = self.exploded.get(var)
        if elts is None:
            if var not in adj:
                return self.zero(var, block)
            a = self.aval(var)
            if isinstance(a, Array) or (isinstance(a, Num) and a.type is float):
                # (in the argument's type and dtype: a 0-d array gets a 0-d
                # array, float32 stays float32, a float a float; simplify
                # drops this where it is so already)
                out = Var(adj[var].hint if isinstance(adj[var], Var) else "")
                block.append(Op(out, runtime.like, [adj[var], var]))
                return out
            return adj[var]
        keys = list(elts) if isinstance(elts, dict) else range(len(elts))
        parts = [self.element_gradient(var, k, adj, block) for k in keys]
        if isinstance(elts, dict):
            whole = Var("b" + var.hint if var.hint else "")
            block.append(Op(whole, runtime.make_dict, [Const(tuple(elts))] + parts))
        else:
            whole = Var("b" + var.hint if var.hint else "")
            a = self.aval(var)
            maker = runtime.make_tuple if isinstance(a, Seq) and a.type is tuple \
                else runtime.make_list
            block.append(Op(whole, maker, parts))
        if var in adj:
            total = Var(whole.hint)
            block.append(Op(total, runtime.add, [whole, adj[var]]))
            return total
        return whole

    def element_gradient(self, var, key, adj, block):
        """The adjoint of element `key` of a container parameter; an element
        the function never reads (its unpacking was dead code) gets zeros
        made from a fresh read of it."""
        e = self.exploded[var][key]
        if e in adj or e in self.exploded or e in self.defined:
            return self.gradient(e, adj, block)
        a = self.aval(var)
        elt = a.element(key) if isinstance(a, (Seq, Map)) else UNKNOWN
        if isinstance(concrete(elt), Num):
            return Const(0.0)
        read = Var()
        block.append(Op(read, operator.getitem, [var, Const(key)]))
        z = Var()
        block.append(Op(z, runtime.zeros_like, [read]))
        return z

    def aval(self, o):
        return concrete(of_operand(o, self.avals))

    def zero(self, var, block, loc=None):
        if isinstance(self.aval(var), Num):
            return Const(0.0)
        z = Var("b" + var.hint if var.hint else "")
        block.append(Op(z, runtime.zeros_like, [var], {}, loc))
        return z

    # -------------------------------------------------------------- blocks
    def block(self, stmts, adj):
        """(forward sweep, backward sweep) of a statement list; `adj` maps
        primal Vars to their adjoint operands and is updated in place."""
        fwd = list(stmts)
        bwd = []
        for i in range(len(stmts) - 1, -1, -1):
            s = stmts[i]
            if isinstance(s, Op):
                self.op(s, adj, bwd)
            elif isinstance(s, If):
                self.branch(s, adj, bwd)
            elif isinstance(s, Loop):
                prologue = self.loop(s, adj, bwd)
                fwd[i:i + 1] = prologue + [s]
        return fwd, bwd

    def op(self, s, adj, bwd):
        if s.target is None or s.target not in adj or s.target not in self.active:
            return
        if s.explode is not None:
            return   # the element's adjoint is collected by `gradient`
        g = adj[s.target]
        if s.fn is runtime.make_tuple or s.fn is runtime.make_list:
            for k, a in enumerate(s.args):
                if isinstance(a, Var) and a in self.active:
                    self.acc(adj, a, self.element(g, k, bwd, s.loc), bwd, s.loc)
            return
        if s.fn is runtime.make_dict:
            for key, a in zip(s.args[0].value, s.args[1:]):
                if isinstance(a, Var) and a in self.active:
                    self.acc(adj, a, self.element(g, key, bwd, s.loc), bwd, s.loc)
            return
        if s.fn is operator.add and len(s.args) == 2 and any(
                isinstance(self.aval(a), Seq) or (isinstance(a, Var) and isinstance(
                    self.fn.structure.get(a), list)) for a in s.args):
            # xs + ys concatenates: each operand's adjoint is its part of g
            x, y = s.args
            n, head, tail = Var(), Var(), Var()
            gx, gy = Var(), Var()
            bwd += [Op(n, len, [x], {}, s.loc),
                    Op(head, builtins.slice, [Const(None), n], {}, s.loc),
                    Op(tail, builtins.slice, [n, Const(None)], {}, s.loc),
                    Op(gx, operator.getitem, [g, head], {}, s.loc),
                    Op(gy, operator.getitem, [g, tail], {}, s.loc)]
            self.acc(adj, x, gx, bwd, s.loc)
            self.acc(adj, y, gy, bwd, s.loc)
            return
        rule = rules.vjp_rule(s.fn)
        if rule is None:
            raise no_rule(s.loc, s.fn)
        contribs = self.inline_rule(rule, s, g, bwd)
        for a, c in contribs:
            self.acc(adj, a, c, bwd, s.loc)

    def element(self, g, key, block, loc):
        elts = self.fn.structure.get(g) if isinstance(g, Var) else None
        if elts is not None:
            if isinstance(elts, dict) and key in elts:
                return elts[key]
            if isinstance(elts, list) and isinstance(key, int) and key < len(elts):
                return elts[key]
        v = Var()
        block.append(Op(v, operator.getitem, [g, Const(key)], {}, loc))
        return v

    def inline_rule(self, rule, s, g, block):
        """Lower the rule's source with the call's operands; return
        [(primal operand, contribution operand)] for each positional param.
        A rule without readable source (a lambda, a C function) is called."""
        try:
            src, sig = inline.rule_source(rule)
        except DifferentiationError:
            return self.call_rule(rule, s, g, block)
        env = inline.bind_env(rule, sig, [g, s.target, *s.args], s.kwargs, s.loc)
        # operands passed to the call are values, not None: `if base is None`
        # in a rule is decided now
        nonnull = {o for o in list(s.args) + list(s.kwargs.values()) + [g, s.target]
                   if isinstance(o, Var)}
        start = len(block)
        result = inline.lower_rule(rule, env, self.fn.structure, block, s.loc, nonnull=nonnull)
        # the rule's own variable names mean nothing in the user's code
        for v in ir.all_defs(block[start:]):
            v.hint = ""
        elts = inline.elements(result, self.fn.structure)
        return [(env[name], c) for name, c in zip(list(sig.parameters)[2:], elts)]

    def call_rule(self, rule, s, g, block):
        out = Var()
        block.append(Op(out, rule, [g, s.target] + list(s.args), dict(s.kwargs), s.loc))
        n = sum(1 for a in s.args)
        if n == 1:
            return [(s.args[0], out)]
        pairs = []
        for k, a in enumerate(s.args):
            e = Var()
            block.append(Op(e, operator.getitem, [out, Const(k)], {}, s.loc))
            pairs.append((a, e))
        return pairs

    # ------------------------------------------------------------ branches
    def branch(self, s, adj, bwd):
        if not any(p.var in self.active and p.var in adj for p in s.phis):
            return
        local = ir.all_defs(s.body) | ir.all_defs(s.orelse)
        sides = []
        for body, pick in ((s.body, 0), (s.orelse, 1)):
            a = dict(adj)
            blk = []
            for p in s.phis:
                if p.var in adj and p.var in self.active:
                    self.acc(a, (p.then, p.orelse)[pick], adj[p.var], blk, s.loc)
            fwd, back = self.block(body, a)
            body[:] = fwd
            sides.append((a, blk + back))
        (a_then, b_then), (a_else, b_else) = sides
        phis = []
        changed = [v for v in list(a_then) + list(a_else)
                   if v not in local and (a_then.get(v) is not adj.get(v) or a_else.get(v) is not adj.get(v))]
        seen = set()
        for v in changed:
            if v in seen or v in {p.var for p in s.phis}:
                continue
            seen.add(v)
            t = a_then.get(v) or self.zero(v, b_then, s.loc)
            e = a_else.get(v) or self.zero(v, b_else, s.loc)
            j = Var("b" + v.hint if v.hint else "")
            phis.append(Phi(j, t, e))
            adj[v] = j
        bwd.append(If(s.cond, b_then, b_else, phis, s.loc))

    # --------------------------------------------------------------- loops
    def loop(self, s, adj, bwd):
        """Emit the backward loop into `bwd`; return statements the forward
        sweep needs before the loop (the tape), and add taping to `s`."""
        act_carries = [c for c in s.carries if c.var in self.active]
        if not act_carries:
            return []
        # (a while loop's condition is computed anew every iteration too, and
        # the body may read its values: CSE merges `2 * k + 1` of both)
        cond_defs = ir.all_defs(s.cond_body or [])
        body_defs = ir.all_defs(s.body) | set(ir.loop_targets(s)) | {c.var for c in s.carries} \
            | cond_defs
        outer = [v for v in _reads_in_order(s.body, s.carries)
                 if v in self.active and v not in body_defs]
        adj_body = {}
        carry_adj = {}
        head = []
        for c in act_carries:
            bc = Var("b" + c.var.hint if c.var.hint else "")
            carry_adj[c] = bc
        for v in outer:
            bv = Var("b" + v.hint if v.hint else "")
            carry_adj[v] = bv
            adj_body[v] = bv
        for c in act_carries:
            self.acc(adj_body, c.next, carry_adj[c], head, s.loc)
        fwd_body, back = self.block(s.body, adj_body)
        back = head + back
        # (recomputed: the body's forward sweep now also defines inner tapes)
        body_defs = ir.all_defs(fwd_body) | set(ir.loop_targets(s)) | {c.var for c in s.carries} \
            | cond_defs
        nexts = {}
        for c in act_carries:
            nexts[c] = adj_body.get(c.var) or self.zero(c.var, back, s.loc)
        for v in outer:
            nexts[v] = adj_body[v]
        # simplify now, so that only what the simplified backward body reads
        # is taped (e.g. no value kept just for an `unbroadcast` of floats)
        for c in act_carries:
            self.avals.setdefault(carry_adj[c], self.avals.get(c.var, UNKNOWN))
        for v in outer:
            self.avals.setdefault(carry_adj[v], self.avals.get(v, UNKNOWN))
        infer_block(back, self.avals)
        mapping = {}
        simplify.rewrite_block(back, mapping, simplify.Facts(self.avals), {})
        nexts = {k: simplify._resolve(v, mapping) for k, v in nexts.items()}
        # keep only the backward statements that compute the carried adjoints
        back = simplify.dce_block(back, set(o for o in nexts.values() if isinstance(o, Var)))
        needed = [v for v in _reads(back) | _ops(nexts.values()) if v in body_defs]
        # (in the order the forward body defines them: the inner loops'
        # tapes included, so the tape entries are laid out the same way
        # every time)
        needed = sorted(set(needed), key=_def_order(s, fwd_body))
        needed, recomputed = _rematerialise(s, fwd_body, needed, body_defs, self.avals)
        prologue = []
        s.body = fwd_body
        if needed:
            exported = [_export(s.body, v) for v in needed]
            tape = Var("tape")
            prologue.append(Op(tape, runtime.make_list, [], {}, s.loc))
            s.body.append(Op(None, runtime.tape_push, [tape] + exported, {}, s.loc))
            restored = [Var(v.hint) for v in needed]
            for v, r in zip(needed, restored):
                self.avals[r] = self.avals.get(v, UNKNOWN)
            mapping = dict(zip(needed, restored))
            again = []
            for st in recomputed:
                r = Var(st.target.hint)
                self.avals[r] = self.avals.get(st.target, UNKNOWN)
                again.append(Op(r, st.fn, list(st.args), {}, st.loc))
                mapping[st.target] = r
            back[:0] = again
            ir.substitute(back, mapping)
            nexts = {k: mapping.get(v, v) if isinstance(v, Var) else v for k, v in nexts.items()}
            it = Var()
            bwd.append(Op(it, reversed, [tape], {}, s.loc))
            target = restored if len(restored) > 1 else restored[0]
        else:
            if s.iter is not None and s.exit_flag is None:
                it = s.iter
            else:
                count = Var("n_iter")
                nxt = Var("n_iter")
                s.body.append(Op(nxt, operator.add, [count, Const(1)], {}, s.loc))
                s.carries.append(Carry(count, Const(0), nxt))
                it = Var()
                bwd.append(Op(it, range, [count], {}, s.loc))
            target = Var("_")
        carries = []
        for c in act_carries:
            init = adj.get(c.var) or self.zero(c.var, bwd, s.loc)
            carries.append(Carry(carry_adj[c], init, nexts[c]))
        for v in outer:
            init = adj.get(v) or self.zero(v, bwd, s.loc)
            carries.append(Carry(carry_adj[v], init, nexts[v]))
        bwd.append(Loop(back, carries, target, it, loc=s.loc))
        for v in outer:
            adj[v] = carry_adj[v]
        for c in act_carries:
            self.acc(adj, c.init, carry_adj[c], bwd, s.loc)
        return prologue


_RECOMPUTED = (operator.add, operator.sub, operator.mul)


def _rematerialise(loop, body, needed, body_defs, avals):
    """(what to tape, ops to recompute in the backward loop instead): the
    integer arithmetic of the loop counter and of values from before the
    loop (``2 * j + 1``, ``i - 1``) costs less to compute again than to
    tape and unpack.  The counter is taped in its place.  Such an op can
    neither fail nor differ (ints), so it is recomputed unconditionally,
    also where the forward sweep computed it in one branch only."""
    targets = set(ir.loop_targets(loop))
    carried = {c.var for c in loop.carries}
    ops = {}

    def collect(block):         # (not inside inner loops: their values are taped there)
        for st in block:
            if isinstance(st, Op) and st.target is not None:
                ops[st.target] = st
            elif isinstance(st, If):
                collect(st.body)
                collect(st.orelse)
    collect(body)

    def is_int(o):
        a = concrete(of_operand(o, avals))
        return isinstance(a, Num) and a.kind in "iu" and a.type is not None

    cheap = {}

    def available(o):
        if isinstance(o, Const):
            return type(o.value) is int
        if not isinstance(o, Var) or not is_int(o) or o in carried:
            return False
        return o in targets or o not in body_defs or o in cheap
    order = _def_order(loop, body)
    for v in sorted(ops, key=order):
        st = ops[v]
        if st.fn in _RECOMPUTED and len(st.args) == 2 and not st.kwargs and is_int(v) \
                and all(available(a) for a in st.args):
            cheap[v] = st
    if not any(v in cheap for v in needed):
        return needed, []
    # the recomputed values the backward loop reads, and those they need
    wanted, todo = set(), [v for v in needed if v in cheap]
    while todo:
        v = todo.pop()
        if v in wanted:
            continue
        wanted.add(v)
        todo.extend(a for a in cheap[v].args if isinstance(a, Var) and a in cheap)
    taped = [v for v in needed if v not in cheap]
    for v in wanted:
        taped.extend(a for a in cheap[v].args if isinstance(a, Var) and a in targets)
    taped = sorted(set(taped), key=order)
    return taped, [cheap[v] for v in sorted(wanted, key=order)]


def _ops(values):
    return {v for v in values if isinstance(v, Var)}


def _reads_in_order(block, carries=()):
    """`_reads`, in the order they are first read (the adjoints made for
    them are then laid out in a deterministic order)."""
    seen = {}
    for st in ir.walk(block):
        for o in ir.all_operands(st):
            if isinstance(o, Var):
                seen.setdefault(o, None)
    for c in carries:
        if isinstance(c.next, Var):
            seen.setdefault(c.next, None)
    return list(seen)


def _reads(block, carries=()):
    """The Vars read in `block`, and the carries' next values."""
    used = set(ir.uses(block))
    for c in carries:
        if isinstance(c.next, Var):
            used.add(c.next)
    return used


def _def_order(loop, body=None):
    order = {}
    for c in loop.carries:
        order.setdefault(c.var, len(order))
    for t in ir.loop_targets(loop):
        order.setdefault(t, len(order))
    for st in ir.walk(loop.body if body is None else body):
        for d in ir.defs_of(st):
            order.setdefault(d, len(order))
    return lambda v: order.get(v, len(order))


def _export(block, var):
    """An operand equal to `var` at the end of `block`: `var` itself if it is
    defined at this level, else a phi that carries it out of the `if` that
    defines it (None on the other branch)."""
    for s in block:
        if var in ir.defs_of(s) or (isinstance(s, Loop) and var in ir.loop_targets(s)):
            return var
    for s in block:
        if isinstance(s, If):
            for side in (0, 1):
                branch = s.body if side == 0 else s.orelse
                if var in ir.all_defs(branch):
                    inner = _export(branch, var)
                    v = Var(var.hint)
                    s.phis.append(Phi(v, inner, Const(None)) if side == 0 else Phi(v, Const(None), inner))
                    return v
    return var

