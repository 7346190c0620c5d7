"""Lower a gast function to the SSA IR (see ir.py).

One mechanism, `Lowerer.inline`, lowers a Python function's body with its
parameters bound to objects.  It serves three callers: the function being
differentiated (parameters bound to fresh Vars), calls to the user's helper
functions (inlined, so each call's intermediates join the trace), and the
derivative rules (rules are Python functions inlined with the primal operands).

What lowering guarantees:
* every operator becomes a call of the canonical callable object
  (``a * b`` -> ``operator.mul``; ``x.sum()`` -> ``numpy.sum``);
* names are resolved by object (resolve.py);
* names refer to objects, and updates in place (``+=`` on arrays, item
  assignment, ``append``, a helper updating its argument) reach every name,
  view and container that refers to the same object, as in Python
  (memory.py); what cannot be followed exactly is refused at its line;
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
import functools
import inspect
import operator
import os
import types
import warnings

import gast
import numpy as np

from . import as_einsum, ir, primitives, runtime
from . import rules
from .rules import numpy_formulas
from .avals import (Array, GENERATORS, STATIC_VALUES, Known, Map, Num, Other, Seq, UNKNOWN,
                    Aval, concrete, index_is_basic, is_mutable, is_numeric, join, of_value,
                    shape_of)
from .errors import DifferentiationError, NoRuleError, UnsupportedSyntaxError
from .infer import op_aval, shape_mismatch
from .ir import Const, Var, Op, If, Loop, Carry, Phi
from .memory import Elements, Memory, Obj
from .resolve import Scope, is_static
from .source import read_source
from .callables import numba_python_function

RET, BRK, RETURNED = "<return>", "<break>", "<returned>"
# names the generated code uses for these (the namer keeps them unique)
PSEUDO_HINTS = {RET: "retval", BRK: "stop", RETURNED: "returned"}


def _hint(name):
    return PSEUDO_HINTS.get(name, "") if name.startswith("<") else name


BINOPS = primitives.of_syntax("binary")       # gast node class -> callable
UNARYOPS = primitives.of_syntax("unary")
CMPOPS = primitives.of_syntax("compare")
rules.nondiff(operator.and_, operator.or_, operator.xor, runtime.is_in, runtime.not_in)


def _reshape_method(x, *shape, **kw):
    return np.reshape(x, shape[0] if len(shape) == 1 else shape, **kw)


def _transpose_method(x, *axes):
    return np.transpose(x, axes[0] if len(axes) == 1 else (axes or None))


# x.method(...) -> canonical callable(x, ...)
METHODS = {
    "sum": np.sum, "mean": np.mean, "prod": np.prod, "max": np.max, "min": np.min,
    "var": np.var, "std": np.std, "dot": np.dot, "ravel": np.ravel,
    "flatten": runtime.flatten, "squeeze": np.squeeze, "argmax": np.argmax,
    "argmin": np.argmin, "clip": np.clip, "any": np.any, "all": np.all,
    "round": np.round, "astype": runtime.astype, "copy": np.copy,
    "reshape": _reshape_method, "transpose": _transpose_method,
    # (methods that are the NumPy function of the same name, array first)
    "cumsum": np.cumsum, "cumprod": np.cumprod, "swapaxes": np.swapaxes, "repeat": np.repeat,
    "take": np.take, "diagonal": np.diagonal, "trace": np.trace, "argsort": np.argsort,
    "nonzero": np.nonzero, "conj": np.conj, "conjugate": np.conjugate,
}
ATTRIBUTES = {"T": np.transpose, "shape": np.shape, "ndim": np.ndim, "size": np.size,
              "dtype": runtime.dtype_of, "mT": runtime.matrix_transpose}

# Pure functions folded when all their operands are constants (this is what
# lets rule templates specialise on `axis=None` and friends).
FOLDABLE = {operator.is_, operator.is_not, operator.eq, operator.ne, operator.not_,
            operator.lt, operator.le, operator.gt, operator.ge, operator.add,
            operator.sub, operator.mul, operator.neg, operator.truth, len,
            isinstance, builtins.slice, builtins.float, builtins.int, runtime.is_in,
            runtime.not_in}

# Modules whose Python-level functions are primitives, never looked inside.
OPAQUE_MODULES = ("numpy", "math", "builtins", "ast_ad", "operator", "functools")

# Functions whose result is always a view of their first argument (an update
# of either is seen by the other): the view is read again by re-applying
# the function after its base changes.
VIEWS = primitives.array_functions("view")
# Functions whose result may be a view of their first argument or a copy,
# depending on its memory layout: updating either in place while the other
# is still bound is refused.
# (np.split & co. return lists of views: the list is taken as such a value)
MAYBE_VIEWS = primitives.array_functions("maybe view") | primitives.array_functions("views")


class Static:
    """A compile-time object (module, function, class) seen as an expression."""
    __slots__ = ("obj",)

    def __init__(self, obj):
        self.obj = obj


def _observable(obj):
    """Globals whose kind may specialise the code: numbers and float arrays."""
    return (isinstance(obj, (int, float)) and not isinstance(obj, bool)) or (
        isinstance(obj, np.ndarray) and obj.dtype.kind in "fc")


class _Relower(Exception):
    """A loop body must be lowered again: what it changes differs from what it
    was lowered for (see _LoopPlan)."""

    def __init__(self):
        self.names, self.objs, self.avals = set(), [], {}
        # (materialize: an ordered set, so that the code is laid out the same
        # way every time)
        self.materialize, self.unnames, self.shared_end = {}, set(), set()
        self.may_be = {}
        self.shares = set()


class _LoopPlan:
    """What a loop body is lowered for: the names it rebinds (each refers to
    a carried object at the start of an iteration), the objects whose values
    it changes in place (carried), the widened avals of carried values, the
    containers of known objects that must become plain values before the
    loop, the names whose object may be a view (or shared) from the
    previous iteration, and the objects from before the loop that a name may
    be bound to at the end of an iteration (name -> objects)."""

    def __init__(self, names, objs):
        self.names = set(names)
        self.objs = list(objs)
        self.avals = {}
        self.materialize = {}
        self.shared_end = set()
        self.may_be = {}
        self.shares = set()     # names whose list, at the head, holds objects of other names

    def grow(self, r):
        self.names |= r.names
        self.names -= r.unnames
        for obj in r.objs:
            if obj not in self.objs:
                self.objs.append(obj)
        self.avals.update(r.avals)
        self.materialize.update(r.materialize)
        self.shared_end |= r.shared_end
        self.shares |= r.shares
        for name, objs in r.may_be.items():
            self.may_be.setdefault(name, []).extend(objs)


_MISSING = object()


def _may_be_objects(ref):
    """The objects `ref` may be: itself, or for the merge of a branch (a
    ``break`` or an ``if`` in the loop body) those of either side, or for
    the head of an inner loop, the objects it may be."""
    out, todo = [], [ref]
    while todo:
        o = todo.pop()
        if not isinstance(o, Obj) or o in out:
            continue
        out.append(o)
        if o.merged is not None and o.merged[0] in ("branch", "loop"):
            todo.extend(o.merged[2:])
    return out


class _AtCall:
    """The source of a formula inlined at a call (rules.formula_of): every
    step and every error is located at the call in the user's code."""

    def __init__(self, src, loc):
        self._src, self._loc = src, loc

    def __getattr__(self, name):
        return getattr(self._src, name)

    def loc(self, node):
        return self._loc

    def error(self, node, msg):
        return UnsupportedSyntaxError.at(self._loc, msg)


class Partial:
    """``functools.partial(func, *refs, **kwrefs)`` made inside the function
    being lowered: calls of it call `func` with these arguments first."""

    def __init__(self, func, refs, kwrefs):
        self.func, self.refs, self.kwrefs = func, list(refs), dict(kwrefs)


def _parameter_names(tree):
    a = getattr(tree, "args", None)
    return {p.id for p in a.posonlyargs + a.args + a.kwonlyargs} if a is not None else set()


def _static_or_const(v):
    return Static(v) if is_static(v) and not isinstance(v, np.ndarray) else Const(v)


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
                env[name] = outer.expr(defaults[name])
            else:
                raise outer.error(call_node, f"missing argument {name!r}")
        sub = outer.child(outer.src, outer.scope, outer.stack)
        sub.local_names = outer.local_names | (
            _facts(self.node).assigned if isinstance(self.node.body, list) else set()) | set(names)
        sub.env = {n: sub.as_ref(v, n) for n, v in env.items()}
        sub.env[RET] = Const(None)
        sub.block = outer.block
        sub.cur_loc = outer.cur_loc
        if isinstance(self.node, gast.Lambda):
            result = sub.expr(self.node.body)
        else:
            sub.lower_block(self.node.body)
            result = sub.env[RET]
        outer.block = sub.block
        return result


def lower_function(func, param_avals=None) -> ir.Function:
    """Lower `func` (a Python function) to an `ir.Function`.  With
    `param_avals` (avals.of_value of the arguments) the code is specialised:
    containers of known structure are unpacked into their elements on entry
    (so `params[0]` is a plain variable with an adjoint of its own), and the
    avals decide what updates in place do."""
    src = read_source(func)
    scope = Scope(func)
    mem = Memory()
    lowerer = Lowerer(src, scope, stack=(func,), mem=mem, structure={},
                      live_globals=scope.globals)
    lowerer.specialise = param_avals is not None
    args = src.tree.args
    # (in the order of the signature: *args is one tuple, **kwargs one dict)
    names = [a.id for a in args.posonlyargs + args.args + (
        [args.vararg] if args.vararg is not None else []) + args.kwonlyargs + (
        [args.kwarg] if args.kwarg is not None else [])]
    params = [Var(n) for n in names]
    prologue = []
    lowerer.prologue = prologue
    env = {}
    avals = list(param_avals) if param_avals is not None else [UNKNOWN] * len(params)
    for p, name, aval in zip(params, names, avals + [UNKNOWN] * (len(params) - len(avals))):
        mem.avals[p] = aval
        env[name] = lowerer.unpack_param(p, aval, prologue, src.loc(src.tree), name)
    owned = [_held_by(mem, env[name]) for name in names]
    body = []
    ret = lowerer.lower_body(env, body)
    if isinstance(ret, Static):
        raise src.error(src.tree, f"{src.tree.name!r} returns a function or module, which "
                                  "cannot be differentiated")
    ret = lowerer.operand(ret)
    fn = ir.Function(src.tree.name, params, prologue + body, ret, param_names=names,
                     origin=src, structure=lowerer.structure)
    fn.mutated_params = _mutated_params(mem, owned)
    return fn


def _held_by(mem, obj):
    """The objects a parameter is on entry: itself and the elements of a
    container of known structure (and theirs)."""
    out, todo = set(), [obj]
    while todo:
        o = todo.pop()
        if not isinstance(o, Obj) or o in out:
            continue
        out.add(o)
        held = mem.store.get(o)
        if isinstance(held, Elements):
            todo.extend(held.items)
    return out


def _mutated_params(mem, owned):
    """The positions of the parameters (`owned`: the objects each is on
    entry) that an update in place reached: the object updated, what it is
    a view or element of, or what a branch or an iteration chose it from."""
    reached, todo = set(), list(mem.updated)
    while todo:
        o = todo.pop()
        if not isinstance(o, Obj) or o in reached:
            continue
        reached.add(o)
        if o.view is not None:
            todo.append(o.view[0])
        if o.merged is not None:
            todo.extend(o.merged[2:])
        todo.extend(o.link or ())
    return tuple(k for k, objs in enumerate(owned) if objs & reached)


