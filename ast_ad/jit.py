"""Compiled derivatives: the generated code through Numba (``jit=True``).

The derivative is generated as usual, printed in the subset Numba compiles
(codegen's `numba` flag: a tape is read backwards as ``tape[::-1]``), and
compiled with ``numba.njit`` for the argument types of the call.  The
function users call is a small Python one: it checks the arguments like
any generated code (anything else goes back to the dispatcher), reads the
module globals the code uses (Numba would freeze their values at compile
time) and calls the compiled body.  ``.source`` shows both.

ast_ad's own runtime helpers are plain Python; those the compiled code
calls are given Numba implementations here (`numba.extending.overload`).
A helper or construct Numba cannot compile is reported at the first call
as a `DifferentiationError` naming the user's line the generated line
computes, never as a silent fallback (``jit="auto"`` falls back to Python
and warns once instead).

Numba is an optional dependency: ``pip install 'ast_ad[jit]'``.
"""
from __future__ import annotations

import re
import warnings

import numpy as np

from . import runtime
from .errors import DifferentiationError

_registered = False


class JitError(DifferentiationError):
    """The compiled path cannot be had (no Numba, arguments it does not
    take, code it cannot compile); ``jit="auto"`` falls back on it only."""


def numba_module():
    """The numba module, or a DifferentiationError saying how to get it."""
    try:
        import numba
    except ImportError:
        raise JitError(
            "jit=True compiles the derivative with Numba, which is not installed: "
            "pip install 'ast_ad[jit]' (or pip install numba)") from None
    _register()
    return numba


def supports(avals) -> str | None:
    """Why arguments described by `avals` cannot be passed to compiled code
    (None: they can).  Numbers and NumPy arrays of numbers can; Python
    lists, tuples and dicts would be reflected lists Numba is retiring."""
    from .avals import Array, Map, Num, Seq, concrete
    for k, a in enumerate(avals):
        a = concrete(a)
        if isinstance(a, Num) and a.type is not None:
            continue
        if isinstance(a, Array) and a.dtype is not None and a.dtype.kind in "biuf":
            continue
        what = (f"a {a.type.__name__}" if isinstance(a, Seq) else "a dict" if isinstance(a, Map)
                else f"an array of dtype {a.dtype}" if isinstance(a, Array)
                else "a value of another kind")
        return (f"argument {k} is {what}; jit=True takes numbers and NumPy arrays of "
                "numbers (pass np.array(xs) for a list of numbers), or use jit=False")
    return None


def check_compilable(fn):
    """Refuse what Numba would compile to different numbers: random draws
    (Numba's generators are its own; NumPy's seed and state are not
    theirs, so the draws would differ from the Python function's)."""
    from .avals import is_generator_method
    from .ir import Op, walk
    for s in walk(fn.body):
        if isinstance(s, Op) and (getattr(s.fn, "__module__", None) == "numpy.random"
                                  or is_generator_method(s.fn)):
            raise JitError.at(s.loc, f"jit=True: {getattr(s.fn, '__name__', 'a draw')} draws "
                                     "random numbers, which Numba draws from its own "
                                     "generator (not NumPy's state or seed): the numbers "
                                     "would differ from your function's; use jit=False, or "
                                     "draw outside and pass the numbers in")


def njit(py_function):
    """The Numba dispatcher of a generated function (compiled on first use,
    or by `compile_for`)."""
    numba = numba_module()
    return numba.njit(py_function, cache=False)


def compile_for(dispatcher, args, label, lines, offset):
    """Compile `dispatcher` for the types of `args` now, so that an error is
    raised at the first call, located: `lines` maps lines of the generated
    text to the user's locations (codegen.line_locations), `offset` is the
    first line of the compiled body in the file Numba reads."""
    numba = numba_module()
    try:
        sig = tuple(numba.typeof(a) for a in args)
        dispatcher.compile(sig)
    except numba.core.errors.NumbaError as e:
        raise JitError.at(*_explain(str(e), label, lines, offset)) from None
    except Exception as e:      # (Numba's own passes can fail on code they do not expect)
        raise JitError(
            f"jit=True: Numba failed while compiling the {label} ({type(e).__name__}: {e}); "
            ".source shows the generated code (jit=False runs it as plain Python, "
            "jit='auto' falls back to it)") from e


def _explain(message, label, lines, offset):
    """(the user's location, a message) for a Numba compilation error:
    Numba's reason (its lines before the first file reference) and the
    generated line it could not compile."""
    message = re.sub(r"\x1b\[[0-9;]*m", "", message)
    text = message.splitlines()
    reason = []
    for ln in text:
        if ln.startswith("File ") or ln.startswith("During:"):
            break
        if ln.strip() and not ln.startswith("Failed in nopython mode"):
            reason.append(ln.strip())
    line, code = None, None
    for k, ln in enumerate(text):
        m = re.match(r'File "<ast_ad [^"]*>", line (\d+)', ln)
        if m:
            line = int(m.group(1)) - offset
            caret = next((j for j in range(k + 1, min(k + 12, len(text)))
                          if text[j].strip() == "^"), None)
            if caret is not None:
                code = text[caret - 1].strip()
            break
    why = " ".join(reason)[:300] or "unsupported construct"
    where = f" (generated line: {code})" if code else ""
    return (lines.get(line) if line is not None else None,
            f"jit=True: Numba cannot compile the {label}: {why}{where}; .source shows the "
            "generated code (jit=False runs it as plain Python, jit='auto' falls back to it)")


