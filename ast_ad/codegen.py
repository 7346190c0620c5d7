"""IR -> gast.  With emit.py, the only module that knows gast's node layout.

One IR operation becomes one line.  Calls are printed by the canonical name
of the callable (``np.sin``, ``math.cos``, ``_ad.unbroadcast``) through module
aliases bound when the code is compiled; data globals of the user's module
are printed as the bare global name, so the generated code reads them live.
"""
from __future__ import annotations

import builtins
import math
import operator
import types

import gast
import numpy as np

from . import inplace, ir, primitives, rules, runtime
from .avals import (Array, GENERATORS, STATIC_VALUES, Known, Map, Num, Other, Seq, UNKNOWN,
                    concrete, is_generator_method, of_value)
from .ir import Var, Const, Op, If, Loop
from .naming import Namer

# callable -> gast node class of its syntax (primitives.py)
BINARY = {**primitives.to_syntax("binary"),
          runtime.repeat_sequence: gast.Mult}         # (xs * n, a list repeated)
UNARY = primitives.to_syntax("unary")
COMPARE = primitives.to_syntax("compare")
# module -> preferred alias; submodules are reached through their parent
MODULES = [(np, "np"), (math, "math"), (runtime, "_ad")]
SUBMODULES = {np: ["linalg", "random", "fft"]}
# On small arrays NumPy's reduction functions spend most of their time in the
# Python wrapper around the ufunc reduction; on an ndarray the method does the
# same reduction without it (np.sum(x, axis=1) == x.sum(axis=1), ~2 us less).
# The lowering maps the methods back (lower.METHODS), so the generated code
# stays differentiable.
REDUCTION_METHODS = {np.sum: "sum", np.mean: "mean", np.max: "max", np.min: "min",
                     np.prod: "prod"}


def _name(id_, store=False):
    return gast.Name(id=id_, ctx=gast.Store() if store else gast.Load(), annotation=None,
                     type_comment=None)


def _const(v):
    return gast.Constant(value=v, kind=None)


