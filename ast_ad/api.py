"""The public API: grad, value_and_grad, vjp, source, ssa.

Each returned object keeps the original function (`.fun`, `__wrapped__`) and
shows the generated code (`.source`).  Transformation is lazy and cached: the
first call transforms `f` for the kinds of its arguments (Python number,
ndarray, list, tuple, dict), later calls go straight to the generated
function.
"""
from __future__ import annotations

import functools
import inspect

import numpy as np

import types

from . import cache, deferred, pipeline, runtime
from .activity import kind_of_value
from .shapes import spec_of_value
from .codegen import _DispatchPlaceholder, _StrictPlaceholder
from .errors import DifferentiationError



def _normalize_wrt(func, wrt):
    """wrt (int, name or tuple of them) -> (tuple of positions, is_tuple)."""
    try:
        params = list(inspect.signature(func).parameters.values())
    except (TypeError, ValueError):
        params = []
    names = [p.name for p in params]
    items = wrt if isinstance(wrt, (tuple, list)) else (wrt,)
    positions = []
    for w in items:
        if isinstance(w, str):
            if w not in names:
                raise DifferentiationError(
                    f"wrt={w!r}: {getattr(func, '__name__', func)!r} has no parameter {w!r} "
                    f"(its parameters are {', '.join(names) or 'none'})")
            positions.append(names.index(w))
        elif isinstance(w, int) and not isinstance(w, bool):
            if names and not -len(names) <= w < len(names):
                raise DifferentiationError(
                    f"wrt={w}: {getattr(func, '__name__', func)!r} has {len(names)} parameters")
            positions.append(w % len(names) if names else w)
        else:
            raise DifferentiationError(f"wrt must be an int, a parameter name or a tuple of "
                                       f"them, not {w!r}")
    return tuple(positions), isinstance(wrt, (tuple, list))


def _spec_key(specs):
    if specs is None:
        return None
    return tuple(None if s is None else (s[0], s[1], str(s[2]) if len(s) > 2 else None)
                 for s in specs)


def _kinds(args):
    return tuple(kind_of_value(a) for a in args)


def _guard_spec(a):
    """What the first line of specialised code checks about an argument."""
    t = type(a)
    if t is np.ndarray:
        return ("arr", t, a.shape, a.dtype)
    if t in (list, tuple) and all(type(v) is float or type(v) is int for v in a):
        # numbers: the code depends on each element's type (int or float),
        # which `list(map(type, a))` reads at C speed
        return ("types", t, tuple(map(type, a)))
    if t in (list, tuple, dict):
        return ("container", t, runtime.container_key(a))
    return ("type", t)


class _Transform:
    """Shared machinery: lazily transformed, cached per argument kinds.

    Calling the object runs the generated code of the latest specialisation
    directly: each object has a class of its own whose ``__call__`` is that
    function, and the function's first line checks its arguments, handing
    anything else to `_dispatch` (which finds or makes the right version)."""

    mode = "reverse"
    seed_param = False
    output = "both"

    def __init__(self, fun, wrt=0):
        if not callable(fun):
            raise DifferentiationError(f"expected a function, got {fun!r}")
        self.fun = fun
        self.__wrapped__ = fun
        self.wrt, self._wrt_tuple = _normalize_wrt(fun, wrt)
        self._wrt_arg = wrt
        self._by_types = {}
        self._last = None
        self._observed = ()   # globals whose kinds the generated code depends on
        self._relaxations = set()   # position sets whose element checks were deferred
        functools.update_wrapper(self, fun, updated=())
        try:
            self._signature = inspect.signature(fun)
        except (TypeError, ValueError):
            self._signature = None
        cls = type(self)
        self.__class__ = type(cls.__name__, (cls,), {"__call__": cls._dispatch,
                                                     "__module__": cls.__module__})

    def _dispatch(self, *args, **kwargs):
        """The slow path: pick (or make) the version for these arguments and
        make it the fast path."""
        if kwargs:
            args = self._bind(args, kwargs)
        fn = self._generated(args)
        type(self).__call__ = staticmethod(fn)
        return fn(*args)

    def _key(self, args):
        """What the generated code's first line checks: argument types, array
        shapes, container structure, and the kinds of the globals it read."""
        g = getattr(self.fun, "__globals__", {})
        return (tuple(map(_guard_spec, args)),
                tuple((n, _guard_spec(g.get(n))) for n in self._observed))

    @staticmethod
    def _relaxed(key, positions):
        """`key` as checked by code whose element checks at `positions` are
        deferred to its results (deferred.py)."""
        return (deferred.relaxed(key[0], positions), key[1])

    def _generated(self, args):
        key = self._key(args)
        entry = self._by_types.get(key)
        for positions in self._relaxations:
            if entry is not None:
                break
            entry = self._by_types.get(self._relaxed(key, positions))
        if entry is None:
            entry = self._transform(args, key)
        return entry

    def _transform(self, args, key, defer=True):
        """Make the version for `args`; each version is stored under the key
        its first line checks."""
        res = self._result(_kinds(args), tuple(spec_of_value(a) for a in args), key,
                           defer=defer)
        fn = _bind_dispatch(res.function, self._dispatch, self._strict)
        new = tuple(sorted(set(self._observed) | set(res.observed)))
        if new != self._observed:
            self._observed = new
            key = self._key(args)
        if res.deferred:
            self._relaxations.add(res.deferred)
            key = self._relaxed(key, res.deferred)
        self._by_types[key if defer else ("strict", key)] = fn
        if defer:       # (a strict version is no fast path: .source shows the fast one)
            self._last = res
        return fn

    def _strict(self, *args):
        """The answer when deferred element checks failed (deferred.py): the
        version that checks the element types first (not the fast path)."""
        key = self._key(args)
        fn = self._by_types.get(("strict", key))
        if fn is None:
            fn = self._transform(args, key, defer=False)
        return fn(*args)

    # -- composition: differentiating this object differentiates its code --
    def _result(self, kinds, specs=None, guards=None, output=None, defer=False):
        kinds = list(kinds) if kinds is not None else None
        output = output or self.output
        ckey = (self.mode, self.wrt, self.seed_param, tuple(kinds) if kinds else None,
                _spec_key(specs), output, self._wrt_tuple, guards, defer)
        res = cache.get(self.fun, ckey)
        if res is None:
            res = pipeline.run(self.fun, self.mode, self.wrt, kinds, seed_param=self.seed_param,
                               param_specs=specs, output=output,
                               wrap_single=self._wrt_tuple,
                               # (a vjp's function is called by vjp_fn only, with
                               # the arguments it was made for: no check needed)
                               guards=guards[0] if guards is not None and not self.seed_param
                               else None, defer=defer)
            cache.put(self.fun, ckey, res)
        return res

    def _python_function(self):
        """The user's function underneath (for its globals and defaults)."""
        return pipeline._python_function(self.fun)

    def _lower_as_function(self, kinds):
        """The SSA form of what calling this object computes (lowered from
        the generated code, without its argument check)."""
        from .lower import lower_function
        return lower_function(self._result(kinds).function, kinds)

    def _bind(self, args, kwargs):
        if not kwargs or self._signature is None:
            return args
        bound = self._signature.bind(*args, **kwargs)
        bound.apply_defaults()
        return tuple(bound.args) + tuple(bound.kwargs.values())

    @property
    def generated(self):
        """The generated function of the most recent call (or a generic one)."""
        if self._last is None:
            self._last = self._result(None)
            return self._last.function
        return type(self).__call__ if isinstance(type(self).__dict__.get("__call__"),
                                                 staticmethod) else self._last.function

    @property
    def source(self):
        """The generated code of the most recent call (or a generic one)."""
        if self._last is None:
            return self._result(None).text
        return self._last.text

    def __repr__(self):
        return f"<{type(self).__name__} of {getattr(self.fun, '__qualname__', self.fun)}>"

    def __reduce__(self):
        # (each object has a class of its own, see above: pickle the public
        # class and the arguments, and transform again where it is loaded)
        return type(self).__mro__[1], (self.fun, self._wrt_arg)


