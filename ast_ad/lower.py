"""Lower a gast function to the SSA IR (see ir.py).

One mechanism, `Lowerer.inline`, lowers a Python function's body with its
parameters bound to operands.  It serves three callers: the function being
differentiated (parameters bound to fresh Vars), calls to the user's helper
functions (inlined, so each call's intermediates join the trace), and the
derivative rules (rules are Python functions inlined with the primal operands).

What lowering guarantees:
* every operator becomes a call of the canonical callable object
  (``a * b`` -> ``operator.mul``; ``x.sum()`` -> ``numpy.sum``);
* names are resolved by object (resolve.py);
* ``return``/``break``/``continue`` are turned into structured control flow:
  the statements after a branch that may leave are moved into the branch
  that does not, and ``break`` sets the loop's exit flag;
* ``for`` loops iterate over a ``range`` only: ``for v in xs`` becomes
  ``for k in range(len(xs)): v = xs[k]``, so a loop body reads its iterable
  through an ordinary, differentiable subscript.

>>> from ast_ad.pipeline import run
>>> def f(x, y):
...     z = x * y
...     return z + x
>>> print(run(f, stop_after="ssa").text.strip())
def f(x, y):
    z = x * y
    _t1 = z + x
    return _t1
"""
from __future__ import annotations

import builtins
import operator
import types

import gast
import numpy as np

from . import ir, runtime
from . import rules
from .errors import DifferentiationError
from .ir import Const, Var, Op, If, Loop, Carry, Phi
from .resolve import Scope, is_static
from .source import read_source

RET, BRK, RETURNED = "<return>", "<break>", "<returned>"
# Hidden names under which an inlined function sees the objects its caller
# passed it (<caller 0>, ...): aliases like any other, so an in-place update
# inside the callee (``a[0] = 0.0`` on a parameter) reaches the caller's
# names, as Python passes objects, not copies.
CALLER = "<caller "
# names the generated code uses for these (the namer keeps them unique)
PSEUDO_HINTS = {RET: "retval", BRK: "stop", RETURNED: "returned"}


def _hint(name):
    return PSEUDO_HINTS.get(name, "") if name.startswith("<") else name


def _can_alias(name):
    """Names that can share an object with another name."""
    return not name.startswith("<") or name.startswith(CALLER)


def _track_callers(env, values):
    """Bind each distinct Var of `values` to a hidden caller name in the
    callee's `env`; returns [(hidden name, Var)]."""
    tracked = []
    for v in dict.fromkeys(v for v in values if isinstance(v, Var)):
        name = f"{CALLER}{len(tracked)}>"
        env[name] = v
        tracked.append((name, v))
    return tracked

BINOPS = {
    gast.Add: operator.add, gast.Sub: operator.sub, gast.Mult: operator.mul,
    gast.Div: operator.truediv, gast.FloorDiv: operator.floordiv,
    gast.Mod: operator.mod, gast.Pow: operator.pow, gast.MatMult: operator.matmul,
    gast.BitAnd: operator.and_, gast.BitOr: operator.or_, gast.BitXor: operator.xor,
}
UNARYOPS = {gast.USub: operator.neg, gast.UAdd: operator.pos,
            gast.Not: operator.not_, gast.Invert: operator.invert}
CMPOPS = {
    gast.Lt: operator.lt, gast.LtE: operator.le, gast.Gt: operator.gt,
    gast.GtE: operator.ge, gast.Eq: operator.eq, gast.NotEq: operator.ne,
    gast.Is: operator.is_, gast.IsNot: operator.is_not,
    gast.In: lambda a, b: operator.contains(b, a),
}
rules.nondiff(operator.and_, operator.or_, operator.xor, CMPOPS[gast.In])


def _reshape_method(x, *shape, **kw):
    return np.reshape(x, shape[0] if len(shape) == 1 else shape, **kw)


def _transpose_method(x, *axes):
    return np.transpose(x, axes[0] if len(axes) == 1 else (axes or None))


# x.method(...) -> canonical callable(x, ...)
METHODS = {
    "sum": np.sum, "mean": np.mean, "prod": np.prod, "max": np.max, "min": np.min,
    "var": np.var, "std": np.std, "dot": np.dot, "ravel": np.ravel,
    "flatten": np.ravel, "squeeze": np.squeeze, "argmax": np.argmax,
    "argmin": np.argmin, "clip": np.clip, "any": np.any, "all": np.all,
    "round": np.round, "astype": None, "copy": runtime.identity,
    "reshape": _reshape_method, "transpose": _transpose_method,
}
ATTRIBUTES = {"T": np.transpose, "shape": np.shape, "ndim": np.ndim, "size": np.size,
              "dtype": runtime.dtype_of}

# Pure functions folded when all their operands are constants (this is what
# lets rule templates specialise on `axis=None` and friends).
FOLDABLE = {operator.is_, operator.is_not, operator.eq, operator.ne, operator.not_,
            operator.lt, operator.le, operator.gt, operator.ge, operator.add,
            operator.sub, operator.mul, operator.neg, operator.truth, len,
            isinstance, builtins.slice, builtins.float, builtins.int}

# Modules whose Python-level functions are primitives, never looked inside.
OPAQUE_MODULES = ("numpy", "math", "builtins", "ast_ad", "operator", "functools")



class Static:
    """A compile-time object (module, function, class) seen as an expression."""
    __slots__ = ("obj",)

    def __init__(self, obj):
        self.obj = obj


def _alias_groups(names, env):
    """Groups of names bound to one and the same value in `env`."""
    groups = {}
    for n in names:
        v = env.get(n)
        if isinstance(v, Var):
            groups.setdefault(id(v), []).append(n)
    return [g for g in groups.values() if len(g) > 1]