class CodeGen:
    """Turns one `ir.Function` into a gast FunctionDef."""

    def __init__(self, fn: ir.Function, func_name: str, globals_dict=None, fold=False,
                 numba=False):
        self.fn = fn
        self.fold = fold        # fold single-use temporaries into their use
        self.numba = numba      # print in the subset Numba compiles (jit.py)
        self.fold_ok = set()
        self.no_fold = set()    # names shared by several values (see _coalesce_phis)
        self.mutates = {}       # id(statement) -> the name it updates in place
        self.globals_dict = globals_dict or {}
        self.aliases = {}       # identifier -> object, bound at compile time
        self.alias_of = {}      # id(object) -> identifier
        self.comments = []      # texts for the `# ...` lines (see emit.py)
        self.inline = {}        # Var -> gast expr printed at its uses
        ops = [s for s in ir.walk(fn.body) if isinstance(s, Op)]
        self.use_count = {}
        for s in ir.walk(fn.body):
            for o in ir.all_operands(s):
                if isinstance(o, Var):
                    self.use_count[o] = self.use_count.get(o, 0) + 1
        if isinstance(fn.ret, Var):
            self.use_count[fn.ret] = self.use_count.get(fn.ret, 0) + 1
        self.direct_loops = self._find_direct_loops(fn)
        self.inplace, self.shared_names, self.copied_inits = inplace.plan(fn, self.use_count)
        # the value an update printed in place makes -> the value it updates
        self.updated_from = {s.target: s.args[0] for s in ops
                             if id(s) in self.inplace and s.target is not None}
        # value -> the values that may be views of it (see _sharing)
        self.views = {}
        for s in ir.walk(fn.body):
            if isinstance(s, Op) and s.fn in inplace.VIEWS and s.args \
                    and isinstance(s.args[0], Var) and s.target is not None:
                self.views.setdefault(s.args[0], []).append(s.target)
        # index builders and loop iterables may be printed where they are used
        self.inline_ok = set()
        for s in ir.walk(fn.body):
            if isinstance(s, Op) and s.fn is operator.getitem and isinstance(s.args[1], Var):
                self.inline_ok.add(s.args[1])
            elif isinstance(s, Loop) and isinstance(s.iter, Var):
                self.inline_ok.add(s.iter)
        reserved = set(fn.param_names)
        namer = self.namer = Namer(reserved)
        for p, n in zip(fn.params, fn.param_names if len(fn.param_names) == len(fn.params)
                        else [p.hint for p in fn.params]):
            namer.fixed(p, n)
        for s in ops:
            if s.fn is runtime.global_value:
                namer.fixed(s.target, s.args[0].value)
            elif _builtin_name(s.fn):
                namer.reserve(_builtin_name(s.fn))
        for builtin in ("list", "dict"):     # (copies of carried containers use them)
            namer.reserve(builtin)
        # the function's own name must not hide a global it reads
        self.func_name = namer.fresh(func_name)

    def _find_direct_loops(self, fn):
        """Loops lowered as ``for k in range(len(xs)): v = xs[k]`` where `k` is
        read only there print as ``for v in xs:`` (faster and what the user
        wrote).  Returns {loop: (v, xs)}; the ops it replaces are skipped."""
        defs = {}
        for st in ir.walk(fn.body):
            if isinstance(st, Op) and st.target is not None:
                defs[st.target] = st
        self.skipped = set()
        out = {}
        for st in ir.walk(fn.body):
            if not (isinstance(st, Loop) and isinstance(st.iter, Var) and isinstance(st.target, Var)):
                continue
            rng = defs.get(st.iter)
            if rng is None or rng.fn is not range or len(rng.args) != 1 or rng.kwargs \
                    or self.use_count.get(st.iter) != 1 or not isinstance(rng.args[0], Var):
                continue
            ln = defs.get(rng.args[0])
            if ln is None or ln.fn is not len or self.use_count.get(rng.args[0]) != 1:
                continue
            seq = ln.args[0]
            first = st.body[0] if st.body else None
            if not (isinstance(first, Op) and first.fn is operator.getitem
                    and first.args == [seq, st.target] and first.target is not None
                    and self.use_count.get(st.target) == 1):
                continue
            if seq in {c.var for c in st.carries}:
                continue
            out[st] = (first.target, seq)
            self.skipped.update({id(rng), id(ln), id(first)})
        return out

    # -------------------------------------------------------------- names
    def var(self, o, store=False):
        if not store and o in self.inline:
            return self.inline[o]
        return _name(self.namer.name(o), store)

    def alias(self, obj, hint):
        key = id(obj)
        if key not in self.alias_of:
            ident = self.namer.fresh(hint)
            self.alias_of[key] = ident
            self.aliases[ident] = obj
        return _name(self.alias_of[key])

    def callee(self, fn):
        b = _builtin_name(fn)
        if b:
            return _name(b)
        if isinstance(getattr(fn, "__self__", None), GENERATORS) \
                and getattr(np.random, fn.__name__, None) is not fn:
            # rng.normal: the method of the user's generator
            return gast.Attribute(value=self.alias(fn.__self__, "rng"), attr=fn.__name__,
                                  ctx=gast.Load())
        if fn in runtime.EINSUMS.values():
            fn = np.einsum          # (one rule per number of operands; the call is einsum's)
        name = getattr(fn, "__name__", None)
        for module, hint in MODULES:
            if name and getattr(module, name, None) is fn:
                return gast.Attribute(value=self.alias(module, hint), attr=name, ctx=gast.Load())
            for sub in SUBMODULES.get(module, []):
                if name and getattr(getattr(module, sub), name, None) is fn:
                    return gast.Attribute(
                        value=gast.Attribute(value=self.alias(module, hint), attr=sub,
                                             ctx=gast.Load()),
                        attr=name, ctx=gast.Load())
        if isinstance(fn, type) and getattr(np, fn.__name__, None) is fn:
            return gast.Attribute(value=self.alias(np, "np"), attr=fn.__name__, ctx=gast.Load())
        return self.alias(fn, _ident_hint(fn))

    # ---------------------------------------------------------- operands
    def operand(self, o):
        if isinstance(o, Var):
            return self.var(o)
        return self.const(o.value)

    def const(self, v):
        if v is None or isinstance(v, (bool, int, str)):
            return _const(v)
        if isinstance(v, float):
            if v != v or v in (float("inf"), float("-inf")):
                return gast.Call(func=_name("float"), args=[_const(repr(v))], keywords=[])
            if v < 0:
                return gast.UnaryOp(op=gast.USub(), operand=_const(-v))
            return _const(v)
        if isinstance(v, tuple):
            return gast.Tuple(elts=[self.const(e) for e in v], ctx=gast.Load())
        if isinstance(v, slice):
            return gast.Call(func=_name("slice"),
                             args=[self.const(v.start), self.const(v.stop), self.const(v.step)],
                             keywords=[])
        if isinstance(v, types.ModuleType):
            for module, hint in MODULES:
                if v is module:
                    return self.alias(module, hint)
        if v is Ellipsis:
            return _const(Ellipsis)
        if isinstance(v, type) and getattr(np, v.__name__, None) is v:
            return gast.Attribute(value=self.alias(np, "np"), attr=v.__name__, ctx=gast.Load())
        return self.alias(v, _ident_hint(v))

    def index(self, o):
        """An index operand printed as subscript syntax (x[1:4, None])."""
        if isinstance(o, Const):
            v = o.value
            if isinstance(v, slice):
                return gast.Slice(lower=None if v.start is None else self.const(v.start),
                                  upper=None if v.stop is None else self.const(v.stop),
                                  step=None if v.step is None else self.const(v.step))
            if isinstance(v, tuple):
                return gast.Tuple(elts=[self.index(Const(e)) for e in v], ctx=gast.Load())
        return self.operand(o)

    # -------------------------------------------------------- expressions
    def expr(self, s: Op):
        f, a = s.fn, s.args
        if f in BINARY and len(a) == 2 and not s.kwargs:
            return gast.BinOp(left=self.operand(a[0]), op=BINARY[f](), right=self.operand(a[1]))
        if f in UNARY and len(a) == 1:
            return gast.UnaryOp(op=UNARY[f](), operand=self.operand(a[0]))
        if f in COMPARE and len(a) == 2:
            return gast.Compare(left=self.operand(a[0]), ops=[COMPARE[f]()],
                                comparators=[self.operand(a[1])])
        if f is operator.getitem:
            return gast.Subscript(value=self.operand(a[0]), slice=self.index(a[1]),
                                  ctx=gast.Load())
        if f is runtime.make_tuple:
            return gast.Tuple(elts=[self.operand(x) for x in a], ctx=gast.Load())
        if f is runtime.make_list:
            return gast.List(elts=[self.operand(x) for x in a], ctx=gast.Load())
        if f is runtime.make_dict:
            return gast.Dict(keys=[self.const(k) for k in a[0].value],
                             values=[self.operand(x) for x in a[1:]])
        if f is np.transpose and len(a) == 1 and not s.kwargs:
            return gast.Attribute(value=self.operand(a[0]), attr="T", ctx=gast.Load())
        if f in REDUCTION_METHODS and a and self._is_ndarray(a[0]):
            return gast.Call(func=gast.Attribute(value=self.operand(a[0]),
                                                 attr=REDUCTION_METHODS[f], ctx=gast.Load()),
                             args=[self.operand(x) for x in a[1:]],
                             keywords=[gast.keyword(arg=k, value=self.operand(v))
                                       for k, v in s.kwargs.items()])
        if f is getattr and len(a) == 2 and isinstance(a[1], Const) \
                and isinstance(a[1].value, str) and a[1].value.isidentifier():
            return gast.Attribute(value=self.operand(a[0]), attr=a[1].value, ctx=gast.Load())
        if is_generator_method(f) and a:
            # (a generator's method, called on a generator made in the function)
            return gast.Call(func=gast.Attribute(value=self.operand(a[0]), attr=f.__name__,
                                                 ctx=gast.Load()),
                             args=[self.operand(x) for x in a[1:]],
                             keywords=[gast.keyword(arg=k, value=self.operand(v))
                                       for k, v in s.kwargs.items()])
        if f is builtins.slice and not s.kwargs:
            return gast.Call(func=_name("slice"), args=[self.operand(x) for x in a], keywords=[])
        if f is reversed and self.numba and len(a) == 1:
            # (Numba has no reversed() of a list: the tape read backwards)
            return gast.Subscript(value=self.operand(a[0]), slice=gast.Slice(
                lower=None, upper=None, step=self.const(-1)), ctx=gast.Load())
        return gast.Call(func=self.callee(f), args=[self.operand(x) for x in a],
                         keywords=[gast.keyword(arg=k, value=self.operand(v))
                                   for k, v in s.kwargs.items()])

    def _is_ndarray(self, o):
        """Known (from the avals) to be an ndarray at run time."""
        return isinstance(o, Var) and isinstance(concrete(self.fn.avals.get(o, UNKNOWN)), Array)

    # --------------------------------------------------------- statements
    def assign(self, var, value):
        return gast.Assign(targets=[self.var(var, store=True)], value=value, type_comment=None)

    def block(self, stmts, comment_from=None):
        out = []
        last_line = None
        for i, s in enumerate(stmts):
            if comment_from is not None and i >= comment_from:
                loc = getattr(s, "loc", None)
                if loc is not None and (loc.filename, loc.lineno) != last_line:
                    last_line = (loc.filename, loc.lineno)
                    out.append(self.comment(f"grad of: {loc.line.strip()}"))
            made = self.stmt(s, comment_from is not None and i >= comment_from)
            for st in made:
                # (which user line each generated line comes from: errors
                # raised by the generated code point there, see compile.py)
                st._ast_ad_loc = s.loc
            out.extend(made)
        return _fold_temporaries(out, self.fold_ok, self.mutates) if self.fold else out

    def stmt(self, s, backward=False):
        if isinstance(s, Op):
            if s.fn is runtime.global_value or id(s) in self.skipped:
                return []
            if s.target is not None and self._inlinable(s):
                self.inline[s.target] = self.expr(s)
                return []
            if id(s) in self.inplace:
                return self.update_in_place(s)
            if s.fn is runtime.tape_push:
                vals = [self.operand(x) for x in s.args[1:]]
                item = vals[0] if len(vals) == 1 else gast.Tuple(elts=vals, ctx=gast.Load())
                call = gast.Call(func=gast.Attribute(value=self.operand(s.args[0]), attr="append",
                                                     ctx=gast.Load()), args=[item], keywords=[])
                return [gast.Expr(value=call)]
            if s.fn is runtime.raise_exception:
                return [gast.Raise(exc=self.operand(s.args[0]), cause=None)]
            if s.target is None or (self.use_count.get(s.target, 0) == 0
                                    and rules.has_effects(s.fn)):
                return [gast.Expr(value=self.expr(s))]    # (print(...), a draw never read)
            if self.use_count.get(s.target, 0) == 1 and (
                    s.fn in (runtime.make_tuple, runtime.make_list) or (
                        not s.target.hint
                        and getattr(s.fn, "__module__", None) != runtime.__name__)):
                # (calls of runtime helpers stay on their own line: nested
                # inside each other they are hard to read)
                if self.namer.name(s.target) not in self.no_fold:
                    self.fold_ok.add(self.namer.name(s.target))
            return [self.assign(s.target, self.expr(s))]
        if isinstance(s, If):
            self._coalesce_phis(s)
            body = self.block(s.body, 0 if backward else None) + \
                self.phi_assigns(s.phis, 0)
            orelse = self.block(s.orelse, 0 if backward else None) + self.phi_assigns(s.phis, 1)
            test = self.operand(s.cond)
            if not body:
                if not orelse:
                    return []
                body, orelse = orelse, []
                test = gast.UnaryOp(op=gast.Not(), operand=test)
            return [gast.If(test=test, body=body, orelse=orelse)]
        if isinstance(s, Loop):
            return self.loop(s, backward)
        raise TypeError(s)

    def _inlinable(self, s):
        """Index builders and `reversed(...)` used once are printed at their
        use (x[i:j], not `_t = slice(i, j, None)` then x[_t])."""
        return (s.target in self.inline_ok and self.use_count.get(s.target, 0) == 1
                and s.fn in (builtins.slice, runtime.make_tuple, reversed, range))

    def _coalesce_phis(self, s):
        """``y = np.sin(x)`` then ``y_1 = y`` at the end of a branch becomes
        ``y_1 = np.sin(x)``: a value made in a branch and read nowhere but
        there takes the name of the phi it flows into (each phi at most one
        value per branch; a value read after the `if` keeps its own name).
        A phi of one object, updated in place on one side or both, keeps
        that object's name: ``acc[i] = v`` in a branch, no ``acc_1 = acc``."""
        for p in s.phis:
            root = self._updated_object(p.then)
            if p.var not in self.namer.names and isinstance(root, Var) \
                    and root is self._updated_object(p.orelse):
                self.namer.names[p.var] = self.namer.name(root)
                self.no_fold.add(self.namer.name(root))
                self.fold_ok.discard(self.namer.name(root))
        for branch, side in ((s.body, "then"), (s.orelse, "orelse")):
            inside = {}
            for st in ir.walk(branch):
                for o in ir.all_operands(st):
                    if isinstance(o, Var):
                        inside[o] = inside.get(o, 0) + 1
            made = {t for st in branch for t in ir.defs_of(st)}
            taken = set()
            for p in s.phis:
                src = getattr(p, side)
                if not isinstance(src, Var) or src not in made or src in self.namer.names \
                        or src in taken or any(getattr(q, side) is src for q in s.phis
                                               if q is not p):
                    continue
                # every read of src is in the branch, or is this phi
                if self.use_count.get(src, 0) != inside.get(src, 0) + 1:
                    continue
                # an update printed in place prints under the name of the
                # object it updates: that object, if made here and read only
                # here, is what takes the phi's name (no ``y_1 = _t3``)
                versions = [src]
                while versions[-1] in self.updated_from:
                    versions.append(self.updated_from[versions[-1]])
                root = versions[-1]
                if root is not src and (
                        not isinstance(root, Var) or root not in made or root in self.namer.names
                        or any(self.use_count.get(v, 0) != inside.get(v, 0)
                               for v in versions[1:])):
                    continue
                taken.add(src)
                self.namer.names[root] = self.namer.name(p.var)
                # (several values now print under one name: none is a
                # temporary that may be folded into its use)
                self.no_fold.add(self.namer.name(p.var))
                self.fold_ok.discard(self.namer.name(p.var))

    def _updated_object(self, v):
        """The value `v` is made from by updates printed in place (`v` when
        it is not such an update)."""
        while isinstance(v, Var) and v in self.updated_from:
            v = self.updated_from[v]
        return v

    def phi_assigns(self, phis, side):
        out = []
        for p in phis:
            src = p.then if side == 0 else p.orelse
            if isinstance(src, Var) and self.namer.name(src) == self.namer.name(p.var):
                continue
            out.append(self.assign(p.var, self.operand(src)))
        return out

    def carry_assigns(self, carries, which):
        pairs = [(c.var, c.init if which == "init" else c.next) for c in carries]
        if which == "init" and any(id(c) in self.copied_inits for c in carries):
            # a value the loop will update in place starts as a copy of its own
            out = []
            for c in carries:
                value = self.operand(c.init)
                if id(c) in self.copied_inits:
                    value = self._copy_of(value, c.init)
                elif isinstance(c.init, Var) and self.namer.name(c.init) == self.namer.name(c.var):
                    continue
                out.append(self.assign(c.var, value))
            return out
        pairs = [(v, o) for v, o in pairs
                 if not (isinstance(o, Var) and self.namer.name(o) == self.namer.name(v))]
        if not pairs:
            return []
        carry_vars = {c.var for c in carries}
        simultaneous = which == "next" and any(
            isinstance(o, Var) and o in carry_vars and o is not v for v, o in pairs)
        if simultaneous:
            return [gast.Assign(
                targets=[gast.Tuple(elts=[self.var(v, True) for v, _ in pairs], ctx=gast.Store())],
                value=gast.Tuple(elts=[self.operand(o) for _, o in pairs], ctx=gast.Load()),
                type_comment=None)]
        return [self.assign(v, self.operand(o)) for v, o in pairs]

    def _copy_of(self, expr, o):
        """An expression copying the value of operand `o` (printed `expr`):
        np.array(x) for an array, list(x) for a list, _ad.shallow_copy(x)
        when not known."""
        a = concrete(self.fn.avals.get(o, UNKNOWN)) if isinstance(o, Var) else UNKNOWN
        if isinstance(a, Array):
            func = gast.Attribute(value=self.alias(np, "np"), attr="array", ctx=gast.Load())
        elif isinstance(a, Seq) and a.type is list:
            func = _name("list")
        elif isinstance(a, Map):
            func = _name("dict")
        else:
            func = gast.Attribute(value=self.alias(runtime, "_ad"), attr="shallow_copy",
                                  ctx=gast.Load())
        return gast.Call(func=func, args=[expr], keywords=[])

    def update_in_place(self, s):
        """``y[i] = v`` / ``xs.append(v)`` / ``_ad.clear(g, i)``: the updated
        value takes the old one's name (see inplace.py for when this is safe)."""
        x = s.args[0]
        self.namer.names[s.target] = self.namer.name(x)
        self.fold_ok.discard(self.namer.name(x))   # updated in place: must stay a name
        target = self.var(x)
        name = self.namer.name(x)
        if s.fn is runtime.setitem_copy:
            sub = gast.Subscript(value=self.var(x), slice=self.index(s.args[1]), ctx=gast.Store())
            st = gast.Assign(targets=[sub], value=self.operand(s.args[2]), type_comment=None)
            self.mutates[id(st)] = self._sharing(x)
            return [st]
        if s.fn in (runtime.append, runtime.pop_last):
            method = "append" if s.fn is runtime.append else "pop"
            call = gast.Call(func=gast.Attribute(value=target, attr=method, ctx=gast.Load()),
                             args=[self.operand(a) for a in s.args[1:]], keywords=[])
            st = gast.Expr(value=call)
            self.mutates[id(st)] = self._sharing(x)
            return [st]
        if s.fn is runtime.add_at and self._plain_index(s.args[1]) \
                and self._numeric_items(x, s.args[1]):
            # an adjoint accumulated element by element, as a person writes it
            sub = gast.Subscript(value=self.var(x), slice=self.index(s.args[1]), ctx=gast.Store())
            st = gast.AugAssign(target=sub, op=gast.Add(), value=self.operand(s.args[2]))
            self.mutates[id(st)] = self._sharing(x)
            return [st]
        if s.fn is runtime.setitem_grad_x and self._plain_index(s.args[1]) \
                and self._numeric_items(x, s.args[1], kinds="f"):
            # the overwritten element's adjoint is dropped: ``bx[i] = 0.0``
            sub = gast.Subscript(value=self.var(x), slice=self.index(s.args[1]), ctx=gast.Store())
            st = gast.Assign(targets=[sub], value=gast.Constant(value=0.0, kind=None),
                             type_comment=None)
            self.mutates[id(st)] = self._sharing(x)
            return [st]
        helper, extra = ("clear", []) if s.fn is runtime.setitem_grad_x else \
            ("iadd_at", [self.operand(s.args[2])])
        call = gast.Call(func=gast.Attribute(value=self.alias(runtime, "_ad"), attr=helper,
                                             ctx=gast.Load()),
                         args=[target, self.operand(s.args[1])] + extra, keywords=[])
        st = gast.Expr(value=call)
        self.mutates[id(st)] = self._sharing(x)
        return [st]

    def _plain_index(self, o):
        """An int, a slice or a tuple of them (no index arrays): ``x[i] += v``
        then adds once per element, as `add_at` does."""
        if isinstance(o, Const):
            parts = o.value if isinstance(o.value, tuple) else (o.value,)
            return all(isinstance(p, (int, slice)) and not isinstance(p, bool) for p in parts)
        a = concrete(self.fn.avals.get(o, UNKNOWN))
        return isinstance(a, Num) and a.kind in "iu"

    def _numeric_items(self, x, index, kinds=None):
        """An array, or a list of numbers (of `kinds`, e.g. "f", when given)
        at an int index: ``x[i] += v`` adds in place; for floats
        ``x[i] = 0.0`` is what `_ad.clear` does.  (Not a slice of a list:
        ``xs[1:] += v`` would extend the list.)"""
        a = concrete(self.fn.avals.get(x, UNKNOWN))
        if isinstance(a, Array):
            return True
        if isinstance(index, Const) and not isinstance(index.value, int):
            return False
        return (isinstance(a, Seq) and a.type is list and all(
            isinstance(concrete(e), Num) and (kinds is None or concrete(e).kind in kinds)
            for e in (a.elts if a.elts is not None else (a.elt,))))

    def _sharing(self, x):
        """The names of `x` and of the views of it (x[i:j], x.T): an update
        of x in place changes what they all read."""
        names, todo = {self.namer.name(x)}, [x]
        while todo:
            v = todo.pop()
            for view in self.views.get(v, ()):
                if self.namer.name(view) not in names:
                    names.add(self.namer.name(view))
                    todo.append(view)
        return names

    def loop(self, s, backward):
        for c in s.carries:       # a carried value updated in place keeps its first name
            init = self.shared_names.get(c.var)
            if init is not None and init in self.namer.names and c.var not in self.namer.names:
                self.namer.names[c.var] = self.namer.names[init]
        out = self.carry_assigns(s.carries, "init")
        for c in s.carries:
            self.namer.name(c.var)
        self._coalesce_carries(s)
        if s.iter is not None:
            targets = ir.loop_targets(s)
            if s in self.direct_loops:
                elem, seq = self.direct_loops[s]
                target, iter_ = self.var(elem, True), self.operand(seq)
            elif isinstance(s.target, (list, tuple)):
                target = gast.Tuple(elts=[self.var(t, True) for t in targets], ctx=gast.Store())
                iter_ = self.operand(s.iter)
            else:
                target = self.var(s.target, True)
                iter_ = self.operand(s.iter)
            body = self.block(s.body, 0 if backward else None)
            body += self.carry_assigns(s.carries, "next")
            body += self._exit(s)
            out.append(gast.For(target=target, iter=iter_, body=body or [gast.Pass()], orelse=[],
                                type_comment=None))
            return out
        cond_stmts = self.block(s.cond_body)
        body = self.block(s.body, 0 if backward else None)
        body += self.carry_assigns(s.carries, "next")
        body += self._exit(s)
        if not cond_stmts:
            out.append(gast.While(test=self.operand(s.cond), body=body or [gast.Pass()], orelse=[]))
        else:
            stop = gast.If(test=gast.UnaryOp(op=gast.Not(), operand=self.operand(s.cond)),
                           body=[gast.Break()], orelse=[])
            out.append(gast.While(test=_const(True), body=cond_stmts + [stop] + body, orelse=[]))
        return out

    def _coalesce_carries(self, s):
        """``x_1 = x + d`` then ``x = x_1`` at the end of the body becomes
        ``x = x + d`` when the old `x` is not read after that line: the
        update a person writes, one assignment fewer per iteration."""
        carry_vars = {c.var for c in s.carries}
        for c in s.carries:
            nxt = c.next
            if not isinstance(nxt, Var) or nxt in self.namer.names or nxt in carry_vars:
                continue
            idx = next((i for i, st in enumerate(s.body)
                        if isinstance(st, Op) and st.target is nxt), None)
            if idx is None:
                continue
            later = s.body[idx + 1:]
            if ir.uses(later) & self._same_object(c.var, s.body[:idx]):
                continue
            others = [o.next for o in s.carries if o is not c] + [s.exit_flag]
            if any(o is c.var for o in others):
                continue
            if any(o is nxt for o in others):
                continue
            self.namer.names[nxt] = self.namer.name(c.var)

    def _same_object(self, var, stmts):
        """`var` and the values `stmts` make from it by updates printed in
        place: they all print under `var`'s name."""
        out = {var}
        for st in stmts:
            if isinstance(st, Op) and id(st) in self.inplace and st.args and st.args[0] in out:
                out.add(st.target)
            elif isinstance(st, If):
                # (a merge of versions of it prints under its name too, see
                # _coalesce_phis)
                for p in st.phis:
                    if self._updated_object(p.then) in out \
                            and self._updated_object(p.orelse) in out:
                        out.add(p.var)
        return out

    def _exit(self, s):
        if s.exit_flag is None:
            return []
        return [gast.If(test=self.operand(s.exit_flag), body=[gast.Break()], orelse=[])]

    # ----------------------------------------------------------- function
    def function(self, comment_from=None, defaults=(), guards=None, header=None,
                 exit_checks=None, distinct=None, compiled=None, globals_read=()):
        """The generated function.  `compiled`: (function, name): instead of
        the body, a call of it (the body compiled by Numba, jit.py) after the checks, with
        the module globals `globals_read` as extra arguments (read live
        here: Numba would freeze them); for the compiled body itself,
        `globals_read` are extra parameters."""
        params = [self.var(p, store=False) for p in self.fn.params]
        if compiled is None:
            params += [_name(g) for g in globals_read]
        for p in params:
            p.ctx = gast.Param()
        if exit_checks:
            for builtin in ("type", "float"):
                self.namer.reserve(builtin)
        body = self.guard(guards) if guards else []
        if distinct is not None:
            body.append(self.distinct_check(*distinct))
        if compiled is not None:
            call = gast.Call(func=self.alias(*compiled),
                             args=[self.var(p) for p in self.fn.params]
                             + [_name(g) for g in globals_read], keywords=[])
            body.append(gast.Return(value=call))
            return self._def(body, params, defaults)
        if header:
            body.append(self.comment(header))
        body += self.block(self.fn.body, comment_from)
        if exit_checks:
            body += self.exit_check(exit_checks)
            for leaf in exit_checks:
                # (read by the check and by what is returned: not folded into one)
                self.fold_ok.discard(self.namer.name(leaf))
        body.append(gast.Return(value=self.operand(self.fn.ret)))
        if self.fold:
            body = _fold_temporaries(body, self.fold_ok, self.mutates)
        node = self._def(body, params, defaults)
        if self.fold:
            self.namer.renumber(_name_nodes(node))
        return node

    def _def(self, body, params, defaults):
        args = gast.arguments(args=params, posonlyargs=[], vararg=None, kwonlyargs=[],
                              kw_defaults=[], kwarg=None,
                              defaults=[self.const(d) for d in defaults])
        return gast.FunctionDef(name=self.func_name, args=args, body=body, decorator_list=[],
                                returns=None, type_comment=None, type_params=[])


    def guard(self, avals):
        """First lines of specialised code: check that the arguments (and
        the globals whose avals were used) are what the code was made for
        (their avals); if not, `_dispatch` finds (or makes) the right
        version.  Numbers share one line; each array or container gets its
        own."""
        groups = []
        for p, a in zip(self.fn.params, avals):
            tests = self._checks(_name(self.namer.name(p)), a)
            if tests:
                groups.append(tests)
        for st in self.fn.body:
            if isinstance(st, Op) and st.fn is runtime.global_value and st.observed is not None \
                    and st.target in self.use_count:
                groups.append(self._checks(_name(self.namer.name(st.target)),
                                           of_value(st.observed)))
        if not groups:
            return []
        for builtin in ("type", "len", "list", "map", "any"):      # (names the checks use)
            self.namer.reserve(builtin)
        dispatch = self.alias(_DispatchPlaceholder, "_dispatch")
        call = gast.Call(func=dispatch, args=[self.var(p) for p in self.fn.params], keywords=[])
        lines = [[t for g in groups if len(g) == 1 for t in g]] + [g for g in groups if len(g) > 1]
        out = []
        for tests in lines:
            if tests:
                test = tests[0] if len(tests) == 1 else gast.BoolOp(op=gast.Or(), values=tests)
                out.append(gast.If(test=test, body=[gast.Return(value=call)], orelse=[]))
        return out

    def distinct_check(self, name, params, mutated):
        """``_ad.check_distinct_arguments(...)``: the arguments at positions
        `mutated` of the user's parameters `params`, which the function
        changes in place, must not share memory with other arguments
        (runtime.check_distinct_arguments)."""
        check = gast.Attribute(value=self.alias(runtime, "_ad"), attr="check_distinct_arguments",
                               ctx=gast.Load())
        return gast.Expr(value=gast.Call(func=check, args=[
            _const(name), gast.Tuple(elts=[self.var(p) for p in params], ctx=gast.Load()),
            self.const(tuple(self.namer.name(p) for p in params)), self.const(tuple(mutated))],
            keywords=[]))

    def comment(self, text):
        """A ``# text`` line: a marker statement that emit.py prints as it."""
        self.comments.append(text)
        return gast.Expr(value=gast.Call(func=_name("__comment__"),
                                         args=[_const(len(self.comments) - 1)], keywords=[]))

    def exit_check(self, leaves):
        """The element checks deferred to the results (deferred.py): Python
        floats came out only if the elements were numbers; else the strict
        version (element types checked first) computes the answer."""
        strict = self.alias(_StrictPlaceholder, "_strict")
        tests = [gast.Compare(left=gast.Call(func=_name("type"), args=[self.var(v)], keywords=[]),
                              ops=[gast.IsNot()], comparators=[_name("float")])
                 for v in leaves]
        call = gast.Call(func=strict, args=[self.var(p) for p in self.fn.params], keywords=[])
        return [self.comment("the elements were numbers only if the results are floats"),
                gast.If(test=tests[0] if len(tests) == 1 else gast.BoolOp(op=gast.Or(),
                                                                          values=tests),
                        body=[gast.Return(value=call)], orelse=[])]

    def _checks(self, x, a):
        """The tests that the value of expression `x` is not described by
        aval `a` (each is true when the value does not fit)."""
        a = concrete(a)
        if isinstance(a, Num):
            if a.type is None:
                return []
            return [self._type_test(x, a.type)]
        if isinstance(a, Array):
            tests = [self._type_test(x, np.ndarray)]
            if a.shape is not None and None not in a.shape:
                tests.append(gast.Compare(
                    left=gast.Attribute(value=x, attr="shape", ctx=gast.Load()),
                    ops=[gast.NotEq()], comparators=[self.const(tuple(a.shape))]))
            if a.dtype is not None:
                tests.append(gast.Compare(
                    left=gast.Attribute(value=x, attr="dtype", ctx=gast.Load()),
                    ops=[gast.IsNot()], comparators=[self.alias(a.dtype, "dtype_" + str(a.dtype))]))
            return tests
        if isinstance(a, Seq):
            tests = [self._type_test(x, a.type)]
            elts = a.elts if a.elts is not None else None
            n = a.count()
            if elts is None and n and isinstance(concrete(a.elt), Num) \
                    and concrete(a.elt).type is not None:
                elts = (a.elt,) * n         # (n numbers of one type)
            if elts is not None and elts and all(isinstance(concrete(e), Num) and
                                                 concrete(e).type is not None for e in elts):
                # list(map(type, xs)) != [float, float, ...]: element types at C speed
                read = gast.Call(func=_name("list"), args=[gast.Call(
                    func=_name("map"), args=[_name("type"), x], keywords=[])], keywords=[])
                tests.append(gast.Compare(left=read, ops=[gast.NotEq()], comparators=[
                    self.alias([concrete(e).type for e in elts], "types")]))
                return tests
            n = a.count()
            if n is not None:
                tests.append(gast.Compare(
                    left=gast.Call(func=_name("len"), args=[x], keywords=[]),
                    ops=[gast.NotEq()], comparators=[_const(n)]))
            if elts is not None:
                for k, e in enumerate(elts):
                    tests += self._checks(gast.Subscript(value=x, slice=_const(k),
                                                         ctx=gast.Load()), e)
            elif n is not None and a.elt is not UNKNOWN:
                inner = self._checks(_name("_e"), a.elt)
                if inner:
                    self.namer.reserve("_e")
                    cond = inner[0] if len(inner) == 1 else gast.BoolOp(op=gast.Or(), values=inner)
                    tests.append(gast.Call(func=_name("any"), args=[gast.GeneratorExp(
                        elt=cond, generators=[gast.comprehension(
                            target=_name("_e", store=True), iter=x, ifs=[], is_async=0)])],
                        keywords=[]))
            return tests
        if isinstance(a, Map):
            tests = [self._type_test(x, dict), gast.Compare(
                left=gast.Call(func=_name("list"), args=[x], keywords=[]),
                ops=[gast.NotEq()], comparators=[self.alias(list(a.keys), "keys")])]
            for key, e in zip(a.keys, a.values):
                tests += self._checks(gast.Subscript(value=x, slice=self.const(key),
                                                     ctx=gast.Load()), e)
            return tests
        if isinstance(a, Other):
            return [self._type_test(x, a.type)]
        if isinstance(a, Known) and isinstance(a.value, STATIC_VALUES):
            # (the code calls this very function)
            same = self.alias(a.value, "rng") if isinstance(a.value, GENERATORS) else \
                self.callee(a.value)
            return [gast.Compare(left=x, ops=[gast.IsNot()], comparators=[same])]
        return []

    def _type_test(self, x, t):
        return gast.Compare(left=gast.Call(func=_name("type"), args=[x], keywords=[]),
                            ops=[gast.IsNot()], comparators=[self._type_expr(t)])

    def _type_expr(self, t):
        b = _builtin_name(t)
        if b:
            return _name(b)
        if getattr(np, t.__name__, None) is t:
            return gast.Attribute(value=self.alias(np, "np"), attr=t.__name__, ctx=gast.Load())
        return self.alias(t, _ident_hint(t))