def _register():
    """Numba implementations of the runtime helpers compiled code calls."""
    global _registered
    if _registered:
        return
    _registered = True
    from numba import types
    from numba.extending import overload

    @overload(runtime.zeros_like)
    def _zeros_like(x):
        if isinstance(x, types.Array) and isinstance(x.dtype, types.Float):
            return lambda x: np.zeros_like(x)
        if isinstance(x, types.Array):
            return lambda x: np.zeros(x.shape, np.float64)
        if isinstance(x, types.Float):
            return lambda x: 0.0
        if isinstance(x, types.Integer):
            return lambda x: 0.0
        if isinstance(x, types.List) and isinstance(x.dtype, (types.Float, types.Integer)):
            # (a list of numbers made inside the function)
            return lambda x: [0.0 for _ in range(len(x))]
        return None

    @overload(runtime.check_scalar_output)
    def _check_scalar_output(y, name):
        if isinstance(y, types.Array) and y.ndim != 0:
            def bad(y, name):
                raise ValueError("grad requires a scalar output")
            return bad
        return lambda y, name: None

    @overload(runtime.add)
    def _add(a, b):
        return lambda a, b: a + b

    def basic(i):
        """An index of ints and slices (np.add.at of an index array, where
        repeated indices add up, has no compiled form here)."""
        parts = i.types if isinstance(i, types.BaseTuple) else (i,)
        return all(isinstance(t, (types.Integer, types.SliceType)) for t in parts)

    def numbers(x):
        """A list of numbers (made inside the compiled function)."""
        return isinstance(x, types.List) and isinstance(x.dtype, (types.Float, types.Integer))

    @overload(runtime.iadd_at)
    def _iadd_at(g, i, v):
        if not (isinstance(g, types.Array) and basic(i)
                or numbers(g) and isinstance(i, types.Integer)):
            return None

        def impl(g, i, v):
            g[i] += v
        return impl

    @overload(runtime.add_at)
    def _add_at(a, i, v):
        if numbers(a) and isinstance(i, types.Integer):
            def on_list(a, i, v):
                out = [x for x in a]
                out[i] += v
                return out
            return on_list
        if not isinstance(a, types.Array) or not isinstance(a.dtype, types.Float) \
                or not basic(i):
            return None

        def impl(a, i, v):
            out = a.copy()
            out[i] += v
            return out
        return impl

    @overload(runtime.setitem_copy)
    def _setitem_copy(x, i, v):
        if numbers(x) and isinstance(i, types.Integer):
            def on_list(x, i, v):
                y = [e for e in x]
                y[i] = v
                return y
            return on_list
        if not isinstance(x, types.Array):
            return None

        def impl(x, i, v):
            y = x.copy()
            y[i] = v
            return y
        return impl

    @overload(runtime.matrix_transpose)
    def _matrix_transpose(x):
        if isinstance(x, types.Array) and x.ndim == 2:
            return lambda x: x.T
        return None

    @overload(runtime.array_grad)
    def _array_grad(g, x):
        if isinstance(x, types.Array) and isinstance(g, types.Array):
            return lambda g, x: np.reshape(g, x.shape)
        return None

    @overload(runtime.index_adjoint)
    def _index_adjoint(g, x, i):
        if not (isinstance(x, types.Array) and basic(i)):
            return None

        def impl(g, x, i):
            out = np.zeros(x.shape, np.float64)
            out[i] += g
            return out
        return impl

    @overload(runtime.broadcast_to_shape)
    def _broadcast_to_shape(g, x, axis=None, keepdims=False):
        # (only the reduction over all of x: axis=None)
        if not (isinstance(x, types.Array) and (axis is None or isinstance(axis, types.NoneType))):
            return None
        if isinstance(g, types.Array):
            return lambda g, x, axis=None, keepdims=False: np.broadcast_to(g, x.shape)
        return lambda g, x, axis=None, keepdims=False: np.full(x.shape, g, np.float64)

    @overload(runtime.reduced_count)
    def _reduced_count(x, axis=None):
        if isinstance(x, types.Array) and (axis is None or isinstance(axis, types.NoneType)):
            return lambda x, axis=None: x.size
        return None

    @overload(runtime.list_grad)
    def _list_grad(g, x):
        # (the adjoint of list(x) for a 1-d array x of numbers: an array again)
        if numbers(g) and isinstance(x, types.Array) and x.ndim == 1:
            def impl(g, x):
                out = np.zeros(x.shape, np.float64)
                for k in range(len(g)):
                    out[k] = g[k]
                return out
            return impl
        return None

    @overload(runtime.shallow_copy)
    def _shallow_copy(x):
        if isinstance(x, types.Array):
            return lambda x: x.copy()
        if numbers(x):
            return lambda x: [e for e in x]
        if isinstance(x, (types.Number,)):
            return lambda x: x
        return None

    @overload(runtime.clear)
    def _clear(g, i):
        def impl(g, i):
            g[i] = 0
        return impl


def warn_fallback(name, error):
    warnings.warn(f"jit='auto': {name} runs as plain Python: {error.message}",
                  RuntimeWarning, stacklevel=4)