def _observable(obj):
    """Globals whose kind may specialise the code: numbers and float arrays."""
    return (isinstance(obj, (int, float)) and not isinstance(obj, bool)) or (
        isinstance(obj, np.ndarray) and obj.dtype.kind in "fc")


class _AliasesDiverged(Exception):
    pass


class LocalFunction:
    """A function (or lambda) defined inside the function being lowered.  It
    is inlined where it is called and, like a Python closure, sees the
    enclosing function's variables as they are bound at the call."""

    def __init__(self, node, outer):
        self.node = node
        self.outer = outer

    def call(self, args, kwargs, call_node):
        outer = self.outer
        a = self.node.args
        if a.vararg is not None or a.kwarg is not None or a.kwonlyargs:
            raise outer.error(self.node, "nested functions with *args, **kwargs or keyword-only "
                                         "parameters are not supported")
        names = [p.id for p in a.posonlyargs + a.args]
        defaults = dict(zip(names[len(names) - len(a.defaults):], a.defaults))
        env = dict(outer.env)
        for k, name in enumerate(names):
            if k < len(args):
                env[name] = args[k]
            elif name in kwargs:
                env[name] = kwargs[name]
            elif name in defaults:
                env[name] = outer.operand(outer.expr(defaults[name]), defaults[name])
            else:
                raise outer.error(call_node, f"missing argument {name!r}")
        sub = Lowerer(outer.src, outer.scope, outer.stack, outer.structure, outer.prologue,
                      outer.live_globals, outer.global_cache)
        sub.local_names = outer.local_names | (
            _facts(self.node).assigned if isinstance(self.node.body, list) else set()) | set(names)
        # the arguments and the enclosing function's values, as objects
        tracked = _track_callers(env, [env[n] for n in names] + [
            v for n, v in outer.env.items() if _can_alias(n)])
        sub.env = env
        sub.env[RET] = Const(None)
        sub.block = outer.block
        sub.cur_loc = outer.cur_loc
        if isinstance(self.node, gast.Lambda):
            return sub.operand(sub.expr(self.node.body), self.node.body)
        sub.lower_block(self.node.body)
        outer.caller_updates(sub.env, tracked)
        return sub.env[RET]


def lower_function(func, param_kinds=None) -> ir.Function:
    """Lower `func` (a Python function) to an `ir.Function`.  Parameters whose
    kind is a container of known structure (see activity.kind_of_value) are
    unpacked into their elements on entry, so `params[0]` in the body is a
    plain variable and each element gets its own adjoint."""
    src = read_source(func)
    scope = Scope(func)
    lowerer = Lowerer(src, scope, stack=(func,), structure={}, live_globals=scope.globals)
    lowerer.specialise = param_kinds is not None
    args = src.tree.args
    if args.vararg is not None or args.kwarg is not None:
        raise src.error(args.vararg or args.kwarg,
                        "*args and **kwargs parameters are not supported; "
                        "name each parameter")
    names = [a.id for a in args.posonlyargs + args.args + args.kwonlyargs]
    params = [Var(n) for n in names]
    prologue = []
    lowerer.prologue = prologue
    for p, kind in zip(params, param_kinds or []):
        _explode(p, kind, prologue, lowerer.structure, src.loc(src.tree))
    body = []
    ret = lowerer.lower_body(dict(zip(names, params)), body)
    fn = ir.Function(src.tree.name, params, prologue + body, ret, param_names=names,
                     origin=src)
    fn.structure = lowerer.structure
    return fn


def _explode(var, kind, block, structure, loc):
    """Unpack a container parameter of known structure into element Vars
    (recursively); the ops are marked so reverse mode rebuilds the gradient
    from the elements' adjoints."""
    if not isinstance(kind, tuple):
        return
    base, elts = kind
    if base == "dict":
        keys, kinds = [k for k, _ in elts], [k for _, k in elts]
    else:
        keys, kinds = list(range(len(elts))), list(elts)
    items = []
    for key, k in zip(keys, kinds):
        e = Var()
        block.append(Op(e, operator.getitem, [var, Const(key)], {}, loc, explode=k))
        _explode(e, k, block, structure, loc)
        items.append(e)
    structure[var] = dict(zip(keys, items)) if base == "dict" else items