def _fold_temporaries(stmts, foldable, mutates=None):
    """``_t1 = a * b`` followed (in the same block) by the only use of
    `_t1` becomes that use with ``a * b`` in place: ``d = d * x + p``, as a
    person writes it, and without a store and a load per temporary.  A
    temporary is not moved past a statement that rebinds a name it reads or
    updates its object in place (`mutates`), nor into a loop or branch body
    (that would change how often it runs)."""
    out = list(stmts)
    mutates = mutates or {}
    nodes = [_name_nodes(st) for st in out]
    names = [{n.id for n in ns} for ns in nodes]     # every name a statement mentions
    stores = [{n.id for n in ns if type(n.ctx) is gast.Store} | _updated(st, mutates)
              for ns, st in zip(nodes, out)]         # (re)bound or updated
    folds = {}            # id(statement) -> temporaries folded into it
    i = 0
    while i < len(out):
        st = out[i]
        if not (isinstance(st, gast.Assign) and len(st.targets) == 1
                and isinstance(st.targets[0], gast.Name) and st.targets[0].id in foldable):
            i += 1
            continue
        name = st.targets[0].id
        reads = names[i] - {name}
        done = False
        for j in range(i + 1, len(out)):
            if name in names[j]:
                slot = _use_slot(out[j], name)
                if slot is None or folds.get(id(out[j]), 0) + folds.get(id(st), 0) >= 4:
                    break      # used inside a nested body, or the line would get long
                folds[id(out[j])] = folds.get(id(out[j]), 0) + folds.get(id(st), 0) + 1
                parent, field, index = slot
                if index is None:
                    setattr(parent, field, st.value)
                else:
                    getattr(parent, field)[index] = st.value
                names[j] |= reads
                del out[i], names[i], stores[i]
                done = True
                break
            if stores[j] & reads:
                break
        if not done:
            i += 1
    return out