class Lowerer:
    specialise = False   # record the kinds of the globals read (lower_function)

    def __init__(self, src, scope, stack, mem, structure, prologue=None, live_globals=None,
                 global_cache=None, parent=None):
        self.src = src
        self.mem = mem                 # shared: the objects and their values (memory.py)
        self.live_globals = live_globals
        self.global_cache = {} if global_cache is None else global_cache
        self.scope = scope
        self.stack = stack
        self.structure = structure     # shared: Var -> elements of a container made here
        self.prologue = prologue
        self.parent = parent           # the Lowerer whose code this one is inlined into
        self.loop_depth = parent.loop_depth if parent is not None else 0
        self.local_names = _facts(src.tree).assigned | {
            a.id for a in src.tree.args.posonlyargs + src.tree.args.args + src.tree.args.kwonlyargs}

    def child(self, src, scope, stack):
        """A Lowerer for a function inlined into this one (same objects)."""
        sub = Lowerer(src, scope, stack, self.mem, self.structure, self.prologue,
                      self.live_globals, self.global_cache, parent=self)
        sub.specialise = self.specialise
        return sub

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
        if fn is operator.mul and len(args) == 2 and not kwargs:
            kinds = [concrete(self.aval(a)) for a in args]
            for k in (0, 1):
                n = kinds[1 - k]
                if isinstance(kinds[k], Seq) and (
                        isinstance(n, Num) and n.kind in "iub"
                        or isinstance(n, Known) and isinstance(n.value, (int, np.integer))):
                    # xs * n repeats a list: a primitive of its own (no
                    # derivative w.r.t. the count)
                    fn, args = runtime.repeat_sequence, [args[k], args[1 - k]]
                    break
        target = Var(hint)
        loc = self.src.loc(node) if node is not None else self.cur_loc
        op = Op(target, fn, args, kwargs, loc)
        self.block.append(op)
        self.mem.avals[target] = op_aval(op, self.mem.avals)
        if self.specialise and not self.mem.conditional:
            # (where the code may not run -- a branch, a loop body -- the
            # error is raised by the generated code if it does run)
            wrong = shape_mismatch(op, self.mem.avals)
            if wrong is not None:
                raise DifferentiationError.at(loc, f"{wrong} (the arguments' shapes do not "
                                                   "fit this operation)")
        return target

    def operand(self, value, node=None):
        """`value` (an expression's result) as an IR operand: a compile-time
        object becomes a Const, an object its current value."""
        if isinstance(value, Static):
            return Const(value.obj)
        if isinstance(value, Obj):
            return self.value_of(value)
        return value

    def as_ref(self, value, hint=""):
        """What a name bound to `value` refers to: the object itself, a fresh
        object for a value made by an expression, a Static as it is."""
        if isinstance(value, (Obj, Static)):
            if isinstance(value, Obj):
                self.mem.bind(value)
            return value
        return self.mem.new(value, hint)

    def aval(self, o):
        return self.mem.aval(o)

    # --------------------------------------------------------------- objects
    def value_of(self, obj):
        """The current value of `obj`; a container of known objects is built
        (once for each set of element values)."""
        v = self.mem.store.get(obj, Const(None))
        if not isinstance(v, Elements):
            return v
        values = tuple(self.value_of(o) for o in v.items)
        if v.var is not None and v.values is not None and len(values) == len(v.values) \
                and all(a is b for a, b in zip(values, v.values)):
            return v.var
        if v.kind is dict:
            var = self.emit(runtime.make_dict, [Const(v.keys)] + list(values), hint=obj.hint)
            self.structure[var] = dict(zip(v.keys, values))
        else:
            maker = runtime.make_tuple if v.kind is tuple else runtime.make_list
            if v.kind is tuple and all(isinstance(x, Const) for x in values):
                return Const(tuple(x.value for x in values))
            var = self.emit(maker, list(values), hint=obj.hint)
            self.structure[var] = list(values)
        self.mem.store[obj] = Elements(v.kind, v.keys, v.items, var, values)
        return var

    def new_container(self, kind, items, keys=None, hint=""):
        """A fresh list, tuple or dict object holding the objects `items`."""
        items = tuple(self.as_ref(i) if not isinstance(i, Static) else self.as_ref(
            Const(i.obj)) for i in items)
        return self.mem.new(Elements(kind, keys, items), hint)

    def unpack_param(self, var, aval, block, loc, hint):
        """The object of a parameter: a container of known structure is
        unpacked into objects for its elements (recursively)."""
        if isinstance(aval, Known) and isinstance(aval.value, STATIC_VALUES):
            return Static(aval.value)       # (a function passed in: calls of it are inlined)
        a = concrete(aval)
        if isinstance(a, Seq) and a.elts is not None:
            keys, elts = list(range(len(a.elts))), list(a.elts)
        elif isinstance(a, Map):
            keys, elts = list(a.keys), list(a.values)
        else:
            return self.mem.new(var, hint)
        items, values = [], []
        for key, e in zip(keys, elts):
            v = Var()
            block.append(Op(v, operator.getitem, [var, Const(key)], {}, loc, explode=e))
            self.mem.avals[v] = e
            items.append(self.unpack_param(v, e, block, loc, ""))
            values.append(v)
        self.structure[var] = dict(zip(keys, values)) if isinstance(a, Map) else values
        kind = dict if isinstance(a, Map) else a.type
        return self.mem.new(Elements(kind, tuple(keys) if kind is dict else None, tuple(items),
                                     var, tuple(values)), hint)

    def all_envs(self):
        """The environments of this function and of those it is inlined into,
        each with the names read after the statement being lowered (None:
        every name may be)."""
        out, lw = [], self
        while lw is not None:
            out.append((lw.env, lw.live_after()))
            lw = lw.parent
        return out

    def live_after(self):
        """Names this function reads after the current statement (None when
        not known: it defines closures, which read names when called)."""
        stmt = getattr(self, "cur_stmt", None)
        if stmt is None or _liveness(self.src.tree) is None:
            return None
        return getattr(stmt, "_ast_ad_live", None)

    def update(self, obj, new, node, source=None, written=None):
        """`obj` was changed in place: its value is now `new`.  Every name
        bound to it sees that (they share the Obj); a view or element writes
        it through to its base; the base's other views are read again.
        `source`: the view whose write-through this is; `written`: the index
        the update wrote (for the elements of containers)."""
        self.check_updatable(obj, node)
        self.mem.updated.add(obj)
        old = self.mem.store.get(obj, Const(None))
        self.mem.store[obj] = new
        if isinstance(old, Elements) and not isinstance(new, Elements):
            self._elements_become_views(obj, old)
        if obj.view is None and not self.mem.views.get(obj) and not obj.link:
            return
        if isinstance(new, Elements):
            new = self.value_of(obj)
        if isinstance(old, Elements):
            old = old.var if old.var is not None else Const(None)
        if obj.view is not None and obj.view[0] is not source:
            self._write_through(obj, old, new, node)
        self._refresh_views(obj, new, node, skip=source, written=written)
        for other in obj.link or ():
            if other is not source:
                both = self.emit(runtime.inplace_alias, [self.value_of(other), new], node=node)
                self.update(other, both, node, source=obj)

    def _elements_become_views(self, obj, old):
        """A container of known objects now has a value computed at run time
        (an element written at a run-time index): its objects are from now on
        elements of that value, read again when an element is written."""
        keys = old.keys if old.kind is dict else range(len(old.items))
        placed = set()
        for key, item in zip(keys, old.items):
            if item.origin is not None or is_mutable(self.aval(self.value_of(item))) is False:
                continue
            if item.view is not None or id(item) in placed:
                # one object in two places (twice in this container, or a
                # view or element of another object too): an update through
                # one place would leave the other stale, so neither the
                # object nor this container's elements are updated in place
                self._escape(item)
                obj.shares = True
                continue
            placed.add(id(item))
            self.mem.make_view(item, (obj, Const(key), "element"))

    def check_updatable(self, obj, node):
        """Refuse an update in place that cannot be followed exactly."""
        name = _display_name(obj)
        other = self._may_be_merged(obj)
        if other is not None:
            raise self.error(node, f"{name!r} is updated in place while "
                                   f"{other.hint or 'another name'!r} may be the same object, "
                                   "a view of it or a list holding it (depending on a branch "
                                   "taken or on the iteration): ast_ad cannot follow that exactly; make a copy "
                                   "(x.copy()) or rebind instead (x = x + ...)")
        if obj.origin == "global":
            raise self.error(node, f"{name!r} is a module global (or a closure variable); "
                                   "updating it in place would change your data, which "
                                   "ast_ad never does: make a copy first (x = x.copy())")
        part = obj
        while part.view is not None:
            base, _, how = part.view
            if how != "array" and base.shares:
                raise self.error(node, f"{name!r} is an element of a list that holds objects "
                                       "other names also refer to (stored with append or item "
                                       "assignment, and not tracked one by one), and is updated "
                                       "in place, which those names would see: ast_ad cannot "
                                       f"follow that exactly; rebind instead ({name} = {name} "
                                       "+ ...)")
            part = base
        stored = self._escaped_memory(obj)
        if stored is not None:
            raise self.error(node, f"{name!r} (or a view sharing its memory) was stored in a "
                                   "list whose elements ast_ad does not track (appended in a "
                                   f"loop), and {name!r} is then updated in place, which the "
                                   "list would see: update a copy, or rebind it (x = x + ...)")
        if obj.merged is not None:
            # (the objects it may be, and those they may be in turn: a loop
            # may start from an object a branch chose)
            candidates, todo = [], [o for o in obj.merged[2:] if isinstance(o, Obj)]
            while todo:
                o = todo.pop()
                if o in candidates or o is obj:
                    continue
                candidates.append(o)
                if o.merged is not None:
                    todo.extend(m for m in o.merged[2:] if isinstance(m, Obj))
            if obj.merged[-1] is True:
                raise self.error(node, f"{name!r} may be, from the previous iteration, a view of "
                                       "an array or an object other names refer to, and is "
                                       "updated in place: ast_ad cannot follow that exactly; "
                                       f"write {name} = {name} + ... (a new object) instead")
            envs = self.all_envs()
            for o in candidates:
                if self._escaped_memory(o) is not None:
                    raise self.error(node, f"{name!r} may be (depending on "
                                           f"{'the branch taken' if obj.merged[0] == 'branch' else 'the iteration'}) "
                                           "an object that was stored in a list whose elements "
                                           "ast_ad does not track, and is updated in place, which "
                                           "the list would see: update a copy, or rebind it "
                                           f"({name} = {name} + ...)")
                if self.mem.referrers(o, envs, exclude=obj) or self._live_view(o, envs) \
                        or o.view is not None or any(
                            self.mem.referrers(k, envs, exclude=obj) for k in o.link or ()):
                    # (o.link: names whose object may be o, decided by type at run time)
                    why = "depending on the branch taken" if obj.merged[0] == "branch" else \
                        "depending on the iteration"
                    raise self.error(node, f"{name!r} is the same object as another name (or "
                                           f"a view of one) {why}, and is updated in place: "
                                           "ast_ad cannot follow that exactly; write "
                                           f"{name} = {name} + ... (a new object) instead")

    @staticmethod
    def _escape(obj):
        """`obj` is now held by a list whose elements are not tracked: it,
        and the arrays it is a view of (whose updates it would show), may no
        longer be updated in place.  (Marked on the bases too, as a loop
        lowered again forgets the views its body made, not this.)"""
        todo, seen = [obj], set()
        while todo:
            obj = todo.pop()
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            obj.escaped = True
            # (an object a branch or an iteration chose may be any of those
            # it merged: `[x if c else y for ...]` holds x itself, or y)
            if obj.merged is not None:
                todo.extend(o for o in obj.merged[2:] if isinstance(o, Obj))
            while obj.view is not None and obj.view[2] != "element":
                obj = obj.view[0]
                obj.escaped = True
                if obj.merged is not None:
                    todo.extend(o for o in obj.merged[2:] if isinstance(o, Obj))

    def _escaped_memory(self, obj):
        """`obj`, or an object sharing memory with it (a view of it, the
        array it is a view of, or another view of that array), that was
        stored in a list whose elements are not tracked; or None."""
        def shares_memory(o):
            return o.view is not None and o.view[2] != "element"
        todo, seen = [obj], set()
        part = obj
        while shares_memory(part):
            part = part.view[0]
            todo.append(part)
        while todo:
            o = todo.pop()
            if id(o) in seen:
                continue
            seen.add(id(o))
            if o.escaped:
                return o
            todo.extend(v for v in self.mem.views.get(o, ()) if shares_memory(v))
        return None

    def _live_view(self, o, envs, seen=None):
        """Whether a view of `o` (or of a view of it) can still be read: a
        temporary view (``y[:, 1:] += v``) that no name or container holds
        cannot see a later update."""
        seen = set() if seen is None else seen
        for v in self.mem.views.get(o, ()):
            if id(v) in seen:
                continue
            seen.add(id(v))
            if self.mem.referrers(v, envs) or self._live_view(v, envs, seen):
                return True
        return False

    def _overlapping(self, base, value, index=None):
        """`value` is an array view of `base` (or of what `base` views), with
        two or more dimensions: assigning it into `base` copies between
        overlapping memory.  (One-dimensional overlaps, ``a[1:] = a[:-1]``,
        NumPy copies as if through a temporary, as ast_ad does.)  Where the
        target `index` and the view's index are known, as is the shape, the
        overlap is decided exactly: ``U[0, :] = U[1, :]`` copies between
        rows that share no memory."""
        roots = set()
        part = base
        while part is not None:
            roots.add(part)
            part = part.view[0] if part.view is not None and part.view[2] != "element" else None
        a = concrete(self.aval(self.value_of(base)))
        if isinstance(a, Array) and a.shape is not None and len(a.shape) < 2:
            return False
        if isinstance(index, Const) and value.view is not None and value.view[0] is base \
                and value.view[2] == "array" and isinstance(value.view[1], Const) \
                and isinstance(a, Array) and a.shape is not None and None not in a.shape:
            cells = np.arange(int(np.prod(a.shape))).reshape(a.shape)   # (element numbers)
            try:
                return bool(np.intersect1d(np.ravel(cells[index.value]),
                                           np.ravel(cells[value.view[1].value])).size)
            except Exception:
                return True
        part = value
        while part.view is not None and part.view[2] != "element":
            part = part.view[0]
            if part in roots:
                return True
        return False

    def _reachable_through_views(self, base, obj):
        """`base`, or what it is a view of (``x`` for the temporary ``x.T``
        in ``x.T.transpose()``), is read again.  An object a branch or an
        iteration chose may be any of those it merged, and views of them
        (seed 840420: ``(z.reshape(3, 2) if c else y).T`` written into)."""
        todo, seen = [base], set()
        while todo:
            part = todo.pop()
            if id(part) in seen:
                continue
            seen.add(id(part))
            if self._reachable(part, exclude=obj):
                return True
            if part.merged is not None:
                todo.extend(o for o in part.merged[2:] if isinstance(o, Obj))
            if part.view is not None:
                todo.append(part.view[0])
        return False

    def _write_through(self, obj, old, new, node):
        base, index, how = obj.view
        if base not in self.mem.store:
            # (made on the other side of a branch: `acc = [y]` in one, an
            # update of y in the other; on this path the base does not exist)
            return
        if how in ("opaque", "reapply") and not self._reachable_through_views(base, obj):
            return          # (nothing reads the base again: the write is not seen)
        base_value = self.value_of(base)
        if how == "opaque":
            raise self.error(node, f"{_display_name(obj)!r} may share memory with "
                                   f"{base.hint or 'another array'!r} (np.reshape, ravel, "
                                   "np.split, ... may make views), and is updated in place: "
                                   "make a copy with .copy(), or write the result to a new "
                                   "name")
        if how == "reapply":
            raise self.error(node, f"{_display_name(obj)!r} is a transposed or reshaped "
                                   f"view of {base.hint or 'another array'!r} and is updated "
                                   "in place: update the array itself, or make a copy")
        if how == "unknown":
            new_base = self.emit(runtime.write_through, [base_value, index, old, new], node=node)
        else:
            new_base = self.emit(runtime.setitem_copy, [base_value, index, new], node=node,
                                 hint=base.hint)
        self.update(base, new_base, node, source=obj, written=index if how != "array" else None)

    def _refresh_views(self, obj, new, node, skip=None, written=None):
        """The views and elements of `obj` bound to names, read again after
        `obj` changed: an array view sees the new memory; an element of a
        container is the same object unless its slot was replaced (`written`
        says which slot a write-through of an element came from)."""
        for view in list(self.mem.views.get(obj, ())):
            if view is skip or self.mem.store.get(view) is None:
                continue
            _, index, how = view.view
            old = self.value_of(view)
            if how == "array":
                fresh = self.emit(operator.getitem, [new, index], node=node, hint=view.hint)
            elif how == "reapply":
                fn, args, kwargs = index
                fresh = self.emit(fn, [new] + list(args), kwargs, node=node, hint=view.hint)
            elif how == "opaque":
                if not self._reachable(view) and self._may_be_merged(view) is None:
                    continue
                raise self.error(node, f"{obj.hint or 'this array'!r} is updated in place while "
                                       f"{view.hint or 'a value'!r}, made from it by a function "
                                       "that may return views (np.reshape, ravel, np.split, "
                                       "dict.values(), ...), is still bound: make that one "
                                       "with .copy(), or update a copy")
            elif how == "element":
                if written is None:
                    continue        # the slot was replaced: the old element stays what it was
                if isinstance(index, Const) and isinstance(written, Const):
                    if index != written:
                        continue
                    fresh = self.emit(operator.getitem, [new, index], node=node, hint=view.hint)
                else:
                    fresh = self.emit(runtime.element_refresh, [old, new, index, written],
                                      node=node, hint=view.hint)
            else:
                fresh = self.emit(runtime.view_refresh, [old, new, index, written
                                                         if written is not None else Const(None)],
                                  node=node, hint=view.hint)
            if fresh is old:
                continue
            if view.escaped:
                # (the same object, stored in a list whose elements are not
                # tracked: that list would show the change too)
                raise self.error(node, "this update in place changes an element of "
                                       f"{_display_name(obj)!r} that is also stored in a list "
                                       "whose elements ast_ad does not track (appended in a "
                                       "loop), which would see the change: update a copy, or "
                                       "rebind instead (x = x + ...)")
            other = self._may_be_merged(view)
            if other is not None:
                # (a name that is this view or another object, depending on a
                # branch: its value cannot be read again)
                raise self.error(node, f"{_display_name(obj)!r} is updated in place "
                                       f"while {other.hint or 'another name'!r} may be a "
                                       "view or an element of it (depending on a branch "
                                       "taken or on the iteration): ast_ad cannot follow "
                                       "that exactly; make a copy (x.copy()) or rebind "
                                       "instead (x = x + ...)")
            self.mem.store[view] = fresh
            self._refresh_views(view, fresh, node)

    # --------------------------------------------------------- updating objects
    def inplace(self, obj, new, node, name=None):
        """``x += ...`` where `new` is the result: the object is updated in
        place if it is mutable (an array, a list), else `name` is bound to a
        new object (a number, a tuple).  Returns the object holding `new`."""
        old = self.value_of(obj)
        mutable = is_mutable(self.aval(old))
        hint = name or obj.hint
        if mutable is True:
            a, b = concrete(self.aval(old)), concrete(self.aval(new))
            if isinstance(a, Array) and not (isinstance(b, Array) and b.dtype == a.dtype
                                              and b.shape == a.shape):
                # (an array updated in place stays that array: its shape and
                # dtype -- a 0-d array stays one, float32 stays float32)
                new = self.emit(runtime.like, [new, old], node=node, hint=hint)
            self.update(obj, new, node)
            return obj
        if mutable is False or not self._shared(obj, name):
            fresh = self.mem.new(new, hint)
            if name is not None:
                self.env[name] = fresh
            return fresh
        # not known when the code is made: the other names see `new` if the
        # value turns out to be mutable (the run-time helper decides by type)
        both = self.emit(runtime.inplace_alias, [old, new], node=node, hint=hint)
        self.update(obj, both, node)
        fresh = self.mem.new(new, hint)
        self.mem.link(obj, fresh)
        if name is not None:
            self.env[name] = fresh
        return fresh

    def _may_be_merged(self, obj):
        """A live object of a branch or loop head (other than `obj`) that
        may be `obj`, or None."""
        for o in self._live_merged():
            if o is not obj and (obj in o.merged[2:] or obj in self._held_objects(o.merged[2:])):
                # (one of its objects is `obj`, or holds it: a list that is
                # carried or merged as a value keeps `obj`'s old value)
                return o
        return None

    def _held_objects(self, objs):
        """The objects that the containers among `objs` hold (elements of
        known lists, tuples and dicts, and their elements in turn)."""
        out, todo = [], [o for o in objs if isinstance(o, Obj)]
        while todo:
            o = todo.pop()
            held = self.mem.store.get(o)
            if isinstance(held, Elements):
                for item in held.items:
                    if isinstance(item, Obj) and item not in out:
                        out.append(item)
                        todo.append(item)
        return out

    def _live_merged(self):
        """The objects of branches and loop heads that the function still
        reads (through names, containers or other such objects)."""
        out, seen, todo = [], set(), []
        for env, live in self.all_envs():
            for name, v in env.items():
                if isinstance(v, Obj) and (live is None or name in live or name.startswith("<")):
                    todo.append(v)
        while todo:
            o = todo.pop()
            if id(o) in seen:
                continue
            seen.add(id(o))
            if o.merged is not None:
                out.append(o)
                todo += [m for m in o.merged[2:] if isinstance(m, Obj)]
            if o.view is not None:
                todo.append(o.view[0])      # (a view keeps its base readable)
            value = self.mem.store.get(o)
            if isinstance(value, Elements):
                todo += list(value.items)
        return out

    def _reachable(self, obj, exclude=None):
        """Whether anything the function still reads refers to `obj` (or to
        a view of it other than `exclude`)."""
        envs = self.all_envs()
        if self.mem.referrers(obj, envs):
            return True
        return any(self.mem.referrers(v, envs) for v in self.mem.views.get(obj, ())
                   if v is not exclude)

    def _shared(self, obj, name):
        """Whether `obj` is referred to by more than the name `name`."""
        envs = self.all_envs()
        count = self.mem.referrers(obj, envs)
        live = envs[0][1]
        if name is not None and self.env.get(name) is obj and (live is None or name in live):
            count -= 1      # (the name itself, if it was counted: it is read again)
        return count > 0 or bool(self.mem.views.get(obj)) or obj.view is not None \
            or bool(obj.link) or obj.merged is not None

    def setitem(self, base, index, value, node):
        """``base[index] = value``: the object `base` changes in place."""
        if not isinstance(base, Obj):
            raise self.error(node, "item assignment is supported into a variable, or into "
                                   "an element or slice of one (x[i] = v, x[i][j] = v)")
        cur = self.mem.store.get(base)
        if isinstance(value, Obj) and self._overlapping(base, value, index):
            raise self.error(node, f"the value assigned into {base.hint or 'this array'!r} is a "
                                   "view of the same array: NumPy's result then depends on the "
                                   "order it copies elements in, which ast_ad cannot follow; "
                                   "assign a copy (.copy())")
        if isinstance(cur, Elements):
            if cur.kind is tuple:
                raise self.error(node, "a tuple does not support item assignment")
            if isinstance(index, Const) and (cur.item(index.value) is not None
                                             or cur.kind is dict):
                ref = self.as_ref(value)
                self.update(base, cur.replaced(index.value, ref), node)
                return
            if isinstance(index, Const) and isinstance(index.value, slice):
                self.update(base, self._slice_replaced(cur, index.value, value, node), node)
                return
        if isinstance(value, Obj) and not is_numeric(self.aval(self.value_of(base))):
            # a list or dict now holds this object: later updates of it in
            # place cannot be followed into an untracked container (an
            # array, or a value that is an array if it takes item
            # assignment at all, copies what is assigned into it)
            if is_mutable(self.aval(self.value_of(value))) is not False:
                self._escape(value)
                base.shares = base.shares or self._shared_item(value)
        v = self.operand(value)
        new = self.emit(runtime.setitem_copy, [self.value_of(base), index, v], node=node,
                        hint=base.hint)
        self.update(base, new, node)

    def _slice_replaced(self, cur, where, value, node):
        """The list `cur` after ``xs[where] = value``, as Python does it: the
        objects of `value` (a list or tuple of known objects) replace those
        of the slice, which may change the list's length."""
        held = self.mem.store.get(value) if isinstance(value, Obj) else None
        if not isinstance(held, Elements) or held.kind is dict:
            raise self.error(node, "assignment to a slice of a list is supported with a list "
                                   "or tuple whose elements are known here (xs[1:3] = [a, b])")
        positions = range(len(cur.items))[where]
        items = list(cur.items)
        if where.step is None or where.step == 1:
            start = positions.start if len(positions) else min(
                positions.start, len(items))
            items[start:start + len(positions)] = held.items
        else:
            if len(positions) != len(held.items):
                raise self.error(node, f"attempt to assign a sequence of size {len(held.items)} "
                                       f"to an extended slice of size {len(positions)}")
            for k, obj in zip(positions, held.items):
                items[k] = obj
        return Elements(cur.kind, None, tuple(items))

    def subscript(self, base, index, node):
        """``base[index]``: an element of a container of known objects is
        that object; an array view (basic index) or a mutable element of a
        container is an object that refers to `base` (memory.py)."""
        if isinstance(base, Obj):
            cur = self.mem.store.get(base)
            if isinstance(cur, Elements) and isinstance(index, Const):
                item = cur.item(index.value)
                if item is not None:
                    return item
                if cur.kind is not dict and isinstance(index.value, slice):
                    # a slice of a list or tuple: a new one, of the same objects
                    return self.new_container(cur.kind, cur.items[index.value])
        value = self.operand(base)
        if isinstance(value, Const) and isinstance(index, Const):
            try:
                return Const(value.value[index.value])
            except Exception:
                pass
        out = self.emit(operator.getitem, [value, index], node=node)
        if not isinstance(base, Obj):
            return out
        if self._sequence_slice(value, index):
            # a new list (or tuple) of the same objects, which are no longer
            # tracked one by one: updates of them in place are refused
            if isinstance(cur, Elements):
                self._escape_items(cur)
            elif base.shares or is_mutable(self._element_aval(value)) is not False:
                out = self.mem.new(out, "")
                out.shares = True
            return out
        how = self._view_kind(value, index, out)
        if how is None:
            return out
        return self.mem.new(out, "", view=(base, index, how))

    def _sequence_slice(self, value, index):
        """``xs[i:j]`` of a list or tuple: a copy (of the same elements)."""
        if not isinstance(concrete(self.aval(value)), Seq):
            return False
        if isinstance(index, Const):
            return isinstance(index.value, slice)
        return isinstance(concrete(self.aval(index)), Other) and \
            concrete(self.aval(index)).type is slice

    def _element_aval(self, value):
        """What the elements of a list or tuple are (joined), or unknown."""
        a = concrete(self.aval(value))
        elts = (a.elts if a.elts is not None else (a.elt,)) if isinstance(a, Seq) else ()
        out = None
        for e in elts:
            out = e if out is None else join(out, e)
        return UNKNOWN if out is None else out

    def _view_kind(self, base, index, out):
        """How ``out = base[index]`` refers to `base`: "array" (a view),
        "element" (the element object of a container), "unknown", or None
        (a copy, or an element that cannot be changed in place)."""
        b, r = concrete(self.aval(base)), concrete(self.aval(out))
        if isinstance(b, Array):
            basic = self._basic_index(index) or (
                None if isinstance(index, Const) else index_is_basic(self.aval(index)))
            if basic is False or isinstance(r, Num):
                return None
            # (an index the avals do not tell, a result that may be a
            # number or an array: decided by the values at run time)
            return "array" if isinstance(r, Array) and basic else "unknown"
        if isinstance(b, (Seq, Map)):
            m = is_mutable(r)
            return None if m is False else ("element" if m else "unknown")
        if isinstance(b, (Num,)) or b.__class__.__name__ in ("Other", "Known"):
            return None
        return "unknown"

    def _basic_index(self, index):
        """An index of ints, slices, None and `...` (no index arrays)."""
        def basic(a):
            a = concrete(a)
            if isinstance(a, Num):
                return a.kind in "iu"
            if isinstance(a, Seq):
                return a.type is tuple and a.elts is not None and all(basic(e) for e in a.elts)
            return a.__class__.__name__ == "Other" and a.type in (slice, type(None),
                                                                  type(Ellipsis))
        if isinstance(index, Const):
            parts = index.value if isinstance(index.value, tuple) else (index.value,)
            return all(p is None or p is Ellipsis or isinstance(p, (int, slice))
                       and not isinstance(p, bool) for p in parts)
        return basic(self.aval(index))

    def view_of(self, base, out, how, fn=None, args=(), kwargs=None):
        """`out`, made from the object `base` by a function returning a view
        (`how` "reapply": read again by applying `fn` to the new base) or
        maybe a view ("opaque")."""
        if not isinstance(base, Obj):
            return out
        index = (fn, tuple(args), dict(kwargs or {})) if how == "reapply" else None
        return self.mem.new(out, "", view=(base, index, how))

    # ------------------------------------------------------------- functions
    def lower_body(self, env, block):
        """Lower the function body into `block` with its parameters bound by
        `env` (name -> object or operand); return what it returns (an object,
        an operand or a Static)."""
        self.env = {n: (v if n.startswith("<") else self.as_ref(v, n)) for n, v in env.items()}
        self.env[RET] = Const(None)
        self.block = block
        self.cur_loc = self.src.loc(self.src.tree)
        body = self.src.tree.body
        if body and isinstance(body[0], gast.Expr) and isinstance(body[0].value, gast.Constant) \
                and isinstance(body[0].value.value, str):
            body = body[1:]  # docstring
        self.lower_block(body)
        return self.env[RET]

    def inline(self, func, args, kwargs, node, at_call=False):
        """Lower a call to the user's Python function `func` in place: its
        parameters are bound to the caller's objects, so updates in place
        reach the caller, as in Python.  `at_call`: a formula of ast_ad's
        (rules.formula_of), whose steps and errors are located at the call."""
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
            if p.kind is p.VAR_POSITIONAL:      # (*args: a tuple of the objects passed)
                env[name] = self.new_container(tuple, bound.arguments.get(name, ()))
            elif p.kind is p.VAR_KEYWORD:       # (**kwargs: a dict of them)
                extra = bound.arguments.get(name, {})
                env[name] = self.new_container(dict, list(extra.values()), tuple(extra))
            elif name in bound.arguments:
                env[name] = bound.arguments[name]
            else:
                env[name] = Const(p.default)
        if at_call:
            src = _AtCall(src, self.src.loc(node))
        sub = self.child(src, Scope(func), self.stack + (func,))
        return sub.lower_body(env, self.block)

    # ------------------------------------------------------------ statements
    def lower_block(self, stmts):
        for k, s in enumerate(stmts):
            self.cur_loc = self.src.loc(s)
            self.cur_stmt = s
            if isinstance(s, gast.Return):
                value = self.expr(s.value) if s.value is not None else Const(None)
                self.env[RET] = value
                if self.loop_depth:
                    self.env[RETURNED] = Const(True)
                    self.env[BRK] = Const(True)
                return
            if isinstance(s, gast.Break):
                self.env[BRK] = Const(True)
                return
            if isinstance(s, gast.Raise):
                self.stmt(s)
                return
            if isinstance(s, gast.Continue):
                return
            rest = stmts[k + 1:]
            if isinstance(s, gast.If) and _may_leave(s):
                self.lower_if(s, s.body + rest, s.orelse + rest)
                return
            self.stmt(s)
            if isinstance(s, (gast.For, gast.While)) and _contains(s.body, gast.Return):
                # after a loop that may have returned, the rest runs only if it
                # did not, and an enclosing loop stops too
                if self.loop_depth:
                    brk, returned = self.env[BRK], self.env[RETURNED]
                    self.env[BRK] = returned if brk == Const(False) else \
                        self._short_circuit(brk, lambda: returned, False, s)
                self.branch(self.env[RETURNED], [], rest, s)
                return

    def stmt(self, s):
        method = getattr(self, "stmt_" + type(s).__name__, None)
        if method is None:
            raise self.error(s, _not_supported(s))
        method(s)

    def stmt_Expr(self, s):
        if isinstance(s.value, gast.Constant):
            return
        self.expr(s.value, statement=True)

    def stmt_Pass(self, s):
        pass

    def stmt_With(self, s):
        """``with np.errstate(...):`` and other context managers that only
        change which warnings are shown: their body, as it computes the same
        values (the generated code does not silence the warnings)."""
        for item in s.items:
            call = item.context_expr
            fn = self.expr(call.func) if isinstance(call, gast.Call) else None
            if not (isinstance(fn, Static) and fn.obj in _WARNING_CONTEXTS) \
                    or item.optional_vars is not None:
                raise self.error(s, "this with statement is not supported: only blocks under "
                                    "np.errstate(...) or warnings.catch_warnings() are (they "
                                    "change no value)")
        if _contains(s.body, (gast.Break, gast.Continue, gast.Return, gast.Raise)):
            raise self.error(s, "break, continue, return and raise inside a with block are "
                                "not supported; move them after it")
        self.lower_block(s.body)

    def stmt_Raise(self, s):
        """``raise E(...)``: kept, not differentiated (the rest of its block
        is never run: lower_block stops after it)."""
        if s.exc is None:
            raise self.error(s, "a bare raise (re-raising) is not supported")
        exc = self.operand(self.expr(s.exc), s.exc)
        self.emit(runtime.raise_exception, [exc], node=s)

    def stmt_Assert(self, s):
        """``assert test, msg``: kept, not differentiated, as
        ``if not test: raise AssertionError(msg)``."""
        error = gast.Call(func=gast.Name(id="AssertionError", ctx=gast.Load(), annotation=None,
                                         type_comment=None),
                          args=[s.msg] if s.msg is not None else [], keywords=[])
        check = gast.If(test=gast.UnaryOp(op=gast.Not(), operand=s.test),
                        body=[gast.Raise(exc=error, cause=None)], orelse=[])
        for node in gast.walk(check):
            if not hasattr(node, "lineno"):
                gast.copy_location(node, s)
        self.stmt(check)

    def stmt_FunctionDef(self, s):
        if s.decorator_list:
            raise self.error(s, "decorators on nested functions are not supported")
        self.env[s.name] = Static(LocalFunction(s, self))

    def expr_Lambda(self, node):
        return Static(LocalFunction(node, self))

    def stmt_Assign(self, s):
        value = self.expr(s.value)
        if len(s.targets) > 1 and not isinstance(value, Static):
            value = self.as_ref(value)      # a = b = [] : one object, two names
        for t in s.targets:
            self.assign(t, value)

    def stmt_AnnAssign(self, s):
        if s.value is not None:
            self.assign(s.target, self.expr(s.value))

    def stmt_AugAssign(self, s):
        fn = BINOPS.get(type(s.op))
        if fn is None:
            raise self.error(s, f"augmented assignment with {type(s.op).__name__} is not supported")
        rhs_ref = self.expr(s.value)
        target = s.target
        if isinstance(target, gast.Name):
            obj = self.load_name(target)
            if not isinstance(obj, Obj):
                raise self.error(s, f"{target.id!r} refers to a function or module")
            self.augment(obj, fn, rhs_ref, s, target.id)
        elif isinstance(target, gast.Subscript):
            # x[i] += v is tmp = x[i]; tmp += v; x[i] = tmp
            base = self.expr(target.value)
            index = self.index(target.slice)
            elem = self.as_ref(self.subscript(base, index, target))
            result = self.augment(elem, fn, rhs_ref, s)
            if result is elem and elem.view is not None and elem.view[0] is base \
                    and elem.view[2] in ("array", "element"):
                return      # (updated in place and written through already)
            self.setitem(base, index, result, target)
        else:
            raise self.error(s, "augmented assignment to this target is not supported")

    def augment(self, obj, fn, rhs_ref, node, name=None):
        """``obj op= rhs``: returns the object holding the result."""
        cur = self.mem.store.get(obj)
        if fn is operator.add and isinstance(cur, Elements) and cur.kind is list \
                and isinstance(rhs_ref, Obj) and isinstance(self.mem.store.get(rhs_ref), Elements):
            # xs += [a, b] extends the list in place with those objects
            more = self.mem.store[rhs_ref].items
            self.update(obj, Elements(list, None, cur.items + more), node)
            return obj
        if fn in (operator.add, operator.mul) and isinstance(rhs_ref, Obj) and (
                rhs_ref.shares or self._holds_objects(self.mem.store.get(rhs_ref))):
            # xs += [x] on a list whose elements are not tracked: it now holds
            # x, which other names see (as for xs.append(x))
            held = self.mem.store.get(rhs_ref)
            if isinstance(held, Elements):
                self._escape_items(held)
                obj.shares = obj.shares or any(self._shared_item(i) for i in held.items)
            else:
                obj.shares = True
        old = self.value_of(obj)
        new = self.emit(fn, [old, self.operand(rhs_ref)], node=node, hint=name or obj.hint)
        return self.inplace(obj, new, node, name)

    def assign(self, target, value):
        if isinstance(target, gast.Name):
            ref = self.as_ref(value, target.id)
            if isinstance(ref, Obj):
                v = self.mem.store.get(ref)
                if isinstance(v, Var) and not v.hint:
                    v.hint = target.id
                if not ref.hint:
                    ref.hint = target.id
            self.env[target.id] = ref
        elif isinstance(target, (gast.Tuple, gast.List)):
            for k, elt in enumerate(target.elts):
                if isinstance(elt, gast.Starred):
                    raise self.error(elt, "starred assignment is not supported")
                self.assign(elt, self.subscript(value, Const(k), target))
        elif isinstance(target, gast.Subscript):
            base = self.expr(target.value)
            index = self.index(target.slice)
            self.setitem(base, index, value, target)
        else:
            raise self.error(target, f"assignment to {_describe(target)} is not supported")

    # ------------------------------------------------------------ branches
    def stmt_If(self, s):
        self.lower_if(s, s.body, s.orelse)

    def lower_if(self, s, body, orelse):
        cond = self.operand(self.expr(s.test), s.test)
        self.branch(cond, body, orelse, s)

    def decided(self, cond):
        """`cond` as a constant when its value is known as the code is made
        (``x.shape[-1] == 3`` for an x of known shape), else itself."""
        known = self.aval(cond) if isinstance(cond, Var) else None
        if isinstance(known, Known) and isinstance(known.value, (bool, np.bool_, int, str,
                                                                 type(None))):
            return Const(bool(known.value))
        return cond

    def branch(self, cond, body, orelse, node):
        """Lower two statement lists under `cond` and join what they bind
        and change."""
        cond = self.decided(cond)
        if isinstance(cond, Const):
            self.lower_block(body if cond.value else orelse)
            return
        outer_env, outer_block = self.env, self.block
        start = self.mem.snapshot()
        sides = []
        self.mem.conditional += 1
        made = []
        for stmts in (body, orelse):
            self.mem.restore(start)
            mark = self.mem.snapshot()
            self.env, self.block = dict(outer_env), []
            try:
                self.lower_block(stmts)
                made.append(self.mem.take_links(mark))
            except UnsupportedSyntaxError as e:
                # code outside the subset in a branch (a plot under ``if
                # ax:``): the branch becomes that located error, raised
                # only if it runs
                self.mem.forget_views(mark)
                self.mem.take_links(mark)
                self.mem.restore(start)
                self.env, self.block = dict(outer_env), []
                self.emit(runtime.unsupported, [Const(e.message), Const(e.filename),
                                                Const(e.lineno), Const(e.col_offset),
                                                Const(e.source_line)], node=node)
            sides.append((self.env, self.block, (self.mem.store, self.mem.views)))
        self.mem.conditional -= 1
        self.env, self.block = outer_env, outer_block
        for links in made:
            self.mem.put_links(links)
        self.block.append(self.join(cond, sides, node))

    def join(self, cond, sides, node):
        """The `If` of two lowered branches; afterwards this Lowerer's env and
        the memory hold what either branch left (phis where they differ)."""
        (env_t, blk_t, st_t), (env_e, blk_e, st_e) = sides
        phis, merged = [], {}
        store = {}

        def value_in(side, ref):
            env_s, blk_s, (store_s, views_s) = side
            if not isinstance(ref, Obj):
                return self.operand(ref)
            saved = self.mem.store, self.block
            self.mem.store, self.block = store_s, blk_s
            try:
                return self.value_of(ref)
            finally:
                self.mem.store, self.block = saved

        def phi(a, b, hint):
            if a is b or (isinstance(a, Const) and a == b):
                return a
            var = Var(hint)
            phis.append(Phi(var, a, b))
            self.mem.avals[var] = join(self.aval(a), self.aval(b))
            return var

        def merge(rt, re, hint):
            """The object a name refers to after the branches."""
            if rt is re:
                return rt
            if isinstance(rt, Static) or isinstance(re, Static):
                raise self.error(node, f"{hint!r} is bound to different functions or modules "
                                       "in the two branches; this is not supported")
            key = (id(rt), id(re))
            if key not in merged:
                value = phi(value_in(sides[0], rt), value_in(sides[1], re), _hint(hint))
                if not isinstance(rt, Obj) and not isinstance(re, Obj):
                    merged[key] = value
                else:
                    m = Obj(_hint(hint), merged=("branch", cond, rt, re))
                    store[m] = value
                    merged[key] = m
            return merged[key]

        # the objects' values
        objs = list(st_t[0]) + [o for o in st_e[0] if o not in st_t[0]]
        for obj in objs:
            vt, ve = st_t[0].get(obj), st_e[0].get(obj)
            if vt is ve or vt is None or ve is None:
                store[obj] = vt if vt is not None else ve
            elif isinstance(vt, Elements) and isinstance(ve, Elements) and vt.kind is ve.kind \
                    and vt.keys == ve.keys and len(vt.items) == len(ve.items):
                items = tuple(merge(a, b, obj.hint) for a, b in zip(vt.items, ve.items))
                store[obj] = Elements(vt.kind, vt.keys, tuple(self.as_ref(i) for i in items))
            else:
                for v in (vt, ve):
                    if isinstance(v, Elements):
                        self._escape_items(v)
                store[obj] = phi(value_in(sides[0], obj), value_in(sides[1], obj), obj.hint)
        views = {}
        for side_views in (st_t[1], st_e[1]):
            for base, lst in side_views.items():
                acc = views.setdefault(base, [])
                acc.extend(v for v in lst if v not in acc)
        # the names
        env = {}
        for name in sorted(set(env_t) | set(env_e), key=_name_order):
            a, b = env_t.get(name, _MISSING), env_e.get(name, _MISSING)
            if isinstance(a, Static) and b is _MISSING or isinstance(b, Static) and a is _MISSING:
                env[name] = a if b is _MISSING else b     # (unbound on the other path)
                continue
            env[name] = merge(Const(None) if a is _MISSING else a,
                              Const(None) if b is _MISSING else b, name)
        self.env.clear()
        self.env.update(env)
        self.mem.store, self.mem.views = store, views
        for m in merged.values():
            for side in (m.merged[2:] if isinstance(m, Obj) else ()):
                if isinstance(side, Obj) and side.view is not None:
                    # (a view either side chose is read again when its base
                    # changes: an update then meets the merge, see
                    # _refresh_views)
                    self.mem.bind(side)
        return If(cond, blk_t, blk_e, phis, self.src.loc(node))

    def _escape_items(self, elements):
        for item in elements.items:
            if is_mutable(self.aval(self.value_of(item))) is not False:
                self._escape(item)

    # --------------------------------------------------------------- loops
    def stmt_For(self, s):
        if s.orelse:
            self.loop_else(s)
            return
        it = s.iter
        if isinstance(it, gast.Call) and isinstance(it.func, gast.Attribute) \
                and it.func.attr in ("items", "keys", "values") and not it.args:
            d = self.expr(it.func.value)
            elts = self.mem.store.get(d) if isinstance(d, Obj) else None
            if not (isinstance(elts, Elements) and elts.kind is dict):
                raise self.error(it, f".{it.func.attr}() is supported only on a dict whose keys "
                                     "are known (a dict argument or literal)")
            pick = {"items": lambda k, v: self.new_container(tuple, [Const(k), v]),
                    "keys": lambda k, v: Const(k), "values": lambda k, v: v}[it.func.attr]
            self.unroll(s, [pick(k, v) for k, v in zip(elts.keys, elts.items)])
            return
        call = it if isinstance(it, gast.Call) else None
        fobj = self.expr(call.func) if call is not None else None
        fobj = fobj.obj if isinstance(fobj, Static) else None
        if fobj is builtins.range:
            args = [self.operand(self.expr(a), a) for a in call.args]
            iterable = self.emit(builtins.range, args, node=it)
            bind = lambda k: k
        else:
            n, bind = self._indexed(it)
            iterable = self.emit(builtins.range, [n], node=it)
        hint = s.target.id if isinstance(s.target, gast.Name) and fobj is builtins.range else "k"
        k = Var(hint)
        self.mem.avals[k] = of_value(0)

        def body_prologue():
            self.assign(s.target, bind(k))
        self.loop(s, body_prologue, s.body, target=k, iterable=iterable)

    def _indexed(self, node):
        """(n, item): the length of the iterable `node` (emitted now) and a
        function giving its k-th element (emitted where it is called, in the
        loop body).  zip, enumerate and reversed, nested in any way, are
        followed without building their results."""
        call = node if isinstance(node, gast.Call) else None
        fobj = self.expr(call.func) if call is not None else None
        fobj = fobj.obj if isinstance(fobj, Static) else None
        if fobj is zip and not call.keywords and call.args:
            parts = []
            for a in call.args:
                if isinstance(a, gast.Starred):     # zip(*rows)
                    parts += [self._plain(r, a) for r in self._known_items(self.expr(a.value),
                                                                          a, "*")]
                else:
                    parts.append(self._indexed(a))
            lens = [p[0] for p in parts]
            n = lens[0] if len(lens) == 1 else self.emit(builtins.min, lens, node=node)
            return n, lambda k: self.new_container(tuple, [item(k) for _, item in parts])
        if fobj is enumerate and len(call.args) in (1, 2) and all(
                kw.arg == "start" for kw in call.keywords) and len(call.args) + len(
                call.keywords) <= 2 and not isinstance(call.args[0], gast.Starred):
            given = call.args[1] if len(call.args) > 1 else (
                call.keywords[0].value if call.keywords else None)
            start = self.operand(self.expr(given), given) if given is not None else Const(0)
            n, item = self._indexed(call.args[0])

            def numbered(k):
                i = self.emit(operator.add, [k, start], node=node) if start != Const(0) else k
                return self.new_container(tuple, [i, item(k)])
            return n, numbered
        if fobj in (map, filter) and id(call) not in self.__dict__.setdefault("listing", set()):
            # (the list of what it yields, made before the loop)
            return self._plain(self._listed(call, fobj), node)
        if fobj is reversed and len(call.args) == 1 and not call.keywords \
                and not isinstance(call.args[0], gast.Starred):
            n, item = self._indexed(call.args[0])

            def backwards(k):
                last = self.emit(operator.sub, [n, Const(1)], node=node)
                return item(self.emit(operator.sub, [last, k], node=node))
            return n, backwards
        return self._plain(self.expr(node), node)

    def _listed(self, node, fn):
        """The list the call `node` of zip & co. yields, lowered as a
        comprehension (`listing`: the calls being lowered so, which are not
        listed again from inside)."""
        self.listing.add(id(node))
        try:
            return self.expr_ListComp(self._as_comprehension(node, fn))
        finally:
            self.listing.discard(id(node))

    def _as_comprehension(self, node, fn):
        """The list comprehension giving what the call of zip, enumerate,
        reversed, map or filter `node` yields: ``[v for v in zip(a, b)]``,
        ``[f(v0, v1) for v0, v1 in zip(a, b)]``, ``[v for v in a if f(v)]``."""
        count = self.__dict__.setdefault("listed_names", {}).setdefault(
            id(node), len(self.listed_names) + 1)

        def name(k, store=False):
            return gast.copy_location(gast.Name(
                id=f"<item{count}_{k}>", ctx=gast.Store() if store else gast.Load(),
                annotation=None, type_comment=None), node)
        if fn in (map, filter) and (node.keywords or any(
                isinstance(a, gast.Starred) for a in node.args[:1])):
            raise self.error(node, f"{fn.__name__}(...) with a starred function or keywords "
                                   "is not supported; write the loop out")
        elt, target, iterable, ifs = name(0), name(0, True), node, []
        if fn is map and len(node.args) >= 2:
            streams = node.args[1:]
            if len(streams) == 1:
                iterable, args = streams[0], [name(0)]
            else:
                target = gast.copy_location(gast.Tuple(
                    elts=[name(k, True) for k in range(len(streams))], ctx=gast.Store()), node)
                iterable = gast.copy_location(gast.Call(
                    func=gast.copy_location(gast.Name(id="zip", ctx=gast.Load(), annotation=None,
                                                      type_comment=None), node),
                    args=list(streams), keywords=[]), node)
                args = [name(k) for k in range(len(streams))]
            elt = gast.copy_location(gast.Call(func=node.args[0], args=args, keywords=[]), node)
        elif fn is filter and len(node.args) == 2:
            iterable = node.args[1]
            test = node.args[0]
            if not (isinstance(test, gast.Constant) and test.value is None):
                ifs = [gast.copy_location(gast.Call(func=test, args=[name(0)], keywords=[]),
                                          node)]
            else:
                ifs = [name(0)]
        elif fn in (map, filter):
            raise self.error(node, f"{fn.__name__}(...) takes a function and an iterable")
        comp = gast.ListComp(elt=elt, generators=[gast.comprehension(
            target=target, iter=iterable, ifs=ifs, is_async=0)])
        return gast.copy_location(comp, node)

    def _plain(self, seq, node):
        n = self.emit(len, [self.operand(seq, node)], node=node)
        return n, lambda k: self.subscript(seq, k, node)

    def loop_else(self, s):
        """``for/while ... else``: the loop with a flag its breaks set, then
        ``if not broke: <else>``."""
        # (one name per loop, the same when an enclosing loop is lowered again)
        names = self.__dict__.setdefault("else_flags", {})
        flag = names.setdefault(id(s), f"broke_{len(names) + 1}")

        def name(store):
            return gast.Name(id=flag, ctx=gast.Store() if store else gast.Load(),
                             annotation=None, type_comment=None)

        def flagged(stmts):
            out = []
            for st in stmts:
                if isinstance(st, gast.Break):
                    out += [gast.Assign(targets=[name(True)], value=gast.Constant(True, None),
                                        type_comment=None), st]
                elif isinstance(st, gast.If):
                    out.append(gast.If(test=st.test, body=flagged(st.body),
                                       orelse=flagged(st.orelse)))
                elif isinstance(st, (gast.With,)):
                    out.append(gast.With(items=st.items, body=flagged(st.body),
                                         type_comment=None))
                else:
                    out.append(st)      # (a nested loop's break is its own)
            return out
        loop = (gast.For(target=s.target, iter=s.iter, body=flagged(s.body), orelse=[],
                         type_comment=None) if isinstance(s, gast.For) else
                gast.While(test=s.test, body=flagged(s.body), orelse=[]))
        new = [gast.Assign(targets=[name(True)], value=gast.Constant(False, None),
                           type_comment=None), loop,
               gast.If(test=gast.UnaryOp(op=gast.Not(), operand=name(False)), body=s.orelse,
                       orelse=[])]
        for top in new:
            for node in gast.walk(top):
                if not hasattr(node, "lineno"):
                    gast.copy_location(node, s)
        self.local_names = self.local_names | {flag}
        for st in new:
            self.stmt(st)

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
            self.loop_else(s)
            return
        self.loop(s, None, s.body, test=s.test)

    def loop(self, s, body_prologue, body, target=None, iterable=None, test=None):
        """Lower a loop.  Names rebound in the body and objects changed in it
        are carried from one iteration to the next; the body is lowered
        again if more change than expected, or a carried value's aval
        widens (e.g. a float that becomes an array)."""
        facts = _facts(s)
        names = set(facts.rebound) | (_target_names(s.target) if isinstance(s, gast.For)
                                      else set())
        if _contains(body, gast.Return):
            names |= {RET, RETURNED}
            self.env.setdefault(RETURNED, Const(False))
        objs = []
        for n in sorted((facts.assigned | facts.passed) - names, key=_name_order):
            ref = self.env.get(n)
            if isinstance(ref, Obj) and ref not in objs and not isinstance(
                    self.mem.store.get(ref), Elements):
                objs.append(ref)
        plan = _LoopPlan(names, objs)
        for _ in range(8):
            try:
                self._lower_loop(s, plan, body_prologue, body, target, iterable, test)
                return
            except _Relower as r:
                plan.grow(r)
        raise self.error(s, "this loop's values keep changing type from one iteration to the "
                            "next; ast_ad cannot specialise it")

    def _lower_loop(self, s, plan, body_prologue, body, target, iterable, test):
        outer_env, outer_block = self.env, self.block
        start = self.mem.snapshot()
        carries, by_obj, by_name = [], {}, {}
        for obj in plan.materialize:
            # a container whose elements the body changes: built before the
            # loop, then carried as a value
            old = self.mem.store.get(obj)
            if isinstance(old, Elements):
                self.mem.store[obj] = self.value_of(obj)
                self._elements_become_views(obj, old)
        inner = dict(outer_env)
        # (every initial value is read before any carried value is set)
        obj_inits = [self.value_of(obj) for obj in plan.objs]
        names = sorted(plan.names, key=_name_order)
        name_inits = []
        for name in names:
            init_ref = outer_env.get(name, Const(None))
            if isinstance(init_ref, Static):
                raise self.error(s, f"{name!r} refers to a function or module and is "
                                    "reassigned in a loop; this is not supported")
            name_inits.append(self.operand(init_ref))
        for obj, init in zip(plan.objs, obj_inits):
            var = Var(obj.hint)
            self.mem.avals[var] = plan.avals.get(obj, concrete(self.aval(init)))
            carries.append(Carry(var, init, None))
            by_obj[obj] = var
            self.mem.store[obj] = var
        for name, init in zip(names, name_inits):
            init_ref = outer_env.get(name, Const(None))
            var = Var(_hint(name))
            self.mem.avals[var] = plan.avals.get(name, concrete(self.aval(init)))
            carries.append(Carry(var, init, None))
            if name in (BRK, RETURNED):
                inner[name] = var
            else:
                # (at the head, the name is its initial object or one it was
                # bound to at the end of an iteration: an update of those in
                # place is refused while the name is read)
                head = Obj(_hint(name), merged=("loop", None,
                                                init_ref if isinstance(init_ref, Obj) else None))
                head.shares = name in plan.shares
                self.mem.store[head] = var
                inner[name] = head
            by_name[name] = var
        heads = {n: inner[n] for n in by_name if n not in (BRK, RETURNED)}
        for name, head in heads.items():
            # (an object from before the loop, or the head of another name:
            # ``y, w = w, y`` makes y at the next head what w was at this one)
            head.merged = head.merged + tuple(
                heads[m] if isinstance(m, str) else m for m in plan.may_be.get(name, ())
                if not isinstance(m, str) or m in heads)
        for name, head in inner.items():
            if isinstance(head, Obj) and head.merged is not None and head.merged[0] == "loop" \
                    and name in plan.shared_end:
                head.merged = head.merged + (True,)
        self.env = inner
        head_env = dict(inner)
        outer_updated, self.mem.updated = self.mem.updated, set()
        head_store = dict(self.mem.store)
        cond_body, cond = [], None
        if test is not None:
            self.block = cond_body
            cond = self.operand(self.expr(test), test)
        self.block = []
        self.env[BRK] = Const(False)
        self.loop_depth += 1
        self.mem.conditional += 1
        try:
            if body_prologue is not None:
                body_prologue()
            self.lower_block(body)
        finally:
            self.loop_depth -= 1
            self.mem.conditional -= 1
        body_block = self.block
        updated = self.mem.updated
        self.mem.updated = outer_updated | updated
        # what the body changed that it was not lowered for
        grow = _Relower()
        for name, ref in self.env.items():
            if name in plan.names or name == BRK or (name.startswith("<") and name != RET):
                continue
            if ref is not head_env.get(name, _MISSING) and (name in outer_env
                                                            or not name.startswith("<")):
                grow.names.add(name)
        head_objs = {h for n, h in heads.items() if isinstance(h, Obj)}
        for name in plan.names:
            head, end = head_env.get(name), self.env.get(name)
            if not isinstance(head, Obj):
                continue
            if end is head:
                grow.unnames.add(name)          # only updated in place: not rebound
                init = outer_env.get(name)
                if isinstance(init, Obj) and init not in grow.objs:
                    grow.objs.append(init)
            elif isinstance(end, Obj) and name not in plan.shared_end and (
                    (head in updated and (end.view is not None or end.link
                                          or self.mem.referrers(end, self.all_envs()) > 1))
                    or any(o.view is not None for o in _may_be_objects(end))):
                # updated in place where it may be a view; or bound to a view
                # (an element, a slice) that an update after the loop would
                # write through
                grow.shared_end.add(name)
            for one in _may_be_objects(end):
                held = self.mem.store.get(one)
                if one.shares or self._holds_objects(held):
                    # a list of objects carried to the next iteration as a
                    # value: its elements are no longer tracked one by one
                    if isinstance(held, Elements):
                        self._escape_items(held)
                    if name not in plan.shares:
                        grow.shares.add(name)
                part = one
                while part.view is not None:
                    # (a view made in the body, of an object from before the
                    # loop: updates of that object are refused while the name
                    # may be the view)
                    part = part.view[0]
                    if part in start[0] and part not in plan.may_be.get(name, ()) \
                            and part not in grow.may_be.get(name, ()):
                        grow.may_be.setdefault(name, []).append(part)
                    if part in head_objs:
                        # (an element of a loop head, ``acc = acc[0]``: the
                        # name may be any object the head's objects hold)
                        for held_obj in self._held_objects(part.merged[2:]):
                            if held_obj in start[0] \
                                    and held_obj not in plan.may_be.get(name, ()) \
                                    and held_obj not in grow.may_be.get(name, ()):
                                grow.may_be.setdefault(name, []).append(held_obj)
                if one is head:
                    continue
                # (an object from before the loop, or the head object of another name)
                other = one if one in start[0] else next(
                    (n for n, h in head_env.items() if h is one and n != name), None)
                if other is not None and other not in plan.may_be.get(name, ()) \
                        and other not in grow.may_be.get(name, ()):
                    grow.may_be.setdefault(name, []).append(other)
        for obj, v in head_store.items():
            if obj in by_obj or obj not in start[0]:
                continue
            now = self.mem.store.get(obj)
            if now is not v:
                if isinstance(v, Elements):
                    grow.materialize[obj] = None
                if obj not in grow.objs:
                    grow.objs.append(obj)
        nexts = []
        for obj in plan.objs:
            nexts.append((by_obj[obj], self.value_of(obj)))
        for name in sorted(plan.names, key=_name_order):
            nexts.append((by_name[name], self.operand(self.env.get(name, Const(None)))))
        head_live = getattr(s, "_ast_ad_head_live", None) \
            if _liveness(self.src.tree) is not None else None
        dead_heads = {by_name[n] for n in by_name
                      if head_live is not None and not n.startswith("<") and n not in head_live}
        for var, nxt in nexts:
            if var in dead_heads:
                continue        # (the body binds it before reading it: its head is never read)
            widened = join(self.mem.avals[var], concrete(self.aval(nxt)))
            if widened != self.mem.avals[var]:
                key = next((o for o, v in by_obj.items() if v is var), None) or next(
                    n for n, v in by_name.items() if v is var)
                grow.avals[key] = widened
        if grow.names or grow.objs or grow.avals or grow.materialize or grow.unnames \
                or grow.shared_end or grow.may_be or grow.shares:
            self.env, self.block = outer_env, outer_block
            self.mem.restore(start)
            self.mem.forget_views(start)
            raise grow
        for c, (var, nxt) in zip(carries, nexts):
            c.next = nxt
        # a value the body never changes is no carry: its value is the initial one
        invariant = {}
        while True:
            more = {c.var: c.init for c in carries
                    if c.var not in invariant and c.next is c.var}
            if not more:
                break
            invariant.update(more)
            for c in carries:
                c.next = more.get(c.next, c.next) if isinstance(c.next, Var) else c.next
        exit_flag = self.env[BRK]
        if invariant:
            ir.substitute(body_block, invariant)
            ir.substitute(cond_body, invariant)
            cond = invariant.get(cond, cond) if isinstance(cond, Var) else cond
            exit_flag = invariant.get(exit_flag, exit_flag) if isinstance(exit_flag, Var) \
                else exit_flag
        loop = Loop(body_block, [c for c in carries if c.var not in invariant], target,
                    iterable, cond_body, cond,
                    None if exit_flag == Const(False) else exit_flag, self.src.loc(s))
        end_env = self.env
        self.env, self.block = outer_env, outer_block
        for obj, var in by_obj.items():
            self.mem.store[obj] = invariant.get(var, var)
        for name, var in by_name.items():
            if var in invariant:
                self.env[name] = outer_env.get(name, invariant[var])
            elif name in (BRK, RETURNED):
                self.env[name] = var
            else:
                # (the loop head's object: `inner` is the body's environment,
                # which the body rebinds)
                self.env[name] = head_env[name]
                self.mem.store[head_env[name]] = var
        # views made in the body (rows of the iteration, ...) are not reachable
        # after it (the names that held them are carried): they are no
        # longer read again when their base changes
        before = start[0]
        for base in list(self.mem.views):
            self.mem.views[base] = [v for v in self.mem.views[base] if v in before]
        # objects from before the loop that the body made elements of its own
        # containers (``acc = [x]; acc.append(...)`` in the body): after the
        # loop, a container of the last iteration may still hold them (or
        # none, if the loop did not run), so they are no longer updated
        # through one, and not updated in place at all
        for obj in self.mem.late_views[start[2]:]:
            if obj in before and obj.view is not None and obj.view[0] not in before:
                obj.view = None
                self._escape(obj)
        # (so are the objects the body linked to those from before: an update
        # after the loop must not write into a value of the body)
        kept = set(before) | {o for o in head_env.values() if isinstance(o, Obj)}
        for obj in kept:
            if obj.link:
                obj.link = [o for o in obj.link if o in kept] or None
        self.block.append(loop)

    # ----------------------------------------------------------- expressions
    def expr(self, node, statement=False):
        method = getattr(self, "expr_" + type(node).__name__, None)
        if method is None:
            raise self.error(node, _not_supported(node))
        if statement and isinstance(node, gast.Call):
            return method(node, statement=True)
        return method(node)

    def expr_Constant(self, node):
        return Const(node.value)

    def expr_JoinedStr(self, node):
        """An f-string: its text, made by ``str.format`` of the values (not
        differentiated; a value's format spec must be written out)."""
        template, values = [], []
        for part in node.values:
            if isinstance(part, gast.Constant):
                template.append(str(part.value).replace("{", "{{").replace("}", "}}"))
                continue
            spec = ""
            if part.format_spec is not None:
                pieces = part.format_spec.values if isinstance(part.format_spec, gast.JoinedStr) \
                    else [part.format_spec]
                if not all(isinstance(p, gast.Constant) for p in pieces):
                    raise self.error(part, "an f-string whose format spec holds a value is not "
                                           "supported; write the spec out")
                spec = "".join(str(p.value) for p in pieces)
            conversion = {115: "!s", 114: "!r", 97: "!a"}.get(part.conversion, "")
            template.append("{" + conversion + (":" + spec if spec else "") + "}")
            values.append(self.operand(self.expr(part.value), part.value))
        if all(isinstance(v, Const) for v in values):
            try:        # (made when the code is made: f"w{1}")
                return Const("".join(template).format(*[v.value for v in values]))
            except (ValueError, TypeError) as e:
                raise self.error(node, f"f-string: {e}") from None
        return self.emit(runtime.format_string, [Const("".join(template))] + values, node=node)

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
                op = Op(v, runtime.global_value, [Const(name)], {}, self.src.loc(node),
                        observed=observed)
                self.prologue.append(op)
                self.mem.avals[v] = op_aval(op, self.mem.avals)
                cache[name] = v
            value = cache[name]
        else:
            value = Const(obj)
        out = self.mem.new(value, name)
        out.origin = "global"
        return out

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
        operand = self.operand(base, node.value)
        if fn is None and (isinstance(concrete(self.aval(operand)), Other) or (
                isinstance(base, Obj) and base.origin == "global"
                and not isinstance(concrete(self.aval(operand)), (Array, Num)))):
            # an attribute of a plain object (cfg.lr, model.W): read when the
            # code runs, a constant to differentiation; the object's data is
            # the user's, so it is never updated in place
            out = self.mem.new(self.emit(getattr, [operand, Const(node.attr)], node=node),
                               node.attr)
            out.origin = "global"
            return out
        if fn is None:
            raise self.error(node, f"the attribute .{node.attr} is not supported")
        out = self.emit(fn, [operand], node=node)
        if fn in VIEWS:
            return self.view_of(base, out, "reapply", fn)
        return out

    def call_arguments(self, node):
        """The objects a call passes, positional (with the node each comes
        from) and by keyword; ``*xs`` and ``**kw`` spread containers whose
        elements are known when the code is made."""
        refs, arg_nodes, kwrefs = [], [], {}
        for a in node.args:
            if isinstance(a, gast.Starred):
                items = self._known_items(self.expr(a.value), a, "*")
                refs += items
                arg_nodes += [a] * len(items)
            else:
                refs.append(self.expr(a))
                arg_nodes.append(a)
        for k in node.keywords:
            if k.arg is None:
                ref = self.expr(k.value)
                cur = self.mem.store.get(ref) if isinstance(ref, Obj) else None
                if not (isinstance(cur, Elements) and cur.kind is dict):
                    raise self.error(k.value, "**kwargs in a call is supported for a dict "
                                              "whose keys are known when the code is made")
                kwrefs.update(zip(cur.keys, cur.items))
            else:
                kwrefs[k.arg] = self.expr(k.value)
        return refs, arg_nodes, kwrefs

    def _known_items(self, ref, node, how):
        """The elements of the tuple or list `ref` spreads (``*xs``)."""
        if isinstance(ref, Const) and isinstance(ref.value, (tuple, list)):
            return [_static_or_const(v) for v in ref.value]
        cur = self.mem.store.get(ref) if isinstance(ref, Obj) else None
        if isinstance(cur, Elements) and cur.kind is not dict:
            return list(cur.items)
        if isinstance(cur, Const) and isinstance(cur.value, (tuple, list)):
            return [_static_or_const(v) for v in cur.value]
        known = self.aval(self.operand(ref))
        if isinstance(known, Known) and isinstance(known.value, (tuple, list)):
            return [_static_or_const(v) for v in known.value]     # (e.g. *x.shape)
        a = concrete(known)
        n = a.shape[0] if isinstance(a, Array) and a.shape and a.shape[0] is not None else (
            len(a.elts) if isinstance(a, Seq) and a.elts is not None else None)
        if n is not None:
            return [self.subscript(ref, Const(k), node) for k in range(n)]
        raise self.error(node, f"{how}args in a call is supported for a tuple or list whose "
                               "length is known when the code is made")

    def expr_Call(self, node, statement=False):
        func = node.func
        if isinstance(func, gast.Attribute):
            recv = self.expr(func.value)
            if not isinstance(recv, Static):
                return self.method_call(node, func, recv, statement)
            callee = self.expr(func)
        else:
            callee = self.expr(func)
        if not isinstance(callee, Static):
            if isinstance(func, gast.Name) and func.id in _parameter_names(self.src.tree):
                raise self.error(node, f"{func.id!r} is called, and which function it is is "
                                       "known only from the arguments: ast_ad makes code for "
                                       "the function passed (call the gradient with arguments, "
                                       "then read its .source)")
            raise self.error(node, "calling a value computed inside the function is not "
                                   "supported; call a function by its name")
        fn = numba_python_function(callee.obj) or callee.obj     # (an @njit helper: its source)
        if fn in (zip, enumerate, reversed, map, filter) and not statement \
                and id(node) not in self.__dict__.setdefault("listing", set()):
            # outside a for loop: the list of what it yields (sum(map(f, xs)),
            # a, b = zip(*pairs), list(enumerate(xs)))
            return self._listed(node, fn)
        refs, arg_nodes, kwrefs = self.call_arguments(node)
        if fn is functools.partial and refs and isinstance(refs[0], Static):
            return Static(Partial(refs[0].obj, refs[1:], kwrefs))
        while isinstance(fn, (functools.partial, Partial)):
            # a partial application: the function, called with the bound
            # arguments first (a partial passed in binds run-time constants)
            bound, bound_kw = (fn.refs, fn.kwrefs) if isinstance(fn, Partial) else (
                [_static_or_const(a) for a in fn.args],
                {k: _static_or_const(v) for k, v in fn.keywords.items()})
            refs, kwrefs = list(bound) + refs, {**bound_kw, **kwrefs}
            arg_nodes = [node] * len(bound) + arg_nodes
            fn = fn.func
        if isinstance(fn, LocalFunction):
            return fn.call(refs, kwrefs, node)
        if rules.is_static_call(fn):
            # evaluated as the code is made (e.g. SciPy's array_namespace(x),
            # which is numpy for the arrays ast_ad differentiates)
            try:
                return Static(rules.STATIC_CALLS[fn](*[self.operand(r) for r in refs],
                                                     **{k: self.operand(r)
                                                        for k, r in kwrefs.items()}))
            except DifferentiationError as e:
                if e.filename is not None:
                    raise
                raise type(e).at(self.src.loc(node), e.message) from None
        if self._is_user_function(fn):
            if not _is_library_function(fn):
                return self.inline(fn, refs, kwrefs, node)
            try:
                return self.inline(fn, refs, kwrefs, node)
            except DifferentiationError as e:
                if e.filename is None or not _in_installed_package(e.filename):
                    raise
                # (a library function whose source is outside the subset:
                # said at the user's call, not inside the library)
                where = f"{os.path.basename(e.filename)}:{e.lineno}"
                raise NoRuleError.at(self.src.loc(node), (
                    f"no derivative rule for {fn.__module__}.{fn.__qualname__}, and its source "
                    f"cannot be differentiated ({where}: {e.message.splitlines()[0]}); use the "
                    "NumPy function if there is one, or declare a rule with ast_ad.defvjp "
                    "(see ast_ad.primitive)")) from None
        if fn is builtins.sorted and refs and self._numbers(refs[0]):
            # sorted(numbers): a permutation, written out in numpy_formulas
            return self.inline(numpy_formulas.sorted_, refs, kwrefs, node, at_call=True)
        self._check_copy_argument(fn, refs, kwrefs, node)
        formula = rules.formula_of(fn)
        if formula is not None:
            # (scipy.stats.norm.logpdf & co.: the formula, inlined; a list
            # given for an array is one, as SciPy makes it)
            if fn not in _TAKES_SEQUENCES:
                refs = [self._as_array(r, node) for r in refs]
                kwrefs = {k: self._as_array(r, node) for k, r in kwrefs.items()}
            return self.inline(formula, refs, kwrefs, node, at_call=True)
        if _is_ufunc_method(fn, "at"):
            raise self.error(node, f"np.{fn.__self__.__name__}.at updates its argument in "
                                   "place, which ast_ad does not follow; write the update "
                                   "with item assignment (y[i] += v) instead")
        for r in list(refs) + list(kwrefs.values()):
            if isinstance(r, Static) and isinstance(r.obj, (LocalFunction, Partial)):
                raise self.error(node, f"a function made inside the differentiated function "
                                       f"is passed to {_qualname(fn)}: ast_ad inlines such "
                                       "functions where they are called, and cannot hand one "
                                       "to another function; define it at module level, or "
                                       "write the loop out")
        if _writes_out(fn):
            refs, arg_nodes, kwrefs = self._out_by_keyword(fn, refs, arg_nodes, kwrefs, node)
        refs = self._lists_as_arrays(fn, refs, node)
        args = [self.operand(r, a) for r, a in zip(refs, arg_nodes)]
        kwargs = {k: self.operand(r) for k, r in kwrefs.items()}
        if fn is np.einsum and not kwargs and len(args) - 1 in runtime.EINSUMS:
            fn = runtime.EINSUMS[len(args) - 1]    # (one primitive per number of operands)
        if fn is np.linalg.eigh and len(args) == 1 and (
                not kwargs or kwargs == {"UPLO": Const("L")}):
            # (eigenvalues and eigenvectors: two primitives, each with rules)
            return self.new_container(tuple, [
                self.emit(runtime.eigh_values, args, node=node),
                self.emit(runtime.eigh_vectors, args, node=node)])
        if fn is np.linalg.slogdet and len(args) == 1 and not kwargs:
            # (sign, log|det|): two primitives, the sign without a derivative
            return self.new_container(tuple, [
                self.emit(runtime.slogdet_sign, args, node=node),
                self.emit(runtime.logabsdet, args, node=node)])
        if fn in (np.tensordot, np.inner, np.kron):
            out = self.product_as_einsum(fn, args, kwargs, refs, kwrefs, node)
            if out is not None:
                return out
        if fn in (builtins.max, builtins.min) and len(args) > 2 and not kwargs:
            result = args[0]
            for a in args[1:]:          # max(a, b, c) == max(max(a, b), c)
                result = self.emit(fn, [result, a], node=node)
            return self.one_of(result, refs)
        if fn in (zip, enumerate, reversed, map, filter, iter, next):
            raise self.error(node, f"{fn.__name__}(...) is supported only as the iterable "
                                   "of a for loop")
        if fn is builtins.sum and len(refs) == 1 and isinstance(refs[0], Obj) \
                and isinstance(self.mem.store.get(refs[0]), Elements) \
                and self.mem.store[refs[0]].kind is not dict:
            # sum of a list whose elements are known: a chain of additions
            total = Const(0)
            for e in self.mem.store[refs[0]].items:
                v = self.value_of(e)
                total = v if total == Const(0) else self.emit(operator.add, [total, v], node=node)
            return total
        if fn in (builtins.tuple, builtins.list) and len(refs) == 1 and isinstance(refs[0], Obj) \
                and isinstance(self.mem.store.get(refs[0]), Elements) \
                and self.mem.store[refs[0]].kind is not dict:
            # a new container holding the same objects
            return self.new_container(fn, self.mem.store[refs[0]].items)
        if fn is builtins.list and not args:
            return self.new_container(list, [])
        if fn is builtins.dict and not args:
            keys = tuple(kwrefs)
            return self.new_container(dict, [kwrefs[k] for k in keys], keys)
        if "out" in kwargs and _writes_out(fn):
            return self.call_with_out(fn, args, kwargs, refs, kwrefs, node)
        if fn is np.copyto:
            if kwargs or len(refs) != 2:
                raise self.error(node, "np.copyto is supported as np.copyto(dst, src)")
            self.setitem(refs[0], Const(Ellipsis), refs[1], node)
            return Const(None)
        if fn in _INPLACE_HELPERS and isinstance(refs[0], Obj):
            # generated code lowered again (derivatives of derivatives): its
            # in-place helpers are the updates they stand for
            new = self.emit(_INPLACE_HELPERS[fn], args, kwargs, node=node, hint=refs[0].hint)
            self.update(refs[0], new, node)
            return Const(None)
        if fn in _UPDATES_ARGUMENT:
            raise self.error(node, f"{_qualname(fn)} updates its argument in place, which "
                                   "ast_ad does not follow; use the function that returns a "
                                   "new array instead")
        if fn is np.asarray and len(refs) == 1 and not kwargs and isinstance(refs[0], Obj) \
                and isinstance(concrete(self.aval(args[0])), Array):
            return refs[0]          # np.asarray of an array is that same array
        out = self.emit(fn, args, kwargs, node=node)
        if fn in (builtins.max, builtins.min) and not kwargs:
            return self.one_of(out, refs)
        if fn is runtime.EINSUMS[1] and isinstance(refs[1], Obj) and not _einsum_sums(args[0]):
            return self.view_of(refs[1], out, "opaque")   # ('ij->ji' is a view)
        if refs and isinstance(refs[0], Obj):
            if fn in VIEWS:
                return self.view_of(refs[0], out, "reapply", fn, args[1:], kwargs)
            if fn in MAYBE_VIEWS or (fn is np.asarray and not isinstance(
                    concrete(self.aval(args[0])), (Num, Seq))) or (
                    fn is np.array and kwargs.get("copy", Const(True)) != Const(True)):
                return self.view_of(refs[0], out, "opaque")
        return out

    def _check_copy_argument(self, fn, refs, kwrefs, node):
        """Calls whose result shares memory with more than the first argument
        (or that update their argument in place), which views do not follow:
        refused where that can happen."""
        copy = kwrefs.get("copy", refs[1] if fn is np.nan_to_num and len(refs) > 1 else None)
        if fn is np.nan_to_num and copy is not None and copy != Const(True):
            raise self.error(node, "np.nan_to_num(x, copy=False) updates x in place, which "
                                   "ast_ad does not follow; write x = np.nan_to_num(x)")
        several = sum(isinstance(r, Obj) for r in refs) > 1
        if several and (fn in (np.broadcast_arrays, np.ix_) or (
                fn is np.meshgrid and copy is not None and copy != Const(True))):
            raise self.error(node, f"{_qualname(fn)} of several arrays returns views of each "
                                   "of them, which ast_ad does not follow; use np.broadcast_to "
                                   "or copies")

    def one_of(self, out, refs):
        """The result of the builtin min or max: one of its arguments (or of
        the elements of its one argument), the same object, not a copy.  For
        a value that may be an array (a 0-d one is updated by ``m *= 2``), an
        object that may be any of them: updating it, or them, in place while
        the other is read is refused (check_updatable)."""
        if is_mutable(self.aval(out)) is False:
            return out
        candidates = list(refs)
        if len(refs) == 1 and isinstance(refs[0], Obj):
            held = self.mem.store.get(refs[0])
            candidates = list(held.items) if isinstance(held, Elements) else []
        obj = Obj("", merged=("branch", None) + tuple(
            c for c in candidates if isinstance(c, Obj)))
        if len(refs) == 1 and not candidates:
            obj.escaped = True      # (an element of a list whose elements are not tracked)
        self.mem.store[obj] = out
        return obj

    def constant_of(self, ref):
        """(True, the value) for a constant, or a tuple or list of known
        constants (``axes=([1], [0])``); else (False, None)."""
        cur = self.mem.store.get(ref) if isinstance(ref, Obj) else ref
        if isinstance(cur, Const):
            return True, cur.value
        if isinstance(cur, Elements) and cur.kind in (list, tuple):
            values = [self.constant_of(i) for i in cur.items]
            if all(known for known, _ in values):
                return True, cur.kind(v for _, v in values)
        return False, None

    def product_as_einsum(self, fn, args, kwargs, refs, kwrefs, node):
        """``np.tensordot``, ``np.inner``, ``np.kron`` as the einsum they
        compute (as_einsum.py), when the operands' numbers of axes are
        known; else None."""
        shapes = [shape_of(self.aval(a)) for a in args[:2]]
        if len(args) < 2 or None in shapes:
            return None
        nda, ndb = len(shapes[0]), len(shapes[1])
        if fn is np.tensordot:
            known, axes = self.constant_of(refs[2] if len(refs) > 2 else
                                           kwrefs.get("axes", Const(2)))
            if len(args) > 3 or set(kwargs) - {"axes"} or not known:
                return None
            spec = as_einsum.tensordot_subscripts(nda, ndb, axes)
        elif len(args) != 2 or kwargs:
            return None
        elif fn is np.inner:
            spec = as_einsum.inner_subscripts(nda, ndb)
        else:
            spec = as_einsum.kron_subscripts(nda, ndb)
            if spec is None or None in shapes[0] or None in shapes[1]:
                return None
        if spec is None:
            return None
        out = self.emit(runtime.einsum2, [Const(spec), args[0], args[1]], node=node)
        if fn is np.kron:
            size = tuple(p * q for p, q in zip(shapes[0], shapes[1]))
            out = self.emit(np.reshape, [out, Const(size)], node=node)
        return out

    def _lists_as_arrays(self, fn, refs, node):
        """A list or tuple of numbers (or arrays) passed where a NumPy
        function takes an array -- every operand of a ufunc or product, the
        first of other NumPy functions -- converted by ``np.asarray`` first,
        as NumPy does: the rules then see arrays, and the adjoint goes back
        into the list's structure."""
        if not _writes_out(fn) or fn in _TAKES_SEQUENCES or fn in _SHAPE_FIRST \
                or _is_ufunc_method(fn) or isinstance(getattr(fn, "__self__", None), (
                    np.random.Generator, np.random.RandomState)):
            return refs
        every = isinstance(fn, np.ufunc) or fn in _ARRAY_OPERANDS
        return [self._as_array(r, node) if k == 0 or every else r for k, r in enumerate(refs)]

    def _as_array(self, ref, node):
        if isinstance(ref, Static):
            return ref
        value = self.operand(ref)
        if isinstance(value, Const) or not _numeric_seq(concrete(self.aval(value))):
            return ref
        return self.emit(np.asarray, [value], node=node)

    def _out_by_keyword(self, fn, refs, arg_nodes, kwrefs, node):
        """A NumPy call's `out` argument given by position
        (``np.multiply(a, 2.0, a)``, ``M.mean(1, None, v)``) moved to the
        keywords, with the positional arguments after it, so that the
        write into it is not missed."""
        names = _positional_names(fn)
        if names is None or "out" not in names or len(refs) <= names.index("out"):
            return refs, arg_nodes, kwrefs
        k = names.index("out")
        if len(refs) > len(names):
            raise self.error(node, f"{_qualname(fn)}: too many positional arguments")
        moved = dict(zip(names[k:], refs[k:]))
        if moved["out"] == Const(None):
            del moved["out"]        # (np.std(x, 1, None, None, 1): no out)
        if set(moved) & set(kwrefs):
            raise self.error(node, f"{_qualname(fn)}: an argument given twice")
        return refs[:k], arg_nodes[:k], {**kwrefs, **moved}

    def call_with_out(self, fn, args, kwargs, refs, kwrefs, node):
        """``np.add(a, b, out=y)``: the result is written into `y`, which
        the call returns (``y[...] = np.add(a, b)``)."""
        out_ref = kwrefs.pop("out")
        if isinstance(out_ref, Obj) and isinstance(self.mem.store.get(out_ref), Elements):
            items = self.mem.store[out_ref].items
            if len(items) != 1:
                raise self.error(node, "out= with several outputs is not supported")
            out_ref = items[0]
        kwargs = {k: self.operand(r) for k, r in kwrefs.items()}
        if not isinstance(out_ref, Obj):
            raise self.error(node, "out= must name an array variable")
        result = self.emit(fn, args, kwargs, node=node)
        self.setitem(out_ref, Const(Ellipsis), result, node)
        return out_ref

    def _is_user_function(self, fn):
        if not isinstance(fn, types.FunctionType) or rules.is_primitive(fn):
            return False
        module = getattr(fn, "__module__", "") or ""
        return module.split(".")[0] not in OPAQUE_MODULES

    def method_call(self, node, func, recv_ref, statement):
        name = func.attr
        owner = concrete(self.aval(self.operand(recv_ref, func.value)))
        if isinstance(owner, Other) and self._is_user_function(
                inspect.getattr_static(owner.type, name, None)):
            # a method of the user's class (model.forward(x)): inlined, with
            # the object as `self`
            refs, _, kwrefs = self.call_arguments(node)
            return self.inline(getattr(owner.type, name), [recv_ref] + refs, kwrefs, node)
        refs, arg_nodes, kwrefs = self.call_arguments(node)
        args = [self.operand(r, a) for r, a in zip(refs, arg_nodes)]
        kwargs = {k: self.operand(r) for k, r in kwrefs.items()}
        recv = self.operand(recv_ref, func.value)
        if isinstance(recv, Const) and isinstance(recv.value, (str, bytes, tuple, int, float)) \
                and all(isinstance(a, Const) for a in args + list(kwargs.values())):
            # a method of an immutable constant (e.g. a dict key's .startswith):
            # evaluated now, as the code is made
            try:
                return Const(getattr(recv.value, name)(*[a.value for a in args],
                                                       **{k: v.value for k, v in kwargs.items()}))
            except Exception as e:
                raise self.error(node, f"{type(recv.value).__name__}.{name}: {e}") from None
        generator = concrete(self.aval(recv))
        if isinstance(generator, Other) and generator.type in GENERATORS:
            # rng.normal(...) of a generator made in the function: a draw,
            # kept in order (rules.has_effects)
            method = getattr(generator.type, name, None)
            if method is None or name.startswith("_"):
                raise self.error(node, f"{generator.type.__name__} has no method .{name}()")
            return self.emit(method, [recv] + args, kwargs, node=node)
        cur = self.mem.store.get(recv_ref) if isinstance(recv_ref, Obj) else None
        if isinstance(cur, Elements) and not kwargs:
            out = self.known_container_method(node, recv_ref, cur, name, refs, args)
            if out is not None:
                return out
        if name == "pop" and not refs and not kwargs and isinstance(recv_ref, Obj) \
                and (generator is UNKNOWN or isinstance(generator, Seq) and generator.type is list):
            # xs.pop(): the last element, and the list without it
            item = self.subscript(recv_ref, Const(-1), node)
            new = self.emit(runtime.pop_last, [recv], node=node, hint=recv_ref.hint)
            self.update(recv_ref, new, node)
            return item
        if name in ("append", "extend"):
            if not isinstance(recv_ref, Obj) or len(refs) != 1 or kwargs:
                raise self.error(node, f"list.{name} is supported on a list variable "
                                       f"(xs.{name}(v))")
            # (xs.extend(ys): ys's elements appended one by one)
            for item in (refs if name == "append" else
                         self._known_items(refs[0], node, "list.extend(")):
                self._append(recv_ref, item, node)
            return Const(None)
        if name in ("fill", "sort") and isinstance(recv_ref, Obj) \
                and not isinstance(concrete(self.aval(recv)), (Seq, Map, Num)):
            # in place: x.fill(v) is x[...] = v, x.sort(axis) is x[...] = np.sort(x, axis)
            value = refs[0] if name == "fill" else self.emit(np.sort, [recv] + args, kwargs,
                                                            node=node)
            self.setitem(recv_ref, Const(Ellipsis), value, node)
            return Const(None)
        if name in ("item", "tolist") and not args:
            return self.emit(runtime.scalar if name == "item" else runtime.identity, [recv],
                             node=node)
        fn = METHODS.get(name)
        if fn is None:
            raise self.error(node, f"the method .{name}() is not supported")
        if fn is _reshape_method:
            shape = args[0] if len(args) == 1 else self.operand(self.new_container(tuple, args))
            out = self.emit(np.reshape, [recv, shape], kwargs, node=node)
            return self.view_of(recv_ref, out, "opaque")
        if fn is _transpose_method:
            axes = [args[0] if len(args) == 1 else self.operand(self.new_container(tuple, args))] \
                if args else []
            out = self.emit(np.transpose, [recv] + axes, node=node)
            return self.view_of(recv_ref, out, "reapply", np.transpose, axes)
        if _writes_out(fn):
            all_refs, _, all_kwrefs = self._out_by_keyword(
                fn, [recv_ref] + refs, [func.value] + arg_nodes, kwrefs, node)
            if "out" in all_kwrefs:
                # (x.clip(lo, hi, out=y): the function form, written into y)
                return self.call_with_out(fn, [self.operand(r) for r in all_refs], None,
                                          all_refs, dict(all_kwrefs), node)
        formula = rules.formula_of(fn)
        if formula is not None:         # (x.cumprod(): np.cumprod's formula)
            return self.inline(formula, [recv_ref] + refs, kwrefs, node, at_call=True)
        out = self.emit(fn, [recv] + args, kwargs, node=node)
        if fn in VIEWS:
            return self.view_of(recv_ref, out, "reapply", fn, args, kwargs)
        if fn in MAYBE_VIEWS:
            return self.view_of(recv_ref, out, "opaque")
        return out

    def _numbers(self, ref):
        """A list or tuple of numbers, or a 1-d float array (what sorted()
        orders as numbers)."""
        a = concrete(self.aval(self.operand(ref)))
        if isinstance(a, Array):
            return a.shape is not None and len(a.shape) == 1 and a.dtype is not None \
                and a.dtype.kind == "f"
        if isinstance(a, Seq):
            elts = a.elts if a.elts is not None else (a.elt,)
            return all(isinstance(concrete(e), Num) for e in elts)
        return False

    def _append(self, ref, item, node):
        cur = self.mem.store.get(ref)
        if isinstance(cur, Elements) and cur.kind is list:
            self.update(ref, cur.appended(self.as_ref(item)), node)
            return
        value = self.operand(item)
        if isinstance(item, Obj) and is_mutable(self.aval(value)) is not False:
            self._escape(item)      # (now in a list whose elements are not tracked)
            ref.shares = ref.shares or self._shared_item(item)
        new = self.emit(runtime.append, [self.value_of(ref), value], node=node, hint=ref.hint)
        self.update(ref, new, node)

    def known_container_method(self, node, ref, cur, name, refs, args):
        """dict.get, .keys(), .values(), .items(), list.extend, list.pop and
        list.insert on a container whose elements are known: the elements
        they give or change (None for other methods).  (What .keys() and
        friends return is a list of what the dict holds now, marked as a
        view of it: a later item assignment into the dict, which Python's
        view would show, is refused while that list is still bound.)"""
        if name == "get" and cur.kind is dict and len(args) in (1, 2) \
                and isinstance(args[0], Const):
            item = cur.item(args[0].value)
            return item if item is not None else (refs[1] if len(refs) == 2 else Const(None))
        if name in ("keys", "values", "items") and cur.kind is dict and not args:
            view = {"keys": lambda k, v: Const(k), "values": lambda k, v: v,
                    "items": lambda k, v: self.new_container(tuple, [Const(k), v])}[name]
            items = [self.as_ref(view(k, v)) for k, v in zip(cur.keys, cur.items)]
            return self.mem.new(Elements(list, None, tuple(items)), "",
                                view=(ref, None, "opaque"))
        if cur.kind is not list:
            return None
        n = len(cur.items)
        if name == "pop" and (not args or isinstance(args[0], Const) and isinstance(
                args[0].value, int) and -n <= args[0].value < n) and n:
            k = args[0].value % n if args else n - 1
            self.update(ref, Elements(list, None, cur.items[:k] + cur.items[k + 1:]), node)
            return cur.items[k]
        if name == "insert" and len(args) == 2 and isinstance(args[0], Const) \
                and isinstance(args[0].value, int):
            items = list(cur.items)
            items.insert(args[0].value, self.as_ref(refs[1]))
            self.update(ref, Elements(list, None, tuple(items)), node)
            return Const(None)
        return None

    def expr_Tuple(self, node):
        return self.new_container(tuple, [self.expr(e) for e in self._no_star(node.elts)])

    def expr_List(self, node):
        return self.new_container(list, [self.expr(e) for e in self._no_star(node.elts)])

    def _no_star(self, elts):
        for e in elts:
            if isinstance(e, gast.Starred):
                raise self.error(e, "starred expressions are not supported")
        return elts

    def expr_Dict(self, node):
        """A dict literal whose keys are known when the code is made
        (literals, or names and f-strings holding constants)."""
        if any(k is None for k in node.keys):
            raise self.error(node, "dict literals with ** are not supported")
        keys = []
        for k in node.keys:
            key = Const(k.value) if isinstance(k, gast.Constant) else self.operand(self.expr(k), k)
            if not isinstance(key, Const):
                raise self.error(k, "dict literals need keys known when the code is made "
                                    "(constants, or names holding them)")
            keys.append(key.value)
        return self.new_container(dict, [self.expr(v) for v in node.values], tuple(keys))

    def expr_BinOp(self, node):
        fn = BINOPS.get(type(node.op))
        if fn is None:
            raise self.error(node, f"the operator {type(node.op).__name__} is not supported")
        left, right = self.expr(node.left), self.expr(node.right)
        if fn is operator.add and all(isinstance(r, Obj) and isinstance(
                self.mem.store.get(r), Elements) and self.mem.store[r].kind is list
                for r in (left, right)):
            # xs + ys of lists of known objects: a new list of the same objects
            return self.new_container(list, self.mem.store[left].items
                                      + self.mem.store[right].items)
        holding = [r for r in (left, right) if isinstance(r, Obj) and (
            r.shares or self._holds_objects(self.mem.store.get(r)))]
        a = self.operand(left, node.left)
        b = self.operand(right, node.right)
        out = self.emit(fn, [a, b], node=node)
        if holding and fn in (operator.add, operator.mul):
            # xs + ys, xs * 3 with objects in them: a list of the same objects,
            # no longer tracked one by one
            for r in holding:
                held = self.mem.store.get(r)
                if isinstance(held, Elements):
                    self._escape_items(held)
            out = self.mem.new(out, "")
            out.shares = True
        return out

    def _shared_item(self, item):
        """An object stored into an untracked list that something else holds
        too: a name, or (a view: ``xs.append(y[0])``) the array it views."""
        if self.mem.referrers(item, self.all_envs()) or item.view is not None:
            return True
        # (one of two objects, chosen by a branch: ``[x if c else y for ...]``)
        return item.merged is not None and any(
            isinstance(o, Obj) and self._shared_item(o) for o in item.merged[2:])

    def _holds_objects(self, held):
        """A container of known objects, some of them mutable."""
        return isinstance(held, Elements) and any(
            is_mutable(self.aval(self.value_of(i))) is not False for i in held.items)

    def expr_UnaryOp(self, node):
        a = self.operand(self.expr(node.operand), node.operand)
        return self.emit(UNARYOPS[type(node.op)], [a], node=node)

    def expr_Compare(self, node):
        left = self.operand(self.expr(node.left), node.left)
        if len(node.ops) == 1:
            right = self.operand(self.expr(node.comparators[0]), node.comparators[0])
            fn = CMPOPS[type(node.ops[0])]
            if fn in (operator.is_, operator.is_not):
                known = self._is_none(left, right)
                if known is not None:       # (`weights is None` for an array)
                    return Const(known == (fn is operator.is_))
            return self.emit(fn, [left, right], node=node)
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

    def _is_none(self, a, b):
        """Whether ``a is b`` with one side None, where the avals tell (an
        array, a number or a container is never None); else None."""
        for x, y in ((a, b), (b, a)):
            if y == Const(None) and not isinstance(x, Const) and isinstance(
                    concrete(self.aval(x)), (Array, Num, Seq, Map)):
                return False
        return None

    def expr_BoolOp(self, node):
        is_and = isinstance(node.op, gast.And)
        result = self.expr(node.values[0])
        for v in node.values[1:]:
            result = self._short_circuit(result, lambda v=v: self.expr(v), is_and, node)
        return result

    def _short_circuit(self, first, rest, is_and, node):
        """`first and rest()` / `first or rest()` with Python's semantics: the
        second operand is evaluated only when needed (the result is one of
        the two objects)."""
        cond = self.decided(self.operand(first))
        if isinstance(cond, Const):
            return rest() if bool(cond.value) == is_and else first
        return self._choose(cond, rest, lambda: first, node) if is_and else \
            self._choose(cond, lambda: first, rest, node)

    def _choose(self, cond, then, orelse, node):
        """The value of `then()` if `cond` else of `orelse()`, each evaluated
        only on its branch: an object if either is one (memory.py)."""
        outer_env, outer_block = self.env, self.block
        start = self.mem.snapshot()
        sides = []
        self.mem.conditional += 1
        made = []
        for make in (then, orelse):
            self.mem.restore(start)
            mark = self.mem.snapshot()
            self.env, self.block = dict(outer_env), []
            self.env["<choice>"] = make()
            made.append(self.mem.take_links(mark))
            sides.append((self.env, self.block, (self.mem.store, self.mem.views)))
        self.mem.conditional -= 1
        self.env, self.block = outer_env, outer_block
        for links in made:
            self.mem.put_links(links)
        self.block.append(self.join(cond, sides, node))
        return self.env.pop("<choice>")

    def expr_IfExp(self, node):
        cond = self.decided(self.operand(self.expr(node.test), node.test))
        if isinstance(cond, Const):
            return self.expr(node.body if cond.value else node.orelse)
        return self._choose(cond, lambda: self.expr(node.body), lambda: self.expr(node.orelse),
                            node)

    def expr_ListComp(self, node):
        """``[elt for a in xs if c for b in ys]``: lowered as the nested
        loops that append."""
        def append(load):
            return gast.Expr(value=gast.Call(
                func=gast.Attribute(value=load, attr="append", ctx=gast.Load()),
                args=[node.elt], keywords=[]))
        return self._comprehension(node, list, append)

    expr_GeneratorExp = expr_ListComp

    def expr_DictComp(self, node):
        """``{k: v for k, v in d.items()}``: lowered as the loops that set
        items (a loop over a dict's items is written out once per key, so
        its keys stay known; keys computed in a loop make a dict built at
        run time, as item assignment does)."""
        def setitem(load):
            target = gast.Subscript(value=load, slice=node.key, ctx=gast.Store())
            return gast.Assign(targets=[target], value=node.value, type_comment=None)
        return self._comprehension(node, dict, setitem)

    def _comprehension(self, node, kind, step):
        """A comprehension as the nested loops it means, whose innermost
        statement (`step` of the hidden result's name) adds an element."""
        if any(gen.is_async for gen in node.generators):
            raise self.error(node, "async comprehensions are not supported")
        self._comp_count = getattr(self, "_comp_count", 0) + 1
        hidden = f"<comp{self._comp_count}>"
        targets = set().union(*[_target_names(gen.target) for gen in node.generators])
        saved = {n: self.env[n] for n in targets if n in self.env}
        self.env[hidden] = self.new_container(kind, [], keys=() if kind is dict else None)
        load = gast.Name(id=hidden, ctx=gast.Load(), annotation=None, type_comment=None)
        body = [step(load)]
        for gen in reversed(node.generators):
            for cond in reversed(gen.ifs):
                body = [gast.If(test=cond, body=body, orelse=[])]
            body = [gast.For(target=gen.target, iter=gen.iter, body=body, orelse=[],
                             type_comment=None)]
        loop = body[0]
        gast.copy_location(loop, node)
        for n in gast.walk(loop):
            if not hasattr(n, "lineno") and hasattr(node, "lineno"):
                n.lineno, n.col_offset = node.lineno, node.col_offset
        self.stmt_For(loop)
        result = self.env.pop(hidden)
        for n in targets:
            self.env.pop(n, None)
        self.env.update(saved)
        return result

    def expr_Subscript(self, node):
        base = self.expr(node.value)
        if isinstance(base, Const) and (base.value is np.r_ or base.value is np.c_):
            return self.index_trick(base, node)
        index = self.index(node.slice)
        return self.subscript(base, index, node)

    def index_trick(self, trick, node):
        """``np.r_[a, b]`` / ``np.c_[a, b]`` of numbers and arrays: a call of
        `runtime.index_trick`, which has derivative rules (the "index" holds
        the values being joined, so a subscript would hide them)."""
        elts = node.slice.elts if isinstance(node.slice, gast.Tuple) else [node.slice]
        items = [self.index(e) for e in elts]
        pack = self.operand(self.new_container(tuple, items))
        if any(isinstance(e, gast.Slice) or (isinstance(e, gast.Constant)
                                             and isinstance(e.value, str)) for e in elts):
            if any(isinstance(i, Var) for i in items):
                raise self.error(node, "np.r_/np.c_ with slices or string directives are not "
                                       "differentiated; use np.concatenate or np.arange")
            return self.emit(operator.getitem, [trick, pack], node=node)
        return self.emit(runtime.index_trick, [trick, pack], node=node)

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


