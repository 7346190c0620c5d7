"""Callables without Python source of their own, as Python functions.

ast_ad transforms source, but ``grad(np.sin)``, ``grad(math.exp)`` (a
primitive with a derivative rule) and ``grad(functools.partial(f, a))`` are
natural things to write.  `python_function` turns each into a small Python
function whose source calls it, so the pipeline treats them like any other
function: the call to the primitive uses its rule, the call to the
partial's function is inlined with the bound arguments as constants::

    def sin(x):                      def f(x):
        return _fn(x)                    return _fn(_a0, x, scale=_k0)

(`_fn`, `_a0`, `_k0` are closure variables holding the objects.)  The
function is made once per object and compiled like generated code, so its
source is in `linecache` and tracebacks show it.
"""
from __future__ import annotations

import functools
import inspect
import types
import weakref

import numpy as np

from . import rules
from .compile import compile_source
from .errors import DifferentiationError

_LITERALS = (type(None), bool, int, float, str)
_BY_OBJECT: dict = {}                              # primitive -> function
_BY_PARTIAL: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def numba_python_function(fun):
    """The Python function a Numba dispatcher (``@numba.njit``) compiles,
    or None for anything else."""
    module = getattr(type(fun), "__module__", None)
    # (a str for classes; Cython's function type has a descriptor there on
    # Python 3.10)
    if isinstance(module, str) and module.startswith("numba.") and isinstance(
            getattr(fun, "py_func", None), types.FunctionType):
        return fun.py_func
    return None


def python_function(fun):
    """`fun` itself, or, for a primitive with a rule or a functools.partial,
    a Python function that calls it (made once per object); for a function
    compiled with ``numba.njit``, the Python function it compiles."""
    compiled = numba_python_function(fun)
    if compiled is not None:
        return compiled
    if isinstance(fun, functools.partial):
        made = _BY_PARTIAL.get(fun)
        if made is None:
            made = _BY_PARTIAL[fun] = _partial_function(fun)
        return made
    if isinstance(fun, types.MethodType) and isinstance(fun.__func__, types.FunctionType):
        # model.loss: the function with the object bound first (made anew
        # for each bound method: its object is the method's, not a key's)
        return _partial_function(functools.partial(fun.__func__, fun.__self__))
    if rules.is_primitive(fun):
        made = _BY_OBJECT.get(fun)
        if made is None:
            made = _BY_OBJECT[fun] = _primitive_function(fun)
        return made
    return fun


def _name_of(fun, default="f"):
    name = getattr(fun, "__name__", None)
    return name if isinstance(name, str) and name.isidentifier() else default


def _params(fun):
    """The names of the required positional parameters of `fun` (a ufunc's
    inputs: ``x`` or ``x1, x2``; NumPy's names)."""
    if isinstance(fun, np.ufunc):
        return ["x"] if fun.nin == 1 else [f"x{i + 1}" for i in range(fun.nin)]
    try:
        sig = inspect.signature(fun)
    except (TypeError, ValueError):
        raise DifferentiationError(
            f"cannot tell the parameters of {_name_of(fun, repr(fun))!r}: it has no "
            "signature; differentiate a function that calls it, e.g. "
            "def f(x): return fn(x)") from None
    return [p.name for p in sig.parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty]


def _signature_text(params):
    return ", ".join(n if d is inspect.Parameter.empty else f"{n}={d!r}" for n, d in params)


def _make(name, params, call, aliases, label):
    source = (f"def {name}({_signature_text(params)}):\n"
              f"    return {call}\n")
    fn = compile_source(source, name, aliases, {"__name__": __name__}, label)
    fn.__qualname__ = name
    return fn


def _primitive_function(fun):
    """A primitive is called with its required positional arguments (write
    a def to pass others: ``def f(x): return np.sum(x, axis=0)``)."""
    name = _name_of(fun)
    params = _params(fun)
    if not params:
        raise DifferentiationError(f"{name!r} takes no positional argument to differentiate")
    call = f"_fn({', '.join(params)})"
    return _make(name, [(n, inspect.Parameter.empty) for n in params], call, {"_fn": fun},
                 f"call of {name}")


def _partial_function(p):
    """The parameters the partial leaves to its caller, in order: positional
    ones are passed on by position, those after a keyword the partial binds
    (keyword-only now) by keyword; optional ones keep literal defaults."""
    name = _name_of(p.func)
    aliases = {"_fn": p.func}
    args = []
    for i, a in enumerate(p.args):
        aliases[f"_a{i}"] = a
        args.append(f"_a{i}")
    params = []
    if isinstance(p.func, np.ufunc) or rules.is_primitive(p.func):
        rest = _params(p.func)[len(p.args):]
        params = [(n, inspect.Parameter.empty) for n in rest]
        args += rest
    else:
        try:
            sig = inspect.signature(p)
        except (TypeError, ValueError):
            raise DifferentiationError(f"cannot tell the parameters of {p!r}") from None
        for q in sig.parameters.values():
            if q.name in p.keywords or q.kind in (q.VAR_POSITIONAL, q.VAR_KEYWORD):
                continue
            if q.default is not q.empty and not isinstance(q.default, _LITERALS):
                break
            if q.kind == q.KEYWORD_ONLY:
                if q.default is q.empty:
                    params.append((q.name, q.empty))
                    args.append(f"{q.name}={q.name}")
            else:
                params.append((q.name, q.default))
                args.append(q.name)
    for i, (k, v) in enumerate(p.keywords.items()):
        aliases[f"_k{i}"] = v
        args.append(f"{k}=_k{i}")
    return _make(name, params, f"_fn({', '.join(args)})", aliases, f"partial of {name}")