class Lowerer:
    specialise = False   # record the kinds of the globals read (lower_function)

    def __init__(self, src, scope, stack, structure, prologue=None, live_globals=None,
                 global_cache=None):
        self.src = src
        self.alias_partners = {}   # name -> names it aliased when the current loop began
        self.rebound = set()       # names plainly reassigned in the current loop body
        self.live_globals = live_globals
        self.global_cache = {} if global_cache is None else global_cache
        self.scope = scope
        self.stack = stack
        self.structure = structure     # shared: static element knowledge
        self.prologue = prologue
        self.loop_depth = 0
        self.global_vars = {}
        self.local_names = _facts(src.tree).assigned | {
            a.id for a in src.tree.args.posonlyargs + src.tree.args.args + src.tree.args.kwonlyargs}

    # ---------------------------------------------------------------- helpers
    def error(self, node, msg):
        return self.src.error(node, msg)

    def emit(self, fn, args, kwargs=None, node=None, hint=""):
        """Append ``target = fn(*args, **kwargs)``; folds constants."""
        args = list(args)
        kwargs = dict(kwargs or {})
        if fn in FOLDABLE and all(isinstance(a, Const) for a in args + list(kwargs.values())):
            try:
                return Const(fn(*[a.value for a in args], **{k: v.value for k, v in kwargs.items()}))
            except Exception:
                pass
        target = Var(hint)
        loc = self.src.loc(node) if node is not None else self.cur_loc
        self.block.append(Op(target, fn, args, kwargs, loc))
        return target

    def operand(self, value, node):
        """`value` as an IR operand (a compile-time object becomes a Const)."""
        return Const(value.obj) if isinstance(value, Static) else value

    # ------------------------------------------------------------- functions
    def lower_body(self, env, block):
        """Lower the function body into `block`; return the result operand."""
        self.env = dict(env)
        self.env[RET] = Const(None)
        self.block = block
        self.cur_loc = self.src.loc(self.src.tree)
        body = self.src.tree.body
        if body and isinstance(body[0], gast.Expr) and isinstance(body[0].value, gast.Constant) \
                and isinstance(body[0].value.value, str):
            body = body[1:]  # docstring
        self.lower_block(body)
        return self.env[RET]

    def inline(self, func, args, kwargs, node):
        """Lower a call to the user's Python function `func` in place."""
        if func in self.stack:
            raise self.error(node, f"recursive call to {func.__name__!r} is not supported; "
                                   "rewrite the recursion as a loop")
        try:
            src = read_source(func)
        except DifferentiationError as e:
            raise self.error(node, f"cannot differentiate through {func.__name__!r}: "
                             f"{e.message}") from None
        sig = src.signature()
        try:
            bound = sig.bind(*args, **kwargs)
        except TypeError as e:
            raise self.error(node, f"call to {func.__name__!r}: {e}") from None
        env = {}
        for name, p in sig.parameters.items():
            if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                raise self.error(node, f"{func.__name__!r} has *args/**kwargs parameters, "
                                       "which are not supported")
            if name in bound.arguments:
                env[name] = bound.arguments[name]
            else:
                env[name] = Const(p.default)
        tracked = _track_callers(env, list(env.values()))
        sub = Lowerer(src, Scope(func), self.stack + (func,), self.structure, self.prologue,
                      self.live_globals, self.global_cache)
        result = sub.lower_body(env, self.block)
        self.caller_updates(sub.env, tracked)
        return result

    def caller_updates(self, callee_env, tracked):
        """After an inlined call: objects the callee updated in place are
        updated for this function's names too."""
        for hidden, old in tracked:
            new = callee_env.get(hidden, old)
            names = [n for n, v in self.env.items() if v is old and _can_alias(n)]
            if new is not old and names:
                self._rebind(old, names[0], new)

    # ------------------------------------------------------------ statements
    def lower_block(self, stmts):
        for k, s in enumerate(stmts):
            self.cur_loc = self.src.loc(s)
            if isinstance(s, gast.Return):
                value = self.expr(s.value) if s.value is not None else Const(None)
                # a returned function or module stays a compile-time object
                # (closure factories, `xp = namespace(x)`)
                self.env[RET] = value if isinstance(value, Static) else self.operand(value, s)
                if self.loop_depth:
                    self.env[RETURNED] = Const(True)
                    self.env[BRK] = Const(True)
                return
            if isinstance(s, gast.Break):
                self.env[BRK] = Const(True)
                return
            if isinstance(s, gast.Continue):
                return
            rest = stmts[k + 1:]
            if isinstance(s, gast.If) and _may_leave(s):
                self.lower_if(s, s.body + rest, s.orelse + rest)
                return
            self.stmt(s)
            if isinstance(s, (gast.For, gast.While)) and _contains(s.body, gast.Return):
                # after a loop that may have returned, the rest runs only if it did not
                self.branch(self.env[RETURNED], [], rest, s)
                return

    def stmt(self, s):
        method = getattr(self, "stmt_" + type(s).__name__, None)
        if method is None:
            raise self.error(s, f"{_describe(s)} is not supported")
        method(s)

    def stmt_Expr(self, s):
        if isinstance(s.value, gast.Constant):
            return
        self.expr(s.value, statement=True)

    def stmt_Pass(self, s):
        pass

    def stmt_FunctionDef(self, s):
        if s.decorator_list:
            raise self.error(s, "decorators on nested functions are not supported")
        self.env[s.name] = Static(LocalFunction(s, self))

    def expr_Lambda(self, node):
        return Static(LocalFunction(node, self))

    def stmt_Assign(self, s):
        value = self.expr(s.value)
        for t in s.targets:
            self.assign(t, value)

    def stmt_AnnAssign(self, s):
        if s.value is not None:
            self.assign(s.target, self.expr(s.value))

    def stmt_AugAssign(self, s):
        fn = BINOPS.get(type(s.op))
        if fn is None:
            raise self.error(s, f"augmented assignment with {type(s.op).__name__} is not supported")
        rhs = self.operand(self.expr(s.value), s.value)
        if isinstance(s.target, gast.Name):
            old = self.load_name(s.target)
            new = self.emit(fn, [old, rhs], node=s, hint=s.target.id)
            # `a += b` updates an array in place: every other name bound to
            # the same array sees the new value (a float is rebound instead)
            for name in self._aliases(old, s.target.id):
                hint = _hint(name) or getattr(self.env[name], "hint", "")
                self.env[name] = self.emit(runtime.inplace_alias, [self.env[name], new],
                                           node=s, hint=hint)
            self.env[s.target.id] = new     # (still an alias of its partners)
        elif isinstance(s.target, gast.Subscript):
            base_name = s.target.value
            if not isinstance(base_name, gast.Name):
                raise self.error(s, "augmented assignment to a nested subscript is not supported")
            base = self.load_name(base_name)
            index = self.index(s.target.slice)
            old = self.emit(operator.getitem, [base, index], node=s.target)
            new = self.emit(fn, [old, rhs], node=s)
            self._rebind(base, base_name.id,
                         self.emit(runtime.setitem_copy, [base, index, new], node=s,
                                   hint=base_name.id))
        else:
            raise self.error(s, "augmented assignment to this target is not supported")

    def assign(self, target, value):
        if isinstance(target, gast.Name):
            if isinstance(value, Var) and not value.hint:
                value.hint = target.id
            self.env[target.id] = value
            self.rebound.add(target.id)
        elif isinstance(target, (gast.Tuple, gast.List)):
            value = self.operand(value, target)
            for k, elt in enumerate(target.elts):
                if isinstance(elt, gast.Starred):
                    raise self.error(elt, "starred assignment is not supported")
                self.assign(elt, self.element(value, Const(k), target))
        elif isinstance(target, gast.Subscript):
            if not isinstance(target.value, gast.Name) or target.value.id not in self.env:
                raise self.error(target, "item assignment is supported only into a local "
                                         "variable (x[i] = v, with x assigned in this function)")
            name = target.value.id
            base = self.load_name(target.value)
            index = self.index(target.slice)
            self._rebind(base, name, self.emit(runtime.setitem_copy,
                                               [base, index, self.operand(value, target)],
                                               node=target, hint=name))
        else:
            raise self.error(target, f"assignment to {_describe(target)} is not supported")

    def _aliases(self, value, except_name):
        """Other local names bound to the same value (`z = y` makes z an
        alias), including, inside a loop, the names that were aliases when
        the loop began and have not been rebound since (their loop-carried
        values are distinct Vars, but the same object at run time)."""
        out = [n for n, v in self.env.items()
               if v is value and n != except_name and _can_alias(n)]
        for n in sorted(self.alias_partners.get(except_name, ())):
            if n not in self.rebound and n not in out and n in self.env:
                out.append(n)
        return out

    def _rebind(self, old, name, new):
        """After an in-place update of a container, every name bound to it
        sees the new value, as in Python."""
        for n in self._aliases(old, name):
            self.env[n] = new
        self.env[name] = new

    def element(self, value, index, node):
        """``value[index]``, forwarded statically when the container's
        elements are known (tuple/list literals, unpacking)."""
        if isinstance(value, Var) and isinstance(index, Const) and value in self.structure:
            elts = self.structure[value]
            if isinstance(elts, dict):
                if index.value in elts:
                    return elts[index.value]
            elif isinstance(index.value, int) and -len(elts) <= index.value < len(elts):
                return elts[index.value]
        if isinstance(value, Const) and isinstance(index, Const):
            return Const(value.value[index.value])
        return self.emit(operator.getitem, [value, index], node=node)

    # ------------------------------------------------------------ branches
    def stmt_If(self, s):
        self.lower_if(s, s.body, s.orelse)

    def lower_if(self, s, body, orelse):
        cond = self.operand(self.expr(s.test), s.test)
        self.branch(cond, body, orelse, s)

    def branch(self, cond, body, orelse, node):
        """Lower two statement lists under `cond` and join their bindings."""
        if isinstance(cond, Const):
            self.lower_block(body if cond.value else orelse)
            return
        outer_env, outer_block = self.env, self.block
        envs, blocks = [], []
        for stmts in (body, orelse):
            self.env, self.block = dict(outer_env), []
            self.lower_block(stmts)
            envs.append(self.env)
            blocks.append(self.block)
        self.env, self.block = outer_env, outer_block
        phis = []
        for name in sorted(set(envs[0]) | set(envs[1]), key=_name_order):
            a, b = envs[0].get(name, Const(None)), envs[1].get(name, Const(None))
            if a is b or (isinstance(a, Const) and a == b):
                self.env[name] = a
                continue
            if isinstance(a, Static) or isinstance(b, Static):
                raise self.error(node, f"{name!r} is bound to different functions or modules "
                                       "in the two branches; this is not supported")
            var = Var(_hint(name))
            phis.append(Phi(var, a, b))
            self.env[name] = var
        self.block.append(If(cond, blocks[0], blocks[1], phis, self.src.loc(node)))

    # --------------------------------------------------------------- loops
    def stmt_For(self, s):
        if s.orelse:
            raise self.error(s, "for ... else is not supported")
        it = s.iter
        if isinstance(it, gast.Call) and isinstance(it.func, gast.Attribute) \
                and it.func.attr in ("items", "keys", "values") and not it.args:
            d = self.operand(self.expr(it.func.value), it.func.value)
            elts = self.structure.get(d) if isinstance(d, Var) else None
            if not isinstance(elts, dict):
                raise self.error(it, f".{it.func.attr}() is supported only on a dict whose keys "
                                     "are known (a dict argument or literal)")
            pick = {"items": lambda k, v: self._pack([Const(k), v]),
                    "keys": lambda k, v: Const(k), "values": lambda k, v: v}[it.func.attr]
            self.unroll(s, [pick(k, v) for k, v in elts.items()])
            return
        call = it if isinstance(it, gast.Call) else None
        fobj = self.expr(call.func) if call is not None else None
        fobj = fobj.obj if isinstance(fobj, Static) else None
        if fobj is builtins.range:
            args = [self.operand(self.expr(a), a) for a in call.args]
            iterable = self.emit(builtins.range, args, node=it)
            bind = lambda k: k
        elif fobj in (enumerate, zip, reversed):
            seqs = [self.operand(self.expr(a), a) for a in call.args[:1 if fobj is not zip else None]]
            start = self.operand(self.expr(call.args[1]), call.args[1]) if (
                fobj is enumerate and len(call.args) > 1) else Const(0)
            lens = [self.emit(len, [q], node=it) for q in seqs]
            n = lens[0] if len(lens) == 1 else self.emit(builtins.min, lens, node=it)
            iterable = self.emit(builtins.range, [n], node=it)

            def bind(k, fobj=fobj, seqs=seqs, n=n, start=start):
                if fobj is enumerate:
                    i = self.emit(operator.add, [k, start], node=it) if start != Const(0) else k
                    return self._pack([i, self.element(seqs[0], k, it)])
                if fobj is reversed:
                    last = self.emit(operator.sub, [n, Const(1)], node=it)
                    return self.element(seqs[0], self.emit(operator.sub, [last, k], node=it), it)
                return self._pack([self.element(q, k, it) for q in seqs])
        else:
            seq = self.operand(self.expr(it), it)
            n = self.emit(len, [seq], node=it)
            iterable = self.emit(builtins.range, [n], node=it)
            bind = lambda k, seq=seq: self.element(seq, k, it)
        hint = s.target.id if isinstance(s.target, gast.Name) and fobj is builtins.range else "k"
        k = Var(hint)

        def body_prologue():
            self.assign(s.target, bind(k))
        self.loop(s, body_prologue, s.body, target=k, iterable=iterable)

    def unroll(self, s, items):
        """A loop over a container of known structure, written out once per
        element (dict items, whose keys are fixed when the code is made)."""
        if _contains(s.body, (gast.Break, gast.Continue, gast.Return)):
            raise self.error(s, "break, continue and return are not supported in a loop over "
                                "dict items; loop over a list of keys instead")
        for item in items:
            self.assign(s.target, item)
            self.lower_block(s.body)

    def stmt_While(self, s):
        if s.orelse:
            raise self.error(s, "while ... else is not supported")
        self.loop(s, None, s.body, test=s.test)

    def loop(self, s, body_prologue, body, target=None, iterable=None, test=None):
        facts = _facts(s)
        assigned = facts.assigned | (_target_names(s.target) if isinstance(s, gast.For) else set())
        # a function called in the body may update its arguments in place, a
        # closure any variable it sees (a carry that stays unchanged is dropped)
        assigned |= facts.passed
        if any(isinstance(self.env.get(n), Static) and isinstance(self.env[n].obj, LocalFunction)
               for n in facts.called):
            assigned |= {n for n, v in self.env.items() if _can_alias(n) and isinstance(v, Var)}
        # a name bound to the same value as an updated one sees in-place updates
        bound = {id(self.env[n]) for n in assigned if n in self.env}
        assigned |= {n for n, v in self.env.items() if id(v) in bound and _can_alias(n)}
        if _contains(body, gast.Return):
            assigned |= {RET, RETURNED}
            self.env.setdefault(RETURNED, Const(False))
        carried = sorted((n for n in assigned if n in self.env or not n.startswith("<")),
                         key=_name_order)
        # names bound to one value before the loop share one carry, so that an
        # in-place update through one name is seen through the others; if
        # the body rebinds them apart, lower it again with a carry per name
        # (sharing serves in-place updates only: without any in the body, the
        # carries are separate from the start and the body is lowered once)
        share = facts.updates_in_place
        try:
            self._lower_loop(s, carried, share, body_prologue, body, target, iterable, test)
        except _AliasesDiverged:
            self._lower_loop(s, carried, False, body_prologue, body, target, iterable, test)

    def _lower_loop(self, s, carried, share, body_prologue, body, target, iterable, test):
        groups = {}
        outer_env, outer_block = self.env, self.block
        for name in carried:
            init = outer_env.get(name, Const(None))
            if isinstance(init, Static):
                raise self.error(s, f"{name!r} refers to a function or module and is "
                                    "reassigned in a loop; this is not supported")
            key = id(init) if share and isinstance(init, Var) else name
            groups.setdefault(key, []).append(name)
        carries, names_of = [], []
        inner = dict(outer_env)
        saved_structure = dict(self.structure)
        for names in groups.values():
            name = names[0]
            var = Var(_hint(name))
            carries.append(Carry(var, outer_env.get(name, Const(None)), None))
            names_of.append(names)
            for n in names:
                inner[n] = var
        self.env = inner
        saved_aliases = (self.alias_partners, self.rebound)
        if not share:
            # aliases carried separately: an in-place update through one name
            # must still reach the others (see _aliases)
            partners = dict(self.alias_partners)
            for names in _alias_groups(carried, outer_env):
                for n in names:
                    partners[n] = set(names) - {n}
            self.alias_partners, self.rebound = partners, set()
        cond_body, cond = [], None
        if test is not None:
            self.block = cond_body
            cond = self.operand(self.expr(test), test)
        self.block = []
        self.env[BRK] = Const(False)
        self.loop_depth += 1
        if body_prologue is not None:
            body_prologue()
        self.lower_block(body)
        self.loop_depth -= 1
        self.alias_partners, self.rebound = saved_aliases
        for c, names in zip(carries, names_of):
            nexts = {id(self.env.get(n, c.var)) for n in names}
            if len(nexts) > 1:
                self.env, self.block = outer_env, outer_block
                self.structure.clear()
                self.structure.update(saved_structure)
                raise _AliasesDiverged()
            c.next = self.operand(self.env.get(names[0], c.var), s)
        # a name the body never changes is no carry: its value is the initial one
        invariant = {c.var: c.init for c in carries if c.next is c.var}
        if invariant:
            ir.substitute(self.block, invariant)
            ir.substitute(cond_body, invariant)
            cond = invariant.get(cond, cond) if isinstance(cond, Var) else cond
        exit_flag = self.env[BRK]
        loop = Loop(self.block, [c for c in carries if c.var not in invariant], target,
                    iterable, cond_body, cond,
                    None if exit_flag == Const(False) else exit_flag, self.src.loc(s))
        self.env, self.block = outer_env, outer_block
        for c, names in zip(carries, names_of):
            for n in names:
                self.env[n] = invariant.get(c.var, c.var)
        self.block.append(loop)

    # ----------------------------------------------------------- expressions
    def expr(self, node, statement=False):
        method = getattr(self, "expr_" + type(node).__name__, None)
        if method is None:
            raise self.error(node, f"{_describe(node)} is not supported")
        if statement and isinstance(node, gast.Call):
            return method(node, statement=True)
        return method(node)

    def expr_Constant(self, node):
        return Const(node.value)

    def expr_Name(self, node):
        return self.load_name(node)

    def load_name(self, node):
        name = node.id
        if name in self.env:
            return self.env[name]
        if name in self.local_names:
            raise self.error(node, f"local variable {name!r} is used before it is assigned")
        kind, obj = self.scope.lookup(name)
        if kind is None:
            raise self.error(node, f"name {name!r} is not defined")
        if is_static(obj):
            return Static(obj)
        if kind == "global" and self.prologue is not None and self.scope.globals is self.live_globals:
            # data globals of the differentiated function's module are read
            # live by the generated code, like normal Python
            cache = self.global_cache
            if name not in cache:
                v = Var(name)
                observed = obj if self.specialise and _observable(obj) else None
                self.prologue.append(Op(v, runtime.global_value, [Const(name)], {},
                                        self.src.loc(node), observed=observed))
                cache[name] = v
            return cache[name]
        return Const(obj)

    def expr_Attribute(self, node):
        base = self.expr(node.value)
        if isinstance(base, Static):
            try:
                obj = getattr(base.obj, node.attr)
            except AttributeError:
                raise self.error(node, f"{_dotted(node)} does not exist") from None
            if is_static(obj):
                return Static(obj)
            return Const(obj)
        fn = ATTRIBUTES.get(node.attr)
        if fn is None:
            raise self.error(node, f"the attribute .{node.attr} is not supported")
        return self.emit(fn, [self.operand(base, node.value)], node=node)

    def expr_Call(self, node, statement=False):
        if any(isinstance(a, gast.Starred) for a in node.args) or any(
                k.arg is None for k in node.keywords):
            raise self.error(node, "*args and **kwargs in calls are not supported")
        func = node.func
        if isinstance(func, gast.Attribute):
            recv = self.expr(func.value)
            if not isinstance(recv, Static):
                return self.method_call(node, func, self.operand(recv, func.value), statement)
            callee = self.expr(func)
        else:
            callee = self.expr(func)
        if not isinstance(callee, Static):
            raise self.error(node, "calling a value computed inside the function is not "
                                   "supported; call a function by its name")
        fn = callee.obj
        args = [self.operand(self.expr(a), a) for a in node.args]
        if isinstance(fn, LocalFunction):
            kwargs = {k.arg: self.operand(self.expr(k.value), k.value) for k in node.keywords}
            return fn.call(args, kwargs, node)
        kwargs = {k.arg: self.operand(self.expr(k.value), k.value) for k in node.keywords}
        if rules.is_static_call(fn):
            # evaluated as the code is made (e.g. SciPy's array_namespace(x),
            # which is numpy for the arrays ast_ad differentiates)
            return Static(rules.STATIC_CALLS[fn](*args, **kwargs))
        if fn in (builtins.max, builtins.min) and len(args) > 2 and not kwargs:
            result = args[0]
            for a in args[1:]:          # max(a, b, c) == max(max(a, b), c)
                result = self.emit(fn, [result, a], node=node)
            return result
        if fn in (zip, enumerate, reversed, map, filter, iter, next):
            raise self.error(node, f"{fn.__name__}(...) is supported only as the iterable "
                                   "of a for loop")
        if fn is builtins.sum and len(args) == 1 and isinstance(args[0], Var) \
                and isinstance(self.structure.get(args[0]), list):
            # sum of a list whose elements are known: a chain of additions
            elts = self.structure[args[0]]
            total = Const(0)
            for e in elts:
                total = e if total == Const(0) else self.emit(operator.add, [total, e], node=node)
            return total
        if fn in (builtins.tuple, builtins.list) and len(args) == 1 and isinstance(args[0], Var) \
                and isinstance(self.structure.get(args[0]), list):
            return self._pack(self.structure[args[0]], list if fn is builtins.list else tuple)
        if fn is builtins.list and not args:
            return self._pack([], list)
        if fn is np.copy:
            return self.emit(runtime.identity, args, node=node)
        if self._is_user_function(fn):
            return self.inline(fn, args, kwargs, node)
        return self.emit(fn, args, kwargs, node=node)

    def _is_user_function(self, fn):
        if not isinstance(fn, types.FunctionType) or rules.is_primitive(fn):
            return False
        module = getattr(fn, "__module__", "") or ""
        return module.split(".")[0] not in OPAQUE_MODULES

    def method_call(self, node, func, recv, statement):
        name = func.attr
        args = [self.operand(self.expr(a), a) for a in node.args]
        kwargs = {k.arg: self.operand(self.expr(k.value), k.value) for k in node.keywords}
        if isinstance(recv, Const) and isinstance(recv.value, (str, bytes, tuple, int, float)) \
                and all(isinstance(a, Const) for a in args + list(kwargs.values())):
            # a method of an immutable constant (e.g. a dict key's .startswith):
            # evaluated now, as the code is made
            try:
                return Const(getattr(recv.value, name)(*[a.value for a in args],
                                                       **{k: v.value for k, v in kwargs.items()}))
            except Exception as e:
                raise self.error(node, f"{type(recv.value).__name__}.{name}: {e}") from None
        if name == "append":
            if not (statement and isinstance(func.value, gast.Name)):
                raise self.error(node, "list.append is supported only as a statement on a "
                                       "local list (xs.append(v))")
            old = self.load_name(func.value)
            if isinstance(old, Var) and isinstance(self.structure.get(old), list) \
                    and self.loop_depth == 0:
                new = self._pack(self.structure[old] + args, list)
            else:
                new = self.emit(runtime.append, [old] + args, node=node)
            new.hint = new.hint or func.value.id
            self._rebind(old, func.value.id, new)     # (aliases see the append)
            return Const(None)
        if name in ("item", "tolist") and not args:
            return self.emit(runtime.scalar if name == "item" else runtime.identity, [recv],
                             node=node)
        fn = METHODS.get(name)
        if fn is None:
            if name == "astype":
                return self.emit(np.asarray, [recv] + args, kwargs, node=node)
            raise self.error(node, f"the method .{name}() is not supported")
        if fn is _reshape_method:
            shape = args[0] if len(args) == 1 else self._pack(args)
            return self.emit(np.reshape, [recv, shape], kwargs, node=node)
        if fn is _transpose_method:
            axes = [args[0] if len(args) == 1 else self._pack(args)] if args else []
            return self.emit(np.transpose, [recv] + axes, node=node)
        return self.emit(fn, [recv] + args, kwargs, node=node)

    def _pack(self, items, kind=tuple):
        fn = runtime.make_tuple if kind is tuple else runtime.make_list
        if all(isinstance(i, Const) for i in items) and kind is tuple:
            return Const(tuple(i.value for i in items))
        var = self.emit(fn, items)
        self.structure[var] = list(items)
        return var

    def expr_Tuple(self, node):
        return self._pack([self.operand(self.expr(e), e) for e in self._no_star(node.elts)])

    def expr_List(self, node):
        return self._pack([self.operand(self.expr(e), e) for e in self._no_star(node.elts)], list)

    def _no_star(self, elts):
        for e in elts:
            if isinstance(e, gast.Starred):
                raise self.error(e, "starred expressions are not supported")
        return elts

    def expr_Dict(self, node):
        if any(k is None for k in node.keys) or not all(isinstance(k, gast.Constant) for k in node.keys):
            raise self.error(node, "dict literals need constant keys")
        keys = tuple(k.value for k in node.keys)
        values = [self.operand(self.expr(v), v) for v in node.values]
        var = self.emit(runtime.make_dict, [Const(keys)] + values, node=node)
        self.structure[var] = dict(zip(keys, values))
        return var

    def expr_BinOp(self, node):
        fn = BINOPS.get(type(node.op))
        if fn is None:
            raise self.error(node, f"the operator {type(node.op).__name__} is not supported")
        a = self.operand(self.expr(node.left), node.left)
        b = self.operand(self.expr(node.right), node.right)
        return self.emit(fn, [a, b], node=node)

    def expr_UnaryOp(self, node):
        a = self.operand(self.expr(node.operand), node.operand)
        return self.emit(UNARYOPS[type(node.op)], [a], node=node)

    def expr_Compare(self, node):
        left = self.operand(self.expr(node.left), node.left)
        if len(node.ops) == 1:
            right = self.operand(self.expr(node.comparators[0]), node.comparators[0])
            return self.emit(CMPOPS[type(node.ops[0])], [left, right], node=node)
        # a < b < c  ==  (a < b) and (b < c), with b evaluated once
        rights = [self.operand(self.expr(c), c) for c in node.comparators]
        parts = []
        for op, right in zip(node.ops, rights):
            parts.append((CMPOPS[type(op)], left, right))
            left = right
        result = self.emit(parts[0][0], list(parts[0][1:]), node=node)
        for fn, a, b in parts[1:]:
            result = self._short_circuit(result, lambda fn=fn, a=a, b=b: self.emit(fn, [a, b], node=node),
                                         True, node)
        return result

    def expr_BoolOp(self, node):
        is_and = isinstance(node.op, gast.And)
        result = self.operand(self.expr(node.values[0]), node.values[0])
        for v in node.values[1:]:
            result = self._short_circuit(result, lambda v=v: self.operand(self.expr(v), v),
                                         is_and, node)
        return result

    def _short_circuit(self, first, rest, is_and, node):
        """`first and rest()` / `first or rest()` with Python's semantics: the
        second operand is evaluated only when needed."""
        if isinstance(first, Const):
            return rest() if bool(first.value) == is_and else first
        outer = self.block
        self.block = []
        second = rest()
        then_block = self.block
        self.block = outer
        var = Var()
        if is_and:
            self.block.append(If(first, then_block, [], [Phi(var, second, first)], self.src.loc(node)))
        else:
            self.block.append(If(first, [], then_block, [Phi(var, first, second)], self.src.loc(node)))
        return var

    def expr_IfExp(self, node):
        cond = self.operand(self.expr(node.test), node.test)
        if isinstance(cond, Const):
            return self.operand(self.expr(node.body if cond.value else node.orelse), node)
        outer = self.block
        values, blocks = [], []
        for e in (node.body, node.orelse):
            self.block = []
            values.append(self.operand(self.expr(e), e))
            blocks.append(self.block)
        self.block = outer
        var = Var()
        self.block.append(If(cond, blocks[0], blocks[1], [Phi(var, values[0], values[1])],
                             self.src.loc(node)))
        return var

    def expr_ListComp(self, node):
        """``[elt for t in it if c]``: lowered as the loop that appends."""
        if len(node.generators) != 1 or node.generators[0].is_async:
            raise self.error(node, "comprehensions with several `for` clauses are not "
                                   "supported; write the loops out")
        gen = node.generators[0]
        self._comp_count = getattr(self, "_comp_count", 0) + 1
        hidden = f"<comp{self._comp_count}>"
        saved = {n: self.env[n] for n in _target_names(gen.target) if n in self.env}
        self.env[hidden] = self._pack([], list)
        load = gast.Name(id=hidden, ctx=gast.Load(), annotation=None, type_comment=None)
        append = gast.Expr(value=gast.Call(
            func=gast.Attribute(value=load, attr="append", ctx=gast.Load()),
            args=[node.elt], keywords=[]))
        body = [append]
        for cond in reversed(gen.ifs):
            body = [gast.If(test=cond, body=body, orelse=[])]
        loop = gast.For(target=gen.target, iter=gen.iter, body=body, orelse=[], type_comment=None)
        gast.copy_location(loop, node)
        for n in gast.walk(loop):
            if not hasattr(n, "lineno") and hasattr(node, "lineno"):
                n.lineno, n.col_offset = node.lineno, node.col_offset
        self.stmt_For(loop)
        result = self.env.pop(hidden)
        for n in _target_names(gen.target):
            self.env.pop(n, None)
        self.env.update(saved)
        return result

    expr_GeneratorExp = expr_ListComp

    def expr_Subscript(self, node):
        base = self.operand(self.expr(node.value), node.value)
        index = self.index(node.slice)
        return self.element(base, index, node)

    def index(self, node):
        """An index expression as one operand (Const when it is static)."""
        if isinstance(node, gast.Slice):
            parts = [self.operand(self.expr(p), p) if p is not None else Const(None)
                     for p in (node.lower, node.upper, node.step)]
            if all(isinstance(p, Const) for p in parts):
                return Const(slice(*(p.value for p in parts)))
            return self.emit(builtins.slice, parts, node=node)
        if isinstance(node, gast.Tuple):
            parts = [self.index(e) for e in node.elts]
            if all(isinstance(p, Const) for p in parts):
                return Const(tuple(p.value for p in parts))
            return self.emit(runtime.make_tuple, parts, node=node)
        return self.operand(self.expr(node), node)