# runtime helpers that update their first argument in place (printed by
# codegen where that cannot be observed, see inplace.py): what they compute
_INPLACE_HELPERS = {runtime.iadd_at: runtime.add_at, runtime.clear: runtime.setitem_grad_x}

_UPDATES_ARGUMENT = {np.random.shuffle, np.put, np.place, np.fill_diagonal, np.putmask}


def _display_name(obj):
    """How an error message names an object: its variable, or a part of
    one (``x[...]``)."""
    part = obj
    while not part.hint and part.view is not None:
        part = part.view[0]
    if part.hint:
        return part.hint if part is obj else f"{part.hint}[...]"
    return "this value"


# NumPy functions whose array argument is a sequence of arrays (kept a list)
_TAKES_SEQUENCES = {np.array, np.asarray, np.concatenate, np.stack, np.hstack, np.vstack,
                    np.dstack, np.column_stack, np.block, np.broadcast_arrays, np.meshgrid,
                    np.einsum, np.copyto, np.shape, np.ndim, np.size, np.result_type,
                    np.broadcast_shapes, np.linalg.multi_dot}
# ... whose first argument is a shape or a size
_SHAPE_FIRST = {np.zeros, np.ones, np.empty, np.full, np.eye, np.identity, np.arange,
                np.linspace, np.logspace, np.geomspace, np.tri, np.indices}