class ValueAndGrad(_Transform):
    """``value_and_grad(f, wrt)(*args) -> (f(*args), gradient)``."""
    output = "both"


class Grad(_Transform):
    """``grad(f, wrt)(*args) -> gradient``."""
    output = "grads"


def _bind_dispatch(fn, dispatch, strict=None):
    """A copy of generated function `fn` whose `_dispatch` is `dispatch` (and
    `_strict`, where the code has deferred checks, `strict`)."""
    def bind(cell):
        if cell.cell_contents is _DispatchPlaceholder:
            return types.CellType(dispatch)
        if cell.cell_contents is _StrictPlaceholder:
            return types.CellType(strict)
        return cell
    cells = [bind(c) for c in fn.__closure__ or ()]
    if all(a is b for a, b in zip(cells, fn.__closure__ or ())):
        return fn
    new = types.FunctionType(fn.__code__, fn.__globals__, fn.__name__, fn.__defaults__,
                             tuple(cells))
    new.__kwdefaults__ = fn.__kwdefaults__
    return new


def grad(fun=None, wrt=0):
    """The gradient of `fun`'s scalar result w.r.t. the argument(s) `wrt`.

    Use as ``grad(f)``, ``@grad`` or ``@grad(wrt=("x", "y"))``."""
    if fun is None:
        return lambda f: Grad(f, wrt)
    return Grad(fun, wrt)


def value_and_grad(fun=None, wrt=0):
    """Like `grad`, returning ``(value, gradient)``."""
    if fun is None:
        return lambda f: ValueAndGrad(f, wrt)
    return ValueAndGrad(fun, wrt)


class _VJP(_Transform):
    seed_param = True


def vjp(fun, *primals):
    """``(out, vjp_fn)``; ``vjp_fn(cotangent)`` returns one gradient per primal."""
    t = _VJP(fun, tuple(range(len(primals))))
    gen = t._generated(primals)
    out = fun(*primals)

    def vjp_fn(cotangent):
        return gen(cotangent, *primals)[1]
    vjp_fn.source = t.source
    return out, vjp_fn


def source(fun, mode="reverse", wrt=0):
    """The generated Python source for `fun` (mode "reverse", "forward" or "ssa")."""
    if mode not in ("reverse", "forward", "ssa"):
        raise DifferentiationError(f"mode must be 'reverse', 'forward' or 'ssa', not {mode!r}")
    positions, _ = _normalize_wrt(fun, wrt)
    return pipeline.run(fun, mode, positions, stop_after="emit").text


class SSA:
    """The SSA three-address form of a function: ``str()`` prints it as code."""

    def __init__(self, fun):
        self.fun = fun
        res = pipeline.run(fun, "ssa", stop_after="emit")
        self.ir = res.primal
        self.text = res.text

    def __str__(self):
        return self.text

    def __repr__(self):
        return f"<SSA of {getattr(self.fun, '__qualname__', self.fun)}>\n{self.text}"


def ssa(fun):
    return SSA(fun)