def _updated(st, mutates):
    """Names whose objects `st` (or a statement nested in it) updates in place."""
    if not mutates:
        return set()
    return {name for n in gast.walk(st) if id(n) in mutates for name in mutates[id(n)]}


def _name_nodes(node, out=None):
    """Every Name node under `node`, in source order (a faster gast.walk for
    this one need)."""
    if out is None:
        out = []
    if type(node) is gast.Name:
        out.append(node)
        return out
    for field in node._fields:
        v = getattr(node, field, None)
        if type(v) is list:
            for x in v:
                if isinstance(x, gast.AST):
                    _name_nodes(x, out)
        elif isinstance(v, gast.AST):
            _name_nodes(v, out)
    return out


def _top_expressions(st):
    """The expressions a statement evaluates once, where it stands."""
    if isinstance(st, (gast.Assign, gast.Expr, gast.Return, gast.AugAssign)):
        return [st.value] if st.value is not None else []
    if isinstance(st, gast.If):
        return [st.test]
    if isinstance(st, gast.For):
        return [st.iter]
    return []


def _use_slot(st, name):
    """(parent, field, index) of the one Load of `name` in the statement's
    top-level expressions, or None."""
    for top in _top_expressions(st):
        if isinstance(top, gast.Name) and top.id == name:
            return (st, "value" if not isinstance(st, (gast.If, gast.For)) else
                    ("test" if isinstance(st, gast.If) else "iter"), None)
        for node in gast.walk(top):
            for field, value in gast.iter_fields(node):
                if isinstance(value, gast.Name) and value.id == name \
                        and isinstance(value.ctx, gast.Load):
                    return (node, field, None)
                if isinstance(value, list):
                    for k, v in enumerate(value):
                        if isinstance(v, gast.Name) and v.id == name \
                                and isinstance(v.ctx, gast.Load):
                            return (node, field, k)
    return None