# ... and those whose every operand is an array
_ARRAY_OPERANDS = {np.dot, np.matmul, np.inner, np.outer, np.kron, np.cross, np.vdot,
                   np.where, np.tensordot, np.linalg.solve}


def _numeric_seq(a):
    """A list or tuple of numbers or arrays (nested), which NumPy reads as
    an array."""
    if not isinstance(a, Seq):
        return False
    items = a.elts if a.elts is not None else (a.elt,)
    return bool(items) and all(
        isinstance(concrete(e), (Num, Array)) or _numeric_seq(concrete(e)) for e in items)


def _is_library_function(fn):
    """A function of an installed package (SciPy & co.), not the user's."""
    code = getattr(fn, "__code__", None)
    return code is not None and _in_installed_package(code.co_filename)


def _in_installed_package(filename):
    parts = os.path.normpath(os.path.abspath(filename)).split(os.sep)
    return "site-packages" in parts or "dist-packages" in parts


def _is_ufunc_method(fn, name=None):
    """np.add.at, np.add.reduce & co. (a method bound to a ufunc)."""
    return isinstance(getattr(fn, "__self__", None), np.ufunc) and (
        name is None or getattr(fn, "__name__", None) == name)


def _einsum_sums(subscripts):
    """One-operand einsum subscripts that sum over a letter ('ij->i'): NumPy
    returns a new array.  Without a sum ('ij->ji', 'ii->i') it returns a view."""
    if not (isinstance(subscripts, Const) and isinstance(subscripts.value, str)):
        return False
    spec = subscripts.value.replace(" ", "")
    if "->" not in spec:
        return False        # (implicit output: every letter that occurs once)
    inputs, output = spec.split("->")
    return bool(set(inputs) - set(output) - {"."})