# ---------------------------------------------------------------- analysis

def _describe(node):
    names = {
        "Try": "try/except", "With": "the with statement", "Yield": "yield (generators)",
        "YieldFrom": "yield from", "Lambda": "lambda", "ListComp": "list comprehensions",
        "DictComp": "dict comprehensions", "SetComp": "set comprehensions",
        "GeneratorExp": "generator expressions", "Global": "the global statement",
        "Nonlocal": "the nonlocal statement", "ClassDef": "class definitions",
        "FunctionDef": "nested function definitions", "AsyncFunctionDef": "async functions",
        "Await": "await", "Raise": "raise", "Assert": "assert", "Delete": "del",
        "Import": "import inside the function", "ImportFrom": "import inside the function",
        "Starred": "starred expressions", "JoinedStr": "f-strings", "NamedExpr": "the := operator",
        "Set": "set literals", "Match": "match statements",
    }
    return names.get(type(node).__name__, type(node).__name__)


def _dotted(node):
    if isinstance(node, gast.Attribute):
        return _dotted(node.value) + "." + node.attr
    if isinstance(node, gast.Name):
        return node.id
    return "..."


def _name_order(name):
    return (name.startswith("<"), name)


def _target_names(t):
    if isinstance(t, gast.Name):
        return {t.id}
    if isinstance(t, (gast.Tuple, gast.List)):
        out = set()
        for e in t.elts:
            out |= _target_names(e)
        return out
    if isinstance(t, gast.Subscript):
        return _target_names(t.value)
    if isinstance(t, gast.Starred):
        return _target_names(t.value)
    return set()