class _DispatchPlaceholder:
    """Stands for the gradient object's dispatcher until it is bound."""


class _StrictPlaceholder:
    """Stands for the gradient object's strict path (deferred.py) until it
    is bound."""


def _builtin_name(fn):
    name = getattr(fn, "__name__", None)
    try:
        if name and getattr(builtins, name, None) is fn:
            return name
    except TypeError:
        pass
    return None


def _ident_hint(obj):
    name = getattr(obj, "__name__", None)
    if isinstance(name, str) and name.isidentifier() and not name.startswith("<"):
        return name
    return "_c"


def line_locations(node, text):
    """{line of `text` (the printed `node`): the user's Loc it computes}:
    the printed statements, in order, are those of `node` (comment markers
    aside), each tagged with its IR statement's location by `block`."""
    import ast
    tree = ast.parse(text).body[0]
    out = {}

    def walk(gs, ps):
        gs = [g for g in gs if not _is_comment_marker(g)]
        for g, p in zip(gs, ps):
            loc = getattr(g, "_ast_ad_loc", None)
            if loc is not None:
                last = p.lineno if hasattr(p, "body") else (getattr(p, "end_lineno", None)
                                                            or p.lineno)
                for line in range(p.lineno, last + 1):
                    out.setdefault(line, loc)
            for field in ("body", "orelse"):
                gb, pb = getattr(g, field, None), getattr(p, field, None)
                if isinstance(gb, list) and isinstance(pb, list):
                    walk(gb, pb)
    walk(node.body, tree.body)
    return out


def _is_comment_marker(st):
    return isinstance(st, gast.Expr) and isinstance(st.value, gast.Call) \
        and isinstance(st.value.func, gast.Name) and st.value.func.id == "__comment__"