def _writes_out(fn):
    """A NumPy function (or ufunc, or ufunc method) that may write its
    result into an `out` argument."""
    module = str(getattr(fn, "__module__", "") or "")
    return isinstance(fn, np.ufunc) or _is_ufunc_method(fn) or module.startswith("numpy")


# where a ufunc method takes `out` by position
_UFUNC_METHOD_ARGS = {"reduce": ("array", "axis", "dtype", "out"),
                      "accumulate": ("array", "axis", "dtype", "out"),
                      "reduceat": ("array", "indices", "axis", "dtype", "out")}


def _positional_names(fn):
    """The names of `fn`'s positional parameters, `out` included where it
    has one (None when they cannot be read)."""
    if isinstance(fn, np.ufunc):
        return [f"x{k}" for k in range(fn.nin)] + ["out"] if fn.nout == 1 else None
    if _is_ufunc_method(fn):
        return list(_UFUNC_METHOD_ARGS.get(fn.__name__, ())) or None
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return None
    return [p.name for p in params
            if p.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)]


def _qualname(fn):
    module = getattr(fn, "__module__", None) or "numpy"
    return f"{module}.{getattr(fn, '__name__', fn)}"


# ---------------------------------------------------------------- analysis

_WARNING_CONTEXTS = {np.errstate, warnings.catch_warnings}


