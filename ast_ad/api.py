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

from . import cache, pipeline
from .activity import kind_of_value
from .shapes import spec_of_value
from .errors import DifferentiationError, NonScalarOutputError

_NUMBER_TYPES = (float, int, np.float64, np.float32)


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


def _container_key(a):
    """What a specialisation depends on in a container argument: its length
    and element types (and array shapes); cheap for a list of floats."""
    if isinstance(a, (list, tuple)):
        types = set(map(type, a))
        if types <= {float, int}:
            return (len(a), frozenset(types))
        return _kinds([a]) + (tuple(getattr(v, "shape", None) for v in a),)
    if isinstance(a, dict):
        return _kinds([a]) + (tuple(getattr(v, "shape", None) for v in a.values()),)
    return None


def _kinds(args):
    return tuple(kind_of_value(a) for a in args)


class _Transform:
    """Shared machinery: lazily transformed, cached per argument kinds."""

    mode = "reverse"
    seed_param = False

    def __init__(self, fun, wrt=0):
        if not callable(fun):
            raise DifferentiationError(f"expected a function, got {fun!r}")
        self.fun = fun
        self.__wrapped__ = fun
        self.wrt, self._wrt_tuple = _normalize_wrt(fun, wrt)
        self._by_types = {}
        self._last = None
        functools.update_wrapper(self, fun, updated=())
        try:
            self._signature = inspect.signature(fun)
        except (TypeError, ValueError):
            self._signature = None

    def _generated(self, args):
        # specialised per argument types, array shapes and container structure
        key = tuple([a.shape if type(a) is np.ndarray else type(a) for a in args])
        if list in key or tuple in key or dict in key:
            key = (key, tuple(_container_key(a) for a in args))
        entry = self._by_types.get(key)
        if entry is None:
            entry = self._transform(args, key)
        return entry

    def _transform(self, args, key):
        res = self._result(_kinds(args), tuple(spec_of_value(a) for a in args))
        self._by_types[key] = res.function
        self._last = res
        return res.function

    # -- composition: differentiating this object differentiates its code --
    def _result(self, kinds, specs=None):
        kinds = list(kinds) if kinds is not None else None
        ckey = (self.mode, self.wrt, self.seed_param, tuple(kinds) if kinds else None,
                _spec_key(specs))
        res = cache.get(self.fun, ckey)
        if res is None:
            res = pipeline.run(self.fun, self.mode, self.wrt, kinds, seed_param=self.seed_param,
                               param_specs=specs)
            cache.put(self.fun, ckey, res)
        return res

    def _python_function(self):
        return self.generated

    def _lower_as_function(self, kinds):
        """The SSA form of what calling this object computes."""
        from .lower import lower_function
        from .ir import Var
        gen = self._result(kinds).function
        fn = lower_function(gen, kinds)
        value, grads = fn.structure[fn.ret]
        fn.ret = self._select(value, grads, fn)
        return fn

    def _select(self, value, grads, fn):
        return fn.ret

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
            res = pipeline.run(self.fun, self.mode, self.wrt, seed_param=self.seed_param)
            self._last = res
        return self._last.function

    @property
    def source(self):
        if self._last is None:
            return pipeline.run(self.fun, self.mode, self.wrt, stop_after="emit",
                                seed_param=self.seed_param).text
        return self._last.text

    def __repr__(self):
        return f"<{type(self).__name__} of {getattr(self.fun, '__qualname__', self.fun)}>"


def _check_scalar(value, fun):
    if type(value) in _NUMBER_TYPES:
        return
    if np.ndim(value) != 0:
        raise NonScalarOutputError(
            f"grad requires {getattr(fun, '__name__', 'the function')!r} to return a scalar, "
            f"but it returned a value of shape {np.shape(value)}; use ast_ad.vjp or "
            "ast_ad.jacobian for non-scalar outputs")


class ValueAndGrad(_Transform):
    """``value_and_grad(f, wrt)(*args) -> (f(*args), gradient)``."""

    def __call__(self, *args, **kwargs):
        if kwargs:
            args = self._bind(args, kwargs)
        value, grads = self._generated(args)(*args)
        _check_scalar(value, self.fun)
        if self._wrt_tuple and len(self.wrt) == 1:
            grads = (grads,)
        return value, grads


class Grad(ValueAndGrad):
    """``grad(f, wrt)(*args) -> gradient``."""

    def _select(self, value, grads, fn):
        if self._wrt_tuple and len(self.wrt) == 1:
            from .ir import Var, Op
            from . import runtime
            one = Var("grads")
            fn.body.append(Op(one, runtime.make_tuple, [grads]))
            fn.structure[one] = [grads]
            return one
        return grads

    def __call__(self, *args, **kwargs):
        if kwargs:
            args = self._bind(args, kwargs)
        value, grads = self._generated(args)(*args)
        if type(value) not in _NUMBER_TYPES:
            _check_scalar(value, self.fun)
        if self._wrt_tuple and len(self.wrt) == 1:
            return (grads,)
        return grads


def _decorator(cls):
    def make(fun=None, wrt=0):
        if fun is None:
            return lambda f: cls(f, wrt)
        if isinstance(fun, (int, str, tuple)) and not callable(fun):
            return lambda f: cls(f, fun)
        return cls(fun, wrt)
    make.__name__ = cls.__name__
    return make


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
        _, grads = gen(cotangent, *primals)
        return grads if len(primals) > 1 else (grads,)
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