class _BodyFacts:
    """What lowering needs to know about a body before lowering it, read in
    one walk and kept on the node (a tree is parsed once per function but
    lowered at every call site and for every specialisation)."""
    __slots__ = ("assigned", "passed", "called", "updates_in_place")

    def __init__(self, body):
        self.assigned = frozenset(_assigned_names(body))    # names (re)bound
        passed, called, in_place = set(), set(), False
        for st in body:
            for n in gast.walk(st):
                if isinstance(n, gast.Call):
                    if isinstance(n.func, gast.Name):
                        called.add(n.func.id)                # (a closure?)
                    passed.update(a.id for a in list(n.args) + [k.value for k in n.keywords]
                                  if isinstance(a, gast.Name))
                # item or slice assignment, augmented assignment, .append
                in_place = in_place or isinstance(n, gast.AugAssign) or (
                    isinstance(n, gast.Subscript) and isinstance(n.ctx, gast.Store)) or (
                    isinstance(n, gast.Attribute) and n.attr == "append")
        self.passed, self.called = frozenset(passed), frozenset(called)
        self.updates_in_place = in_place


def _facts(node) -> _BodyFacts:
    facts = getattr(node, "_ast_ad_facts", None)
    if facts is None:
        facts = node._ast_ad_facts = _BodyFacts(node.body)
    return facts