def _not_supported(node):
    what = _describe(node)
    return f"{what} {'are' if what.endswith('s') else 'is'} not supported"


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
    __slots__ = ("assigned", "rebound", "passed", "called", "updates_in_place")

    def __init__(self, body):
        self.assigned = frozenset(_assigned_names(body))    # names bound or updated
        self.rebound = frozenset(_rebound_names(body))      # names bound to a new object
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


def _rebound_names(stmts):
    """Names a statement list binds by plain assignment (not through an item
    or an augmented assignment), nested blocks included."""
    out = set()

    def names(t):
        if isinstance(t, gast.Name):
            out.add(t.id)
        elif isinstance(t, (gast.Tuple, gast.List)):
            for e in t.elts:
                names(e.value if isinstance(e, gast.Starred) else e)
    for s in stmts:
        for node in gast.walk(s):
            if isinstance(node, gast.Assign):
                for t in node.targets:
                    names(t)
            elif isinstance(node, (gast.AnnAssign, gast.For)):
                names(node.target)
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


# ---------------------------------------------------------------- liveness

def _liveness(tree):
    """Annotate every statement of a function with the names read after it
    (on some path): ``stmt._ast_ad_live``.  Returns the tree, or None when
    the function defines closures or lambdas (they read names when called,
    so every name counts as read).  Computed once per tree."""
    done = getattr(tree, "_ast_ad_liveness", _MISSING)
    if done is not _MISSING:
        return done
    result = tree
    for node in gast.walk(tree):
        if node is not tree and isinstance(node, (gast.FunctionDef, gast.Lambda,
                                                   gast.AsyncFunctionDef)):
            result = None
            break
    if result is not None:
        _live_block(tree.body, frozenset(), None)
    tree._ast_ad_liveness = result
    return result


def _reads(node):
    return {n.id for n in gast.walk(node) if isinstance(n, gast.Name)
            and isinstance(n.ctx, gast.Load)} if node is not None else set()


def _live_block(stmts, live_out, loop):
    """Names live before `stmts` given those live after; annotates each."""
    live = frozenset(live_out)
    for s in reversed(stmts):
        s._ast_ad_live = live
        live = frozenset(_live_stmt(s, live, loop))
    return live


def _live_stmt(s, live, loop):
    if isinstance(s, gast.Return):
        return _reads(s.value)
    if isinstance(s, gast.Break):
        return loop[0] if loop else live
    if isinstance(s, gast.Continue):
        return loop[1] if loop else live
    if isinstance(s, gast.If):
        return _reads(s.test) | _live_block(s.body, live, loop) | _live_block(s.orelse, live, loop)
    if isinstance(s, (gast.For, gast.While)):
        bound = _target_names(s.target) if isinstance(s, gast.For) else set()
        test = _reads(s.test) if isinstance(s, gast.While) else set()
        head = set(live) | test
        while True:
            body_in = _live_block(s.body, frozenset(head), (frozenset(live), frozenset(head)))
            grown = head | (body_in - bound) | test
            if grown == head:
                break
            head = grown
        s._ast_ad_head_live = frozenset(body_in - bound)    # read before being bound
        _live_block(s.orelse, live, loop)
        return head | (_reads(s.iter) if isinstance(s, gast.For) else set())
    if isinstance(s, gast.Assign):
        bound = set()
        reads = _reads(s.value)
        for t in s.targets:
            if isinstance(t, gast.Name):
                bound.add(t.id)
            elif isinstance(t, (gast.Tuple, gast.List)) and all(
                    isinstance(e, gast.Name) for e in t.elts):
                bound |= {e.id for e in t.elts}
            else:
                reads |= _reads(t) | _target_names(t)
        return (set(live) - bound) | reads
    if isinstance(s, gast.AugAssign):
        return set(live) | _reads(s.value) | _reads(s.target) | _target_names(s.target)
    return set(live) | {n.id for n in gast.walk(s) if isinstance(n, gast.Name)}