def _assigned_names(stmts):
    """Names a statement list (re)binds, nested blocks included."""
    out = set()
    for s in stmts:
        for node in gast.walk(s):
            if isinstance(node, (gast.Assign,)):
                for t in node.targets:
                    out |= _target_names(t)
            elif isinstance(node, (gast.AugAssign, gast.AnnAssign)):
                out |= _target_names(node.target)
            elif isinstance(node, gast.For):
                out |= _target_names(node.target)
            elif isinstance(node, gast.Expr) and isinstance(node.value, gast.Call) \
                    and isinstance(node.value.func, gast.Attribute) \
                    and node.value.func.attr == "append" \
                    and isinstance(node.value.func.value, gast.Name):
                out.add(node.value.func.value.id)     # xs.append(v) rebinds xs
    return out


def _contains(stmts, kind):
    """Whether a statement of type `kind` (return, break, continue) occurs in
    `stmts`, nested blocks included; a nested function's body is its own.
    (Statements only: walking every expression node cost ~40% of lowering.)"""
    for s in stmts:
        if isinstance(s, kind):
            return True
        if isinstance(s, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)):
            continue
        for field in ("body", "orelse", "handlers", "finalbody"):
            block = getattr(s, field, None)
            if type(block) is list and _contains(block, kind):
                return True
    return False


def _may_leave(s):
    """Whether an `if` statement contains a return, break or continue that
    leaves the current block (break/continue of an inner loop do not)."""
    def visit(stmts):
        for st in stmts:
            if isinstance(st, (gast.Return, gast.Break, gast.Continue)):
                return True
            if isinstance(st, gast.If) and (visit(st.body) or visit(st.orelse)):
                return True
            if isinstance(st, (gast.For, gast.While)) and _contains(st.body, gast.Return):
                return True
        return False
    return visit(s.body) or visit(s.orelse)
